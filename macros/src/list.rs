//! `#[askui_endpoints]` on a trait: a const listing the endpoints of its methods.

use proc_macro2::{Ident, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::parse::{ParseStream, Parser};
use syn::{GenericParam, ItemTrait, Meta, Token, TraitItem};

use crate::attr;
use crate::ctxt::Errors;
use crate::expand::{self, const_ident, is_endpoint_attr, token_spans, with_errors};
use crate::fallback;
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
    let TraitArgs { blocking, headers } = trait_args(args, &mut errors);
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
    give_hidden_options(&mut item, headers.as_ref());
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
    let twin = blocking.map(|blocking| blocking_twin(&item, &blocking));
    item.items.push(endpoints_const(&listed));
    with_errors(quote!(#item #twin), errors)
}

/// `#[askui_endpoints]`'s own arguments: `blocking`, `headers("Name" = "value", …)`.
struct TraitArgs {
    blocking: Option<Ident>,
    /// The `headers(…)` group's tokens, every pair valid, for the methods' attributes.
    headers: Option<TokenStream>,
}

const TRAIT_USAGE: &str = "expected `#[askui_endpoints]`, `#[askui_endpoints(blocking)]`, `#[askui_endpoints(headers(\"Name\" = \"value\"))]` or both, comma-separated";

fn trait_args(args: TokenStream, errors: &mut Errors) -> TraitArgs {
    let parser = |input: ParseStream| {
        let mut parsed = TraitArgs {
            blocking: None,
            headers: None,
        };
        while !input.is_empty() {
            let key = input.call(<Ident as syn::ext::IdentExt>::parse_any)?;
            match key.to_string().as_str() {
                "blocking" if parsed.blocking.is_none() => parsed.blocking = Some(key),
                "headers" if parsed.headers.is_none() => {
                    let group = input.fork().parse::<proc_macro2::Group>()?;
                    let mut scratch = Errors::default();
                    crate::attr::parse_headers(input, &key, &mut scratch);
                    // Handed on only when every pair is valid: the errors are reported
                    // once, here, not again at each method.
                    match scratch.finish() {
                        Ok(()) => parsed.headers = Some(group.stream()),
                        Err(error) => errors.push(error),
                    }
                }
                _ => return Err(syn::Error::new(key.span(), TRAIT_USAGE)),
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(parsed)
    };
    match parser.parse2(args) {
        Ok(parsed) => parsed,
        Err(error) => {
            errors.at(error.span(), TRAIT_USAGE);
            TraitArgs {
                blocking: None,
                headers: None,
            }
        }
    }
}

/// Adds to each `#[askui_endpoint(…)]` of `item` the hidden options its expansion reads:
/// the trait's headers, merged under the method's own `headers(…)`, and the trait's generic
/// parameters, without which a method cannot tell whether its types name one (see
/// `expand::generate`). The generics only where the attribute parses without a mistake, so
/// that a malformed one is reported as written.
fn give_hidden_options(item: &mut ItemTrait, headers: Option<&TokenStream>) {
    let span = proc_macro2::Span::call_site();
    let headers = headers.map(|headers| {
        let option = Ident::new(attr::TRAIT_HEADERS, span);
        quote!(#option(#headers))
    });
    let generics = {
        let option = Ident::new(attr::TRAIT_GENERICS, span);
        let names = item.generics.params.iter().map(|param| match param {
            GenericParam::Type(param) => param.ident.to_token_stream(),
            GenericParam::Lifetime(param) => param.lifetime.to_token_stream(),
            GenericParam::Const(param) => param.ident.to_token_stream(),
        });
        quote!(#option(#(#names),*))
    };
    for trait_item in &mut item.items {
        let TraitItem::Fn(method) = trait_item else {
            continue;
        };
        for attribute in &mut method.attrs {
            if !is_endpoint_attr(attribute) {
                continue;
            }
            // An empty `#[askui_endpoint()]` is left as it is, for its own error.
            if let Meta::List(list) = &mut attribute.meta
                && !list.tokens.is_empty()
            {
                let mut scratch = Errors::default();
                attr::parse(list.tokens.clone(), &mut scratch);
                let parses = scratch.finish().is_ok();
                for option in headers.iter().chain(parses.then_some(&generics)) {
                    let ends_with_comma = matches!(
                        list.tokens.clone().into_iter().last(),
                        Some(proc_macro2::TokenTree::Punct(punct)) if punct.as_char() == ','
                    );
                    let comma = (!ends_with_comma).then(|| quote!(,));
                    list.tokens.extend(quote!(#comma #option));
                }
            }
        }
    }
}

// Input:
//     #[askui_endpoints(blocking)]
//     pub trait Billing: AsRef<Client> { #[askui_endpoint(…)] async fn create_session(…) -> …; }
// Output, beside the trait:
//     pub trait BlockingBilling: AsRef<blocking::Client> {
//         #[askui_endpoint(…)] fn create_session(…) -> …;
//         const ENDPOINTS: &'static [Endpoint] = …;
//     }
/// The same endpoint methods, declared without `async`, so each expands to a blocking call.
/// Other items of the trait are not copied: they may name async methods. A method with
/// mistakes gets only a placeholder here, so that its errors are reported once, by the
/// original.
fn blocking_twin(item: &ItemTrait, blocking: &Ident) -> ItemTrait {
    let mut twin = item.clone();
    twin.ident = format_ident!("Blocking{}", item.ident, span = item.ident.span());
    let doc = format!(
        " The blocking twin of [`{}`]: the same endpoints, as calls that wait for their answer (implement it for `askui_runtime::blocking::Client`).",
        item.ident
    );
    twin.attrs = vec![syn::parse_quote!(#[doc = #doc])];
    twin.supertraits =
        syn::parse_quote!(::core::convert::AsRef<::askui_runtime::__private::BlockingClient>);
    twin.colon_token = Some(Default::default());
    let mut listed = Vec::new();
    twin.items = item
        .items
        .iter()
        .filter_map(|trait_item| {
            let TraitItem::Fn(method) = trait_item else {
                return None;
            };
            let attribute = method.attrs.iter().find(|attr| is_endpoint_attr(attr))?;
            let mut method = method.clone();
            method.sig.asyncness = None;
            // Errors about the method being blocking (no `blocking` feature in the runtime)
            // point at `blocking`, which made it so, not at the original's `async fn`.
            method.sig.fn_token.span = blocking.span();
            let args = match &attribute.meta {
                Meta::List(list) => list.tokens.clone(),
                _ => TokenStream::new(),
            };
            if expand::has_mistakes(args, &method) {
                method.attrs.retain(|attr| !is_endpoint_attr(attr));
                return Some(TraitItem::Fn(fallback::placeholder(&method)));
            }
            listed.push(const_ident(&method.sig.ident));
            Some(TraitItem::Fn(method))
        })
        .collect();
    twin.items.push(endpoints_const(&listed));
    twin
}

/// `const ENDPOINTS`, listing the associated consts of `listed`.
fn endpoints_const(listed: &[Ident]) -> TraitItem {
    let doc = format!(
        " The endpoints of this trait's {} `#[askui_endpoint]` methods, in declaration order.",
        listed.len()
    );
    syn::parse_quote! {
        #[doc = #doc]
        const ENDPOINTS: &'static [::askui_runtime::__private::Endpoint] = &[#(Self::#listed),*];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each method of `#[askui_endpoints(args)] trait_` (and of its blocking twin), expanded,
    /// with whether its call is the nested `fn`, generated once in the declaring crate.
    fn nested(args: TokenStream, trait_: TokenStream) -> Vec<(String, bool)> {
        let file: syn::File = syn::parse2(endpoints(args, trait_)).unwrap();
        let mut found = Vec::new();
        for item in file.items {
            let syn::Item::Trait(item) = item else {
                continue;
            };
            for trait_item in item.items {
                let TraitItem::Fn(mut method) = trait_item else {
                    continue;
                };
                let Some(at) = method.attrs.iter().position(is_endpoint_attr) else {
                    continue;
                };
                let Meta::List(list) = method.attrs.remove(at).meta else {
                    panic!("an attribute without arguments");
                };
                let expanded = expand::endpoint(list.tokens, method.to_token_stream());
                let name = format!("{}::{}", item.ident, method.sig.ident);
                // The async form nests the reading, the blocking twin the whole call.
                let expanded = expanded.to_string();
                let nested =
                    expanded.contains("fn __askui_read") || expanded.contains("fn __askui_call");
                found.push((name, nested));
            }
        }
        found
    }

    #[test]
    fn only_calls_whose_types_name_no_generic_parameter_are_nested() {
        let found = nested(
            quote!(blocking),
            quote! {
                pub trait Api<'t, T: Serialize, const N: usize>: AsRef<Client> {
                    type Item;
                    #[askui_endpoint(get, "/a")]
                    async fn plain(&self, #[query] q: Option<u32>) -> Result<Dto, Error>;
                    #[askui_endpoint(get, "/b/<id>")]
                    async fn borrowed<'a>(&self, id: &'a str, #[query] q: &[&str]) -> Result<(), MyError>
                    where 'a: 'static;
                    #[askui_endpoint(post, "/c")]
                    async fn trait_type(&self, body: &T) -> Result<(), Error>;
                    #[askui_endpoint(get, "/d/<id>")]
                    async fn trait_lifetime(&self, id: &'t str) -> Result<(), Error>;
                    #[askui_endpoint(get, "/e/<id>")]
                    async fn trait_const(&self, id: Tag<N>) -> Result<(), Error>;
                    #[askui_endpoint(get, "/f")]
                    async fn method_type<R: DeserializeOwned>(&self) -> Result<R, Error>;
                    #[askui_endpoint(get, "/g/<id>")]
                    async fn method_const<const M: u8>(&self, id: Tag<M>) -> Result<(), Error>;
                    #[askui_endpoint(get, "/h")]
                    async fn self_type(&self) -> Result<Self::Item, Error>;
                    #[askui_endpoint(get, "/i/<id>")]
                    async fn impl_trait(&self, id: impl Display) -> Result<(), Error>;
                    #[askui_endpoint(get, "/j")]
                    async fn macro_type(&self) -> Result<my_type!(), Error>;
                    #[askui_endpoint(get, "/k")]
                    async fn alias(&self) -> Result<Dto>;
                }
            },
        );
        let nested: Vec<&str> = found
            .iter()
            .filter(|(_, nested)| *nested)
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(
            nested,
            [
                "Api::plain",
                "Api::borrowed",
                "Api::alias",
                "BlockingApi::plain",
                "BlockingApi::borrowed",
                "BlockingApi::alias",
            ]
        );
        assert_eq!(found.len(), 22);
    }

    #[test]
    fn without_askui_endpoints_the_call_is_not_nested() {
        let method = quote!(
            async fn plain(&self) -> Result<Dto, Error>;
        );
        let expanded = expand::endpoint(quote!(get, "/a"), method).to_string();
        assert!(!expanded.contains("__askui_call"), "{expanded}");
        assert!(!expanded.contains("__askui_read"), "{expanded}");
    }

    #[test]
    fn a_malformed_attribute_gets_no_generics_option() {
        let output = endpoints(
            TokenStream::new(),
            quote! {
                trait Api {
                    #[askui_endpoint(get)]
                    async fn a(&self) -> Result<(), Error>;
                    #[askui_endpoint(get, "/b")]
                    async fn b(&self) -> Result<(), Error>;
                }
            },
        )
        .to_string();
        assert_eq!(output.matches(attr::TRAIT_GENERICS).count(), 1, "{output}");
    }
}
