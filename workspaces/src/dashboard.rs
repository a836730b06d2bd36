//! Operations tagged `dashboard`.

use askui_runtime::{Error, askui_endpoint, askui_endpoints};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Usage dashboards.
#[cfg_attr(feature = "blocking", askui_endpoints(blocking))]
#[cfg_attr(not(feature = "blocking"), askui_endpoints)]
pub trait Dashboard: AsRef<askui_runtime::Client> {
    /// Aggregate Usage Events: usage counts per workspace, user and day, for the workspaces
    /// and time range of `query`. Several filters combine with AND, several values of one
    /// filter with OR. (The operation's description mentions `starting_after`, `has_more`
    /// and `total_count`, which the document does not define; the answer is one list.)
    ///
    /// Operation `aggregate_usage_events_api_v1_dashboard_usage_get`.
    ///
    /// Errors: 401, 403, 500 with a string `detail()`; 422 for an invalid request.
    #[askui_endpoint(get, "/api/v1/dashboard/usage")]
    async fn aggregate_usage_events(
        &self,
        #[query(flatten)] query: &UsageQuery,
    ) -> Result<UsageEventsAggregateResponse, Error>;
}

impl Dashboard for askui_runtime::Client {}

#[cfg(feature = "blocking")]
impl BlockingDashboard for askui_runtime::blocking::Client {}

/// The query of [`Dashboard::aggregate_usage_events`].
///
/// ```
/// use askui_workspaces::dashboard::UsageQuery;
/// use askui_workspaces::{Uuid, Utc, chrono::TimeZone};
///
/// let start = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
/// let end = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
/// let query = UsageQuery::new([Uuid::nil()], start, end)?.user_ids(["user-1"]);
/// assert!(UsageQuery::new([], start, end).is_err(), "at least one workspace");
/// # Ok::<(), askui_workspaces::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UsageQuery {
    workspace_ids: Vec<Uuid>,
    start_time: DateTime<Utc>,
    end_time: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_ids: Option<Vec<String>>,
}

impl UsageQuery {
    /// Events of these workspaces (at least one) from `start` (inclusive) to `end`
    /// (exclusive).
    pub fn new(
        workspace_ids: impl IntoIterator<Item = Uuid>,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Self, Error> {
        let workspace_ids: Vec<Uuid> = workspace_ids.into_iter().collect();
        if workspace_ids.is_empty() {
            return Err(Error::invalid_argument(
                "workspace_ids",
                "must contain at least one workspace id",
            ));
        }
        Ok(UsageQuery {
            workspace_ids,
            start_time: start,
            end_time: end,
            user_ids: None,
        })
    }

    /// Only the events of these users.
    pub fn user_ids(mut self, user_ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.user_ids = Some(user_ids.into_iter().map(Into::into).collect());
        self
    }
}

/// The response of [`Dashboard::aggregate_usage_events`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageEventsAggregateResponse {
    /// One entry per workspace, user and day.
    pub data: Vec<AggregationResult>,
}

/// One entry of [`UsageEventsAggregateResponse`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AggregationResult {
    /// The workspace.
    pub workspace_id: String,
    /// The user.
    pub user_id: String,
    /// The day (`YYYY-MM-DD` on the wire).
    pub date: NaiveDate,
    /// How many events.
    pub count: i64,
    /// The user's email address.
    pub user_email: String,
}
