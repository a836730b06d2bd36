//! The fault matrix of the README's "Reliability" section: servers on 127.0.0.1 that fail
//! at every layer (TCP, the HTTP head, the body, the payload), each call ending in a typed
//! `Error` (or a success where the answer is valid HTTP after all). Every call runs under
//! [`guard`], so a hang fails the test instead of stalling CI; clients have short timeouts
//! and no retries (except in the `Retry-After` rows), so the file runs in a few seconds.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use askui_runtime::{Client, Error, ErrorBody, ErrorKind, RetryPolicy, StatusCode, askui_endpoint};
use askui_tests::{RawServer, RecordingServer, Reply, read_request_head};
use futures_util::future::join_all;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::mpsc;

trait Api {
    #[askui_endpoint(get, "/item")]
    async fn item(&self) -> Result<Item, Error>;

    #[askui_endpoint(get, "/value")]
    async fn value(&self) -> Result<Value, Error>;
}

impl Api for Client {}

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: u32,
    name: String,
}

/// Longest any one call may take before the test calls it a hang.
const GUARD: Duration = Duration::from_secs(5);
/// `max_response_bytes` of the test clients.
const MAX_RESPONSE: usize = 64 * 1024;
/// Time for the client to read what was sent before the server resets the connection, so
/// that the reset lands where the row says.
const SETTLE: Duration = Duration::from_millis(200);

async fn guard<T>(call: impl Future<Output = T>) -> T {
    tokio::time::timeout(GUARD, call)
        .await
        .expect("the call hung: no result within the guard")
}

/// No retries, a 2 s call timeout, a 1 s read timeout, a 64 KiB response limit.
fn client(base_url: String) -> Client {
    Client::builder()
        .base_url(base_url)
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(2))
        .read_timeout(Duration::from_secs(1))
        .max_response_bytes(MAX_RESPONSE)
        .build()
        .unwrap()
}

/// How a [`scripted`] server ends the connection after its bytes.
#[derive(Clone, Copy, Debug)]
enum Then {
    /// A clean close (FIN).
    Close,
    /// `SO_LINGER` 0, then close: a TCP reset (RST), after the client had time to read.
    Reset,
    /// Keeps the connection open and silent.
    Stall,
}

/// A server that reads the request head, writes `bytes` as they are and ends as `then` says.
async fn scripted(bytes: impl Into<Vec<u8>>, then: Then) -> RawServer {
    let bytes: Arc<[u8]> = bytes.into().into();
    RawServer::start(move |mut stream| {
        let bytes = bytes.clone();
        async move {
            read_request_head(&mut stream).await;
            let _ = stream.write_all(&bytes).await;
            let _ = stream.flush().await;
            end(stream, then).await;
        }
    })
    .await
}

async fn end(mut stream: TcpStream, then: Then) {
    match then {
        Then::Close => {
            let _ = stream.shutdown().await;
        }
        Then::Reset => {
            tokio::time::sleep(SETTLE).await;
            stream.set_zero_linger().expect("SO_LINGER 0");
            drop(stream);
        }
        Then::Stall => tokio::time::sleep(Duration::from_secs(30)).await,
    }
}

/// `body` in chunked framing, in chunks of `size` bytes, with the last chunk.
fn chunked(body: &[u8], size: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in body.chunks(size) {
        out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

fn head(status_line: &str, headers: &[&str]) -> Vec<u8> {
    let mut out = format!("{status_line}\r\n");
    for header in headers {
        out.push_str(header);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// [`items_from`] named cases, each answer followed by closing the connection.
async fn closing_after(cases: &[(&str, Vec<u8>)]) -> Vec<Result<Item, Error>> {
    let answers = cases
        .iter()
        .map(|(_, answer)| (answer.clone(), Then::Close));
    items_from(answers.collect()).await
}

/// `GET /item` of a [`scripted`] server per answer, all at once; the results in order.
/// Servers and clients are made first: building a client takes long enough on a busy machine
/// (TLS roots) to eat into the timeout of a call already under way on the same thread.
async fn items_from(answers: Vec<(Vec<u8>, Then)>) -> Vec<Result<Item, Error>> {
    let mut calls = Vec::new();
    for (bytes, then) in answers {
        let server = scripted(bytes, then).await;
        let client = client(server.base_url());
        calls.push(async move {
            let result = guard(client.item()).await;
            drop(server);
            result
        });
    }
    join_all(calls).await
}

fn source_of(error: &Error) -> String {
    std::error::Error::source(error).map_or_else(String::new, |cause| format!("{cause:?}"))
}

const ITEM: &[u8] = br#"{"id": 7, "name": "seven"}"#;

fn item() -> Item {
    Item {
        id: 7,
        name: "seven".into(),
    }
}

// ---------------------------------------------------------------------------------------
// Below HTTP: resets, closes and stalls.

#[tokio::test]
async fn a_reset_before_the_status_line_is_transport() {
    let cases = [Then::Reset, Then::Close];
    let results = items_from(cases.iter().map(|then| (Vec::new(), *then)).collect()).await;
    for (then, result) in cases.into_iter().zip(results) {
        let error = result.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Transport, "{then:?}: {error:?}");
        assert_eq!((error.status(), error.attempts()), (None, 1));
        if let Then::Reset = then {
            assert!(source_of(&error).contains("ConnectionReset"), "{error:?}");
        }
    }
}

#[tokio::test]
async fn a_reset_mid_headers_is_transport() {
    let partial = b"HTTP/1.1 200 OK\r\ncontent-type: application/js".to_vec();
    let cases = [Then::Reset, Then::Close];
    let results = items_from(cases.iter().map(|then| (partial.clone(), *then)).collect()).await;
    for (then, result) in cases.into_iter().zip(results) {
        let error = result.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Transport, "{then:?}: {error:?}");
        if let Then::Reset = then {
            assert!(source_of(&error).contains("ConnectionReset"), "{error:?}");
        }
    }
}

#[tokio::test]
async fn a_reset_mid_body_is_transport_and_an_error_answer_keeps_its_status() {
    let mut success = head("HTTP/1.1 200 OK", &["content-length: 100"]);
    success.extend_from_slice(br#"{"id": 7, "na"#);
    let mut failure = head("HTTP/1.1 503 Service Unavailable", &["content-length: 100"]);
    failure.extend_from_slice(b"upstream connect error or disconnect");
    let [on_success, on_failure] =
        <[_; 2]>::try_from(items_from(vec![(success, Then::Reset), (failure, Then::Reset)]).await)
            .unwrap();

    let error = on_success.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
    assert!(source_of(&error).contains("ConnectionReset"), "{error:?}");

    // An error answer: the status is the news, what arrived is kept, the reset is the source.
    let error = on_failure.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Status, "{error:?}");
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(
        error.body(),
        Some(&ErrorBody::Raw(
            "upstream connect error or disconnect".into()
        ))
    );
    assert!(source_of(&error).contains("ConnectionReset"), "{error:?}");
}

#[tokio::test]
async fn headers_that_never_arrive_time_out() {
    let mut calls = Vec::new();
    for partial in [&b""[..], b"HTTP/1.1 200 OK\r\ncontent-type: appl"] {
        let server = scripted(partial, Then::Stall).await;
        let client = Client::builder()
            .base_url(server.base_url())
            .retry(RetryPolicy::none())
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        calls.push(async move {
            let result = guard(client.item()).await;
            drop(server);
            result
        });
    }
    let results = join_all(calls).await;
    for result in results {
        let error = result.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    }
}

/// A head promising 100 bytes, then one byte a second: every wait is shorter than the read
/// timeout, so only the whole-call timeout ends it.
async fn trickling(status_line: &'static str) -> RawServer {
    RawServer::start(move |mut stream| async move {
        read_request_head(&mut stream).await;
        let head = head(status_line, &["content-length: 100"]);
        if stream.write_all(&head).await.is_err() {
            return;
        }
        for byte in b"{\"detail\": \"slow".iter().cycle().take(100) {
            if stream.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    })
    .await
}

#[tokio::test]
async fn a_body_that_trickles_one_byte_a_second_times_out() {
    let patient_reader = |base_url| {
        Client::builder()
            .base_url(base_url)
            .retry(RetryPolicy::none())
            .timeout(Duration::from_millis(1500))
            .read_timeout(Duration::from_secs(10))
            .build()
            .unwrap()
    };
    let (success, failure) = tokio::join!(
        trickling("HTTP/1.1 200 OK"),
        trickling("HTTP/1.1 500 Internal Server Error")
    );
    let (success_client, failure_client) = (
        patient_reader(success.base_url()),
        patient_reader(failure.base_url()),
    );
    let started = Instant::now();
    let (on_success, on_failure) =
        tokio::join!(guard(success_client.item()), guard(failure_client.item()));
    let error = on_success.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    // An error answer keeps its status and the bytes that came; the timeout is the source.
    let error = on_failure.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Status, "{error:?}");
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert!(error.to_string().contains("{\""), "{error}");
    assert!(source_of(&error).contains("TimedOut"), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_stalled_body_without_a_call_timeout_ends_at_the_read_timeout() {
    let mut partial = head("HTTP/1.1 200 OK", &["content-length: 100"]);
    partial.extend_from_slice(b"{\"id\":");
    let server = scripted(partial, Then::Stall).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .retry(RetryPolicy::none())
        .timeout(None)
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = guard(client.item()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert!(error.to_string().contains("stalled"), "{error}");
}

#[tokio::test]
async fn a_body_cut_short_of_its_content_length_is_transport() {
    let mut success = head("HTTP/1.1 200 OK", &["content-length: 100"]);
    success.extend_from_slice(ITEM);
    // A length no one could buffer, and a few bytes: nothing is reserved up front. (hyper
    // refuses `u64::MAX` itself, with the head.)
    let mut absurd = head("HTTP/1.1 200 OK", &["content-length: 1099511627776"]);
    absurd.extend_from_slice(ITEM);
    let mut maximal = head("HTTP/1.1 200 OK", &["content-length: 18446744073709551615"]);
    maximal.extend_from_slice(ITEM);
    // Chunked, closed before the last chunk.
    let mut unfinished = head("HTTP/1.1 200 OK", &["transfer-encoding: chunked"]);
    unfinished.extend_from_slice(b"5\r\n{\"id\"\r\n");
    let cases = [
        ("short", success),
        ("1 TiB declared", absurd),
        ("u64::MAX declared", maximal),
        ("unfinished chunks", unfinished),
    ];
    let results = closing_after(&cases).await;
    for ((case, _), result) in cases.iter().zip(results) {
        let error = result.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Transport, "{case}: {error:?}");
    }

    let mut failure = head("HTTP/1.1 404 Not Found", &["content-length: 100"]);
    failure.extend_from_slice(br#"{"detail": "Not Found"}"#);
    let server = scripted(failure, Then::Close).await;
    let error = guard(client(server.base_url()).item()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Status, "{error:?}");
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(error.detail().as_deref(), Some("Not Found"));
    assert!(!source_of(&error).is_empty(), "the cut is the source");
}

// ---------------------------------------------------------------------------------------
// Endless bodies: bounded memory.

/// A server writing an endless body after `head` (up to 1 GiB, in 16 KiB chunks, chunked
/// framing if `chunked`), that reports how many body bytes it wrote before the client hung up.
async fn endless(
    head_bytes: Vec<u8>,
    chunked: bool,
) -> (RawServer, mpsc::UnboundedReceiver<usize>) {
    const CAP: usize = 1 << 30;
    let (report, written) = mpsc::unbounded_channel();
    let server = RawServer::start(move |mut stream| {
        let head_bytes = head_bytes.clone();
        let report = report.clone();
        async move {
            read_request_head(&mut stream).await;
            let mut sent = 0;
            let data = [b'x'; 16 * 1024];
            let frame: Vec<u8> = if chunked {
                [format!("{:x}\r\n", data.len()).as_bytes(), &data, b"\r\n"].concat()
            } else {
                data.to_vec()
            };
            if stream.write_all(&head_bytes).await.is_ok() {
                while sent < CAP && stream.write_all(&frame).await.is_ok() {
                    sent += data.len();
                }
            }
            let _ = report.send(sent);
        }
    })
    .await;
    (server, written)
}

/// What the server sent before the client hung up: more than the client's limit (the body
/// was endless when the client stopped reading), and far less than the server would have
/// sent to a client that kept reading (the client closed the connection rather than drain it).
async fn assert_hung_up_after_the_limit(written: &mut mpsc::UnboundedReceiver<usize>) {
    let sent = guard(written.recv()).await.expect("the server reports");
    assert!(sent > MAX_RESPONSE, "only {sent} bytes were sent");
    assert!(sent < 64 << 20, "{sent} bytes: the client kept reading");
}

#[tokio::test]
async fn an_endless_success_body_stops_at_max_response_bytes() {
    let cases = [
        (
            head("HTTP/1.1 200 OK", &["transfer-encoding: chunked"]),
            true,
        ),
        (
            head("HTTP/1.1 200 OK", &["content-length: 1099511627776"]),
            false,
        ),
        // HTTP/1.0, delimited by the close that never comes.
        (head("HTTP/1.0 200 OK", &[]), false),
    ];
    for (head_bytes, chunked) in cases {
        let (server, mut written) = endless(head_bytes, chunked).await;
        let error = guard(client(server.base_url()).value()).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error:?}");
        assert!(error.to_string().contains("65536 bytes"), "{error}");
        assert_hung_up_after_the_limit(&mut written).await;
    }
}

#[tokio::test]
async fn an_endless_error_body_is_a_status_with_a_bounded_snippet() {
    let (server, mut written) = endless(
        head("HTTP/1.1 502 Bad Gateway", &["transfer-encoding: chunked"]),
        true,
    )
    .await;
    let error = guard(client(server.base_url()).value()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Status, "{error:?}");
    assert_eq!(error.status(), Some(StatusCode::BAD_GATEWAY));
    let Some(ErrorBody::Raw(snippet)) = error.body() else {
        panic!("{error:?}")
    };
    assert!(snippet.len() <= 512 + '…'.len_utf8(), "{}", snippet.len());
    assert!(
        snippet.starts_with("xxxx") && snippet.ends_with('…'),
        "{snippet}"
    );
    assert!(error.to_string().len() < 700);
    assert_hung_up_after_the_limit(&mut written).await;
}

// ---------------------------------------------------------------------------------------
// The head: absurd headers and framing.

#[tokio::test]
async fn absurd_heads_are_transport_errors() {
    let long_line = format!("x-padding: {}", "a".repeat(1 << 20));
    let many: Vec<String> = (0..1000).map(|i| format!("x-h{i}: {i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "a 1 MiB header line",
            head("HTTP/1.1 200 OK", &[&long_line]),
        ),
        ("1000 headers", head("HTTP/1.1 200 OK", &many)),
        (
            "a control byte in a header value",
            head("HTTP/1.1 200 OK", &["x-bad: a\x01b", "content-length: 0"]),
        ),
        (
            "a space in a header name",
            head("HTTP/1.1 200 OK", &["bad name: x", "content-length: 0"]),
        ),
        (
            "two different lengths",
            head(
                "HTTP/1.1 200 OK",
                &["content-length: 2", "content-length: 30"],
            ),
        ),
        (
            "a negative length",
            head("HTTP/1.1 200 OK", &["content-length: -1"]),
        ),
        (
            "no status code",
            head("HTTP/1.1 OK", &["content-length: 0"]),
        ),
        (
            "a four-digit status",
            head("HTTP/1.1 2000 OK", &["content-length: 0"]),
        ),
        ("not HTTP at all", b"SSH-2.0-OpenSSH_9.6\r\n".to_vec()),
        (
            "chunked in HTTP/1.0 (RFC 9112 6.1: faulty framing)",
            [
                head("HTTP/1.0 200 OK", &["transfer-encoding: chunked"]),
                chunked(ITEM, 8),
            ]
            .concat(),
        ),
    ];
    let results = closing_after(&cases).await;
    for ((case, _), result) in cases.iter().zip(results) {
        let error = result.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Transport, "{case}: {error:?}");
    }
}

#[tokio::test]
async fn a_large_request_id_and_odd_header_bytes_are_bounded_or_ignored() {
    // 300 KiB: under hyper's limit for a head, so it arrives; the error keeps 64 bytes of it.
    let request_id = format!("x-request-id: {}", "r".repeat(300 * 1024));
    let answer = head(
        "HTTP/1.1 500 Internal Server Error",
        &[&request_id, "content-length: 0"],
    );
    let server = scripted(answer, Then::Close).await;
    let error = guard(client(server.base_url()).item()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Status, "{error:?}");
    assert!(error.request_id().unwrap().len() <= 64 + '…'.len_utf8());
    assert!(error.to_string().len() < 300, "{error}");

    // obs-text (bytes 0x80-0xFF, Latin-1 here) is allowed in a value: a success reads, and
    // an error answer has no request id rather than a garbled one.
    let latin1 = |status_line: &str| {
        [
            format!("{status_line}\r\ncontent-length: 26\r\nx-request-id: caf").as_bytes(),
            b"\xe9\r\n\r\n",
            ITEM,
        ]
        .concat()
    };
    let server = scripted(latin1("HTTP/1.1 200 OK"), Then::Close).await;
    assert_eq!(
        guard(client(server.base_url()).item()).await.unwrap(),
        item()
    );
    let server = scripted(latin1("HTTP/1.1 409 Conflict"), Then::Close).await;
    let error = guard(client(server.base_url()).item()).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::CONFLICT), "{error:?}");
    assert_eq!(error.request_id(), None);
}

// ---------------------------------------------------------------------------------------
// Framing that is unusual but valid: these succeed.

#[tokio::test]
async fn close_delimited_and_chunked_bodies_decode() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "HTTP/1.0, delimited by the close",
            [
                &head("HTTP/1.0 200 OK", &["content-type: application/json"])[..],
                ITEM,
            ]
            .concat(),
        ),
        (
            "HTTP/1.1 without a length, delimited by the close",
            [&head("HTTP/1.1 200 OK", &["connection: close"])[..], ITEM].concat(),
        ),
        (
            "chunked, one byte a chunk",
            [
                head("HTTP/1.1 200 OK", &["transfer-encoding: chunked"]),
                chunked(ITEM, 1),
            ]
            .concat(),
        ),
        (
            "chunked, with extensions and trailers",
            [
                &head("HTTP/1.1 200 OK", &["transfer-encoding: chunked"])[..],
                b"a;name=value\r\n{\"id\": 7, \r\n",
                b"10\r\n\"name\": \"seven\"}\r\n",
                b"0\r\nx-checksum: 1\r\n\r\n",
            ]
            .concat(),
        ),
    ];
    let results = closing_after(&cases).await;
    for ((case, _), result) in cases.iter().zip(results) {
        assert_eq!(result.unwrap_or_else(|e| panic!("{case}: {e:?}")), item());
    }
    // An HTTP/1.0 error answer, delimited by the close, is read too.
    let server = scripted(
        [
            &head("HTTP/1.0 404 Not Found", &[])[..],
            br#"{"detail": "gone"}"#,
        ]
        .concat(),
        Then::Close,
    )
    .await;
    let error = guard(client(server.base_url()).item()).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(error.detail().as_deref(), Some("gone"));
}

// ---------------------------------------------------------------------------------------
// The payload: JSON, HTML, hostile text.

#[tokio::test]
async fn truncated_and_wrong_shape_json_is_decode() {
    let bodies: &[&[u8]] = &[
        br#"{"id": 7, "na"#,
        b"{",
        b"",
        b"null",
        b"[\"seven\", 7]",
        br#"{"id": "7", "name": "seven"}"#,
        br#"{"id": -1, "name": "seven"}"#,
        br#"{"id": 7}"#,
        br#"{"id": 7, "name": "seven"} trailing"#,
        b"<html><body>OK</body></html>",
        b"{\"id\": 7, \"name\": \"s\xffven\"}",
        b"\xef\xbb\xbf{\"id\": 7, \"name\": \"seven\"}",
    ];
    for body in bodies {
        let server = RecordingServer::always(Reply::raw(200, "application/json", *body)).await;
        let shown = String::from_utf8_lossy(body);
        let Err(error) = guard(client(server.base_url()).item()).await else {
            panic!("{shown} decoded");
        };
        assert_eq!(error.kind(), ErrorKind::Decode, "{shown}: {error:?}");
        assert!(error.to_string().contains("faults::Item"), "{error}");
        assert!(!source_of(&error).is_empty(), "{shown}: the serde error");
    }
}

#[tokio::test]
async fn html_error_pages_are_status_errors_with_a_clean_snippet() {
    for (status, title) in [
        (500, "500 Internal Server Error"),
        (502, "502 Bad Gateway"),
        (503, "503 Service Temporarily Unavailable"),
    ] {
        let page = format!(
            "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1>\
             </center>\r\n<hr><center>nginx</center>\r\n{}</body>\r\n</html>\r\n",
            "<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n".repeat(50)
        );
        let server = RecordingServer::always(Reply::raw(status, "text/html", page)).await;
        let error = guard(client(server.base_url()).item()).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Status, "{error:?}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.attempts(), 1);
        assert_eq!(error.detail(), None);
        let Some(ErrorBody::Raw(snippet)) = error.body() else {
            panic!("{error:?}")
        };
        assert!(
            snippet.starts_with(&format!(
                "<html> <head><title>{title}</title></head> <body>"
            )),
            "{snippet}"
        );
        assert!(snippet.len() <= 512 + '…'.len_utf8());
        let shown = error.to_string();
        assert!(!shown.contains(['\r', '\n']), "{shown}");
    }
}

/// Shown text has no control character, no bidi override and no zero-width character.
fn assert_clean(text: &str) {
    assert!(
        !text.chars().any(|c| c.is_control()
            || ('\u{200b}'..='\u{200f}').contains(&c)
            || ('\u{202a}'..='\u{202e}').contains(&c)),
        "{text:?}"
    );
}

#[tokio::test]
async fn invalid_utf8_and_control_characters_in_detail_are_cleaned() {
    // Escaped in JSON: NUL, C0, DEL, C1 (U+009B is a one-character terminal CSI), line
    // separators, a bidi override, a zero-width space.
    let hostile = "a\u{0}b\u{1b}[2Jc\u{7f}d\u{9b}31me\r\nf\u{2028}g\u{202e}h\u{200b}i";
    let server = RecordingServer::always(Reply::json(404, json!({ "detail": hostile }))).await;
    let error = guard(client(server.base_url()).item()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Status);
    assert_eq!(error.detail().as_deref(), Some("a b [2Jc d 31me f ghi"));
    assert_clean(&error.to_string());

    // Raw bytes where JSON forbids them: not JSON, so a cleaned snippet.
    let raw: &[&[u8]] = &[
        b"{\"detail\": \"line\nbreak \x1b[31mred\x07\"}",
        b"plain \x00text\x1b]0;title\x07 \xff\xfe with bad bytes",
    ];
    for body in raw {
        let server = RecordingServer::always(Reply::raw(500, "text/plain", *body)).await;
        let error = guard(client(server.base_url()).item()).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Status);
        let Some(ErrorBody::Raw(snippet)) = error.body() else {
            panic!("{error:?}")
        };
        assert_clean(snippet);
        assert_clean(&error.to_string());
    }

    // Invalid UTF-8 inside the `detail` string: the message survives, each bad byte a U+FFFD.
    let latin1 = b"{\"detail\": \"Gr\xfc\xdfe, Stra\xdfe \xff\"}";
    let server = RecordingServer::always(Reply::raw(400, "application/json", &latin1[..])).await;
    let error = guard(client(server.base_url()).item()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Status);
    assert_eq!(
        error.detail().as_deref(),
        Some("Gr\u{fffd}\u{fffd}e, Stra\u{fffd}e \u{fffd}")
    );
    assert_clean(&error.to_string());
}

// ---------------------------------------------------------------------------------------
// Redirects without a usable `Location` (the others: tests/tests/reliability.rs).

#[tokio::test]
async fn a_redirect_without_a_usable_location_is_a_status_error() {
    for location in [None, Some("http://[::1")] {
        let mut reply = Reply::empty(302);
        if let Some(location) = location {
            reply.headers = vec![("location", location)];
        }
        let server = RecordingServer::always(reply).await;
        let error = guard(client(server.base_url()).item()).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Status, "{location:?}: {error:?}");
        assert_eq!(error.status(), Some(StatusCode::FOUND));
    }
}

// ---------------------------------------------------------------------------------------
// `Retry-After`, in both forms (the seconds cap and a past date: tests/tests/reliability.rs).

/// A server answering the first request with `first()`, every later one with `{"ok": true}`.
async fn then_ok(first: impl Fn() -> Reply + Send + Sync + 'static) -> RecordingServer {
    let count = AtomicUsize::new(0);
    RecordingServer::start(move |_| match count.fetch_add(1, Ordering::SeqCst) {
        0 => first(),
        _ => Reply::json(200, json!({ "ok": true })),
    })
    .await
}

fn busy(retry_after: String) -> Reply {
    let mut reply = Reply::json(503, json!({ "detail": "busy" }));
    reply.headers = vec![("retry-after", Box::leak(retry_after.into_boxed_str()))];
    reply
}

/// `time` as an IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(time: SystemTime) -> String {
    let seconds = time.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let date = askui_workspaces::DateTime::from_timestamp(seconds as i64, 0).unwrap();
    date.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn retrying(base_url: String) -> Client {
    Client::builder()
        .base_url(base_url)
        .retry(RetryPolicy::default().delays(Duration::from_millis(5), Duration::from_millis(20)))
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap()
}

#[tokio::test]
async fn retry_after_in_seconds_and_as_a_date_is_waited_for() {
    // The date is written when the request arrives, two seconds ahead.
    let (by_seconds, by_date) = tokio::join!(
        then_ok(|| busy("1".into())),
        then_ok(|| busy(http_date(SystemTime::now() + Duration::from_secs(2))))
    );
    let timed = |server: &RecordingServer| {
        let client = retrying(server.base_url());
        async move {
            let started = Instant::now();
            let answer = guard(client.value()).await.unwrap();
            assert_eq!(answer, json!({ "ok": true }));
            started.elapsed()
        }
    };
    let (seconds_took, date_took) = tokio::join!(timed(&by_seconds), timed(&by_date));
    assert_eq!(by_seconds.requests().len(), 2);
    assert_eq!(by_date.requests().len(), 2);
    // The backoff alone would wait 5 to 20 ms. A date has whole seconds: two seconds from
    // now is more than one second away.
    for took in [seconds_took, date_took] {
        assert!(took >= Duration::from_millis(750), "{took:?}");
        assert!(took < Duration::from_millis(2500), "{took:?}");
    }
}

#[tokio::test]
async fn retry_after_beyond_the_cap_or_unreadable_does_not_hang_or_panic() {
    // Too far: not waited for; returned at once with what the server said.
    for far in [
        u64::MAX.to_string(),
        "Fri, 31 Dec 9999 23:59:59 GMT".into(),
        http_date(SystemTime::now() + Duration::from_secs(3600)),
    ] {
        let reply = busy(far.clone());
        let server = then_ok(move || reply.clone()).await;
        let error = guard(retrying(server.base_url()).value())
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Status, "{far}: {error:?}");
        assert_eq!(error.attempts(), 1);
        assert!(
            error.retry_after().unwrap() > Duration::from_secs(3000),
            "{far}"
        );
        let _ = error.to_string();
    }
    // Unreadable: ignored; the policy's own backoff applies.
    for garbage in [
        "soon",
        "-1",
        "1.5",
        "99999999999999999999999",
        "Wed, 32 Oct 2015 07:28:00 GMT",
        "",
    ] {
        let reply = busy(garbage.into());
        let server = then_ok(move || reply.clone()).await;
        guard(retrying(server.base_url()).value())
            .await
            .unwrap_or_else(|e| panic!("{garbage:?}: {e:?}"));
        assert_eq!(server.requests().len(), 2, "{garbage:?}");
    }
    // Kept, unreadable, on the error.
    let server = RecordingServer::always(busy("soon".into())).await;
    let error = guard(client(server.base_url()).value()).await.unwrap_err();
    assert_eq!(error.retry_after(), None);
}
