//! Operations tagged `agent-executions`: an agent's runs on uploaded documents.

use std::collections::BTreeMap;

use askui_runtime::paging::{self, More, Offset};
use askui_runtime::{Error, IntoMultipart, Multipart, Part, askui_endpoint, askui_endpoints};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// Agent executions: start one on documents, list them, review, confirm or cancel them.
#[cfg_attr(feature = "blocking", askui_endpoints(blocking))]
#[cfg_attr(not(feature = "blocking"), askui_endpoints)]
pub trait AgentExecutions: AsRef<askui_runtime::Client> {
    /// List Agent Executions matching `query`, most recently updated first, a page at a time.
    ///
    /// Operation `list_agent_executions_api_v1_agent_executions_get`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(get, "/api/v1/agent-executions")]
    async fn list_agent_executions(
        &self,
        #[query(flatten)] query: &ListAgentExecutionsQuery,
    ) -> Result<AgentExecutionsListResponse, Error>;

    /// Create Agent Execution: runs the agent on `input_files` (at most 100 MiB in all,
    /// streamed; 201).
    ///
    /// Operation `create_agent_execution_api_v1_agent_executions_post`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(post, "/api/v1/agent-executions", timeout = "10m")]
    async fn create_agent_execution(
        &self,
        #[query] agent_id: Uuid,
        #[multipart] input_files: InputFiles,
    ) -> Result<AgentExecution, Error>;

    /// Update Agent Execution: review, confirm or cancel it, or record its deliveries.
    ///
    /// Operation `update_agent_execution_api_v1_agent_executions__agent_execution_id__patch`.
    ///
    /// Errors: 400, 404, 409 and 422, all without a body.
    #[askui_endpoint(patch, "/api/v1/agent-executions/{agent_execution_id}")]
    async fn update_agent_execution(
        &self,
        agent_execution_id: Uuid,
        body: &AgentExecutionUpdateCommand,
    ) -> Result<AgentExecution, Error>;

    /// Every execution matching `query`, page after page
    /// ([`list_agent_executions`](Self::list_agent_executions) with `skip` advanced while
    /// `has_more`). Pages are fetched as the stream is read.
    fn all_agent_executions(
        &self,
        query: ListAgentExecutionsQuery,
    ) -> impl futures_core::Stream<Item = Result<AgentExecution, Error>> + Send + '_
    where
        Self: Sync,
    {
        paging::stream(
            ListAgentExecutionsQuery::PAGING,
            query,
            move |page| async move { self.list_agent_executions(&page).await },
        )
    }
}

impl AgentExecutions for askui_runtime::Client {}

#[cfg(feature = "blocking")]
impl BlockingAgentExecutions for askui_runtime::blocking::Client {}

/// The paging helper of [`AgentExecutions`] for blocking clients: implemented for every
/// [`BlockingAgentExecutions`] (`askui_runtime::blocking::Client` among them).
#[cfg(feature = "blocking")]
pub trait BlockingAgentExecutionsExt: BlockingAgentExecutions {
    /// [`AgentExecutions::all_agent_executions`] for blocking code: every execution matching
    /// `query`, page after page, as an `Iterator` that calls
    /// [`list_agent_executions`](BlockingAgentExecutions::list_agent_executions) for the next
    /// page as it is advanced. It ends after the first error.
    fn all_agent_executions(
        &self,
        query: ListAgentExecutionsQuery,
    ) -> impl Iterator<Item = Result<AgentExecution, Error>> + Send + '_
    where
        Self: Sync,
    {
        paging::iter(ListAgentExecutionsQuery::PAGING, query, |page| {
            self.list_agent_executions(page)
        })
    }
}

#[cfg(feature = "blocking")]
impl<T: BlockingAgentExecutions + ?Sized> BlockingAgentExecutionsExt for T {}

/// The documents of [`AgentExecutions::create_agent_execution`]: at least one, each sent as
/// a multipart part `input_files`.
///
/// ```
/// use askui_workspaces::agent_executions::InputFiles;
/// use askui_runtime::Part;
///
/// let files = InputFiles::path("invoice-1.pdf")
///     .and(Part::bytes(b"%PDF-1.7".to_vec()).file_name("invoice-2.pdf").content_type("application/pdf"));
/// ```
pub struct InputFiles(Vec<Part>);

impl InputFiles {
    /// The file at `path` (opened when the call is sent).
    pub fn path(path: impl Into<std::path::PathBuf>) -> Self {
        InputFiles(vec![Part::path(path)])
    }

    /// Any part: bytes, a reader or a stream, with a file name and content type.
    pub fn part(part: Part) -> Self {
        InputFiles(vec![part])
    }

    /// One more file.
    pub fn and(mut self, part: Part) -> Self {
        self.0.push(part);
        self
    }

    /// One more file from a path.
    pub fn and_path(self, path: impl Into<std::path::PathBuf>) -> Self {
        self.and(Part::path(path))
    }
}

impl IntoMultipart for InputFiles {
    fn into_multipart(self) -> Multipart {
        self.0.into_iter().fold(Multipart::new(), |form, part| {
            form.part("input_files", part)
        })
    }
}

/// Where an execution is. Values the API adds later read as [`AgentExecutionStatus::Unknown`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum AgentExecutionStatus {
    /// Waiting for input files.
    PendingInputs,
    /// Extracting data.
    PendingDataExtraction,
    /// Waiting for a review.
    PendingReview,
    /// Canceled.
    Canceled,
    /// Confirmed.
    Confirmed,
    /// Delivered to its destinations.
    DeliveredToDestination,
    /// A status this client does not know yet (never send it).
    #[serde(other, skip_serializing)]
    Unknown,
}

/// The state of an execution, by its `status`. States the API adds later read as
/// [`AgentExecutionState::Unknown`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum AgentExecutionState {
    /// Waiting for input files.
    PendingInputs,
    /// Extracting data (also where a failed extraction stays).
    PendingDataExtraction,
    /// Waiting for a review of the extracted data.
    #[serde(rename_all = "camelCase")]
    PendingReview {
        /// The extracted data.
        data_extracted: Map<String, Value>,
    },
    /// Canceled by a user.
    #[serde(rename_all = "camelCase")]
    Canceled {
        /// The data extracted before, if any.
        #[serde(default)]
        data_extracted: Option<Map<String, Value>>,
    },
    /// Confirmed by a user.
    #[serde(rename_all = "camelCase")]
    Confirmed {
        /// The extracted data.
        data_extracted: Map<String, Value>,
        /// The data as confirmed.
        data_confirmed: Map<String, Value>,
    },
    /// Delivered to its destinations.
    #[serde(rename_all = "camelCase")]
    DeliveredToDestination {
        /// The extracted data.
        data_extracted: Map<String, Value>,
        /// The data as confirmed.
        data_confirmed: Map<String, Value>,
        /// What each destination answered.
        #[serde(default, deserialize_with = "deliveries")]
        deliveries: Vec<Delivery>,
    },
    /// A state this client does not know yet.
    #[serde(other, skip_serializing)]
    Unknown,
}

/// What a destination answered to a delivery, by its `type`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Delivery {
    /// An AskUI workflow was scheduled (`ASKUI_WORKFLOW`).
    #[serde(rename = "ASKUI_WORKFLOW", rename_all = "camelCase")]
    AskuiWorkflow {
        /// The schedule that runs it.
        schedule_id: String,
    },
    /// A webhook answered (`WEBHOOK`).
    #[serde(rename = "WEBHOOK")]
    Webhook {
        /// Its answer.
        response: WebhookResponse,
    },
}

/// A webhook's answer to a delivery.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookResponse {
    /// Its status.
    pub status_code: i64,
    /// Its headers.
    pub headers: BTreeMap<String, String>,
    /// Its body.
    pub body: String,
}

/// An agent execution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentExecution {
    /// Its id.
    #[serde(default)]
    pub id: Option<Uuid>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When it last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    /// Its agent.
    pub agent_id: Uuid,
    /// Its workspace.
    pub workspace_id: Uuid,
    /// Where it is.
    #[serde(deserialize_with = "state")]
    pub state: AgentExecutionState,
}

/// The request of [`AgentExecutions::update_agent_execution`], built by what it does; the
/// new state is always sent with its `status`.
///
/// ```
/// use askui_workspaces::agent_executions::AgentExecutionUpdateCommand;
/// use serde_json::json;
///
/// let confirm = AgentExecutionUpdateCommand::confirm(json!({"total": 12.5}).as_object().unwrap().clone())?;
/// assert_eq!(
///     serde_json::to_value(&confirm).unwrap(),
///     json!({"state": {"status": "CONFIRMED", "dataConfirmed": {"total": 12.5}}})
/// );
/// assert!(AgentExecutionUpdateCommand::confirm(Default::default()).is_err(), "at least one property");
/// # Ok::<(), askui_workspaces::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentExecutionUpdateCommand {
    state: UpdateState,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "SCREAMING_SNAKE_CASE")]
enum UpdateState {
    #[serde(rename_all = "camelCase")]
    PendingReview {
        data_extracted: Map<String, Value>,
    },
    Canceled,
    #[serde(rename_all = "camelCase")]
    Confirmed {
        data_confirmed: Map<String, Value>,
    },
    DeliveredToDestination {
        #[serde(skip_serializing_if = "Vec::is_empty")]
        deliveries: Vec<Delivery>,
    },
}

/// A state without its `status` cannot be told apart (two states have no fields): it reads
/// as [`AgentExecutionState::Unknown`].
fn state<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<AgentExecutionState, D::Error> {
    crate::common::tagged_one(deserializer, "status", |_| "")
}

/// Deliveries, also without their `type` (told apart by `response`).
fn deliveries<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Delivery>, D::Error> {
    crate::common::tagged_list(deserializer, "type", |object| {
        if object.contains_key("response") {
            "WEBHOOK"
        } else {
            "ASKUI_WORKFLOW"
        }
    })
}

fn non_empty(field: &'static str, data: Map<String, Value>) -> Result<Map<String, Value>, Error> {
    if data.is_empty() {
        return Err(Error::invalid_argument(
            field,
            "must have at least one property",
        ));
    }
    Ok(data)
}

impl AgentExecutionUpdateCommand {
    /// Hands extracted data (at least one property) over for review.
    pub fn review(data_extracted: Map<String, Value>) -> Result<Self, Error> {
        Ok(Self {
            state: UpdateState::PendingReview {
                data_extracted: non_empty("dataExtracted", data_extracted)?,
            },
        })
    }

    /// Confirms the data (at least one property).
    pub fn confirm(data_confirmed: Map<String, Value>) -> Result<Self, Error> {
        Ok(Self {
            state: UpdateState::Confirmed {
                data_confirmed: non_empty("dataConfirmed", data_confirmed)?,
            },
        })
    }

    /// Cancels the execution.
    pub fn cancel() -> Self {
        Self {
            state: UpdateState::Canceled,
        }
    }

    /// Records that the data was delivered.
    pub fn delivered(deliveries: Vec<Delivery>) -> Self {
        Self {
            state: UpdateState::DeliveredToDestination { deliveries },
        }
    }
}

/// The query of [`AgentExecutions::list_agent_executions`]: filters (none for all), paging
/// and whether to count.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ListAgentExecutionsQuery {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    agent_execution_id: Vec<Uuid>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    agent_id: Vec<Uuid>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    workspace_id: Vec<Uuid>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    status: Vec<AgentExecutionStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    expand: Vec<&'static str>,
}

impl ListAgentExecutionsQuery {
    /// No filter: all that the caller may see, the server's paging.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only these executions.
    pub fn executions(mut self, values: impl IntoIterator<Item = Uuid>) -> Self {
        self.agent_execution_id = values.into_iter().collect();
        self
    }

    /// Only executions of these agents.
    pub fn agents(mut self, values: impl IntoIterator<Item = Uuid>) -> Self {
        self.agent_id = values.into_iter().collect();
        self
    }

    /// Only executions in these workspaces.
    pub fn workspaces(mut self, values: impl IntoIterator<Item = Uuid>) -> Self {
        self.workspace_id = values.into_iter().collect();
        self
    }

    /// Only executions in these states.
    pub fn statuses(mut self, values: impl IntoIterator<Item = AgentExecutionStatus>) -> Self {
        self.status = values.into_iter().collect();
        self
    }

    /// Skips this many.
    pub fn skip(mut self, skip: u64) -> Self {
        self.skip = Some(skip);
        self
    }
    /// At most this many executions, 1 to 100.
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

/// One page of [`AgentExecution`]s.
pub type AgentExecutionsListResponse = crate::ListResponse<AgentExecution>;

impl ListAgentExecutionsQuery {
    /// `skip` advanced past the executions seen, while the page says `hasMore`.
    const PAGING: Offset<Self, AgentExecutionsListResponse, AgentExecution> = Offset::new(
        |query| query.skip,
        Self::skip,
        |page| page.data,
        More::HasMore(|page| page.has_more),
    );
}
