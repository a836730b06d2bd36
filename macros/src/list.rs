//! `#[askui_endpoints]` on a trait: a const listing the endpoints of its methods.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{ItemTrait, Meta, TraitItem};

use crate::attr;
use crate::ctxt::Errors;
use crate::expand::{const_ident, is_endpoint_attr, token_spans, with_errors};
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
            errors.at(
                token_spans(&input).0,
                "#[askui_endpoints] goes on a trait whose methods use #[askui_endpoint]",
            );
            return with_errors(input, errors);
        }
    };
    let listed = item.items.iter().filter_map(|trait_item| {
        let TraitItem::Fn(method) = trait_item else {
            return None;
        };
        let attribute = method.attrs.iter().find(|attr| is_endpoint_attr(attr))?;
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
    with_errors(quote!(#item), errors)
}
