//! What a method with mistakes expands to: the errors, plus the method with a placeholder
//! body, so that `impl Trait for Client {}` still compiles and the user sees only the real
//! mistakes (thiserror's `fallback.rs`).

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;
use syn::{FnArg, Item, ReceiverKind, TraitItemFn, WherePredicate};

use crate::ctxt::Errors;
use crate::expand::{Description, strip_role_attrs, token_spans, with_errors};

/// On error: the errors, plus the method with a placeholder body, so that `impl Trait for
/// Client {}` still compiles and the user sees only the real mistakes (thiserror's fallback).
pub fn method(
    item: &TraitItemFn,
    description: Option<&Description>,
    error: syn::Error,
) -> TokenStream {
    let item = placeholder(item);
    let error = error.into_compile_error();
    let associated_const = description.map(Description::associated_const);
    quote!(#error #associated_const #item)
}

/// The method as declared, with a body that compiles whatever its mistakes: role attributes
/// removed, and nothing rustc would add an error about.
pub fn placeholder(item: &TraitItemFn) -> TraitItemFn {
    let mut item = item.clone();
    for input in &mut item.sig.inputs {
        *input = strip_role_attrs(input);
    }
    // Already reported; rustc would add "functions in traits cannot be declared const".
    item.sig.constness = None;
    // A placeholder body taking `self` by value needs `Self: Sized`, or rustc adds an error.
    let by_value = match item.sig.inputs.first() {
        Some(FnArg::Receiver(receiver)) => !matches!(receiver.kind, ReceiverKind::Reference(..)),
        _ => false,
    };
    if by_value {
        let sized: WherePredicate = syn::parse_quote!(Self: ::core::marker::Sized);
        item.sig.generics.make_where_clause().predicates.push(sized);
    }
    if item.default.is_none() {
        item.default = Some(syn::parse_quote!({ ::core::unimplemented!() }));
        item.semi_token = None;
    }
    item.attrs
        .push(syn::parse_quote!(#[allow(unused_variables, async_fn_in_trait)]));
    item
}

pub fn not_a_trait_method(
    input: TokenStream,
    error: syn::Error,
    mut errors: Errors,
) -> TokenStream {
    let message = "#[askui_endpoint] goes on a method declaration in a trait: `async fn name(&self, …) -> Result<T, askui_runtime::Error>;`";
    match syn::parse2::<Item>(input.clone()) {
        Ok(Item::Fn(function)) if function.sig.receiver().is_some() => errors.spanned(
            &function.sig.ident,
            "#[askui_endpoint] goes on a method declaration in a trait, not on a method of an `impl` block",
        ),
        Ok(Item::Fn(function)) => errors.spanned(
            &function.sig.ident,
            "#[askui_endpoint] goes on a method declaration in a trait, not on a free function",
        ),
        Ok(item) => errors.at(token_spans(&item).0, message),
        // Rust syntax that syn rejects, such as `self` after another argument: say where.
        Err(_) => {
            errors.push(error);
            return with_errors(placeholder_body(input), errors);
        }
    }
    with_errors(input, errors)
}

/// `fallback` for a method syn cannot parse: its `;` replaced with a body, so that an empty
/// `impl Trait for Client {}` adds no "missing `name`" error.
fn placeholder_body(input: TokenStream) -> TokenStream {
    let mut tokens: Vec<TokenTree> = input.into_iter().collect();
    let is_fn = tokens
        .iter()
        .any(|token| matches!(token, TokenTree::Ident(ident) if ident == "fn"));
    match tokens.last() {
        Some(TokenTree::Punct(semi)) if is_fn && semi.as_char() == ';' => {
            tokens.pop();
            quote! {
                #[allow(unused_variables, async_fn_in_trait)]
                #(#tokens)* { ::core::unimplemented!() }
            }
        }
        _ => tokens.into_iter().collect(),
    }
}
