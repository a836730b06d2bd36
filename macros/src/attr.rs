//! The attribute's own arguments: `#[askui_endpoint(METHOD, "PATH")]`.

use proc_macro2::{Ident, Span, TokenStream};
use syn::parse::{ParseStream, Parser};
use syn::{LitStr, Token};

use crate::ctxt::Errors;

pub const USAGE: &str = "expected `#[askui_endpoint(METHOD, \"/path/<param>\")]`, e.g. `#[askui_endpoint(get, \"/api/v1/workspaces/<workspace_id>\")]`";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
}

const METHODS: [(&str, HttpMethod); 7] = [
    ("get", HttpMethod::Get),
    ("post", HttpMethod::Post),
    ("put", HttpMethod::Put),
    ("patch", HttpMethod::Patch),
    ("delete", HttpMethod::Delete),
    ("head", HttpMethod::Head),
    ("options", HttpMethod::Options),
];

impl HttpMethod {
    /// `get` or `GET`; a mixed-case spelling is more likely a typo than a choice.
    fn from_ident(ident: &Ident) -> Option<Self> {
        let name = ident.to_string();
        METHODS
            .iter()
            .find(|(lower, _)| name == *lower || name == lower.to_ascii_uppercase())
            .map(|&(_, method)| method)
    }

    /// The name of the `http::Method` constant.
    pub fn constant(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
        }
    }

    /// Whether a request body is accepted: HTTP allows one on DELETE, but no AskUI operation
    /// uses it, and a body there is more likely a mistake.
    pub fn has_body(self) -> bool {
        matches!(self, HttpMethod::Post | HttpMethod::Put | HttpMethod::Patch)
    }
}

pub struct Args {
    pub method: Option<(HttpMethod, Ident)>,
    pub path: Option<LitStr>,
}

/// Parses the arguments, reporting every problem rather than stopping at the first.
pub fn parse(tokens: TokenStream, errors: &mut Errors) -> Args {
    let parser = |input: ParseStream| Ok(parse_args(input, errors));
    match parser.parse2(tokens) {
        Ok(args) => args,
        Err(error) => {
            errors.push(error);
            Args {
                method: None,
                path: None,
            }
        }
    }
}

fn parse_args(input: ParseStream, errors: &mut Errors) -> Args {
    let mut args = Args {
        method: None,
        path: None,
    };
    if input.is_empty() {
        errors.at(
            Span::call_site(),
            format!("missing HTTP method and path: {USAGE}"),
        );
        return args;
    }
    if input.peek(LitStr) {
        errors.at(
            input.span(),
            format!("missing HTTP method before the path: {USAGE}"),
        );
    } else if let Ok(ident) = input.call(<Ident as syn::ext::IdentExt>::parse_any) {
        match HttpMethod::from_ident(&ident) {
            Some(method) => args.method = Some((method, ident.clone())),
            None => {
                let lower = ident.to_string().to_ascii_lowercase();
                let message = if METHODS.iter().any(|(name, _)| *name == lower) {
                    format!(
                        "write the HTTP method `{ident}` as `{lower}` or `{}`",
                        lower.to_ascii_uppercase()
                    )
                } else {
                    format!(
                        "unknown HTTP method `{ident}`; expected one of: {}",
                        METHODS.map(|(name, _)| format!("`{name}`")).join(", ")
                    )
                };
                errors.spanned(&ident, message)
            }
        }
        if input.is_empty() {
            errors.spanned(
                &ident,
                format!("missing path after the HTTP method: {USAGE}"),
            );
            return args;
        }
        if input.parse::<Token![,]>().is_err() {
            errors.at(
                input.span(),
                format!("expected `,` after the HTTP method: {USAGE}"),
            );
            skip_rest(input);
            return args;
        }
    } else {
        errors.at(input.span(), format!("expected an HTTP method: {USAGE}"));
        skip_rest(input);
        return args;
    }
    if input.is_empty() {
        errors.at(Span::call_site(), format!("missing path: {USAGE}"));
        return args;
    }
    // Peeked, not tried: a failed `parse::<LitStr>()` consumes a literal of another kind, and
    // the error would point past it.
    if input.peek(LitStr) {
        args.path = input.parse().ok();
    } else {
        // Up to the next `,`, so that `concat!("/a", "/b")` is one error, not two.
        let mut path = TokenStream::new();
        while !input.is_empty() && !input.peek(Token![,]) {
            path.extend(input.parse::<proc_macro2::TokenTree>());
        }
        errors.spanned(path, format!("the path must be a string literal: {USAGE}"));
    }
    let _ = input.parse::<Option<Token![,]>>();
    if !input.is_empty() {
        let rest: TokenStream = skip_rest(input);
        errors.spanned(rest, format!("unexpected tokens after the path: {USAGE}"));
    }
    args
}

fn skip_rest(input: ParseStream) -> TokenStream {
    input.parse::<TokenStream>().unwrap_or_default()
}
