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
//! Every list operation of the document that pages has an `all_*` that walks all its pages,
//! fetching the next page only when the last one is used up, and ending after the first
//! error: a `Stream` on the async traits and, with the `blocking` feature, an `Iterator` on
//! the blocking twins through the `Blocking*Ext` traits (implemented for every
//! `BlockingAgents`, …, so `askui_runtime::blocking::Client` too). How each list pages is
//! declared once, next to its query, as an [`askui_runtime::paging`] value:
//!
//! | list | `all_*` | paging |
//! |---|---|---|
//! | `GET /api/v1/agents` | [`all_agents`](agents::Agents::all_agents), `BlockingAgentsExt` | `skip`/`limit`, while `hasMore` |
//! | `GET /api/v1/agent-executions` | [`all_agent_executions`](agent_executions::AgentExecutions::all_agent_executions), `BlockingAgentExecutionsExt` | `skip`/`limit`, while `hasMore` |
//! | `GET /api/v1/access-tokens` | [`all_access_tokens`](access_tokens::AccessTokens::all_access_tokens), `BlockingAccessTokensExt` | `skip`/`limit`, while pages come back full (no `hasMore`) |
//! | `GET /api/v1/files` | [`all_files`](files::Files::all_files), `BlockingFilesExt` | `continuation_token`, from `nextContinuationToken` |
//!
//! `totalCount`, which `agents` and `agent-executions` answer when asked
//! (`with_total_count`), is not what ends their walks: it is optional and accurate only up to
//! 100, while `hasMore` is always sent.
//!
//! The other list operations take no paging parameter and answer every item at once, so
//! they have no `all_*`: `list_agent_templates`, `list_user_invites`, `list_invites`,
//! `list_workspace_access_tokens`, `list_workspace_memberships` and the deprecated
//! `list_user_workspace_memberships`, `list_runs`, `list_prices`, and
//! `aggregate_usage_events`, whose description mentions `starting_after`, `has_more` and
//! `total_count` although neither its parameters nor its answer
//! (`UsageEventsAggregateResponse`) have them.
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
