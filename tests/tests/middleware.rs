//! `ClientBuilder::middleware` (feature `middleware`): `reqwest_middleware::Middleware`s run
//! once per attempt, inside the retry loop, after the credentials are applied, inside the
//! call's span; they can sign a request, answer it without the network, or fail it with an
//! error of their own. Each against a real server on 127.0.0.1 (`tracing_propagation.rs`
//! has `reqwest-tracing`'s `traceparent`).
#![cfg(feature = "middleware")]

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use askui_runtime::reqwest::{self, ResponseBuilderExt as _};
use askui_runtime::reqwest_middleware::{self, Middleware, Next};
use askui_runtime::{Auth, Client, Error, ErrorKind, RetryPolicy, askui_endpoint, http};
use askui_tests::{RecordingServer, Reply, refused_base_url};
use hmac::{Hmac, Mac as _};
use serde_json::{Value, json};
use tracing::instrument::WithSubscriber as _;

trait Api {
    #[askui_endpoint(get, "/items/<id>")]
    async fn get_item(&self, id: u32, #[query] verbose: Option<bool>) -> Result<Value, Error>;

    #[askui_endpoint(post, "/items")]
    async fn create(&self, body: &Value) -> Result<Value, Error>;
}

impl Api for Client {}

const TOKEN: &str = "middleware-test-token-hunter2";

/// What a middleware saw of each request, in order.
type Log = Arc<Mutex<Vec<String>>>;

fn entries(log: &Log) -> Vec<String> {
    log.lock().unwrap_or_else(PoisonError::into_inner).clone()
}

/// The request's `Authorization`, as a middleware sees it ("" without).
fn authorization(request: &reqwest::Request) -> String {
    request
        .headers()
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Writes `<name> in` with what it saw of the request, then `<name> out` with the status.
struct Recorder {
    name: &'static str,
    log: Log,
}

#[async_trait::async_trait]
impl Middleware for Recorder {
    async fn handle(
        &self,
        request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let authorization = authorization(&request);
        let span = tracing::Span::current()
            .metadata()
            .map_or("none", |metadata| metadata.name());
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(format!(
                "{} in: {} {} auth={} span={span}",
                self.name,
                request.method(),
                request.url().path(),
                authorization == format!("Bearer {TOKEN}"),
            ));
        let answer = next.run(request, extensions).await;
        let status = answer.as_ref().map_or(0, |answer| answer.status().as_u16());
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(format!("{} out: {status}", self.name));
        answer
    }
}

fn quick() -> RetryPolicy {
    RetryPolicy::default().delays(Duration::from_millis(5), Duration::from_millis(20))
}

#[tokio::test]
async fn middlewares_run_once_per_attempt_inside_retries_after_credentials_in_the_span() {
    // 503 twice, then 200: three attempts.
    let attempts = Arc::new(Mutex::new(0));
    let server = RecordingServer::start({
        let attempts = Arc::clone(&attempts);
        move |_| {
            let mut seen = attempts.lock().unwrap_or_else(PoisonError::into_inner);
            *seen += 1;
            if *seen < 3 {
                Reply::empty(503)
            } else {
                Reply::json(200, json!({"id": 7}))
            }
        }
    })
    .await;
    let log = Log::default();
    let client = Client::builder()
        .base_url(server.base_url())
        .auth(Auth::bearer(TOKEN))
        .retry(quick())
        .middleware(Recorder {
            name: "outer",
            log: Arc::clone(&log),
        })
        .middleware(Recorder {
            name: "inner",
            log: Arc::clone(&log),
        })
        .build()
        .unwrap();
    // A subscriber for this call only, so that the call's span is recorded and current.
    let subscriber = tracing_subscriber::registry();
    let item = client
        .get_item(7, Some(true))
        .with_subscriber(subscriber)
        .await
        .unwrap();
    assert_eq!(item, json!({"id": 7}));
    assert_eq!(server.requests().len(), 3);
    let attempt = |status: u16| {
        [
            "outer in: GET /items/7 auth=true span=askui.call".to_owned(),
            "inner in: GET /items/7 auth=true span=askui.call".to_owned(),
            format!("inner out: {status}"),
            format!("outer out: {status}"),
        ]
    };
    let expected: Vec<String> = [attempt(503), attempt(503), attempt(200)].concat();
    assert_eq!(entries(&log), expected);
}

type HmacSha256 = Hmac<sha2::Sha256>;
const SIGNING_KEY: &[u8] = b"shared-signing-key";

fn signature(method: &str, path_and_query: &str, body: &[u8]) -> String {
    let mut mac = HmacSha256::new_from_slice(SIGNING_KEY).expect("any key length");
    for part in [
        method.as_bytes(),
        b"\n",
        path_and_query.as_bytes(),
        b"\n",
        body,
    ] {
        mac.update(part);
    }
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Signs method, path with query, and body, as a request-signing API wants.
struct Signer;

#[async_trait::async_trait]
impl Middleware for Signer {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let body = match request.body() {
            None => &[][..],
            Some(body) => body.as_bytes().ok_or_else(|| {
                reqwest_middleware::Error::middleware(std::io::Error::other(
                    "a streamed body cannot be signed",
                ))
            })?,
        };
        let url = request.url();
        let target = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        let signed = signature(request.method().as_str(), &target, body);
        let value =
            http::HeaderValue::from_str(&signed).map_err(reqwest_middleware::Error::middleware)?;
        request.headers_mut().insert("x-signature", value);
        next.run(request, extensions).await
    }
}

#[tokio::test]
async fn a_signing_middleware_adds_a_header_computed_from_method_path_and_body() {
    let server = RecordingServer::always(Reply::json(200, json!({"ok": true}))).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .auth(Auth::bearer(TOKEN))
        .middleware(Signer)
        .build()
        .unwrap();
    client.create(&json!({"name": "ä b"})).await.unwrap();
    client.get_item(3, Some(false)).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        // What the server computes from what it received.
        let expected = signature(&request.method, &request.target, &request.body);
        assert_eq!(
            request.header("x-signature"),
            Some(expected.as_str()),
            "{request:?}"
        );
    }
    assert_eq!(requests[1].target, "/items/3?verbose=false");
}

/// Answers every request itself, as a cache would: the network is never reached.
struct Canned {
    with_url: bool,
}

#[async_trait::async_trait]
impl Middleware for Canned {
    async fn handle(
        &self,
        request: reqwest::Request,
        _: &mut http::Extensions,
        _: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let mut answer = http::Response::builder()
            .status(200)
            .header("content-type", "application/json");
        if self.with_url {
            answer = answer.url(request.url().clone());
        }
        let answer = answer.body(r#"{"cached":true}"#).expect("a valid answer");
        Ok(reqwest::Response::from(answer))
    }
}

#[tokio::test]
async fn a_middleware_that_answers_short_circuits_the_call() {
    // Nothing listens there: an attempt that reached the network would fail to connect.
    let base_url = refused_base_url().await;
    let client = Client::builder()
        .base_url(&base_url)
        .middleware(Canned { with_url: true })
        .build()
        .unwrap();
    assert_eq!(
        client.get_item(1, None).await.unwrap(),
        json!({"cached": true})
    );

    // An answer without the request's URL is not read as the server's, and the error says
    // how to make one.
    let client = Client::builder()
        .base_url(&base_url)
        .middleware(Canned { with_url: false })
        .build()
        .unwrap();
    let error = client.get_item(1, None).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Redirect);
    assert!(
        error.to_string().contains("ResponseBuilderExt::url"),
        "{error}"
    );
}

/// The error a failing middleware makes, which names the credential it was given.
#[derive(Debug)]
struct SignerDown(String);

impl std::fmt::Display for SignerDown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the signing service is down (request had {})", self.0)
    }
}

impl std::error::Error for SignerDown {}

/// Fails every request; a careless one (`echo_credential`) repeats the request's
/// `Authorization` in its error.
struct Failing {
    echo_credential: bool,
}

#[async_trait::async_trait]
impl Middleware for Failing {
    async fn handle(
        &self,
        request: reqwest::Request,
        _: &mut http::Extensions,
        _: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let said = if self.echo_credential {
            authorization(&request)
        } else {
            "nothing secret".to_owned()
        };
        Err(reqwest_middleware::Error::middleware(SignerDown(said)))
    }
}

#[tokio::test]
async fn a_middleware_error_is_its_own_kind_with_the_original_as_source_and_no_token() {
    let server = RecordingServer::always(Reply::json(200, json!({}))).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .auth(Auth::bearer(TOKEN))
        .middleware(Failing {
            echo_credential: false,
        })
        .build()
        .unwrap();
    let error = client.get_item(1, None).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Middleware);
    assert_eq!(error.attempts(), 1, "a middleware's error is not retried");
    assert!(error.to_string().contains("GET /items/{id}"), "{error}");
    assert!(
        error.to_string().contains("the signing service is down"),
        "{error}"
    );
    let source = std::error::Error::source(&error).expect("the middleware's error");
    assert!(source.downcast_ref::<SignerDown>().is_some(), "{source:?}");

    let client = Client::builder()
        .base_url(server.base_url())
        .auth(Auth::bearer(TOKEN))
        .middleware(Failing {
            echo_credential: true,
        })
        .build()
        .unwrap();
    let error = client.get_item(1, None).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Middleware);
    let mut shown = format!("{error} {error:?}");
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        shown.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
    assert!(server.requests().is_empty());
}

/// Holds every request up far longer than any test's timeout.
struct Stalling;

#[async_trait::async_trait]
impl Middleware for Stalling {
    async fn handle(
        &self,
        request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        tokio::time::sleep(Duration::from_secs(600)).await;
        next.run(request, extensions).await
    }
}

#[tokio::test]
async fn the_attempts_deadline_bounds_a_middleware() {
    let server = RecordingServer::always(Reply::json(200, json!({}))).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::none())
        .middleware(Stalling)
        .build()
        .unwrap();
    let error = client.get_item(1, None).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn middlewares_run_before_the_in_memory_transport() {
    let log = Log::default();
    let client = Client::builder()
        .base_url("https://api.example")
        .auth(Auth::bearer(TOKEN))
        .middleware(Recorder {
            name: "only",
            log: Arc::clone(&log),
        })
        .middleware(Signer)
        .in_memory(|request: http::Request<askui_runtime::Bytes>| {
            let signed = request.headers().contains_key("x-signature");
            http::Response::new(format!(r#"{{"signed":{signed}}}"#))
        })
        .build()
        .unwrap();
    assert_eq!(
        client.get_item(2, None).await.unwrap(),
        json!({"signed": true})
    );
    assert_eq!(
        entries(&log),
        ["only in: GET /items/2 auth=true span=none", "only out: 200"]
    );
}
