//! The floor: ten operations of the AskUI Workspaces API written by hand with reqwest, the
//! way a careful developer writes a client without a generator or a macro. The DTOs are
//! `askui-workspaces`' own (the same types on both sides of the comparison); the requests,
//! the query encoding, the status check and the error mapping are written here.
//!
//! Compiled by `benches/compile/run` in a crate under /tmp; never part of the workspace.

use std::fmt;
use std::time::Duration;

use askui_workspaces::agent_executions::AgentExecution;
use askui_workspaces::agents::{Agent, AgentCreateCommand, AgentStatus, AgentsListResponse};
use askui_workspaces::billing::{
    CreateCustomerPortalSessionRequestDto, CreateCustomerPortalSessionResponseDto,
    ListPricesResponseDto,
};
use askui_workspaces::dashboard::UsageEventsAggregateResponse;
use askui_workspaces::files::{FilesListResponseDto, UploadFileResponse};
use askui_workspaces::runner_jobs::LeaseRunnerJobResponseDto;
use askui_workspaces::schedules::RunnerHost;
use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::header::{ACCEPT, AUTHORIZATION};
use reqwest::multipart::{Form, Part};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;
use uuid::Uuid;

/// A client of the AskUI Workspaces API.
pub struct Client {
    http: reqwest::Client,
    base: Url,
    authorization: String,
}

/// What a call can fail with.
#[derive(Debug)]
pub enum Error {
    /// An argument that cannot be sent (an empty or dot path segment).
    InvalidArgument(&'static str),
    /// Connecting, sending or reading failed.
    Transport(reqwest::Error),
    /// A non-2xx answer, with FastAPI's `detail` when the body has one.
    Status {
        status: StatusCode,
        detail: Option<String>,
        body: String,
    },
    /// A 2xx answer whose body is not the expected JSON.
    Decode(serde_json::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidArgument(name) => write!(f, "invalid argument `{name}`"),
            Error::Transport(error) => write!(f, "transport error: {error}"),
            Error::Status {
                status,
                detail: Some(detail),
                ..
            } => write!(f, "{status}: {detail}"),
            Error::Status { status, .. } => write!(f, "{status}"),
            Error::Decode(error) => write!(f, "unexpected response body: {error}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Self {
        Error::Transport(error)
    }
}

/// FastAPI's error bodies: `{"detail": "…"}` or `{"detail": [{"msg": "…", …}]}`.
#[derive(Deserialize)]
struct ErrorBody {
    detail: Detail,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Detail {
    Text(String),
    List(Vec<DetailItem>),
}

#[derive(Deserialize)]
struct DetailItem {
    msg: String,
}

/// `GET /api/v1/agents`: the filters, each repeated per value.
#[derive(Default)]
pub struct ListAgents {
    pub agent_id: Vec<Uuid>,
    pub workspace_id: Vec<Uuid>,
    pub status: Vec<AgentStatus>,
    pub skip: Option<u64>,
    pub limit: Option<u32>,
    pub total_count: bool,
}

/// `GET /api/v1/files`.
#[derive(Default)]
pub struct ListFiles {
    pub prefix: String,
    pub delimiter: Option<String>,
    pub limit: Option<u32>,
    pub continuation_token: Option<String>,
    pub with_urls: bool,
}

type Query = Vec<(&'static str, String)>;

impl Client {
    pub fn new(base: Url, authorization: String) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()?;
        Ok(Client {
            http,
            base,
            authorization,
        })
    }

    fn url(&self, segments: &[&str]) -> Result<Url, Error> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| Error::InvalidArgument("base"))?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    fn request(&self, method: Method, url: Url) -> RequestBuilder {
        self.http
            .request(method, url)
            .header(AUTHORIZATION, &self.authorization)
            .header(ACCEPT, "application/json")
    }

    /// Sends and turns a non-2xx answer into `Error::Status`.
    async fn send(&self, request: RequestBuilder) -> Result<Response, Error> {
        let response = request.send().await?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body = response.text().await.unwrap_or_default();
        let detail =
            serde_json::from_str::<ErrorBody>(&body)
                .ok()
                .map(|error| match error.detail {
                    Detail::Text(text) => text,
                    Detail::List(items) => items
                        .into_iter()
                        .map(|item| item.msg)
                        .collect::<Vec<_>>()
                        .join("; "),
                });
        Err(Error::Status {
            status,
            detail,
            body,
        })
    }
}

/// Reads a JSON body; an empty one (204) reads as `null`.
async fn json<T: DeserializeOwned>(response: Response) -> Result<T, Error> {
    let bytes = response.bytes().await?;
    let bytes: &[u8] = if bytes.is_empty() { b"null" } else { &bytes };
    serde_json::from_slice(bytes).map_err(Error::Decode)
}

/// `a/b/c.png` as path segments, refusing empty and dot segments.
fn rest_segments(path: &str) -> Result<Vec<&str>, Error> {
    let segments: Vec<&str> = path.split('/').collect();
    if segments
        .iter()
        .any(|s| s.is_empty() || *s == "." || *s == "..")
    {
        return Err(Error::InvalidArgument("file_path"));
    }
    Ok(segments)
}

fn wire_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

impl Client {
    /// `POST /api/v1/workspaces/{workspace_id}/billing/customer-portal-session`
    pub async fn create_customer_portal_session(
        &self,
        workspace_id: Uuid,
        body: &CreateCustomerPortalSessionRequestDto,
    ) -> Result<CreateCustomerPortalSessionResponseDto, Error> {
        let id = workspace_id.to_string();
        let url = self.url(&[
            "api",
            "v1",
            "workspaces",
            &id,
            "billing",
            "customer-portal-session",
        ])?;
        let response = self
            .send(self.request(Method::POST, url).json(body))
            .await?;
        json(response).await
    }

    /// `GET /api/v1/workspaces/{workspace_id}/billing/prices`
    pub async fn list_prices(&self, workspace_id: Uuid) -> Result<ListPricesResponseDto, Error> {
        let id = workspace_id.to_string();
        let url = self.url(&["api", "v1", "workspaces", &id, "billing", "prices"])?;
        let response = self.send(self.request(Method::GET, url)).await?;
        json(response).await
    }

    /// `GET /api/v1/agents`
    pub async fn list_agents(&self, query: &ListAgents) -> Result<AgentsListResponse, Error> {
        let url = self.url(&["api", "v1", "agents"])?;
        let mut pairs = Query::new();
        pairs.extend(query.agent_id.iter().map(|id| ("agent_id", id.to_string())));
        pairs.extend(
            query
                .workspace_id
                .iter()
                .map(|id| ("workspace_id", id.to_string())),
        );
        pairs.extend(
            query
                .status
                .iter()
                .map(|status| ("status", wire_name(status))),
        );
        if let Some(skip) = query.skip {
            pairs.push(("skip", skip.to_string()));
        }
        if let Some(limit) = query.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if query.total_count {
            pairs.push(("expand", "total_count".to_owned()));
        }
        let response = self
            .send(self.request(Method::GET, url).query(&pairs))
            .await?;
        json(response).await
    }

    /// `POST /api/v1/agents`
    pub async fn create_agent(&self, body: &AgentCreateCommand) -> Result<Agent, Error> {
        let url = self.url(&["api", "v1", "agents"])?;
        let response = self
            .send(self.request(Method::POST, url).json(body))
            .await?;
        json(response).await
    }

    /// `POST /api/v1/agent-executions?agent_id=…`, the files as `input_files` parts.
    pub async fn create_agent_execution(
        &self,
        agent_id: Uuid,
        input_files: Vec<Part>,
    ) -> Result<AgentExecution, Error> {
        let url = self.url(&["api", "v1", "agent-executions"])?;
        let form = input_files
            .into_iter()
            .fold(Form::new(), |form, part| form.part("input_files", part));
        let request = self
            .request(Method::POST, url)
            .query(&[("agent_id", agent_id.to_string())])
            .timeout(Duration::from_secs(600))
            .multipart(form);
        let response = self.send(request).await?;
        json(response).await
    }

    /// `PUT /api/v1/files/{file_path}`, the file as the `file` part.
    pub async fn upload_file(
        &self,
        file_path: &str,
        strict: Option<bool>,
        file: Part,
        timeout: Option<Duration>,
    ) -> Result<UploadFileResponse, Error> {
        let mut segments = vec!["api", "v1", "files"];
        segments.extend(rest_segments(file_path)?);
        let url = self.url(&segments)?;
        let mut pairs = Query::new();
        if let Some(strict) = strict {
            pairs.push(("strict", strict.to_string()));
        }
        let request = self
            .request(Method::PUT, url)
            .query(&pairs)
            .timeout(timeout.unwrap_or(Duration::from_secs(3600)))
            .multipart(Form::new().part("file", file));
        let response = self.send(request).await?;
        json(response).await
    }

    /// `DELETE /api/v1/files/{file_path}`: 204.
    pub async fn delete_file(&self, file_path: &str) -> Result<(), Error> {
        let mut segments = vec!["api", "v1", "files"];
        segments.extend(rest_segments(file_path)?);
        let url = self.url(&segments)?;
        self.send(self.request(Method::DELETE, url)).await?;
        Ok(())
    }

    /// `DELETE /api/v1/access-tokens/{token_id}`: 204.
    pub async fn delete_access_token(&self, token_id: Uuid) -> Result<(), Error> {
        let id = token_id.to_string();
        let url = self.url(&["api", "v1", "access-tokens", &id])?;
        self.send(self.request(Method::DELETE, url)).await?;
        Ok(())
    }

    /// `GET /api/v1/dashboard/usage`
    pub async fn aggregate_usage_events(
        &self,
        workspace_ids: &[Uuid],
        start_time: DateTime<Utc>,
        end_time: DateTime<Utc>,
        user_ids: Option<&[String]>,
    ) -> Result<UsageEventsAggregateResponse, Error> {
        let url = self.url(&["api", "v1", "dashboard", "usage"])?;
        let mut pairs = Query::new();
        pairs.extend(
            workspace_ids
                .iter()
                .map(|id| ("workspace_ids", id.to_string())),
        );
        pairs.push((
            "start_time",
            start_time.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        ));
        pairs.push((
            "end_time",
            end_time.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        ));
        for id in user_ids.unwrap_or_default() {
            pairs.push(("user_ids", id.clone()));
        }
        let response = self
            .send(self.request(Method::GET, url).query(&pairs))
            .await?;
        json(response).await
    }

    /// `GET /api/v1/files`
    pub async fn list_files(&self, query: &ListFiles) -> Result<FilesListResponseDto, Error> {
        let url = self.url(&["api", "v1", "files"])?;
        let mut pairs: Query = vec![("prefix", query.prefix.clone())];
        if let Some(delimiter) = &query.delimiter {
            pairs.push(("delimiter", delimiter.clone()));
        }
        if let Some(limit) = query.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if let Some(token) = &query.continuation_token {
            pairs.push(("continuation_token", token.clone()));
        }
        if query.with_urls {
            pairs.push(("expand", "url".to_owned()));
        }
        let response = self
            .send(self.request(Method::GET, url).query(&pairs))
            .await?;
        json(response).await
    }

    /// `POST /api/v1/runner-jobs/lease`: a job, or `null` when there is none.
    pub async fn lease(
        &self,
        runner_host: RunnerHost,
        runner_id: &str,
        workspace_id: Option<Uuid>,
        tags: &[&str],
    ) -> Result<Option<LeaseRunnerJobResponseDto>, Error> {
        let url = self.url(&["api", "v1", "runner-jobs", "lease"])?;
        let mut pairs: Query = vec![
            ("runner_host", wire_name(&runner_host)),
            ("runner_id", runner_id.to_owned()),
        ];
        if let Some(id) = workspace_id {
            pairs.push(("workspace_id", id.to_string()));
        }
        pairs.extend(tags.iter().map(|tag| ("tags", (*tag).to_owned())));
        let response = self
            .send(self.request(Method::POST, url).query(&pairs))
            .await?;
        json(response).await
    }
}
