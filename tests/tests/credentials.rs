//! Every `Auth` scheme on the wire, and credentials from a provider: cached, fetched once
//! however many calls find them expired, refreshed and re-sent once on a 401, never for a
//! streamed body, and a provider's failure sent as nothing at all.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use askui_runtime::{
    Auth, ByteStream, Client, Error, ErrorKind, RetryPolicy, Token, askui_endpoint,
};
use askui_tests::{RecordingServer, Reply};
use serde_json::{Value, json};

trait Pets {
    #[askui_endpoint(get, "/pets")]
    async fn list(&self, #[query] status: &str) -> Result<Value, Error>;

    #[askui_endpoint(post, "/pets")]
    async fn create(&self, body: &Value) -> Result<Value, Error>;

    #[askui_endpoint(post, "/pets/upload")]
    async fn upload(
        &self,
        #[body(content_type = "application/octet-stream")] bytes: ByteStream,
    ) -> Result<Value, Error>;

    #[askui_endpoint(get, "/pets")]
    fn list_blocking(&self, #[query] status: &str) -> Result<Value, Error>;

    #[askui_endpoint(get, "/pets/count")]
    async fn count(&self) -> Result<Count, Error>;

    #[askui_endpoint(get, "/pets")]
    async fn list_with(
        &self,
        #[query] status: &str,
        #[options] options: &askui_runtime::CallOptions,
    ) -> Result<Value, Error>;
}

#[derive(Debug, serde::Deserialize)]
pub struct Count {
    pub count: u32,
}
impl Pets for Client {}
impl Pets for askui_runtime::blocking::Client {}

fn client(base_url: &str, auth: Auth) -> Client {
    Client::builder()
        .base_url(base_url)
        .auth(auth)
        .retry(RetryPolicy::none())
        .build()
        .expect("a client")
}

fn ok() -> Reply {
    Reply::json(200, json!({"ok": true}))
}

#[tokio::test]
async fn each_scheme_goes_where_the_openapi_document_puts_it() {
    let server = RecordingServer::always(ok()).await;
    let base = server.base_url();
    client(&base, Auth::api_key_header("api_key", "special-key"))
        .list("sold")
        .await
        .unwrap();
    client(&base, Auth::api_key_query("api_key", "spe cial&key"))
        .list("sold")
        .await
        .unwrap();
    client(&base, Auth::basic("Aladdin", "open sesame"))
        .list("sold")
        .await
        .unwrap();
    client(&base, Auth::bearer("tok-123"))
        .list("sold")
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].header("api_key"), Some("special-key"));
    assert_eq!(requests[0].header("authorization"), None);
    assert_eq!(requests[0].target, "/pets?status=sold");
    assert_eq!(
        requests[1].target,
        "/pets?status=sold&api_key=spe+cial%26key"
    );
    assert_eq!(requests[1].header("authorization"), None);
    assert_eq!(
        requests[2].header("authorization"),
        Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    );
    assert_eq!(requests[3].header("authorization"), Some("Bearer tok-123"));
}

#[test]
fn every_scheme_is_refused_in_cleartext_to_another_machine() {
    for auth in [
        Auth::api_key_header("api_key", "special-key"),
        Auth::api_key_query("api_key", "special-key"),
        Auth::basic("me", "pw-123456"),
        Auth::provider(|| async { Ok::<_, std::io::Error>(Token::bearer("tok-123")) }),
    ] {
        let error = Client::builder()
            .base_url("http://petstore.example")
            .auth(auth.clone())
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Builder, "{auth:?}");
        assert!(error.to_string().contains("cleartext"), "{error}");
        Client::builder()
            .base_url("http://petstore.example")
            .auth(auth)
            .allow_plain_http(true)
            .build()
            .unwrap();
    }
}

#[tokio::test]
async fn a_query_key_is_not_shown_and_not_carried_across_a_redirect() {
    const KEY: &str = "query-key-778899";
    let server = RecordingServer::start(|request| {
        if request.target.starts_with("/pets?") {
            // A careless server: repeats the URL, key and all.
            Reply::json(500, json!({"detail": format!("failed {}", request.target)}))
        } else {
            ok()
        }
    })
    .await;
    let error = client(&server.base_url(), Auth::api_key_query("api_key", KEY))
        .list("sold")
        .await
        .unwrap_err();
    let shown = format!("{error} {error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert!(!shown.contains(KEY), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");

    // A redirect within the origin is followed; its target is requested without the key.
    let server = RecordingServer::start(|request| {
        if request.target.starts_with("/pets?") {
            let mut reply = Reply::empty(302);
            reply.headers.push(("location", "/moved"));
            reply
        } else {
            ok()
        }
    })
    .await;
    client(&server.base_url(), Auth::api_key_query("api_key", KEY))
        .list("sold")
        .await
        .unwrap();
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            format!("/pets?status=sold&api_key={KEY}"),
            "/moved".to_owned()
        ]
    );
}

/// A provider that counts its fetches and hands out `token-1`, `token-2`, …, each
/// expiring after `lifetime(n)`, after `delay`.
fn counting_provider(
    delay: Duration,
    lifetime: impl Fn(usize) -> Option<Duration> + Send + Sync + 'static,
) -> (Auth, Arc<AtomicUsize>) {
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&fetches);
    let lifetime = Arc::new(lifetime);
    let auth = Auth::provider(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        let lifetime = lifetime(n);
        async move {
            tokio::time::sleep(delay).await;
            let token = Token::bearer(format!("token-{n}"));
            Ok::<_, std::io::Error>(match lifetime {
                Some(lifetime) => token.expires_in(lifetime),
                None => token,
            })
        }
    });
    (auth, fetches)
}

/// `n` calls at once, on tasks of their own; each must succeed.
async fn all_succeed(client: &Client, n: usize) {
    let calls = (0..n).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.list("sold").await })
    });
    for call in futures_util::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
}

fn tokens_seen(server: &RecordingServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|request| request.header("authorization").unwrap_or("none").to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_that_find_the_token_expired_share_one_refresh() {
    let server = RecordingServer::always(ok()).await;
    // The first token is stale as soon as it is used; the second lasts.
    let (auth, fetches) = counting_provider(Duration::from_millis(50), |n| {
        Some(if n == 1 {
            Duration::ZERO
        } else {
            Duration::from_secs(3600)
        })
    });
    let client = client(&server.base_url(), auth);
    client.list("sold").await.unwrap();
    assert_eq!(fetches.load(Ordering::SeqCst), 1);

    all_succeed(&client, 256).await;
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        2,
        "one refresh for 256 calls"
    );
    let seen = tokens_seen(&server);
    assert_eq!(seen[0], "Bearer token-1");
    assert_eq!(seen.len(), 257);
    assert!(seen[1..].iter().all(|token| token == "Bearer token-2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_calls_of_a_new_client_share_one_fetch() {
    let server = RecordingServer::always(ok()).await;
    let (auth, fetches) = counting_provider(Duration::from_millis(50), |_| None);
    let client = client(&server.base_url(), auth);
    all_succeed(&client, 64).await;
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

/// 401 to `token-1`, the answer to any later token.
fn rejects_the_first_token(request: &askui_tests::Recorded) -> Reply {
    match request.header("authorization") {
        Some("Bearer token-1") => Reply::json(401, json!({"detail": "token expired"})),
        _ => ok(),
    }
}

#[tokio::test]
async fn a_401_refreshes_and_resends_a_body_once() {
    let server = RecordingServer::start(rejects_the_first_token).await;
    let (auth, fetches) = counting_provider(Duration::ZERO, |_| None);
    let client = client(&server.base_url(), auth);
    // A POST: not idempotent, but a 401 means it was not acted on.
    let body = json!({"name": "doggie"});
    assert_eq!(client.create(&body).await.unwrap(), json!({"ok": true}));
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    let requests = server.requests();
    assert_eq!(tokens_seen(&server), ["Bearer token-1", "Bearer token-2"]);
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(requests[1].json(), body);
}

#[tokio::test]
async fn a_second_401_is_the_answer_not_a_loop() {
    let server = RecordingServer::always(Reply::json(401, json!({"detail": "no"}))).await;
    let (auth, fetches) = counting_provider(Duration::ZERO, |_| None);
    let client = client(&server.base_url(), auth);
    let error = client.list("sold").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(tokens_seen(&server), ["Bearer token-1", "Bearer token-2"]);
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_streamed_body_is_not_resent_after_a_401() {
    let server = RecordingServer::start(rejects_the_first_token).await;
    let (auth, fetches) = counting_provider(Duration::ZERO, |_| None);
    let client = client(&server.base_url(), auth);
    let stream = ByteStream::from_stream(futures_util::stream::iter([Ok::<_, std::io::Error>(
        bytes::Bytes::from_static(b"picture"),
    )]));
    let error = client.upload(stream).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(tokens_seen(&server), ["Bearer token-1"]);
    // The rejected token is gone: the next call fetches a new one.
    client.list("sold").await.unwrap();
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    assert_eq!(tokens_seen(&server), ["Bearer token-1", "Bearer token-2"]);
}

#[derive(Debug)]
struct VaultSealed;

impl std::fmt::Display for VaultSealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the vault is sealed")
    }
}

impl std::error::Error for VaultSealed {}

#[tokio::test]
async fn a_failing_provider_is_a_typed_error_and_nothing_is_sent() {
    let server = RecordingServer::always(ok()).await;
    let failing = client(
        &server.base_url(),
        Auth::provider(|| async { Err::<Token, _>(VaultSealed) }),
    );
    let error = failing.list("sold").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials);
    let source = std::error::Error::source(&error).expect("the provider's error");
    assert!(source.downcast_ref::<VaultSealed>().is_some(), "{source:?}");
    assert!(
        error.to_string().contains("the credential provider failed"),
        "{error}"
    );

    // A token that cannot be sent, and a provider slower than the call's timeout.
    let unusable = client(
        &server.base_url(),
        Auth::provider(|| async { Ok::<_, VaultSealed>(Token::bearer("bad\r\ntoken")) }),
    );
    let error = unusable.list("sold").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials);
    assert!(!error.to_string().contains("bad"), "{error}");
    let slow = Client::builder()
        .base_url(server.base_url())
        .auth(Auth::provider(|| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok::<_, VaultSealed>(Token::bearer("late"))
        }))
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let error = slow.list("sold").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials);
    assert!(server.requests().is_empty());
}

#[test]
fn the_blocking_client_fetches_from_the_provider_too() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(RecordingServer::start(rejects_the_first_token));
    let (auth, fetches) = counting_provider(Duration::from_millis(5), |_| None);
    let client = Client::builder()
        .base_url(server.base_url())
        .auth(auth)
        .build_blocking()
        .unwrap();
    assert_eq!(client.list_blocking("sold").unwrap(), json!({"ok": true}));
    assert_eq!(client.list_blocking("sold").unwrap(), json!({"ok": true}));
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    assert_eq!(
        tokens_seen(&server),
        ["Bearer token-1", "Bearer token-2", "Bearer token-2"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_that_come_expired_are_still_fetched_once_for_all_waiting_calls() {
    let server = RecordingServer::always(ok()).await;
    let (auth, fetches) = counting_provider(Duration::from_millis(50), |_| Some(Duration::ZERO));
    let client = client(&server.base_url(), auth);
    all_succeed(&client, 64).await;
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_401_to_a_credential_the_call_replaced_keeps_the_token() {
    let server = RecordingServer::always(Reply::json(401, json!({"detail": "no"}))).await;
    let (auth, fetches) = counting_provider(Duration::ZERO, |_| None);
    let client = client(&server.base_url(), auth);
    let other = askui_runtime::CallOptions::new().header("Authorization", "Bearer someone-else");
    for _ in 0..2 {
        let error = client.list_with("sold", &other).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    }
    // Neither call was re-sent, and the provider's token was not dropped for them.
    assert_eq!(
        tokens_seen(&server),
        ["Bearer someone-else", "Bearer someone-else"]
    );
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_decode_error_scrubs_the_token_the_call_sent_even_after_it_rotated() {
    const SECRET: &str = "rotating-SECRET";
    // Every token is due at once, so the next call fetches another: the one a decode error
    // must scrub is the one its request carried, not the client's current one.
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&fetches);
    let auth = Auth::provider(move || {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        async move {
            Ok::<_, std::io::Error>(
                Token::bearer(format!("{SECRET}-{n}")).expires_in(Duration::ZERO),
            )
        }
    });
    // A careless server: the token where a number belongs.
    let server = RecordingServer::start(|request| {
        let token = request
            .header("authorization")
            .unwrap_or_default()
            .to_owned();
        Reply::json(200, json!({ "count": token }))
    })
    .await;
    let client = client(&server.base_url(), auth);
    for _ in 0..2 {
        let error = client.count().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Decode);
        let mut shown = format!("{error}\n{error:?}\n");
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            shown.push_str(&format!("{cause}\n{cause:?}\n"));
            source = cause.source();
        }
        assert!(!shown.contains(SECRET), "{shown}");
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[test]
fn a_lifetime_too_long_to_count_is_no_expiry() {
    let _ = Token::bearer("tok").expires_in(Duration::MAX);
}
