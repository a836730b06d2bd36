//! One call, fully described: what the generated method's arguments made of it, and what
//! the retry loop sends. Every value is already encoded, so nothing here borrows the
//! caller's arguments.

use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderValue};

use crate::RetryPolicy;
use crate::auth::Credential;
use crate::body::{ByteStream, KeepAlive, Multipart};
use crate::progress::Progress;
use crate::url::CallUrl;

#[derive(Default)]
pub(crate) struct Call {
    pub(crate) url: CallUrl,
    pub(crate) body: Body,
    /// `Some(None)`: no timeout for this call.
    pub(crate) timeout: Option<Option<Duration>>,
    /// Headers and a retry policy of this call's own, which most calls do not have: boxed,
    /// so that a call without them is small to move.
    pub(crate) extras: Option<Box<Extras>>,
    /// What must outlive a streamed answer (a blocking client's runtime).
    pub(crate) keep_alive: Option<KeepAlive>,
    /// The provider's credential the answer was sent for, which its errors must not repeat
    /// (a fixed credential is the client's).
    pub(crate) carried: Option<Arc<Credential>>,
}

#[derive(Default)]
pub(crate) struct Extras {
    /// From `#[header]` arguments.
    pub(crate) headers: HeaderMap,
    /// From `#[options]`, applied after everything else.
    pub(crate) option_headers: HeaderMap,
    /// From `#[options]`: this call's retry policy instead of the client's.
    pub(crate) retry: Option<RetryPolicy>,
    /// From `#[options]`: reports the request body's progress, each attempt afresh.
    pub(crate) upload_progress: Option<Progress>,
}

impl Call {
    pub(crate) fn extras(&mut self) -> &mut Extras {
        self.extras.get_or_insert_with(Box::default)
    }
}

/// The request body.
#[derive(Default)]
pub(crate) enum Body {
    #[default]
    Empty,
    Bytes(HeaderValue, bytes::Bytes),
    Stream(HeaderValue, ByteStream),
    Multipart(Multipart),
    /// A multipart body with its parts opened, ready to stream.
    Form(reqwest::multipart::Form),
}
