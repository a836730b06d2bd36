//! The token never leaves the `Authorization` header: every `tracing` event and span (and
//! every `log` record) of failing runs at every level, and every error's `Display`, `Debug`
//! and causes, and what its accessors give of the server's answer (headers, body bytes,
//! `json()`), are searched for it in plain and base64 form.

use std::time::Duration;

use askui_runtime::{Auth, Client, Error, RetryPolicy, Token, askui_endpoint};
use askui_tests::traces::captured;
use askui_tests::{RawServer, RecordingServer, Reply, read_request_head, refused_base_url};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

const TOKEN: &str = "tok-SECRET-98765-zyx";
/// `base64(TOKEN)`, what `Auth::basic` sends.
const TOKEN_BASE64: &str = "dG9rLVNFQ1JFVC05ODc2NS16eXg=";

trait Api {
    #[askui_endpoint(get, "/items")]
    async fn list(&self) -> Result<Value, Error>;

    #[askui_endpoint(post, "/items")]
    async fn create(&self, body: &Value) -> Result<Value, Error>;

    #[askui_endpoint(get, "/items")]
    fn list_blocking(&self) -> Result<Value, Error>;

    #[askui_endpoint(get, "/items")]
    async fn count(&self) -> Result<Count, Error>;
}

#[derive(serde::Deserialize, Debug)]
#[allow(dead_code)]
struct Count {
    count: u64,
}

impl Api for Client {}
impl Api for askui_runtime::blocking::Client {}

/// An error's `Display`, `Debug` and every cause's `Display`, and all its accessors give of
/// the answer: the body (as bytes and as JSON), every header, the decode path and snippet.
fn everything_shown(error: &Error) -> String {
    let mut shown = format!("{error}\n{error:?}\n");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        shown.push_str(&format!("{cause}\n{cause:?}\n"));
        source = cause.source();
    }
    if let Some(body) = error.body_bytes() {
        shown.push_str(&String::from_utf8_lossy(body));
        shown.push('\n');
    }
    for (name, value) in error.headers().into_iter().flatten() {
        shown.push_str(&format!(
            "{name}: {}\n",
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    shown.push_str(&format!(
        "{:?}\n{:?}\n{:?}\n",
        error.json::<Value>(),
        error.body(),
        error.decode_path()
    ));
    shown
}

fn leaks(text: &str) -> Vec<&'static str> {
    [TOKEN, TOKEN_BASE64, "tok-SECRET"]
        .into_iter()
        .filter(|secret| text.contains(secret))
        .collect()
}

/// A reply echoing the request's credentials, as a careless server might: in its body and
/// in its headers.
fn echo(status: u16) -> impl Fn(&askui_tests::Recorded) -> Reply + Send + Sync + 'static {
    move |request| {
        let authorization = request.header("authorization").unwrap_or_default();
        let raw = authorization
            .strip_prefix("Bearer ")
            .unwrap_or(authorization)
            .to_owned();
        let api_key = request.header("api_key").unwrap_or_default();
        let target = &request.target;
        let mut reply = Reply::json(
            status,
            json!({ "detail": format!(
                "invalid credentials {authorization} ({raw}, {TOKEN}, {api_key}) for {target}"
            ) }),
        );
        // Leaked: `Reply`'s headers are `'static`; a few per test run.
        let leak = |text: String| -> &'static str { Box::leak(text.into_boxed_str()) };
        reply.headers = vec![
            ("x-echo", leak(format!("you sent {authorization}"))),
            ("x-token", leak(raw)),
            ("set-cookie", leak(format!("session={TOKEN}"))),
            ("authorization", leak(authorization.to_owned())),
        ];
        reply
    }
}

/// A reply whose body is long JSON with the token in it: a string, cut by a small
/// `max_error_body_bytes` in the middle of the token (at `cut`), and of the wrong type for
/// a success (`Count`).
fn echo_long(status: u16, cut: usize) -> impl Fn(&askui_tests::Recorded) -> Reply + Send + Sync {
    move |request| {
        // The credential as it was sent: a header, or (an API key in the query) the token.
        let authorization = request
            .header("authorization")
            .or(request.header("api_key"))
            .unwrap_or(TOKEN);
        let prefix = r#"{"count":""#;
        let padding = "p".repeat(cut - prefix.len() - authorization.len() / 2);
        let body = format!(r#"{prefix}{padding}{authorization} and more text"}}"#);
        Reply::raw(status, "application/json", body)
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_failure_shows_the_token_in_errors_or_traces() {
    // Installs the subscriber before the first call.
    captured();
    let quick = RetryPolicy::default().delays(Duration::from_millis(1), Duration::from_millis(5));
    let mut shown = String::new();

    let schemes = [
        askui_workspaces::access_token(TOKEN),
        Auth::bearer(TOKEN),
        Auth::basic("user", TOKEN),
        Auth::api_key_header("api_key", TOKEN),
        Auth::api_key_query("api_key", TOKEN),
        Auth::provider(|| async { Ok::<_, std::io::Error>(Token::bearer(TOKEN)) }),
    ];
    for auth in schemes {
        // 401, 422 and 503 (retried) answers that repeat the credentials.
        for status in [401, 422, 503] {
            let server = RecordingServer::start(echo(status)).await;
            let client = Client::builder()
                .base_url(server.base_url())
                .auth(auth.clone())
                .retry(quick.clone())
                .build()
                .unwrap();
            shown.push_str(&format!("{client:?}\n"));
            for error in [
                client.list().await.unwrap_err(),
                client.create(&json!({})).await.unwrap_err(),
            ] {
                assert!(error.status().is_some());
                shown.push_str(&everything_shown(&error));
            }
            assert!(server.requests().len() >= 2);
        }

        // A long answer cut at the bound in the middle of the credential, and a success
        // whose body repeats it where a number belongs (a decode error).
        for status in [400, 200] {
            const CUT: usize = 100;
            let server = RecordingServer::start(echo_long(status, CUT)).await;
            let client = Client::builder()
                .base_url(server.base_url())
                .auth(auth.clone())
                .retry(RetryPolicy::none())
                .max_error_body_bytes(CUT)
                .build()
                .unwrap();
            let error = client.count().await.unwrap_err();
            if status == 400 {
                assert!(error.body_truncated(), "{error:?}");
                // Cut inside the credential, which went whole: the padding before it is
                // the end of what is kept.
                let kept = error.body_bytes().unwrap();
                assert!(kept.len() < CUT && kept.ends_with(b"ppp"), "{kept:?}");
            } else {
                assert_eq!(error.decode_path(), Some("count"));
            }
            shown.push_str(&everything_shown(&error));
        }

        // A redirect to another origin.
        let elsewhere = RecordingServer::always(Reply::json(200, json!({}))).await;
        let location: &'static str = Box::leak(format!("{}/x", elsewhere.base_url()).into());
        let mut redirect = Reply::empty(302);
        redirect.headers = vec![("location", location)];
        let server = RecordingServer::always(redirect).await;
        let client = Client::builder()
            .base_url(server.base_url())
            .auth(auth.clone())
            .build()
            .unwrap();
        shown.push_str(&everything_shown(&client.list().await.unwrap_err()));

        // Transport failures: refused, reset mid-answer.
        let client = Client::builder()
            .base_url(refused_base_url().await)
            .auth(auth.clone())
            .retry(quick.clone())
            .build()
            .unwrap();
        shown.push_str(&everything_shown(&client.list().await.unwrap_err()));
        let reset = RawServer::start(|mut stream| async move {
            read_request_head(&mut stream).await;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"a\"")
                .await;
            // Dropped: the body is cut short.
        })
        .await;
        let client = Client::builder()
            .base_url(reset.base_url())
            .auth(auth.clone())
            .build()
            .unwrap();
        shown.push_str(&everything_shown(&client.list().await.unwrap_err()));

        // The same through the blocking client.
        let server = RecordingServer::start(echo(401)).await;
        let base_url = server.base_url();
        let blocking_auth = auth.clone();
        let error = tokio::task::spawn_blocking(move || {
            let client = Client::builder()
                .base_url(base_url)
                .auth(blocking_auth)
                .build_blocking()
                .unwrap();
            client.list_blocking().unwrap_err()
        })
        .await
        .unwrap();
        shown.push_str(&everything_shown(&error));
    }

    // Invalid credentials are reported without repeating them, fixed or from a provider.
    let error = Client::builder()
        .base_url("https://api.example")
        .auth(Auth::bearer(format!("{TOKEN}\r\n")))
        .build()
        .unwrap_err();
    shown.push_str(&everything_shown(&error));
    let server = RecordingServer::start(echo(401)).await;
    for auth in [
        Auth::provider(|| async { Ok::<_, std::io::Error>(Token::bearer(format!("{TOKEN}\r\n"))) }),
        Auth::provider(|| async { Err::<Token, _>(std::io::Error::other("the vault is sealed")) }),
    ] {
        let client = Client::builder()
            .base_url(server.base_url())
            .auth(auth)
            .build()
            .unwrap();
        shown.push_str(&format!("{client:?}\n"));
        let error = client.list().await.unwrap_err();
        assert_eq!(error.kind(), askui_runtime::ErrorKind::Credentials);
        shown.push_str(&everything_shown(&error));
    }
    assert!(server.requests().is_empty());

    let traced = captured();
    assert!(
        traced.contains("askui.call"),
        "the subscriber saw the calls"
    );
    assert!(traced.contains("retrying"), "and their retries");
    assert_eq!(leaks(&traced), Vec::<&str>::new(), "in the traces");
    assert_eq!(leaks(&shown), Vec::<&str>::new(), "in the errors:\n{shown}");
    // The careless server's words are still there, with the secret scrubbed.
    assert!(shown.contains("invalid credentials <redacted>"), "{shown}");
    assert!(shown.contains("x-echo: you sent <redacted>"), "{shown}");
    assert!(!shown.contains("set-cookie:"), "{shown}");
}
