//! Operations tagged `auth`: email verification. Neither needs credentials.

use askui_runtime::{Error, askui_endpoint, askui_endpoints};
use serde::{Deserialize, Serialize};

use crate::Email;

/// Email verification jobs. Both operations are public: the document gives them no
/// security requirement, so they work on a client without [`Auth`](askui_runtime::Auth).
#[cfg_attr(feature = "blocking", askui_endpoints(blocking))]
#[cfg_attr(not(feature = "blocking"), askui_endpoints)]
pub trait Authentication: AsRef<askui_runtime::Client> {
    /// Send Verification Email: creates a job that sends a verification email (only to users
    /// who have not verified their email yet); follow it with
    /// [`get_job_status`](Self::get_job_status). No credentials needed.
    ///
    /// Operation `send_verification_email_api_v1_auth_verification_email_post`.
    ///
    /// Errors: 400 and 500 with a string `detail()`; 422 for an invalid request.
    #[askui_endpoint(post, "/api/v1/auth/verification-email")]
    async fn send_verification_email(
        &self,
        body: &SendVerificationEmailCommand,
    ) -> Result<SendVerificationEmailResponse, Error>;

    /// Get Job Status: the status of a job such as a verification email. No credentials
    /// needed.
    ///
    /// Operation `get_job_status_api_v1_auth_jobs__job_id__get`.
    ///
    /// Errors: 400 and 404 with a string `detail()`; 422 for an invalid request.
    #[askui_endpoint(get, "/api/v1/auth/jobs/{job_id}")]
    async fn get_job_status(&self, job_id: &str) -> Result<GetJobResponse, Error>;
}

impl Authentication for askui_runtime::Client {}

#[cfg(feature = "blocking")]
impl BlockingAuthentication for askui_runtime::blocking::Client {}

/// The request of [`Authentication::send_verification_email`].
///
/// ```
/// use askui_workspaces::auth::SendVerificationEmailCommand;
///
/// let body = SendVerificationEmailCommand::new("ann@example.com")?;
/// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"email":"ann@example.com"}"#);
/// assert!(SendVerificationEmailCommand::new("not an address").is_err());
/// # Ok::<(), askui_workspaces::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SendVerificationEmailCommand {
    email: Email,
}

impl SendVerificationEmailCommand {
    /// Checks that `email` looks like an address (`local@domain`, no spaces): the document
    /// declares `format: email`.
    pub fn new(email: impl Into<String>) -> Result<Self, Error> {
        Ok(Self {
            email: Email::new(email)?,
        })
    }

    /// The address.
    pub fn email(&self) -> &str {
        self.email.as_str()
    }
}

/// The response of [`Authentication::send_verification_email`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendVerificationEmailResponse {
    /// The job, for [`Authentication::get_job_status`].
    pub job_id: String,
    /// Its status when created, e.g. `pending`.
    pub job_status: String,
}

/// The response of [`Authentication::get_job_status`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetJobResponse {
    /// The job's id.
    pub id: String,
    /// Its status, e.g. `pending` or `completed` (the document lists no closed set).
    pub status: String,
}
