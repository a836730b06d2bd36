//! The customer-portal session, the operation the fake started from: every documented
//! answer, FastAPI's order of checks, and the server's robustness.

mod support;

use std::time::Duration;

use serde_json::json;
use tokio::net::TcpStream;

use support::*;

/// `maxLength` of both `returnUrl` and `sessionUrl` in the document.
const MAX_URL_LENGTH: usize = 2083;

fn path_for(workspace_id: &str) -> String {
    format!("/api/v1/workspaces/{workspace_id}/billing/customer-portal-session")
}

/// POSTs a JSON body with the given `Authorization` header (if any).
async fn post_json(
    server: &askui_fake::FakeServer,
    workspace_id: &str,
    authorization: Option<&str>,
    body: &str,
) -> RawResponse {
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(value) = authorization {
        headers.push(("Authorization", value));
    }
    send(
        server,
        "POST",
        &path_for(workspace_id),
        &headers,
        body.as_bytes(),
    )
    .await
}

const VALID_BODY: &str = r#"{"returnUrl":"https://app.askui.example/billing?tab=plan&x=a b"}"#;

#[tokio::test]
async fn bearer_token_creates_a_session() {
    let server = start().await;
    let response = post_json(&server, KNOWN_WORKSPACE, Some(&bearer()), VALID_BODY).await;
    assert_eq!(response.status, 200, "{response:?}");
    let body = response.json();
    let session = body["sessionUrl"].as_str().expect("sessionUrl is a string");
    assert!(!session.is_empty() && session.len() <= MAX_URL_LENGTH);
    let url = url::Url::parse(session).expect("sessionUrl is an absolute URL");
    assert_eq!(url.scheme(), "https");
    let returned = url
        .query_pairs()
        .find(|(k, _)| k == "return")
        .map(|(_, v)| v.into_owned());
    assert_eq!(
        returned.as_deref(),
        Some("https://app.askui.example/billing?tab=plan&x=a b")
    );
}

#[tokio::test]
async fn basic_and_case_insensitive_schemes_are_accepted() {
    let server = start().await;
    for authorization in [
        format!("Basic {TOKEN_BASE64}"),
        format!("basic {TOKEN_BASE64}"),
        format!("bearer {TOKEN}"),
        format!("BEARER  {TOKEN}"),
    ] {
        let response = post_json(&server, KNOWN_WORKSPACE, Some(&authorization), VALID_BODY).await;
        assert_eq!(response.status, 200, "{authorization}: {response:?}");
    }
}

#[tokio::test]
async fn missing_or_wrong_credentials_are_401() {
    let server = start().await;
    let wrong = [
        None,
        Some(String::new()),
        Some("Bearer".to_owned()),
        Some("Bearer ".to_owned()),
        Some("Bearer wrong-token".to_owned()),
        Some(format!("Bearer {TOKEN}x")),
        Some(format!("Bearer {TOKEN_BASE64}")),
        Some(format!("Basic {TOKEN}")),
        Some("Basic dGVzdC10b2tlbi0xMjM".to_owned()),
        Some(format!("Token {TOKEN}")),
        Some(TOKEN.to_owned()),
    ];
    for authorization in wrong {
        let response = post_json(
            &server,
            KNOWN_WORKSPACE,
            authorization.as_deref(),
            VALID_BODY,
        )
        .await;
        assert_eq!(response.status, 401, "{authorization:?}: {response:?}");
        assert_eq!(response.json(), json!({ "detail": "Not authenticated" }));
        assert_eq!(response.header("www-authenticate"), Some("Bearer"));
    }
}

#[tokio::test]
async fn authentication_is_checked_before_validation() {
    let server = start().await;
    let response = post_json(&server, "not-a-uuid", None, "{not json").await;
    assert_eq!(response.status, 401, "{response:?}");
    let response = post_json(&server, UNKNOWN_WORKSPACE, Some("Bearer nope"), VALID_BODY).await;
    assert_eq!(response.status, 401, "{response:?}");
}

#[tokio::test]
async fn invalid_workspace_id_is_422_uuid_parsing() {
    let server = start().await;
    let response = post_json(&server, "not-a-uuid", Some(&bearer()), VALID_BODY).await;
    let error = single_validation_error(&response);
    assert_eq!(error["type"], "uuid_parsing");
    assert_eq!(error["loc"], json!(["path", "workspace_id"]));
    assert_eq!(error["input"], "not-a-uuid");
    let msg = error["msg"].as_str().expect("msg is a string");
    assert!(msg.starts_with("Input should be a valid UUID, "), "{msg}");
}

#[tokio::test]
async fn workspace_id_is_percent_decoded() {
    let server = start().await;
    let encoded = KNOWN_WORKSPACE.replace('-', "%2D");
    let response = post_json(&server, &encoded, Some(&bearer()), VALID_BODY).await;
    assert_eq!(response.status, 200, "{response:?}");

    // Invalid UTF-8 after decoding must still yield a JSON 422, not a panic.
    let response = post_json(&server, "%FF%FE", Some(&bearer()), VALID_BODY).await;
    let error = single_validation_error(&response);
    assert_eq!(error["type"], "uuid_parsing");
    assert_eq!(error["input"], "\u{FFFD}\u{FFFD}");
}

#[tokio::test]
async fn path_and_body_errors_are_reported_together() {
    let server = start().await;
    let response = post_json(&server, "123", Some(&bearer()), "{}").await;
    assert_eq!(response.status, 422, "{response:?}");
    let body = response.json();
    assert_eq!(body["detail"][0]["loc"], json!(["path", "workspace_id"]));
    assert_eq!(body["detail"][1]["loc"], json!(["body", "returnUrl"]));
    assert_eq!(body["detail"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn missing_return_url_is_422_missing() {
    let server = start().await;
    let response = post_json(&server, KNOWN_WORKSPACE, Some(&bearer()), r#"{"other":1}"#).await;
    let error = single_validation_error(&response);
    assert_eq!(error["type"], "missing");
    assert_eq!(error["loc"], json!(["body", "returnUrl"]));
    assert_eq!(error["msg"], "Field required");
    assert_eq!(error["input"], json!({ "other": 1 }));
}

#[tokio::test]
async fn missing_body_is_422_missing() {
    let server = start().await;
    for body in ["", "null"] {
        let response = post_json(&server, KNOWN_WORKSPACE, Some(&bearer()), body).await;
        let error = single_validation_error(&response);
        assert_eq!(error["type"], "missing", "{body:?}");
        assert_eq!(error["loc"], json!(["body"]));
    }
}

#[tokio::test]
async fn malformed_json_is_422_json_invalid() {
    let server = start().await;
    for body in ["{", r#"{"returnUrl": }"#, "\u{0}", "[1,]"] {
        let response = post_json(&server, KNOWN_WORKSPACE, Some(&bearer()), body).await;
        let error = single_validation_error(&response);
        assert_eq!(error["type"], "json_invalid", "{body:?}");
        assert_eq!(error["loc"], json!(["body"]));
        assert_eq!(error["msg"], "JSON decode error");
    }
    // Invalid UTF-8 is not JSON either.
    let response = send(
        &server,
        "POST",
        &path_for(KNOWN_WORKSPACE),
        &[
            ("Authorization", &bearer()),
            ("Content-Type", "application/json"),
        ],
        b"{\"returnUrl\":\"\xff\"}",
    )
    .await;
    assert_eq!(single_validation_error(&response)["type"], "json_invalid");
}

#[tokio::test]
async fn non_object_body_is_422_model_attributes_type() {
    let server = start().await;
    for body in [
        r#"["https://a.example"]"#,
        r#""https://a.example""#,
        "42",
        "true",
    ] {
        let response = post_json(&server, KNOWN_WORKSPACE, Some(&bearer()), body).await;
        let error = single_validation_error(&response);
        assert_eq!(error["type"], "model_attributes_type", "{body}");
        assert_eq!(error["loc"], json!(["body"]));
    }
}

#[tokio::test]
async fn non_json_content_type_is_422() {
    let server = start().await;
    let response = send(
        &server,
        "POST",
        &path_for(KNOWN_WORKSPACE),
        &[("Authorization", &bearer()), ("Content-Type", "text/plain")],
        VALID_BODY.as_bytes(),
    )
    .await;
    let error = single_validation_error(&response);
    assert_eq!(error["type"], "model_attributes_type");
    assert_eq!(error["loc"], json!(["body"]));

    // JSON media types with parameters or a `+json` suffix are fine.
    for content_type in [
        "application/json; charset=utf-8",
        "application/merge-patch+json",
    ] {
        let response = send(
            &server,
            "POST",
            &path_for(KNOWN_WORKSPACE),
            &[("Authorization", &bearer()), ("Content-Type", content_type)],
            VALID_BODY.as_bytes(),
        )
        .await;
        assert_eq!(response.status, 200, "{content_type}: {response:?}");
    }
}

#[tokio::test]
async fn return_url_type_and_length_are_validated() {
    let server = start().await;
    let cases = [
        (json!({ "returnUrl": 42 }), "string_type"),
        (json!({ "returnUrl": null }), "string_type"),
        (json!({ "returnUrl": "" }), "string_too_short"),
        (
            json!({ "returnUrl": format!("https://a.example/{}", "x".repeat(MAX_URL_LENGTH)) }),
            "string_too_long",
        ),
    ];
    for (body, kind) in cases {
        let response =
            post_json(&server, KNOWN_WORKSPACE, Some(&bearer()), &body.to_string()).await;
        let error = single_validation_error(&response);
        assert_eq!(error["type"], kind, "{body}");
        assert_eq!(error["loc"], json!(["body", "returnUrl"]));
        assert_eq!(error["input"], body["returnUrl"]);
    }
}

#[tokio::test]
async fn return_url_must_be_an_absolute_uri() {
    let server = start().await;
    for url in ["not a url", "/relative/path", "example.com/x", "https://"] {
        let body = json!({ "returnUrl": url }).to_string();
        let response = post_json(&server, KNOWN_WORKSPACE, Some(&bearer()), &body).await;
        let error = single_validation_error(&response);
        assert_eq!(error["type"], "url_parsing", "{url}");
        assert_eq!(error["loc"], json!(["body", "returnUrl"]));
        let msg = error["msg"].as_str().expect("msg is a string");
        assert!(msg.starts_with("Input should be a valid URL, "), "{msg}");
    }
}

#[tokio::test]
async fn longest_return_url_still_yields_a_valid_session_url() {
    let server = start().await;
    let prefix = "https://a.example/";
    let return_url = format!("{prefix}{}", "é".repeat(MAX_URL_LENGTH - prefix.len()));
    assert_eq!(return_url.chars().count(), MAX_URL_LENGTH);
    let body = json!({ "returnUrl": return_url }).to_string();
    let response = post_json(&server, KNOWN_WORKSPACE, Some(&bearer()), &body).await;
    assert_eq!(response.status, 200, "{response:?}");
    let session = response.json()["sessionUrl"].as_str().map(str::to_owned);
    let session = session.expect("sessionUrl is a string");
    assert!(session.len() <= MAX_URL_LENGTH);
    url::Url::parse(&session).expect("sessionUrl is an absolute URL");
}

#[tokio::test]
async fn unknown_workspace_is_404_billing_details_not_found() {
    let server = start().await;
    let response = post_json(&server, UNKNOWN_WORKSPACE, Some(&bearer()), VALID_BODY).await;
    assert_eq!(response.status, 404, "{response:?}");
    assert_eq!(
        response.json(),
        json!({ "detail": [{ "msg": "Billing details not found" }] })
    );
    // Uppercase hex is the same UUID.
    let upper = KNOWN_WORKSPACE.to_ascii_uppercase();
    let response = post_json(&server, &upper, Some(&bearer()), VALID_BODY).await;
    assert_eq!(response.status, 200, "{response:?}");
}

#[tokio::test]
async fn unknown_paths_are_404_not_found() {
    let server = start().await;
    for path in [
        "/",
        "/api/v1/workspace",
        "/api/v2/workspaces",
        "/api/v1/workspaces//billing/customer-portal-session",
        "/api/v1/workspaces/x/billing/customer-portal-session/extra",
    ] {
        let response = send(&server, "POST", path, &[("Authorization", &bearer())], b"").await;
        assert_eq!(response.status, 404, "{path}: {response:?}");
        assert_eq!(response.json(), json!({ "detail": "Not Found" }));
    }
    // Routing comes before authentication, as in FastAPI.
    let response = send(&server, "GET", "/nowhere", &[], b"").await;
    assert_eq!(response.status, 404, "{response:?}");
}

#[tokio::test]
async fn other_methods_are_405() {
    let server = start().await;
    for method in ["GET", "PUT", "DELETE", "PATCH"] {
        let response = send(&server, method, &path_for(KNOWN_WORKSPACE), &[], b"").await;
        assert_eq!(response.status, 405, "{method}: {response:?}");
        assert_eq!(response.json(), json!({ "detail": "Method Not Allowed" }));
        assert_eq!(response.header("allow"), Some("POST"));
    }
}

#[tokio::test]
async fn oversized_bodies_get_a_json_error() {
    let limit = 64 * 1024;
    let config = askui_fake::Config::new(TOKEN)
        .workspace(known_workspace())
        .max_body_bytes(limit);
    let server = askui_fake::FakeServer::start(config)
        .await
        .expect("server starts");
    let body = vec![b' '; limit + 1];
    let response = send(
        &server,
        "POST",
        &path_for(KNOWN_WORKSPACE),
        &[
            ("Authorization", &bearer()),
            ("Content-Type", "application/json"),
        ],
        &body,
    )
    .await;
    assert_eq!(response.status, 413, "{response:?}");
    assert_eq!(
        response.json(),
        json!({ "detail": "Request body too large" })
    );
}

#[tokio::test]
async fn garbage_requests_do_not_take_the_server_down() {
    let server = start().await;
    for garbage in [
        &b"\x00\x01\x02 nonsense\r\n\r\n"[..],
        b"POST / HTTP/9.9\r\n\r\n",
    ] {
        // Whatever hyper answers (or not), the server must keep serving.
        let _ = exchange(server.addr(), garbage).await;
    }
    let response = post_json(&server, KNOWN_WORKSPACE, Some(&bearer()), VALID_BODY).await;
    assert_eq!(response.status, 200, "{response:?}");
}

#[tokio::test]
async fn dropping_the_server_stops_it() {
    let server = start().await;
    let addr = server.addr();
    assert_eq!(
        server.base_url(),
        format!("http://127.0.0.1:{}", addr.port())
    );
    drop(server);
    let refused = async {
        loop {
            match TcpStream::connect(addr).await {
                Err(_) => break,
                Ok(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(5), refused)
        .await
        .expect("listener closed after drop");
}

#[test]
fn config_debug_hides_the_token() {
    let config = askui_fake::Config::new(TOKEN).workspace(known_workspace());
    assert!(!format!("{config:?}").contains(TOKEN));
}
