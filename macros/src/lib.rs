//! The `#[askui_endpoint]` attribute. Use it through `askui_runtime`, which re-exports it and
//! holds everything the generated code calls; the documentation lives there too.

mod ast;
mod attr;
mod ctxt;
mod expand;
mod path;
mod valid;

use proc_macro::TokenStream;

/// Turns a trait method declaration into an HTTP call. See the `askui_runtime` crate.
#[proc_macro_attribute]
pub fn askui_endpoint(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::endpoint(args.into(), input.into()).into()
}
