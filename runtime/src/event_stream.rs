//! Server-sent events as a typed stream: [`Sse`] reads a `text/event-stream` body through
//! the parser of `sse.rs`, decodes each event's data as a `T`, and resumes a dropped
//! connection of a call that is safe to repeat ([`Resume`]).

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::body::KeepAlive;
use crate::call::Call;
use crate::redact::Secrets;
use crate::sse::{Parsed, Parser, RawEvent};
use crate::trace::{CallTrace, StreamTrace};
use crate::{
    ByteStream, Client, DEFAULT_MAX_ITEM_BYTES, Endpoint, Error, FromResponse, RawResponse,
    ResponseKind, RetryPolicy,
};

/// One server-sent event, its data read as `T`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The event's type: its `event` field, or `message` when it has none.
    pub event: String,
    /// The last event id as of this event: its own `id` field or, since the id persists, an
    /// earlier event's. `None` while the server has set none (or set it empty).
    pub id: Option<String>,
    /// The reconnection time the server set (`retry`) since the previous event, if it did.
    pub retry: Option<Duration>,
    /// The `data` lines, joined with LF, read as a `T`: as they are for `String` (and the
    /// other types that read a string as it is, such as `Box<str>`), as JSON for any other
    /// type (an empty data reads as `null`).
    pub data: T,
}

/// A `text/event-stream` body read as it arrives, one [`Event`] per event: return
/// `Result<Sse<T>, Error>` from an endpoint method, and the call sends
/// `Accept: text/event-stream`. `Sse<String>` gives each event's data as text; any other `T`
/// reads it as JSON.
///
/// ```no_run
/// use askui_runtime::{askui_endpoint, Client, Error, Sse};
/// use futures_util::StreamExt as _;
///
/// #[derive(serde::Deserialize)]
/// #[serde(tag = "type", rename_all = "snake_case")]
/// pub enum Progress { Step { name: String }, Done { ok: bool } }
///
/// pub trait Executions {
///     #[askui_endpoint(get, "/api/v1/executions/<id>/events")]
///     async fn follow(&self, id: &str) -> Result<Sse<Progress>, Error>;
/// }
/// impl Executions for Client {}
///
/// # async fn run(client: Client) -> Result<(), Error> {
/// let mut events = client.follow("e1").await?;
/// while let Some(event) = events.next().await {
///     match event?.data {
///         Progress::Step { name } => println!("step {name}"),
///         Progress::Done { ok } => { println!("done: {ok}"); break }
///     }
/// }
/// # Ok(()) }
/// ```
///
/// - **Parsing** follows the WHATWG rules exactly: `data` lines joined with LF, comments
///   (`:`) ignored, CR, LF and CRLF line ends (also split across chunks), a leading BOM
///   stripped, one space after the colon removed, a field without colon taken with an
///   empty value, no event for a block without `data`, an `id` with NUL ignored, `retry`
///   only when all digits, and the last event id kept from event to event.
/// - **Reconnection**: for a call that is safe to repeat (an idempotent method, or
///   `idempotent = true`, with no body or one in memory) whose retry policy allows retries,
///   a connection that ends (cleanly, as the specification says, or broken, or stalled past
///   `read_timeout`) is opened again with the same request and `Last-Event-ID` set to the
///   last event id, so no event is lost or repeated by a server that honours it. It waits
///   the server's `retry` (at most the policy's longest delay), or else the policy's
///   backoff; after as many reconnections in a row as the policy has retries, with no
///   event in between, the stream ends with the error (or, after a clean end, ends). A
///   `204 No Content` answer to a reconnection ends the stream, as it stops an
///   `EventSource`; another error answer is the error item. Each reconnection is sent as
///   a call, retried as the policy says. [`reconnect(false)`](Self::reconnect) turns it off.
/// - **A call that is not safe to repeat** (a `POST`) is not reconnected: a broken
///   connection is an error item, and the end; a clean end is the end.
/// - **Data that is not a `T`** is a [`Decode`](crate::ErrorKind::Decode) error item naming
///   the event, and **the stream goes on** (the event's id still counts).
/// - **An event longer than [`max_event_bytes`](Self::max_event_bytes)** (default
///   [`DEFAULT_MAX_ITEM_BYTES`], 1 MiB, its lines, data and type together) is a
///   [`ResponseTooLarge`](crate::ErrorKind::ResponseTooLarge) item, and **the end**, not
///   reconnected (a server that resent it would fail the same way). Memory is bounded by
///   that limit plus one chunk.
/// - Dropping the stream closes the connection (and cancels a reconnection in flight).
///   The call's `askui.call` span lasts as long as the stream, which records `items` and
///   `reconnects` when it ends or is dropped.
///
/// With the `blocking` feature, `into_blocking_iter()` reads it as an `Iterator`.
pub struct Sse<T> {
    state: State,
    chunk: bytes::Bytes,
    parser: Parser,
    endpoint: Option<&'static Endpoint>,
    secrets: Option<Arc<dyn Secrets>>,
    trace: StreamTrace,
    /// What a reconnection re-sends: only for a call that is safe to repeat.
    resume: Option<Box<Resume>>,
    reconnect: bool,
    /// Reconnections since the last event.
    failures: u32,
    /// Where a reconnection runs: the runtime the call ran on (a blocking client's own).
    runtime: Option<tokio::runtime::Handle>,
    /// Events dispatched, for the errors that name one.
    events: u64,
    _keep_alive: Option<KeepAlive>,
    _item: PhantomData<fn() -> T>,
}

enum State {
    Reading(ByteStream),
    Reconnecting(Reconnection),
    Done,
}

/// A reconnection in flight, on the call's runtime; cancelled when dropped.
struct Reconnection(tokio::task::JoinHandle<Reconnected>);

/// What a reconnection gives back: the call, for the next one, and the new body (`None`
/// for a `204 No Content`).
type Reconnected = (Box<Resume>, Result<Option<ByteStream>, Error>);

impl Drop for Reconnection {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// What a reconnection needs to send the call again: the client, the endpoint, and the
/// call as its arguments made it (its URL and a body in memory, kept for that).
pub(crate) struct Resume {
    client: Client,
    endpoint: &'static Endpoint,
    call: Call,
}

impl Resume {
    pub(crate) fn new(client: Client, endpoint: &'static Endpoint, call: Call) -> Box<Resume> {
        Box::new(Resume {
            client,
            endpoint,
            call,
        })
    }

    fn policy(&self) -> &RetryPolicy {
        self.call
            .extras
            .as_ref()
            .and_then(|extras| extras.retry.as_ref())
            .unwrap_or(&self.client.settings().retry)
    }

    /// Sets `Last-Event-ID` for the next request: the last event id, or none while it is
    /// empty (or not a valid header value).
    fn last_event_id(&mut self, id: &str) {
        let name = http::HeaderName::from_static("last-event-id");
        let headers = &mut self.call.extras().headers;
        headers.remove(&name);
        if !id.is_empty()
            && let Ok(value) = http::HeaderValue::from_str(id)
        {
            headers.insert(name, value);
        }
    }

    /// The call sent again, within the stream's span; its body as a stream, or `None` for a
    /// `204 No Content`, which says not to reconnect.
    async fn send(mut self: Box<Self>, wait: Duration, trace: Option<CallTrace>) -> Reconnected {
        tokio::time::sleep(wait).await;
        let endpoint = self.endpoint;
        let settings = self.client.settings_arc().clone();
        let sent = crate::retry::run(
            &settings,
            self.endpoint,
            &mut self.call,
            ResponseKind::EventStream,
            trace,
        )
        .await;
        let result = sent.map(|answer| {
            (answer.status() != http::StatusCode::NO_CONTENT).then(|| answer.into_stream())
        });
        (self, result.map_err(|error| error.with_endpoint(endpoint)))
    }
}

impl<T: DeserializeOwned> Sse<T> {
    /// The longest event read (its lines, data and type together); a longer one is an error
    /// item that ends the stream. Default [`DEFAULT_MAX_ITEM_BYTES`].
    pub fn max_event_bytes(mut self, max: usize) -> Self {
        self.parser.set_max(max);
        self
    }

    /// Whether a dropped connection is resumed (the default, for a call safe to repeat), or
    /// ends the stream.
    pub fn reconnect(mut self, reconnect: bool) -> Self {
        self.reconnect = reconnect;
        self
    }

    /// The last event id the server set, empty while it set none: what a reconnection sends
    /// as `Last-Event-ID`, and what to keep to resume the stream in a later call.
    pub fn last_event_id(&self) -> &str {
        self.parser.last_event_id()
    }

    /// The events of `body`, e.g. a [`ByteStream`] of a file or of a call read as bytes
    /// (never reconnected).
    pub fn from_byte_stream(body: ByteStream) -> Self {
        Sse {
            state: State::Reading(body),
            chunk: bytes::Bytes::new(),
            parser: Parser::new(DEFAULT_MAX_ITEM_BYTES),
            endpoint: None,
            secrets: None,
            trace: StreamTrace::none(),
            resume: None,
            reconnect: true,
            failures: 0,
            runtime: None,
            events: 0,
            _keep_alive: None,
            _item: PhantomData,
        }
    }

    /// The next event, or `None` at the end of the stream.
    pub async fn event(&mut self) -> Option<Result<Event<T>, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    fn name_call(&self, error: Error) -> Error {
        match self.endpoint {
            Some(endpoint) => error.with_endpoint(endpoint),
            None => error,
        }
    }

    /// The next event of what has arrived, if one is complete.
    fn next_buffered(&mut self) -> Option<Result<Event<T>, Error>> {
        if self.chunk.is_empty() {
            return None;
        }
        let mut input: &[u8] = &self.chunk;
        let before = input.len();
        let parsed = self.parser.next_event(&mut input);
        let used = before - input.len();
        // Not `split_to`, which would make and drop a handle (two atomic operations).
        bytes::Buf::advance(&mut self.chunk, used);
        match parsed? {
            Parsed::Event(event) => {
                self.events += 1;
                self.failures = 0;
                Some(
                    event_as(event, self.events, self.secrets.as_deref())
                        .map_err(|error| self.name_call(error)),
                )
            }
            Parsed::TooLong => {
                self.state = State::Done;
                let max = self.parser.max();
                Some(Err(self.name_call(
                    Error::response_too_large(max).with_message(format!(
                        "event {} of the response body is longer than the limit of {max} bytes",
                        self.events + 1
                    )),
                )))
            }
        }
    }

    /// The body ended (`error` is `None`) or broke: a reconnection if the call may be sent
    /// again, else the end (with the error, if any).
    fn connection_lost(&mut self, error: Option<Error>) -> Option<Error> {
        self.parser.end_of_body();
        self.chunk = bytes::Bytes::new();
        let wait = match (&self.resume, &self.runtime) {
            (Some(resume), Some(_)) if self.reconnect => {
                let policy = resume.policy();
                match self.parser.retry() {
                    Some(retry) if self.failures < max_retries(policy) => {
                        Some(retry.min(policy.longest_delay()))
                    }
                    Some(_) => None,
                    None => policy.backoff().nth(self.failures as usize),
                }
            }
            _ => None,
        };
        let (Some(wait), Some(mut resume), Some(runtime)) =
            (wait, self.resume.take(), self.runtime.as_ref())
        else {
            self.state = State::Done;
            return error;
        };
        self.failures += 1;
        self.trace.reconnecting(self.failures, error.as_ref(), wait);
        resume.last_event_id(self.parser.last_event_id());
        let trace = self.trace.call_trace();
        self.state = State::Reconnecting(Reconnection(runtime.spawn(resume.send(wait, trace))));
        None
    }
}

fn max_retries(policy: &RetryPolicy) -> u32 {
    // As many reconnections as the backoff has waits.
    policy.backoff().count() as u32
}

/// A dispatched event with its data read as a `T`; an error names the event.
fn event_as<T: DeserializeOwned>(
    event: RawEvent,
    number: u64,
    secrets: Option<&dyn Secrets>,
) -> Result<Event<T>, Error> {
    let RawEvent {
        event,
        data,
        id,
        retry,
    } = event;
    let data = data_as::<T>(data, secrets).map_err(|error| {
        let what = match &id {
            Some(id) => format!(
                "event {number} (`{event}`, id `{}`)",
                crate::error::clean(id, 64)
            ),
            None => format!("event {number} (`{}`)", crate::error::clean(&event, 64)),
        };
        error.in_item(&what)
    })?;
    Ok(Event {
        event,
        id,
        retry,
        data,
    })
}

/// The data as a `T`: as it is for a type that reads a string (`String`), else as JSON.
fn data_as<T: DeserializeOwned>(data: String, secrets: Option<&dyn Secrets>) -> Result<T, Error> {
    let mut slot = Some(data);
    if let Ok(value) = T::deserialize(TextProbe(&mut slot)) {
        return Ok(value);
    }
    match slot {
        Some(data) => crate::response::decode::<T>(data.as_bytes(), secrets),
        // The type asked for the text and refused it.
        None => Err(Error::decode(
            std::any::type_name::<T>(),
            ".",
            None,
            "the event's data was refused",
        )),
    }
}

/// A deserializer that gives a type asking for a string the data as it is, and refuses
/// every other request.
struct TextProbe<'a>(&'a mut Option<String>);

#[derive(Debug)]
struct NotText;

impl fmt::Display for NotText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a string type")
    }
}

impl std::error::Error for NotText {}

impl serde::de::Error for NotText {
    fn custom<M: fmt::Display>(_: M) -> Self {
        NotText
    }
}

impl<'de> serde::Deserializer<'de> for TextProbe<'_> {
    type Error = NotText;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, NotText> {
        Err(NotText)
    }

    fn deserialize_str<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, NotText> {
        match self.0.as_deref() {
            Some(text) => visitor.visit_str(text),
            None => Err(NotText),
        }
    }

    fn deserialize_string<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, NotText> {
        match self.0.take() {
            Some(text) => visitor.visit_string(text),
            None => Err(NotText),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<T: DeserializeOwned> FromResponse for Sse<T> {
    const KIND: ResponseKind = ResponseKind::EventStream;

    fn from_response(mut response: RawResponse) -> Result<Self, Error> {
        let (trace, resume) = match response.streaming.take() {
            Some(parts) => (Some(parts.trace), parts.resume),
            None => (None, None),
        };
        let resume = resume.and_then(|resume| resume.downcast::<Resume>().ok());
        let endpoint = response.endpoint;
        let secrets = response.secrets.clone();
        let keep_alive = response.keep_alive.clone();
        let mut events = Self::from_byte_stream(response.into_stream());
        events.endpoint = Some(endpoint);
        events.secrets = secrets;
        events.trace = StreamTrace::new(trace);
        events.resume = resume;
        events.runtime = tokio::runtime::Handle::try_current().ok();
        events._keep_alive = keep_alive;
        Ok(events)
    }
}

impl<T: DeserializeOwned> Stream for Sse<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.next_buffered() {
                this.trace.item(item.as_ref().err());
                if matches!(this.state, State::Done) {
                    this.trace.end(item.as_ref().err());
                }
                return Poll::Ready(Some(item));
            }
            let lost = match &mut this.state {
                State::Done => return Poll::Ready(None),
                State::Reading(body) => {
                    // The span entered where the HTTP client may emit events: reading the
                    // body (not per event parsed from a chunk already read). A reconnection
                    // runs in it on its own (`Resume::send`).
                    let polled = {
                        let _entered = this.trace.enter();
                        Pin::new(body).poll_next(cx)
                    };
                    match std::task::ready!(polled) {
                        Some(Ok(chunk)) => {
                            this.chunk = chunk;
                            continue;
                        }
                        Some(Err(error)) => Some(error),
                        None => None,
                    }
                }
                State::Reconnecting(reconnection) => {
                    let joined = std::task::ready!(Pin::new(&mut reconnection.0).poll(cx));
                    match joined {
                        Ok((resume, Ok(Some(body)))) => {
                            this.resume = Some(resume);
                            this.state = State::Reading(body);
                            continue;
                        }
                        // `204 No Content`: the server says the stream is over.
                        Ok((_, Ok(None))) => {
                            this.state = State::Done;
                            this.trace.end(None);
                            return Poll::Ready(None);
                        }
                        Ok((_, Err(error))) => {
                            this.state = State::Done;
                            this.trace.end(Some(&error));
                            return Poll::Ready(Some(Err(error)));
                        }
                        Err(joined) if joined.is_panic() => {
                            std::panic::resume_unwind(joined.into_panic())
                        }
                        Err(joined) => {
                            this.state = State::Done;
                            let error = this.name_call(Error::transport_io(Box::new(joined)));
                            this.trace.end(Some(&error));
                            return Poll::Ready(Some(Err(error)));
                        }
                    }
                }
            };
            // The body ended or broke: reconnect, or end.
            let error = this.connection_lost(lost);
            if matches!(this.state, State::Done) {
                this.trace.end(error.as_ref());
                return Poll::Ready(error.map(Err));
            }
        }
    }
}

impl<T> fmt::Debug for Sse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sse")
            .field("last_event_id", &self.parser.last_event_id())
            .field("events", &self.events)
            .finish_non_exhaustive()
    }
}

/// The events of a body cut into `chunks`, as an [`Sse`] stream reads them: for fuzzing the
/// parser without a network. Not public API: `__private::event_stream`.
pub fn event_stream<T: DeserializeOwned>(
    chunks: &[&[u8]],
    max_event_bytes: usize,
) -> Vec<Result<Event<T>, Error>> {
    let mut parser = Parser::new(max_event_bytes);
    let mut items = Vec::new();
    for chunk in chunks {
        let mut input = *chunk;
        while let Some(parsed) = parser.next_event(&mut input) {
            match parsed {
                Parsed::Event(event) => {
                    let number = items.len() as u64 + 1;
                    items.push(event_as(event, number, None));
                }
                Parsed::TooLong => {
                    items.push(Err(Error::response_too_large(max_event_bytes)));
                    return items;
                }
            }
        }
    }
    items
}
