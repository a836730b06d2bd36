//! When a failed call is sent again, and how long to wait before.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use http::StatusCode;

use crate::{Error, ErrorKind};

/// When and how often a failed call is tried again: per client
/// ([`ClientBuilder::retry`](crate::ClientBuilder::retry)), or per call
/// ([`CallOptions::retry`](crate::CallOptions::retry)).
///
/// A call is retried only if all of these hold:
/// - it is **safe to repeat**: `GET`, `HEAD`, `OPTIONS`, `PUT` or `DELETE`, or an endpoint
///   declared `idempotent = true`; never a `POST` or `PATCH` otherwise (nor an endpoint
///   declared `idempotent = false`);
/// - its body can be **sent again**: none, JSON, a form or bytes; never a stream or a
///   multipart upload, which are read as they are sent;
/// - it failed in a way **worth another try**: no connection could be made (but not a TLS
///   handshake that failed, such as a refused certificate, which would fail again), or the
///   server answered 429, 502, 503 or 504;
/// - the server's `Retry-After`, if it sent one, is at most
///   [`max_retry_after`](Self::max_retry_after) (a longer wait is the caller's decision).
///
/// Between attempts it waits with exponential backoff and full jitter, from
/// [`delays`](Self::delays)' minimum up to its maximum, or as long as `Retry-After` says.
/// The call's timeout applies to each attempt. [`Error::attempts`] tells how many were made.
///
/// ```
/// use std::time::Duration;
/// use askui_runtime::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_retries(5)
///     .delays(Duration::from_millis(500), Duration::from_secs(10));
/// let never = RetryPolicy::none();
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    min_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Two retries (three attempts), waits from 200 ms to 5 s, `Retry-After` honoured up to
    /// 30 s.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            min_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry: every call is sent once.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// How many times a call may be sent again after the first attempt.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The first backoff wait, and the longest one.
    pub fn delays(mut self, min: Duration, max: Duration) -> Self {
        self.min_delay = min;
        self.max_delay = max.max(min);
        self
    }

    /// The longest `Retry-After` honoured; an answer asking for a longer wait is returned
    /// as the error.
    pub fn max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }

    /// The longest backoff wait: also the longest a server's `retry` makes an event stream
    /// wait before it reconnects.
    pub(crate) fn longest_delay(&self) -> Duration {
        self.max_delay
    }

    /// Whether a failed call may be sent again at all.
    pub(crate) fn may_retry(&self) -> bool {
        self.max_retries > 0
    }

    /// The waits before each retry, without `Retry-After`.
    pub(crate) fn backoff(&self) -> impl Iterator<Item = Duration> + use<> {
        ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_retries as usize)
            .with_jitter()
            .build()
    }

    /// How long to wait before sending the call again after `error`, or `None` to give up.
    /// `backoff` is this policy's next backoff wait, `None` once the retries are used up.
    pub(crate) fn next_wait(
        &self,
        error: &Error,
        backoff: Option<Duration>,
        repeatable: bool,
    ) -> Option<Duration> {
        let backoff = backoff?;
        if !repeatable || !worth_retrying(error) {
            return None;
        }
        match error.retry_after() {
            Some(wait) if wait > self.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(backoff),
        }
    }
}

fn worth_retrying(error: &Error) -> bool {
    match error.kind() {
        ErrorKind::Connect => !error.tls_handshake_failed(),
        ErrorKind::Status => matches!(
            error.status(),
            Some(
                StatusCode::TOO_MANY_REQUESTS
                    | StatusCode::BAD_GATEWAY
                    | StatusCode::SERVICE_UNAVAILABLE
                    | StatusCode::GATEWAY_TIMEOUT
            )
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorBody;

    fn status(code: u16) -> Error {
        Error::from_status(
            StatusCode::from_u16(code).unwrap_or(StatusCode::IM_A_TEAPOT),
            ErrorBody::Empty,
        )
    }

    #[test]
    fn only_transient_failures_are_retried() {
        let policy = RetryPolicy::default();
        let wait = Some(Duration::from_millis(1));
        for code in [429, 502, 503, 504] {
            assert_eq!(policy.next_wait(&status(code), wait, true), wait, "{code}");
        }
        for code in [400, 401, 404, 409, 422, 500, 501] {
            assert_eq!(policy.next_wait(&status(code), wait, true), None, "{code}");
        }
        assert_eq!(policy.next_wait(&status(503), wait, false), None);
        assert_eq!(policy.next_wait(&status(503), None, true), None);
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(10));
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from_static("3"),
        );
        let error = status(429).with_response_headers(&headers);
        let backoff = Some(Duration::from_millis(1));
        assert_eq!(
            policy.next_wait(&error, backoff, true),
            Some(Duration::from_secs(3))
        );
        headers.insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from_static("60"),
        );
        let error = status(429).with_response_headers(&headers);
        assert_eq!(policy.next_wait(&error, backoff, true), None);
    }

    #[test]
    fn backoff_grows_within_its_bounds_and_ends() {
        let policy = RetryPolicy::default()
            .max_retries(4)
            .delays(Duration::from_millis(100), Duration::from_millis(400));
        let waits: Vec<Duration> = policy.backoff().collect();
        assert_eq!(waits.len(), 4);
        // Jitter adds up to one more delay on top of the exponential one.
        assert!(
            waits.iter().all(|wait| *wait <= Duration::from_millis(800)),
            "{waits:?}"
        );
        assert_eq!(RetryPolicy::none().backoff().count(), 0);
    }
}
