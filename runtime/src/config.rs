//! What every stage reads of its client: the settings a [`ClientBuilder`](crate::ClientBuilder)
//! checked and fixed.

use std::time::Duration;

use http::HeaderValue;
use url::Url;

use crate::RetryPolicy;
use crate::credentials::Credentials;
use crate::transport::Transport;

pub(crate) struct Settings {
    pub(crate) transport: Transport,
    /// Without a trailing `/`: the template's path, which starts with `/`, is appended.
    pub(crate) base_url: String,
    /// `base_url` parsed: every call's answer must come from its origin.
    pub(crate) base: Url,
    /// `base` with a placeholder path, cloned for each call's URL: a clone has the capacity
    /// of what it copies, so the call's path and query then fit without growing it.
    pub(crate) base_with_path_capacity: Url,
    pub(crate) auth: Option<Credentials>,
    pub(crate) user_agent: Option<HeaderValue>,
    /// `ClientBuilder::default_header`s, checked.
    pub(crate) default_headers: http::HeaderMap,
    pub(crate) timeout: Option<Duration>,
    /// The longest wait for the next chunk of a response body.
    pub(crate) read_timeout: Duration,
    pub(crate) max_response_bytes: usize,
    /// How much of an error answer's body is read and kept in its `Status` error.
    pub(crate) max_error_body_bytes: usize,
    pub(crate) retry: RetryPolicy,
}

/// A client's secrets are its fixed credential's forms. (A provider's credential, which
/// changes, is kept with the answer it was sent for: `Credential` is its `Secrets`.)
impl crate::redact::Secrets for Settings {
    fn with_secrets(&self, scrub: &mut dyn FnMut(&[String])) {
        match &self.auth {
            Some(crate::credentials::Credentials::Fixed(credential)) => {
                scrub(credential.redactions())
            }
            _ => scrub(&[]),
        }
    }
}

impl Settings {
    /// The base URL, without a trailing `/`.
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A stream waits for each chunk as long as the call's timeout allows, and never longer
    /// than the client's read timeout.
    pub(crate) fn idle_timeout(&self, timeout: Option<Duration>) -> Option<Duration> {
        Some(timeout.map_or(self.read_timeout, |t| t.min(self.read_timeout)))
    }
}
