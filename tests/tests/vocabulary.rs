//! The vocabulary beyond JSON-in, JSON-out: query, headers, form, multipart and raw bodies,
//! response kinds, multi-segment paths, per-call options and blocking calls, each checked on
//! the wire against a real server on 127.0.0.1.

use std::time::Duration;

use askui_runtime::{
    BodyKind, ByteStream, Bytes, CallOptions, Client, Error, ErrorKind, Multipart, Part,
    QueryParam, Response, ResponseKind, askui_endpoint, askui_endpoints, blocking,
};
use askui_tests::{RecordingServer, Reply, with_header};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum Status {
    Active,
    Archived,
}

#[derive(Serialize, Default)]
struct ListAgentsQuery {
    agent_id: Vec<Uuid>,
    status: Option<Vec<Status>>,
    skip: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
}

#[derive(Serialize)]
struct Login {
    user: String,
    scopes: Vec<&'static str>,
    remember: Option<bool>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: u64,
}

#[askui_endpoints]
trait Vocabulary {
    #[askui_endpoint(get, "/search")]
    async fn search(
        &self,
        #[query] q: &str,
        #[query] status: &[Status],
        #[query] limit: Option<u32>,
        #[query("workspaceId")] workspace_id: Option<Uuid>,
        #[query] tags: Option<Vec<String>>,
    ) -> Result<Value, Error>;

    #[askui_endpoint(get, "/agents")]
    async fn list_agents(&self, #[query(flatten)] filter: &ListAgentsQuery)
    -> Result<Value, Error>;

    #[askui_endpoint(get, "/filter")]
    async fn filter(&self, #[query] filter: &Item2) -> Result<Value, Error>;

    #[askui_endpoint(get, "/traced")]
    async fn traced(
        &self,
        #[header("X-Request-Id")] id: &str,
        #[header("X-Tenant")] tenant: Option<u32>,
    ) -> Result<(), Error>;

    #[askui_endpoint(post, "/login")]
    async fn login(&self, #[form] body: &Login) -> Result<(), Error>;

    #[askui_endpoint(post, "/agent-executions")]
    async fn create_execution(
        &self,
        #[query] agent_id: Uuid,
        #[multipart] files: Multipart,
    ) -> Result<Response<Value>, Error>;

    #[askui_endpoint(put, "/images/<name>")]
    async fn put_image(
        &self,
        name: &str,
        #[body(content_type = "image/png")] bytes: Vec<u8>,
    ) -> Result<(), Error>;

    #[askui_endpoint(put, "/api/v1/files/<file_path..>")]
    async fn upload_file(&self, file_path: &str, #[query] strict: bool) -> Result<Value, Error>;

    #[askui_endpoint(post, "/lease")]
    async fn lease(&self) -> Result<Option<Item>, Error>;

    #[askui_endpoint(post, "/items")]
    async fn create_item(&self, body: &Value) -> Result<Response<Item>, Error>;

    #[askui_endpoint(delete, "/items/<id>")]
    async fn delete_item(&self, id: u64) -> Result<(), Error>;

    #[askui_endpoint(get, "/download")]
    async fn download(&self) -> Result<Bytes, Error>;

    #[askui_endpoint(get, "/stream")]
    async fn stream(&self) -> Result<ByteStream, Error>;

    #[askui_endpoint(get, "/slow")]
    async fn slow(&self, #[options] options: &CallOptions) -> Result<(), Error>;

    #[askui_endpoint(get, "/slow", timeout = "200ms")]
    async fn slow_with_endpoint_timeout(
        &self,
        #[options] options: Option<CallOptions>,
    ) -> Result<(), Error>;
}

#[derive(Serialize)]
struct Item2 {
    id: u64,
}

impl Vocabulary for Client {}

async fn start(reply: Reply) -> (RecordingServer, Client) {
    askui_tests::serve(reply, None).await
}

#[tokio::test]
async fn query_values_repeat_omit_and_encode() {
    let (server, client) = start(Reply::json(200, json!({}))).await;
    client
        .search(
            "a b+c:d&e=f#g/ü",
            &[Status::Active, Status::Archived],
            None,
            Some(Uuid::nil()),
            Some(vec![]),
        )
        .await
        .unwrap();
    assert_eq!(
        server.only_request().target,
        "/search?q=a+b%2Bc%3Ad%26e%3Df%23g%2F%C3%BC&status=ACTIVE&status=ARCHIVED\
         &workspaceId=00000000-0000-0000-0000-000000000000"
    );

    let (server, client) = start(Reply::json(200, json!({}))).await;
    client.search("", &[], Some(5), None, None).await.unwrap();
    assert_eq!(server.only_request().target, "/search?q=&limit=5");
}

#[tokio::test]
async fn flattened_query_structs_give_one_parameter_per_field() {
    let (server, client) = start(Reply::json(200, json!({}))).await;
    let filter = ListAgentsQuery {
        agent_id: vec![Uuid::nil(), Uuid::max()],
        status: Some(vec![Status::Active]),
        skip: 20,
        limit: None,
    };
    client.list_agents(&filter).await.unwrap();
    assert_eq!(
        server.only_request().target,
        "/agents?agent_id=00000000-0000-0000-0000-000000000000\
         &agent_id=ffffffff-ffff-ffff-ffff-ffffffffffff&status=ACTIVE&skip=20"
    );
    // No query at all: no `?`.
    let (server, client) = start(Reply::json(200, json!({}))).await;
    client
        .list_agents(&ListAgentsQuery {
            agent_id: vec![],
            status: None,
            skip: 0,
            limit: Some(1),
        })
        .await
        .unwrap();
    assert_eq!(server.only_request().target, "/agents?skip=0&limit=1");
}

#[tokio::test]
async fn a_query_value_that_is_not_a_scalar_fails_before_any_io() {
    let (server, client) = start(Reply::json(200, json!({}))).await;
    let error = client.filter(&Item2 { id: 1 }).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(error.to_string().contains("`filter`"), "{error}");
    assert!(error.to_string().contains("flatten"), "{error}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn headers_are_sent_and_optional_ones_omitted() {
    let (server, client) = start(Reply::empty(204)).await;
    client.traced("req-1", Some(7)).await.unwrap();
    client.traced("req-2", None).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].header("x-request-id"), Some("req-1"));
    assert_eq!(requests[0].header("x-tenant"), Some("7"));
    assert_eq!(requests[1].header("x-request-id"), Some("req-2"));
    assert_eq!(requests[1].header("x-tenant"), None);

    let error = client.traced("a\r\nX-Injected: 1", None).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(error.to_string().contains("X-Request-Id"), "{error}");
    assert_eq!(
        server.requests().len(),
        2,
        "no request after the bad header"
    );
}

#[tokio::test]
async fn form_bodies_are_urlencoded() {
    let (server, client) = start(Reply::empty(204)).await;
    client
        .login(&Login {
            user: "ann & bob=1".into(),
            scopes: vec!["read", "write"],
            remember: None,
        })
        .await
        .unwrap();
    let request = server.only_request();
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        std::str::from_utf8(&request.body).unwrap(),
        "user=ann+%26+bob%3D1&scopes=read&scopes=write"
    );
}

#[tokio::test]
async fn multipart_parts_carry_names_file_names_types_and_exact_bytes() {
    let (server, client) = start(with_header(
        Reply::json(201, json!({"id": "x"})),
        "location",
        "/agent-executions/x",
    ))
    .await;
    let dir = std::env::temp_dir().join(format!("askui-multipart-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let on_disk = dir.join("scan.pdf");
    std::fs::write(&on_disk, b"%PDF-1.7 on disk").unwrap();
    let binary: Vec<u8> = (0..=255u8).collect();
    let form = Multipart::new()
        .text("note", "two files")
        .part(
            "input_files",
            Part::bytes(binary.clone())
                .file_name("all-bytes.bin")
                .content_type("application/octet-stream"),
        )
        .file("input_files", &on_disk)
        .part(
            "input_files",
            Part::reader(&b"streamed"[..]).file_name("streamed.txt"),
        );
    let response = client.create_execution(Uuid::nil(), form).await.unwrap();
    assert_eq!(response.status, 201);
    assert_eq!(response.headers["location"], "/agent-executions/x");
    assert_eq!(response.value, json!({"id": "x"}));

    let request = server.only_request();
    assert_eq!(
        request.target,
        "/agent-executions?agent_id=00000000-0000-0000-0000-000000000000"
    );
    // One part has no known length (a reader): the body goes chunked.
    assert_eq!(request.header("transfer-encoding"), Some("chunked"));
    assert_eq!(request.header("content-length"), None);
    let parts = request.multipart();
    assert_eq!(parts.len(), 4);
    assert_eq!(
        (parts[0].name.as_str(), parts[0].file_name.as_deref()),
        ("note", None)
    );
    assert_eq!(parts[0].body, b"two files");
    assert!(parts[1..].iter().all(|part| part.name == "input_files"));
    assert_eq!(parts[1].file_name.as_deref(), Some("all-bytes.bin"));
    assert_eq!(
        parts[1].content_type.as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(parts[1].body, binary);
    assert_eq!(parts[2].file_name.as_deref(), Some("scan.pdf"));
    assert_eq!(parts[2].content_type.as_deref(), Some("application/pdf"));
    assert_eq!(parts[2].body, b"%PDF-1.7 on disk");
    assert_eq!(parts[3].file_name.as_deref(), Some("streamed.txt"));
    assert_eq!(parts[3].body, b"streamed");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_missing_file_is_an_invalid_argument_before_any_request() {
    let (server, client) = start(Reply::json(201, json!({}))).await;
    let form = Multipart::new().file("input_files", "/nonexistent/askui/file.png");
    let error = client
        .create_execution(Uuid::nil(), form)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(error.to_string().contains("input_files"), "{error}");
    assert!(std::error::Error::source(&error).is_some());
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn raw_bodies_are_sent_as_they_are() {
    let (server, client) = start(Reply::empty(204)).await;
    let png = vec![0x89, b'P', b'N', b'G', 0, 0xff];
    client.put_image("a b.png", png.clone()).await.unwrap();
    let request = server.only_request();
    assert_eq!(request.target, "/images/a%20b.png");
    assert_eq!(request.header("content-type"), Some("image/png"));
    assert_eq!(request.body, png);
}

#[tokio::test]
async fn multi_segment_paths_keep_slashes_and_encode_each_segment() {
    let (server, client) = start(Reply::json(201, json!({"path": "x"}))).await;
    client
        .upload_file("workspaces/1/runs/a b#1?.png", true)
        .await
        .unwrap();
    assert_eq!(
        server.only_request().target,
        "/api/v1/files/workspaces/1/runs/a%20b%231%3F.png?strict=true"
    );
    for bad in ["", "a//b", "/a", "a/", "a/../b", "./a"] {
        let error = client.upload_file(bad, false).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{bad}");
        assert!(error.to_string().contains("`file_path`"), "{error}");
    }
    assert_eq!(server.requests().len(), 1, "no request for a rejected path");
}

#[tokio::test]
async fn created_no_content_and_null_answers() {
    let (server, client) = start(with_header(
        Reply::json(201, json!({"id": 9})),
        "x-ratelimit-remaining",
        "41",
    ))
    .await;
    let created = client.create_item(&json!({})).await.unwrap();
    assert_eq!(created.status, 201);
    assert_eq!(created.headers["x-ratelimit-remaining"], "41");
    assert_eq!(created.into_value(), Item { id: 9 });
    drop(server);

    let (_server, client) = start(Reply::empty(204)).await;
    client.delete_item(1).await.unwrap();
    assert_eq!(client.lease().await.unwrap(), None);

    let (_server, client) = start(Reply::json(200, Value::Null)).await;
    assert_eq!(client.lease().await.unwrap(), None);
    let (_server, client) = start(Reply::json(200, json!({"id": 3}))).await;
    assert_eq!(client.lease().await.unwrap(), Some(Item { id: 3 }));
}

#[tokio::test]
async fn raw_and_streamed_downloads() {
    let body: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let (server, client) = start(Reply::raw(200, "application/pdf", body.clone())).await;
    let bytes = client.download().await.unwrap();
    assert_eq!(&bytes[..], &body[..]);
    assert_eq!(server.only_request().header("accept"), Some("*/*"));

    let mut stream = client.stream().await.unwrap();
    let mut received = Vec::new();
    while let Some(chunk) = stream.chunk().await.unwrap() {
        received.extend_from_slice(&chunk);
    }
    assert_eq!(received, body);

    let path = std::env::temp_dir().join(format!("askui-download-{}", std::process::id()));
    let written = client.stream().await.unwrap().save(&path).await.unwrap();
    assert_eq!(written, body.len() as u64);
    assert_eq!(std::fs::read(&path).unwrap(), body);
    std::fs::remove_file(&path).unwrap();

    let mut reader = client.stream().await.unwrap().into_async_read();
    let mut read = Vec::new();
    tokio::io::AsyncReadExt::read_to_end(&mut reader, &mut read)
        .await
        .unwrap();
    assert_eq!(read, body);
}

#[tokio::test]
async fn bytes_are_bounded_but_streams_are_not() {
    let body = vec![7u8; 64 * 1024];
    let server = RecordingServer::always(Reply::raw(200, "application/octet-stream", body)).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let error = client.download().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge);
    let stream = client.stream().await.unwrap();
    let mut sink = Vec::new();
    assert_eq!(stream.write_to(&mut sink).await.unwrap(), 64 * 1024);
}

#[tokio::test]
async fn per_call_options_override_the_client_and_the_endpoint() {
    let (server, client) = start(Reply::empty(204).after(Duration::from_millis(600))).await;
    // The client waits 60 s; the call only 100 ms.
    let error = client
        .slow(&CallOptions::new().timeout(Duration::from_millis(100)))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    // The endpoint's own `timeout = "200ms"` applies without options...
    let error = client.slow_with_endpoint_timeout(None).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    // ...and options replace it.
    client
        .slow_with_endpoint_timeout(Some(CallOptions::new().timeout(Duration::from_secs(30))))
        .await
        .unwrap();
    // Extra headers, marked sensitive, replace the client's.
    client
        .slow(
            &CallOptions::new()
                .header("X-Trace", "t-1")
                .header("User-Agent", "per-call/1.0"),
        )
        .await
        .unwrap();
    let last = server.requests().pop().unwrap();
    assert_eq!(last.header("x-trace"), Some("t-1"));
    assert_eq!(last.header("user-agent"), Some("per-call/1.0"));
    // `Authorization` too: a call with other credentials than the client's.
    let authed = Client::builder()
        .base_url(server.base_url())
        .auth(askui_runtime::Auth::bearer("client-token"))
        .build()
        .unwrap();
    authed
        .slow(&CallOptions::new().header("Authorization", "Bearer call-token"))
        .await
        .unwrap();
    let last = server.requests().pop().unwrap();
    assert_eq!(last.header("authorization"), Some("Bearer call-token"));

    let error = client
        .slow(&CallOptions::new().header("X-Bad", "a\nb"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
}

#[test]
fn the_endpoint_describes_query_headers_body_and_response() {
    let search = <Client as Vocabulary>::SEARCH;
    assert_eq!(
        search.query(),
        [
            QueryParam::Named {
                name: "q",
                repeated: false
            },
            QueryParam::Named {
                name: "status",
                repeated: true
            },
            QueryParam::Named {
                name: "limit",
                repeated: false
            },
            QueryParam::Named {
                name: "workspaceId",
                repeated: false
            },
            QueryParam::Named {
                name: "tags",
                repeated: true
            },
        ]
    );
    assert_eq!(search.body(), BodyKind::None);
    assert_eq!(search.response(), ResponseKind::Json);
    assert_eq!(
        <Client as Vocabulary>::TRACED.headers(),
        ["X-Request-Id", "X-Tenant"]
    );
    assert_eq!(<Client as Vocabulary>::LOGIN.body(), BodyKind::Form);
    assert_eq!(
        <Client as Vocabulary>::CREATE_EXECUTION.body(),
        BodyKind::Multipart
    );
    assert_eq!(
        <Client as Vocabulary>::PUT_IMAGE.body(),
        BodyKind::Raw {
            content_type: "image/png"
        }
    );
    assert_eq!(
        <Client as Vocabulary>::DOWNLOAD.response(),
        ResponseKind::Bytes
    );
    assert_eq!(
        <Client as Vocabulary>::STREAM.response(),
        ResponseKind::Stream
    );
    assert_eq!(
        <Client as Vocabulary>::SLOW_WITH_ENDPOINT_TIMEOUT.timeout(),
        Some(Duration::from_millis(200))
    );
    assert_eq!(<Client as Vocabulary>::ENDPOINTS.len(), 15);
}

// The same roles through blocking calls, with no async runtime on the calling thread.
trait BlockingVocabulary {
    #[askui_endpoint(get, "/search")]
    fn search(
        &self,
        #[query] q: &str,
        #[query] status: &[Status],
        #[header("X-Request-Id")] id: &str,
    ) -> Result<Value, Error>;

    #[askui_endpoint(post, "/login")]
    fn login(&self, #[form] body: &Login) -> Result<(), Error>;

    #[askui_endpoint(post, "/agent-executions")]
    fn create_execution(&self, #[multipart] files: Multipart) -> Result<Response<Value>, Error>;

    #[askui_endpoint(put, "/api/v1/files/<file_path..>")]
    fn put_file(
        &self,
        file_path: &str,
        #[body(content_type = "application/octet-stream")] bytes: ByteStream,
    ) -> Result<(), Error>;

    #[askui_endpoint(get, "/stream")]
    fn stream(&self, #[options] options: CallOptions) -> Result<ByteStream, Error>;

    #[askui_endpoint(post, "/lease")]
    fn lease(&self) -> Result<Option<Item>, Error>;
}

impl BlockingVocabulary for blocking::Client {}

/// A server on its own runtime, so the test thread itself has none.
fn blocking_server(reply: Reply) -> (tokio::runtime::Runtime, RecordingServer, blocking::Client) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(RecordingServer::always(reply));
    let client = Client::builder()
        .base_url(server.base_url())
        .build_blocking()
        .unwrap();
    (runtime, server, client)
}

#[test]
fn blocking_calls_send_the_same_request() {
    let (_runtime, server, client) = blocking_server(Reply::json(200, json!({"ok": true})));
    let answer = client
        .search("a b", &[Status::Active, Status::Archived], "req-9")
        .unwrap();
    assert_eq!(answer, json!({"ok": true}));
    client
        .login(&Login {
            user: "ann".into(),
            scopes: vec!["read"],
            remember: Some(true),
        })
        .unwrap();
    let created = client
        .create_execution(
            Multipart::new()
                .part(
                    "input_files",
                    Part::bytes(b"one".to_vec()).file_name("1.txt"),
                )
                .part(
                    "input_files",
                    Part::bytes(b"two".to_vec()).file_name("2.txt"),
                ),
        )
        .unwrap();
    assert_eq!(created.status, 200);
    let file = std::env::temp_dir().join(format!("askui-blocking-{}", std::process::id()));
    std::fs::write(&file, b"file contents").unwrap();
    client
        .put_file(
            "workspaces/w/a b.txt",
            ByteStream::from_file(std::fs::File::open(&file).unwrap()),
        )
        .unwrap();
    std::fs::remove_file(&file).unwrap();

    let requests = server.requests();
    assert_eq!(
        requests[0].target,
        "/search?q=a+b&status=ACTIVE&status=ARCHIVED"
    );
    assert_eq!(requests[0].header("x-request-id"), Some("req-9"));
    assert_eq!(requests[1].body, b"user=ann&scopes=read&remember=true");
    let parts = requests[2].multipart();
    assert_eq!(parts.len(), 2);
    // Every part's length is known: the body declares it.
    assert_eq!(
        requests[2].header("content-length"),
        Some(requests[2].body.len().to_string().as_str())
    );
    assert_eq!(requests[2].header("transfer-encoding"), None);
    assert_eq!(parts[1].body, b"two");
    assert_eq!(requests[3].target, "/api/v1/files/workspaces/w/a%20b.txt");
    assert_eq!(requests[3].body, b"file contents");

    let error = client
        .put_file(
            "../x",
            ByteStream::from_stream(
                futures_util::stream::empty::<Result<Vec<u8>, std::io::Error>>(),
            ),
        )
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
}

#[test]
fn blocking_downloads_null_answers_and_timeouts() {
    let body: Vec<u8> = (0..50_000u32).map(|i| (i % 7) as u8).collect();
    let (_runtime, _server, client) = blocking_server(Reply::raw(200, "text/plain", body.clone()));
    let stream = client.stream(CallOptions::new()).unwrap();
    let mut read = Vec::new();
    std::io::copy(&mut stream.into_blocking_read(), &mut read).unwrap();
    assert_eq!(read, body);

    let (_runtime, _server, client) = blocking_server(Reply::json(200, Value::Null));
    assert_eq!(client.lease().unwrap(), None);
    let (_runtime, _server, client) = blocking_server(Reply::empty(204));
    assert_eq!(client.lease().unwrap(), None);

    let (_runtime, _server, client) = blocking_server(with_header(
        Reply::json(201, json!({"id": "e1"})),
        "location",
        "/agent-executions/e1",
    ));
    let created = client
        .create_execution(Multipart::new().text("note", "x"))
        .unwrap();
    assert_eq!(created.status, 201);
    assert_eq!(created.headers["location"], "/agent-executions/e1");
    assert_eq!(created.value, json!({"id": "e1"}));

    let (_runtime, _server, client) =
        blocking_server(Reply::empty(200).after(Duration::from_millis(500)));
    let error = client
        .stream(CallOptions::new().timeout(Duration::from_millis(50)))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_blocking_call_inside_async_code_does_not_panic() {
    let server = RecordingServer::always(Reply::json(200, json!({"id": 1}))).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .build_blocking()
        .unwrap();
    let answer = tokio::task::spawn_blocking(move || {
        let answer = client.lease();
        drop(client);
        answer
    })
    .await
    .unwrap();
    assert_eq!(answer.unwrap(), Some(Item { id: 1 }));
}

/// One declaration, both forms: `#[askui_endpoints(blocking)]` adds `BlockingTwin`.
#[askui_endpoints(blocking)]
trait Twin: AsRef<Client> {
    /// Reads an item.
    #[askui_endpoint(get, "/items/<id>")]
    async fn twin_get(&self, id: u64, #[query] expand: Option<&str>) -> Result<Item, Error>;

    #[askui_endpoint(delete, "/items/<id>")]
    async fn twin_delete(&self, id: u64) -> Result<(), Error>;
}

impl Twin for Client {}
impl BlockingTwin for blocking::Client {}

#[test]
fn a_blocking_twin_from_one_declaration() {
    let (runtime, server, client) = blocking_server(Reply::json(200, json!({"id": 4})));
    assert_eq!(client.twin_get(4, Some("owner")).unwrap(), Item { id: 4 });
    client.twin_delete(4).unwrap();
    let async_client = client.client().clone();
    assert_eq!(
        runtime.block_on(async_client.twin_get(4, None)).unwrap(),
        Item { id: 4 }
    );
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/items/4?expand=owner", "/items/4", "/items/4"]);
    assert_eq!(
        <blocking::Client as BlockingTwin>::ENDPOINTS,
        <Client as Twin>::ENDPOINTS
    );
}

#[tokio::test]
async fn string_details_and_bodiless_statuses_are_status_errors() {
    for (status, body, detail) in [
        (
            401,
            json!({"detail": "Not authenticated"}),
            Some("Not authenticated"),
        ),
        (403, json!({"detail": "Forbidden"}), Some("Forbidden")),
        (
            404,
            json!({"detail": "File not found"}),
            Some("File not found"),
        ),
        (
            409,
            json!({"detail": [{"msg": "Cannot delete the last owner"}]}),
            Some("Cannot delete the last owner"),
        ),
        (
            413,
            json!({"detail": "File too large"}),
            Some("File too large"),
        ),
        (
            422,
            json!({"detail": "Invalid file path"}),
            Some("Invalid file path"),
        ),
        (
            500,
            json!({"detail": "Internal error"}),
            Some("Internal error"),
        ),
    ] {
        let (_server, client) = start(Reply::json(status, body)).await;
        let error = client.upload_file("a/b.png", false).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Status);
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.detail().as_deref(), detail, "{status}");
        assert!(
            error
                .to_string()
                .starts_with("PUT /api/v1/files/{file_path}: "),
            "{error}"
        );
    }
    for status in [400, 404, 409, 422, 500] {
        let (_server, client) = start(Reply::empty(status)).await;
        let error = client.delete_item(1).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.detail(), None);
        assert_eq!(error.body(), Some(&askui_runtime::ErrorBody::Empty));
    }
}

/// Headers at once, then `chunks` chunks of 1 KiB, one every `every`; or, with `stall`, one
/// chunk and then nothing.
async fn trickling_server(chunks: usize, every: Duration, stall: bool) -> askui_tests::RawServer {
    askui_tests::RawServer::start(move |mut stream| async move {
        use tokio::io::AsyncWriteExt;
        askui_tests::read_request_head(&mut stream).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\n\r\n";
        let _ = stream.write_all(head.as_bytes()).await;
        let chunk = format!("400\r\n{}\r\n", "x".repeat(1024));
        for i in 0..chunks {
            if stall && i == 1 {
                tokio::time::sleep(Duration::from_secs(30)).await;
            }
            let _ = stream.write_all(chunk.as_bytes()).await;
            tokio::time::sleep(every).await;
        }
        let _ = stream.write_all(b"0\r\n\r\n").await;
    })
    .await
}

#[tokio::test]
async fn a_download_is_limited_per_chunk_not_as_a_whole() {
    // 10 chunks 100 ms apart: a second in all, with a 400 ms timeout.
    let server = trickling_server(10, Duration::from_millis(100), false).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let mut sink = Vec::new();
    let read = client
        .stream()
        .await
        .unwrap()
        .write_to(&mut sink)
        .await
        .unwrap();
    assert_eq!(read, 10 * 1024);
    // The same body read whole is bounded by the timeout as a whole.
    let error = client.download().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);

    // A stalled download fails after the timeout, with the call named.
    let server = trickling_server(3, Duration::ZERO, true).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let mut stream = client.stream().await.unwrap();
    assert_eq!(stream.chunk().await.unwrap().map(|c| c.len()), Some(1024));
    let error = stream.chunk().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(error.to_string().starts_with("GET /stream: "), "{error}");
}

#[test]
fn a_blocking_download_outlives_its_client_and_saves_to_a_file() {
    let body: Vec<u8> = (0..300_000u32).map(|i| (i % 13) as u8).collect();
    let (_runtime, _server, client) =
        blocking_server(Reply::raw(200, "application/octet-stream", body.clone()));
    let stream = client.stream(CallOptions::new()).unwrap();
    // The stream's connection runs on the client's runtime, which the stream keeps alive.
    drop(client);
    let path = std::env::temp_dir().join(format!("askui-save-{}", std::process::id()));
    assert_eq!(stream.save_blocking(&path).unwrap(), body.len() as u64);
    assert_eq!(std::fs::read(&path).unwrap(), body);
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn options_and_part_names_that_would_corrupt_the_request_are_rejected() {
    let (server, client) = start(Reply::json(201, json!({}))).await;
    let error = client
        .slow(&CallOptions::new().header("Content-Type", "text/plain"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(error.to_string().contains("content-type"), "{error}");
    let form = Multipart::new().part(
        "input_files",
        Part::bytes(b"x".to_vec()).file_name("a.pdf\r\nContent-Type: text/html"),
    );
    let error = client
        .create_execution(Uuid::nil(), form)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(server.requests().is_empty());
}

/// Names as the document spells them: `#[path("petId")]` keeps the argument snake_case.
#[askui_endpoints(blocking)]
trait Renamed: AsRef<Client> {
    #[askui_endpoint(get, "/pet/<petId>")]
    async fn get_pet(&self, #[path("petId")] pet_id: i64) -> Result<Item, Error>;

    #[askui_endpoint(get, "/pet/findByTag/<tagName>")]
    async fn find_by_tag(&self, #[path("tagName")] tag_name: &str) -> Result<(), Error>;

    #[askui_endpoint(put, "/stores/<storeId>/files/<filePath..>")]
    async fn put_store_file(
        &self,
        #[path("storeId")] store_id: u64,
        #[path("filePath")] file_path: &str,
    ) -> Result<(), Error>;

    // `{pet-id}` is no Rust identifier: only a rename can fill it.
    #[askui_endpoint(get, "/pets/{pet-id}")]
    async fn get_dashed_pet(&self, #[path("pet-id")] pet_id: &str) -> Result<Item, Error>;
}

impl Renamed for Client {}
impl BlockingRenamed for blocking::Client {}

/// The same without `#[askui_endpoints]`: the method's own call, not a nested one.
trait PlainRenamed {
    #[askui_endpoint(get, "/pet/<petId>")]
    async fn plain_get_pet(&self, #[path("petId")] pet_id: &str) -> Result<Item, Error>;
}

impl PlainRenamed for Client {}

#[tokio::test]
async fn a_renamed_path_parameter_is_sent_and_reported_by_the_documents_name() {
    let (server, client) = start(Reply::json(200, json!({"id": 42}))).await;
    assert_eq!(client.get_pet(42).await.unwrap(), Item { id: 42 });
    client.put_store_file(7, "a b/c.png").await.unwrap();
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/pet/42", "/stores/7/files/a%20b/c.png"]);

    let error = client.find_by_tag("..").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(error.to_string().contains("`tagName`"), "{error}");
    assert!(!error.to_string().contains("tag_name"), "{error}");
    let error = client.put_store_file(7, "a//b").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(error.to_string().contains("`filePath`"), "{error}");
    assert_eq!(client.plain_get_pet("42").await.unwrap(), Item { id: 42 });
    assert_eq!(server.requests().pop().unwrap().target, "/pet/42");
    let error = client.plain_get_pet(".").await.unwrap_err();
    assert!(error.to_string().contains("`petId`"), "{error}");
    assert_eq!(
        server.requests().len(),
        3,
        "no request for a rejected argument"
    );

    let (_server, client) = start(Reply::json(404, json!({"detail": "Pet not found"}))).await;
    let error = client.get_pet(1).await.unwrap_err();
    assert!(
        error.to_string().starts_with("GET /pet/{petId}: "),
        "{error}"
    );

    let get_pet = <Client as Renamed>::GET_PET;
    assert_eq!(get_pet.path_template(), "/pet/{petId}");
    assert_eq!(get_pet.path_params(), ["petId"]);
    assert_eq!(
        <Client as Renamed>::PUT_STORE_FILE.path_params(),
        ["storeId", "filePath"]
    );
}

#[tokio::test]
async fn a_placeholder_that_is_no_rust_identifier_keeps_the_documents_name() {
    let (server, client) = start(Reply::json(200, json!({"id": 7}))).await;
    assert_eq!(client.get_dashed_pet("7").await.unwrap(), Item { id: 7 });
    assert_eq!(server.only_request().target, "/pets/7");

    let error = client.get_dashed_pet("..").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(error.to_string().contains("`pet-id`"), "{error}");
    assert!(!error.to_string().contains("pet_id"), "{error}");
    assert_eq!(
        server.requests().len(),
        1,
        "no request for a rejected argument"
    );

    let get = <Client as Renamed>::GET_DASHED_PET;
    assert_eq!(get.path_template(), "/pets/{pet-id}");
    assert_eq!(get.path_params(), ["pet-id"]);
    assert_eq!(get.to_string(), "GET /pets/{pet-id}");
}

#[test]
fn a_renamed_path_parameter_through_the_blocking_twin() {
    let (_runtime, server, client) = blocking_server(Reply::json(200, json!({"id": 42})));
    assert_eq!(client.get_pet(42).unwrap(), Item { id: 42 });
    assert_eq!(server.only_request().target, "/pet/42");
    let error = client.find_by_tag("").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(error.to_string().contains("`tagName`"), "{error}");
    assert_eq!(
        <blocking::Client as BlockingRenamed>::ENDPOINTS,
        <Client as Renamed>::ENDPOINTS
    );
}
