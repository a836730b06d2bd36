//! An AskUI-compatible fake of the AskUI Workspaces API 0.2.15, on 127.0.0.1, for tests and
//! offline examples.
//!
//! The server is built from the vendored OpenAPI document rather than by hand per
//! operation. For every one of its 46 operations it does what the FastAPI service behind the
//! real API does, in the same order:
//!
//! 1. **Routing** from the document's paths: an unknown path is `404 {"detail":"Not Found"}`,
//!    a known path with another method `405 {"detail":"Method Not Allowed"}` with `Allow`.
//! 2. **Authentication** where the operation has `security`: `Authorization: Bearer <token>`
//!    or AskUI's `Authorization: Basic <base64(token)>`, for the configured token or any
//!    token created through the API and not deleted; otherwise
//!    `401 {"detail":"Not authenticated"}`. The two `auth` operations need none.
//! 3. **Validation** of path, query and header parameters and of the body (JSON or
//!    multipart) against their schemas, all problems in one FastAPI-shaped 422:
//!    `{"detail":[{"type","loc","msg","input","ctx"?}]}` (or the `{"detail":"…"}` string on
//!    the two operations that document their 422 that way). Undecodable JSON is a 422 of
//!    its own (`json_invalid`), as in FastAPI.
//! 4. **The answer**: for workspace-scoped operations that document a 404 example, a
//!    workspace not in [`Config::workspace`] gets that example. Files (upload, list with
//!    folders and continuation tokens, signed download URLs, delete), access tokens
//!    (create, list, look up, delete; created tokens authenticate), agents (create, list
//!    with filters and paging, update) and the customer-portal session behave as the API
//!    describes. Every other operation answers a valid instance of its documented success
//!    schema, generated from the document.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use askui_fake::{Config, FakeServer};
//!
//! let workspace = askui_fake::Uuid::new_v4();
//! let server = FakeServer::start(Config::new("secret-token").workspace(workspace)).await?;
//! println!("an AskUI-compatible API at {}", server.base_url());
//! // Dropping `server` shuts it down.
//! # Ok(())
//! # }
//! ```
//!
//! [`schemas`] exposes the document's schemas and the instance generator, so tests can feed
//! every schema of the document to their own types; [`openapi`] the rules the fake routes
//! and validates by, so tests can check what a client sends or a server answers against the
//! document (or another one) as the fake does.

#![warn(missing_docs)]

mod behaviour;
pub mod schemas;

/// The rules the fake routes and validates by, for any OpenAPI document.
pub use askui_openapi as openapi;

/// The id type of [`Config::workspace`].
pub use uuid::Uuid;
mod state;

use askui_openapi::validate::{self, Problem};

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE, HeaderValue, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use askui_openapi::{Operation, Route, Spec};
use behaviour::{Answer, Body, Call, DOWNLOAD_PREFIX};
use state::{Store, Upload};

/// The AskUI Workspaces API 0.2.15, as published (`spec/` in the repository).
const DOCUMENT: &str = include_str!("../openapi.json");

/// The vendored AskUI Workspaces API 0.2.15, parsed once per process. `file_path` takes the
/// rest of the path: the document declares it a plain string, but its values are keys such
/// as `workspaces/<id>/inbox/a.pdf` (`spec/operations.md`, oddity 1).
pub fn spec() -> &'static Spec {
    static SPEC: std::sync::LazyLock<Spec> = std::sync::LazyLock::new(|| {
        // The document is compiled in; a test proves it loads, so an empty document can
        // only be the result of editing it badly, and then every request answers 404.
        Spec::from_str(DOCUMENT)
            .unwrap_or_default()
            .rest_of_path(["file_path"])
    });
    &SPEC
}

/// Bodies beyond this are refused with 413 unless [`Config::max_body_bytes`] says otherwise.
const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// What a [`FakeServer`] accepts and knows.
#[derive(Clone)]
pub struct Config {
    token: String,
    workspaces: Vec<Uuid>,
    max_body_bytes: usize,
}

impl Config {
    /// A fake that accepts `token` (as `Bearer <token>` or `Basic <base64(token)>`) and
    /// knows no workspace yet. An empty token accepts nothing but tokens created later.
    pub fn new(token: impl Into<String>) -> Config {
        Config {
            token: token.into(),
            workspaces: Vec::new(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }

    /// A workspace the caller is a member of, with billing details. Workspace-scoped
    /// operations on other workspaces answer their documented 404, and files can only be
    /// stored and listed under `workspaces/<id>/` of these.
    pub fn workspace(mut self, id: Uuid) -> Config {
        self.workspaces.push(id);
        self
    }

    /// The largest request body accepted (default 64 MiB); larger ones get
    /// `413 {"detail":"Request body too large"}`.
    pub fn max_body_bytes(mut self, limit: usize) -> Config {
        self.max_body_bytes = limit;
        self
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The token is a credential: keep it out of logs and test output.
        f.debug_struct("Config")
            .field("token", &"<redacted>")
            .field("workspaces", &self.workspaces)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}

/// A running fake bound to `127.0.0.1` on an ephemeral port.
///
/// It runs on a task of the current tokio runtime and shuts down when dropped: it stops
/// accepting connections at once and lets requests in flight finish.
pub struct FakeServer {
    addr: SocketAddr,
    store: Arc<Store>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

struct Shared {
    store: Arc<Store>,
    max_body_bytes: usize,
}

impl FakeServer {
    /// Binds `127.0.0.1:0` and starts serving on a new tokio task.
    ///
    /// # Errors
    ///
    /// The I/O error if the listening socket cannot be bound.
    pub async fn start(config: Config) -> std::io::Result<FakeServer> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let store = Arc::new(Store::new(config.token, config.workspaces));
        // Set once, right after creation, so it cannot already hold a value.
        let _ = store.base_url.set(format!("http://{addr}"));
        let shared = Arc::new(Shared {
            store: Arc::clone(&store),
            max_body_bytes: config.max_body_bytes,
        });
        let app = Router::new()
            .fallback(handle)
            .layer(DefaultBodyLimit::max(config.max_body_bytes))
            .with_state(shared);
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            // Either a send or the sender being dropped means "stop".
            let signal = async {
                let _ = stopped.await;
            };
            // `serve` returns only once shut down; a detached task has nobody to tell.
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(signal)
                .await;
        });
        Ok(FakeServer {
            addr,
            store,
            shutdown: Some(shutdown),
        })
    }

    /// The base URL, `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The keys of the files stored so far, in order.
    pub fn file_keys(&self) -> Vec<String> {
        state::lock(&self.store.files).keys().cloned().collect()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // Fails only if the server task is already gone, which is fine.
            let _ = shutdown.send(());
        }
    }
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let raw_path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or_default().to_owned();
    // Starlette routes the decoded path.
    let path = percent_encoding::percent_decode_str(&raw_path)
        .decode_utf8_lossy()
        .into_owned();
    if let Some(key) = path.strip_prefix(DOWNLOAD_PREFIX) {
        return match behaviour::download(&shared.store, key, &query) {
            Ok((content_type, bytes)) => ([(CONTENT_TYPE, content_type)], bytes).into_response(),
            Err(answer) => respond(answer),
        };
    }
    let (operation, path_values) = match spec().route(request.method(), &path) {
        Route::Found(operation, values) => (operation, values),
        Route::NotFound => return respond(Answer::detail(404, "Not Found")),
        Route::MethodNotAllowed(allowed) => {
            let allow: Vec<&str> = allowed.iter().map(|method| method.as_str()).collect();
            let mut response = respond(Answer::detail(405, "Method Not Allowed"));
            if let Ok(value) = HeaderValue::from_str(&allow.join(", ")) {
                response.headers_mut().insert(ALLOW, value);
            }
            return response;
        }
    };

    // Security dependencies run before any validation in FastAPI.
    let authorization = request
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    if operation.secured() && !shared.store.is_authorized(authorization) {
        let mut response = respond(Answer::detail(401, "Not authenticated"));
        // FastAPI's HTTPBearer sends this challenge with its 401.
        response
            .headers_mut()
            .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    }

    let query: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let mut problems = Vec::new();
    let parameters = validate::parameters(
        operation,
        &path_values,
        &query,
        request.headers(),
        &mut problems,
    );
    let body = match read_body(operation, request, shared.max_body_bytes, &mut problems).await {
        Ok(body) => body,
        Err(answer) => return respond(answer),
    };
    if !problems.is_empty() {
        return respond(validation_failed(operation, &problems));
    }
    let call = Call {
        operation,
        parameters,
        body,
    };
    respond(behaviour::answer(&shared.store, &call))
}

fn respond(answer: Answer) -> Response {
    match answer.body {
        Some(body) => (answer.status, axum::Json(body)).into_response(),
        None => answer.status.into_response(),
    }
}

/// A 422 in the shape the operation documents.
fn validation_failed(operation: &Operation, problems: &[Problem]) -> Answer {
    if operation.validation_detail_is_a_string() {
        let text: Vec<String> = problems
            .iter()
            .map(|problem| {
                let loc: Vec<String> = problem
                    .loc
                    .iter()
                    .map(|part| {
                        part.as_str()
                            .map_or_else(|| part.to_string(), str::to_owned)
                    })
                    .collect();
                format!("{}: {}", loc.join("."), problem.msg)
            })
            .collect();
        return Answer::detail(422, &text.join("; "));
    }
    Answer::json(422, json!({ "detail": problems }))
}

/// Reads the body the operation declares, checking it against its schema. An answer is
/// returned for what FastAPI rejects on its own (undecodable JSON, an unreadable or too
/// large body).
async fn read_body(
    operation: &Operation,
    request: Request,
    limit: usize,
    problems: &mut Vec<Problem>,
) -> Result<Body, Answer> {
    let Some(declared) = operation.body() else {
        return Ok(Body::None);
    };
    let too_large = || Answer::detail(413, "Request body too large");
    let declared_length = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared_length.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    let body_loc = vec![json!("body")];
    if declared.media_type() == "multipart/form-data" {
        let is_multipart = content_type(request.headers()).starts_with("multipart/form-data");
        let mut parts = Vec::new();
        if is_multipart {
            let mut multipart = Multipart::from_request(request, &())
                .await
                .map_err(|_| Answer::detail(400, "There was an error parsing the body"))?;
            loop {
                match multipart.next_field().await {
                    Ok(Some(field)) => {
                        let name = field.name().unwrap_or_default().to_owned();
                        let file_name = field.file_name().map(str::to_owned);
                        let content_type = field.content_type().map(str::to_owned);
                        let bytes = field.bytes().await.map_err(|error| {
                            if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                                too_large()
                            } else {
                                Answer::detail(400, "There was an error parsing the body")
                            }
                        })?;
                        parts.push(Upload {
                            name,
                            file_name,
                            content_type,
                            bytes: bytes.to_vec(),
                        });
                    }
                    Ok(None) => break,
                    Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return Err(too_large());
                    }
                    Err(_) => {
                        return Err(Answer::detail(400, "There was an error parsing the body"));
                    }
                }
            }
        }
        let instance = spec().multipart_instance(
            &declared.schema().value,
            parts.iter().map(|part| {
                let text = match part.file_name {
                    Some(_) => None,
                    None => Some(String::from_utf8_lossy(&part.bytes).into_owned()),
                };
                (part.name.as_str(), text)
            }),
        );
        problems.extend(validate::check(declared.schema(), &instance, &body_loc));
        return Ok(Body::Multipart(parts));
    }

    let is_json = is_json(request.headers());
    let bytes = axum::body::to_bytes(request.into_body(), limit)
        .await
        .map_err(|_| too_large())?;
    // FastAPI treats an empty body as no body at all, whatever its type.
    if bytes.is_empty() {
        if declared.required() {
            problems.push(Problem::missing(body_loc, Value::Null));
        }
        return Ok(Body::None);
    }
    if !is_json {
        // Not decoded: pydantic sees bytes where it wants an object.
        problems.push(Problem::new(
            "model_attributes_type",
            body_loc,
            "Input should be a valid dictionary or object to extract fields from",
            json!(String::from_utf8_lossy(&bytes)),
        ));
        return Ok(Body::None);
    }
    let value: Value = serde_json::from_slice(&bytes).map_err(|error| {
        let problem = Problem::new(
            "json_invalid",
            body_loc.clone(),
            "JSON decode error",
            json!({}),
        );
        let mut problem = serde_json::to_value(problem).unwrap_or_default();
        problem["ctx"] = json!({ "error": error.to_string() });
        Answer::json(422, json!({ "detail": [problem] }))
    })?;
    if value.is_null() && declared.required() {
        problems.push(Problem::missing(body_loc, Value::Null));
        return Ok(Body::None);
    }
    problems.extend(validate::check(declared.schema(), &value, &body_loc));
    Ok(Body::Json(value))
}

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// FastAPI decodes the body as JSON when `Content-Type` is absent or is `application/json`
/// or `application/*+json` (parameters such as `charset` ignored).
fn is_json(headers: &HeaderMap) -> bool {
    if headers.get(CONTENT_TYPE).is_none() {
        return true;
    }
    let content_type = content_type(headers);
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    match media_type.split_once('/') {
        Some(("application", subtype)) => subtype == "json" || subtype.ends_with("+json"),
        _ => false,
    }
}
