//! `ClientBuilder::in_memory`: a handler answers every request, with no socket. It sees each
//! request as it would go over the wire, and the call reads its answer as any server's:
//! status check, retries, decoding.

use std::net::TcpListener;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use askui_runtime::{
    Auth, ByteStream, Bytes, Client, Error, ErrorKind, Multipart, RetryPolicy, StatusCode,
    askui_endpoint, http,
};
use serde_json::{Value, json};

trait Api {
    #[askui_endpoint(get, "/ws/<workspace_id>/items")]
    async fn list(
        &self,
        workspace_id: &str,
        #[query] tag: &[&str],
        #[header("X-Request-Id")] request_id: &str,
    ) -> Result<Value, Error>;

    #[askui_endpoint(post, "/ws/<workspace_id>/items")]
    async fn create(&self, workspace_id: &str, body: &Value) -> Result<Value, Error>;

    #[askui_endpoint(put, "/files/<path..>")]
    async fn upload(
        &self,
        path: &str,
        #[body(content_type = "application/octet-stream")] body: ByteStream,
    ) -> Result<(), Error>;

    #[askui_endpoint(post, "/forms")]
    async fn send_form(&self, #[multipart] form: Multipart) -> Result<(), Error>;
}

impl Api for Client {}

/// What the handler saw: method, URI, headers, body.
type Seen = Arc<Mutex<Vec<(String, String, http::HeaderMap, Vec<u8>)>>>;

fn seen(log: &Seen) -> Vec<(String, String, http::HeaderMap, Vec<u8>)> {
    log.lock().unwrap_or_else(PoisonError::into_inner).clone()
}

fn recording(
    log: &Seen,
    answer: impl Fn(&http::Request<Bytes>) -> http::Response<Vec<u8>> + Send + Sync + 'static,
) -> impl Fn(http::Request<Bytes>) -> http::Response<Vec<u8>> + Send + Sync + 'static {
    let log = Arc::clone(log);
    move |request| {
        let reply = answer(&request);
        log.lock().unwrap_or_else(PoisonError::into_inner).push((
            request.method().to_string(),
            request.uri().to_string(),
            request.headers().clone(),
            request.body().to_vec(),
        ));
        reply
    }
}

fn json_answer(status: u16, body: Value) -> http::Response<Vec<u8>> {
    let mut answer = http::Response::new(body.to_string().into_bytes());
    *answer.status_mut() = StatusCode::from_u16(status).expect("a status");
    answer
}

#[tokio::test]
async fn no_socket_is_opened_and_the_handler_sees_the_whole_request() {
    // The base URL is a listener of this test: any connection would wait in its backlog.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let log = Seen::default();
    let client = Client::builder()
        .base_url(&base_url)
        .auth(Auth::bearer("in-memory-token"))
        .in_memory(recording(&log, |request| match request.method().as_str() {
            "GET" => json_answer(200, json!({"items": [1, 2]})),
            _ => json_answer(201, json!({"id": "new"})),
        }))
        .build()
        .unwrap();

    let listed = client.list("w 1", &["a", "b&c"], "req-7").await.unwrap();
    assert_eq!(listed, json!({"items": [1, 2]}));
    let created = client.create("w1", &json!({"name": "ä"})).await.unwrap();
    assert_eq!(created, json!({"id": "new"}));

    let requests = seen(&log);
    assert_eq!(requests.len(), 2);
    let (method, uri, headers, body) = &requests[0];
    assert_eq!(method, "GET");
    assert_eq!(uri, &format!("{base_url}/ws/w%201/items?tag=a&tag=b%26c"));
    assert_eq!(headers["authorization"], "Bearer in-memory-token");
    assert!(headers["authorization"].is_sensitive());
    assert_eq!(headers["x-request-id"], "req-7");
    assert_eq!(headers["accept"], "application/json");
    assert!(headers.contains_key("user-agent"));
    assert!(body.is_empty());
    let (method, _, headers, body) = &requests[1];
    assert_eq!(method, "POST");
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(body, r#"{"name":"ä"}"#.as_bytes());

    // Nothing ever connected.
    let accepted = listener.accept();
    assert!(
        matches!(&accepted, Err(error) if error.kind() == std::io::ErrorKind::WouldBlock),
        "a connection was made: {accepted:?}"
    );
}

#[tokio::test]
async fn streamed_and_multipart_bodies_reach_the_handler_whole() {
    let log = Seen::default();
    let client = Client::builder()
        .base_url("https://api.example")
        .in_memory(recording(&log, |_| http::Response::new(Vec::new())))
        .build()
        .unwrap();
    let chunks = ["first ", "second ", "third"].map(Ok::<_, std::io::Error>);
    let stream = ByteStream::from_stream(futures_util::stream::iter(chunks));
    client.upload("a/b c.txt", stream).await.unwrap();
    client
        .send_form(Multipart::new().text("note", "hello"))
        .await
        .unwrap();

    let requests = seen(&log);
    let (_, uri, _, body) = &requests[0];
    assert_eq!(uri, "https://api.example/files/a/b%20c.txt");
    assert_eq!(body, b"first second third");
    let (_, _, headers, body) = &requests[1];
    let content_type = headers["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("multipart/form-data; boundary="));
    let body = String::from_utf8_lossy(body);
    assert!(
        body.contains("name=\"note\"") && body.contains("hello"),
        "{body}"
    );
}

#[tokio::test]
async fn answers_are_read_as_a_servers_retries_and_errors_included() {
    let calls = Arc::new(Mutex::new(0));
    let client = Client::builder()
        .base_url("https://api.example")
        .retry(RetryPolicy::default().delays(Duration::from_millis(1), Duration::from_millis(5)))
        .in_memory({
            let calls = Arc::clone(&calls);
            move |_: http::Request<Bytes>| {
                let mut calls = calls.lock().unwrap_or_else(PoisonError::into_inner);
                *calls += 1;
                match *calls {
                    1 => json_answer(503, json!({"detail": "busy"})),
                    2 => json_answer(200, json!({"items": []})),
                    _ => json_answer(
                        422,
                        json!({"detail": [{"loc": ["body", "name"], "msg": "field required", "type": "missing"}]}),
                    ),
                }
            }
        })
        .build()
        .unwrap();
    assert_eq!(
        client.list("w1", &[], "r").await.unwrap(),
        json!({"items": []})
    );
    let error = client.create("w1", &json!({})).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Status);
    assert_eq!(error.status(), Some(StatusCode::UNPROCESSABLE_ENTITY));
    let validation = error.validation().expect("FastAPI's 422");
    assert_eq!(validation.detail[0].msg, "field required");
    assert_eq!(*calls.lock().unwrap_or_else(PoisonError::into_inner), 3);
}

#[tokio::test]
async fn downloads_of_handed_out_urls_go_through_the_handler_without_credentials() {
    let log = Seen::default();
    let client = Client::builder()
        .base_url("https://api.example")
        .auth(Auth::bearer("in-memory-token"))
        .in_memory(recording(&log, |_| {
            http::Response::new(b"file contents".to_vec())
        }))
        .build()
        .unwrap();
    let stream = client
        .download_url("https://cdn.example/f.txt?Signature=abcdefgh")
        .await
        .unwrap();
    let mut bytes = Vec::new();
    let mut stream = std::pin::pin!(stream);
    while let Some(chunk) = futures_util::StreamExt::next(&mut stream).await {
        bytes.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(bytes, b"file contents");
    let (_, uri, headers, _) = &seen(&log)[0];
    assert_eq!(uri, "https://cdn.example/f.txt?Signature=abcdefgh");
    assert!(!headers.contains_key("authorization"));
}
