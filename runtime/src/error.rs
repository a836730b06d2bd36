//! The one error type of every generated method, and the API's error bodies.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::Endpoint;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// The error of every endpoint method and of [`ClientBuilder::build`](crate::ClientBuilder::build).
///
/// `Display` is one short line; the underlying cause is available through
/// [`source()`](std::error::Error::source). Neither ever contains a credential.
///
/// An error answer ([`ErrorKind::Status`]) is kept whole, up to the client's
/// [`max_error_body_bytes`](crate::ClientBuilder::max_error_body_bytes):
/// [`headers()`](Error::headers), [`body_bytes()`](Error::body_bytes) and
/// [`json()`](Error::json) for an API's own error type, beside the FastAPI shapes
/// [`detail()`](Error::detail) and [`validation()`](Error::validation). What the server
/// repeated of the client's credentials is scrubbed from all of them; `Display` and `Debug`
/// show only a cleaned snippet of the body and no header values.
pub struct Error {
    // Boxed so that `Result<T, Error>` stays one word larger than `T`.
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    /// `POST /api/v1/…/{workspace_id}/…`: which call failed, without argument values.
    endpoint: Option<String>,
    message: Option<Cow<'static, str>>,
    status: Option<StatusCode>,
    body: Option<ErrorBody>,
    /// What a failed answer said about when to try again, and how to find it in the
    /// server's logs: the few response headers worth keeping.
    retry_after: Option<Duration>,
    request_id: Option<Box<str>>,
    /// An error answer's headers and body, as kept (boxed: most errors have none, and
    /// `Inner` is allocated for each).
    answer: Option<Box<Answer>>,
    /// For a `Decode` error: where in the JSON the body stopped matching the type.
    decode_path: Option<Box<str>>,
    /// For an item of a [`JsonLines`](crate::JsonLines) stream: its line in the body.
    line: Option<u64>,
    /// How many times the call was sent, when more than once.
    attempts: u32,
    source: Option<BoxError>,
}

/// An error answer as a `Status` error keeps it: bounded, the client's credentials scrubbed.
struct Answer {
    headers: HeaderMap,
    body: bytes::Bytes,
    /// The body is not whole: cut at the bound, or the connection broke off.
    truncated: bool,
}

/// Response headers a `Status` error does not keep: their values are credentials by
/// definition (a session cookie the server sets, an `Authorization` an echoing server
/// repeats), whatever the client's own credential is.
const DROPPED_HEADERS: [HeaderName; 4] = [
    http::header::SET_COOKIE,
    http::header::AUTHORIZATION,
    http::header::PROXY_AUTHORIZATION,
    http::header::COOKIE,
];

/// `headers` as a `Status` error keeps them: without [`DROPPED_HEADERS`], and each value
/// that contains one of `secrets` with it replaced by `<redacted>` (and marked sensitive).
pub(crate) fn kept_headers(mut headers: HeaderMap, secrets: &[String]) -> HeaderMap {
    for name in &DROPPED_HEADERS {
        headers.remove(name);
    }
    if secrets.is_empty() {
        return headers;
    }
    for (_, value) in headers.iter_mut() {
        let scrubbed = crate::redact::redact(value.as_bytes(), secrets);
        if scrubbed != value.as_bytes() {
            // `<redacted>` is visible ASCII, so the scrubbed value is a valid one; were it
            // not, the whole value goes.
            let mut replaced = HeaderValue::from_bytes(&scrubbed)
                .unwrap_or_else(|_| HeaderValue::from_static("<redacted>"));
            replaced.set_sensitive(true);
            *value = replaced;
        }
    }
    headers
}

/// What went wrong, for matching. New kinds may be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client's configuration is invalid (base URL, credentials, TLS setup).
    Builder,
    /// An argument was rejected before any I/O (an empty path parameter, an invalid DTO, …).
    InvalidArgument,
    /// No connection could be made (refused, DNS failure, TLS handshake).
    Connect,
    /// The request or the response body took longer than the configured timeout.
    Timeout,
    /// The connection failed while sending the request or reading the response.
    Transport,
    /// The server answered with a non-success status; see [`Error::status`], [`Error::body`],
    /// [`Error::headers`], [`Error::body_bytes`] and [`Error::json`].
    Status,
    /// A success response whose body is not the expected type; [`Error::decode_path`] says
    /// where, [`Error::body`] shows a snippet of the body there.
    Decode,
    /// The response body is larger than the client's limit.
    ResponseTooLarge,
    /// The server redirected to another origin (scheme, host and port), or redirected too
    /// often; only redirects within the origin are followed, so credentials and bodies never
    /// leave it.
    Redirect,
    /// Reading or writing a local file or stream failed (saving a download, say).
    Io,
    /// A middleware of the client's (feature `middleware`) failed; [`Error::source`] is its
    /// error.
    Middleware,
    /// The credential provider ([`Auth::provider`](crate::Auth::provider)) failed, did not
    /// answer in time, or gave a token that cannot be sent; nothing was sent. When it
    /// failed, [`Error::source`] is the provider's own error.
    Credentials,
}

/// The body of an error response, decoded in the shapes the AskUI (FastAPI) server uses.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ErrorBody {
    /// FastAPI's 422 `HTTPValidationError`.
    Validation(HttpValidationError),
    /// `{"detail": "…"}` or `{"detail": [{"msg": "…"}, …]}` (messages joined with `; `).
    Detail(String),
    /// Any other body (HTML, plain text, other JSON), cut to a bounded snippet. For a
    /// [`Decode`](ErrorKind::Decode) error, a snippet of the success body around where
    /// decoding failed.
    Raw(String),
    /// No body at all.
    Empty,
}

/// FastAPI's validation error body: `{"detail": [{"loc": […], "msg": "…", "type": "…"}]}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct HttpValidationError {
    /// One entry per rejected input (the spec does not require the field).
    #[serde(default)]
    pub detail: Vec<ValidationError>,
}

/// One rejected input of an [`HttpValidationError`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ValidationError {
    /// Where the input is, e.g. `["body", "returnUrl"]` or `["path", "workspace_id"]`.
    pub loc: Vec<LocItem>,
    /// A human-readable message.
    pub msg: String,
    /// The machine-readable error type, e.g. `missing` or `url_parsing` (the spec's `type`).
    #[serde(rename = "type")]
    pub error_type: String,
}

/// One step of a [`ValidationError::loc`]: a field name or a list index.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(untagged)]
pub enum LocItem {
    /// A field or parameter name.
    Name(String),
    /// A position in a list.
    Index(u64),
}

impl fmt::Display for LocItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LocItem::Name(name) => f.write_str(name),
            LocItem::Index(index) => write!(f, "{index}"),
        }
    }
}

/// How many steps of a `loc` `Display` shows; deeper ones are elided.
const SHOWN_LOC_STEPS: usize = 8;

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.loc.iter().take(SHOWN_LOC_STEPS).enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{step}")?;
        }
        if self.loc.len() > SHOWN_LOC_STEPS {
            f.write_str(".…")?;
        }
        if !self.loc.is_empty() {
            f.write_str(": ")?;
        }
        f.write_str(&self.msg)
    }
}

/// How many entries of a validation report `Display` shows; the rest are counted.
const SHOWN_VALIDATION_ERRORS: usize = 10;
/// Bounds of the server's strings in a validation report: names, messages, types.
const LOC_BYTES: usize = 64;
const MSG_BYTES: usize = 256;

impl HttpValidationError {
    /// Every string the server sent, [`clean`]ed and bounded.
    fn cleaned(mut self) -> Self {
        for error in &mut self.detail {
            for step in &mut error.loc {
                if let LocItem::Name(name) = step {
                    *name = clean(name, LOC_BYTES);
                }
            }
            error.msg = clean(&error.msg, MSG_BYTES);
            error.error_type = clean(&error.error_type, LOC_BYTES);
        }
        self
    }
}

impl fmt::Display for HttpValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.detail.is_empty() {
            return f.write_str("validation failed");
        }
        for (i, error) in self.detail.iter().take(SHOWN_VALIDATION_ERRORS).enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        let more = self.detail.len().saturating_sub(SHOWN_VALIDATION_ERRORS);
        if more > 0 {
            write!(f, "; and {more} more")?;
        }
        Ok(())
    }
}

impl fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorBody::Validation(validation) => write!(f, "{validation}"),
            ErrorBody::Detail(detail) | ErrorBody::Raw(detail) => f.write_str(detail),
            ErrorBody::Empty => f.write_str("(empty body)"),
        }
    }
}

/// How many bytes of an unrecognised error body an [`Error`] keeps.
pub(crate) const SNIPPET_BYTES: usize = 512;
/// The bound of a decode error's path in its `Display`.
const DECODE_PATH_BYTES: usize = 256;

impl ErrorBody {
    /// Decodes an error body: 422 as `HTTPValidationError`, then FastAPI's `detail` in its
    /// string and list shapes (the list items of the spec's 404 example have only `msg`),
    /// then a snippet of whatever else came.
    pub(crate) fn parse(status: StatusCode, bytes: &[u8]) -> ErrorBody {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return ErrorBody::Empty;
        }
        // A message in Latin-1, or cut inside a character, is still read as a message: each
        // invalid byte becomes U+FFFD (no copy when the body is valid UTF-8).
        let text = String::from_utf8_lossy(bytes);
        let bytes = text.as_bytes();
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            if let Ok(validation) = serde_json::from_slice::<HttpValidationError>(bytes) {
                return ErrorBody::Validation(validation.cleaned());
            }
        }
        #[derive(Deserialize)]
        struct Envelope {
            detail: Detail,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Detail {
            Text(String),
            List(Vec<Message>),
        }
        #[derive(Deserialize)]
        struct Message {
            msg: String,
        }
        match serde_json::from_slice::<Envelope>(bytes) {
            Ok(Envelope {
                detail: Detail::Text(text),
            }) => ErrorBody::Detail(clean(&text, SNIPPET_BYTES)),
            Ok(Envelope {
                detail: Detail::List(messages),
            }) if !messages.is_empty() => {
                let joined = messages
                    .iter()
                    .map(|m| m.msg.as_str())
                    .collect::<Vec<_>>()
                    .join("; ");
                ErrorBody::Detail(clean(&joined, SNIPPET_BYTES))
            }
            _ => ErrorBody::Raw(snippet(bytes)),
        }
    }
}

/// At most [`SNIPPET_BYTES`] of `bytes` as one line of [`clean`] text.
fn snippet(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4 * SNIPPET_BYTES)]);
    let mut line = clean(&text, SNIPPET_BYTES);
    if bytes.len() > 4 * SNIPPET_BYTES && !line.ends_with('…') {
        line.push('…');
    }
    line
}

/// Server text made safe to show and log: one line (runs of whitespace and control
/// characters, such as the newlines of an HTML page or a terminal escape, become one
/// space), without invisible formatting characters that reorder or hide text (bidi
/// overrides such as U+202E, zero-width characters), and at most `limit` bytes, cut with `…`.
pub(crate) fn clean(text: &str, limit: usize) -> String {
    let mut line = String::with_capacity(text.len().min(limit + 3));
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            pending_space = !line.is_empty();
            continue;
        }
        if is_invisible_format(c) {
            continue;
        }
        if line.len() + usize::from(pending_space) + c.len_utf8() > limit {
            line.push('…');
            return line;
        }
        if pending_space {
            line.push(' ');
            pending_space = false;
        }
        line.push(c);
    }
    line
}

/// Unicode format characters that change how the text around them is displayed.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

impl Error {
    fn new(kind: ErrorKind) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                endpoint: None,
                message: None,
                status: None,
                body: None,
                retry_after: None,
                request_id: None,
                answer: None,
                decode_path: None,
                line: None,
                attempts: 1,
                source: None,
            }),
        }
    }

    /// An argument rejected before any I/O. For client crates that validate their inputs
    /// (DTO constructors, newtypes) and want to report it as this crate's error.
    ///
    /// ```
    /// let err = askui_runtime::Error::invalid_argument("returnUrl", "must not be longer than 2083 characters");
    /// assert_eq!(err.to_string(), "invalid argument `returnUrl`: must not be longer than 2083 characters");
    /// ```
    pub fn invalid_argument(argument: impl fmt::Display, reason: impl fmt::Display) -> Self {
        Error::new(ErrorKind::InvalidArgument)
            .with_message(format!("invalid argument `{argument}`: {reason}"))
    }

    pub(crate) fn builder(message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::Builder).with_message(message)
    }

    pub(crate) fn from_status(status: StatusCode, body: ErrorBody) -> Self {
        let mut error = Error::new(ErrorKind::Status);
        error.inner.status = Some(status);
        error.inner.body = Some(body);
        error
    }

    /// Keeps what an error answer's headers say: `Retry-After` (seconds or an HTTP date)
    /// and the server's request id.
    pub(crate) fn with_response_headers(mut self, headers: &HeaderMap) -> Self {
        self.inner.retry_after = headers
            .get(http::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| parse_retry_after(value, SystemTime::now()));
        self.inner.request_id = REQUEST_ID_HEADERS
            .iter()
            .find_map(|name| headers.get(*name))
            .and_then(|value| value.to_str().ok())
            .map(|value| clean(value, LOC_BYTES).into_boxed_str())
            .filter(|value| !value.is_empty());
        self
    }

    /// Keeps an error answer's headers and body, as [`kept_headers`] and
    /// `redact::redact_part` made them; `truncated` when the body is not whole.
    pub(crate) fn with_answer(
        mut self,
        headers: HeaderMap,
        body: bytes::Bytes,
        truncated: bool,
    ) -> Self {
        self.inner.answer = Some(Box::new(Answer {
            headers,
            body,
            truncated,
        }));
        self
    }

    pub(crate) fn redirect(message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::Redirect).with_message(message)
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.inner.attempts = attempts;
        self
    }

    /// A success body that is not a `type_name`: `path` is where it stopped matching
    /// (`items[3].price`, `.` for the document itself), `snippet` what the
    /// body says there.
    pub(crate) fn decode(
        type_name: &'static str,
        path: &str,
        snippet: Option<String>,
        source: impl Into<BoxError>,
    ) -> Self {
        // The path is made of the server's keys: cleaned and bounded as any server text.
        let path = clean(path, DECODE_PATH_BYTES);
        let message = if path == "." {
            format!("the response body could not be decoded as `{type_name}`")
        } else {
            format!("the response body could not be decoded as `{type_name}` at `{path}`")
        };
        let mut error = Error::new(ErrorKind::Decode)
            .with_message(message)
            .with_source(source);
        error.inner.decode_path = Some(path.into_boxed_str());
        error.inner.body = snippet.map(ErrorBody::Raw);
        error
    }

    pub(crate) fn response_too_large(limit: usize) -> Self {
        Error::new(ErrorKind::ResponseTooLarge).with_message(format!(
            "the response body is larger than the limit of {limit} bytes"
        ))
    }

    /// Sorts a reqwest error into a kind. The URL is dropped: the endpoint's template says
    /// which call failed, and a URL may one day carry query values a user considers private.
    pub(crate) fn transport(error: reqwest::Error) -> Self {
        if error.is_redirect() {
            let refused = StdError::source(&error)
                .and_then(|source| source.downcast_ref::<crate::redirect::RefusedRedirect>());
            let message = match refused {
                Some(refused) => refused.0.clone(),
                None => "the redirect could not be followed".to_owned(),
            };
            return Error::redirect(message).with_source(error.without_url());
        }
        if error.is_connect() && is_tls_failure(&error) {
            return Error::new(ErrorKind::Connect)
                .with_message(TLS_HANDSHAKE_FAILED)
                .with_source(error.without_url());
        }
        let kind = if error.is_timeout() {
            ErrorKind::Timeout
        } else if error.is_connect() {
            ErrorKind::Connect
        } else if error.is_builder() {
            ErrorKind::Builder
        } else {
            ErrorKind::Transport
        };
        Error::new(kind).with_source(error.without_url())
    }

    pub(crate) fn io(message: impl Into<Cow<'static, str>>, source: impl Into<BoxError>) -> Self {
        Error::new(ErrorKind::Io)
            .with_message(message)
            .with_source(source)
    }

    pub(crate) fn timeout(message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::Timeout).with_message(message)
    }

    /// A broken upload or download stream whose error did not come from the HTTP client
    /// (a reader of the caller's, a file being written).
    /// A middleware's own error (not the HTTP client's, which it passed on): its text, with
    /// nothing of the request, and the error itself as the source.
    #[cfg_attr(not(feature = "middleware"), allow(dead_code))]
    pub(crate) fn middleware(source: BoxError) -> Self {
        Error::new(ErrorKind::Middleware)
            .with_message(middleware_message(&source))
            .with_source(source)
    }

    /// This error with no secret shown: a middleware may repeat the request's
    /// `Authorization` in its error. If its text does, the message is its text scrubbed and
    /// the source (which would show it) a stand-in.
    pub(crate) fn redact_middleware(mut self, secrets: &[String]) -> Self {
        let Some(source) = &self.inner.source else {
            return self;
        };
        if self.inner.kind != ErrorKind::Middleware {
            return self;
        }
        let shown = format!("{source} {source:?}");
        if !secrets.iter().any(|secret| shown.contains(secret.as_str())) {
            return self;
        }
        let scrubbed = crate::redact::redact(source.to_string().as_bytes(), secrets);
        self.inner.message = Some(middleware_message(&String::from_utf8_lossy(&scrubbed)).into());
        self.inner.source = Some("<redacted: the middleware's error repeated a credential>".into());
        self
    }

    /// The credential provider's failure: nothing was sent.
    pub(crate) fn credentials(message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::Credentials).with_message(message)
    }

    pub(crate) fn transport_io(source: BoxError) -> Self {
        Error::new(ErrorKind::Transport).with_source(source)
    }

    /// This error, about line `line` of a JSON Lines body: its message says so, and
    /// [`line`](Self::line) gives it.
    pub(crate) fn at_line(mut self, line: u64) -> Self {
        self.inner.line = Some(line);
        self.in_item(&format!("line {line}"))
    }

    /// This error, about one item of a streamed body (`event 3`): its message starts with it.
    pub(crate) fn in_item(mut self, item: &str) -> Self {
        let message = match self.inner.message.take() {
            Some(message) => format!("{item}: {message}"),
            None => item.to_owned(),
        };
        self.inner.message = Some(message.into());
        self
    }

    pub(crate) fn with_message(mut self, message: impl Into<Cow<'static, str>>) -> Self {
        self.inner.message = Some(message.into());
        self
    }

    pub(crate) fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.inner.source = Some(source.into());
        self
    }

    pub(crate) fn with_endpoint(mut self, endpoint: &Endpoint) -> Self {
        if self.inner.endpoint.is_none() {
            self.inner.endpoint = Some(endpoint.to_string());
        }
        self
    }

    /// Names the call that failed when it is not an endpoint's: a download of a URL,
    /// `GET https://host/path?<redacted>`.
    pub(crate) fn with_call(mut self, call: &str) -> Self {
        if self.inner.endpoint.is_none() {
            self.inner.endpoint = Some(call.to_owned());
        }
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The response status, for [`ErrorKind::Status`] errors.
    pub fn status(&self) -> Option<StatusCode> {
        self.inner.status
    }

    /// The decoded error body, for [`ErrorKind::Status`] errors (from the bytes
    /// [`body_bytes`](Self::body_bytes) gives); for [`ErrorKind::Decode`] errors, a snippet
    /// of the success body around where decoding failed ([`ErrorBody::Raw`]).
    pub fn body(&self) -> Option<&ErrorBody> {
        self.inner.body.as_ref()
    }

    /// The error answer's headers, for [`ErrorKind::Status`] errors: rate limits, `ETag`,
    /// `Location`, whatever the API sends with its errors.
    ///
    /// Not quite as sent: `Set-Cookie`, `Cookie`, `Authorization` and `Proxy-Authorization`
    /// are removed (their values are credentials), and in any other value the client's
    /// credential (each form it is sent in) is replaced by `<redacted>`, that value marked
    /// sensitive. `WWW-Authenticate` is kept: its challenge (`error="invalid_token"`) says
    /// why a 401 came.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.inner.answer.as_ref().map(|answer| &answer.headers)
    }

    /// The error answer's body as it came, for [`ErrorKind::Status`] errors: at most the
    /// client's [`max_error_body_bytes`](crate::ClientBuilder::max_error_body_bytes)
    /// ([`body_truncated`](Self::body_truncated) says whether that is all of it), any
    /// encoding, not cleaned for display.
    ///
    /// Not quite as sent: each form of the client's credential the server repeated is
    /// replaced by `<redacted>` (byte for byte, so a body that is not UTF-8 keeps its other
    /// bytes), and a body cut at the bound does not end with the beginning of one. What
    /// the credential never is in, the body is exactly as sent.
    pub fn body_bytes(&self) -> Option<&bytes::Bytes> {
        self.inner.answer.as_ref().map(|answer| &answer.body)
    }

    /// True when [`body_bytes`](Self::body_bytes) is not the whole body: it was longer than
    /// the client's [`max_error_body_bytes`](crate::ClientBuilder::max_error_body_bytes), or
    /// the connection broke off before its end ([`source()`](std::error::Error::source) then
    /// says how).
    pub fn body_truncated(&self) -> bool {
        self.inner
            .answer
            .as_ref()
            .is_some_and(|answer| answer.truncated)
    }

    /// The error answer's body decoded as JSON of the caller's own type, for
    /// [`ErrorKind::Status`] errors (`None` for any other kind): the API's error shape
    /// where it is not FastAPI's.
    ///
    /// ```
    /// use askui_runtime::Error;
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Conflict {
    ///     code: String,
    ///     current_version: u64,
    /// }
    ///
    /// fn on_conflict(error: &Error) -> Option<u64> {
    ///     match error.json::<Conflict>()? {
    ///         Ok(conflict) if conflict.code == "stale" => Some(conflict.current_version),
    ///         _ => None,
    ///     }
    /// }
    /// ```
    ///
    /// The inner `Err` is `serde_json`'s error, with its line and column: the body is not
    /// JSON of that type, or not whole ([`body_truncated`](Self::body_truncated): a cut
    /// body is not decoded at all, as its end is missing). It reads
    /// [`body_bytes`](Self::body_bytes), with the client's credential scrubbed.
    pub fn json<E: DeserializeOwned>(&self) -> Option<Result<E, serde_json::Error>> {
        let answer = self.inner.answer.as_ref()?;
        if answer.truncated {
            return Some(Err(serde::de::Error::custom(format_args!(
                "the error body is not whole: only its first {} bytes were kept",
                answer.body.len()
            ))));
        }
        Some(serde_json::from_slice(&answer.body))
    }

    /// Where a [`ErrorKind::Decode`] error's body stopped matching the type, as a JSON path:
    /// `items[3].price`, or `.` when the document itself is wrong (not JSON, or not the
    /// type at its top). The server's keys in it are [cleaned](ErrorBody) as any server text.
    pub fn decode_path(&self) -> Option<&str> {
        self.inner.decode_path.as_deref()
    }

    /// For an error item of a [`JsonLines`](crate::JsonLines) stream (a line that is not
    /// the type, or one over the length limit): the line's number in the body, from 1.
    pub fn line(&self) -> Option<u64> {
        self.inner.line
    }

    /// FastAPI's validation details, for a 422 answer in the `HTTPValidationError` shape.
    pub fn validation(&self) -> Option<&HttpValidationError> {
        match &self.inner.body {
            Some(ErrorBody::Validation(validation)) => Some(validation),
            _ => None,
        }
    }

    /// The server's `detail` message(s), for error bodies in FastAPI's `{"detail": …}` shapes.
    pub fn detail(&self) -> Option<Cow<'_, str>> {
        match &self.inner.body {
            Some(ErrorBody::Detail(detail)) => Some(Cow::Borrowed(detail)),
            Some(ErrorBody::Validation(validation)) => Some(Cow::Owned(validation.to_string())),
            _ => None,
        }
    }

    /// The endpoint whose call failed, as `METHOD /path/{template}`; for
    /// [`Client::download_url`](crate::Client::download_url), `GET` and the URL with its
    /// query redacted (`GET https://host/path?<redacted>`).
    pub fn endpoint(&self) -> Option<&str> {
        self.inner.endpoint.as_deref()
    }

    /// How long the server asked to wait before trying again (`Retry-After` of a 429 or
    /// 503, in seconds or as an HTTP date), for [`ErrorKind::Status`] errors.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// The server's id of the failed request (`X-Request-Id`, `X-Amzn-RequestId`,
    /// `X-Correlation-Id`, `CF-Ray`), to quote when asking its operators.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// How many times the call was sent: more than 1 when it was retried.
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// True for [`ErrorKind::Timeout`].
    pub fn is_timeout(&self) -> bool {
        self.inner.kind == ErrorKind::Timeout
    }
}

const TLS_HANDSHAKE_FAILED: &str = "the TLS handshake with the server failed";

impl Error {
    /// A [`Connect`](ErrorKind::Connect) error of a TLS handshake that failed (the server's
    /// certificate refused, no protocol version in common): the same again would fail the
    /// same way, so it is not retried. Known for rustls only; with `native-tls` such a
    /// failure is retried as any connection failure.
    pub(crate) fn tls_handshake_failed(&self) -> bool {
        self.inner.kind == ErrorKind::Connect
            && self
                .inner
                .source
                .as_deref()
                .is_some_and(|source| is_tls_failure(source))
    }
}

/// Whether rustls failed somewhere in `error`'s causes. The connector hands its error on
/// inside `io::Error`s (two, nested), whose `source()` skips the error they wrap: each
/// `io::Error` is opened instead.
#[cfg(any(feature = "default-tls", feature = "rustls-no-provider"))]
fn is_tls_failure(error: &(dyn StdError + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error.is::<rustls::Error>() {
            return true;
        }
        let wrapped = error
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref);
        cause = match wrapped {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => error.source(),
        };
    }
    false
}

#[cfg(not(any(feature = "default-tls", feature = "rustls-no-provider")))]
fn is_tls_failure(_: &(dyn StdError + 'static)) -> bool {
    false
}

fn middleware_message(error: &dyn fmt::Display) -> String {
    format!("a middleware failed: {error}")
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(endpoint) = &self.inner.endpoint {
            write!(f, "{endpoint}: ")?;
        }
        if let Some(message) = &self.inner.message {
            f.write_str(message)?;
            return self.write_suffix(f);
        }
        match self.inner.kind {
            ErrorKind::Status => {
                let status = self
                    .inner
                    .status
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                write!(f, "server answered {status}")?;
                match &self.inner.body {
                    Some(ErrorBody::Empty) | None => Ok(()),
                    Some(body) => write!(f, ": {body}"),
                }
            }
            ErrorKind::Connect => f.write_str("could not connect to the server"),
            ErrorKind::Timeout => f.write_str("the request timed out"),
            ErrorKind::Transport => f.write_str("the connection failed"),
            ErrorKind::Builder => f.write_str("invalid client configuration"),
            ErrorKind::InvalidArgument => f.write_str("invalid argument"),
            ErrorKind::Decode => f.write_str("the response body could not be decoded"),
            ErrorKind::ResponseTooLarge => f.write_str("the response body is too large"),
            ErrorKind::Redirect => f.write_str("a redirect was refused"),
            ErrorKind::Io => f.write_str("local I/O failed"),
            ErrorKind::Middleware => f.write_str("a middleware failed"),
            ErrorKind::Credentials => f.write_str("no credentials to send"),
        }?;
        self.write_suffix(f)
    }
}

impl Error {
    /// What `Display` adds after the message: the attempts and the request id.
    fn write_suffix(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.inner.attempts > 1 {
            write!(f, " (after {} attempts)", self.inner.attempts)?;
        }
        if let Some(request_id) = &self.inner.request_id {
            write!(f, " [request id {request_id}]")?;
        }
        Ok(())
    }
}

/// Response headers that carry the server's id of a request, most specific first.
const REQUEST_ID_HEADERS: &[&str] = &[
    "x-request-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-correlation-id",
    "cf-ray",
];

/// `Retry-After` as a wait from `now`: delay-seconds, or an HTTP date (a date in the past
/// is no wait). RFC 9110, section 10.2.3.
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("askui_runtime::Error");
        debug.field("kind", &self.inner.kind);
        if let Some(endpoint) = &self.inner.endpoint {
            debug.field("endpoint", endpoint);
        }
        if let Some(message) = &self.inner.message {
            debug.field("message", message);
        }
        if let Some(status) = &self.inner.status {
            debug.field("status", status);
        }
        if let Some(body) = &self.inner.body {
            debug.field("body", body);
        }
        if let Some(retry_after) = &self.inner.retry_after {
            debug.field("retry_after", retry_after);
        }
        if let Some(request_id) = &self.inner.request_id {
            debug.field("request_id", request_id);
        }
        if let Some(answer) = &self.inner.answer {
            // Sizes and names only: the body is shown cleaned in `body`, and header values
            // are the server's, for the caller to ask for.
            debug.field(
                "answer",
                &format_args!(
                    "{} body bytes{}, headers {:?}",
                    answer.body.len(),
                    if answer.truncated { " (truncated)" } else { "" },
                    answer.headers.keys().collect::<Vec<_>>()
                ),
            );
        }
        if let Some(path) = &self.inner.decode_path {
            debug.field("decode_path", path);
        }
        if let Some(line) = &self.inner.line {
            debug.field("line", line);
        }
        if self.inner.attempts > 1 {
            debug.field("attempts", &self.inner.attempts);
        }
        if let Some(source) = &self.inner.source {
            debug.field("source", source);
        }
        debug.finish()
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_ref()
            .map(|source| &**source as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_send_sync_static_and_one_pointer_wide() {
        fn assert_bounds<T: StdError + Send + Sync + 'static>() {}
        assert_bounds::<Error>();
        assert_eq!(size_of::<Error>(), size_of::<usize>());
        assert_eq!(size_of::<Result<(), Error>>(), size_of::<usize>());
    }

    #[test]
    fn a_deep_loc_is_shown_to_a_bounded_depth() {
        let loc: Vec<String> = (0..5000).map(|i| format!("step{i}")).collect();
        let body = serde_json::json!({ "detail": [{ "loc": loc, "msg": "bad", "type": "x" }] });
        let parsed = ErrorBody::parse(
            StatusCode::UNPROCESSABLE_ENTITY,
            body.to_string().as_bytes(),
        );
        let shown = parsed.to_string();
        assert!(shown.len() < 200, "{shown}");
        assert!(
            shown.starts_with("step0.step1.") && shown.ends_with(".…: bad"),
            "{shown}"
        );
    }

    #[test]
    fn parses_fastapi_validation_errors() {
        let body =
            br#"{"detail":[{"loc":["body","returnUrl"],"msg":"Field required","type":"missing"},
            {"loc":["body","items",3],"msg":"bad","type":"value_error","input":1}]}"#;
        let ErrorBody::Validation(validation) =
            ErrorBody::parse(StatusCode::UNPROCESSABLE_ENTITY, body)
        else {
            panic!("not a validation error");
        };
        assert_eq!(validation.detail.len(), 2);
        assert_eq!(validation.detail[0].error_type, "missing");
        assert_eq!(
            validation.detail[1].loc,
            [
                LocItem::Name("body".into()),
                LocItem::Name("items".into()),
                LocItem::Index(3)
            ]
        );
        assert_eq!(
            validation.to_string(),
            "body.returnUrl: Field required; body.items.3: bad"
        );
    }

    #[test]
    fn parses_detail_in_both_shapes() {
        let list = br#"{"detail":[{"msg":"Billing details not found"}]}"#;
        assert_eq!(
            ErrorBody::parse(StatusCode::NOT_FOUND, list),
            ErrorBody::Detail("Billing details not found".into())
        );
        let text = br#"{"detail":"Not Found"}"#;
        assert_eq!(
            ErrorBody::parse(StatusCode::NOT_FOUND, text),
            ErrorBody::Detail("Not Found".into())
        );
        // A 422 without `loc`/`type` (some operations answer so) still shows its message.
        assert_eq!(
            ErrorBody::parse(StatusCode::UNPROCESSABLE_ENTITY, br#"{"detail":"too big"}"#),
            ErrorBody::Detail("too big".into())
        );
    }

    #[test]
    fn other_bodies_become_bounded_snippets() {
        assert_eq!(
            ErrorBody::parse(StatusCode::INTERNAL_SERVER_ERROR, b" \n"),
            ErrorBody::Empty
        );
        let html = "<html><body>Internal Server Error</body></html>";
        assert_eq!(
            ErrorBody::parse(StatusCode::INTERNAL_SERVER_ERROR, html.as_bytes()),
            ErrorBody::Raw(html.into())
        );
        let huge = "é".repeat(10_000);
        let ErrorBody::Raw(cut) = ErrorBody::parse(StatusCode::BAD_GATEWAY, huge.as_bytes()) else {
            panic!("not raw");
        };
        assert!(cut.len() <= SNIPPET_BYTES + '…'.len_utf8());
        assert!(cut.ends_with('…'));
        let page = "<html>\r\n  <body>\n\tInternal\u{1b}[31m Error\n</body>\n</html>\n";
        assert_eq!(
            ErrorBody::parse(StatusCode::INTERNAL_SERVER_ERROR, page.as_bytes()),
            ErrorBody::Raw("<html> <body> Internal [31m Error </body> </html>".into())
        );
        let long_line = format!("{}\n{}", "a".repeat(100), "b".repeat(10_000));
        let ErrorBody::Raw(cut) = ErrorBody::parse(StatusCode::BAD_GATEWAY, long_line.as_bytes())
        else {
            panic!("not raw");
        };
        assert_eq!(cut.len(), SNIPPET_BYTES + '…'.len_utf8());
        assert!(!cut.contains('\n'));
        // `detail` is optional in the spec's HTTPValidationError.
        assert_eq!(
            ErrorBody::parse(StatusCode::UNPROCESSABLE_ENTITY, b"{}"),
            ErrorBody::Validation(HttpValidationError { detail: vec![] })
        );
        assert_eq!(
            ErrorBody::parse(StatusCode::NOT_FOUND, br#"{"detail":[]}"#),
            ErrorBody::Raw(r#"{"detail":[]}"#.into())
        );
    }

    #[test]
    fn display_is_one_line_with_status_and_message() {
        let error = Error::from_status(
            StatusCode::NOT_FOUND,
            ErrorBody::Detail("Billing details not found".into()),
        );
        assert_eq!(
            error.to_string(),
            "server answered 404 Not Found: Billing details not found"
        );
        assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
        assert_eq!(error.detail().as_deref(), Some("Billing details not found"));
        assert!(error.validation().is_none());
    }

    fn answered(
        status: u16,
        headers: &[(&'static str, &'static str)],
        body: &'static [u8],
    ) -> Error {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(*name, HeaderValue::from_static(value));
        }
        let secrets = crate::redact::secrets(["Bearer hunter22".to_owned(), "hunter22".to_owned()]);
        let map = kept_headers(map, &secrets);
        let status = StatusCode::from_u16(status).unwrap();
        let body =
            crate::redact::redact_part(bytes::Bytes::from_static(body), &secrets, false, false);
        Error::from_status(status, ErrorBody::parse(status, &body))
            .with_response_headers(&map)
            .with_answer(map, body, false)
    }

    #[test]
    fn an_error_answer_is_kept_with_the_credential_scrubbed() {
        #[derive(Deserialize, Debug, PartialEq)]
        struct Conflict {
            code: String,
            token: String,
        }
        let error = answered(
            409,
            &[
                ("x-rate-limit-remaining", "7"),
                ("set-cookie", "session=abcdef"),
                ("x-echo", "you sent Bearer hunter22"),
                ("www-authenticate", "Bearer error=\"invalid_token\""),
            ],
            br#"{"code":"stale","token":"hunter22"}"#,
        );
        assert_eq!(
            error.json::<Conflict>().unwrap().unwrap(),
            Conflict {
                code: "stale".into(),
                token: "<redacted>".into()
            }
        );
        let headers = error.headers().unwrap();
        assert_eq!(headers["x-rate-limit-remaining"], "7");
        assert!(headers.get("set-cookie").is_none());
        assert_eq!(headers["x-echo"], "you sent <redacted>");
        assert!(headers["x-echo"].is_sensitive());
        assert_eq!(
            headers["www-authenticate"],
            "Bearer error=\"invalid_token\""
        );
        assert!(!error.body_truncated());
        // Nothing of the answer's header values in `Debug`, and no credential anywhere.
        let shown = format!("{error}\n{error:?}");
        assert!(
            !shown.contains("hunter22") && !shown.contains("abcdef"),
            "{shown}"
        );
        assert!(
            shown.contains("x-rate-limit-remaining") && !shown.contains("\"7\""),
            "{shown}"
        );
        // Another type is the caller's `serde_json` error; another kind has no answer.
        assert!(error.json::<Vec<u8>>().unwrap().is_err());
        assert!(Error::builder("x").json::<Conflict>().is_none());
        assert!(Error::builder("x").headers().is_none());
    }

    #[test]
    fn a_cut_body_is_not_decoded_as_json() {
        let status = StatusCode::INTERNAL_SERVER_ERROR;
        let error = Error::from_status(status, ErrorBody::parse(status, b"{\"a\":")).with_answer(
            HeaderMap::new(),
            bytes::Bytes::from_static(b"{\"a\":"),
            true,
        );
        assert!(error.body_truncated());
        let refused = error.json::<serde_json::Value>().unwrap().unwrap_err();
        assert!(refused.to_string().contains("not whole"), "{refused}");
    }

    #[test]
    fn a_decode_error_names_the_path_cleaned() {
        let error = Error::decode("T", "items[3].price", None, "bad");
        assert_eq!(error.decode_path(), Some("items[3].price"));
        assert_eq!(
            error.to_string(),
            "the response body could not be decoded as `T` at `items[3].price`"
        );
        let error = Error::decode("T", ".", None, "bad");
        assert_eq!(
            error.to_string(),
            "the response body could not be decoded as `T`"
        );
        let hostile = format!("a\u{202e}\nb{}", "k".repeat(10_000));
        let error = Error::decode("T", &hostile, None, "bad");
        let shown = error.to_string();
        assert!(shown.len() < 400 && !shown.contains('\n') && !shown.contains('\u{202e}'));
    }
}
