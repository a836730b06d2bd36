//! Operations tagged `agents`: agents that extract data from documents.

use std::collections::BTreeMap;

use askui_runtime::paging::{self, More, Offset};
use askui_runtime::{Error, askui_endpoint, askui_endpoints};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;
use uuid::Uuid;

use crate::schedules::RunnerHost;
use crate::tools::JsonSchema;

/// Agents: list, create, update, and the templates to create them from.
#[cfg_attr(feature = "blocking", askui_endpoints(blocking))]
#[cfg_attr(not(feature = "blocking"), askui_endpoints)]
pub trait Agents: AsRef<askui_runtime::Client> {
    /// List Agents matching `query`, most recently updated first, a page at a time
    /// (`has_more` tells whether there is another).
    ///
    /// Operation `list_agents_api_v1_agents_get`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(get, "/api/v1/agents")]
    async fn list_agents(
        &self,
        #[query(flatten)] query: &ListAgentsQuery,
    ) -> Result<AgentsListResponse, Error>;

    /// Create Agent from a template (201).
    ///
    /// Operation `create_agent_api_v1_agents_post`.
    ///
    /// Errors: 409 and 500 (no body); 422 for an invalid request.
    #[askui_endpoint(post, "/api/v1/agents")]
    async fn create_agent(&self, body: &AgentCreateCommand) -> Result<Agent, Error>;

    /// List Agent Templates: every template available.
    ///
    /// Operation `list_agent_templates_api_v1_agents_templates_get`.
    ///
    /// Errors: 500 (no body).
    #[askui_endpoint(get, "/api/v1/agents/templates")]
    async fn list_agent_templates(&self) -> Result<ListAgentTemplatesResponse, Error>;

    /// Update Agent: the fields set in `body`.
    ///
    /// Operation `update_agent_api_v1_agents__agent_id__patch`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(patch, "/api/v1/agents/{agent_id}")]
    async fn update_agent(&self, agent_id: Uuid, body: &AgentUpdateCommand)
    -> Result<Agent, Error>;

    /// Every agent matching `query`, page after page ([`list_agents`](Self::list_agents)
    /// with `skip` advanced while `has_more`). Pages are fetched as the stream is read.
    ///
    /// ```no_run
    /// use askui_workspaces::agents::{Agents, ListAgentsQuery};
    /// use futures_util::TryStreamExt;
    ///
    /// # async fn run(client: askui_workspaces::Client) -> Result<(), askui_workspaces::Error> {
    /// let agents: Vec<_> = client.all_agents(ListAgentsQuery::new()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    fn all_agents(
        &self,
        query: ListAgentsQuery,
    ) -> impl futures_core::Stream<Item = Result<Agent, Error>> + Send + '_
    where
        Self: Sync,
    {
        paging::stream(ListAgentsQuery::PAGING, query, move |page| async move {
            self.list_agents(&page).await
        })
    }
}

impl Agents for askui_runtime::Client {}

#[cfg(feature = "blocking")]
impl BlockingAgents for askui_runtime::blocking::Client {}

/// The paging helper of [`Agents`] for blocking clients: implemented for every
/// [`BlockingAgents`] (`askui_runtime::blocking::Client` among them).
#[cfg(feature = "blocking")]
pub trait BlockingAgentsExt: BlockingAgents {
    /// [`Agents::all_agents`] for blocking code: every agent matching `query`, page after
    /// page, as an `Iterator` that calls [`list_agents`](BlockingAgents::list_agents) for the
    /// next page as it is advanced. It ends after the first error.
    ///
    /// ```no_run
    /// use askui_workspaces::agents::{BlockingAgentsExt, ListAgentsQuery};
    ///
    /// # fn run(client: askui_runtime::blocking::Client) -> Result<(), askui_workspaces::Error> {
    /// for agent in client.all_agents(ListAgentsQuery::new()) {
    ///     println!("{}", agent?.name);
    /// }
    /// # Ok(()) }
    /// ```
    fn all_agents(
        &self,
        query: ListAgentsQuery,
    ) -> impl Iterator<Item = Result<Agent, Error>> + Send + '_
    where
        Self: Sync,
    {
        paging::iter(ListAgentsQuery::PAGING, query, |page| {
            self.list_agents(page)
        })
    }
}

#[cfg(feature = "blocking")]
impl<T: BlockingAgents + ?Sized> BlockingAgentsExt for T {}

/// Whether an agent is in use. Values the API adds later read as [`AgentStatus::Unknown`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum AgentStatus {
    /// In use.
    Active,
    /// Archived.
    Archived,
    /// A status this client does not know yet (never send it).
    #[serde(other, skip_serializing)]
    Unknown,
}

/// An agent's name: 1 to 64 letters, digits, `-`, `_`, `.` and spaces, starting and ending
/// with a letter or digit (the document's pattern).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgentName(String);

impl AgentName {
    /// Checks `name`.
    pub fn new(name: impl Into<String>) -> Result<Self, Error> {
        let name = name.into();
        let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        let valid = (1..=64).contains(&name.len())
            && edge(name.chars().next())
            && edge(name.chars().last())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_. ".contains(c));
        if !valid {
            return Err(Error::invalid_argument(
                "name",
                "must be 1 to 64 letters, digits, `-`, `_`, `.` or spaces, starting and ending with a letter or digit",
            ));
        }
        Ok(AgentName(name))
    }
}

impl TryFrom<String> for AgentName {
    type Error = Error;
    fn try_from(name: String) -> Result<Self, Error> {
        AgentName::new(name)
    }
}

impl From<AgentName> for String {
    fn from(name: AgentName) -> String {
        name.0
    }
}

fn check_chars(field: &'static str, value: &str, extra: &str, max: usize) -> Result<(), Error> {
    let valid = (1..=max).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(c));
    if valid {
        Ok(())
    } else {
        Err(Error::invalid_argument(
            field,
            format!("must be 1 to {max} letters, digits or `{extra}`"),
        ))
    }
}

fn check_description(description: &Option<String>) -> Result<(), Error> {
    match description {
        Some(text) if text.chars().count() > 1024 => Err(Error::invalid_argument(
            "description",
            "must not be longer than 1024 characters",
        )),
        _ => Ok(()),
    }
}

/// The request of [`Agents::create_agent`]. Build it with [`new`](Self::new) and set the
/// optional fields; [`check`](Self::check) runs when it is serialized, so an invalid one is an
/// `InvalidArgument` error of the call, before any I/O.
///
/// ```
/// use askui_workspaces::agents::{AgentCreateCommand, AgentName};
/// use askui_workspaces::Uuid;
///
/// let mut body = AgentCreateCommand::new(AgentName::new("Invoices")?, Uuid::nil(), "invoice-v1")?;
/// body.auto_confirm = Some(true);
/// assert!(AgentCreateCommand::new(AgentName::new("x")?, Uuid::nil(), "bad id!").is_err());
/// # Ok::<(), askui_workspaces::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct AgentCreateCommand {
    /// The agent's name.
    pub name: AgentName,
    /// What the agent is for, at most 1024 characters.
    pub description: Option<String>,
    /// The JSON schema of the data to extract.
    pub data_schema: Option<JsonSchema>,
    /// Confirm extracted data without a review.
    pub auto_confirm: Option<bool>,
    /// Where confirmed data goes.
    pub data_destinations: Vec<DataDestinationCreate>,
    /// The agent this one is a new version of; that parent is archived when this one is
    /// created.
    pub parent_id: Option<Uuid>,
    /// The email trigger's settings.
    pub email_trigger: Option<EmailAgentTriggerCreate>,
    /// The agent's workspace.
    pub workspace_id: Uuid,
    template_id: String,
}

/// The wire form of [`AgentCreateCommand`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AgentCreateWire<'a> {
    name: &'a AgentName,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_schema: &'a Option<JsonSchema>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auto_confirm: &'a Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    data_destinations: &'a Vec<DataDestinationCreate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_id: &'a Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email_trigger: &'a Option<EmailAgentTriggerCreate>,
    workspace_id: &'a Uuid,
    template_id: &'a str,
}

impl Serialize for AgentCreateCommand {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.check().map_err(serde::ser::Error::custom)?;
        AgentCreateWire {
            name: &self.name,
            description: &self.description,
            data_schema: &self.data_schema,
            auto_confirm: &self.auto_confirm,
            data_destinations: &self.data_destinations,
            parent_id: &self.parent_id,
            email_trigger: &self.email_trigger,
            workspace_id: &self.workspace_id,
            template_id: &self.template_id,
        }
        .serialize(serializer)
    }
}

impl AgentCreateCommand {
    /// An agent whose files are copied from a template (`template_id`: 1 to 64 letters,
    /// digits, `-`, `_`, `.`).
    pub fn new(
        name: AgentName,
        workspace_id: Uuid,
        template_id: impl Into<String>,
    ) -> Result<Self, Error> {
        let template_id = template_id.into();
        check_chars("templateId", &template_id, "-_.", 64)?;
        Ok(AgentCreateCommand {
            name,
            description: None,
            data_schema: None,
            auto_confirm: None,
            data_destinations: Vec::new(),
            parent_id: None,
            email_trigger: None,
            workspace_id,
            template_id,
        })
    }

    /// Checks the optional fields (description length, destinations, email local part).
    pub fn check(&self) -> Result<(), Error> {
        check_description(&self.description)?;
        for destination in &self.data_destinations {
            destination.check()?;
        }
        if let Some(local_part) = self
            .email_trigger
            .as_ref()
            .and_then(|t| t.local_part.as_deref())
        {
            check_chars("localPart", local_part, "-_.+", 64)?;
        }
        Ok(())
    }
}

/// Where an agent delivers confirmed data, as created. Always sent with its `type`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum DataDestinationCreate {
    /// Runs AskUI workflows with the data (`ASKUI_WORKFLOW`).
    #[serde(rename = "ASKUI_WORKFLOW", rename_all = "camelCase")]
    AskuiWorkflow {
        /// Where; AskUI's runners if `None`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<RunnerHost>,
        /// Runner tags required.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        runner_tags: Vec<String>,
        /// The workflows; not sent when empty (the document makes them optional, but at
        /// least one when sent).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        workflows: Vec<String>,
    },
    /// Posts the data to a URL (`WEBHOOK`).
    #[serde(rename = "WEBHOOK")]
    Webhook {
        /// The URL, at most 2083 characters.
        url: Url,
        /// Headers sent with it.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        headers: BTreeMap<String, String>,
    },
}

impl DataDestinationCreate {
    fn check(&self) -> Result<(), Error> {
        match self {
            DataDestinationCreate::Webhook { url, .. } if url.as_str().chars().count() > 2083 => {
                Err(Error::invalid_argument(
                    "url",
                    "must not be longer than 2083 characters",
                ))
            }
            _ => Ok(()),
        }
    }
}

/// Where an agent delivers confirmed data. Always sent with its `type`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum DataDestination {
    /// Runs AskUI workflows with the data.
    #[serde(rename = "ASKUI_WORKFLOW", rename_all = "camelCase")]
    AskuiWorkflow {
        /// Where.
        host: RunnerHost,
        /// Runner tags required.
        runner_tags: Vec<String>,
        /// The workflows.
        workflows: Vec<String>,
    },
    /// Posts the data to a URL.
    #[serde(rename = "WEBHOOK")]
    Webhook {
        /// The URL.
        url: Url,
        /// Headers sent with it.
        headers: BTreeMap<String, String>,
    },
}

/// An agent's email trigger, as created.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailAgentTriggerCreate {
    /// Whether emails trigger the agent; yes if `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// Who may send emails to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_senders: Option<Vec<String>>,
    /// The local part of its address (letters, digits, `-_.+`); unique one if `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_part: Option<String>,
}

/// Changes to an agent's email trigger.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailAgentTriggerUpdate {
    /// Whether emails trigger the agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// Who may send emails to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_senders: Option<Vec<String>>,
    /// The local part of its address (letters, digits, `-_.+`; checked when sent).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "checked_local_part"
    )]
    pub local_part: Option<String>,
}

/// An agent's email trigger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailAgentTrigger {
    /// Whether emails trigger the agent.
    #[serde(default = "yes")]
    pub active: bool,
    /// Who may send emails to it.
    #[serde(default)]
    pub allowed_senders: Vec<String>,
    /// Its address.
    pub email: String,
}

fn checked_description<S: serde::Serializer>(
    description: &Option<String>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    check_description(description).map_err(serde::ser::Error::custom)?;
    description.serialize(serializer)
}

fn checked_local_part<S: serde::Serializer>(
    local_part: &Option<String>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if let Some(local_part) = local_part {
        check_chars("localPart", local_part, "-_.+", 64).map_err(serde::ser::Error::custom)?;
    }
    local_part.serialize(serializer)
}

/// Data destinations, also without their `type` (told apart by `url`).
fn destinations<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<DataDestination>, D::Error> {
    crate::common::tagged_list(deserializer, "type", |object| {
        if object.contains_key("url") {
            "WEBHOOK"
        } else {
            "ASKUI_WORKFLOW"
        }
    })
}

fn yes() -> bool {
    true
}

/// The request of [`Agents::update_agent`]: only the fields set are changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentUpdateCommand {
    /// A new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<AgentName>,
    /// A new description, at most 1024 characters (checked when sent).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "checked_description"
    )]
    pub description: Option<String>,
    /// Archive or reactivate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<AgentStatus>,
    /// Email trigger changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_trigger: Option<EmailAgentTriggerUpdate>,
    /// Confirm extracted data without a review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_confirm: Option<bool>,
}

/// An agent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Agent {
    /// Its id.
    #[serde(default)]
    pub id: Option<Uuid>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When it last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    /// Its name.
    pub name: String,
    /// Whether it is in use.
    pub status: AgentStatus,
    /// Whether extracted data is confirmed without a review.
    pub auto_confirm: bool,
    /// What it is for.
    #[serde(default)]
    pub description: String,
    /// Its email trigger.
    pub email_trigger: EmailAgentTrigger,
    /// The data it extracts.
    #[serde(default)]
    pub data_schema: Option<JsonSchema>,
    /// Where confirmed data goes.
    #[serde(deserialize_with = "destinations")]
    pub data_destinations: Vec<DataDestination>,
    /// Its workspace.
    pub workspace_id: Uuid,
    /// Its folder in the workspace's files.
    #[serde(default)]
    pub folder_path: Option<String>,
}

/// The query of [`Agents::list_agents`]: filters (none for all), paging and whether to
/// count.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ListAgentsQuery {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    agent_id: Vec<Uuid>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    workspace_id: Vec<Uuid>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    status: Vec<AgentStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    expand: Vec<&'static str>,
}

impl ListAgentsQuery {
    /// No filter: all that the caller may see, the server's paging.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only these agents.
    pub fn agents(mut self, values: impl IntoIterator<Item = Uuid>) -> Self {
        self.agent_id = values.into_iter().collect();
        self
    }

    /// Only agents of these workspaces.
    pub fn workspaces(mut self, values: impl IntoIterator<Item = Uuid>) -> Self {
        self.workspace_id = values.into_iter().collect();
        self
    }

    /// Only agents in these states.
    pub fn statuses(mut self, values: impl IntoIterator<Item = AgentStatus>) -> Self {
        self.status = values.into_iter().collect();
        self
    }

    /// Skips this many.
    pub fn skip(mut self, skip: u64) -> Self {
        self.skip = Some(skip);
        self
    }
    /// At most this many agents, 1 to 100.
    pub fn limit(mut self, limit: u32) -> Result<Self, Error> {
        self.limit = Some(crate::common::check_limit(limit, 100)?);
        Ok(self)
    }

    /// Asks for `total_count` (accurate up to 100).
    pub fn with_total_count(mut self) -> Self {
        self.expand = vec!["total_count"];
        self
    }
}

/// One page of [`Agent`]s.
pub type AgentsListResponse = crate::ListResponse<Agent>;

impl ListAgentsQuery {
    /// `skip` advanced past the agents seen, while the page says `hasMore`.
    const PAGING: Offset<Self, AgentsListResponse, Agent> = Offset::new(
        |query| query.skip,
        Self::skip,
        |page| page.data,
        More::HasMore(|page| page.has_more),
    );
}

/// A template to create agents from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentTemplate {
    /// Its id, for [`AgentCreateCommand::new`].
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it is for.
    #[serde(default)]
    pub description: String,
    /// Its URL.
    pub url: Url,
    /// When it last changed.
    pub last_modified: DateTime<Utc>,
}

/// The response of [`Agents::list_agent_templates`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListAgentTemplatesResponse {
    /// The templates.
    pub data: Vec<AgentTemplate>,
}
