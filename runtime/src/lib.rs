//! The runtime of `askui-endpoint`: declare HTTP endpoints as trait methods with
//! [`#[askui_endpoint]`](askui_endpoint), implement the trait for [`Client`], call them.
//!
//! ```no_run
//! use askui_runtime::{askui_endpoint, Auth, Client, Error};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize)]
//! #[serde(rename_all = "camelCase")]
//! pub struct CreateCustomerPortalSessionRequestDto { pub return_url: String }
//!
//! #[derive(Deserialize)]
//! #[serde(rename_all = "camelCase")]
//! pub struct CreateCustomerPortalSessionResponseDto { pub session_url: String }
//!
//! pub trait Billing {
//!     #[askui_endpoint(post, "/api/v1/workspaces/<workspace_id>/billing/customer-portal-session")]
//!     async fn create_customer_portal_session(&self, workspace_id: &str,
//!         body: &CreateCustomerPortalSessionRequestDto)
//!         -> Result<CreateCustomerPortalSessionResponseDto, Error>;
//! }
//! impl Billing for Client {}
//!
//! # async fn run() -> Result<(), Error> {
//! let client = Client::builder()
//!     .base_url("https://workspaces.askui.com")
//!     .auth(Auth::bearer("my-token"))
//!     .build()?;
//! let body = CreateCustomerPortalSessionRequestDto { return_url: "https://example.com/back".into() };
//! match client.create_customer_portal_session("3f0c…", &body).await {
//!     Ok(session) => println!("open {}", session.session_url),
//!     Err(error) if error.status() == Some(askui_runtime::StatusCode::NOT_FOUND) => {
//!         println!("no billing details: {}", error.detail().unwrap_or_default())
//!     }
//!     Err(error) => return Err(error),
//! }
//! # Ok(()) }
//! ```
//!
//! The attribute's grammar and argument roles are documented on [`askui_endpoint`];
//! [`askui_endpoints`] on the trait adds `const ENDPOINTS: &'static [Endpoint]` listing them.
//!
//! # Beyond JSON
//!
//! Query parameters, headers, form and multipart bodies, raw and streamed bodies, downloads,
//! per-call options and multi-segment paths are each one attribute on an argument; the `Ok`
//! type says how the answer is read ([`FromResponse`]):
//!
//! ```no_run
//! use askui_runtime::{askui_endpoint, ByteStream, CallOptions, Client, Error, Multipart, Response};
//! use serde::Serialize;
//!
//! #[derive(Serialize, Default)]
//! pub struct ListAgentsQuery { pub agent_id: Vec<uuid::Uuid>, pub limit: Option<u32> }
//!
//! pub trait Files {
//!     #[askui_endpoint(get, "/api/v1/agents")]
//!     async fn list_agents(&self, #[query(flatten)] query: &ListAgentsQuery,
//!         #[header("X-Request-Id")] request_id: Option<&str>) -> Result<serde_json::Value, Error>;
//!
//!     #[askui_endpoint(put, "/api/v1/files/<file_path..>", timeout = "10m")]
//!     async fn upload_file(&self, file_path: &str, #[query] strict: Option<bool>,
//!         #[multipart] file: Multipart) -> Result<Response<serde_json::Value>, Error>;
//!
//!     #[askui_endpoint(get, "/downloads/<file_path..>")]
//!     async fn download(&self, file_path: &str, #[options] options: Option<CallOptions>)
//!         -> Result<ByteStream, Error>;
//! }
//! impl Files for Client {}
//!
//! # async fn run(client: Client) -> Result<(), Error> {
//! let form = Multipart::new().file("file", "screenshots/login.png"); // streamed from disk
//! let created = client.upload_file("workspaces/w1/runs/login.png", None, form).await?;
//! println!("{} {:?}", created.status, created.headers.get("location"));
//! let bytes = client.download("workspaces/w1/report.pdf", None).await?.save("report.pdf").await?;
//! # Ok(()) }
//! ```
//!
//! A link an API hands out, such as a signed download URL on another origin, is fetched with
//! [`Client::download_url`]: streamed as a [`ByteStream`], without the client's credentials,
//! and with the URL's query (its signature) kept out of every error.
//!
//! A long upload or download reports its progress (bytes moved, the total when known) to a
//! callback or to watches the caller polls: [`Progress`], attached to an upload with
//! [`CallOptions::upload_progress`] and to a download with [`ByteStream::progress`].
//!
//! With the `blocking` feature, a method declared without `async` is a blocking call through
//! `askui_runtime::blocking::Client` (see the `blocking` module).
//!
//! # A type of your own
//!
//! Generated methods reach the client through `AsRef<Client>`, so a wrapper works too:
//!
//! ```
//! # use askui_runtime::{askui_endpoint, Client, Error};
//! # pub trait Billing {
//! #     #[askui_endpoint(get, "/api/v1/workspaces/{workspace_id}/billing/prices")]
//! #     async fn list_prices(&self, workspace_id: u32) -> Result<serde_json::Value, Error>;
//! # }
//! struct MyApp { askui: Client, /* … */ }
//! impl AsRef<Client> for MyApp { fn as_ref(&self) -> &Client { &self.askui } }
//! impl Billing for MyApp {}
//! ```
//!
//! # TLS
//!
//! HTTPS goes through reqwest. With the default feature `default-tls` that is rustls, with the
//! aws-lc-rs crypto provider, checking certificates against the platform's roots; feature
//! `native-tls` uses the platform's TLS library instead. A CA of your own is trusted with
//! [`ClientBuilder::tls_certs_merge`] (or, alone, [`ClientBuilder::tls_certs_only`]); a
//! certificate the client does not trust fails the call with
//! [`ErrorKind::Connect`] before any request is sent.
//!
//! # Errors
//!
//! Every method returns [`Error`]: [`Error::kind`] says what went wrong, [`Error::status`]
//! and [`Error::body`] describe an error response (FastAPI's 422 through
//! [`Error::validation`]). Arguments are checked before any I/O.

#![warn(missing_docs)]

// The call's pipeline, a module per stage, in the order a call goes through them:
// `request` (the arguments, into a `call::Call`), `url`, `retry` (the loop), `attempt` (one
// request: the `credentials` stage (fixed, or fetched from a provider; `auth` checks them), the `transport`, the `deadline`, the `redirect` rule,
// the status), `response` (reading the answer, `redact`ing an error's), and for a typed
// stream `lines` (JSON Lines) or `sse` with `event_stream` (server-sent events, which
// reconnect through `retry` again). `download` fetches
// a URL an API handed out through the same attempt. `paging` walks paged lists over any
// call. No module imports one before it.
mod attempt;
mod auth;
#[cfg(feature = "blocking")]
pub mod blocking;
mod body;
mod call;
mod client;
mod config;
mod credentials;
mod deadline;
mod download;
mod endpoint;
mod error;
mod event_stream;
mod in_place;
mod lines;
mod options;
pub mod paging;
mod progress;
mod query;
mod redact;
mod redirect;
mod request;
mod response;
mod retry;
mod retry_policy;
mod sse;
mod trace;
mod transport;
mod url;

pub use askui_macros::{askui_endpoint, askui_endpoints};
pub use auth::{Auth, DEFAULT_REFRESH_BEFORE, Token};
pub use body::{ByteStream, Bytes, IntoBody, IntoMultipart, Multipart, Part, RawBody};
pub use client::{
    Client, ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_READ_TIMEOUT, DEFAULT_TIMEOUT,
};
pub use endpoint::{BodyKind, Endpoint, PathPiece, QueryParam, ResponseKind};
pub use error::{Error, ErrorBody, ErrorKind, HttpValidationError, LocItem, ValidationError};
pub use event_stream::{Event, Sse};
/// The `http` types of an in-memory transport's requests and answers
/// ([`ClientBuilder::in_memory`]).
pub use http;
pub use http::{Method, StatusCode};
pub use lines::{DEFAULT_MAX_ITEM_BYTES, JsonLines};
pub use options::{AsCallOptions, CallOptions};
pub use progress::{Progress, ProgressWatch, Transferred};
/// The HTTP client underneath, for [`ClientBuilder::http_client`].
pub use reqwest;
/// The middleware crate whose `Middleware`s [`ClientBuilder::middleware`] takes.
#[cfg(feature = "middleware")]
pub use reqwest_middleware;
pub use response::{DEFAULT_MAX_ERROR_BODY_BYTES, FromResponse, RawResponse, Response};
pub use retry_policy::RetryPolicy;

/// What generated code names. Not public API: it changes with the macro, which is pinned
/// to this crate's exact version.
#[doc(hidden)]
pub mod __private {
    pub use crate::endpoint::EndpointDef;
    pub use crate::event_stream::event_stream;
    pub use crate::lines::json_lines;
    pub use crate::request::{Request, SendAs};
    pub use crate::response::read_answer;
    pub use crate::{
        BodyKind, Client, Endpoint, FromResponse, Method, PathPiece, QueryParam, ResponseKind,
    };
    pub use core::time::Duration;

    /// Named by blocking methods.
    #[cfg(feature = "blocking")]
    pub use crate::blocking::Client as BlockingClient;

    /// Invoked first in a blocking method's body (one declared without `async`), spanned at
    /// its `fn`: nothing with the `blocking` feature, the one error that says what to do
    /// without it.
    pub use crate::__askui_blocking_method as blocking_method;

    #[cfg(feature = "blocking")]
    #[doc(hidden)]
    #[macro_export]
    macro_rules! __askui_blocking_method {
        () => {};
    }

    #[cfg(not(feature = "blocking"))]
    #[doc(hidden)]
    #[macro_export]
    macro_rules! __askui_blocking_method {
        () => {
            ::core::compile_error! {
                "a method declared without `async` is a blocking call: add `async`, or enable askui-runtime's `blocking` feature"
            }
        };
    }

    /// Without the `blocking` feature, what a blocking method's body names in place of
    /// `blocking::Client`, so that `blocking_method!` is its only error. No value of it
    /// exists.
    #[cfg(not(feature = "blocking"))]
    pub enum BlockingClient {}

    #[cfg(not(feature = "blocking"))]
    impl AsRef<Client> for BlockingClient {
        fn as_ref(&self) -> &Client {
            match *self {}
        }
    }

    /// Sends a call built by a blocking method and waits for its answer
    /// (`blocking::Client`'s runtime runs it).
    pub fn blocking_call<R: Send + 'static>(
        client: &BlockingClient,
        request: Request,
        kind: ResponseKind,
        read: fn(crate::RawResponse) -> Result<R, crate::Error>,
    ) -> Result<R, crate::Error> {
        #[cfg(feature = "blocking")]
        return client.call(request, kind, read);
        #[cfg(not(feature = "blocking"))]
        {
            let _ = (request, kind, read);
            match *client {}
        }
    }
}
