//! The `#[askui_endpoint]` attribute. Use it through `askui_runtime`, which re-exports it and
//! holds everything the generated code calls; the documentation lives there too.

mod ast;
mod attr;
mod ctxt;
mod expand;
mod fallback;
mod list;
mod path;
mod valid;

use proc_macro::TokenStream;

/// Turns an `async fn` declaration in a trait into an HTTP call.
///
/// ```text
/// #[askui_endpoint(METHOD, "PATH")]
/// METHOD := get | post | put | patch | delete | head | options   (or upper case)
/// PATH   := "/…" with parameters written `<name>` or `{name}`
/// ```
///
/// - The first argument is `&self`; the client is reached through `AsRef<askui_runtime::Client>`.
/// - Every path parameter needs an argument of the same name whose type implements
///   `Display`; the value is percent-encoded as exactly one segment.
/// - On `post`, `put` and `patch` the one remaining argument is the JSON body
///   (`serde::Serialize`). `#[path]` and `#[body]` state an argument's role explicitly.
/// - The return type is `Result<T, E>` with `T: DeserializeOwned` (`()` for an empty body)
///   and `E: From<askui_runtime::Error>`.
///
/// The method becomes `fn … -> impl Future<Output = …> + Send`, and an associated const
/// named after it in upper case describes the endpoint (`askui_runtime::Endpoint`).
///
/// ```ignore
/// // Compiled and run as a doctest of `askui_runtime::Endpoint`; this crate cannot depend
/// // on the runtime that re-exports it.
/// use askui_runtime::{askui_endpoint, Client, Error};
///
/// pub trait Prices {
///     #[askui_endpoint(get, "/api/v1/workspaces/{workspace_id}/billing/prices")]
///     async fn list_prices(&self, workspace_id: &str) -> Result<serde_json::Value, Error>;
/// }
/// impl Prices for Client {}
///
/// assert_eq!(
///     <Client as Prices>::LIST_PRICES.to_string(),
///     "GET /api/v1/workspaces/{workspace_id}/billing/prices"
/// );
/// ```
#[proc_macro_attribute]
pub fn askui_endpoint(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::endpoint(args.into(), input.into()).into()
}

/// Adds `const ENDPOINTS: &'static [askui_runtime::Endpoint]` to a trait: the endpoints of
/// its `#[askui_endpoint]` methods in declaration order, so tools and tests can list them.
///
/// ```ignore
/// #[askui_endpoints]
/// pub trait Billing: AsRef<Client> {
///     #[askui_endpoint(post, "/api/v1/workspaces/<workspace_id>/billing/customer-portal-session")]
///     async fn create_customer_portal_session(&self, workspace_id: Uuid, body: &Dto) -> Result<Session, Error>;
/// }
///
/// for endpoint in <Client as Billing>::ENDPOINTS { println!("{endpoint}"); }
/// ```
#[proc_macro_attribute]
pub fn askui_endpoints(args: TokenStream, input: TokenStream) -> TokenStream {
    list::endpoints(args.into(), input.into()).into()
}
