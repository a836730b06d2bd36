//! Operations tagged `runs` (snake_case on the wire).

use askui_runtime::{Error, askui_endpoint, askui_endpoints};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::schedules::{RunTemplate, ScheduleResponseDto};

/// Runs of scheduled workflows.
#[cfg_attr(feature = "blocking", askui_endpoints(blocking))]
#[cfg_attr(not(feature = "blocking"), askui_endpoints)]
pub trait Runs: AsRef<askui_runtime::Client> {
    /// List Runs of a workspace.
    ///
    /// Operation `list_runs_api_v1_workspaces__workspace_id__runs_get`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(get, "/api/v1/workspaces/{workspace_id}/runs")]
    async fn list_runs(&self, workspace_id: Uuid) -> Result<ListRunsResponseDto, Error>;
}

impl Runs for askui_runtime::Client {}

#[cfg(feature = "blocking")]
impl BlockingRuns for askui_runtime::blocking::Client {}

/// The state of a run. Values the API adds later read as [`RunStatus::Unknown`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum RunStatus {
    /// Not started yet.
    Upcoming,
    /// Waiting for a runner.
    Pending,
    /// Running.
    Running,
    /// Skipped.
    Skipped,
    /// Skipped: no workflow to run.
    SkippedNothingToRun,
    /// Passed; the report is not in yet.
    PassedNotYetReported,
    /// Failed; the report is not in yet.
    FailedNotYetReported,
    /// Passed.
    Passed,
    /// Failed.
    Failed,
    /// Canceled.
    Canceled,
    /// Suspended with its schedule.
    Suspended,
    /// A status this client does not know yet.
    #[serde(other, skip_serializing)]
    Unknown,
}

/// The response of [`Runs::list_runs`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListRunsResponseDto {
    /// The runs.
    pub data: Vec<RunResponseDto>,
}

/// One run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResponseDto {
    /// The schema version.
    #[serde(default)]
    pub version: Option<String>,
    /// The run's id.
    #[serde(default)]
    pub id: Option<String>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// Its name.
    pub name: String,
    /// Its state.
    #[serde(default = "upcoming")]
    pub status: RunStatus,
    /// When it is to start.
    pub to_be_started_at: DateTime<Utc>,
    /// When it started, if it has.
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    /// Its schedule's id.
    pub schedule_id: String,
    /// What it executes.
    pub template: RunTemplate,
    /// When it ended, if it has.
    #[serde(default)]
    pub ended_at: Option<DateTime<Utc>>,
    /// Its number within the schedule.
    pub no: i64,
    /// Its schedule.
    pub schedule: ScheduleResponseDto,
}

fn upcoming() -> RunStatus {
    RunStatus::Upcoming
}
