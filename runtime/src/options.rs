//! Per-call options: `#[options]` arguments.

use std::fmt;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::Error;
use crate::progress::Progress;

/// Changes one call without a new client: pass it to an argument marked `#[options]`.
///
/// ```
/// use std::time::Duration;
/// use askui_runtime::CallOptions;
///
/// let options = CallOptions::new()
///     .timeout(Duration::from_secs(300))
///     .header("X-Request-Id", "7c1f");
/// ```
///
/// An invalid header name or value is an
/// [`InvalidArgument`](crate::ErrorKind::InvalidArgument) error of the call, before any I/O.
#[derive(Clone, Default)]
pub struct CallOptions {
    pub(crate) timeout: Option<Option<Duration>>,
    pub(crate) retry: Option<crate::RetryPolicy>,
    pub(crate) headers: HeaderMap,
    pub(crate) upload_progress: Option<Progress>,
    pub(crate) error: Option<String>,
}

impl CallOptions {
    /// No changes: the client's and the endpoint's settings apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// The limit for this call, replacing the endpoint's and the client's; `None` waits
    /// forever (for a large upload or download, say).
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = Some(timeout.into());
        self
    }

    /// When this call is sent again after a failure, replacing the client's policy:
    /// `RetryPolicy::none()` for a call that must be sent once.
    pub fn retry(mut self, policy: crate::RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Reports the request body's progress to `progress` as it goes on the wire: a
    /// multipart form (its parts and boundaries: `total` is the request's
    /// `Content-Length`), bytes, or a stream (`total` is `None` when its length is not
    /// known). Each attempt starts again from 0 bytes with
    /// [`Transferred::attempt`](crate::Transferred::attempt) one greater: a retried upload of
    /// bytes, or one sent again with a fresh credential. A call without a body reports
    /// nothing.
    ///
    /// On the call rather than on the body: the call alone knows its attempts and its
    /// body's length as sent, whatever kind of body it is. The counted body is a stream to
    /// the HTTP client, so a `307`/`308` redirect (which sends the body again) is not
    /// followed for it: its answer is the call's error.
    ///
    /// ```
    /// use askui_runtime::{CallOptions, Progress};
    ///
    /// let progress = Progress::new();
    /// let watch = progress.watch();
    /// let options = CallOptions::new().upload_progress(&progress);
    /// // … the upload, with `options` …
    /// println!("{} of {:?} bytes", watch.bytes(), watch.total());
    /// ```
    pub fn upload_progress(mut self, progress: &Progress) -> Self {
        self.upload_progress = Some(progress.clone());
        self
    }

    /// A header added to this call, replacing one of the same name set by the client or by
    /// the method's arguments (`Authorization` too, for a call with other credentials).
    /// Marked sensitive, as it may carry a credential. `Content-Type`, `Content-Length`,
    /// `Transfer-Encoding` and `Host` belong to the body and the connection: setting one is
    /// an error of the call.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match header_pair(name, value, is_reserved) {
            Ok((name, mut value)) => {
                value.set_sensitive(true);
                self.headers.insert(name, value);
            }
            Err(problem) => {
                self.error.get_or_insert_with(|| match problem {
                    HeaderProblem::Name => {
                        format!("`{}` is not a valid header name", name.escape_debug())
                    }
                    HeaderProblem::Reserved => format!(
                        "the header `{}` is set by the body or the connection",
                        name.to_ascii_lowercase()
                    ),
                    HeaderProblem::Value => "a header value contains bytes not allowed in an \
                                             HTTP header (such as CR or LF)"
                        .to_owned(),
                });
            }
        }
        self
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        match &self.error {
            Some(reason) => Err(Error::invalid_argument("options", reason)),
            None => Ok(()),
        }
    }
}

/// The reserved headers, from the macro that refuses them as `#[header("…")]` arguments:
/// (lower-case name, also refused here).
const RESERVED: &[(&str, bool)] = askui_macros::__reserved_headers!();

/// What is wrong with a header given at run time (a call's option, a client's default, an
/// API key's name); each caller words it for where it was given.
pub(crate) enum HeaderProblem {
    Name,
    Reserved,
    Value,
}

/// `name` checked: a valid header name, not one `reserved` refuses.
pub(crate) fn header_name(
    name: &str,
    reserved: fn(&HeaderName) -> bool,
) -> Result<HeaderName, HeaderProblem> {
    let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| HeaderProblem::Name)?;
    if reserved(&name) {
        return Err(HeaderProblem::Reserved);
    }
    Ok(name)
}

/// `name` checked as [`header_name`] does, and `value` one a header can carry.
pub(crate) fn header_pair(
    name: &str,
    value: &str,
    reserved: fn(&HeaderName) -> bool,
) -> Result<(HeaderName, HeaderValue), HeaderProblem> {
    let name = header_name(name, reserved)?;
    let value = HeaderValue::from_str(value).map_err(|_| HeaderProblem::Value)?;
    Ok((name, value))
}

fn is_reserved(name: &HeaderName) -> bool {
    RESERVED
        .iter()
        .any(|&(reserved, refused)| refused && name.as_str() == reserved)
}

/// Whether a client-wide default header may not be `name`: none of the reserved ones, not
/// even `Authorization`, which is [`Auth`](crate::Auth)'s (with its checks and redaction).
pub(crate) fn is_reserved_for_defaults(name: &HeaderName) -> bool {
    RESERVED
        .iter()
        .any(|&(reserved, _)| name.as_str() == reserved)
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be credentials: names only.
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("upload_progress", &self.upload_progress.is_some())
            .finish()
    }
}

/// What an `#[options]` argument may be: `CallOptions`, `Option<CallOptions>`, or a
/// reference to either.
pub trait AsCallOptions {
    /// The options, if any.
    fn as_call_options(&self) -> Option<&CallOptions>;
}

impl AsCallOptions for CallOptions {
    fn as_call_options(&self) -> Option<&CallOptions> {
        Some(self)
    }
}

impl AsCallOptions for Option<CallOptions> {
    fn as_call_options(&self) -> Option<&CallOptions> {
        self.as_ref()
    }
}

impl AsCallOptions for Option<&CallOptions> {
    fn as_call_options(&self) -> Option<&CallOptions> {
        *self
    }
}

impl<T: AsCallOptions + ?Sized> AsCallOptions for &T {
    fn as_call_options(&self) -> Option<&CallOptions> {
        (**self).as_call_options()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_every_header_the_shared_table_reserves_for_it() {
        assert!(RESERVED.iter().any(|&(_, refused)| refused));
        for &(name, refused) in RESERVED {
            for written in [name.to_owned(), name.to_ascii_uppercase()] {
                let options = CallOptions::new().header(&written, "x");
                assert_eq!(options.check().is_err(), refused, "{written}");
                assert_eq!(options.headers.contains_key(name), !refused, "{written}");
            }
        }
    }

    #[test]
    fn authorization_may_be_replaced_per_call() {
        assert!(RESERVED.contains(&("authorization", false)));
        let options = CallOptions::new().header("Authorization", "Bearer other");
        assert!(options.check().is_ok());
    }
}
