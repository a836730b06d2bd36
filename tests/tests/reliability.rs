//! Retries, redirects, cleartext credentials, what an error keeps of a failed answer, and
//! server text made safe to show: each against a real server on 127.0.0.1.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use askui_runtime::{
    Auth, ByteStream, CallOptions, Client, Error, ErrorKind, RetryPolicy, StatusCode,
    askui_endpoint,
};
use askui_tests::{RawServer, RecordingServer, Reply, read_request_head, refused_base_url};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

trait Api {
    #[askui_endpoint(get, "/items")]
    async fn list(&self, #[options] options: Option<&CallOptions>) -> Result<Value, Error>;

    #[askui_endpoint(post, "/items")]
    async fn create(&self, body: &Value) -> Result<Value, Error>;

    #[askui_endpoint(post, "/items/lookup", idempotent = true)]
    async fn lookup(&self, body: &Value) -> Result<Value, Error>;

    #[askui_endpoint(get, "/items", idempotent = false)]
    async fn list_once(&self) -> Result<Value, Error>;

    #[askui_endpoint(put, "/blobs/<name>")]
    async fn put_blob(
        &self,
        name: &str,
        #[body(content_type = "application/octet-stream")] body: ByteStream,
    ) -> Result<(), Error>;

    #[askui_endpoint(put, "/items/<id>")]
    async fn put_item(&self, id: u32, body: &Value) -> Result<Value, Error>;
}

impl Api for Client {}

/// Retries with waits short enough for a test.
fn quick() -> RetryPolicy {
    RetryPolicy::default().delays(Duration::from_millis(5), Duration::from_millis(20))
}

/// A server answering the `n`th request (from 0) with `replies[n]`, the last one after that.
async fn scripted(replies: Vec<Reply>) -> RecordingServer {
    let count = AtomicUsize::new(0);
    RecordingServer::start(move |_| {
        let n = count.fetch_add(1, Ordering::SeqCst);
        replies[n.min(replies.len() - 1)].clone()
    })
    .await
}

fn client(server: &RecordingServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .auth(Auth::bearer("secret-token"))
        .retry(quick())
        .build()
        .unwrap()
}

fn ok() -> Reply {
    Reply::json(200, json!({ "ok": true }))
}

#[tokio::test]
async fn a_safe_call_is_retried_after_transient_failures() {
    for status in [429, 502, 503, 504] {
        let server = scripted(vec![Reply::empty(status), Reply::empty(status), ok()]).await;
        let answer = client(&server).list(None).await.unwrap();
        assert_eq!(answer, json!({ "ok": true }));
        assert_eq!(server.requests().len(), 3, "{status}");
    }
    // PUT and DELETE are idempotent too, and a JSON body is sent again unchanged.
    let server = scripted(vec![Reply::empty(503), ok()]).await;
    client(&server)
        .put_item(7, &json!({ "a": 1 }))
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
}

#[tokio::test]
async fn retries_stop_at_the_limit_and_the_error_counts_the_attempts() {
    let server = scripted(vec![Reply::empty(503)]).await;
    let error = client(&server).list(None).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(error.attempts(), 3);
    assert_eq!(server.requests().len(), 3);
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
}

/// README: "a retried call gets it [the timeout] afresh for each attempt".
#[tokio::test]
async fn each_attempt_has_the_whole_timeout() {
    // Two attempts of 500 ms each: within an 800 ms timeout each, not together.
    let slow = Duration::from_millis(500);
    let server = scripted(vec![Reply::empty(503).after(slow), ok().after(slow)]).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .retry(quick())
        .timeout(Duration::from_millis(800))
        .build()
        .unwrap();
    assert_eq!(client.list(None).await.unwrap(), json!({ "ok": true }));
    assert_eq!(server.requests().len(), 2);
    // One attempt longer than the timeout is still cut short.
    let server = scripted(vec![ok().after(Duration::from_millis(1_500))]).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .timeout(Duration::from_millis(800))
        .build()
        .unwrap();
    let error = client.list(None).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
}

#[tokio::test]
async fn other_failures_and_unsafe_calls_are_sent_once() {
    for status in [400, 401, 404, 409, 422, 500] {
        let server = scripted(vec![Reply::empty(status), ok()]).await;
        let error = client(&server).list(None).await.unwrap_err();
        assert_eq!(error.attempts(), 1, "{status}");
        assert_eq!(server.requests().len(), 1, "{status}");
    }
    // A POST, an endpoint declared `idempotent = false`, a streamed body.
    let server = scripted(vec![Reply::empty(503)]).await;
    let client = client(&server);
    client.create(&json!({})).await.unwrap_err();
    client.list_once().await.unwrap_err();
    let stream = ByteStream::from_stream(futures_util::stream::iter([Ok::<_, std::io::Error>(
        bytes::Bytes::from_static(b"data"),
    )]));
    client.put_blob("a", stream).await.unwrap_err();
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_post_declared_idempotent_is_retried_and_a_call_can_opt_out() {
    let server = scripted(vec![Reply::empty(502), ok()]).await;
    client(&server).lookup(&json!({ "q": 1 })).await.unwrap();
    assert_eq!(server.requests().len(), 2);

    let server = scripted(vec![Reply::empty(503), ok()]).await;
    let once = CallOptions::new().retry(RetryPolicy::none());
    let error = client(&server).list(Some(&once)).await.unwrap_err();
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn retry_after_is_kept_and_honoured_up_to_the_cap() {
    let mut busy = Reply::json(429, json!({ "detail": "slow down" }));
    busy.headers = vec![("retry-after", "0"), ("x-request-id", "req-42")];
    let server = scripted(vec![busy.clone(), ok()]).await;
    client(&server).list(None).await.unwrap();
    assert_eq!(server.requests().len(), 2);

    // Longer than the policy allows: the error is returned, with what the server said.
    busy.headers = vec![("retry-after", "120"), ("x-request-id", "req-43")];
    let server = scripted(vec![busy, ok()]).await;
    let error = client(&server).list(None).await.unwrap_err();
    assert_eq!(server.requests().len(), 1);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(error.request_id(), Some("req-43"));
    assert!(error.to_string().contains("[request id req-43]"), "{error}");

    // The HTTP-date form, in the past: no wait.
    let mut dated = Reply::empty(503);
    dated.headers = vec![("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")];
    let server = scripted(vec![dated]).await;
    let once = CallOptions::new().retry(RetryPolicy::none());
    let error = client(&server).list(Some(&once)).await.unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::ZERO));
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_safe_calls() {
    let client = Client::builder()
        .base_url(refused_base_url().await)
        .retry(quick())
        .build()
        .unwrap();
    let error = client.list(None).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Connect);
    assert_eq!(error.attempts(), 3);
    let error = client.create(&json!({})).await.unwrap_err();
    assert_eq!(error.attempts(), 1);
}

/// A reply redirecting to `location` (leaked: `Reply` headers are `'static`).
fn redirect(status: u16, location: String) -> Reply {
    let mut reply = Reply::empty(status);
    reply.headers = vec![("location", Box::leak(location.into_boxed_str()))];
    reply
}

#[tokio::test]
async fn redirects_are_followed_within_the_origin_only() {
    // Same origin: followed, a 307 re-sends the body.
    let server = RecordingServer::start(|request| {
        if request.target == "/items" {
            redirect(307, "/items/lookup".to_owned())
        } else {
            ok()
        }
    })
    .await;
    client(&server).create(&json!({ "a": 1 })).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].target, "/items/lookup");
    assert_eq!(requests[1].body, br#"{"a":1}"#);

    // Another origin: refused, and the other server sees nothing.
    let elsewhere = RecordingServer::always(ok()).await;
    let target = format!("{}/stolen", elsewhere.base_url());
    for status in [301, 302, 303, 307, 308] {
        let server = RecordingServer::always(redirect(status, target.clone())).await;
        let error = client(&server)
            .create(&json!({ "secret": 1 }))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Redirect, "{status}: {error:?}");
        assert!(error.to_string().contains("another origin"), "{error}");
    }
    assert!(
        elsewhere.requests().is_empty(),
        "the other origin was reached"
    );

    // A loop, and a `Location` of another scheme.
    let server = RecordingServer::start(|_| redirect(302, "/items".to_owned())).await;
    let error = client(&server).list(None).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Redirect, "{error:?}");
    let server = RecordingServer::always(redirect(302, "ftp://files.example/x".to_owned())).await;
    let error = client(&server).list(None).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Redirect, "{error:?}");
}

#[tokio::test]
async fn an_answer_from_another_origin_is_refused_with_a_users_own_http_client() {
    let elsewhere = RecordingServer::always(ok()).await;
    let target = format!("{}/elsewhere", elsewhere.base_url());
    let server = RecordingServer::always(redirect(302, target)).await;
    // reqwest's default policy follows redirects across origins.
    let client = Client::builder()
        .base_url(server.base_url())
        .auth(Auth::bearer("secret-token"))
        .http_client(askui_runtime::reqwest::Client::new())
        .build()
        .unwrap();
    let error = client.list(None).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Redirect, "{error:?}");
    // reqwest drops `Authorization` when it follows a redirect to another host.
    let reached = elsewhere.only_request();
    assert_eq!(reached.header("authorization"), None);
}

#[test]
fn credentials_are_refused_over_plain_http_to_another_machine() {
    let with_token = |base_url: &str| {
        Client::builder()
            .base_url(base_url)
            .auth(askui_workspaces::access_token("secret-token"))
    };
    let error = with_token("http://workspaces.askui.com")
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Builder);
    assert!(error.to_string().contains("cleartext"), "{error}");
    assert!(!error.to_string().contains("secret-token"));
    with_token("http://workspaces.askui.com")
        .allow_plain_http(true)
        .build()
        .unwrap();
    for local in [
        "http://127.0.0.1:8080",
        "http://127.8.9.1",
        "http://[::1]:9",
        "http://localhost:3000",
        "https://workspaces.askui.com",
    ] {
        with_token(local).build().unwrap();
    }
    // Without credentials there is nothing to protect.
    Client::builder()
        .base_url("http://workspaces.askui.com")
        .build()
        .unwrap();
}

#[tokio::test]
async fn server_text_is_shown_on_one_clean_bounded_line() {
    let hostile = format!(
        "line one\nline two\u{1b}[31m red \u{1b}]8;;http://evil\u{7}link\u{202e}txt.exe\r\n{}",
        "x".repeat(8 * 1024)
    );
    let server = RecordingServer::always(Reply::json(404, json!({ "detail": hostile }))).await;
    let error = client(&server).list(None).await.unwrap_err();
    let shown = error.to_string();
    assert!(shown.len() < 700, "{} bytes", shown.len());
    assert!(
        !shown.chars().any(|c| c.is_control() || c == '\u{202e}'),
        "{shown:?}"
    );
    assert!(shown.contains("line one line two [31m red"), "{shown}");
    let detail = error.detail().unwrap_or_default().into_owned();
    assert!(!detail.chars().any(|c| c.is_control()), "{detail:?}");

    let many: Vec<Value> = (0..500)
        .map(|i| json!({ "loc": ["body", format!("f\n{i}")], "msg": "bad\u{1b}[2J", "type": "x" }))
        .collect();
    let server = RecordingServer::always(Reply::json(422, json!({ "detail": many }))).await;
    let error = client(&server).create(&json!({})).await.unwrap_err();
    let shown = error.to_string();
    assert!(shown.contains("and 490 more"), "{shown}");
    assert!(!shown.chars().any(char::is_control), "{shown:?}");
    assert_eq!(error.validation().map(|v| v.detail.len()), Some(500));
}

#[tokio::test]
async fn an_error_body_that_stalls_keeps_what_arrived() {
    let server = RawServer::start(|mut stream| async move {
        read_request_head(&mut stream).await;
        let head = "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
        let _ = stream.write_all(head.as_bytes()).await;
        let _ = stream.write_all(br#"{"detail": "database is down"#).await;
        // The rest never comes.
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .timeout(None)
        .read_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = tokio::time::timeout(Duration::from_secs(10), client.list(None))
        .await
        .expect("bounded by the read timeout, not the missing whole-call timeout")
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert!(error.to_string().contains("database is down"), "{error}");
    let cause = std::error::Error::source(&error).map(ToString::to_string);
    assert!(cause.unwrap_or_default().contains("stalled"), "{error:?}");
}

#[tokio::test]
async fn at_most_ten_redirects_are_followed() {
    trait Hops {
        #[askui_endpoint(get, "/hops/<n>")]
        async fn hop(&self, n: u32) -> Result<Value, Error>;
    }
    impl Hops for Client {}
    // `/hops/n` redirects to `/hops/n-1`; `/hops/0` answers.
    let server = RecordingServer::start(|request| {
        let n: u32 = request
            .target
            .trim_start_matches("/hops/")
            .parse()
            .unwrap_or(0);
        if n == 0 {
            ok()
        } else {
            redirect(302, format!("/hops/{}", n - 1))
        }
    })
    .await;
    let client = client(&server);
    assert_eq!(client.hop(10).await.unwrap(), json!({ "ok": true }));
    assert_eq!(server.requests().len(), 11);
    let error = client.hop(11).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Redirect, "{error:?}");
    assert!(
        error.to_string().contains("more than 10 redirects"),
        "{error}"
    );
}
