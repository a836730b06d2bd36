//! Building, sending and reading one call. The generated code creates a [`Request`], hands
//! it each argument (one method per role) and returns [`Request::send_as`]; the call is then one
//! [`Call`] value, which [`execute`] puts on the wire. Everything else happens here. A
//! [`Download`] of a URL the API handed out shares the sending and the status check.

use std::fmt::{self, Display, Write as _};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::FutureExt as _;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, HeaderName, HeaderValue};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use url::Url;

use crate::body::{IntoBody, IntoMultipart, KeepAlive, RawBody};
use crate::client::Settings;
use crate::in_place::InPlace;
use crate::options::AsCallOptions;
use crate::query::{self, Pairs};
use crate::response::{Deadline, RawResponse, read_body};
use crate::trace::CallTrace;
use crate::{
    ByteStream, Client, Endpoint, Error, ErrorBody, Multipart, PathPiece, ResponseKind, RetryPolicy,
};

/// Everything but RFC 3986's unreserved characters is encoded, so a value is always exactly
/// one segment: `/`, `?`, `#`, `%`, spaces and non-ASCII can never change the route.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How much of an error response is read: enough for any validation report, bounded so that
/// a misbehaving server cannot make us buffer much to produce an error message.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");
const FORM_URLENCODED: HeaderValue = HeaderValue::from_static("application/x-www-form-urlencoded");
const ANY: HeaderValue = HeaderValue::from_static("*/*");

/// One call, fully described: what [`execute`] sends. Every value is already encoded, so
/// nothing here borrows the caller's arguments.
#[derive(Default)]
pub(crate) struct Call {
    /// The request URL as far as it is written: the base URL, then the path's pieces in the
    /// template's order. A parameter given in its turn (the usual case) is written straight
    /// in, with no buffer of its own.
    url: String,
    /// How many of the endpoint's path pieces `url` holds.
    written: usize,
    /// Whether a path value has a `.` (so the path may have a `.` or `..` segment).
    dotted: bool,
    /// Encoded values of parameters given before their turn, by name.
    path_values: Vec<(&'static str, String)>,
    /// Query pairs, not yet URL-encoded.
    query: Pairs,
    body: Body,
    /// `Some(None)`: no timeout for this call.
    timeout: Option<Option<Duration>>,
    /// Headers and a retry policy of this call's own, which most calls do not have: boxed,
    /// so that a call without them is small to move.
    extras: Option<Box<Extras>>,
    /// What must outlive a streamed answer (a blocking client's runtime).
    keep_alive: Option<KeepAlive>,
}

#[derive(Default)]
struct Extras {
    /// From `#[header]` arguments.
    headers: HeaderMap,
    /// From `#[options]`, applied after everything else.
    option_headers: HeaderMap,
    /// From `#[options]`: this call's retry policy instead of the client's.
    retry: Option<RetryPolicy>,
}

impl Call {
    fn extras(&mut self) -> &mut Extras {
        self.extras.get_or_insert_with(Box::default)
    }
}

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

/// One call being assembled by generated code. Argument errors are kept and returned by
/// [`send_as`](Request::send_as) before any I/O, so the generated code needs no error handling.
#[doc(hidden)]
pub struct Request {
    client: Client,
    /// A `static` of the generated method: a reference, so the request is small to move.
    endpoint: &'static Endpoint,
    call: Call,
    error: Option<Error>,
}

impl Request {
    pub fn new(client: &Client, endpoint: &'static Endpoint) -> Self {
        let base_url = client.base_url();
        // Room for the path and a query: one allocation for the whole URL, as `format!`.
        let mut url = String::with_capacity(base_url.len() + 128);
        url.push_str(base_url);
        Request {
            call: Call {
                url,
                timeout: endpoint.timeout().map(Some),
                ..Call::default()
            },
            // One reference count: the call owns what it needs, so a blocking client can run
            // it on its own runtime.
            client: client.clone(),
            endpoint,
            error: None,
        }
    }

    /// Renders a path parameter with `Display` and percent-encodes it as one segment.
    pub fn path_param(&mut self, name: &'static str, value: &dyn Display) {
        self.path_value(name, value, false);
    }

    /// A multi-segment parameter (`<name..>`): each `/`-separated part is encoded on its
    /// own and the `/` between them is kept.
    pub fn path_rest(&mut self, name: &'static str, value: &dyn Display) {
        self.path_value(name, value, true);
    }

    fn path_value(&mut self, name: &'static str, value: &dyn Display, rest: bool) {
        let pieces = self.endpoint.path();
        let call = &mut self.call;
        while let Some(PathPiece::Literal(text)) = pieces.get(call.written) {
            call.url.push_str(text);
            call.written += 1;
        }
        let result = match pieces.get(call.written) {
            Some(PathPiece::Param(next) | PathPiece::Rest(next)) if *next == name => {
                write_segments(&mut call.url, value, rest).map(|dotted| {
                    call.written += 1;
                    call.dotted |= dotted;
                })
            }
            // Not its turn yet: kept until the URL is finished.
            _ => {
                let mut encoded = String::new();
                write_segments(&mut encoded, value, rest).map(|dotted| {
                    call.dotted |= dotted;
                    call.path_values.push((name, encoded));
                })
            }
        };
        if let Err(problem) = result {
            self.fail(Error::invalid_argument(name, problem));
        }
    }

    /// `#[query]`: `key=value` for a scalar, nothing for `None` or an empty list, the key
    /// repeated for each item of a list.
    pub fn query<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if let Err(problem) = query::named(key, value, &mut self.call.query) {
            self.fail(Error::invalid_argument(key, problem));
        }
    }

    /// `#[query(flatten)]`: one parameter per field.
    pub fn query_fields<T: Serialize + ?Sized>(&mut self, argument: &'static str, value: &T) {
        if let Err(problem) = query::flatten(value, &mut self.call.query) {
            self.fail(Error::invalid_argument(argument, problem));
        }
    }

    /// `#[header("Name")]`: a header from a `Display` value.
    pub fn header(&mut self, name: &'static str, value: &dyn Display) {
        let result = render(value).and_then(|rendered| {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| "not a valid header name".to_owned())?;
            let value = HeaderValue::try_from(rendered).map_err(|_| {
                "the value contains bytes not allowed in an HTTP header (such as CR or LF)"
                    .to_owned()
            })?;
            Ok((name, value))
        });
        match result {
            Ok((name, value)) => {
                self.call.extras().headers.append(name, value);
            }
            Err(problem) => self.fail(Error::invalid_argument(name, problem)),
        }
    }

    /// `#[body]`: serialized now, so that the future does not borrow the caller's value.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, name: &'static str, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.call.body = Body::Bytes(APPLICATION_JSON, bytes.into()),
            Err(error) => self.fail(
                Error::invalid_argument(name, "the body could not be serialized as JSON")
                    .with_source(error),
            ),
        }
    }

    /// `#[form]`: `application/x-www-form-urlencoded`, one pair per field (lists repeat
    /// the key, `None` is left out).
    pub fn form_body<T: Serialize + ?Sized>(&mut self, name: &'static str, body: &T) {
        let mut pairs = Pairs::new();
        match query::flatten(body, &mut pairs) {
            Ok(()) => {
                let encoded = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(&pairs)
                    .finish();
                self.call.body = Body::Bytes(FORM_URLENCODED, encoded.into());
            }
            Err(problem) => self.fail(Error::invalid_argument(name, problem)),
        }
    }

    /// `#[multipart]`: streamed; file parts are opened when the call is sent.
    pub fn multipart_body<M: IntoMultipart>(&mut self, body: M) {
        self.call.body = Body::Multipart(body.into_multipart());
    }

    /// `#[body(content_type = "…")]`: bytes or a stream, sent as they are.
    pub fn raw_body<B: IntoBody>(&mut self, content_type: &'static str, body: B) {
        let Ok(content_type) = HeaderValue::from_str(content_type) else {
            return self.fail(Error::invalid_argument(
                "body",
                "the content type is not a valid header value",
            ));
        };
        self.call.body = match body.into_body() {
            RawBody::Bytes(bytes) => Body::Bytes(content_type, bytes),
            RawBody::Stream(stream) => Body::Stream(content_type, stream),
        };
    }

    /// `#[options]`: per-call changes, applied last.
    pub fn options(&mut self, options: &dyn AsCallOptions) {
        let Some(options) = options.as_call_options() else {
            return;
        };
        if let Err(error) = options.check() {
            return self.fail(error);
        }
        if let Some(timeout) = options.timeout {
            self.call.timeout = Some(timeout);
        }
        if let Some(retry) = &options.retry {
            self.call.extras().retry = Some(retry.clone());
        }
        if !options.headers.is_empty() {
            self.call.extras().option_headers = options.headers.clone();
        }
    }

    /// Keeps `value` alive as long as the answer: a blocking client's runtime, which drives
    /// a streamed download's connection.
    #[cfg(feature = "blocking")]
    pub(crate) fn keep_alive(&mut self, value: KeepAlive) {
        self.call.keep_alive = Some(value);
    }

    fn fail(&mut self, error: Error) {
        // The first problem is the one to fix first; later ones are often its consequences.
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Sends the request, reads a success response with `read` and turns an error into the
    /// method's own error type with `convert`. Generated code passes
    /// `<T as FromResponse>::KIND`, `<T as FromResponse>::from_response` and `From::from`: the
    /// very path the endpoint's const names for its kind, so that a `T` that cannot be read
    /// is reported once, not twice; and `From::from` spanned at the method's `E`.
    ///
    /// Everything that waits (sending, retrying, reading a buffered body) is one non-generic
    /// future, held in place (not boxed) and compiled once, in this crate. What is generic,
    /// `read` and `convert`, are plain functions of the answer, run by [`SendAs`]'s `poll`.
    ///
    /// `read` and `convert` are function pointers, not generic: their bounds are then checked
    /// where the generated code names them, once, and the future's type does not carry them.
    pub fn send_as<R, E>(
        self,
        kind: ResponseKind,
        read: fn(RawResponse) -> Result<R, Error>,
        convert: fn(Error) -> E,
    ) -> SendAs<R, E, impl Future<Output = Result<RawResponse, Error>> + Send> {
        SendAs {
            sending: self.send(kind),
            read,
            convert,
        }
    }

    /// Puts the call on the wire (or reports the argument problem recorded) and reads the
    /// answer's body, unless `kind` streams it. Never inlined: the future's `poll` and drop
    /// are taken here, in this crate (see `InPlace`).
    #[inline(never)]
    fn send(
        mut self,
        kind: ResponseKind,
    ) -> InPlace<impl Future<Output = Result<RawResponse, Error>> + Send> {
        // An `async` block, not an `async fn`, which would hold `self` twice
        // (rust-lang/rust#62958).
        InPlace::new(async move {
            // Every error says which call failed, whichever step it came from.
            let endpoint = self.endpoint;
            if let Some(error) = self.error.take() {
                return Err(error.with_endpoint(endpoint));
            }
            // The sent answer is taken out of its `Result` in a statement of its own, so that
            // the `Result` is not kept beside the reading that follows.
            let answer = match execute(&self.client, endpoint, &mut self.call, kind).await {
                Ok(answer) => answer,
                Err(error) => return Err(error.with_endpoint(endpoint)),
            };
            let read = answer.read(kind).await;
            read.map_err(|error| error.with_endpoint(endpoint))
        })
    }
}

pin_project_lite::pin_project! {
    /// The future a generated method returns ([`Request::send_as`]): the call's future
    /// (the runtime's own, held in place), then `read` and `convert` on its answer. A future of its own
    /// rather than `futures_util`'s `Map`, whose `poll` and projections rustc would generate
    /// again for every response type (about 180 LLVM lines per method); this one's `poll` is
    /// a few lines.
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct SendAs<R, E, S: Future> {
        #[pin]
        sending: InPlace<S>,
        read: fn(RawResponse) -> Result<R, Error>,
        convert: fn(Error) -> E,
    }
}

impl<R, E, S> Future for SendAs<R, E, S>
where
    S: Future<Output = Result<RawResponse, Error>>,
{
    type Output = Result<R, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let answer = std::task::ready!(this.sending.poll(cx));
        let read = |answer: RawResponse| {
            let endpoint = answer.endpoint;
            (this.read)(answer).map_err(|error| error.with_endpoint(endpoint))
        };
        Poll::Ready(answer.and_then(read).map_err(*this.convert))
    }
}

impl<R, E, S: Future> fmt::Debug for SendAs<R, E, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendAs").finish_non_exhaustive()
    }
}

/// What a path value's byte asks for, as a table (the scan runs over every byte of every
/// path value): [`ESCAPED`] for all but RFC 3986's unreserved bytes (and `/` in a rest
/// parameter), [`DOT`] for `.`.
static SEGMENT_CLASSES: [u8; 256] = byte_classes(false);
static REST_CLASSES: [u8; 256] = byte_classes(true);
const ESCAPED: u8 = 1;
const DOT: u8 = 2;

const fn byte_classes(rest: bool) -> [u8; 256] {
    let mut table = [ESCAPED; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_' | b'~')
            || (rest && byte == b'/')
        {
            table[b] = 0;
        } else if byte == b'.' {
            table[b] = DOT;
        }
        b += 1;
    }
    table
}

fn render(value: &dyn Display) -> Result<String, String> {
    let mut rendered = String::new();
    write!(rendered, "{value}").map_err(|fmt::Error| "its `Display` implementation failed")?;
    Ok(rendered)
}

/// Writes `value` to `out` as one path segment, percent-encoded (for a rest parameter, each
/// `/`-separated part on its own, the `/` kept), refusing values that would change the
/// route. On error `out` is left as it was. Tells whether the value has a `.`.
fn write_segments(out: &mut String, value: &dyn Display, rest: bool) -> Result<bool, String> {
    let start = out.len();
    let result = write_checked(out, start, value, rest);
    if result.is_err() {
        out.truncate(start);
    }
    result
}

fn write_checked(
    out: &mut String,
    start: usize,
    value: &dyn Display,
    rest: bool,
) -> Result<bool, String> {
    write!(out, "{value}").map_err(|fmt::Error| "its `Display` implementation failed")?;
    let rendered = &out[start..];
    if rest {
        rendered
            .split('/')
            .try_for_each(|segment| check_segment(segment, true))?;
    } else {
        check_segment(rendered, false)?;
    }
    // Most values (ids) need no escaping: they stay as written. (`.` is never escaped.)
    let classes = if rest {
        &REST_CLASSES
    } else {
        &SEGMENT_CLASSES
    };
    let seen = rendered
        .bytes()
        .fold(0, |seen, b| seen | classes[usize::from(b)]);
    let dotted = seen & DOT != 0;
    if seen & ESCAPED == 0 {
        return Ok(dotted);
    }
    let raw = out.split_off(start);
    if rest {
        for (i, segment) in raw.split('/').enumerate() {
            if i > 0 {
                out.push('/');
            }
            out.extend(percent_encoding::utf8_percent_encode(segment, PATH_SEGMENT));
        }
    } else {
        out.extend(percent_encoding::utf8_percent_encode(&raw, PATH_SEGMENT));
    }
    Ok(dotted)
}

/// Whether the URL parser reads `segment` as `.` or `..`: it drops tabs and line breaks
/// and reads `%2e`, in either case, as a dot.
fn is_dot_segment(segment: &str) -> bool {
    let cleaned: String = segment
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let dots = cleaned.to_ascii_lowercase().replace("%2e", ".");
    matches!(dots.as_str(), "." | "..")
}

/// Refuses a segment that would change the route.
fn check_segment(segment: &str, part_of_rest: bool) -> Result<(), String> {
    let problem = match segment {
        "" if part_of_rest => {
            "a path must not have an empty segment (`//`, or a leading or trailing `/`)"
        }
        "" => "a path parameter must not be empty",
        "." | ".." => "a path segment must not be `.` or `..`, which would change the route",
        _ => return Ok(()),
    };
    Err(problem.to_owned())
}

/// Puts one call on the wire and checks its status: the one non-generic function every
/// generated method goes through. A failure worth another try is sent again, as the retry
/// policy allows.
pub(crate) async fn execute(
    client: &Client,
    endpoint: &'static Endpoint,
    call: &mut Call,
    response_kind: ResponseKind,
) -> Result<RawResponse, Error> {
    let settings = client.settings();
    let trace = CallTrace::start(
        endpoint.name(),
        endpoint.method().as_str(),
        endpoint.path_template(),
    );
    let timeout = call.timeout.unwrap_or(settings.timeout);
    let streamed = response_kind == ResponseKind::Stream;
    let policy = call.extras.as_mut().and_then(|extras| extras.retry.take());
    let policy = policy.as_ref().unwrap_or(&settings.retry);
    // A body read as it is sent (a stream, a multipart upload) cannot be sent twice.
    let repeatable = endpoint.is_idempotent() && matches!(call.body, Body::Empty | Body::Bytes(..));
    // Only a call that may be sent again keeps its URL and body for the next attempt; any
    // other gives them to its one request.
    let keep = repeatable && policy.may_retry();
    // What a careless server may repeat of the credentials is scrubbed from its answer.
    let redactions = settings
        .auth
        .as_ref()
        .map_or(&[][..], |auth| auth.redactions());
    // Made at the first failure: most calls never need it.
    let mut backoff = None;
    let mut attempt = 1;
    let mut deadline = Deadline::Never;
    // Made in place as `instrument`'s argument: a named future moved into it would be kept
    // twice in this one's state.
    let result = trace
        .instrument(async {
            let mut url = Some(finish_url(settings, endpoint, call)?);
            if let Body::Multipart(form) = &mut call.body {
                // Boxed: its parts' futures are large, and only uploads need them.
                let form = std::mem::take(form);
                call.body = Body::Form(Box::pin(form.into_reqwest()).await?);
            }
            loop {
                // Each attempt has the whole timeout, for the answer's head and, unless it is
                // streamed, its body.
                deadline = Deadline::new(timeout);
                let request =
                    build_request(settings, endpoint, call, &mut url, keep, response_kind)?;
                let sent = send(
                    settings,
                    request,
                    &mut deadline,
                    streamed,
                    redactions,
                    &settings.base,
                );
                // The answer is not bound to a name: a local would be kept in this future's
                // state beside the wait for the next attempt.
                let error = match sent.await {
                    Ok(response) => return Ok(response),
                    Err(error) => error,
                };
                // Boxed: made only when a call fails, it need not widen every call's future.
                let backoff = backoff
                    .get_or_insert_with(|| Box::new(policy.backoff()))
                    .next();
                let Some(wait) = policy.next_wait(&error, backoff, repeatable) else {
                    return Err(error.with_attempts(attempt));
                };
                trace.retrying(attempt, &error, wait);
                drop(error);
                Box::pin(tokio::time::sleep(wait)).await;
                attempt += 1;
            }
        })
        .await;
    match result {
        Ok(response) => {
            trace.finish(Some(response.status()), attempt, None);
            Ok(RawResponse {
                response,
                body: None,
                max_response_bytes: settings.max_response_bytes,
                endpoint,
                idle_timeout: idle_timeout(settings, timeout),
                deadline: if streamed { Deadline::Never } else { deadline },
                read_timeout: settings.read_timeout,
                keep_alive: call.keep_alive.take(),
            })
        }
        Err(error) => {
            trace.finish(None, attempt, Some(&error));
            Err(error)
        }
    }
}

/// A stream waits for each chunk as long as the call's timeout allows, and never longer
/// than the client's read timeout.
fn idle_timeout(settings: &Settings, timeout: Option<Duration>) -> Option<Duration> {
    Some(timeout.map_or(settings.read_timeout, |t| t.min(settings.read_timeout)))
}

/// The finished URL: the rest of the path written and checked, then parsed onto the base URL
/// that `build()` parsed, with the query. Only the path is parsed (`Url::set_path`): the
/// scheme, the host (through IDNA) and the port, most of what parsing a whole URL costs, are
/// the base URL's, and a path cannot change them.
fn finish_url(settings: &Settings, endpoint: &Endpoint, call: &mut Call) -> Result<Url, Error> {
    let path_start = settings.base_url().len();
    finish_path(call, endpoint, path_start)?;
    // Every template starts with `/` (the macro checks); a hand-made path that does not would,
    // written after the base URL, read as part of its authority (`@host`, `:port`).
    if !matches!(call.url.as_bytes().get(path_start), None | Some(b'/')) {
        return Err(Error::builder(
            "the endpoint's path does not start with `/`: after the base URL it changes the \
             origin, or may",
        ));
    }
    // The base URL's own path (a prefix, or none) is in `call.url` too.
    let authority_end = settings.base[..url::Position::BeforePath].len();
    let path = call
        .url
        .get(authority_end..)
        .ok_or_else(|| Error::builder("the request URL does not start with the base URL"))?;
    // A copy of the base URL with room for the path and query (a clone has the capacity of
    // what it copies).
    let mut url = settings.base_with_path_capacity.clone();
    url.set_path(path);
    if !call.query.is_empty() {
        url.query_pairs_mut().extend_pairs(&call.query);
    }
    Ok(url)
}

/// The request for one attempt. With `keep`, the URL and a body of bytes are kept for the
/// next attempt (a shared copy); otherwise they, like a stream or a multipart body, are
/// given to this one.
fn build_request(
    settings: &Settings,
    endpoint: &Endpoint,
    call: &mut Call,
    url: &mut Option<Url>,
    keep: bool,
    response_kind: ResponseKind,
) -> Result<reqwest::Request, Error> {
    let url = if keep { url.clone() } else { url.take() }
        .ok_or_else(|| Error::builder("the request was already sent"))?;
    let accept = match response_kind {
        ResponseKind::Bytes | ResponseKind::Stream => ANY,
        _ => APPLICATION_JSON,
    };
    let body = match &call.body {
        Body::Bytes(content_type, bytes) if keep => {
            Body::Bytes(content_type.clone(), bytes.clone())
        }
        _ => std::mem::take(&mut call.body),
    };
    let mut request = reqwest::Request::new(endpoint.method().clone(), url);
    let content_type = match body {
        Body::Empty => None,
        Body::Bytes(content_type, bytes) => {
            *request.body_mut() = Some(bytes.into());
            Some(content_type)
        }
        Body::Stream(content_type, stream) => {
            *request.body_mut() = Some(stream.into_reqwest_body());
            Some(content_type)
        }
        // Sets its own `Content-Type` with the boundary, and `Content-Length` when known.
        Body::Form(form) => {
            request = reqwest::RequestBuilder::from_parts(settings.http.clone(), request)
                .multipart(form)
                .build()
                .map_err(Error::transport)?;
            None
        }
        // Opened into a `Form` before the first attempt.
        Body::Multipart(_) => return Err(Error::builder("the multipart body was not opened")),
    };
    // Straight into the request's own map: no second map to build and copy.
    let headers = request.headers_mut();
    headers.insert(ACCEPT, accept);
    if let Some(auth) = &settings.auth {
        headers.insert(AUTHORIZATION, auth.header());
    }
    if let Some(user_agent) = &settings.user_agent {
        headers.insert(USER_AGENT, user_agent.clone());
    }
    if let Some(content_type) = content_type {
        headers.insert(CONTENT_TYPE, content_type);
    }
    // The method's headers, then the call's options, replace the defaults.
    let Some(extras) = &call.extras else {
        return Ok(request);
    };
    for extra in [&extras.headers, &extras.option_headers] {
        let mut last = None;
        for (name, value) in extra {
            if last != Some(name) {
                headers.remove(name);
                last = Some(name);
            }
            headers.append(name.clone(), value.clone());
        }
    }
    Ok(request)
}

/// Whether `url` has the origin of `base` (scheme, host, port), compared without building
/// either origin, which would allocate.
fn same_origin(url: &Url, base: &Url) -> bool {
    // An answer's URL is its request's, made from the base URL, unless it was redirected.
    let before_path = ..url::Position::BeforePath;
    if url[before_path] == base[before_path] {
        return true;
    }
    url.scheme() == base.scheme()
        && url.host() == base.host()
        && url.port_or_known_default() == base.port_or_known_default()
}

/// Sends a finished request and checks its status: what every call and every download
/// share. The answer's head must come by `deadline`, fixed if the head is not there at once.
/// A non-2xx answer is a `Status` error whose body is read up to [`ERROR_BODY_LIMIT`] (what
/// arrived before a stall or a reset is kept), with each of `secrets` replaced by
/// `<redacted>` before it is decoded. An answer from another origin than `origin`'s (the
/// request's), which a user-supplied client's redirect policy may have followed, is refused.
///
/// Not an `async fn`: the request goes to the HTTP client at once, so the future holds only
/// what is in flight, not the request too.
fn send<'a>(
    settings: &'a Settings,
    request: reqwest::Request,
    deadline: &'a mut Deadline,
    streamed: bool,
    secrets: &'a [String],
    origin: &'a Url,
) -> impl Future<Output = Result<reqwest::Response, Error>> + Send + 'a {
    let head = Head {
        pending: settings.execute(request),
        deadline,
        timer: None,
    };
    // A combinator, not `async move { head.await … }`, which would hold `head` twice. (The
    // checks below as a plain closure returning a ready future or the boxed error read make
    // the future 64 bytes smaller, and the call 3 % slower in section 1 of BENCHMARKS.md.)
    head.then(move |(answer, deadline)| async move {
        let response = answer?;
        if !same_origin(response.url(), origin) {
            return Err(Error::redirect(format!(
                "the answer came from another origin ({}) after a redirect; only answers from \
                 the request's origin are read",
                response.url().origin().ascii_serialization()
            )));
        }
        if response.status().is_success() {
            return Ok(response);
        }
        // The body of an error answer to a streamed call is bounded as any stream's chunks.
        let deadline = if streamed { Deadline::Never } else { deadline };
        // Boxed: only an error answer needs this future, and it is large.
        Err(Box::pin(status_error(
            response,
            secrets,
            settings.read_timeout,
            deadline,
        ))
        .await)
    })
}

pin_project_lite::pin_project! {
    /// The wait for an answer's head, until the attempt's deadline. An answer that is there
    /// at the first poll (a stand-in transport's) is taken without reading the clock or
    /// setting a timer; `tokio::time::timeout` would do both first. Gives the deadline as
    /// it then is, for the reading of an error's body.
    struct Head<'a, F> {
        pending: F,
        deadline: &'a mut Deadline,
        // Unconstrained by tokio's cooperative budget, as `tokio::time::timeout`'s timer is
        // once the future it bounds has used the budget up: the timeout fires on time.
        #[pin]
        timer: Option<tokio::task::Unconstrained<tokio::time::Sleep>>,
    }
}

impl<F> Future for Head<'_, F>
where
    F: Future<Output = Result<reqwest::Response, reqwest::Error>> + Unpin,
{
    type Output = (Result<reqwest::Response, Error>, Deadline);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if let Poll::Ready(answer) = Pin::new(&mut *this.pending).poll(cx) {
            return Poll::Ready((answer.map_err(Error::transport), **this.deadline));
        }
        if this.timer.is_none() {
            let Some(at) = this.deadline.start(tokio::time::Instant::now) else {
                return Poll::Pending;
            };
            let timer = tokio::time::sleep_until(at);
            this.timer.set(Some(tokio::task::unconstrained(timer)));
        }
        if let Some(timer) = this.timer.as_pin_mut() {
            std::task::ready!(timer.poll(cx));
        }
        let timed_out = Error::timeout("no response within the timeout")
            .with_source(std::io::Error::from(std::io::ErrorKind::TimedOut));
        Poll::Ready((Err(timed_out), **this.deadline))
    }
}

/// The `Status` error of a non-2xx answer, with its body read up to [`ERROR_BODY_LIMIT`]
/// (each wait for more at most `read_timeout`) and each of `secrets` scrubbed from it.
pub(crate) async fn status_error(
    mut response: reqwest::Response,
    secrets: &[String],
    read_timeout: std::time::Duration,
    deadline: Deadline,
) -> Error {
    let status = response.status();
    let headers = response.headers().clone();
    let (mut bytes, cut_short) =
        match read_body(&mut response, ERROR_BODY_LIMIT, read_timeout, deadline).await {
            Ok(
                crate::response::Body::Complete(bytes) | crate::response::Body::Truncated(bytes),
            ) => (bytes, None),
            // The status is the news; what arrived before the body broke off still tells.
            Err((bytes, error)) => (bytes, Some(error)),
        };
    if !secrets.is_empty() {
        bytes = redact(&bytes, secrets).into();
    }
    let error = Error::from_status(status, ErrorBody::parse(status, &bytes))
        .with_response_headers(&headers);
    match cut_short {
        Some(cause) => error.with_source(cause),
        None => error,
    }
}

/// `bytes` as text with every occurrence of each secret (longest first) replaced by
/// `<redacted>`.
fn redact(bytes: &[u8], secrets: &[String]) -> Vec<u8> {
    let mut text = String::from_utf8_lossy(bytes).into_owned();
    for secret in secrets {
        if text.contains(secret.as_str()) {
            text = text.replace(secret.as_str(), "<redacted>");
        }
    }
    text.into_bytes()
}

/// A `GET` of an absolute URL that an API handed out, such as a signed download link
/// (`FileDto.url`): checked when made, sent without the client's credentials, read as a
/// [`ByteStream`]. The URL's query (the signature) is never shown: errors name the call
/// as `GET https://host/path?<redacted>`, and the query's values are scrubbed from an
/// error answer's body (S3 repeats the signature it was given).
pub(crate) struct Download {
    client: Client,
    url: Url,
    shown: Box<str>,
    /// The query's values, encoded and decoded, longest first.
    secrets: Vec<String>,
}

impl Download {
    /// Checks `url` before any I/O. Its text is never repeated in an error.
    pub(crate) fn new(client: &Client, url: &str) -> Result<Download, Error> {
        let mut url = Url::parse(url.trim()).map_err(|error| {
            Error::invalid_argument("url", "not an absolute URL").with_source(error)
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::invalid_argument(
                "url",
                "only http:// and https:// URLs can be downloaded",
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            // reqwest would send them as `Authorization: Basic`; a signed URL has none.
            return Err(Error::invalid_argument(
                "url",
                "the URL must not carry a user name or password",
            ));
        }
        url.set_fragment(None);
        let mut shown = url.clone();
        shown.set_query(None);
        let mut shown = format!("GET {shown}");
        if url.query().is_some() {
            shown.push_str("?<redacted>");
        }
        Ok(Download {
            client: client.clone(),
            secrets: query_secrets(&url),
            url,
            shown: shown.into_boxed_str(),
        })
    }

    /// Sends the `GET` with `Accept: */*` and the client's `User-Agent`, nothing else: no
    /// `Authorization`, whichever `Auth` the client has. The client's timeout bounds the wait
    /// for the headers and then for each chunk, as for any `ByteStream` answer.
    pub(crate) async fn send(self, keep_alive: Option<KeepAlive>) -> Result<ByteStream, Error> {
        let settings = self.client.settings();
        let mut request = reqwest::Request::new(http::Method::GET, self.url.clone());
        let headers = request.headers_mut();
        headers.insert(ACCEPT, ANY);
        if let Some(user_agent) = &settings.user_agent {
            headers.insert(USER_AGENT, user_agent.clone());
        }
        let timeout = settings.timeout;
        let mut deadline = Deadline::new(timeout);
        // The URL is someone else's, signed: the span names the kind of call only.
        let trace = CallTrace::start("download_url", "GET", "<signed URL>");
        let sent = trace.instrument(send(
            settings,
            request,
            &mut deadline,
            true,
            &self.secrets,
            &self.url,
        ));
        match sent.await {
            Ok(response) => {
                trace.finish(Some(response.status()), 1, None);
                Ok(ByteStream::from_response(
                    response,
                    self.shown,
                    idle_timeout(settings, timeout),
                    keep_alive,
                ))
            }
            Err(error) => {
                trace.finish(None, 1, Some(&error));
                Err(error.with_call(&self.shown))
            }
        }
    }
}

/// The values of `url`'s query as sent and as decoded: what an error body must not repeat.
/// Values under 8 characters are left alone; no signature is that short, and scrubbing
/// them would garble the message.
fn query_secrets(url: &Url) -> Vec<String> {
    const SHORTEST: usize = 8;
    let Some(query) = url.query() else {
        return Vec::new();
    };
    let mut secrets: Vec<String> = query
        .split('&')
        .filter_map(|pair| pair.split_once('=').map(|(_, value)| value.to_owned()))
        .chain(url.query_pairs().map(|(_, value)| value.into_owned()))
        .chain([query.to_owned()])
        .filter(|value| value.len() >= SHORTEST)
        .collect();
    // Longest first, so that a value inside another is not replaced first; equal ones meet.
    secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    secrets.dedup();
    secrets
}

/// Writes the rest of the path to `call.url` (literal pieces, and the values given before
/// their turn) and checks the whole path, which starts at `path_start`.
fn finish_path(call: &mut Call, endpoint: &Endpoint, path_start: usize) -> Result<(), Error> {
    let pieces = endpoint.path();
    for piece in pieces.get(call.written..).unwrap_or_default() {
        match *piece {
            PathPiece::Literal(text) => call.url.push_str(text),
            PathPiece::Param(name) | PathPiece::Rest(name) => {
                let (_, value) = call
                    .path_values
                    .iter()
                    .find(|(param, _)| *param == name)
                    .ok_or_else(|| {
                        Error::invalid_argument(name, "no value was given for this path parameter")
                    })?;
                call.url.push_str(value);
            }
        }
    }
    call.written = pieces.len();
    // Values are checked on their own and templates by the macro; this guards hand-made
    // endpoints, so that no `..` ever reaches the URL parser, which would collapse it. Only a
    // `.` in a value, or a literal with a byte the parser may read as part of a dot segment,
    // can make one; most paths have neither.
    if !(call.dotted || endpoint.has_dotted_literal()) {
        return Ok(());
    }
    let path = &call.url[path_start..];
    // Segments as the URL parser reads them: `\` is a separator too (in `http(s)`).
    let dot_segment = path
        .split(['/', '\\'])
        .skip(1)
        .find(|segment| is_dot_segment(segment));
    match dot_segment {
        Some(segment) => Err(Error::invalid_argument(
            "path",
            format!("the values make a `{segment}` segment, which would change the route"),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;

    static ENDPOINT: Endpoint = Endpoint::new(
        "get_file",
        Method::GET,
        "/ws/{workspace_id}/files/{name}.json",
        &[
            PathPiece::Literal("/ws/"),
            PathPiece::Param("workspace_id"),
            PathPiece::Literal("/files/"),
            PathPiece::Param("name"),
            PathPiece::Literal(".json"),
        ],
        &["workspace_id", "name"],
    );

    static REST: Endpoint = Endpoint::new(
        "put_file",
        Method::PUT,
        "/files/{file_path}",
        &[PathPiece::Literal("/files/"), PathPiece::Rest("file_path")],
        &["file_path"],
    );

    fn expand_with(
        endpoint: &'static Endpoint,
        values: &[(&'static str, &str)],
        rest: bool,
    ) -> Result<String, Error> {
        let client = Client::builder().build().unwrap();
        let mut request = Request::new(&client, endpoint);
        for (name, value) in values {
            if rest {
                request.path_rest(name, value);
            } else {
                request.path_param(name, value);
            }
        }
        if let Some(error) = request.error {
            return Err(error);
        }
        let start = client.base_url().len();
        finish_path(&mut request.call, endpoint, start)?;
        Ok(request.call.url[start..].to_owned())
    }

    fn expand(values: &[(&'static str, &str)]) -> Result<String, Error> {
        expand_with(&ENDPOINT, values, false)
    }

    #[test]
    fn values_are_encoded_as_exactly_one_segment() {
        assert_eq!(
            expand(&[("workspace_id", "abc"), ("name", "x")]).unwrap(),
            "/ws/abc/files/x.json"
        );
        assert_eq!(
            expand(&[("workspace_id", "a/b?c#d%e f"), ("name", "ünï-._~")]).unwrap(),
            "/ws/a%2Fb%3Fc%23d%25e%20f/files/%C3%BCn%C3%AF-._~.json"
        );
        assert_eq!(
            expand(&[("name", "..."), ("workspace_id", "..a")]).unwrap(),
            "/ws/..a/files/....json"
        );
    }

    #[test]
    fn empty_dot_and_dot_dot_are_rejected() {
        for bad in ["", ".", ".."] {
            let error = expand(&[("workspace_id", bad), ("name", "x")]).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument);
            assert!(error.to_string().contains("`workspace_id`"), "{error}");
        }
    }

    #[test]
    fn multi_segment_values_keep_their_slashes() {
        assert_eq!(
            expand_with(&REST, &[("file_path", "workspaces/1/runs/a b.png")], true).unwrap(),
            "/files/workspaces/1/runs/a%20b.png"
        );
        assert_eq!(
            expand_with(&REST, &[("file_path", "a?b/c#d/%2F")], true).unwrap(),
            "/files/a%3Fb/c%23d/%252F"
        );
        for bad in ["", "/a", "a/", "a//b", "a/../b", "./a", "a/.."] {
            let error = expand_with(&REST, &[("file_path", bad)], true).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument, "{bad}");
            assert!(error.to_string().contains("`file_path`"), "{error}");
        }
    }

    #[test]
    fn no_dot_segment_reaches_the_url_parser() {
        // Values are checked alone (`.` and `..` are rejected), and a joined segment cannot
        // then spell `..`; the check of the finished path also guards hand-made endpoints.
        static JOINED: Endpoint = Endpoint::new(
            "get",
            Method::GET,
            "/a/.{ext}/{x}{y}",
            &[
                PathPiece::Literal("/a/."),
                PathPiece::Param("ext"),
                PathPiece::Literal("/"),
                PathPiece::Param("x"),
                PathPiece::Param("y"),
            ],
            &["ext", "x", "y"],
        );
        assert_eq!(
            expand_with(&JOINED, &[("ext", "json"), ("x", "a"), ("y", ".")], false)
                .unwrap_err()
                .kind(),
            crate::ErrorKind::InvalidArgument
        );
        assert_eq!(
            expand_with(&JOINED, &[("ext", "json"), ("x", "a."), ("y", "b")], false).unwrap(),
            "/a/.json/a.b"
        );
        static HAND_MADE: Endpoint = Endpoint::new(
            "get",
            Method::GET,
            "/a/../b",
            &[PathPiece::Literal("/a/../b")],
            &[],
        );
        let error = expand_with(&HAND_MADE, &[], false).unwrap_err();
        assert!(error.to_string().contains("`..` segment"), "{error}");
        // What the URL parser also reads as `..`: `%2e` in either case, tabs and line breaks
        // dropped, `\\` as a separator.
        for literal in ["/a/%2e%2E/b", "/a/.\t./b", "/a\\../b"] {
            let error = expand_with(hand_made(literal), &[], false).unwrap_err();
            assert!(
                error.to_string().contains("segment"),
                "{literal:?}: {error}"
            );
        }
        // A `%` or a `.` that makes no dot segment is left alone.
        let plain = expand_with(hand_made("/a%20b/c.json"), &[], false).unwrap();
        assert_eq!(plain, "/a%20b/c.json");
    }

    /// An endpoint whose path is one literal, as `Endpoint::new` lets anyone make: leaked,
    /// since a request holds a `'static` endpoint (the generated code's `static`).
    fn hand_made(literal: &'static str) -> &'static Endpoint {
        let pieces: &'static [PathPiece] = Box::leak(Box::new([PathPiece::Literal(literal)]));
        Box::leak(Box::new(Endpoint::new(
            "get",
            Method::GET,
            literal,
            pieces,
            &[],
        )))
    }

    #[test]
    fn a_hand_made_path_cannot_change_the_origin() {
        fn url_of(literal: &'static str) -> Result<Url, Error> {
            let client = Client::builder()
                .base_url("https://api.example")
                .build()
                .unwrap();
            let endpoint = hand_made(literal);
            let mut request = Request::new(&client, endpoint);
            finish_url(client.settings(), endpoint, &mut request.call)
        }
        for literal in ["@evil.example/x", ".evil.example/x", ":8443/x"] {
            let error = url_of(literal).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::Builder, "{literal}");
            assert!(error.to_string().contains("changes the origin"), "{error}");
        }
        // A path that starts with `/` ends the authority: even `//host` is only a path.
        for literal in ["/x", "//evil.example/x", ""] {
            let url = url_of(literal).unwrap();
            assert_eq!(url.host_str(), Some("api.example"), "{literal}");
        }
    }

    #[test]
    fn the_path_parsed_onto_the_base_url_is_the_whole_url_parsed() {
        // Each gives what parsing the whole URL gives.
        let as_whole = [
            "",
            "/",
            "/api/v1/workspaces/3f0c1d2e/files/a%2Fb.json",
            "//evil.example/x",
            "/\\evil.example/x",
            "/\\\\evil.example/x",
            "/ünï/%zz/%2F/ä%20b",
            "/a.b/c%2ed/.e",
            "/trailing/",
        ];
        // No template has these (the macro refuses them); a hand-made literal's are bytes of
        // the path, encoded, where a whole parse would read a query, a fragment, or trim.
        let only_path = ["/x?y#z", "/x ", "/a b", "/x\u{1}", "/a\tb"];
        let bases = [
            "https://api.example",
            "http://127.0.0.1:8080/prefix/v2",
            "https://[::1]:8443/p",
            "https://Bücher.example:443/a/",
        ];
        for base in bases {
            let client = Client::builder().base_url(base).build().unwrap();
            let settings = client.settings();
            let url_of = |literal: &str| {
                let endpoint = hand_made(Box::leak(literal.to_owned().into_boxed_str()));
                let mut request = Request::new(&client, endpoint);
                finish_url(settings, endpoint, &mut request.call).unwrap()
            };
            for literal in as_whole {
                let text = format!("{}{literal}", client.base_url());
                assert_eq!(url_of(literal), Url::parse(&text).unwrap(), "{text:?}");
            }
            for literal in only_path {
                let url = url_of(literal);
                assert_eq!(url.origin(), settings.base.origin(), "{literal:?}");
                assert_eq!((url.query(), url.fragment()), (None, None), "{url}");
            }
            // Values (encoded by the runtime) and a query, and a path longer than the room
            // the base URL's copy has.
            let long = "x".repeat(300);
            for (workspace_id, name) in [("3f0c1d2e", "a b/ü?#%"), (long.as_str(), "n")] {
                let mut request = Request::new(&client, &ENDPOINT);
                request.path_param("workspace_id", &workspace_id);
                request.path_param("name", &name);
                request.query("q", &"a&b=c ü");
                let url = finish_url(settings, &ENDPOINT, &mut request.call).unwrap();
                let mut whole = Url::parse(&request.call.url).unwrap();
                whole.query_pairs_mut().extend_pairs(&request.call.query);
                assert_eq!(url, whole, "{base}");
                assert!(url.path().contains(workspace_id), "{url}");
            }
        }
    }

    #[test]
    fn a_missing_value_is_an_error_not_a_panic() {
        let error = expand(&[("workspace_id", "a")]).unwrap_err();
        assert!(error.to_string().contains("`name`"), "{error}");
    }

    #[test]
    fn header_values_with_line_breaks_are_rejected() {
        let client = Client::builder().build().unwrap();
        let mut request = Request::new(&client, &ENDPOINT);
        request.header("x-trace", &"a\r\nInjected: 1");
        let error = request.error.unwrap();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument);
        assert!(error.to_string().contains("`x-trace`"), "{error}");
    }

    #[test]
    fn download_urls_are_checked_and_never_shown() {
        let client = Client::builder().build().unwrap();
        for bad in [
            "",
            "/api/v1/files/a.png?Signature=hunter2hunter2",
            "cdn.example/a.png?Signature=hunter2hunter2",
            "ftp://cdn.example/a.png?Signature=hunter2hunter2",
            "file:///etc/passwd?Signature=hunter2hunter2",
            "https://user:hunter2hunter2@cdn.example/a.png",
            "https://bad host/a.png?Signature=hunter2hunter2",
        ] {
            let Err(error) = Download::new(&client, bad) else {
                panic!("accepted {bad:?}");
            };
            assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument, "{bad}");
            assert!(
                !format!("{error} {error:?}").contains("hunter2"),
                "{error:?}"
            );
        }
        let Ok(download) = Download::new(
            &client,
            " https://cdn.example/w/a%20b.png?Expires=1&Signature=ab%2Bcd~hunter2#frag ",
        ) else {
            panic!("rejected a signed URL");
        };
        assert_eq!(
            &*download.shown,
            "GET https://cdn.example/w/a%20b.png?<redacted>"
        );
        assert_eq!(download.url.fragment(), None);
        assert_eq!(
            download.secrets,
            [
                "Expires=1&Signature=ab%2Bcd~hunter2",
                "ab%2Bcd~hunter2",
                "ab+cd~hunter2"
            ]
        );
        let scrubbed = redact(
            b"<SignatureProvided>ab+cd~hunter2</SignatureProvided>",
            &download.secrets,
        );
        assert_eq!(
            scrubbed,
            b"<SignatureProvided><redacted></SignatureProvided>"
        );
        let plain = Download::new(&client, "http://127.0.0.1:9/a.png").unwrap();
        assert_eq!(&*plain.shown, "GET http://127.0.0.1:9/a.png");
        assert!(plain.secrets.is_empty());
    }

    #[test]
    fn query_values_that_are_not_scalars_are_rejected() {
        let client = Client::builder().build().unwrap();
        let mut request = Request::new(&client, &ENDPOINT);
        request.query("filter", &std::collections::BTreeMap::from([(1, 2)]));
        let error = request.error.unwrap();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument);
        assert!(error.to_string().contains("`filter`"), "{error}");
    }
}
