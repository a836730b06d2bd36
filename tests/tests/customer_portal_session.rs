//! The customer-portal-session endpoint end to end: the typed client against a real HTTP
//! server on 127.0.0.1, asserting what went over the wire and every kind of answer.

use std::time::Duration;

use askui_runtime::{Auth, Client, ErrorBody, ErrorKind, LocItem, StatusCode};
use askui_tests::{RawServer, RecordingServer, Reply, read_request_head, refused_base_url};
use askui_workspaces::billing::{Billing, CreateCustomerPortalSessionRequestDto};
use serde_json::json;
use uuid::Uuid;

fn body() -> CreateCustomerPortalSessionRequestDto {
    CreateCustomerPortalSessionRequestDto::new("https://app.example/settings?tab=billing").unwrap()
}

fn client(base_url: &str, auth: Option<Auth>) -> Client {
    let builder = Client::builder()
        .base_url(base_url)
        .timeout(Duration::from_secs(5));
    match auth {
        Some(auth) => builder.auth(auth),
        None => builder,
    }
    .build()
    .unwrap()
}

fn session_ok() -> Reply {
    Reply::json(
        200,
        json!({"sessionUrl": "https://billing.stripe.example/p/session/abc"}),
    )
}

#[tokio::test]
async fn bearer_request_on_the_wire_and_typed_answer() {
    let server = RecordingServer::always(session_ok()).await;
    let client = client(&server.base_url(), Some(Auth::bearer("tok-123")));
    let workspace_id = Uuid::new_v4();

    let session = client
        .create_customer_portal_session(workspace_id, &body())
        .await
        .unwrap();

    assert_eq!(
        session.session_url.as_str(),
        "https://billing.stripe.example/p/session/abc"
    );
    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.target,
        format!("/api/v1/workspaces/{workspace_id}/billing/customer-portal-session")
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.header("authorization"), Some("Bearer tok-123"));
    assert!(
        request
            .header("user-agent")
            .unwrap()
            .starts_with("askui-runtime/")
    );
    assert_eq!(
        request.json(),
        json!({"returnUrl": "https://app.example/settings?tab=billing"})
    );
}

#[tokio::test]
async fn basic_auth_is_askuis_base64_token() {
    let server = RecordingServer::always(session_ok()).await;
    let client = client(
        &server.base_url(),
        Some(askui_workspaces::access_token("my-askui-token")),
    );
    client
        .create_customer_portal_session(Uuid::new_v4(), &body())
        .await
        .unwrap();
    // base64("my-askui-token")
    assert_eq!(
        server.only_request().header("authorization"),
        Some("Basic bXktYXNrdWktdG9rZW4=")
    );
}

#[tokio::test]
async fn without_auth_no_header_is_sent_and_401_is_a_status_error() {
    let server =
        RecordingServer::always(Reply::json(401, json!({"detail": "Not authenticated"}))).await;
    let client = client(&server.base_url(), None);
    let error = client
        .create_customer_portal_session(Uuid::new_v4(), &body())
        .await
        .unwrap_err();
    assert_eq!(server.only_request().header("authorization"), None);
    assert_eq!(error.kind(), ErrorKind::Status);
    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(error.detail().as_deref(), Some("Not authenticated"));
}

#[tokio::test]
async fn not_found_in_the_specs_list_shape() {
    let server = RecordingServer::always(Reply::json(
        404,
        json!({"detail": [{"msg": "Billing details not found"}]}),
    ))
    .await;
    let error = client(&server.base_url(), Some(Auth::bearer("t")))
        .create_customer_portal_session(Uuid::new_v4(), &body())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(
        error.body(),
        Some(&ErrorBody::Detail("Billing details not found".into()))
    );
    assert!(error.validation().is_none());
    assert_eq!(
        error.to_string(),
        "POST /api/v1/workspaces/{workspace_id}/billing/customer-portal-session: \
         server answered 404 Not Found: Billing details not found"
    );
}

#[tokio::test]
async fn not_found_in_fastapis_default_shape() {
    let server = RecordingServer::always(Reply::json(404, json!({"detail": "Not Found"}))).await;
    let error = client(&server.base_url(), None)
        .create_customer_portal_session(Uuid::new_v4(), &body())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(error.detail().as_deref(), Some("Not Found"));
    assert!(
        error
            .to_string()
            .ends_with("server answered 404 Not Found: Not Found"),
        "{error}"
    );
}

#[tokio::test]
async fn validation_error_is_decoded() {
    let server = RecordingServer::always(Reply::json(
        422,
        json!({"detail": [{"loc": ["body", "returnUrl"], "msg": "Input should be a valid URL", "type": "url_parsing"}]}),
    ))
    .await;
    let error = client(&server.base_url(), None)
        .create_customer_portal_session(Uuid::new_v4(), &body())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::UNPROCESSABLE_ENTITY));
    let validation = error.validation().expect("an HTTPValidationError");
    assert_eq!(validation.detail.len(), 1);
    assert_eq!(
        validation.detail[0].loc,
        [
            LocItem::Name("body".into()),
            LocItem::Name("returnUrl".into())
        ]
    );
    assert_eq!(validation.detail[0].error_type, "url_parsing");
    assert!(
        error
            .to_string()
            .ends_with("422 Unprocessable Entity: body.returnUrl: Input should be a valid URL"),
        "{error}"
    );
}

#[tokio::test]
async fn html_500_keeps_status_and_a_snippet() {
    let html = format!(
        "<html><body><h1>502 Bad Gateway</h1>{}</body></html>",
        "x".repeat(5000)
    );
    let server = RecordingServer::always(Reply::raw(500, "text/html", html)).await;
    let error = client(&server.base_url(), None)
        .create_customer_portal_session(Uuid::new_v4(), &body())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    let Some(ErrorBody::Raw(snippet)) = error.body() else {
        panic!("{error:?}")
    };
    assert!(snippet.starts_with("<html><body><h1>502 Bad Gateway</h1>xxx"));
    assert!(snippet.len() < 1024, "the snippet is bounded");
}

#[tokio::test]
async fn malformed_json_success_names_the_expected_type() {
    let server =
        RecordingServer::always(Reply::raw(200, "application/json", "{\"sessionUrl\": ")).await;
    let error = client(&server.base_url(), None)
        .create_customer_portal_session(Uuid::new_v4(), &body())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert!(
        error
            .to_string()
            .contains("CreateCustomerPortalSessionResponseDto"),
        "{error}"
    );
    assert!(
        std::error::Error::source(&error).is_some(),
        "the serde error is the source"
    );
}

#[tokio::test]
async fn a_session_url_that_is_not_a_url_is_a_decode_error() {
    let server =
        RecordingServer::always(Reply::json(200, json!({"sessionUrl": "not a url"}))).await;
    let error = client(&server.base_url(), None)
        .create_customer_portal_session(Uuid::new_v4(), &body())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
}

#[tokio::test]
async fn connection_refused_is_a_connect_error_with_its_source() {
    let client = client(&refused_base_url().await, None);
    let error = client
        .create_customer_portal_session(Uuid::new_v4(), &body())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Connect);
    assert!(std::error::Error::source(&error).is_some());
    assert_eq!(error.status(), None);
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = RecordingServer::always(session_ok().after(Duration::from_secs(30))).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = client
        .create_customer_portal_session(Uuid::new_v4(), &body())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(error.is_timeout());
    assert!(
        std::error::Error::source(&error).is_some(),
        "the timeout keeps its source"
    );
}

#[tokio::test]
async fn a_stalled_body_times_out() {
    let server = RawServer::start(|mut stream| async move {
        use tokio::io::AsyncWriteExt;
        read_request_head(&mut stream).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"sess";
        let _ = stream.write_all(head.as_bytes()).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = client
        .create_customer_portal_session(Uuid::new_v4(), &body())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
}

#[tokio::test]
async fn a_reset_connection_is_a_transport_error() {
    let server = RawServer::start(|mut stream| async move {
        read_request_head(&mut stream).await;
        drop(stream);
    })
    .await;
    let error = client(&server.base_url(), None)
        .create_customer_portal_session(Uuid::new_v4(), &body())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error:?}");
}

#[tokio::test]
async fn an_endless_body_stops_at_the_limit() {
    let server = RawServer::start(|mut stream| async move {
        use tokio::io::AsyncWriteExt;
        read_request_head(&mut stream).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "[".repeat(64 * 1024));
        // Bounded: 1 GiB at most, far past the client's limit.
        for _ in 0..16 * 1024 {
            if stream.write_all(chunk.as_bytes()).await.is_err() {
                return;
            }
        }
    })
    .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .max_response_bytes(1024 * 1024)
        .build()
        .unwrap();
    let error = client
        .create_customer_portal_session(Uuid::new_v4(), &body())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error:?}");
    assert!(error.to_string().contains("1048576 bytes"), "{error}");
}

#[tokio::test]
async fn secrets_never_show_in_errors() {
    let server =
        RecordingServer::always(Reply::json(401, json!({"detail": "Not authenticated"}))).await;
    let client = client(
        &server.base_url(),
        Some(askui_workspaces::access_token("hunter2-secret")),
    );
    let error = client
        .create_customer_portal_session(Uuid::new_v4(), &body())
        .await
        .unwrap_err();
    for shown in [
        format!("{error}"),
        format!("{error:?}"),
        format!("{client:?}"),
    ] {
        assert!(!shown.contains("hunter2"), "{shown}");
        // Nor its base64 form.
        assert!(!shown.contains("aHVudGVyMi1zZWNyZXQ"), "{shown}");
    }
}

#[tokio::test]
async fn the_future_is_send_and_runs_in_tokio_spawn() {
    fn assert_send<T: Send>(value: T) -> T {
        value
    }
    let server = RecordingServer::always(session_ok()).await;
    let client = client(&server.base_url(), None);
    let body = body();
    let future = assert_send(client.create_customer_portal_session(Uuid::new_v4(), &body));
    future.await.unwrap();

    let spawned = tokio::spawn(async move {
        client
            .create_customer_portal_session(Uuid::new_v4(), &body)
            .await
    });
    spawned.await.unwrap().unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_base_url_with_a_prefix_keeps_it() {
    let server = RecordingServer::always(session_ok()).await;
    let client = client(&format!("{}/proxy/askui/", server.base_url()), None);
    let workspace_id = Uuid::new_v4();
    client
        .create_customer_portal_session(workspace_id, &body())
        .await
        .unwrap();
    assert_eq!(
        server.only_request().target,
        format!("/proxy/askui/api/v1/workspaces/{workspace_id}/billing/customer-portal-session")
    );
}

#[tokio::test]
async fn your_own_reqwest_client_and_user_agent() {
    use askui_runtime::reqwest;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-proxy-tenant", "acme".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let server = RecordingServer::always(session_ok()).await;

    let client = Client::builder()
        .base_url(server.base_url())
        .http_client(http.clone())
        .build()
        .unwrap();
    client
        .create_customer_portal_session(Uuid::new_v4(), &body())
        .await
        .unwrap();
    let with_defaults = server.only_request();
    assert_eq!(with_defaults.header("x-proxy-tenant"), Some("acme"));
    assert_eq!(
        with_defaults.header("user-agent"),
        None,
        "the client's own default applies"
    );

    let client = Client::builder()
        .base_url(server.base_url())
        .http_client(http)
        .user_agent("my-tool/1.2")
        .build()
        .unwrap();
    client
        .create_customer_portal_session(Uuid::new_v4(), &body())
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests[1].header("user-agent"), Some("my-tool/1.2"));
    assert_eq!(requests[1].header("x-proxy-tenant"), Some("acme"));
}

#[test]
fn the_endpoint_is_data() {
    let endpoint = <Client as Billing>::CREATE_CUSTOMER_PORTAL_SESSION;
    assert_eq!(endpoint.name(), "create_customer_portal_session");
    assert_eq!(endpoint.method(), askui_runtime::Method::POST);
    assert_eq!(
        endpoint.path_template(),
        "/api/v1/workspaces/{workspace_id}/billing/customer-portal-session"
    );
    assert_eq!(endpoint.path_params(), ["workspace_id"]);
    assert_eq!(
        endpoint.to_string(),
        "POST /api/v1/workspaces/{workspace_id}/billing/customer-portal-session"
    );
}
