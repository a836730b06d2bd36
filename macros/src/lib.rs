//! The `#[askui_endpoint]` attribute. Use it through `askui_runtime`, which re-exports it and
//! holds everything the generated code calls; the documentation lives there too.

mod ast;
mod attr;
mod ctxt;
mod expand;
mod fallback;
#[cfg(test)]
mod fuzz;
mod list;
mod path;
mod role;
mod valid;

use proc_macro::TokenStream;

/// Turns an `async fn` (or, for a blocking call, `fn`) declaration in a trait into an HTTP
/// call.
///
/// ```text
/// #[askui_endpoint(METHOD, "PATH" [, timeout = "5m"] [, idempotent = true])]
/// METHOD := get | post | put | patch | delete | head | options   (or upper case)
/// PATH   := "/…" with parameters written `<name>` or `{name}`, and `<name..>` (the whole
///           last segment) for a value that spans segments
/// ```
///
/// The first argument is `&self`; the client is reached through `AsRef<askui_runtime::Client>`
/// (`AsRef<askui_runtime::blocking::Client>` for a method without `async`). Every other
/// argument has one role:
///
/// | role | written on the argument | value |
/// |---|---|---|
/// | path parameter | named like `<name>` (or `#[path]`) | `Display`, encoded as one segment |
/// | renamed path parameter | `#[path("petId")]` for `<petId>`, `#[path("pet-id")]` for `{pet-id}` | the same; the template keeps `petId` |
/// | rest of the path | named like `<name..>` | `Display`; each `/`-separated part encoded |
/// | query | `#[query]`, `#[query("wireName")]` | `Serialize` scalar, `Option`, list (key repeated) |
/// | query fields | `#[query(flatten)]` | a `Serialize` struct, one parameter per field |
/// | header | `#[header("X-Name")]` | `Display`, or `Option<T>` (omitted when `None`) |
/// | JSON body | `#[body]`, or the one argument left on post/put/patch | `Serialize` |
/// | form body | `#[form]` | a `Serialize` struct |
/// | multipart body | `#[multipart]` | `askui_runtime::Multipart` |
/// | raw body | `#[body(content_type = "type/subtype")]` | `Vec<u8>`, `Bytes`, `ByteStream`, … |
/// | per-call options | `#[options]` | `CallOptions`, `Option<CallOptions>`, or a reference |
///
/// The return type is `Result<T, E>` with `E: From<askui_runtime::Error>`; `T` reads the
/// response through `askui_runtime::FromResponse`: any `DeserializeOwned` (JSON), `()`,
/// `Option<T>`, `Bytes`, `ByteStream`, `Response<T>`.
///
/// An async method becomes `fn … -> impl Future<Output = …> + Send`, and an associated const
/// named after it in upper case describes the endpoint (`askui_runtime::Endpoint`). Misuse
/// is a compile error at the offending token.
///
/// ```ignore
/// // Compiled and run as doctests of `askui_runtime`; this crate cannot depend on the runtime
/// // that re-exports it.
/// use askui_runtime::{askui_endpoint, Client, Error};
///
/// pub trait Prices {
///     #[askui_endpoint(get, "/api/v1/workspaces/{workspace_id}/billing/prices")]
///     async fn list_prices(&self, workspace_id: &str, #[query] currency: Option<&str>)
///         -> Result<serde_json::Value, Error>;
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
/// `#[askui_endpoints(blocking)]` also emits `Blocking<Trait>`: the same endpoint methods
/// without `async`, as blocking calls for `askui_runtime::blocking::Client` (needs the
/// runtime's `blocking` feature). Only the endpoint methods are copied, and the twin's only
/// supertrait is `AsRef<askui_runtime::blocking::Client>`.
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

/// The headers no `#[header("…")]` argument may set, as `&[(lower-case name, also refused
/// by CallOptions::header)]`: the runtime builds its own check from it, so the rule is
/// written once (`role::RESERVED_HEADERS`). Not public API.
#[doc(hidden)]
#[proc_macro]
pub fn __reserved_headers(input: TokenStream) -> TokenStream {
    if let Some(token) = proc_macro2::TokenStream::from(input).into_iter().next() {
        return syn::Error::new(token.span(), "`__reserved_headers!()` takes no arguments")
            .into_compile_error()
            .into();
    }
    let entries = role::RESERVED_HEADERS.iter().map(|reserved| {
        let (name, in_call_options) = (reserved.name, reserved.in_call_options);
        quote::quote!((#name, #in_call_options))
    });
    quote::quote!(&[#(#entries),*]).into()
}
