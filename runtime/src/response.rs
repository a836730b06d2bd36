//! Reading the answer: a success's body as the method's `Ok` type says, through
//! [`FromResponse`]; an error answer's body into the `Status` error ([`status_error`]).

use std::future::Future;
use std::task::Poll;
use std::time::Duration;

use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use crate::deadline::Deadline;
use crate::redact::Secrets;
use crate::{ByteStream, Bytes, Error, ErrorBody, ResponseKind};

/// A success (2xx) response, handed to [`FromResponse::from_response`]. For every
/// [`ResponseKind`] but [`Stream`](ResponseKind::Stream) the body has been read whole by then
/// (so that reading it, the part of a call that awaits, is compiled once, in this crate, and
/// `from_response` is a plain function).
pub struct RawResponse {
    pub(crate) response: reqwest::Response,
    /// The body, once read whole.
    pub(crate) body: Option<bytes::Bytes>,
    pub(crate) max_response_bytes: usize,
    /// The endpoint, as errors name it: `METHOD /template`.
    pub(crate) endpoint: &'static crate::Endpoint,
    /// For a stream: how long it may wait for each chunk.
    pub(crate) idle_timeout: Option<std::time::Duration>,
    /// For a body read whole: the call's timeout, started or not yet.
    pub(crate) deadline: Deadline,
    /// For a body read whole: how long it may wait for each chunk.
    pub(crate) read_timeout: std::time::Duration,
    pub(crate) keep_alive: Option<crate::body::KeepAlive>,
    /// The settings of the client that made the call, once the body is read
    /// (`Request::send` moves them here): a decode error scrubs their credential from the
    /// snippet of the body it shows.
    pub(crate) secrets: Option<std::sync::Arc<dyn Secrets>>,
    /// For an answer a typed stream reads ([`JsonLines`](crate::JsonLines),
    /// [`Sse`](crate::Sse)): what the stream keeps of the call. Boxed: most calls have none.
    pub(crate) streaming: Option<Box<StreamParts>>,
}

/// What a typed stream keeps of its call: the call's span, which lasts as long as the
/// stream, and for an event stream that may reconnect, the call itself.
pub(crate) struct StreamParts {
    pub(crate) trace: crate::trace::CallTrace,
    /// Whether the call may be sent again (safe to repeat, its body kept, retries allowed).
    pub(crate) resumable: bool,
    /// An `event_stream::Resume`, opaque here: the module of the stream that reads it sits
    /// above this one, which only hands it on.
    pub(crate) resume: Option<Box<dyn std::any::Any + Send>>,
}

impl RawResponse {
    /// The status, e.g. 200, 201 or 204.
    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The whole body (at most the client's `max_response_bytes`: a longer one is an
    /// [`ErrorKind::ResponseTooLarge`](crate::ErrorKind::ResponseTooLarge) error before
    /// `from_response` is called). The body of a [`ResponseKind::Stream`] answer is not read
    /// before: it is an error to ask for it here ([`into_stream`](Self::into_stream) reads it).
    pub fn bytes(self) -> Result<bytes::Bytes, Error> {
        self.body.ok_or_else(unread_body)
    }

    /// The body read whole, borrowed: as [`bytes`](Self::bytes).
    fn read_body(&self) -> Result<&[u8], Error> {
        self.body.as_deref().ok_or_else(unread_body)
    }

    /// What a decode error's snippet of the body must not repeat: the client's credential.
    fn secrets(&self) -> Option<&dyn Secrets> {
        self.secrets.as_deref()
    }

    /// The body as a stream, not subject to `max_response_bytes`, nor to the call's timeout
    /// as a whole: the timeout then limits the wait for the headers and for each chunk. (For
    /// an answer whose body was read whole, a stream of that body.)
    pub fn into_stream(self) -> ByteStream {
        if let Some(body) = self.body {
            // As a stream would give it: no chunk at all for an empty body.
            let chunk = (!body.is_empty()).then_some(Ok::<_, Error>(body));
            return ByteStream::from_stream(futures_util::stream::iter(chunk));
        }
        ByteStream::from_response(
            self.response,
            self.endpoint.to_string().into_boxed_str(),
            self.idle_timeout,
            self.keep_alive,
        )
    }

    /// Reads the body whole, unless `kind` streams it, bounded by `max_response_bytes`, the
    /// read timeout and what is left of the call's timeout.
    ///
    /// Not an `async fn`, whose argument the future would hold twice (rust-lang/rust#62958):
    /// an `async move` block holds the answer once.
    #[allow(clippy::manual_async_fn)]
    pub(crate) fn read(
        mut self,
        kind: ResponseKind,
    ) -> impl Future<Output = Result<Self, Error>> + Send {
        async move {
            if kind.is_streamed() {
                return Ok(self);
            }
            let limit = self.max_response_bytes;
            let body = read_body(&mut self.response, limit, self.read_timeout, self.deadline).await;
            match body.map_err(|(_, error)| error)? {
                Body::Complete(bytes) => self.body = Some(bytes),
                Body::Truncated(_) => return Err(Error::response_too_large(limit)),
            }
            Ok(self)
        }
    }
}

/// What asking for the body of an answer read as a stream gives: a `FromResponse` whose
/// `KIND` is `Stream` reads it with `into_stream`.
fn unread_body() -> Error {
    Error::builder(
        "the body of a `ResponseKind::Stream` answer is not read whole: use `into_stream()`",
    )
}

/// An answer made of parts, read as a call reads it: a non-2xx status becomes the
/// `Status` error of every call ([`status_error`]), a 2xx goes to
/// `T::from_response`; every
/// error names the endpoint `GET /fuzz/{id}`. For `runtime/tests/fuzz_decode.rs`, which
/// feeds it any answer a server could send, without a network. Needs a Tokio runtime
/// with time enabled. Not public API: `__private::read_answer`.
pub async fn read_answer<T: FromResponse>(
    status: StatusCode,
    headers: HeaderMap,
    chunks: Vec<bytes::Bytes>,
    max_response_bytes: usize,
) -> Result<T, Error> {
    use crate::{Endpoint, PathPiece};
    static ENDPOINT: Endpoint = Endpoint::new(
        "fuzz",
        http::Method::GET,
        "/fuzz/{id}",
        &[PathPiece::Literal("/fuzz/"), PathPiece::Param("id")],
        &["id"],
    );
    let read_timeout = std::time::Duration::from_secs(60);
    let body = futures_util::stream::iter(chunks.into_iter().map(Ok::<_, std::io::Error>));
    let mut answer = http::Response::new(reqwest::Body::wrap_stream(body));
    *answer.status_mut() = status;
    *answer.headers_mut() = headers;
    let response = reqwest::Response::from(answer);
    let result = if status.is_success() {
        let answer = RawResponse {
            response,
            body: None,
            max_response_bytes,
            endpoint: &ENDPOINT,
            idle_timeout: None,
            deadline: Deadline::Never,
            read_timeout,
            keep_alive: None,
            secrets: None,
            streaming: None,
        };
        answer.read(T::KIND).await.and_then(T::from_response)
    } else {
        // The very path of every call's error answer.
        Err(status_error(
            response,
            &[],
            DEFAULT_MAX_ERROR_BODY_BYTES,
            read_timeout,
            Deadline::Never,
        )
        .await)
    };
    result.map_err(|error| error.with_endpoint(&ENDPOINT))
}

/// How a method's `Ok` type reads a success response, in the way `Deserialize` lets a type
/// read itself: the generated code only names the type.
///
/// | `Ok` type | reads |
/// |---|---|
/// | `T: DeserializeOwned` | JSON (any 2xx); an empty body (204) reads as `null`, so `()` and `Option<T>` accept it |
/// | [`Bytes`] | the raw body, bounded by `max_response_bytes` |
/// | [`ByteStream`] | the body as a stream, not bounded |
/// | [`Response<T>`] | status and headers beside `T` |
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a response",
    label = "not `DeserializeOwned`, `Bytes`, `ByteStream` or `Response<T>`",
    note = "derive `serde::Deserialize` for it to read JSON, or return `askui_runtime::Bytes` or `askui_runtime::ByteStream` for the raw body"
)]
pub trait FromResponse: Sized {
    /// What the endpoint's description reports as its [`ResponseKind`].
    const KIND: ResponseKind;

    /// Reads the response, whose body has been read whole unless `KIND` is
    /// [`ResponseKind::Stream`]. Not `async`: the waiting is done by then, in the runtime.
    fn from_response(response: RawResponse) -> Result<Self, Error>;
}

impl<T: DeserializeOwned> FromResponse for T {
    const KIND: ResponseKind = ResponseKind::Json;

    fn from_response(response: RawResponse) -> Result<Self, Error> {
        decode(response.read_body()?, response.secrets())
    }
}

impl FromResponse for Bytes {
    const KIND: ResponseKind = ResponseKind::Bytes;

    fn from_response(response: RawResponse) -> Result<Self, Error> {
        response.bytes().map(Bytes::from)
    }
}

impl FromResponse for ByteStream {
    const KIND: ResponseKind = ResponseKind::Stream;

    fn from_response(response: RawResponse) -> Result<Self, Error> {
        Ok(response.into_stream())
    }
}

/// A success response's status and headers beside its value: `Result<Response<T>, Error>`.
#[derive(Debug)]
#[non_exhaustive]
pub struct Response<T> {
    /// The status, e.g. 201.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body, read as `T` would be on its own.
    pub value: T,
}

impl<T> Response<T> {
    /// The value, without status and headers.
    pub fn into_value(self) -> T {
        self.value
    }
}

impl<T: FromResponse> FromResponse for Response<T> {
    const KIND: ResponseKind = T::KIND;

    fn from_response(response: RawResponse) -> Result<Self, Error> {
        let status = response.status();
        let headers = response.headers().clone();
        Ok(Response {
            status,
            headers,
            value: T::from_response(response)?,
        })
    }
}

/// An empty body reads as JSON `null`, so `()` and `Option<T>` accept a 204. A type that is
/// only a unit (`()`, a unit struct) ignores the body: whatever a "no content" answer
/// carries in practice, the caller asked for nothing. A body that is not a `T` is an error
/// that names the path where it stopped matching and shows a snippet of the body there,
/// the `secrets` scrubbed (asked for only then).
pub(crate) fn decode<T: DeserializeOwned>(
    bytes: &[u8],
    secrets: Option<&dyn Secrets>,
) -> Result<T, Error> {
    if let Ok(unit) = T::deserialize(UnitProbe) {
        return Ok(unit);
    }
    let bytes = if bytes.iter().all(u8::is_ascii_whitespace) {
        &b"null"[..]
    } else {
        bytes
    };
    // Plain `serde_json`, as a hand-written client decodes (BENCHMARKS.md sections 1 and 2):
    // tracking the path costs on every value, so only a body that failed is read again.
    serde_json::from_slice(bytes)
        .map_err(|error| decode_error(std::any::type_name::<T>(), bytes, error, secrets))
}

/// The error of a body that is not a `T`. Not generic: only the type's name is, so a failed
/// decode costs nothing per response type (reading the body again with a path-tracking
/// deserializer would compile every type's deserializer a second time, in every crate that
/// calls the method). Out of line and cold: only a failed decode runs it.
#[cold]
#[inline(never)]
fn decode_error(
    type_name: &'static str,
    bytes: &[u8],
    error: serde_json::Error,
    secrets: Option<&dyn Secrets>,
) -> Error {
    let path = json_path_at(bytes, error_offset(bytes, &error), &error);
    let mut error = Some(error);
    let mut made = None;
    let mut make = |secrets: &[String]| {
        if let Some(error) = error.take() {
            made = Some(decode_failure(type_name, bytes, &path, error, secrets));
        }
    };
    match secrets {
        Some(secrets) => secrets.with_secrets(&mut make),
        None => make(&[]),
    }
    // `with_secrets` calls back once; were it not to, the error still says what failed.
    made.unwrap_or_else(|| Error::decode(type_name, &path, None, "the body is not that type"))
}

/// The byte where `serde_json` stopped: its `line` and `column` are 1-based, and `column`
/// counts bytes.
fn error_offset(bytes: &[u8], error: &serde_json::Error) -> usize {
    let line_start = match error.line() {
        0 | 1 => 0,
        line => bytes
            .iter()
            .enumerate()
            .filter(|(_, byte)| **byte == b'\n')
            .nth(line - 2)
            .map_or(bytes.len(), |(at, _)| at + 1),
    };
    line_start
        .saturating_add(error.column().saturating_sub(1))
        .min(bytes.len())
}

/// Where `offset` is in the JSON text `bytes`, as a path: `items[3].price`, or `.` for the
/// document itself. The text is scanned up to `offset` with a stack of open objects (with
/// the key being read) and arrays (with the index), which is enough: `serde_json` stops
/// inside or just after the value that failed, and a missing field is reported at the end
/// of the object that lacks it, whose path this then is. Syntax errors stop the scan where
/// the text stops being JSON, which is the place to show.
fn json_path_at(bytes: &[u8], offset: usize, error: &serde_json::Error) -> String {
    enum Frame {
        Object { key: Option<String>, in_key: bool },
        Array(usize),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let end = offset.min(bytes.len());
    // An invalid-type error points at the last byte of the value (a closing `"`, `}`, `]`):
    // keep that value's container open.
    let end = match error.classify() {
        serde_json::error::Category::Data => end.saturating_sub(1),
        _ => end,
    };
    // Reported at the end of the object that lacks the field: the path is the object's, not
    // its last key's.
    let missing_field = error.to_string().starts_with("missing field");
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'{' => stack.push(Frame::Object {
                key: None,
                in_key: true,
            }),
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(index)) => *index += 1,
                Some(Frame::Object { in_key, .. }) => *in_key = true,
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { in_key, .. }) = stack.last_mut() {
                    *in_key = false;
                }
            }
            b'"' => {
                let start = i + 1;
                i = start;
                while i < end && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object { key, in_key: true }) = stack.last_mut() {
                    let text = &bytes[start..i.min(end)];
                    *key = Some(String::from_utf8_lossy(text).into_owned());
                }
            }
            _ => {}
        }
        i += 1;
    }
    if missing_field && let Some(Frame::Object { key, .. }) = stack.last_mut() {
        *key = None;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array(index) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// [`decode_error`]'s error, with a snippet of the body where it failed, `secrets` scrubbed.
fn decode_failure(
    type_name: &'static str,
    bytes: &[u8],
    path: &str,
    error: serde_json::Error,
    secrets: &[String],
) -> Error {
    let snippet = decode_snippet(bytes, &error, secrets);
    // `serde_json`'s message repeats a string value that has the wrong type; if that value
    // holds the credential, the cause is the message scrubbed, not the error itself.
    let shown = error.to_string();
    if secrets.iter().any(|secret| shown.contains(secret.as_str())) {
        let scrubbed = crate::redact::redact(shown.as_bytes(), secrets);
        let scrubbed = String::from_utf8_lossy(&scrubbed).into_owned();
        return Error::decode(type_name, path, snippet, scrubbed);
    }
    Error::decode(type_name, path, snippet, error)
}

/// What the body says where decoding failed: the bytes before the error's position (the
/// key and value that failed end there) and a few after, as one `clean`
/// line of at most `SNIPPET_BYTES`, each of `secrets` scrubbed, `…` where it was cut.
fn decode_snippet(bytes: &[u8], error: &serde_json::Error, secrets: &[String]) -> Option<String> {
    use crate::error::{SNIPPET_BYTES, clean};
    let at = error_offset(bytes, error);
    let mut start = at.saturating_sub(SNIPPET_BYTES * 3 / 4);
    // Not inside a character: UTF-8 continuation bytes are `0b10xx_xxxx`.
    while start < at && bytes[start] & 0xC0 == 0x80 {
        start += 1;
    }
    let end = at.saturating_add(SNIPPET_BYTES / 4).min(bytes.len());
    let part = crate::redact::redact_part(
        bytes::Bytes::copy_from_slice(&bytes[start..end]),
        secrets,
        start > 0,
        end < bytes.len(),
    );
    let text = clean(&String::from_utf8_lossy(&part), SNIPPET_BYTES);
    if text.is_empty() {
        return None;
    }
    let mut snippet = String::with_capacity(text.len() + 6);
    if start > 0 {
        snippet.push('…');
    }
    snippet.push_str(&text);
    if end < bytes.len() && !snippet.ends_with('…') {
        snippet.push('…');
    }
    Some(snippet)
}

/// A deserializer that only has a unit to give: types that accept it are unit-like.
struct UnitProbe;

#[derive(Debug)]
struct NotUnit;

impl std::fmt::Display for NotUnit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a unit type")
    }
}

impl std::error::Error for NotUnit {}

impl serde::de::Error for NotUnit {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        NotUnit
    }
}

impl<'de> serde::Deserializer<'de> for UnitProbe {
    type Error = NotUnit;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, NotUnit> {
        Err(NotUnit)
    }

    fn deserialize_unit<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, NotUnit> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: serde::de::Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, NotUnit> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

pub(crate) enum Body {
    Complete(bytes::Bytes),
    Truncated(bytes::Bytes),
}

/// How much of an error answer's body a `Status` error keeps unless
/// [`ClientBuilder::max_error_body_bytes`](crate::ClientBuilder::max_error_body_bytes) says
/// otherwise: enough for any validation report and most error pages.
pub const DEFAULT_MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// The `Status` error of a non-2xx answer, with its body read up to `limit` (the client's
/// `max_error_body_bytes`: a misbehaving server cannot make us buffer more to produce an
/// error), each wait for more at most `read_timeout`, and each of `secrets` scrubbed from
/// its body and headers. The error keeps both, for `Error::body_bytes`, `json` and
/// `headers`, and decodes the body for `detail` and `validation`.
pub(crate) async fn status_error(
    mut response: reqwest::Response,
    secrets: &[String],
    limit: usize,
    read_timeout: Duration,
    deadline: Deadline,
) -> Error {
    let status = response.status();
    let headers = crate::error::kept_headers(response.headers().clone(), secrets);
    let (bytes, truncated, cut_short) =
        match read_body(&mut response, limit, read_timeout, deadline).await {
            Ok(Body::Complete(bytes)) => (bytes, false, None),
            // A copy of the part kept: a slice would keep the whole chunk it came in alive
            // as long as the error, and one chunk may be much larger than the bound.
            Ok(Body::Truncated(bytes)) => (bytes::Bytes::copy_from_slice(&bytes), true, None),
            // The status is the news; what arrived before the body broke off still tells.
            Err((bytes, error)) => (bytes, true, Some(error)),
        };
    let bytes = crate::redact::redact_part(bytes, secrets, false, truncated);
    let error = Error::from_status(status, ErrorBody::parse(status, &bytes))
        .with_response_headers(&headers)
        .with_answer(headers, bytes, truncated);
    match cut_short {
        Some(cause) => error.with_source(cause),
        None => error,
    }
}

/// Reads at most `limit` bytes, so a huge or endless body costs bounded memory, waiting at
/// most `idle` for each chunk and, with a `deadline` (the call's timeout), not past it. A
/// body that arrives in one chunk (most answers to a call) is kept as it came, not copied.
///
/// Not an `async fn`, whose arguments the future would hold twice (rust-lang/rust#62958).
#[allow(clippy::manual_async_fn)]
pub(crate) fn read_body(
    response: &mut reqwest::Response,
    limit: usize,
    idle: Duration,
    mut deadline: Deadline,
) -> impl Future<Output = Result<Body, (bytes::Bytes, Error)>> + Send + '_ {
    async move {
        // One `await` in one loop: the future holds one chunk's wait, not one per await point.
        let mut read = Collected::Empty;
        loop {
            let chunk = match next_chunk(response, idle, &mut deadline, read.len()).await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => return Ok(Body::Complete(read.into_bytes())),
                Err(error) => return Err((read.into_bytes(), error)),
            };
            let room = limit - read.len();
            if chunk.len() > room {
                read = read.append(chunk.slice(..room), response.content_length(), limit);
                return Ok(Body::Truncated(read.into_bytes()));
            }
            read = read.append(chunk, response.content_length(), limit);
        }
    }
}

/// A body read so far (an answer's, or an in-memory request's).
pub(crate) enum Collected {
    Empty,
    /// One chunk, kept as it came.
    One(bytes::Bytes),
    Many(Vec<u8>),
}

impl Collected {
    fn len(&self) -> usize {
        match self {
            Collected::Empty => 0,
            Collected::One(chunk) => chunk.len(),
            Collected::Many(bytes) => bytes.len(),
        }
    }

    pub(crate) fn append(self, chunk: bytes::Bytes, declared: Option<u64>, limit: usize) -> Self {
        // Trust a declared length only so far: a header alone must not make us reserve much.
        const INITIAL_CAPACITY_LIMIT: usize = 64 * 1024;
        match self {
            Collected::Empty => Collected::One(chunk),
            Collected::One(first) => {
                let capacity = usize::try_from(declared.unwrap_or(0))
                    .unwrap_or(usize::MAX)
                    .min(limit)
                    .min(INITIAL_CAPACITY_LIMIT)
                    .max(first.len() + chunk.len());
                let mut bytes = Vec::with_capacity(capacity);
                bytes.extend_from_slice(&first);
                bytes.extend_from_slice(&chunk);
                Collected::Many(bytes)
            }
            Collected::Many(mut bytes) => {
                bytes.extend_from_slice(&chunk);
                Collected::Many(bytes)
            }
        }
    }

    pub(crate) fn into_bytes(self) -> bytes::Bytes {
        match self {
            Collected::Empty => bytes::Bytes::new(),
            Collected::One(chunk) => chunk,
            Collected::Many(bytes) => bytes.into(),
        }
    }
}

/// The next chunk of a body, waiting at most `idle` for it. A chunk that is there already
/// (a small body arrives with the head) is taken without setting a timer. Not an `async
/// fn`, as [`read_body`].
#[allow(clippy::manual_async_fn)]
fn next_chunk<'a>(
    response: &'a mut reqwest::Response,
    idle: Duration,
    deadline: &'a mut Deadline,
    read: usize,
) -> impl Future<Output = Result<Option<bytes::Bytes>, Error>> + Send + 'a {
    async move {
        let mut chunk = std::pin::pin!(response.chunk());
        let ready = std::future::poll_fn(|cx| Poll::Ready(chunk.as_mut().poll(cx))).await;
        let result = match ready {
            Poll::Ready(result) => result,
            Poll::Pending => {
                let now = Instant::now();
                let deadline = deadline.start(|| now);
                let stalled = now.checked_add(idle);
                let call_ends_first = match (deadline, stalled) {
                    (Some(deadline), Some(stalled)) => deadline < stalled,
                    (deadline, _) => deadline.is_some(),
                };
                let wait = if call_ends_first { deadline } else { stalled };
                let arrived = match wait {
                    Some(end) => tokio::time::timeout_at(end, chunk).await.ok(),
                    None => Some(chunk.await),
                };
                match arrived {
                    Some(result) => result,
                    None if call_ends_first => {
                        return Err(Error::timeout(format!(
                            "the response body was not complete within the timeout, after {read} \
                         bytes"
                        ))
                        .with_source(std::io::Error::from(std::io::ErrorKind::TimedOut)));
                    }
                    None => {
                        return Err(Error::timeout(format!(
                            "the response body stalled for {idle:?} after {read} bytes"
                        )));
                    }
                }
            }
        };
        result.map_err(Error::transport)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: Option<&'static str>) -> RawResponse {
        static ENDPOINT: crate::Endpoint =
            crate::Endpoint::new("get", http::Method::GET, "/x", &[], &[]);
        RawResponse {
            response: reqwest::Response::from(http::Response::new(reqwest::Body::from(""))),
            body: body.map(|text| bytes::Bytes::from_static(text.as_bytes())),
            max_response_bytes: 1024,
            endpoint: &ENDPOINT,
            idle_timeout: None,
            deadline: Deadline::Never,
            read_timeout: Duration::from_secs(1),
            keep_alive: None,
            secrets: None,
            streaming: None,
        }
    }

    #[test]
    fn an_unread_body_is_an_error_not_an_empty_one() {
        assert_eq!(&answer(Some("{}")).bytes().unwrap()[..], b"{}");
        let error = answer(None).bytes().unwrap_err();
        assert!(error.to_string().contains("into_stream"), "{error}");
        // Nor does a JSON type read an unread body as `null`.
        assert!(<Option<u32> as FromResponse>::from_response(answer(None)).is_err());
        assert_eq!(
            <Option<u32> as FromResponse>::from_response(answer(Some(""))).unwrap(),
            None
        );
    }

    #[tokio::test]
    async fn a_read_body_streams_as_a_stream_would() {
        let mut empty = answer(Some("")).into_stream();
        assert!(empty.chunk().await.unwrap().is_none());
        let mut one = answer(Some("abc")).into_stream();
        assert_eq!(&one.chunk().await.unwrap().unwrap()[..], b"abc");
        assert!(one.chunk().await.unwrap().is_none());
    }

    #[test]
    fn empty_success_bodies_decode_as_null() {
        decode::<()>(b"", None).unwrap();
        decode::<()>(b"{\"ok\": true}", None).unwrap();
        decode::<()>(b"<html>OK</html>", None).unwrap();
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Done;
        assert_eq!(decode::<Done>(b"OK", None).unwrap(), Done);
        assert!(decode::<Option<u32>>(b"{}", None).is_err());
        assert_eq!(
            decode::<serde_json::Value>(b"", None).unwrap(),
            serde_json::Value::Null
        );
        assert_eq!(decode::<Option<u32>>(b" ", None).unwrap(), None);
        let error = decode::<Vec<u32>>(b"", None).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Decode);
        assert!(
            error.to_string().contains("alloc::vec::Vec<u32>"),
            "{error}"
        );
    }

    #[test]
    fn kinds_follow_the_type() {
        assert_eq!(<() as FromResponse>::KIND, ResponseKind::Json);
        assert_eq!(<Bytes as FromResponse>::KIND, ResponseKind::Bytes);
        assert_eq!(<ByteStream as FromResponse>::KIND, ResponseKind::Stream);
        assert_eq!(
            <Response<ByteStream> as FromResponse>::KIND,
            ResponseKind::Stream
        );
    }

    #[test]
    fn a_decode_error_names_the_field_and_shows_the_body_there() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Item {
            price: f64,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Page {
            items: Vec<Item>,
        }
        let body = format!(
            r#"{{"items": [{{"price": 1}}, {{"price": 2}}, {{"price": 3}},
                {{"price": "hunter22 is {}"}}]}}"#,
            "x".repeat(2000)
        );
        struct Known(Vec<String>);
        impl Secrets for Known {
            fn with_secrets(&self, scrub: &mut dyn FnMut(&[String])) {
                scrub(&self.0);
            }
        }
        let secrets = Known(crate::redact::secrets(["hunter22".to_owned()]));
        let error = decode::<Page>(body.as_bytes(), Some(&secrets)).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Decode);
        assert_eq!(error.decode_path(), Some("items[3].price"));
        assert!(
            error.to_string().ends_with("at `items[3].price`"),
            "{error}"
        );
        let Some(crate::ErrorBody::Raw(snippet)) = error.body() else {
            panic!("no snippet: {error:?}");
        };
        assert!(
            snippet.len() <= crate::error::SNIPPET_BYTES + 6,
            "{snippet}"
        );
        assert!(
            snippet.starts_with('…') && snippet.contains("xxx"),
            "{snippet}"
        );
        let shown = format!("{error:?} {}", std::error::Error::source(&error).unwrap());
        assert!(
            !shown.contains("hunter22") && shown.contains("<redacted>"),
            "{shown}"
        );
        // Trailing text: the document is wrong, not a field.
        let error = decode::<Vec<u32>>(b"[1] [2]", None).unwrap_err();
        assert_eq!(error.decode_path(), Some("."));
        let error = decode::<Vec<u32>>(b"[1, 2, \"three\"]", None).unwrap_err();
        assert_eq!(error.decode_path(), Some("[2]"));
        // The cause is `serde_json`'s error, when it does not repeat a secret.
        let source = std::error::Error::source(&error).unwrap();
        assert!(source.downcast_ref::<serde_json::Error>().is_some());
        let Some(crate::ErrorBody::Raw(snippet)) = error.body() else {
            panic!("no snippet: {error:?}");
        };
        // A short body is shown whole.
        assert_eq!(snippet, "[1, 2, \"three\"]");
    }

    #[test]
    fn the_path_is_found_from_where_serde_json_stopped() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            name: String,
            price: u32,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Page {
            items: Vec<Item>,
        }
        let path = |body: &str| {
            decode::<Page>(body.as_bytes(), None)
                .unwrap_err()
                .decode_path()
                .map(str::to_owned)
        };
        let wrong = r#"{"items": [{"name": "a", "price": 1}, {"name": "b", "price": "2"}]}"#;
        assert_eq!(path(wrong).as_deref(), Some("items[1].price"));
        let object = r#"{"items": [{"name": "a", "price": {"amount": 1}}]}"#;
        assert_eq!(path(object).as_deref(), Some("items[0].price"));
        let missing = r#"{"items": [{"name": "a", "price": 1},
            {"name": "b"}]}"#;
        assert_eq!(path(missing).as_deref(), Some("items[1]"));
        let escaped = r#"{"items": [{"name": "a \"quoted\" one", "price": -1}]}"#;
        assert_eq!(path(escaped).as_deref(), Some("items[0].price"));
        assert_eq!(path(r#"{"items": 3}"#).as_deref(), Some("items"));
        assert_eq!(path(r#"{"items": [}"#).as_deref(), Some("items[0]"));
        assert_eq!(path("[]").as_deref(), Some("."));
    }
}
