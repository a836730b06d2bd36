//! Writes the method. The expansion only describes the call and hands each argument to
//! `askui_runtime`; encoding, sending, reading and errors live there.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, TraitItemFn, Type};

use crate::ast::{self, Method};
use crate::attr::{self, HttpMethod, NamedOptions};
use crate::ctxt::Errors;
use crate::fallback;
use crate::path::{self, Piece, Template};
use crate::role::{Kind, Role, Value};
use crate::valid::{self, Endpoint, unraw};

pub fn endpoint(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = attr::parse(args, &mut errors);
    let mut item = match syn::parse2::<TraitItemFn>(input.clone()) {
        Ok(item) => item,
        Err(error) => return fallback::not_a_trait_method(input, error, errors),
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
    // What the associated const needs, also on error: code naming it (e.g.
    // `#[askui_endpoints]`) then adds no follow-on error.
    let description = match (&args.method, &template) {
        (Some((http_method, method_ident)), Some(template)) => Some(Description::new(
            &item.sig.ident,
            (*http_method, method_ident.span()),
            template,
            &args.options,
            &[],
        )),
        _ => None,
    };
    let endpoint = valid::validate(&args, template, &method, &mut errors);
    match (errors.finish(), endpoint) {
        (Ok(()), Some(endpoint)) => generate(&item, &endpoint),
        (result, _) => {
            let error = result
                .err()
                .unwrap_or_else(|| syn::Error::new(Span::call_site(), attr::USAGE));
            fallback::method(&item, description.as_ref(), error)
        }
    }
}

/// Whether `#[askui_endpoint(args)]` on `item` reports any mistake (parsed and checked as
/// `endpoint` does, with the messages dropped).
pub fn has_mistakes(args: TokenStream, item: &TraitItemFn) -> bool {
    let mut errors = Errors::default();
    let args = attr::parse(args, &mut errors);
    let method = Method::from_item(item, &mut errors);
    let template = args
        .path
        .as_ref()
        .and_then(|literal| path::parse(literal, &mut errors));
    let endpoint = valid::validate(&args, template, &method, &mut errors);
    endpoint.is_none() || errors.finish().is_err()
}

/// The endpoint as data: the associated const's name and its value.
pub struct Description {
    pub const_ident: Ident,
    doc: String,
    value: TokenStream,
    /// `.response(…)`, known only for a method that passed every check.
    response: Option<TokenStream>,
}

impl Description {
    fn new(
        name: &Ident,
        (http_method, method_span): (HttpMethod, Span),
        template: &Template,
        options: &NamedOptions,
        args: &[(Role, &ast::Arg)],
    ) -> Self {
        let rt = quote!(::askui_runtime::__private);
        let name_str = unraw(name);
        let http_constant = format_ident!("{}", http_method.constant(), span = method_span);
        let template_str = &template.normalized;
        let param_names = &template.params;
        let pieces = template.pieces.iter().map(|piece| match piece {
            Piece::Literal(text) => quote!(#rt::PathPiece::Literal(#text)),
            Piece::Param(name) => quote!(#rt::PathPiece::Param(#name)),
            Piece::Rest(name) => quote!(#rt::PathPiece::Rest(#name)),
        });
        let mut value = quote! {
            #rt::EndpointDef::new(
                #name_str,
                #rt::Method::#http_constant,
                #template_str,
                &[#(#pieces),*],
                &[#(#param_names),*],
            )
        };
        let query: Vec<TokenStream> = args
            .iter()
            .filter(|(role, _)| role.kind() == Kind::Query)
            .map(|(role, arg)| match role.wire_name(&arg.ident) {
                Some(name) => {
                    let repeated = valid::is_list(&arg.ty);
                    quote!(#rt::QueryParam::Named { name: #name, repeated: #repeated })
                }
                None => {
                    let type_name = type_name(&arg.ty);
                    quote!(#rt::QueryParam::Flatten { type_name: #type_name })
                }
            })
            .collect();
        if !query.is_empty() {
            value.extend(quote!(.query(&[#(#query),*])));
        }
        let headers: Vec<String> = args
            .iter()
            .filter(|(role, _)| role.kind() == Kind::Header)
            .filter_map(|(role, arg)| role.wire_name(&arg.ident))
            .collect();
        if !headers.is_empty() {
            value.extend(quote!(.headers(&[#(#headers),*])));
        }
        let body = args
            .iter()
            .find_map(|(role, _)| match (role.kind(), &role.value) {
                (Kind::Body, Value::ContentType(content_type)) => {
                    Some(quote!(#rt::BodyKind::Raw { content_type: #content_type }))
                }
                (Kind::Body, _) => Some(quote!(#rt::BodyKind::Json)),
                (Kind::Form, _) => Some(quote!(#rt::BodyKind::Form)),
                (Kind::Multipart, _) => Some(quote!(#rt::BodyKind::Multipart)),
                _ => None,
            });
        if let Some(body) = body {
            value.extend(quote!(.body(#body)));
        }
        let default_headers = merged_headers(options);
        if !default_headers.is_empty() {
            let pairs = default_headers
                .iter()
                .map(|(name, value)| quote!((#name, #value)));
            value.extend(quote!(.default_headers(&[#(#pairs),*])));
        }
        if let Some(ms) = options.timeout_ms {
            value.extend(quote!(.timeout(#rt::Duration::from_millis(#ms))));
        }
        if let Some(idempotent) = options.idempotent {
            value.extend(quote!(.idempotent(#idempotent)));
        }
        Description {
            const_ident: const_ident(name),
            doc: format!(
                " The endpoint of [`Self::{name_str}`]: `{} {template_str}`.",
                http_method.constant()
            ),
            value,
            response: None,
        }
    }

    /// The associated const, also emitted next to a method with errors in its signature.
    pub fn associated_const(&self) -> TokenStream {
        let Description {
            const_ident,
            doc,
            value,
            response,
        } = self;
        quote! {
            #[doc = #doc]
            const #const_ident: ::askui_runtime::__private::Endpoint = #value #response .build();
        }
    }
}

/// `create_session` → `CREATE_SESSION`.
pub fn const_ident(method: &Ident) -> Ident {
    format_ident!("{}", unraw(method).to_uppercase(), span = method.span())
}

// Input:
//     async fn create_session(&self, workspace_id: Uuid, #[query] expand: &[Expand], body: &Dto)
//         -> Result<Session, Error>;
// Output:
//     const CREATE_SESSION: Endpoint = EndpointDef::new("create_session", Method::POST, "/…/{workspace_id}/…",
//         &[PathPiece::Literal("/…/"), PathPiece::Param("workspace_id"), …], &["workspace_id"])
//         .query(&[QueryParam::Named { name: "expand", repeated: true }])
//         .body(BodyKind::Json)
//         .response(<Session as FromResponse>::KIND)
//         .build();
//     fn create_session(&self, workspace_id: Uuid, expand: &[Expand], body: &Dto)
//         -> impl Future<Output = Result<Session, Error>> + Send
//     where Self: AsRef<Client>
//     {
//         static ENDPOINT: Endpoint = /* the same, without the response kind */;
//         let mut request = Request::new(self.as_ref(), &ENDPOINT);
//         request.path_param("workspace_id", &workspace_id);
//         request.query("expand", &expand);
//         request.json_body("body", &body);
//         // The runtime's future, returned as the method's: no `async` block per method.
//         request.send_as(<Session as FromResponse>::KIND, <Session as FromResponse>::from_response,
//             From::from)
//     }
// In a trait with `#[askui_endpoints]`, when no type of the signature names `Self`, a generic
// parameter or `impl Trait`, what instantiates the DTOs' serde code is nested in plain
// functions, generated once in the declaring crate:
//     fn __askui_arguments(__askui_request: &mut Request, workspace_id: Uuid,
//         expand: &[Expand], body: &Dto) { /* the argument lines */ }
//     fn __askui_read(response: RawResponse) -> Result<Session, Error> {
//         <Session as FromResponse>::from_response(response)
//     }
// and the method makes the request, calls `__askui_arguments(&mut request, …)` and returns
// `request.send_as(<Session as FromResponse>::KIND, __askui_read, From::from)`. A blocking
// method nests its whole call, `fn __askui_call(client, …) -> Result<Session, E>`.
// A method declared without `async` returns the `Result` itself, through the blocking
// client: `blocking_call(client, request, <Session as FromResponse>::KIND, …::from_response)`, and
// maps its error with `From::from`.
fn generate(item: &TraitItemFn, endpoint: &Endpoint) -> TokenStream {
    let rt = quote!(::askui_runtime::__private);
    let sig = &item.sig;
    let name = &sig.ident;
    let output = endpoint.output;
    let (return_type, ok_type) = (&output.result, &output.ok);

    let mut description = Description::new(
        name,
        (endpoint.http_method, endpoint.method_span),
        &endpoint.template,
        endpoint.options,
        &endpoint.args,
    );
    // The associated const cannot name the method's own generic parameters.
    description.response = Some(if mentions_generics(ok_type, &sig.generics) {
        quote!(.response(#rt::ResponseKind::Generic))
    } else {
        quote!(.response(<#ok_type as #rt::FromResponse>::KIND))
    });
    let associated_const = description.associated_const();
    let route = &description.value;

    let attrs = item.attrs.iter();
    let generics = &sig.generics;
    let where_predicates = sig
        .generics
        .where_clause
        .as_ref()
        .map(|w| w.predicates.iter());
    let where_predicates = where_predicates.into_iter().flatten();
    let inputs = sig.inputs.iter().map(strip_role_attrs);

    // Locals carry the reserved `__askui_` prefix and the span of the user's tokens they
    // serve, so type errors point there. (Mixed-site hygiene would make rustc report an
    // unmet `T: Deserialize` twice.)
    let request = Ident::new("__askui_request", Span::call_site());
    let client = Ident::new("__askui_client", Span::call_site());
    let result = Ident::new("__askui_result", endpoint.async_span);
    let endpoint_const = Ident::new("__ASKUI_ENDPOINT", Span::call_site());

    let arguments: Vec<TokenStream> = endpoint
        .args
        .iter()
        .map(|(role, arg)| argument(role, arg, &endpoint.template))
        .collect();
    // Spanned at `E`, so that "`E: From<askui_runtime::Error>` is not satisfied" points there.
    let (first, last) = token_spans(output.err.as_ref().unwrap_or(return_type));
    let from = Ident::new("from", last);
    let from = quote_spanned!(first=> ::core::convert::From::#from);
    let map_err = Ident::new("map_err", last);
    let map_err = quote_spanned!(first=> ::core::result::Result::#map_err);
    // Spanned at `T`: the unmet `FromResponse` bound of a `T` is then reported at `T`, and
    // through the same `<T as FromResponse>` path as in the associated const, so rustc
    // reports it once.
    let (first, _) = token_spans(ok_type);
    let reader = quote_spanned!(first=> <#ok_type as #rt::FromResponse>);
    // In a trait with `#[askui_endpoints]`, whether the call's generic-free parts can be nested
    // in plain functions (see below).
    let nested = endpoint
        .options
        .trait_generics
        .as_ref()
        .is_some_and(|trait_generics| !generic_signature(endpoint, sig, trait_generics));
    // An async nested call reads the answer with its own plain `__askui_read`.
    let read = if nested && !endpoint.blocking {
        quote_spanned!(first=> __askui_read)
    } else {
        quote_spanned!(first=> #reader::from_response)
    };
    let send = {
        let request = Ident::new("__askui_request", ok_type.span());
        if endpoint.blocking {
            let client = Ident::new("__askui_client", ok_type.span());
            quote_spanned!(ok_type.span()=> #rt::blocking_call(#client, #request, #reader::KIND, #read))
        } else {
            quote_spanned!(ok_type.span()=> #request.send_as(#reader::KIND, #read, #from))
        }
    };

    // The async client the request is built on: a blocking client holds one.
    let async_client = if endpoint.blocking {
        quote!(::core::convert::AsRef::<#rt::Client>::as_ref(#client))
    } else {
        quote!(#client)
    };
    let (client_type, returns, body) = if endpoint.blocking {
        let client_type = quote!(#rt::BlockingClient);
        // Without the runtime's `blocking` feature, the error at `fn` that says so.
        let blocking_method =
            quote_spanned!(endpoint.async_span=> ::askui_runtime::__private::blocking_method!());
        let body = quote_spanned! {endpoint.async_span=>
            #blocking_method;
            let #result: #return_type = #map_err(#send, #from);
            #result
        };
        (client_type, quote!(#return_type), body)
    } else {
        // No `async` block of its own: the runtime's future is the method's, so that no
        // coroutine is generated per method.
        let body = send;
        let returns = quote! {
            impl ::core::future::Future<Output = #return_type> + ::core::marker::Send
        };
        (quote!(#rt::Client), returns, body)
    };

    // Not `Self::CONST`, which an impl could override with another route. A `static`, so
    // that the request holds a reference to it.
    let head = quote! {
        static #endpoint_const: #rt::Endpoint = #route.build();
        let mut #request = #rt::Request::new(#async_client, &#endpoint_const);
    };
    let as_ref = quote!(::core::convert::AsRef::<#client_type>::as_ref(self));
    let body = match nested {
        true => {
            // A default method is generic over `Self`, so rustc generates it in every crate
            // that calls it, with everything it instantiates (the arguments' and the answer's
            // serde code above all). A nested `fn` does not inherit the outer generics: when
            // no type of the signature names `Self` or a generic parameter, the call is one
            // plain function, generated once, in the crate that declares the trait; the
            // method only finds the client. (BENCHMARKS.md section 3, issue 16.)
            let lifetimes = sig.generics.lifetimes();
            let lifetime_predicates = sig.generics.where_clause.iter().flat_map(|clause| {
                clause
                    .predicates
                    .iter()
                    .filter(|predicate| matches!(predicate, syn::WherePredicate::Lifetime(_)))
            });
            let params = endpoint.args.iter().map(|(_, arg)| {
                let (ident, ty) = (&arg.ident, &arg.ty);
                quote!(#ident: #ty)
            });
            let passed = endpoint.args.iter().map(|(_, arg)| &arg.ident);
            if endpoint.blocking {
                quote! {
                    #[allow(clippy::too_many_arguments)]
                    fn __askui_call<#(#lifetimes),*>(#client: &#client_type, #(#params),*) -> #returns
                    where
                        #(#lifetime_predicates,)*
                    {
                        #head
                        #(#arguments)*
                        #body
                    }
                    __askui_call(#as_ref, #(#passed),*)
                }
            } else {
                // Two plain functions, generated once in the declaring crate: one hands the
                // arguments to the request (their serde code), one reads the answer (the `Ok`
                // type's). The request and its future are made here, in place, as before.
                let response = Ident::new("__askui_response", Span::call_site());
                quote! {
                    #[allow(clippy::too_many_arguments)]
                    fn __askui_arguments<#(#lifetimes),*>(#request: &mut #rt::Request, #(#params),*)
                    where
                        #(#lifetime_predicates,)*
                    {
                        #(#arguments)*
                    }
                    fn __askui_read(#response: ::askui_runtime::RawResponse)
                        -> ::core::result::Result<#ok_type, ::askui_runtime::Error>
                    {
                        #reader::from_response(#response)
                    }
                    let #client = #as_ref;
                    #head
                    __askui_arguments(&mut #request, #(#passed),*);
                    #body
                }
            }
        }
        false => quote! {
            let #client = #as_ref;
            #head
            #(#arguments)*
            #body
        },
    };

    quote! {
        #associated_const

        #(#attrs)*
        #[allow(clippy::manual_async_fn)]
        fn #name #generics (#(#inputs),*) -> #returns
        where
            Self: ::core::convert::AsRef<#client_type>,
            #(#where_predicates,)*
        {
            #body
        }
    }
}

/// Whether an argument's type or the return type names `Self`, a generic type or const
/// parameter of the trait (`trait_generics`) or of the method, a lifetime parameter of the
/// trait, or an `impl Trait`: a nested `fn` could not name them (or would be generic
/// itself). A macro in type position counts as naming them (it might expand to one).
/// Lifetime parameters of the method are fine: the nested `fn` declares them again.
fn generic_signature(
    endpoint: &Endpoint,
    sig: &syn::Signature,
    trait_generics: &attr::GenericNames,
) -> bool {
    let mut types: Vec<&Ident> = trait_generics.types.iter().collect();
    types.extend(sig.generics.type_params().map(|param| &param.ident));
    types.extend(sig.generics.const_params().map(|param| &param.ident));
    let lifetimes: Vec<&Ident> = trait_generics.lifetimes.iter().collect();
    let names = |tokens: TokenStream| names_any(tokens, &types, &lifetimes);
    endpoint
        .args
        .iter()
        .any(|(_, arg)| names(arg.ty.to_token_stream()))
        || names(sig.output.to_token_stream())
}

/// Whether `tokens` (inside groups too) name `Self`, `impl`, one of `types` or one of
/// `lifetimes` (`'a` is the punct `'` and the ident `a`), or hold a `!`.
fn names_any(tokens: TokenStream, types: &[&Ident], lifetimes: &[&Ident]) -> bool {
    let mut after_quote = false;
    for token in tokens {
        let found = match &token {
            proc_macro2::TokenTree::Ident(ident) if after_quote => lifetimes.contains(&ident),
            proc_macro2::TokenTree::Ident(ident) => {
                ident == "Self" || ident == "impl" || types.contains(&ident)
            }
            proc_macro2::TokenTree::Group(group) => names_any(group.stream(), types, lifetimes),
            proc_macro2::TokenTree::Punct(punct) => punct.as_char() == '!',
            proc_macro2::TokenTree::Literal(_) => false,
        };
        if found {
            return true;
        }
        after_quote =
            matches!(&token, proc_macro2::TokenTree::Punct(punct) if punct.as_char() == '\'');
    }
    false
}

/// One line handing an argument to the request, spanned at the argument's type so that
/// "`Foo` doesn't implement `Display`" points there: the one arm per role.
fn argument(role: &Role, arg: &ast::Arg, template: &Template) -> TokenStream {
    let span = arg.ty.span();
    let request = Ident::new("__askui_request", span);
    let borrowed = borrow_across(&arg.ident, &arg.ty);
    // Passed by value with the user's own type as the turbofish, so an unmet bound is
    // reported across the whole type; `impl Trait` cannot be named there.
    let moved = &arg.ident;
    let ty = &arg.ty;
    let turbofish = (!mentions_impl(ty)).then(|| quote!(::<#ty>));
    let arg_name = unraw(&arg.ident);
    let wire_name = role.wire_name(&arg.ident);
    // A path parameter goes by the template's name: `#[path("petId")] pet_id` fills `<petId>`.
    let is_rest = wire_name
        .as_deref()
        .is_some_and(|name| template.is_rest(name));
    match (role.kind(), &role.value) {
        (Kind::Path, _) if is_rest => {
            quote_spanned!(span=> #request.path_rest(#wire_name, #borrowed);)
        }
        (Kind::Path, _) => quote_spanned!(span=> #request.path_param(#wire_name, #borrowed);),
        (Kind::Query, Value::Flatten) => {
            quote_spanned!(span=> #request.query_fields(#arg_name, #borrowed);)
        }
        (Kind::Query, _) => quote_spanned!(span=> #request.query(#wire_name, #borrowed);),
        (Kind::Header, _) => match valid::option_inner(&arg.ty) {
            Some(inner) => {
                // `&*value`, spanned across `T` of `Option<T>`: "`T` doesn't implement
                // `Display`" points there.
                let (first, last) = token_spans(inner);
                let value = Ident::new("__askui_value", last);
                let spanned_value = quote_spanned!(first=> &*#value);
                quote_spanned! {span=>
                    if let ::core::option::Option::Some(#value) = #borrowed {
                        #request.header(#wire_name, #spanned_value);
                    }
                }
            }
            None => quote_spanned!(span=> #request.header(#wire_name, #borrowed);),
        },
        (Kind::Body, Value::ContentType(content_type)) => {
            quote_spanned!(span=> #request.raw_body #turbofish (#content_type, #moved);)
        }
        (Kind::Body, _) => quote_spanned!(span=> #request.json_body(#arg_name, #borrowed);),
        (Kind::Form, _) => quote_spanned!(span=> #request.form_body(#arg_name, #borrowed);),
        (Kind::Multipart, _) => {
            quote_spanned!(span=> #request.multipart_body #turbofish (#moved);)
        }
        (Kind::Options, _) => quote_spanned!(span=> #request.options(#borrowed);),
    }
}

/// The type as written, without the spaces token printing puts around `<`, `&` and `::`.
fn type_name(ty: &Type) -> String {
    let mut name = ty.to_token_stream().to_string();
    for (spaced, tight) in [
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        ("& ", "&"),
        (" :: ", "::"),
        (":: ", "::"),
        (" ,", ","),
    ] {
        name = name.replace(spaced, tight);
    }
    name
}

/// Whether any identifier in `tokens`, inside groups too, satisfies `pred`.
fn any_ident(tokens: TokenStream, pred: &dyn Fn(&Ident) -> bool) -> bool {
    tokens.into_iter().any(|token| match token {
        proc_macro2::TokenTree::Ident(ident) => pred(&ident),
        proc_macro2::TokenTree::Group(group) => any_ident(group.stream(), pred),
        _ => false,
    })
}

fn mentions_impl(ty: &Type) -> bool {
    any_ident(ty.to_token_stream(), &|ident| ident == "impl")
}

/// Whether `ty` names a generic parameter (type, lifetime or const) of the method. A walk
/// over the tokens (a lifetime `'a` is the punct `'` and the ident `a`), which also looks
/// inside macros in type position: there it can only err towards `ResponseKind::Generic`,
/// which always compiles. (Not `syn::visit`: a syn feature for one call.)
fn mentions_generics(ty: &Type, generics: &syn::Generics) -> bool {
    let names: Vec<&Ident> = generics
        .params
        .iter()
        .map(|param| match param {
            syn::GenericParam::Type(ty) => &ty.ident,
            syn::GenericParam::Lifetime(lifetime) => &lifetime.lifetime.ident,
            syn::GenericParam::Const(constant) => &constant.ident,
        })
        .collect();
    !names.is_empty() && any_ident(ty.to_token_stream(), &|ident| names.contains(&ident))
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

/// The signature as the user wrote it, less the role attributes only this macro reads.
pub fn strip_role_attrs(input: &FnArg) -> FnArg {
    let mut input = input.clone();
    match &mut input {
        FnArg::Typed(typed) => typed.attrs.retain(|attr| !ast::is_role_attr(attr)),
        FnArg::Receiver(receiver) => receiver.attrs.retain(|attr| !ast::is_role_attr(attr)),
    }
    input
}

/// The trait's `headers(…)` with the method's over them, a later name replacing an earlier
/// one: lower-case names (what `http::HeaderName::from_static` wants), and values.
fn merged_headers(options: &NamedOptions) -> Vec<(String, String)> {
    let mut merged: Vec<(String, String)> = Vec::new();
    for (name, value) in options.trait_headers.iter().chain(&options.headers) {
        let name = name.value().to_ascii_lowercase();
        merged.retain(|(seen, _)| *seen != name);
        merged.push((name, value.value()));
    }
    merged
}
