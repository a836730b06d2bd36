//! Whole error answers (issue 15): a `Status` error keeps the answer's headers and its body
//! up to the client's `max_error_body_bytes`, decodes it as the caller's own error type, and
//! still shows only a cleaned snippet; a `Decode` error names the field that failed. Each on
//! a server on 127.0.0.1.

use askui_runtime::{
    Client, DEFAULT_MAX_ERROR_BODY_BYTES, Error, ErrorBody, ErrorKind, RetryPolicy, StatusCode,
    askui_endpoint,
};
use askui_tests::{RecordingServer, Reply};
use serde::Deserialize;
use serde_json::{Value, json};

trait Api {
    #[askui_endpoint(put, "/documents/<id>")]
    async fn save(&self, id: u32, body: &Value) -> Result<Value, Error>;

    #[askui_endpoint(get, "/orders")]
    async fn orders(&self) -> Result<Orders, Error>;

    #[askui_endpoint(get, "/orders")]
    fn orders_blocking(&self) -> Result<Orders, Error>;
}

impl Api for Client {}
impl Api for askui_runtime::blocking::Client {}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Orders {
    items: Vec<Order>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Order {
    id: u32,
    price: f64,
}

/// The API's own conflict answer, not FastAPI's shape.
#[derive(Debug, Deserialize, PartialEq)]
struct Conflict {
    code: String,
    current_version: u64,
}

async fn client_of(server: &RecordingServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// `Display` as the project promises it: one line, no control or bidi characters, bounded.
fn assert_display_is_clean(error: &Error) {
    let shown = error.to_string();
    assert!(shown.len() < 1024, "{} bytes: {shown}", shown.len());
    assert!(
        !shown
            .chars()
            .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
        "{shown:?}"
    );
}

#[tokio::test]
async fn a_409_body_decodes_as_the_callers_type_with_its_headers() {
    let mut reply = Reply::json(409, json!({ "code": "stale", "current_version": 7 }));
    reply.headers = vec![
        ("x-rate-limit-remaining", "41"),
        ("etag", "\"v7\""),
        ("set-cookie", "session=abc123; HttpOnly"),
    ];
    let server = RecordingServer::always(reply).await;
    let error = client_of(&server)
        .await
        .save(1, &json!({ "title": "draft" }))
        .await
        .unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Status);
    assert_eq!(error.status(), Some(StatusCode::CONFLICT));
    assert_eq!(
        error.json::<Conflict>().unwrap().unwrap(),
        Conflict {
            code: "stale".into(),
            current_version: 7
        }
    );
    // A type the body is not: `serde_json`'s error, not a panic nor a `None`.
    assert!(error.json::<Vec<u32>>().unwrap().is_err());
    let headers = error.headers().unwrap();
    assert_eq!(headers["x-rate-limit-remaining"], "41");
    assert_eq!(headers["etag"], "\"v7\"");
    assert_eq!(headers["content-type"], "application/json");
    // A cookie the server sets is a credential: not kept.
    assert!(headers.get("set-cookie").is_none());
    assert!(!error.body_truncated());
    let body: Value = serde_json::from_slice(error.body_bytes().unwrap()).unwrap();
    assert_eq!(body["code"], "stale");
    // No header value in `Debug`, only names.
    let debug = format!("{error:?}");
    assert!(debug.contains("x-rate-limit-remaining"), "{debug}");
    assert!(
        !debug.contains("41") && !debug.contains("abc123"),
        "{debug}"
    );
}

#[tokio::test]
async fn an_html_500_of_100_kib_is_kept_to_64_kib_and_marked_truncated() {
    let page = format!(
        "<html>\r\n<body>\n\u{1b}[31mInternal\u{202e} error\n{}</body></html>",
        "<p>stack frame</p>\n".repeat(100 * 1024 / 19)
    );
    assert!(page.len() > 100 * 1024);
    let server = RecordingServer::always(Reply::raw(500, "text/html", page.clone())).await;
    let error = client_of(&server).await.orders().await.unwrap_err();

    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert!(error.body_truncated());
    let kept = error.body_bytes().unwrap();
    assert_eq!(kept.len(), DEFAULT_MAX_ERROR_BODY_BYTES);
    assert_eq!(&kept[..], &page.as_bytes()[..DEFAULT_MAX_ERROR_BODY_BYTES]);
    // A cut body is not decoded as JSON: its end is missing.
    let refused = error.json::<Value>().unwrap().unwrap_err();
    assert!(refused.to_string().contains("not whole"), "{refused}");
    // `Display` still shows only the cleaned snippet.
    assert_display_is_clean(&error);
    let Some(ErrorBody::Raw(snippet)) = error.body() else {
        panic!("not a snippet: {error:?}");
    };
    assert!(
        snippet.starts_with("<html> <body> [31mInternal error"),
        "{snippet}"
    );
    assert!(snippet.len() <= 512 + '…'.len_utf8());
}

#[tokio::test]
async fn a_smaller_bound_is_the_clients_and_detail_is_read_from_it() {
    let server = RecordingServer::always(Reply::raw(503, "text/plain", "x".repeat(10_000))).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .retry(RetryPolicy::none())
        .max_error_body_bytes(100)
        .build()
        .unwrap();
    let error = client.orders().await.unwrap_err();
    assert_eq!(error.body_bytes().unwrap().len(), 100);
    assert!(error.body_truncated());

    // A body within the bound is whole, and FastAPI's shapes are still read from it.
    let server = RecordingServer::always(Reply::json(404, json!({ "detail": "Not Found" }))).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .max_error_body_bytes(100)
        .build()
        .unwrap();
    let error = client.orders().await.unwrap_err();
    assert!(!error.body_truncated());
    assert_eq!(error.detail().as_deref(), Some("Not Found"));

    // Zero keeps nothing of the body, and is not an error of its own.
    let client = Client::builder()
        .base_url(server.base_url())
        .max_error_body_bytes(0)
        .build()
        .unwrap();
    let error = client.orders().await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert!(error.body_bytes().unwrap().is_empty() && error.body_truncated());
    assert_eq!(error.detail(), None);
}

#[tokio::test]
async fn a_body_that_is_not_utf8_is_kept_byte_for_byte() {
    let body: Vec<u8> = b"caf\xe9 \xff\xfe\x00 closed".to_vec();
    let server =
        RecordingServer::always(Reply::raw(502, "text/plain; charset=latin1", body.clone())).await;
    let error = client_of(&server).await.orders().await.unwrap_err();
    assert_eq!(&error.body_bytes().unwrap()[..], &body[..]);
    assert!(!error.body_truncated());
    assert!(error.json::<Value>().unwrap().is_err());
    assert_display_is_clean(&error);
    assert!(
        error
            .to_string()
            .ends_with("caf\u{fffd} \u{fffd}\u{fffd} closed"),
        "{error}"
    );
}

fn orders_with_a_bad_price() -> Value {
    json!({ "items": [
        { "id": 1, "price": 9.5 },
        { "id": 2, "price": 10 },
        { "id": 3, "price": 0.5 },
        { "id": 4, "price": "twelve\u{202e}\n\u{1b}[2J" },
    ]})
}

#[tokio::test]
async fn a_decode_error_names_the_field_that_failed() {
    let server = RecordingServer::always(Reply::json(200, orders_with_a_bad_price())).await;
    let error = client_of(&server).await.orders().await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.decode_path(), Some("items[3].price"));
    let shown = error.to_string();
    assert!(
        shown.starts_with("GET /orders: the response body could not be decoded as `")
            && shown.ends_with("Orders` at `items[3].price`"),
        "{shown}"
    );
    assert_display_is_clean(&error);
    // `serde_json`'s message is the cause; a snippet of the body there, cleaned, is kept.
    let cause = std::error::Error::source(&error).unwrap().to_string();
    assert!(cause.starts_with("invalid type: string"), "{cause}");
    let Some(ErrorBody::Raw(snippet)) = error.body() else {
        panic!("no snippet: {error:?}");
    };
    assert!(snippet.contains(r#""price":"twelve"#), "{snippet}");
    assert!(
        !snippet.chars().any(|c| c.is_control() || c == '\u{202e}'),
        "{snippet:?}"
    );
    // Nothing of an error answer on a decode error.
    assert!(error.headers().is_none() && error.json::<Value>().is_none());
}

#[tokio::test]
async fn the_blocking_client_keeps_the_same_answers() {
    let mut reply = Reply::json(409, json!({ "code": "stale", "current_version": 3 }));
    reply.headers = vec![("x-rate-limit-remaining", "0")];
    let server = RecordingServer::always(reply).await;
    let decode = RecordingServer::always(Reply::json(200, orders_with_a_bad_price())).await;
    let (base_url, decode_url) = (server.base_url(), decode.base_url());
    let (conflict, bad) = tokio::task::spawn_blocking(move || {
        let of = |base_url| {
            Client::builder()
                .base_url(base_url)
                .retry(RetryPolicy::none())
                .build_blocking()
                .unwrap()
        };
        (
            of(base_url).orders_blocking().unwrap_err(),
            of(decode_url).orders_blocking().unwrap_err(),
        )
    })
    .await
    .unwrap();
    assert_eq!(
        conflict
            .json::<Conflict>()
            .unwrap()
            .unwrap()
            .current_version,
        3
    );
    assert_eq!(conflict.headers().unwrap()["x-rate-limit-remaining"], "0");
    assert_eq!(bad.decode_path(), Some("items[3].price"));
}
