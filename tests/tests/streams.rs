//! Typed streams on the wire (issue 18): JSON Lines and server-sent events from a raw
//! loopback server that writes its answer chunk by chunk (so that a line end or a BOM can be
//! cut exactly where a test wants it), declared through `#[askui_endpoint]` traits. Every
//! parsing rule, the bounds (line length, stall), reconnection with `Last-Event-ID` for a
//! call safe to repeat and none for a `POST`, dropping, and the blocking iterators; then
//! property tests: any events, any line ends, any chunking, the same events.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use askui_runtime::{
    Client, Error, ErrorKind, Event, JsonLines, ResponseKind, RetryPolicy, Sse, askui_endpoint,
    blocking,
};
use askui_tests::RawServer;
use askui_tests::traces::captured;
use futures_util::StreamExt as _;
use proptest::prelude::*;
use serde::Deserialize;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

#[derive(Debug, Deserialize, PartialEq)]
struct Row {
    id: u64,
    name: String,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Step {
    Started { execution: String },
    Progress { percent: u8 },
    Finished { ok: bool },
}

trait Feeds {
    #[askui_endpoint(get, "/events")]
    async fn events(&self) -> Result<Sse<String>, Error>;

    #[askui_endpoint(get, "/steps")]
    async fn steps(&self) -> Result<Sse<Step>, Error>;

    #[askui_endpoint(post, "/runs")]
    async fn start_run(&self, body: &serde_json::Value) -> Result<Sse<String>, Error>;

    #[askui_endpoint(get, "/rows")]
    async fn rows(&self) -> Result<JsonLines<Row>, Error>;
}
impl Feeds for Client {}

trait BlockingFeeds {
    #[askui_endpoint(get, "/events")]
    fn events(&self) -> Result<Sse<String>, Error>;

    #[askui_endpoint(get, "/rows")]
    fn rows(&self) -> Result<JsonLines<Row>, Error>;
}
impl BlockingFeeds for blocking::Client {}

/// The calls whose spans the tracing tests read: names of their own, since the subscriber
/// records every test of this binary once one of them installs it.
trait TracedFeeds {
    #[askui_endpoint(get, "/events")]
    async fn traced_events(&self) -> Result<Sse<String>, Error>;

    #[askui_endpoint(get, "/events")]
    async fn dropped_events(&self) -> Result<Sse<String>, Error>;

    #[askui_endpoint(get, "/rows")]
    async fn traced_rows(&self) -> Result<JsonLines<Row>, Error>;

    #[askui_endpoint(get, "/rows")]
    async fn dropped_rows(&self) -> Result<JsonLines<Row>, Error>;
}
impl TracedFeeds for Client {}

// ---- A server that writes chunks ----------------------------------------------------------

/// Reads a request head, returned as text.
async fn read_head(stream: &mut TcpStream) -> String {
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => seen.extend_from_slice(&buffer[..n]),
        }
    }
    String::from_utf8_lossy(&seen).into_owned()
}

/// The value of header `name` in a request head.
fn header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name)
            .then(|| value.trim().to_owned())
    })
}

/// Starts a chunked 200 answer of `content_type`.
async fn start_answer(stream: &mut TcpStream, content_type: &str) {
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\n\r\n"
    );
    let _ = stream.write_all(head.as_bytes()).await;
}

/// Writes one HTTP chunk, and waits a little so that the client reads it on its own.
async fn chunk(stream: &mut TcpStream, bytes: &[u8]) -> std::io::Result<()> {
    if bytes.is_empty() {
        return Ok(());
    }
    stream
        .write_all(format!("{:x}\r\n", bytes.len()).as_bytes())
        .await?;
    stream.write_all(bytes).await?;
    stream.write_all(b"\r\n").await?;
    stream.flush().await?;
    tokio::time::sleep(Duration::from_millis(5)).await;
    Ok(())
}

/// Ends the body cleanly.
async fn end(stream: &mut TcpStream) {
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let _ = stream.flush().await;
}

type Heads = Arc<Mutex<Vec<String>>>;

/// A server that answers each request with `chunks` of `content_type`, then ends the body,
/// and keeps the request heads.
async fn serve_chunks(
    content_type: &'static str,
    chunks: Vec<&'static [u8]>,
) -> (RawServer, Heads) {
    let heads = Heads::default();
    let seen = heads.clone();
    let chunks = Arc::new(chunks);
    let server = RawServer::start(move |mut stream| {
        let (seen, chunks) = (seen.clone(), chunks.clone());
        async move {
            let head = read_head(&mut stream).await;
            seen.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(head);
            start_answer(&mut stream, content_type).await;
            for bytes in chunks.iter() {
                if chunk(&mut stream, bytes).await.is_err() {
                    return;
                }
            }
            end(&mut stream).await;
        }
    })
    .await;
    (server, heads)
}

/// A client that never retries, nor reconnects.
fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn heads(heads: &Heads) -> Vec<String> {
    heads.lock().unwrap_or_else(PoisonError::into_inner).clone()
}

async fn all<S: futures_util::Stream + Unpin>(mut stream: S) -> Vec<S::Item> {
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item);
    }
    items
}

fn text(event: &Event<String>) -> (&str, Option<&str>, &str) {
    (&event.event, event.id.as_deref(), &event.data)
}

// ---- Server-sent events -------------------------------------------------------------------

#[tokio::test]
async fn every_parsing_rule_of_the_spec_on_the_wire() {
    let (server, seen) = serve_chunks(
        "text/event-stream",
        vec![
            // A BOM, cut in two; a comment; two data lines joined with LF.
            b"\xEF\xBB",
            b"\xBF: a comment\ndata: first\ndata: second\n\n",
            // CR line ends, and a CR at the end of a chunk with its LF in the next.
            b"event: update\rid: 1\rdata: cr\r\r",
            b"data: crlf\r",
            b"\n\r",
            b"\n",
            // A field without a colon (empty data), one space removed of two.
            b"data\n\ndata:  two spaces\n\n",
            // No data, no event (but its id counts); an unknown field; the id persists.
            b"event: ignored\nid: 2\nfoo: bar\n\ndata: after\n\n",
            // An id with NUL is ignored; retry only with digits.
            b"id: 3\0\nretry: 12a\ndata: nul\n\nretry: 1500\ndata: retry\n\n",
            // An empty id clears it.
            b"id\ndata: cleared\n\n",
            // An unfinished event at the end is discarded.
            b"data: never",
        ],
    )
    .await;
    let client = client(&server.base_url());
    let events = client.events().await.unwrap();
    let events: Vec<Event<String>> = all(events).await.into_iter().map(Result::unwrap).collect();
    let shown: Vec<_> = events.iter().map(text).collect();
    assert_eq!(
        shown,
        [
            ("message", None, "first\nsecond"),
            ("update", Some("1"), "cr"),
            ("message", Some("1"), "crlf"),
            ("message", Some("1"), ""),
            ("message", Some("1"), " two spaces"),
            ("message", Some("2"), "after"),
            ("message", Some("2"), "nul"),
            ("message", Some("2"), "retry"),
            ("message", None, "cleared"),
        ]
    );
    assert_eq!(events[7].retry, Some(Duration::from_millis(1500)));
    assert!(events[..7].iter().all(|event| event.retry.is_none()));
    let head = &heads(&seen)[0];
    assert_eq!(header(head, "accept").as_deref(), Some("text/event-stream"));
    assert_eq!(
        <Client as Feeds>::EVENTS.response(),
        ResponseKind::EventStream
    );
}

#[tokio::test]
async fn typed_data_is_json_and_a_bad_event_is_an_item_not_the_end() {
    let (server, _) = serve_chunks(
        "text/event-stream",
        vec![
            b"data: {\"type\": \"started\", \"execution\": \"e1\"}\n\n",
            b"id: 7\ndata: {\"type\": \"progress\", \"percent\": \"lots\"}\n\n",
            b"data: {\"type\": \"progress\",\ndata: \"percent\": 50}\n\n",
            b"event: end\ndata: {\"type\": \"finished\", \"ok\": true}\n\n",
        ],
    )
    .await;
    let client = client(&server.base_url());
    let items = all(client.steps().await.unwrap()).await;
    assert_eq!(items.len(), 4);
    assert_eq!(
        items[0].as_ref().unwrap().data,
        Step::Started {
            execution: "e1".into()
        }
    );
    let error = items[1].as_ref().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    let shown = error.to_string();
    assert!(
        shown.starts_with("GET /steps: event 2 (`message`, id `7`): "),
        "{shown}"
    );
    // Data lines joined with LF are one JSON document.
    assert_eq!(
        items[2].as_ref().unwrap().data,
        Step::Progress { percent: 50 }
    );
    let last = items[3].as_ref().unwrap();
    assert_eq!(
        (last.event.as_str(), last.id.as_deref()),
        ("end", Some("7"))
    );
    assert_eq!(last.data, Step::Finished { ok: true });
}

#[tokio::test]
async fn an_event_over_the_limit_is_an_error_and_the_end() {
    let (server, _) = serve_chunks(
        "text/event-stream",
        vec![
            b"data: small\n\n",
            b"data: 0123456789",
            b"0123456789\n\ndata: later\n\n",
        ],
    )
    .await;
    let client = client(&server.base_url());
    let events = client.events().await.unwrap().max_event_bytes(16);
    let items = all(events).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().data, "small");
    let error = items[1].as_ref().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge);
    assert!(error.to_string().contains("event 2"), "{error}");
}

/// A feed that, on each connection, sends `per_connection` events numbered from
/// `Last-Event-ID` + 1, with `retry: 10`, then drops the connection (abruptly with
/// `abort`, else with a clean end); the connection after `connections` answers 204.
async fn feed(per_connection: u64, connections: usize, abort: bool) -> (RawServer, Heads) {
    let heads = Heads::default();
    let seen = heads.clone();
    let server = RawServer::start(move |mut stream| {
        let seen = seen.clone();
        async move {
            let head = read_head(&mut stream).await;
            let n = {
                let mut seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
                seen.push(head.clone());
                seen.len()
            };
            if n > connections {
                let _ = stream
                    .write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                    .await;
                return;
            }
            let after: u64 = header(&head, "last-event-id")
                .and_then(|id| id.parse().ok())
                .unwrap_or(0);
            start_answer(&mut stream, "text/event-stream").await;
            let _ = chunk(&mut stream, b"retry: 10\n\n").await;
            for id in after + 1..=after + per_connection {
                let event = format!("id: {id}\ndata: event {id}\n\n");
                if chunk(&mut stream, event.as_bytes()).await.is_err() {
                    return;
                }
            }
            // Half an event, which is lost with the connection.
            let _ = chunk(&mut stream, b"id: 999\ndata: half").await;
            if abort {
                // Dropped without the last chunk: the body breaks off.
                return;
            }
            end(&mut stream).await;
        }
    })
    .await;
    (server, heads)
}

async fn reconnects_with_last_event_id(abort: bool) {
    let (server, seen) = feed(3, 3, abort).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .retry(RetryPolicy::default().delays(Duration::from_millis(1), Duration::from_secs(1)))
        .build()
        .unwrap();
    let events = all(client.events().await.unwrap()).await;
    let data: Vec<String> = events
        .into_iter()
        .map(|event| event.unwrap().data)
        .collect();
    let want: Vec<String> = (1..=9).map(|id| format!("event {id}")).collect();
    assert_eq!(data, want, "no event lost, none twice");
    let heads = heads(&seen);
    assert_eq!(heads.len(), 4, "three connections and the 204");
    let ids: Vec<Option<String>> = heads
        .iter()
        .map(|head| header(head, "last-event-id"))
        .collect();
    assert_eq!(
        ids,
        [None, Some("3".into()), Some("6".into()), Some("9".into())]
    );
    assert!(
        heads
            .iter()
            .all(|head| header(head, "accept").as_deref() == Some("text/event-stream"))
    );
}

#[tokio::test]
async fn a_broken_connection_is_resumed_with_last_event_id() {
    reconnects_with_last_event_id(true).await;
}

#[tokio::test]
async fn a_clean_end_is_resumed_too_until_204() {
    reconnects_with_last_event_id(false).await;
}

#[tokio::test]
async fn reconnections_in_a_row_without_an_event_are_bounded_by_the_policy() {
    // Every connection ends at once: the stream gives up after the policy's two retries.
    let (server, seen) = feed(0, usize::MAX, false).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .retry(
            RetryPolicy::default()
                .max_retries(2)
                .delays(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    let items = all(client.events().await.unwrap()).await;
    assert!(items.is_empty(), "{items:?}");
    assert_eq!(heads(&seen).len(), 3);
}

#[tokio::test]
async fn a_post_is_not_reconnected_its_broken_connection_is_the_error() {
    let (server, seen) = feed(2, 5, true).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .retry(RetryPolicy::default().delays(Duration::from_millis(1), Duration::from_millis(5)))
        .build()
        .unwrap();
    let items = all(client
        .start_run(&serde_json::json!({"task": "x"}))
        .await
        .unwrap())
    .await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[1].as_ref().unwrap().data, "event 2");
    let error = items[2].as_ref().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert_eq!(heads(&seen).len(), 1, "sent once");
}

/// A server that sends `first`, then nothing, holding the connection open; it reports when
/// the client closed it.
async fn stalling(
    content_type: &'static str,
    first: &'static [u8],
) -> (RawServer, Arc<AtomicUsize>) {
    let closed = Arc::new(AtomicUsize::new(0));
    let seen = closed.clone();
    let server = RawServer::start(move |mut stream| {
        let closed = seen.clone();
        async move {
            read_head(&mut stream).await;
            start_answer(&mut stream, content_type).await;
            let _ = chunk(&mut stream, first).await;
            // Wait for the client to close its end.
            let mut buffer = [0u8; 64];
            let _ = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buffer)).await;
            closed.fetch_add(1, Ordering::SeqCst);
        }
    })
    .await;
    (server, closed)
}

#[tokio::test]
async fn a_stall_between_items_is_bounded_by_the_read_timeout() {
    let (server, _) = stalling("text/event-stream", b"data: one\n\n").await;
    let client = Client::builder()
        .base_url(server.base_url())
        .read_timeout(Duration::from_millis(300))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let items = all(client.events().await.unwrap()).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().data, "one");
    assert_eq!(items[1].as_ref().unwrap_err().kind(), ErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_secs(5));

    let (server, _) = stalling("application/x-ndjson", b"{\"id\": 1, \"name\": \"a\"}\n").await;
    let client = Client::builder()
        .base_url(server.base_url())
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let items = all(client.rows().await.unwrap()).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[1].as_ref().unwrap_err().kind(), ErrorKind::Timeout);
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection() {
    let (server, closed) = stalling("text/event-stream", b"data: one\n\n").await;
    let client = client(&server.base_url());
    let mut events = client.events().await.unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().data, "one");
    drop(events);
    for _ in 0..200 {
        if closed.load(Ordering::SeqCst) == 1 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the server did not see the connection closed");
}

// ---- JSON Lines ---------------------------------------------------------------------------

#[tokio::test]
async fn json_lines_one_per_line_blank_skipped_crlf_and_bad_lines_named() {
    let (server, seen) = serve_chunks(
        "application/x-ndjson",
        vec![
            b"{\"id\": 1, \"name\": \"a\"}\r\n\n   \r\n{\"id\": 2,",
            b" \"name\": \"b\"}\r",
            b"\n{\"id\": \"three\", \"name\": \"c\"}\n",
            b"not json\n{\"id\": 5, \"name\": \"e\"}",
        ],
    )
    .await;
    let client = client(&server.base_url());
    let items = all(client.rows().await.unwrap()).await;
    assert_eq!(items.len(), 5, "{items:?}");
    assert_eq!(
        items[0].as_ref().unwrap(),
        &Row {
            id: 1,
            name: "a".into()
        }
    );
    assert_eq!(items[1].as_ref().unwrap().id, 2);
    let error = items[2].as_ref().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.line(), Some(5));
    assert_eq!(error.decode_path(), Some("id"));
    assert!(
        error.to_string().starts_with("GET /rows: line 5: "),
        "{error}"
    );
    assert_eq!(items[3].as_ref().unwrap_err().line(), Some(6));
    // The last line, without a line end, counts.
    assert_eq!(items[4].as_ref().unwrap().id, 5);
    let head = &heads(&seen)[0];
    assert_eq!(
        header(head, "accept").as_deref(),
        Some("application/x-ndjson, application/jsonl")
    );
    assert_eq!(<Client as Feeds>::ROWS.response(), ResponseKind::JsonLines);
}

#[tokio::test]
async fn a_json_line_over_the_limit_is_an_error_and_the_end() {
    let (server, _) = serve_chunks(
        "application/jsonl",
        vec![
            b"{\"id\": 1, \"name\": \"a\"}\n{\"id\": 2, \"name\": \"",
            b"far too long for the limit\"}\n{\"id\": 3, \"name\": \"c\"}\n",
        ],
    )
    .await;
    let client = client(&server.base_url());
    let items = all(client.rows().await.unwrap().max_line_bytes(30)).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().id, 1);
    let error = items[1].as_ref().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge);
    assert_eq!(error.line(), Some(2));
}

// ---- Tracing -----------------------------------------------------------------------------

/// The recorded lines of the `askui.call` spans of `operation` that say `what` (`CLOSE`, or
/// an event's message).
const CLOSE: &str = ": close time.busy";

fn span_lines(operation: &str, what: &str) -> Vec<String> {
    captured()
        .lines()
        .filter(|line| {
            line.contains("askui.call")
                && line.contains(&format!("operation=\"{operation}\""))
                && line.contains(what)
        })
        .map(str::to_owned)
        .collect()
}

/// The span of `operation` closed once (its last handle dropped with the stream): its line.
async fn closed_once(operation: &str) -> String {
    // The span closes as the stream is dropped; a clone in a task that is ending may
    // outlive it by a moment.
    for _ in 0..200 {
        if !span_lines(operation, CLOSE).is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let closed = span_lines(operation, CLOSE);
    assert_eq!(closed.len(), 1, "{}", captured());
    closed.into_iter().next().unwrap()
}

#[tokio::test]
async fn an_event_streams_span_covers_the_stream_and_counts_items_and_reconnects() {
    let _ = captured();
    // Two connections of three events, each broken off; the third request gets a 204.
    let (server, _) = feed(3, 2, true).await;
    let resuming = Client::builder()
        .base_url(server.base_url())
        .retry(RetryPolicy::default().delays(Duration::from_millis(1), Duration::from_secs(1)))
        .build()
        .unwrap();
    let mut events = resuming.traced_events().await.unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().data, "event 1");
    assert!(
        span_lines("traced_events", CLOSE).is_empty(),
        "the span outlives the call's answer while the stream is read"
    );
    let mut rest = Vec::new();
    while let Some(event) = events.next().await {
        rest.push(event.unwrap().data);
    }
    assert_eq!(rest.len(), 5, "{rest:?}");
    // Ended but not dropped: still open, its fields recorded at the end.
    assert!(span_lines("traced_events", CLOSE).is_empty());
    drop(events);
    let closed = closed_once("traced_events").await;
    for field in [
        "url.template=\"/events\"",
        "http.response.status_code=200",
        "items=6",
        "reconnects=2",
    ] {
        assert!(closed.contains(field), "{field} in {closed}");
    }
    // Each reconnection is an event inside the span.
    assert_eq!(
        span_lines("traced_events", "reconnecting").len(),
        2,
        "{}",
        captured()
    );

    // Dropped after one event: the span closes with it, with what was handed out.
    let (server, closed_by_client) = stalling("text/event-stream", b"data: one\n\n").await;
    let client = client(&server.base_url());
    let mut events = client.dropped_events().await.unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().data, "one");
    assert!(span_lines("dropped_events", CLOSE).is_empty());
    drop(events);
    let closed = closed_once("dropped_events").await;
    assert!(closed.contains("items=1"), "{closed}");
    assert!(!closed.contains("reconnects="), "{closed}");
    drop(closed_by_client);
}

#[tokio::test]
async fn a_json_lines_span_covers_the_stream_and_counts_items_errors_included() {
    let _ = captured();
    let (server, _) = serve_chunks(
        "application/x-ndjson",
        vec![
            b"{\"id\": 1, \"name\": \"a\"}\n",
            b"not json\n\n{\"id\": 2,",
            b" \"name\": \"b\"}\n",
        ],
    )
    .await;
    let rows_client = client(&server.base_url());
    let mut rows = rows_client.traced_rows().await.unwrap();
    assert_eq!(rows.next().await.unwrap().unwrap().id, 1);
    assert!(span_lines("traced_rows", CLOSE).is_empty());
    assert!(rows.next().await.unwrap().is_err());
    assert_eq!(rows.next().await.unwrap().unwrap().id, 2);
    assert!(rows.next().await.is_none());
    assert!(span_lines("traced_rows", CLOSE).is_empty());
    drop(rows);
    let closed = closed_once("traced_rows").await;
    for field in [
        "url.template=\"/rows\"",
        "http.response.status_code=200",
        "items=3",
    ] {
        assert!(closed.contains(field), "{field} in {closed}");
    }

    let (server, _) = stalling("application/x-ndjson", b"{\"id\": 7, \"name\": \"g\"}\n").await;
    let client = client(&server.base_url());
    let mut rows = client.dropped_rows().await.unwrap();
    assert_eq!(rows.next().await.unwrap().unwrap().id, 7);
    drop(rows);
    let closed = closed_once("dropped_rows").await;
    assert!(closed.contains("items=1"), "{closed}");
}

// ---- Blocking -----------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn blocking_clients_read_both_as_iterators() {
    let (events, _) = serve_chunks(
        "text/event-stream",
        vec![b"data: a\n\n", b"data: b\r\n\r\n"],
    )
    .await;
    let (rows, _) = serve_chunks(
        "application/x-ndjson",
        vec![b"{\"id\": 1, \"name\": \"a\"}\n{\"id\": 2, \"name\": \"b\"}\n"],
    )
    .await;
    let (events_url, rows_url) = (events.base_url(), rows.base_url());
    let (data, ids) = tokio::task::spawn_blocking(move || {
        let blocking = |url: &str| {
            Client::builder()
                .base_url(url)
                .retry(RetryPolicy::none())
                .build_blocking()
                .unwrap()
        };
        let data: Vec<String> = blocking(&events_url)
            .events()
            .unwrap()
            .into_blocking_iter()
            .map(|event| event.unwrap().data)
            .collect();
        let ids: Vec<u64> = blocking(&rows_url)
            .rows()
            .unwrap()
            .into_blocking_iter()
            .map(|row| row.unwrap().id)
            .collect();
        (data, ids)
    })
    .await
    .unwrap();
    assert_eq!(data, ["a", "b"]);
    assert_eq!(ids, [1, 2]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_blocking_event_stream_reconnects_on_its_clients_runtime() {
    let (server, seen) = feed(2, 2, true).await;
    let url = server.base_url();
    let data: Vec<String> = tokio::task::spawn_blocking(move || {
        let client = Client::builder()
            .base_url(url)
            .retry(RetryPolicy::default().delays(Duration::from_millis(1), Duration::from_secs(1)))
            .build_blocking()
            .unwrap();
        client
            .events()
            .unwrap()
            .into_blocking_iter()
            .map(|event| event.unwrap().data)
            .collect()
    })
    .await
    .unwrap();
    assert_eq!(data, ["event 1", "event 2", "event 3", "event 4"]);
    assert_eq!(heads(&seen).len(), 3);
}

// ---- Properties ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct GenEvent {
    comment: Option<String>,
    event: Option<String>,
    id: Option<String>,
    data: Vec<String>,
}

fn gen_event() -> impl Strategy<Value = GenEvent> {
    let text = "[^\r\n]{0,12}";
    (
        prop::option::of(text),
        prop::option::of("[a-z_]{0,8}"),
        prop::option::of("[^\r\n\u{0}]{0,8}"),
        prop::collection::vec(text, 1..4),
    )
        .prop_map(|(comment, event, id, data)| GenEvent {
            comment,
            event,
            id,
            data,
        })
}

/// `lines` with line ends picked by `ends`, never a CR before an empty line ended by a LF
/// alone (which would read as one CRLF).
fn serialise(lines: &[String], ends: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut after_cr = false;
    for (i, line) in lines.iter().enumerate() {
        out.extend_from_slice(line.as_bytes());
        let mut end = ["\n", "\r", "\r\n"][usize::from(ends[i % ends.len()] % 3)];
        if after_cr && line.is_empty() && end == "\n" {
            end = "\r\n";
        }
        out.extend_from_slice(end.as_bytes());
        after_cr = end == "\r";
    }
    out
}

/// `bytes` cut at `cuts` (indices into it, any order).
fn cut(bytes: &[u8], cuts: &[prop::sample::Index]) -> Vec<bytes::Bytes> {
    let mut at: Vec<usize> = cuts.iter().map(|cut| cut.index(bytes.len() + 1)).collect();
    at.sort_unstable();
    let mut chunks = Vec::new();
    let mut start = 0;
    for end in at {
        chunks.push(bytes::Bytes::copy_from_slice(&bytes[start..end]));
        start = end;
    }
    chunks.push(bytes::Bytes::copy_from_slice(&bytes[start..]));
    chunks
}

fn read<T: askui_runtime::FromResponse>(chunks: Vec<bytes::Bytes>) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    runtime
        .block_on(askui_runtime::__private::read_answer::<T>(
            askui_runtime::StatusCode::OK,
            Default::default(),
            chunks,
            1 << 20,
        ))
        .unwrap()
}

fn collect<S: futures_util::Stream + Unpin>(stream: S) -> Vec<S::Item> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    runtime.block_on(all(stream))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_events_any_line_ends_any_chunks_parse_the_same(
        events in prop::collection::vec(gen_event(), 0..8),
        bom in any::<bool>(),
        ends in prop::collection::vec(any::<u8>(), 1..16),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
    ) {
        let mut lines = Vec::new();
        let mut want = Vec::new();
        let mut last_id = String::new();
        for event in &events {
            if let Some(comment) = &event.comment {
                lines.push(format!(":{comment}"));
            }
            if let Some(kind) = &event.event {
                lines.push(format!("event: {kind}"));
            }
            if let Some(id) = &event.id {
                lines.push(format!("id: {id}"));
                last_id.clone_from(id);
            }
            for data in &event.data {
                lines.push(format!("data: {data}"));
            }
            lines.push(String::new());
            let kind = event.event.clone().filter(|kind| !kind.is_empty());
            want.push((
                kind.unwrap_or_else(|| "message".into()),
                (!last_id.is_empty()).then(|| last_id.clone()),
                event.data.join("\n"),
            ));
        }
        let mut bytes = if bom { "\u{feff}".as_bytes().to_vec() } else { Vec::new() };
        bytes.extend(serialise(&lines, &ends));
        let sse: Sse<String> = read(cut(&bytes, &cuts));
        let got: Vec<(String, Option<String>, String)> = collect(sse)
            .into_iter()
            .map(|event| {
                let event = event.unwrap();
                (event.event, event.id, event.data)
            })
            .collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn any_rows_any_line_ends_any_chunks_read_the_same(
        rows in prop::collection::vec((any::<u64>(), "[^\u{0}]{0,10}", 0usize..3), 0..10),
        crlf in prop::collection::vec(any::<bool>(), 1..8),
        last_end in any::<bool>(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
    ) {
        let mut bytes = Vec::new();
        for (i, (id, name, blanks)) in rows.iter().enumerate() {
            for _ in 0..*blanks {
                bytes.extend_from_slice(if crlf[i % crlf.len()] { b" \r\n" } else { b"\n" });
            }
            let line = serde_json::json!({"id": id, "name": name}).to_string();
            bytes.extend_from_slice(line.as_bytes());
            if i + 1 < rows.len() || last_end {
                bytes.extend_from_slice(if crlf[i % crlf.len()] { b"\r\n" } else { b"\n" });
            }
        }
        let lines: JsonLines<Row> = read(cut(&bytes, &cuts));
        let got: Vec<(u64, String)> = collect(lines)
            .into_iter()
            .map(|row| {
                let row = row.unwrap();
                (row.id, row.name)
            })
            .collect();
        let want: Vec<(u64, String)> = rows.into_iter().map(|(id, name, _)| (id, name)).collect();
        prop_assert_eq!(got, want);
    }
}
