//! A typed client for the [AskUI Workspaces API](https://workspaces.askui.com/docs),
//! version 0.2.15, written with `#[askui_endpoint]` exactly as any client crate would be.
//!
//! ```no_run
//! use askui_workspaces::billing::{Billing, CreateCustomerPortalSessionRequestDto};
//! use askui_workspaces::Client;
//!
//! # async fn run(workspace_id: uuid::Uuid) -> Result<(), askui_workspaces::Error> {
//! let client = askui_workspaces::from_env()?; // ASKUI_TOKEN, ASKUI_WORKSPACES_ENDPOINT
//! let body = CreateCustomerPortalSessionRequestDto::new("https://example.com/account")?;
//! let session = client.create_customer_portal_session(workspace_id, &body).await?;
//! println!("{}", session.session_url);
//! # Ok(()) }
//! ```
//!
//! # Paged lists
//!
//! `all_agents`, `all_agent_executions`, `all_access_tokens` (`skip`/`limit`) and
//! `all_files` (continuation tokens) walk every page of a list, fetching the next page only
//! when the last one is used up, and end after the first error: a `Stream` on the async
//! traits ([`Agents::all_agents`](agents::Agents::all_agents), …) and, with the `blocking`
//! feature, an `Iterator` on the blocking twins through `BlockingAgentsExt`,
//! `BlockingAgentExecutionsExt`, `BlockingAccessTokensExt` and `BlockingFilesExt`
//! (implemented for every `BlockingAgents`, …, so `askui_runtime::blocking::Client` too).
//!
//! # Downloading files
//!
//! The signed URLs of a file listing download without writing any HTTP code:
//! `FileDto::download` (see [`files`]).

#![deny(missing_docs)]

pub mod access_tokens;
pub mod agent_executions;
pub mod agents;
pub mod analytics;
pub mod auth;
pub mod billing;
pub mod dashboard;
pub mod files;
pub mod invites;
pub mod runner_jobs;
pub mod runs;
pub mod schedules;
pub mod tools;
pub mod workspace_memberships;
pub mod workspaces;

mod common;
mod connect;
mod paging;

pub use common::{Email, ListResponse};
pub use connect::{BASE_URL, access_token, builder_from_env, env, from_env};

pub use askui_runtime::{Auth, Client, ClientBuilder, Error, ErrorKind, StatusCode};
/// The date-time type of the API types: `chrono::DateTime<Utc>`.
pub use chrono::{self, DateTime, Utc};
/// The versions of these crates that the API types use.
pub use url::{self, Url};
pub use uuid::{self, Uuid};

/// Every operation of the client, trait by trait in the document's tag order: what tools and
/// the conformance tests walk (`<Client as Trait>::ENDPOINTS` of each trait, concatenated).
pub fn endpoints() -> Vec<askui_runtime::Endpoint> {
    [
        <Client as billing::Billing>::ENDPOINTS,
        <Client as access_tokens::AccessTokens>::ENDPOINTS,
        <Client as auth::Authentication>::ENDPOINTS,
        <Client as analytics::Analytics>::ENDPOINTS,
        <Client as dashboard::Dashboard>::ENDPOINTS,
        <Client as runs::Runs>::ENDPOINTS,
        <Client as schedules::Schedules>::ENDPOINTS,
        <Client as tools::Tools>::ENDPOINTS,
        <Client as invites::Invites>::ENDPOINTS,
        <Client as workspaces::Workspaces>::ENDPOINTS,
        <Client as workspace_memberships::WorkspaceMemberships>::ENDPOINTS,
        <Client as files::Files>::ENDPOINTS,
        <Client as runner_jobs::RunnerJobs>::ENDPOINTS,
        <Client as agents::Agents>::ENDPOINTS,
        <Client as agent_executions::AgentExecutions>::ENDPOINTS,
    ]
    .concat()
}
