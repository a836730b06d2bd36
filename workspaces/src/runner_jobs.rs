//! Operations tagged `runner-jobs`: what a runner calls to take, keep and finish jobs
//! (snake_case on the wire).

use askui_runtime::{Error, askui_endpoint, askui_endpoints};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::access_tokens::TokenSecret;
use crate::schedules::RunnerHost;

/// The runner's side of jobs: lease one, ping while running it, complete it.
#[cfg_attr(feature = "blocking", askui_endpoints(blocking))]
#[cfg_attr(not(feature = "blocking"), askui_endpoints)]
pub trait RunnerJobs: AsRef<askui_runtime::Client> {
    /// Lease: takes the next job for this runner, or `None` (JSON `null`) when there is none.
    ///
    /// Operation `lease_api_v1_runner_jobs_lease_post`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(post, "/api/v1/runner-jobs/lease")]
    async fn lease(
        &self,
        #[query] runner_host: RunnerHost,
        #[query] runner_id: &str,
        #[query] workspace_id: Option<Uuid>,
        #[query] tags: &[&str],
    ) -> Result<Option<LeaseRunnerJobResponseDto>, Error>;

    /// Ping: keeps a leased job, whose `ack` identifies it, and says whether to cancel it.
    ///
    /// Operation `ping_api_v1_runner_jobs_ping_post`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(post, "/api/v1/runner-jobs/ping")]
    async fn ping(&self, #[query] ack: &str) -> Result<PingRunnerJobResponseDto, Error>;

    /// Complete: reports how a leased job ended (204).
    ///
    /// Operation `complete_api_v1_runner_jobs_complete_post`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(post, "/api/v1/runner-jobs/complete")]
    async fn complete(
        &self,
        #[query] ack: &str,
        body: &CompleteRunnerJobRequestDto,
    ) -> Result<(), Error>;
}

impl RunnerJobs for askui_runtime::Client {}

#[cfg(feature = "blocking")]
impl BlockingRunnerJobs for askui_runtime::blocking::Client {}

/// The state of a job. Values the API adds later read as [`RunnerJobStatus::Unknown`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum RunnerJobStatus {
    /// Waiting for a runner.
    Pending,
    /// Leased and running.
    Running,
    /// Passed.
    Passed,
    /// Failed.
    Failed,
    /// Canceled.
    Canceled,
    /// Given up after too many tries.
    MaxRetriesExceeded,
    /// A status this client does not know yet.
    #[serde(other, skip_serializing)]
    Unknown,
}

/// A leased job.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LeaseRunnerJobResponseDto {
    /// The job's id.
    pub id: String,
    /// The lease's handle, for [`RunnerJobs::ping`] and [`RunnerJobs::complete`].
    pub ack: String,
    /// Its state.
    pub status: RunnerJobStatus,
    /// Until when the lease holds without a ping.
    pub visible: DateTime<Utc>,
    /// The runner holding it.
    pub runner_id: String,
    /// How often it has been tried.
    pub tries: i64,
    /// What to run, and how.
    pub data: LeaseRunnerJobResponseDtoData,
}

/// What a leased job runs.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LeaseRunnerJobResponseDtoData {
    /// The credentials the run uses.
    pub credentials: LeaseRunnerJobResponseDtoDataCredentials,
    /// Workflow paths, or `null` (always sent).
    pub workflows: Option<Vec<String>>,
    /// Where schedule results go.
    pub schedule_results_api_url: String,
    /// Where results go.
    pub results_api_url: String,
    /// Where workflows come from.
    pub workflows_api_url: String,
    /// The inference API.
    pub inference_api_url: String,
    /// Free-form data of the schedule.
    #[serde(default)]
    pub data: Map<String, Value>,
}

/// The credentials of a leased job; the token is a [`TokenSecret`], never shown by `Debug`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LeaseRunnerJobResponseDtoDataCredentials {
    /// The workspace the job runs in.
    pub workspace_id: String,
    /// A token for the run.
    pub access_token: TokenSecret,
}

/// The response of [`RunnerJobs::ping`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PingRunnerJobResponseDto {
    /// The lease's new end.
    pub visible: DateTime<Utc>,
    /// Whether the runner should cancel the job.
    pub cancel_job: bool,
}

/// How a job ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CompletedStatus {
    /// Canceled.
    Canceled,
    /// Failed.
    Failed,
    /// Passed.
    Passed,
}

/// The request of [`RunnerJobs::complete`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompleteRunnerJobRequestDto {
    /// How the job ended.
    pub status: CompletedStatus,
}
