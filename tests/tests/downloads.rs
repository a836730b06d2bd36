//! Downloads of signed URLs the API hands out (`FileDto.url`), on the wire: the body arrives
//! streamed and intact, no credential of the client's goes with it, an error answer is the
//! usual typed `Error`, a bad URL fails before any I/O, and the signature never shows in an
//! error. Async and blocking clients, and the `FileDto` helpers of `askui-workspaces`.

use std::io::Read as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use askui_runtime::{Auth, Client, ErrorKind, StatusCode, blocking};
use askui_tests::{RecordingServer, Reply, refused_base_url};
use askui_workspaces::files::FileDto;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::response::Response;
use tokio::sync::mpsc;

/// CloudFront's query: the signature is the credential.
const SIGNED: &str =
    "Expires=1767225600&Signature=Zm9vYmFy~c2lnbmF0dXJl-hunter2&Key-Pair-Id=K2JCJMDEHXQW5F";
const SIGNATURE: &str = "Zm9vYmFy~c2lnbmF0dXJl-hunter2";
const TOKEN: &str = "askui-token-hunter2";

/// A file server on 127.0.0.1 whose one answer's body is fed, chunk by chunk, from the test
/// through the sender [`Cdn::start`] returns (dropping it ends the body); it keeps each
/// request's target and headers.
struct Cdn {
    base_url: String,
    seen: Arc<Mutex<Vec<(String, HeaderMap)>>>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Clone)]
struct CdnState {
    body: Arc<Mutex<Option<mpsc::Receiver<bytes::Bytes>>>>,
    seen: Arc<Mutex<Vec<(String, HeaderMap)>>>,
}

impl Cdn {
    /// Must run inside a Tokio runtime.
    async fn start() -> (Cdn, mpsc::Sender<bytes::Bytes>) {
        let (chunks, body) = mpsc::channel(4);
        let state = CdnState {
            body: Arc::new(Mutex::new(Some(body))),
            seen: Arc::default(),
        };
        let seen = state.seen.clone();
        let app = axum::Router::new().fallback(file).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        let cdn = Cdn {
            base_url: format!("http://{addr}"),
            seen,
            task,
        };
        (cdn, chunks)
    }

    fn signed_url(&self) -> String {
        format!(
            "{}/workspaces/w1/runs/report%201.pdf?{SIGNED}",
            self.base_url
        )
    }

    fn only_request(&self) -> (String, HeaderMap) {
        let seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        assert_eq!(seen.len(), 1, "expected one request, got {seen:?}");
        seen[0].clone()
    }
}

impl Drop for Cdn {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn file(State(state): State<CdnState>, request: Request) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map_or_else(String::new, |pq| pq.as_str().to_owned());
    state
        .seen
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push((target, request.headers().clone()));
    let body = state
        .body
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    let Some(body) = body else {
        return Response::new(Body::from("already served"));
    };
    let chunks = futures_util::stream::unfold(body, |mut body| async move {
        let chunk = body.recv().await?;
        Some((Ok::<_, std::convert::Infallible>(chunk), body))
    });
    Response::new(Body::from_stream(chunks))
}

/// 1 MiB that is not all one byte, so a reordered or dropped chunk shows.
fn payload() -> Vec<u8> {
    (0..1 << 20).map(|i: u32| (i % 251) as u8).collect()
}

fn assert_no_credentials(headers: &HeaderMap) {
    assert_eq!(headers.get("authorization"), None, "{headers:?}");
    assert_eq!(headers.get("cookie"), None, "{headers:?}");
    let shown = format!("{headers:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
}

#[tokio::test]
async fn download_url_streams_the_body_without_the_clients_credentials() {
    let (cdn, chunks) = Cdn::start().await;
    // The API client has Basic auth, and its base URL is the very same origin: the token
    // still stays home.
    let client = Client::builder()
        .base_url(&cdn.base_url)
        .auth(askui_workspaces::access_token(TOKEN))
        .build()
        .unwrap();
    let payload = payload();
    chunks
        .send(bytes::Bytes::copy_from_slice(&payload[..1000]))
        .await
        .unwrap();
    let mut stream = client.download_url(&cdn.signed_url()).await.unwrap();
    // The first chunk comes while the server still holds back the rest: streamed, not
    // buffered whole.
    let first = tokio::time::timeout(Duration::from_secs(10), stream.chunk())
        .await
        .expect("the first chunk before the body is complete")
        .unwrap()
        .unwrap();
    let mut received = first.to_vec();
    chunks
        .send(bytes::Bytes::copy_from_slice(&payload[1000..]))
        .await
        .unwrap();
    drop(chunks);
    while let Some(chunk) = stream.chunk().await.unwrap() {
        received.extend_from_slice(&chunk);
    }
    assert_eq!(received, payload);

    let (target, headers) = cdn.only_request();
    assert_eq!(
        target,
        format!("/workspaces/w1/runs/report%201.pdf?{SIGNED}")
    );
    assert_no_credentials(&headers);
    assert_eq!(headers.get("accept").unwrap(), "*/*");
    assert!(
        headers
            .get("user-agent")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("askui-runtime/")
    );
}

/// A download from a [`Cdn`] by a client whose timeout (and so idle bound) is `timeout`, its
/// first chunk (`first`) read; the sender feeds the rest, and dropping it ends the body.
async fn first_chunk_read(
    timeout: Duration,
) -> (Cdn, mpsc::Sender<bytes::Bytes>, askui_runtime::ByteStream) {
    let (cdn, chunks) = Cdn::start().await;
    let client = Client::builder()
        .base_url("https://api.example")
        .auth(Auth::bearer(TOKEN))
        .timeout(timeout)
        .build()
        .unwrap();
    chunks
        .send(bytes::Bytes::from_static(b"first"))
        .await
        .unwrap();
    let mut stream = client.download_url(&cdn.signed_url()).await.unwrap();
    assert_eq!(&stream.chunk().await.unwrap().unwrap()[..], b"first");
    (cdn, chunks, stream)
}

#[tokio::test]
async fn a_stalled_download_fails_after_the_idle_timeout_without_the_signature() {
    let (cdn, chunks, mut stream) = first_chunk_read(Duration::from_millis(300)).await;
    // The server keeps the body open (`chunks` lives on) and sends nothing more.
    let error = stream.chunk().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(SIGNATURE), "{shown}");
    assert!(
        shown.contains(&format!(
            "GET {}/workspaces/w1/runs/report%201.pdf?<redacted>",
            cdn.base_url
        )),
        "{shown}"
    );
    drop(chunks);
}

/// S3's answer to a bad signature repeats it.
/// The idle bound is on each wait for the server, as reqwest's `read_timeout` is on each
/// read: time the reader spends between chunks does not count. Here the reader takes 500 ms
/// over the first chunk, then waits 100 ms for the second: no wait is over the 400 ms bound,
/// although the server sent nothing for 600 ms.
#[tokio::test]
async fn the_idle_bound_counts_the_wait_not_the_readers_pace() {
    let started = tokio::time::Instant::now();
    let (_cdn, chunks, mut stream) = first_chunk_read(Duration::from_millis(400)).await;
    tokio::spawn(async move {
        tokio::time::sleep_until(started + Duration::from_millis(600)).await;
        let _ = chunks.send(bytes::Bytes::from_static(b"second")).await;
    });
    tokio::time::sleep_until(started + Duration::from_millis(500)).await;
    let second = stream.chunk().await.expect("a 100 ms wait is not a stall");
    assert_eq!(second.as_deref(), Some(&b"second"[..]));
    assert_eq!(stream.chunk().await.unwrap(), None);
}

fn s3_error(status: u16) -> Reply {
    Reply::raw(
        status,
        "application/xml",
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SignatureDoesNotMatch</Code>\
             <Message>The request signature we calculated does not match</Message>\
             <SignatureProvided>{SIGNATURE}</SignatureProvided></Error>"
        ),
    )
}

#[tokio::test]
async fn an_error_answer_is_typed_and_never_shows_the_signature() {
    let server = RecordingServer::always(s3_error(404)).await;
    let client = Client::builder()
        .base_url("https://api.example")
        .auth(askui_workspaces::access_token(TOKEN))
        .build()
        .unwrap();
    let url = format!("{}/files/a.png?{SIGNED}", server.base_url());
    let error = client.download_url(&url).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Status);
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    let call = format!("GET {}/files/a.png?<redacted>", server.base_url());
    assert_eq!(error.endpoint(), Some(call.as_str()));
    let shown = format!("{error} | {error:?}");
    assert!(!shown.contains(SIGNATURE), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("SignatureDoesNotMatch"), "{shown}");
    assert!(
        error
            .body()
            .unwrap()
            .to_string()
            .contains("<SignatureProvided><redacted></SignatureProvided>"),
        "{shown}"
    );
    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, format!("/files/a.png?{SIGNED}"));
    assert_no_credentials(&request.headers);

    // An expired link: 403 without a body.
    let server = RecordingServer::always(Reply::empty(403)).await;
    let error = client
        .download_url(&format!("{}/a?{SIGNED}", server.base_url()))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::FORBIDDEN));
    assert!(!format!("{error} {error:?}").contains(SIGNATURE));

    // Nothing listening: `Connect`, also without the signature.
    let error = client
        .download_url(&format!("{}/a?{SIGNED}", refused_base_url().await))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Connect, "{error:?}");
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(SIGNATURE), "{shown}");
}

fn bad_urls(base_url: &str) -> Vec<String> {
    let authority = base_url.trim_start_matches("http://");
    vec![
        String::new(),
        format!("/files/a.png?{SIGNED}"),
        format!("{authority}/files/a.png?{SIGNED}"),
        format!("ftp://{authority}/files/a.png?{SIGNED}"),
        format!("file:///files/a.png?{SIGNED}"),
        format!("http://user:{SIGNATURE}@{authority}/files/a.png"),
        format!("http://bad host/files/a.png?{SIGNED}"),
    ]
}

#[tokio::test]
async fn a_bad_url_is_rejected_before_any_io() {
    let server = RecordingServer::always(Reply::raw(200, "text/plain", "x")).await;
    let client = Client::builder()
        .base_url("https://api.example")
        .auth(askui_workspaces::access_token(TOKEN))
        .build()
        .unwrap();
    for url in bad_urls(&server.base_url()) {
        // Checked when called: the future only hands the error back.
        let download = client.download_url(&url);
        drop(url);
        let error = download.await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error:?}");
        assert!(
            error.to_string().starts_with("invalid argument `url`"),
            "{error}"
        );
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(SIGNATURE), "{shown}");
    }
    assert!(server.requests().is_empty());
}

/// A blocking client with Basic auth, for a thread without a runtime.
fn blocking_client(base_url: &str) -> blocking::Client {
    Client::builder()
        .base_url(base_url)
        .auth(askui_workspaces::access_token(TOKEN))
        .timeout(Duration::from_secs(10))
        .build_blocking()
        .unwrap()
}

#[test]
fn the_blocking_client_downloads_the_same_way() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (cdn, chunks) = runtime.block_on(Cdn::start());
    let client = blocking_client(&cdn.base_url);
    let payload = payload();
    chunks
        .blocking_send(bytes::Bytes::copy_from_slice(&payload[..1000]))
        .unwrap();
    let mut reader = client
        .download_url(&cdn.signed_url())
        .unwrap()
        .into_blocking_read();
    // The first bytes come while the server holds back the rest.
    let mut received = vec![0; 1000];
    let n = reader.read(&mut received).unwrap();
    assert!(n > 0);
    received.truncate(n);
    chunks
        .blocking_send(bytes::Bytes::copy_from_slice(&payload[1000..]))
        .unwrap();
    drop(chunks);
    reader.read_to_end(&mut received).unwrap();
    assert_eq!(received, payload);
    let (target, headers) = cdn.only_request();
    assert_eq!(
        target,
        format!("/workspaces/w1/runs/report%201.pdf?{SIGNED}")
    );
    assert_no_credentials(&headers);

    let server = runtime.block_on(RecordingServer::always(s3_error(404)));
    let error = client
        .download_url(&format!("{}/a.png?{SIGNED}", server.base_url()))
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(SIGNATURE), "{shown}");
    assert_no_credentials(&server.only_request().headers);

    for url in bad_urls(&server.base_url()) {
        let error = client.download_url(&url).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error:?}");
        assert!(!format!("{error} {error:?}").contains(SIGNATURE));
    }
    assert_eq!(server.requests().len(), 1);
}

fn listed_file(url: Option<String>) -> FileDto {
    serde_json::from_value(serde_json::json!({
        "name": "a.png", "path": "workspaces/w1/a.png", "url": url, "size": 3,
        "lastModified": "2026-11-01T10:00:00Z"
    }))
    .unwrap()
}

#[tokio::test]
async fn a_listed_file_downloads_itself() {
    let server = RecordingServer::always(Reply::raw(200, "image/png", "png")).await;
    let client = Client::builder()
        .base_url("https://api.example")
        .auth(askui_workspaces::access_token(TOKEN))
        .build()
        .unwrap();
    let file = listed_file(Some(format!("{}/a.png?{SIGNED}", server.base_url())));
    // The listing's `Debug` does not show the signature either.
    assert!(!format!("{file:?}").contains(SIGNATURE), "{file:?}");
    let path = std::env::temp_dir().join(format!("askui-download-{}.png", std::process::id()));
    let written = file
        .download(&client)
        .await
        .unwrap()
        .save(&path)
        .await
        .unwrap();
    assert_eq!(written, 3);
    assert_eq!(std::fs::read(&path).unwrap(), b"png");
    let _ = std::fs::remove_file(&path);
    assert_no_credentials(&server.only_request().headers);

    // Listed without `with_urls()`: an argument error before any I/O.
    let error = listed_file(None).download(&client).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(error.to_string().contains("with_urls"), "{error}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_listed_file_downloads_itself_blocking() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(RecordingServer::always(Reply::raw(200, "image/png", "png")));
    let client = blocking_client(&runtime.block_on(refused_base_url()));
    let file = listed_file(Some(format!("{}/a.png?{SIGNED}", server.base_url())));
    let mut body = Vec::new();
    file.download_blocking(&client)
        .unwrap()
        .into_blocking_read()
        .read_to_end(&mut body)
        .unwrap();
    assert_eq!(body, b"png");
    assert_no_credentials(&server.only_request().headers);
    let error = listed_file(None).download_blocking(&client).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
}
