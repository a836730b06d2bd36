//! Writes the method. The expansion only describes the endpoint and hands the arguments to
//! `askui_runtime`; encoding, sending, decoding and errors live there.

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, Item, ReceiverKind, TraitItemFn, Type, WherePredicate};

use crate::ast::{self, Method};
use crate::attr::{self, HttpMethod};
use crate::ctxt::Errors;
use crate::path::{self, Template};
use crate::valid::{self, Roles};

pub fn endpoint(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = attr::parse(args, &mut errors);
    let mut item = match syn::parse2::<TraitItemFn>(input.clone()) {
        Ok(item) => item,
        Err(error) => return not_a_trait_method(input, error, errors),
    };
    // A second `#[askui_endpoint]` would otherwise expand on our output and complain about
    // the generated body and return type.
    item.attrs.retain(|attr| {
        let twice = is_endpoint_attr(attr);
        if twice {
            errors.spanned(
                attr,
                "a method is one endpoint: remove the second `#[askui_endpoint]`",
            );
        }
        !twice
    });
    if item.default.is_some() && !has_receiver(&item) {
        errors.spanned(
            &item.sig.ident,
            "#[askui_endpoint] goes on a method declaration in a trait, not on a free function",
        );
        return with_errors(quote!(#item), errors);
    }
    let method = Method::from_item(&item, &mut errors);
    let template = args
        .path
        .as_ref()
        .and_then(|literal| path::parse(literal, &mut errors));
    let roles = match (&args.method, &args.path, &template) {
        (Some((http_method, _)), Some(literal), Some(template)) => Some(valid::assign(
            *http_method,
            literal,
            template,
            &method,
            &mut errors,
        )),
        _ => None,
    };
    let description = match (&args.method, &template) {
        (Some((http_method, method_ident)), Some(template)) => Some(Description::new(
            &item.sig.ident,
            (*http_method, method_ident.span()),
            template,
        )),
        _ => None,
    };
    match (errors.finish(), description, roles) {
        (Ok(()), Some(description), Some(roles)) => generate(&item, &description, &method, &roles),
        (result, description, _) => {
            let error = result
                .err()
                .unwrap_or_else(|| syn::Error::new(Span::call_site(), attr::USAGE));
            fallback(&item, description.as_ref(), error)
        }
    }
}

/// The endpoint as data: the associated const's name and its value.
pub struct Description {
    pub const_ident: Ident,
    doc: String,
    value: TokenStream,
}

impl Description {
    pub fn new(
        name: &Ident,
        (http_method, method_span): (HttpMethod, Span),
        template: &Template,
    ) -> Self {
        let rt = quote!(::askui_runtime::__private);
        let name_str = name.to_string();
        let name_str = name_str.trim_start_matches("r#");
        let http_constant = format_ident!("{}", http_method.constant(), span = method_span);
        let template_str = &template.normalized;
        let param_names = &template.params;
        Description {
            const_ident: const_ident(name),
            doc: format!(
                " The endpoint of [`Self::{name_str}`]: `{} {template_str}`.",
                http_method.constant()
            ),
            value: quote! {
                #rt::Endpoint::new(
                    #name_str,
                    #rt::Method::#http_constant,
                    #template_str,
                    &[#(#param_names),*],
                )
            },
        }
    }

    /// The associated const, also emitted next to a method with errors in its signature, so
    /// that code naming it (e.g. `#[askui_endpoints]`) adds no follow-on error.
    fn associated_const(&self) -> TokenStream {
        let Description {
            const_ident,
            doc,
            value,
        } = self;
        quote! {
            #[doc = #doc]
            const #const_ident: ::askui_runtime::__private::Endpoint = #value;
        }
    }
}

/// `create_session` → `CREATE_SESSION`.
pub fn const_ident(method: &Ident) -> Ident {
    let name = method.to_string();
    format_ident!(
        "{}",
        name.trim_start_matches("r#").to_uppercase(),
        span = method.span()
    )
}

// Input:
//     async fn create_session(&self, workspace_id: Uuid, body: &Dto) -> Result<Session, Error>;
// Output:
//     const CREATE_SESSION: Endpoint = Endpoint::new("create_session", Method::POST, "/…/{workspace_id}/…", &["workspace_id"]);
//     fn create_session(&self, workspace_id: Uuid, body: &Dto) -> impl Future<Output = Result<Session, Error>> + Send
//     where Self: AsRef<Client>
//     {
//         const ENDPOINT: Endpoint = /* the same value */;
//         let mut request = Request::new(self.as_ref(), ENDPOINT);
//         request.path_param("workspace_id", &workspace_id);
//         request.json_body("body", &body);
//         async move { request.send::<Session>().await.map_err(From::from) }
//     }
fn generate(
    item: &TraitItemFn,
    description: &Description,
    method: &Method,
    roles: &Roles,
) -> TokenStream {
    let rt = quote!(::askui_runtime::__private);
    let sig = &item.sig;
    let name = &sig.ident;

    let attrs = item.attrs.iter();
    let generics = &sig.generics;
    let where_predicates = sig
        .generics
        .where_clause
        .as_ref()
        .map(|w| w.predicates.iter());
    let where_predicates = where_predicates.into_iter().flatten();
    let inputs = sig.inputs.iter().map(strip_role_attrs);
    let Some(output) = &method.output else {
        // `Method::from_item` reported it; only a complete method gets here.
        return fallback(
            item,
            Some(description),
            syn::Error::new(sig.span(), "missing return type"),
        );
    };
    let (return_type, ok_type) = (&output.result, &output.ok);

    // Locals carry the reserved `__askui_` prefix and the span of the user's tokens they
    // serve, so type errors point there. (Mixed-site hygiene would make rustc report an
    // unmet `T: Deserialize` twice.)
    let request = Ident::new("__askui_request", Span::call_site());
    let result = Ident::new("__askui_result", method.async_span);
    let endpoint_const = Ident::new("__ASKUI_ENDPOINT", Span::call_site());

    // Spanned at the argument's type, so "`Foo` doesn't implement `Display`" points there.
    let path_params = roles.path.iter().map(|arg| {
        let request = Ident::new("__askui_request", arg.ty.span());
        let name = arg.ident.to_string();
        let value = borrow_across(&arg.ident, &arg.ty);
        quote_spanned!(arg.ty.span()=> #request.path_param(#name, #value);)
    });
    let body = roles.body.map(|arg| {
        let request = Ident::new("__askui_request", arg.ty.span());
        let name = arg.ident.to_string();
        let value = borrow_across(&arg.ident, &arg.ty);
        quote_spanned!(arg.ty.span()=> #request.json_body(#name, #value);)
    });
    // Sent and awaited in one expression spanned at `T`: the unmet `DeserializeOwned` bound of
    // a `T` is then reported at `T`, not also at the `async` keyword.
    let send = {
        let request = Ident::new("__askui_request", ok_type.span());
        quote_spanned!(ok_type.span()=> #request.send::<#ok_type>().await)
    };
    // Spanned at `E`, so that "`E: From<askui_runtime::Error>` is not satisfied" points there.
    let (first, last) = token_spans(output.err.as_ref().unwrap_or(return_type));
    let from = Ident::new("from", last);
    let from = quote_spanned!(first=> ::core::convert::From::#from);
    let map_err = Ident::new("map_err", last);
    let map_err = quote_spanned!(first=> ::core::result::Result::#map_err);
    // The `async` keyword's span on the block, so a `Send` error points at the user's code.
    let async_block = quote_spanned! {method.async_span=>
        async move {
            let #result: #return_type = #map_err(#send, #from);
            #result
        }
    };

    let associated_const = description.associated_const();
    let endpoint = &description.value;

    quote! {
        #associated_const

        #(#attrs)*
        #[allow(clippy::manual_async_fn)]
        fn #name #generics (#(#inputs),*)
            -> impl ::core::future::Future<Output = #return_type> + ::core::marker::Send
        where
            Self: ::core::convert::AsRef<#rt::Client>,
            #(#where_predicates,)*
        {
            // Not `Self::CONST`, which an impl could override with another route.
            const #endpoint_const: #rt::Endpoint = #endpoint;
            let mut #request = #rt::Request::new(
                ::core::convert::AsRef::<#rt::Client>::as_ref(self),
                #endpoint_const,
            );
            #(#path_params)*
            #body
            #async_block
        }
    }
}

/// `&ident`, spanned from the first to the last token of `ty`: rustc underlines the whole
/// type (a joined `Span` would be only its first token on stable Rust).
fn borrow_across(ident: &Ident, ty: &Type) -> TokenStream {
    let (first, last) = token_spans(ty);
    let mut ident = ident.clone();
    ident.set_span(last);
    quote_spanned!(first=> &#ident)
}

pub fn token_spans(tokens: &impl ToTokens) -> (Span, Span) {
    let mut tokens = tokens.to_token_stream().into_iter();
    let first = tokens
        .next()
        .map_or_else(Span::call_site, |token| token.span());
    let last = tokens.last().map_or(first, |token| token.span());
    (first, last)
}

/// On error: the errors, plus the method with a placeholder body, so that `impl Trait for
/// Client {}` still compiles and the user sees only the real mistakes (thiserror's fallback).
fn fallback(
    item: &TraitItemFn,
    description: Option<&Description>,
    error: syn::Error,
) -> TokenStream {
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
    let error = error.into_compile_error();
    let associated_const = description.map(Description::associated_const);
    quote!(#error #associated_const #item)
}

fn not_a_trait_method(input: TokenStream, error: syn::Error, mut errors: Errors) -> TokenStream {
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

/// `#[askui_endpoint(…)]`, however the path to it is written.
pub fn is_endpoint_attr(attr: &syn::Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "askui_endpoint")
}

pub fn with_errors(tokens: TokenStream, errors: Errors) -> TokenStream {
    let error = errors.finish().err().map(syn::Error::into_compile_error);
    quote!(#error #tokens)
}

fn has_receiver(item: &TraitItemFn) -> bool {
    matches!(item.sig.inputs.first(), Some(FnArg::Receiver(_)))
}

fn strip_role_attrs(input: &FnArg) -> FnArg {
    let mut input = input.clone();
    if let FnArg::Typed(typed) = &mut input {
        typed.attrs.retain(|attr| !ast::is_role_attr(attr));
    }
    input
}
