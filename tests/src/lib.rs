//! Test support: real HTTP servers on 127.0.0.1, started inside the test process.
//!
//! [`RecordingServer`] answers every request with a scripted [`Reply`] and keeps what came
//! over the wire; [`RawServer`] hands the raw TCP stream to a handler, for servers that
//! misbehave below HTTP (resets, endless or stalled bodies).

pub mod spec;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// The path and query exactly as sent, percent-encoding included.
    pub target: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("request body is not JSON ({error}): {:?}", self.body))
    }
}

/// What the server answers.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: Option<&'static str>,
    pub body: Vec<u8>,
    /// Waited before answering, to provoke client timeouts.
    pub delay: Duration,
    /// Extra response headers.
    pub headers: Vec<(&'static str, &'static str)>,
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply {
            status,
            content_type: Some("application/json"),
            body: body.to_string().into_bytes(),
            delay: Duration::ZERO,
            headers: Vec::new(),
        }
    }

    pub fn raw(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            content_type: Some(content_type),
            body: body.into(),
            delay: Duration::ZERO,
            headers: Vec::new(),
        }
    }

    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            content_type: None,
            body: Vec::new(),
            delay: Duration::ZERO,
            headers: Vec::new(),
        }
    }

    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

type Responder = dyn Fn(&Recorded) -> Reply + Send + Sync;

#[derive(Clone)]
struct Shared {
    requests: Arc<Mutex<Vec<Recorded>>>,
    respond: Arc<Responder>,
}

/// An HTTP/1.1 server on 127.0.0.1 that records requests and answers from a closure.
pub struct RecordingServer {
    addr: SocketAddr,
    shared: Shared,
    task: JoinHandle<()>,
}

impl RecordingServer {
    pub async fn start(
        respond: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) -> RecordingServer {
        let shared = Shared {
            requests: Arc::default(),
            respond: Arc::new(respond),
        };
        let app = axum::Router::new()
            .fallback(record)
            .with_state(shared.clone());
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        RecordingServer { addr, shared, task }
    }

    /// Answers every request with the same reply.
    pub async fn always(reply: Reply) -> RecordingServer {
        Self::start(move |_| reply.clone()).await
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The one request received; fails the test if there were more or none.
    pub fn only_request(&self) -> Recorded {
        let mut requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request, got {requests:#?}"
        );
        requests.remove(0)
    }
}

impl Drop for RecordingServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn record(State(shared): State<Shared>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 16 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let recorded = Recorded {
        method: parts.method.to_string(),
        target: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_owned(), |pq| pq.as_str().to_owned()),
        headers: parts.headers,
        body: body.to_vec(),
    };
    let reply = (shared.respond)(&recorded);
    shared
        .requests
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(recorded);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() = StatusCode::from_u16(reply.status).expect("valid status");
    if let Some(content_type) = reply.content_type {
        response
            .headers_mut()
            .insert("content-type", HeaderValue::from_static(content_type));
    }
    for (name, value) in reply.headers {
        response
            .headers_mut()
            .append(name, HeaderValue::from_static(value));
    }
    response
}

/// A server answering every request with `reply`, and a client of it with `auth`.
pub async fn serve(
    reply: Reply,
    auth: Option<askui_runtime::Auth>,
) -> (RecordingServer, askui_runtime::Client) {
    let server = RecordingServer::always(reply).await;
    let mut builder = askui_runtime::Client::builder().base_url(server.base_url());
    if let Some(auth) = auth {
        builder = builder.auth(auth);
    }
    let client = builder.build().expect("a client of the test server");
    (server, client)
}

/// A server answering every request with `status` and the JSON `answer` (or no body), and a
/// client of it with a Bearer token.
pub async fn serve_answer(
    status: u16,
    answer: Option<&serde_json::Value>,
) -> (RecordingServer, askui_runtime::Client) {
    let reply = match answer {
        Some(body) => Reply::json(status, body.clone()),
        None => Reply::empty(status),
    };
    serve(reply, Some(askui_runtime::Auth::bearer("tok"))).await
}

/// A TCP server on 127.0.0.1 whose handler gets each raw connection.
pub struct RawServer {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl RawServer {
    pub async fn start<F, Fut>(handle: F) -> RawServer
    where
        F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(handle(stream));
            }
        });
        RawServer { addr, task }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads a request head (up to the blank line) so a raw handler answers after the request.
pub async fn read_request_head(stream: &mut TcpStream) {
    use tokio::io::AsyncReadExt;
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") && seen.len() < 1 << 20 {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buffer[..n]),
        }
    }
}

/// An address on 127.0.0.1 where nothing listens.
pub async fn refused_base_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{addr}")
}

/// One part of a `multipart/form-data` body, as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedPart {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The parts of a `multipart/form-data` body, in order; panics if it is not one.
    pub fn multipart(&self) -> Vec<ReceivedPart> {
        let content_type = self.header("content-type").expect("a content type");
        let boundary = content_type
            .split(';')
            .find_map(|param| param.trim().strip_prefix("boundary="))
            .unwrap_or_else(|| panic!("no boundary in `{content_type}`"))
            .trim_matches('"');
        assert!(
            content_type.starts_with("multipart/form-data"),
            "{content_type}"
        );
        let delimiter = format!("--{boundary}").into_bytes();
        let mut parts = Vec::new();
        let mut rest = &self.body[..];
        let first = find(rest, &delimiter).expect("an opening boundary");
        rest = &rest[first + delimiter.len()..];
        while !rest.starts_with(b"--") {
            rest = rest.strip_prefix(b"\r\n").expect("CRLF after the boundary");
            let head_end = find(rest, b"\r\n\r\n").expect("part headers");
            let head = std::str::from_utf8(&rest[..head_end]).expect("UTF-8 part headers");
            rest = &rest[head_end + 4..];
            let end =
                find(rest, &[b"\r\n".as_slice(), &delimiter].concat()).expect("a closing boundary");
            let body = rest[..end].to_vec();
            rest = &rest[end + 2 + delimiter.len()..];
            let mut part = ReceivedPart {
                name: String::new(),
                file_name: None,
                content_type: None,
                body,
            };
            for line in head.split("\r\n") {
                let (key, value) = line.split_once(':').expect("a header line");
                match key.trim().to_ascii_lowercase().as_str() {
                    "content-disposition" => {
                        for param in value.split(';').map(str::trim) {
                            if let Some(name) = param.strip_prefix("name=") {
                                part.name = name.trim_matches('"').to_owned();
                            } else if let Some(file) = param.strip_prefix("filename=") {
                                part.file_name = Some(file.trim_matches('"').to_owned());
                            }
                        }
                    }
                    "content-type" => part.content_type = Some(value.trim().to_owned()),
                    _ => {}
                }
            }
            parts.push(part);
        }
        parts
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// A reply with extra response headers.
pub fn with_header(mut reply: Reply, name: &'static str, value: &'static str) -> Reply {
    reply.headers.push((name, value));
    reply
}
