//! An embedded, AskUI-compatible HTTP server for examples and tests.
//!
//! [`EmbeddedServer`] serves exactly one operation of the AskUI Workspaces API
//! (see `spec/customer-portal-session.openapi.yaml`):
//!
//! ```text
//! POST /api/v1/workspaces/{workspace_id}/billing/customer-portal-session
//! ```
//!
//! It mimics the FastAPI service behind the real API closely enough that a
//! client can be exercised against every documented response shape:
//!
//! | situation | status | body |
//! |---|---|---|
//! | missing or wrong `Authorization` | 401 | `{"detail":"Not authenticated"}` |
//! | `workspace_id` not a UUID, invalid body | 422 | FastAPI `HTTPValidationError` (`{"detail":[{"type","loc","msg","input",...}]}`) |
//! | workspace without billing details | 404 | `{"detail":[{"msg":"Billing details not found"}]}` |
//! | success | 200 | `{"sessionUrl":"https://billing.askui.example/session/...?return=..."}` |
//! | any other path | 404 | `{"detail":"Not Found"}` |
//! | other method on the known path | 405 | `{"detail":"Method Not Allowed"}` (with `Allow: POST`) |
//!
//! Checks run in FastAPI's order: the security dependency first, then
//! validation of the path parameter and the body (all their errors reported
//! together in one 422), then the handler itself (404 or 200). Every response
//! is `application/json`.
//!
//! Two credentials are accepted, mirroring the spec's `Bearer` and `Basic`
//! security schemes: `Authorization: Bearer <token>` and AskUI's
//! `Authorization: Basic <base64(token)>` (standard alphabet, padded).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use askui_examples::{EmbeddedServer, ServerConfig};
//!
//! let workspace = uuid::Uuid::new_v4();
//! let server = EmbeddedServer::start(ServerConfig {
//!     token: "secret-token".to_owned(),
//!     workspaces: vec![workspace],
//! })
//! .await?;
//! println!("serving on {}", server.base_url());
//! // Dropping `server` shuts it down.
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

use std::collections::HashSet;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine as _;
use serde::Serialize;
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use uuid::Uuid;

/// Route of the one operation served, in axum's path syntax.
const ROUTE: &str = "/api/v1/workspaces/{workspace_id}/billing/customer-portal-session";
/// The parts of [`ROUTE`] around `{workspace_id}`, used to read the raw segment.
const ROUTE_PREFIX: &str = "/api/v1/workspaces/";
const ROUTE_SUFFIX: &str = "/billing/customer-portal-session";

/// `maxLength` of both `returnUrl` and `sessionUrl` in the spec.
const MAX_URL_LENGTH: usize = 2083;
/// Bodies larger than this cannot be a sensible request; refusing them keeps
/// a misbehaving client from making the server buffer without bound.
const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Base of the fake billing-portal URLs handed out on success.
const SESSION_URL_BASE: &str = "https://billing.askui.example/session/";

/// Configuration of an [`EmbeddedServer`].
#[derive(Clone)]
pub struct ServerConfig {
    /// The one accepted credential, sent either as `Authorization: Bearer <token>`
    /// or as `Authorization: Basic <base64(token)>`. An empty token accepts nothing.
    pub token: String,
    /// Ids of the workspaces that have billing details; a customer-portal session
    /// for any other workspace is answered with 404.
    pub workspaces: Vec<Uuid>,
}

impl fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The token is a credential: keep it out of logs and test output.
        f.debug_struct("ServerConfig")
            .field("token", &"<redacted>")
            .field("workspaces", &self.workspaces)
            .finish()
    }
}

/// A running AskUI-compatible server bound to `127.0.0.1` on an ephemeral port.
///
/// The server runs on a task of the current tokio runtime and is shut down
/// when this value is dropped: it stops accepting connections at once and lets
/// requests already in flight finish.
#[derive(Debug)]
pub struct EmbeddedServer {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
}

impl EmbeddedServer {
    /// Binds `127.0.0.1:0` and starts serving on a new tokio task.
    ///
    /// # Errors
    ///
    /// Returns the I/O error if the listening socket cannot be bound.
    pub async fn start(config: ServerConfig) -> std::io::Result<EmbeddedServer> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let (shutdown, stopped) = oneshot::channel::<()>();

        let app = router(Arc::new(AppState::new(config)));
        tokio::spawn(async move {
            // Either a send or the sender being dropped means "stop".
            let signal = async {
                let _ = stopped.await;
            };
            // `serve` only returns once shut down; there is nobody to report
            // an error to from a detached task.
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(signal)
                .await;
        });

        Ok(EmbeddedServer {
            addr,
            shutdown: Some(shutdown),
        })
    }

    /// The server's base URL, `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for EmbeddedServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // Fails only if the server task is already gone, which is fine.
            let _ = shutdown.send(());
        }
    }
}

/// What the handlers need, derived once from [`ServerConfig`].
struct AppState {
    token: String,
    /// `base64(token)`, so Basic credentials are compared without decoding.
    basic: String,
    workspaces: HashSet<Uuid>,
}

impl AppState {
    fn new(config: ServerConfig) -> Self {
        AppState {
            basic: base64::engine::general_purpose::STANDARD.encode(&config.token),
            token: config.token,
            workspaces: config.workspaces.into_iter().collect(),
        }
    }
}

fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route(
            ROUTE,
            // axum adds `Allow: POST` to the fallback's 405, as Starlette does.
            post(create_customer_portal_session).fallback(method_not_allowed),
        )
        .fallback(not_found)
        .with_state(state)
}

/// `{"detail": <detail>}`, the envelope of every FastAPI error.
#[derive(Serialize)]
struct Detail<T> {
    detail: T,
}

fn detail_response(status: StatusCode, detail: impl Serialize) -> Response {
    // Serialized straight from the structs (not via `Value`, whose maps sort
    // their keys) so fields keep FastAPI's order: type, loc, msg, input, ctx.
    (status, Json(Detail { detail })).into_response()
}

async fn not_found() -> Response {
    detail_response(StatusCode::NOT_FOUND, "Not Found")
}

async fn method_not_allowed() -> Response {
    detail_response(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed")
}

fn not_authenticated() -> Response {
    let mut response = detail_response(StatusCode::UNAUTHORIZED, "Not authenticated");
    // FastAPI's HTTPBearer sends this challenge with its 401.
    response
        .headers_mut()
        .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// One entry of FastAPI's `HTTPValidationError.detail` (pydantic v2 shape).
#[derive(Debug, Serialize)]
struct ValidationError {
    #[serde(rename = "type")]
    kind: &'static str,
    loc: &'static [&'static str],
    msg: String,
    input: Value,
    // Boxed: most errors have no context, and this keeps the type small
    // enough to travel in `Result`s cheaply.
    #[serde(skip_serializing_if = "Option::is_none")]
    ctx: Option<Box<Value>>,
}

impl ValidationError {
    fn new(
        kind: &'static str,
        loc: &'static [&'static str],
        msg: impl Into<String>,
        input: Value,
    ) -> Self {
        ValidationError {
            kind,
            loc,
            msg: msg.into(),
            input,
            ctx: None,
        }
    }

    fn with_ctx(mut self, ctx: Value) -> Self {
        self.ctx = Some(Box::new(ctx));
        self
    }
}

// `loc` values of the validation errors this endpoint can produce.
const LOC_WORKSPACE_ID: &[&str] = &["path", "workspace_id"];
const LOC_BODY: &[&str] = &["body"];
const LOC_RETURN_URL: &[&str] = &["body", "returnUrl"];

fn validation_failed(errors: Vec<ValidationError>) -> Response {
    detail_response(StatusCode::UNPROCESSABLE_ENTITY, errors)
}

async fn create_customer_portal_session(
    State(state): State<Arc<AppState>>,
    request: Request,
) -> Response {
    // Security dependencies run before any parameter validation in FastAPI.
    if !is_authorized(request.headers(), &state) {
        return not_authenticated();
    }

    // The router only sends matching paths here, so the prefix and suffix are
    // always there; answering 404 otherwise merely avoids a panic path.
    let Some(raw_workspace_id) = request
        .uri()
        .path()
        .strip_prefix(ROUTE_PREFIX)
        .and_then(|rest| rest.strip_suffix(ROUTE_SUFFIX))
        // Starlette's `{param}` never matches an empty segment; axum's does.
        .filter(|segment| !segment.is_empty())
    else {
        return not_found().await;
    };
    // FastAPI reports all path and body errors together, path first ...
    let mut errors = Vec::new();
    let workspace_id = match parse_workspace_id(
        &percent_encoding::percent_decode_str(raw_workspace_id).decode_utf8_lossy(),
    ) {
        Ok(workspace_id) => Some(workspace_id),
        Err(error) => {
            errors.push(error);
            None
        }
    };

    let body_is_json = is_json_content_type(request.headers());
    let body = match read_body(request).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let return_url = match validate_body(&body, body_is_json) {
        Ok(return_url) => Some(return_url),
        // ... except undecodable JSON, which it rejects on its own, earlier.
        Err(BodyError::Syntax(error)) => return validation_failed(vec![error]),
        Err(BodyError::Invalid(body_errors)) => {
            errors.extend(body_errors);
            None
        }
    };

    let (Some(workspace_id), Some(return_url)) = (workspace_id, return_url) else {
        return validation_failed(errors);
    };

    if !state.workspaces.contains(&workspace_id) {
        return detail_response(
            StatusCode::NOT_FOUND,
            json!([{ "msg": "Billing details not found" }]),
        );
    }

    (
        StatusCode::OK,
        Json(json!({ "sessionUrl": session_url(&return_url) })),
    )
        .into_response()
}

/// Accepts `Bearer <token>` or `Basic <base64(token)>`; the scheme name is
/// case-insensitive (RFC 9110), the credential is not.
fn is_authorized(headers: &HeaderMap, state: &AppState) -> bool {
    let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some((scheme, credentials)) = value.trim().split_once(' ') else {
        return false;
    };
    let credentials = credentials.trim_start();
    if credentials.is_empty() {
        return false;
    }
    let expected = if scheme.eq_ignore_ascii_case("bearer") {
        &state.token
    } else if scheme.eq_ignore_ascii_case("basic") {
        &state.basic
    } else {
        return false;
    };
    constant_time_eq(credentials.as_bytes(), expected.as_bytes())
}

/// Compares without an early exit, so response timing does not reveal how
/// much of a guessed token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn parse_workspace_id(value: &str) -> Result<Uuid, ValidationError> {
    // pydantic parses UUIDs with this same crate, so the error text matches.
    Uuid::parse_str(value).map_err(|error| {
        ValidationError::new(
            "uuid_parsing",
            LOC_WORKSPACE_ID,
            format!("Input should be a valid UUID, {error}"),
            Value::String(value.to_owned()),
        )
        .with_ctx(json!({ "error": error.to_string() }))
    })
}

/// FastAPI decodes the body as JSON when `Content-Type` is absent or is
/// `application/json` / `application/*+json` (parameters such as `charset`
/// ignored); any other body is validated as raw bytes, which a model rejects.
fn is_json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE) else {
        return true;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    let media_type = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match media_type.split_once('/') {
        Some(("application", subtype)) => subtype == "json" || subtype.ends_with("+json"),
        _ => false,
    }
}

/// Buffers the body, answering in FastAPI's `{"detail": "..."}` shape when
/// that fails rather than with axum's plain-text rejections.
async fn read_body(request: Request) -> Result<Vec<u8>, Response> {
    let declared_length = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared_length.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return Err(detail_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Request body too large",
        ));
    }
    axum::body::to_bytes(request.into_body(), MAX_BODY_BYTES)
        .await
        .map(Vec::from)
        // FastAPI's message for a body it could not read.
        .map_err(|_| {
            detail_response(
                StatusCode::BAD_REQUEST,
                "There was an error parsing the body",
            )
        })
}

/// Why a body is not a valid `CreateCustomerPortalSessionRequestDto`.
enum BodyError {
    /// Not decodable as JSON.
    Syntax(ValidationError),
    /// Decoded, but not a valid request.
    Invalid(Vec<ValidationError>),
}

/// Validates the body against `CreateCustomerPortalSessionRequestDto` and
/// returns its `returnUrl`.
fn validate_body(body: &[u8], is_json: bool) -> Result<String, BodyError> {
    // FastAPI treats an empty body as no body at all, whatever its type.
    if body.is_empty() {
        return Err(BodyError::Invalid(vec![body_missing()]));
    }
    if !is_json {
        let raw = Value::String(String::from_utf8_lossy(body).into_owned());
        return Err(BodyError::Invalid(vec![not_an_object(raw)]));
    }
    let value: Value = serde_json::from_slice(body).map_err(|error| {
        BodyError::Syntax(
            ValidationError::new("json_invalid", LOC_BODY, "JSON decode error", json!({}))
                .with_ctx(json!({ "error": error.to_string() })),
        )
    })?;
    match value {
        // A JSON `null` body counts as a missing body.
        Value::Null => Err(BodyError::Invalid(vec![body_missing()])),
        Value::Object(object) => {
            validate_return_url(&object).map_err(|error| BodyError::Invalid(vec![error]))
        }
        other => Err(BodyError::Invalid(vec![not_an_object(other)])),
    }
}

fn body_missing() -> ValidationError {
    ValidationError::new("missing", LOC_BODY, "Field required", Value::Null)
}

fn not_an_object(input: Value) -> ValidationError {
    ValidationError::new(
        "model_attributes_type",
        LOC_BODY,
        "Input should be a valid dictionary or object to extract fields from",
        input,
    )
}

/// `returnUrl`: required string, 1..=2083 characters, an absolute URI.
/// Unknown properties are ignored, as pydantic does by default.
fn validate_return_url(body: &Map<String, Value>) -> Result<String, ValidationError> {
    let Some(input) = body.get("returnUrl") else {
        // pydantic echoes the whole object when a field is absent.
        let input = Value::Object(body.clone());
        return Err(ValidationError::new(
            "missing",
            LOC_RETURN_URL,
            "Field required",
            input,
        ));
    };
    let error = |kind, msg: String| ValidationError::new(kind, LOC_RETURN_URL, msg, input.clone());

    let Some(text) = input.as_str() else {
        return Err(error(
            "string_type",
            "Input should be a valid string".to_owned(),
        ));
    };
    // Lengths count characters, as Python's `len` does, not UTF-8 bytes.
    let length = text.chars().count();
    if length < 1 {
        return Err(error(
            "string_too_short",
            "String should have at least 1 character".to_owned(),
        )
        .with_ctx(json!({ "min_length": 1 })));
    }
    if length > MAX_URL_LENGTH {
        return Err(error(
            "string_too_long",
            format!("String should have at most {MAX_URL_LENGTH} characters"),
        )
        .with_ctx(json!({ "max_length": MAX_URL_LENGTH })));
    }
    // `Url::parse` only accepts absolute URLs (a relative one has no base);
    // pydantic uses the same crate, so the error text matches its own.
    match url::Url::parse(text) {
        Ok(_) => Ok(text.to_owned()),
        Err(parse_error) => Err(error(
            "url_parsing",
            format!("Input should be a valid URL, {parse_error}"),
        )
        .with_ctx(json!({ "error": parse_error.to_string() }))),
    }
}

/// A fresh portal URL that carries the return URL in its `return` query
/// parameter, unless that would exceed the spec's `sessionUrl` `maxLength`.
fn session_url(return_url: &str) -> String {
    let base = format!("{SESSION_URL_BASE}{}", Uuid::new_v4().simple());
    let encoded: String = url::form_urlencoded::byte_serialize(return_url.as_bytes()).collect();
    let with_return = format!("{base}?return={encoded}");
    if with_return.len() <= MAX_URL_LENGTH {
        with_return
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use std::io::ErrorKind;
    use std::time::Duration;

    use tokio::net::TcpStream;

    use super::*;

    const TOKEN: &str = "test-token-123";
    /// `base64("test-token-123")`.
    const TOKEN_BASE64: &str = "dGVzdC10b2tlbi0xMjM=";
    const KNOWN_WORKSPACE: &str = "6f1c2b4e-8d3a-4f5b-9c7d-0e1f2a3b4c5d";
    const UNKNOWN_WORKSPACE: &str = "0b9e8f7a-6c5d-4e3f-8a1b-2c3d4e5f6a7b";

    /// A response as read off the wire.
    #[derive(Debug)]
    struct RawResponse {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    }

    impl RawResponse {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }

        fn json(&self) -> Value {
            assert_eq!(
                self.header("content-type"),
                Some("application/json"),
                "{self:?}"
            );
            serde_json::from_slice(&self.body).expect("response body is JSON")
        }
    }

    async fn start() -> EmbeddedServer {
        EmbeddedServer::start(ServerConfig {
            token: TOKEN.to_owned(),
            workspaces: vec![Uuid::parse_str(KNOWN_WORKSPACE).expect("valid test UUID")],
        })
        .await
        .expect("server starts")
    }

    fn path_for(workspace_id: &str) -> String {
        format!("/api/v1/workspaces/{workspace_id}/billing/customer-portal-session")
    }

    fn bearer() -> String {
        format!("Bearer {TOKEN}")
    }

    /// Sends raw bytes and reads the response until the server closes the
    /// connection. Uses only `tokio::net` (readiness + `try_*`), no io-util.
    async fn exchange(addr: SocketAddr, request: &[u8]) -> Vec<u8> {
        let io = async {
            let stream = TcpStream::connect(addr).await.expect("connect");
            let mut written = 0;
            while written < request.len() {
                stream.writable().await.expect("writable");
                match stream.try_write(&request[written..]) {
                    Ok(n) => written += n,
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                    Err(e) => panic!("write failed: {e}"),
                }
            }
            let mut response = Vec::new();
            let mut buffer = [0u8; 8192];
            loop {
                stream.readable().await.expect("readable");
                match stream.try_read(&mut buffer) {
                    Ok(0) => break,
                    Ok(n) => response.extend_from_slice(&buffer[..n]),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                    Err(e) => panic!("read failed: {e}"),
                }
            }
            response
        };
        tokio::time::timeout(Duration::from_secs(10), io)
            .await
            .expect("server answered and closed the connection in time")
    }

    fn parse_response(raw: &[u8]) -> RawResponse {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("response has a header section");
        let head = std::str::from_utf8(&raw[..split]).expect("ASCII head");
        let mut lines = head.split("\r\n");
        let status_line = lines.next().expect("status line");
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status code");
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        RawResponse {
            status,
            headers,
            body: raw[split + 4..].to_vec(),
        }
    }

    async fn send(
        server: &EmbeddedServer,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> RawResponse {
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            server.addr(),
            body.len()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        let mut bytes = request.into_bytes();
        bytes.extend_from_slice(body);
        parse_response(&exchange(server.addr(), &bytes).await)
    }

    /// POSTs a JSON body with the given `Authorization` header (if any).
    async fn post_json(
        server: &EmbeddedServer,
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

    /// Asserts a 422 with exactly one error and returns it.
    fn single_validation_error(response: &RawResponse) -> Value {
        assert_eq!(response.status, 422, "{response:?}");
        let body = response.json();
        let errors = body["detail"].as_array().expect("detail is a list");
        assert_eq!(errors.len(), 1, "{body}");
        let error = errors[0].clone();
        for field in ["type", "loc", "msg"] {
            assert!(
                error.get(field).is_some(),
                "ValidationError requires {field}: {error}"
            );
        }
        error
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
            let response =
                post_json(&server, KNOWN_WORKSPACE, Some(&authorization), VALID_BODY).await;
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
            "/api/v1/workspaces",
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
        let server = start().await;
        let body = vec![b' '; MAX_BODY_BYTES + 1];
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
        let config = ServerConfig {
            token: TOKEN.to_owned(),
            workspaces: Vec::new(),
        };
        assert!(!format!("{config:?}").contains(TOKEN));
    }
}
