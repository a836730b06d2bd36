//! Operations tagged `analytics`.

use askui_runtime::{Error, askui_endpoint, askui_endpoints};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// Product analytics.
#[cfg_attr(feature = "blocking", askui_endpoints(blocking))]
#[cfg_attr(not(feature = "blocking"), askui_endpoints)]
pub trait Analytics: AsRef<askui_runtime::Client> {
    /// Identify: associates an anonymous id with user traits (sent on to Segment). 204.
    ///
    /// Operation `identify_api_v1_analytics_identify_post`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(post, "/api/v1/analytics/identify")]
    async fn identify(&self, body: &IdentifyCommand) -> Result<(), Error>;
}

impl Analytics for askui_runtime::Client {}

#[cfg(feature = "blocking")]
impl BlockingAnalytics for askui_runtime::blocking::Client {}

/// The request of [`Analytics::identify`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentifyCommand {
    /// The anonymous id to identify.
    pub anonymous_id: Uuid,
    /// Free-form user traits (`UserTraits`: any JSON object).
    pub traits: Map<String, Value>,
}
