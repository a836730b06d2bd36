//! A fake of any OpenAPI document, served in-process on 127.0.0.1 for tests.
//!
//! [`FakeApi`] reads the document once; [`FakeApi::start`] (in a `#[tokio::test]`) or
//! [`FakeApi::start_blocking`] (anywhere) binds an ephemeral port and returns a
//! [`RunningFake`], whose [`base_url`](RunningFake::base_url) a client points at. Dropping
//! it stops the server.
//!
//! Every request goes through the same steps, each refusal worded by the [`ErrorShape`]
//! (default [`FastApi`]; [`ProblemJson`] for RFC 9457):
//!
//! 1. **Routing** by the document's paths: an unknown path is a 404, a known path with
//!    another method a 405 with `Allow`. Literal segments win over `{parameters}`.
//! 2. **Security**: one of the operation's requirements (its own `security`, else the
//!    document's) must be met, else 401 (with `WWW-Authenticate` for bearer and basic). See
//!    [`security`] for where each scheme's credential is read. By default any
//!    credential of the right shape is accepted; [`FakeApi::accept_credential`] and
//!    [`FakeApi::authenticate`] narrow that.
//! 3. **The body**, at most [`FakeApi::max_body_bytes`] (else 413): JSON,
//!    `application/x-www-form-urlencoded` and `multipart/form-data` bodies are read and
//!    checked against their schema; other media types (`application/octet-stream`, images)
//!    are kept as bytes. A `Content-Type` the operation's `requestBody` does not list is a
//!    415; a body without one is read as JSON where the operation takes JSON, as bytes where
//!    it takes `application/octet-stream`. An empty body is no body.
//! 4. **Validation** of path, query and header parameters (converted to their schemas'
//!    types first: `?limit=5` is the integer 5) and of the body: every problem in one 4xx.
//! 5. **The answer**: the operation's [handler](FakeApi::handler), if it has one, else its
//!    first 2xx response (or `default`, as 200, where it documents no 2xx): the media
//!    type's `example`, else the first of its `examples`, else an instance generated from
//!    its schema ([`Spec::instance`]), with the response's documented headers filled the
//!    same way. JSON is preferred among several media types; plain text is written too.
//!
//! What the fake cannot serve faithfully is reported up front by [`FakeApi::limits`] and
//! answered with a 501 naming the operation and the reason, never with a wrong answer: an
//! operation whose success is documented only as XML (or HTML, images, …), security
//! schemes it cannot check (an `apiKey` in a cookie, `http` schemes other than bearer and
//! basic). Cookie parameters are not read, callbacks never called, XML request bodies not
//! validated: these are listed too.
//!
//! ```
//! use askui_openapi::Spec;
//! use askui_openapi::fake::{Answer, FakeApi};
//! use serde_json::json;
//!
//! let spec = Spec::from_value(json!({
//!     "openapi": "3.1.0",
//!     "info": {"title": "pets", "version": "1"},
//!     "paths": {"/pets/{id}": {"get": {
//!         "operationId": "getPet",
//!         "parameters": [{"name": "id", "in": "path", "required": true,
//!                         "schema": {"type": "integer"}}],
//!         "responses": {"200": {"description": "a pet", "content": {"application/json": {
//!             "schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}}}
//!     }}}
//! }))
//! .expect("a valid document");
//! let fake = FakeApi::new(spec)
//!     .handler("getPet", |call| match call.param("id").and_then(|id| id.as_i64()) {
//!         Some(7) => Answer::json(200, json!({"name": "Rex"})),
//!         _ => call.generated(),
//!     })
//!     .start_blocking()
//!     .expect("the fake starts");
//!
//! let client = reqwest::blocking::Client::new();
//! let rex: serde_json::Value = client
//!     .get(format!("{}/pets/7", fake.base_url()))
//!     .send()?
//!     .json()?;
//! assert_eq!(rex, json!({"name": "Rex"}));
//! let invalid = client.get(format!("{}/pets/seven", fake.base_url())).send()?;
//! assert_eq!(invalid.status(), 422);
//! let seen: Vec<_> = fake.requests().iter().map(|r| r.path.clone()).collect();
//! assert_eq!(seen, ["/pets/7", "/pets/seven"]);
//! # Ok::<(), reqwest::Error>(())
//! ```

pub mod answer;
pub mod errors;
mod plan;
pub mod record;
pub mod security;
mod serve;

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::document::Spec;
pub use answer::{Answer, Body, Call, Part};
pub use errors::{ErrorShape, FastApi, ProblemJson, Refusal};
pub use plan::{Limit, LimitKind};
pub use record::Recorded;
pub use security::Credential;

use plan::Plan;
use security::{Schemes, constant_time_eq};

/// Bodies beyond this are refused with 413 unless [`FakeApi::max_body_bytes`] says otherwise.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

type SyncHandler = Arc<dyn Fn(&Call) -> Answer + Send + Sync>;
type AsyncHandler = Arc<dyn Fn(Call) -> Pin<Box<dyn Future<Output = Answer> + Send>> + Send + Sync>;
type Intercept = Arc<dyn Fn(&Call) -> Option<Answer> + Send + Sync>;
type ExtraRoute = Arc<dyn Fn(&Recorded) -> Answer + Send + Sync>;
type Authenticate = Arc<dyn Fn(&Credential<'_>) -> bool + Send + Sync>;

#[derive(Clone)]
pub(crate) enum Handler {
    Sync(SyncHandler),
    Async(AsyncHandler),
}

/// A fake of an OpenAPI document, being configured. See the [module docs](self).
pub struct FakeApi {
    spec: Arc<Spec>,
    plans: Vec<Plan>,
    schemes: Schemes,
    credentials: HashMap<String, Vec<String>>,
    authenticate: Option<Authenticate>,
    errors: Arc<dyn ErrorShape>,
    handlers: HashMap<usize, Handler>,
    intercepts: Vec<Intercept>,
    extra_routes: Vec<(String, ExtraRoute)>,
    max_body_bytes: usize,
    /// Configuration mistakes, reported by `start`.
    mistakes: Vec<StartError>,
}

impl fmt::Debug for FakeApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeApi")
            .field("operations", &self.spec.operations().len())
            .field("credentials", &self.credentials.keys().collect::<Vec<_>>())
            .field("max_body_bytes", &self.max_body_bytes)
            .finish_non_exhaustive()
    }
}

/// Why a fake did not start.
#[derive(Debug)]
#[non_exhaustive]
pub enum StartError {
    /// The listening socket could not be bound.
    Io(std::io::Error),
    /// A handler names an operation the document does not have.
    UnknownOperation {
        /// The `operationId` (or `METHOD /template`) given.
        operation: String,
    },
    /// A credential names a security scheme the document does not define.
    UnknownScheme {
        /// The name given.
        scheme: String,
    },
    /// More than one of the mistakes above, all of them, in the order they were made.
    Several(Vec<StartError>),
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Io(_) => f.write_str("cannot bind the fake's socket on 127.0.0.1"),
            StartError::UnknownOperation { operation } => write!(
                f,
                "a handler is given for `{operation}`, which is no operationId of the document"
            ),
            StartError::UnknownScheme { scheme } => write!(
                f,
                "a credential is given for `{scheme}`, which is not in the document's `components.securitySchemes`"
            ),
            StartError::Several(mistakes) => {
                write!(f, "{} mistakes", mistakes.len())?;
                for (index, mistake) in mistakes.iter().enumerate() {
                    write!(f, "{} {mistake}", if index == 0 { ":" } else { ";" })?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::Io(error) => Some(error),
            _ => None,
        }
    }
}

impl From<StartError> for std::io::Error {
    fn from(error: StartError) -> std::io::Error {
        match error {
            StartError::Io(error) => error,
            other => std::io::Error::new(std::io::ErrorKind::InvalidInput, other),
        }
    }
}

impl FakeApi {
    /// A fake of `spec`: every operation answered from the document, any credential of the
    /// right shape accepted, errors in FastAPI's shape.
    pub fn new(spec: impl Into<Arc<Spec>>) -> FakeApi {
        let spec = spec.into();
        let schemes = security::schemes(spec.document());
        let plans = spec
            .operations()
            .iter()
            .map(|operation| Plan::new(&spec, operation, &schemes))
            .collect();
        FakeApi {
            spec,
            plans,
            schemes,
            credentials: HashMap::new(),
            authenticate: None,
            errors: Arc::new(FastApi),
            handlers: HashMap::new(),
            intercepts: Vec::new(),
            extra_routes: Vec::new(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            mistakes: Vec::new(),
        }
    }

    /// The document.
    pub fn spec(&self) -> &Spec {
        &self.spec
    }

    /// How invalid input and refusals are answered (default [`FastApi`]).
    pub fn errors(mut self, shape: impl ErrorShape) -> FakeApi {
        self.errors = Arc::new(shape);
        self
    }

    /// Accepts `value` for the security scheme `scheme` (its name in
    /// `components.securitySchemes`): a bearer token, `user:password` for `http` basic, an
    /// API key. Once a scheme has a credential, it accepts only those given.
    pub fn accept_credential(mut self, scheme: &str, value: impl Into<String>) -> FakeApi {
        if !self.schemes.contains_key(scheme) {
            self.mistakes.push(StartError::UnknownScheme {
                scheme: scheme.to_owned(),
            });
        }
        self.credentials
            .entry(scheme.to_owned())
            .or_default()
            .push(value.into());
        self
    }

    /// Accepts the credentials `check` approves, for every scheme (besides those given to
    /// [`accept_credential`](FakeApi::accept_credential)): for credentials issued while the
    /// fake runs, such as tokens an API creates. With a check set, a credential no check
    /// approves is refused.
    pub fn authenticate(
        mut self,
        check: impl Fn(&Credential<'_>) -> bool + Send + Sync + 'static,
    ) -> FakeApi {
        self.authenticate = Some(Arc::new(check));
        self
    }

    /// Answers the operation `operation` (its `operationId`, or `METHOD /template`) with
    /// `handler`, called with each validated, authorized request. It can return
    /// [`Call::generated`] to defer to the document. State lives in what it captures
    /// (an `Arc<Mutex<…>>`). A panic in it is a 500 naming the operation.
    pub fn handler(
        self,
        operation: &str,
        handler: impl Fn(&Call) -> Answer + Send + Sync + 'static,
    ) -> FakeApi {
        self.add_handler(operation, Handler::Sync(Arc::new(handler)))
    }

    /// [`handler`](FakeApi::handler), for a handler that awaits.
    pub fn async_handler<F>(
        self,
        operation: &str,
        handler: impl Fn(Call) -> F + Send + Sync + 'static,
    ) -> FakeApi
    where
        F: Future<Output = Answer> + Send + 'static,
    {
        let handler: AsyncHandler = Arc::new(move |call| Box::pin(handler(call)));
        self.add_handler(operation, Handler::Async(handler))
    }

    fn add_handler(mut self, operation: &str, handler: Handler) -> FakeApi {
        let index = self.spec.operations().iter().position(|candidate| {
            candidate.id() == operation
                || format!("{} {}", candidate.method(), candidate.template()) == operation
        });
        match index {
            Some(index) => {
                self.handlers.insert(index, handler);
            }
            None => self.mistakes.push(StartError::UnknownOperation {
                operation: operation.to_owned(),
            }),
        }
        self
    }

    /// Runs `intercept` on every validated, authorized request before its handler; an
    /// answer it returns is the answer (a rule that holds across operations, such as "an
    /// unknown tenant is a 404").
    pub fn intercept(
        mut self,
        intercept: impl Fn(&Call) -> Option<Answer> + Send + Sync + 'static,
    ) -> FakeApi {
        self.intercepts.push(Arc::new(intercept));
        self
    }

    /// Answers every request whose (decoded) path is `prefix` or lies under it (`/files`
    /// takes `/files` and `/files/a`, not `/filesystem`) with `route`,
    /// before routing, security and validation: for URLs the fake hands out that the
    /// document does not describe (signed download links, say).
    pub fn extra_route(
        mut self,
        prefix: &str,
        route: impl Fn(&Recorded) -> Answer + Send + Sync + 'static,
    ) -> FakeApi {
        self.extra_routes.push((prefix.to_owned(), Arc::new(route)));
        self
    }

    /// The largest request body accepted (default [`DEFAULT_MAX_BODY_BYTES`]); larger ones
    /// get a 413.
    pub fn max_body_bytes(mut self, limit: usize) -> FakeApi {
        self.max_body_bytes = limit;
        self
    }

    /// What the fake cannot serve faithfully, operation by operation (an operation whose
    /// only success answer is XML is not listed once it has a handler).
    pub fn limits(&self) -> Vec<Limit> {
        limits(&self.plans, &self.handlers)
    }

    /// Binds `127.0.0.1:0` and serves on a task of the current tokio runtime (which must
    /// have the I/O driver; `#[tokio::test]`'s has).
    ///
    /// # Errors
    ///
    /// A handler or credential that names nothing in the document, or the I/O error if the
    /// socket cannot be bound.
    pub async fn start(self) -> Result<RunningFake, StartError> {
        let (shutdown, stopped) = oneshot::channel::<()>();
        let (shared, serving) = self.launch(stopped).await?;
        tokio::spawn(serving);
        Ok(RunningFake {
            shared,
            shutdown: Some(shutdown),
            thread: None,
        })
    }

    /// [`start`](FakeApi::start) for tests without a runtime: the fake runs on a thread of
    /// its own with its own tokio runtime, until the [`RunningFake`] is dropped.
    ///
    /// # Errors
    ///
    /// As [`start`](FakeApi::start), or if the thread or runtime cannot be created.
    pub fn start_blocking(self) -> Result<RunningFake, StartError> {
        let (shutdown, stopped) = oneshot::channel::<()>();
        let (started, ready) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("askui-openapi-fake".to_owned())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(error) => {
                        let _ = started.send(Err(StartError::Io(error)));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match self.launch(stopped).await {
                        Ok((shared, serving)) => {
                            let _ = started.send(Ok(shared));
                            serving.await;
                        }
                        Err(error) => {
                            let _ = started.send(Err(error));
                        }
                    }
                });
            })
            .map_err(StartError::Io)?;
        let shared = ready.recv().map_err(|_| {
            StartError::Io(std::io::Error::other(
                "the fake's thread ended before starting",
            ))
        })??;
        Ok(RunningFake {
            shared,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    async fn launch(
        self,
        stopped: oneshot::Receiver<()>,
    ) -> Result<(Arc<Shared>, impl Future<Output = ()> + Send + 'static), StartError> {
        // Every mistake at once: a second typo should not need a second run.
        let mut mistakes = self.mistakes;
        match mistakes.len() {
            0 => {}
            1 => return Err(mistakes.remove(0)),
            _ => return Err(StartError::Several(mistakes)),
        }
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(StartError::Io)?;
        let addr = listener.local_addr().map_err(StartError::Io)?;
        let shared = Arc::new(Shared {
            spec: self.spec,
            plans: self.plans,
            schemes: self.schemes,
            credentials: self.credentials,
            authenticate: self.authenticate,
            errors: self.errors,
            handlers: self.handlers,
            intercepts: self.intercepts,
            extra_routes: self.extra_routes,
            max_body_bytes: self.max_body_bytes,
            addr,
            base_url: format!("http://{addr}"),
            requests: Mutex::default(),
        });
        let app = Router::new()
            .fallback(serve::handle)
            .layer(DefaultBodyLimit::max(self.max_body_bytes))
            .with_state(Arc::clone(&shared));
        let serving = async move {
            // Either a send or the sender being dropped means "stop".
            let signal = async {
                let _ = stopped.await;
            };
            // `serve` returns only once shut down; a detached task has nobody to tell.
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(signal)
                .await;
        };
        Ok((shared, serving))
    }
}

/// What a running fake shares between its requests.
pub(crate) struct Shared {
    pub(crate) spec: Arc<Spec>,
    pub(crate) plans: Vec<Plan>,
    pub(crate) schemes: Schemes,
    credentials: HashMap<String, Vec<String>>,
    authenticate: Option<Authenticate>,
    pub(crate) errors: Arc<dyn ErrorShape>,
    pub(crate) handlers: HashMap<usize, Handler>,
    pub(crate) intercepts: Vec<Intercept>,
    pub(crate) extra_routes: Vec<(String, ExtraRoute)>,
    pub(crate) max_body_bytes: usize,
    addr: SocketAddr,
    pub(crate) base_url: String,
    pub(crate) requests: Mutex<Vec<Recorded>>,
}

impl Shared {
    /// Whether `value` is a credential the fake takes for `scheme`.
    pub(crate) fn accepts(&self, scheme: &str, value: &str) -> bool {
        if value.is_empty() {
            return false;
        }
        let configured = self.credentials.get(scheme);
        let listed = configured.is_some_and(|values| {
            values
                .iter()
                .any(|expected| constant_time_eq(expected.as_bytes(), value.as_bytes()))
        });
        let approved = || {
            self.authenticate
                .as_ref()
                .is_some_and(|check| check(&Credential::new(scheme, value)))
        };
        listed || approved() || (configured.is_none() && self.authenticate.is_none())
    }
}

/// A fake serving on `127.0.0.1`; dropping it stops the server (connections in flight
/// finish).
pub struct RunningFake {
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl fmt::Debug for RunningFake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunningFake")
            .field("addr", &self.shared.addr)
            .finish_non_exhaustive()
    }
}

impl RunningFake {
    /// The base URL, `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The socket address the fake listens on.
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// The document.
    pub fn spec(&self) -> &Spec {
        &self.shared.spec
    }

    /// Every request answered so far, oldest first.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.requests).clone()
    }

    /// Every request answered so far, oldest first, forgetting them.
    pub fn take_requests(&self) -> Vec<Recorded> {
        std::mem::take(&mut *lock(&self.shared.requests))
    }

    /// What the fake cannot serve faithfully: see [`FakeApi::limits`].
    pub fn limits(&self) -> Vec<Limit> {
        limits(&self.shared.plans, &self.shared.handlers)
    }
}

impl Drop for RunningFake {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // Fails only if the server is already gone, which is fine.
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            // The thread ends once its server has shut down; a panic there is not ours.
            let _ = thread.join();
        }
    }
}

/// Every plan's limits, but an unservable answer where a handler writes it.
fn limits(plans: &[Plan], handlers: &HashMap<usize, Handler>) -> Vec<Limit> {
    plans
        .iter()
        .enumerate()
        .flat_map(|(index, plan)| {
            let handled = handlers.contains_key(&index);
            plan.limits
                .iter()
                .filter(move |limit| !(handled && limit.kind == LimitKind::Answer))
                .cloned()
        })
        .collect()
}

/// A poisoned lock only means a handler panicked mid-update; the data stays usable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
