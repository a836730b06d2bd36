//! `#[askui_endpoints]` on a trait: a const listing the endpoints of its methods.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{ItemTrait, Meta, TraitItem};

use crate::attr;
use crate::ctxt::Errors;
use crate::expand::const_ident;
use crate::path;

// Input:
//     #[askui_endpoints]
//     trait Billing { #[askui_endpoint(post, "…")] async fn create_session(…); … }
// Output:
//     trait Billing {
//         #[askui_endpoint(post, "…")] async fn create_session(…); …
//         const ENDPOINTS: &'static [Endpoint] = &[Self::CREATE_SESSION, …];
//     }
pub fn endpoints(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    if !args.is_empty() {
        errors.spanned(&args, "#[askui_endpoints] takes no arguments");
    }
    let mut item = match syn::parse2::<ItemTrait>(input.clone()) {
        Ok(item) => item,
        Err(_) => {
            let item_span = input
                .clone()
                .into_iter()
                .next()
                .map_or_else(Span::call_site, |token| token.span());
            errors.at(
                item_span,
                "#[askui_endpoints] goes on a trait whose methods use #[askui_endpoint]",
            );
            let error = errors.finish().err().map(syn::Error::into_compile_error);
            return quote!(#error #input);
        }
    };
    let listed = item.items.iter().filter_map(|trait_item| {
        let TraitItem::Fn(method) = trait_item else {
            return None;
        };
        let attribute = method.attrs.iter().find(|attr| {
            attr.path()
                .segments
                .last()
                .is_some_and(|segment| segment.ident == "askui_endpoint")
        })?;
        // Only methods whose attribute is valid get the associated const; the method's own
        // expansion reports the others.
        let Meta::List(list) = &attribute.meta else {
            return None;
        };
        let mut scratch = Errors::default();
        let args = attr::parse(list.tokens.clone(), &mut scratch);
        args.method.as_ref()?;
        path::parse(args.path.as_ref()?, &mut scratch)?;
        scratch.finish().ok()?;
        Some(const_ident(&method.sig.ident))
    });
    let listed: Vec<_> = listed.collect();
    let doc = format!(
        " The endpoints of this trait's {} `#[askui_endpoint]` methods, in declaration order.",
        listed.len()
    );
    item.items.push(syn::parse_quote! {
        #[doc = #doc]
        const ENDPOINTS: &'static [::askui_runtime::__private::Endpoint] = &[#(Self::#listed),*];
    });
    let error = errors.finish().err().map(syn::Error::into_compile_error);
    quote!(#error #item)
}
