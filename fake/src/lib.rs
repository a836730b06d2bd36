//! An AskUI-compatible fake of the AskUI Workspaces API 0.2.15, on 127.0.0.1, for tests and
//! offline examples.
//!
//! The server is [`askui_openapi::fake::FakeApi`] serving the vendored OpenAPI document, with
//! AskUI's stateful behaviour as handlers on it. For every one of its 46 operations it does
//! what the FastAPI service behind the real API does, in the same order:
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
//!    its own (`json_invalid`), and a body of another type than the operation's a 422 (it
//!    is not decoded), as in FastAPI.
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
mod state;

/// The rules the fake routes and validates by, for any OpenAPI document.
pub use askui_openapi as openapi;

/// The id type of [`Config::workspace`].
pub use uuid::Uuid;

use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, LazyLock};

use askui_openapi::fake::{Answer, ErrorShape, FakeApi, FastApi, Refusal, RunningFake};
use askui_openapi::validate::{self, Problem};
use askui_openapi::{Operation, Spec};
use serde_json::{Value, json};

use state::Store;

/// The AskUI Workspaces API 0.2.15, as published (`spec/` in the repository).
const DOCUMENT: &str = include_str!("../openapi.json");

/// The document, read once per process and shared by every server.
static SPEC: LazyLock<Arc<Spec>> = LazyLock::new(|| {
    // The document is compiled in; a test proves it loads, so an empty document can only
    // be the result of editing it badly, and then every request answers 404.
    Arc::new(
        Spec::from_str(DOCUMENT)
            .unwrap_or_default()
            .rest_of_path(["file_path"]),
    )
});

/// The vendored AskUI Workspaces API 0.2.15, parsed once per process. `file_path` takes the
/// rest of the path: the document declares it a plain string, but its values are keys such
/// as `workspaces/<id>/inbox/a.pdf` (`spec/operations.md`, oddity 1).
pub fn spec() -> &'static Spec {
    &SPEC
}

/// Bodies beyond this are refused with 413 unless [`Config::max_body_bytes`] says otherwise.
const DEFAULT_MAX_BODY_BYTES: usize = askui_openapi::fake::DEFAULT_MAX_BODY_BYTES;

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
    running: RunningFake,
    store: Arc<Store>,
}

impl fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeServer")
            .field("addr", &self.running.addr())
            .finish_non_exhaustive()
    }
}

impl FakeServer {
    /// Binds `127.0.0.1:0` and starts serving on a new tokio task.
    ///
    /// # Errors
    ///
    /// The I/O error if the listening socket cannot be bound.
    pub async fn start(config: Config) -> std::io::Result<FakeServer> {
        let store = Arc::new(Store::new(config.token, config.workspaces));
        let api = FakeApi::new(Arc::clone(&SPEC))
            .errors(AskUiErrors)
            .max_body_bytes(config.max_body_bytes);
        let running = behaviour::install(api, &store).start().await?;
        Ok(FakeServer { running, store })
    }

    /// The base URL, `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.running.base_url()
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.running.addr()
    }

    /// The keys of the files stored so far, in order.
    pub fn file_keys(&self) -> Vec<String> {
        state::lock(&self.store.files).keys().cloned().collect()
    }
}

/// FastAPI's answers, as the AskUI service gives them: the `{"detail": "<text>"}` 422 on the
/// two operations that document it, and a body of another type than the operation's is
/// not decoded, so it fails validation (422) rather than being a 415.
struct AskUiErrors;

impl ErrorShape for AskUiErrors {
    fn invalid(&self, operation: &Operation, problems: &[Problem]) -> Answer {
        let undecodable = problems
            .iter()
            .any(|problem| problem.kind == "json_invalid");
        if validation_detail_is_a_string(operation) && !undecodable {
            let text: Vec<String> = problems.iter().map(Problem::summary).collect();
            return Answer::json(422, json!({ "detail": text.join("; ") }));
        }
        FastApi.invalid(operation, problems)
    }

    fn refuse(&self, operation: Option<&Operation>, refusal: &Refusal) -> Answer {
        let declared = operation.and_then(|operation| Some((operation, operation.body()?)));
        if let (Refusal::UnsupportedMediaType { .. }, Some((operation, body))) = (refusal, declared)
        {
            let loc = [json!("body")];
            let problems = match body.media_type() {
                // Form fields FastAPI did not find: each required one is missing.
                "multipart/form-data" => validate::check(body.schema(), &json!({}), &loc),
                // Bytes where pydantic wants an object.
                _ => vec![Problem::new(
                    "model_attributes_type",
                    loc.to_vec(),
                    "Input should be a valid dictionary or object to extract fields from",
                    Value::Null,
                )],
            };
            return self.invalid(operation, &problems);
        }
        FastApi.refuse(operation, refusal)
    }
}

/// Whether `operation` documents its 422 as `{"detail": "<string>"}` rather than FastAPI's
/// `HTTPValidationError` (`PUT /files/…` and `POST /tools/extract-data`).
fn validation_detail_is_a_string(operation: &Operation) -> bool {
    operation
        .response(422)
        .and_then(|response| response["content"]["application/json"]["schema"]["$ref"].as_str())
        .is_some_and(|reference| reference.ends_with("/StringErrorResponse"))
}
