//! The same ten operations as `hand.rs`, declared with `#[askui_endpoint]` exactly as
//! `askui-workspaces` declares them, on the same DTOs, in a trait with `#[askui_endpoints]` as
//! its traits have (since issue 16: each call built in a nested plain fn of this crate).
//!
//! Compiled by `benches/compile/run` in a crate under /tmp; never part of the workspace.

use askui_runtime::{CallOptions, Client, Error, askui_endpoint, askui_endpoints};
use askui_workspaces::agent_executions::{AgentExecution, InputFiles};
use askui_workspaces::agents::{Agent, AgentCreateCommand, AgentsListResponse, ListAgentsQuery};
use askui_workspaces::billing::{
    CreateCustomerPortalSessionRequestDto, CreateCustomerPortalSessionResponseDto,
    ListPricesResponseDto,
};
use askui_workspaces::dashboard::{UsageEventsAggregateResponse, UsageQuery};
use askui_workspaces::files::{
    FilesListResponseDto, ListFilesQuery, UploadFile, UploadFileResponse,
};
use askui_workspaces::runner_jobs::LeaseRunnerJobResponseDto;
use askui_workspaces::schedules::RunnerHost;
use uuid::Uuid;

#[askui_endpoints]
pub trait Sample: AsRef<Client> {
    #[askui_endpoint(
        post,
        "/api/v1/workspaces/{workspace_id}/billing/customer-portal-session"
    )]
    async fn create_customer_portal_session(
        &self,
        workspace_id: Uuid,
        body: &CreateCustomerPortalSessionRequestDto,
    ) -> Result<CreateCustomerPortalSessionResponseDto, Error>;

    #[askui_endpoint(get, "/api/v1/workspaces/{workspace_id}/billing/prices")]
    async fn list_prices(&self, workspace_id: Uuid) -> Result<ListPricesResponseDto, Error>;

    #[askui_endpoint(get, "/api/v1/agents")]
    async fn list_agents(
        &self,
        #[query(flatten)] query: &ListAgentsQuery,
    ) -> Result<AgentsListResponse, Error>;

    #[askui_endpoint(post, "/api/v1/agents")]
    async fn create_agent(&self, body: &AgentCreateCommand) -> Result<Agent, Error>;

    #[askui_endpoint(post, "/api/v1/agent-executions", timeout = "10m")]
    async fn create_agent_execution(
        &self,
        #[query] agent_id: Uuid,
        #[multipart] input_files: InputFiles,
    ) -> Result<AgentExecution, Error>;

    #[askui_endpoint(put, "/api/v1/files/<file_path..>", timeout = "1h")]
    async fn upload_file(
        &self,
        file_path: &str,
        #[query] strict: Option<bool>,
        #[multipart] file: UploadFile,
        #[options] options: Option<&CallOptions>,
    ) -> Result<UploadFileResponse, Error>;

    #[askui_endpoint(delete, "/api/v1/files/<file_path..>")]
    async fn delete_file(&self, file_path: &str) -> Result<(), Error>;

    #[askui_endpoint(delete, "/api/v1/access-tokens/{token_id}")]
    async fn delete_access_token(&self, token_id: Uuid) -> Result<(), Error>;

    #[askui_endpoint(get, "/api/v1/dashboard/usage")]
    async fn aggregate_usage_events(
        &self,
        #[query(flatten)] query: &UsageQuery,
    ) -> Result<UsageEventsAggregateResponse, Error>;

    #[askui_endpoint(get, "/api/v1/files")]
    async fn list_files(
        &self,
        #[query(flatten)] query: &ListFilesQuery,
    ) -> Result<FilesListResponseDto, Error>;

    #[askui_endpoint(post, "/api/v1/runner-jobs/lease")]
    async fn lease(
        &self,
        #[query] runner_host: RunnerHost,
        #[query] runner_id: &str,
        #[query] workspace_id: Option<Uuid>,
        #[query] tags: &[&str],
    ) -> Result<Option<LeaseRunnerJobResponseDto>, Error>;
}

impl Sample for Client {}
