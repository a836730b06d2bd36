//! Operations tagged `schedules`, and the run templates schedules and runs share. These DTOs
//! are snake_case on the wire, unlike most of the API.

use askui_runtime::{Error, askui_endpoint, askui_endpoints};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// Schedules of workflow runs.
#[cfg_attr(feature = "blocking", askui_endpoints(blocking))]
#[cfg_attr(not(feature = "blocking"), askui_endpoints)]
pub trait Schedules: AsRef<askui_runtime::Client> {
    /// Create Schedule: runs of workflows, once or on a cron schedule (201).
    ///
    /// Operation `create_schedule_api_v1_workspaces__workspace_id__schedules_post`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(post, "/api/v1/workspaces/{workspace_id}/schedules")]
    async fn create_schedule(
        &self,
        workspace_id: Uuid,
        body: &CreateScheduleRequestDto,
    ) -> Result<CreateScheduleResponseDto, Error>;

    /// Suspend Schedule: no more runs are started (204).
    ///
    /// Operation `suspend_schedule_api_v1_workspaces__workspace_id__schedules__schedule_id__suspend_post`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(
        post,
        "/api/v1/workspaces/{workspace_id}/schedules/{schedule_id}/suspend"
    )]
    async fn suspend_schedule(&self, workspace_id: Uuid, schedule_id: &str) -> Result<(), Error>;
}

impl Schedules for askui_runtime::Client {}

#[cfg(feature = "blocking")]
impl BlockingSchedules for askui_runtime::blocking::Client {}

/// Where runs are executed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RunnerHost {
    /// On the customer's own runners (`SELF`).
    #[serde(rename = "SELF")]
    SelfHosted,
    /// On AskUI's runners (`ASKUI`).
    #[serde(rename = "ASKUI")]
    Askui,
}

/// The state of a schedule. Values the API adds later read as [`ScheduleStatus::Unknown`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ScheduleStatus {
    /// Starts runs.
    Active,
    /// Suspended by a user.
    Suspended,
    /// Ended after its end time or run count.
    Ended,
    /// A status this client does not know yet.
    #[serde(other, skip_serializing)]
    Unknown,
}

crate::common::bounded_name!(
/// A schedule's name: 1 to 63 characters.
    ScheduleName,
    63
);

/// The request of [`Schedules::create_schedule`]. Every field is optional; the server's
/// defaults apply to what is left `None` (a single run, now, on AskUI's runners, named
/// `Unnamed`).
///
/// ```
/// use askui_workspaces::schedules::{CreateScheduleRequestDto, ScheduleName};
///
/// let body = CreateScheduleRequestDto {
///     name: Some(ScheduleName::new("nightly")?),
///     schedule: Some("0 2 * * *".into()),
///     workflows: Some(vec!["workflows/login".into()]),
///     ..Default::default()
/// };
/// assert_eq!(
///     serde_json::to_string(&body).unwrap(),
///     r#"{"name":"nightly","schedule":"0 2 * * *","workflows":["workflows/login"]}"#
/// );
/// # Ok::<(), askui_workspaces::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateScheduleRequestDto {
    /// The schedule's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<ScheduleName>,
    /// Where runs execute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<RunnerHost>,
    /// Which runners may execute the runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runner_ids: Option<Vec<String>>,
    /// Runner tags the runs require.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// When the schedule starts; now if `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<DateTime<Utc>>,
    /// When the schedule ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<DateTime<Utc>>,
    /// After how many completed runs the schedule ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_after: Option<i64>,
    /// A cron expression; a single run if `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    /// Workflow paths or prefixes, relative to the workspace root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflows: Option<Vec<String>>,
    /// Free-form data handed to the runner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Map<String, Value>>,
}

/// What a run executes, and where.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunTemplate {
    /// The workspace.
    pub workspace_id: String,
    /// Workflow paths or prefixes.
    #[serde(default)]
    pub workflows: Option<Vec<String>>,
    /// Which runners execute it.
    pub runner_assignment: RunnerAssignment,
    /// Free-form data handed to the runner.
    #[serde(default)]
    pub data: Map<String, Value>,
}

/// Which runners may execute a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunnerAssignment {
    /// Runner ids.
    #[serde(default)]
    pub ids: Vec<String>,
    /// Where.
    pub host: RunnerHost,
    /// Required runner tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// The response of [`Schedules::create_schedule`]: a [`ScheduleResponseDto`] (the
/// document's `CreateScheduleResponseDto` lacks `version` and `next_run_to_be_started_at`,
/// which are optional there).
pub type CreateScheduleResponseDto = ScheduleResponseDto;

/// A schedule as part of a run: the document's `ScheduleReponseDto` (sic).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScheduleResponseDto {
    /// The schema version.
    #[serde(default)]
    pub version: Option<String>,
    /// The schedule's id.
    #[serde(default)]
    pub id: Option<String>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// Its name.
    pub name: String,
    /// Its state.
    #[serde(default = "active")]
    pub status: ScheduleStatus,
    /// When it starts.
    pub started_at: DateTime<Utc>,
    /// When it ends, if set.
    #[serde(default)]
    pub ended_at: Option<DateTime<Utc>>,
    /// The cron expression, if any.
    #[serde(default)]
    pub schedule: Option<String>,
    /// After how many runs it ends, if set.
    #[serde(default)]
    pub ended_after: Option<i64>,
    /// What each run executes.
    pub run_template: RunTemplate,
    /// How many runs it has started.
    #[serde(default)]
    pub runs_count: i64,
    /// When its next run starts, if any.
    #[serde(default)]
    pub next_run_to_be_started_at: Option<DateTime<Utc>>,
}

fn active() -> ScheduleStatus {
    ScheduleStatus::Active
}
