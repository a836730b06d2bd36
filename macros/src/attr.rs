//! The attribute's own arguments: `#[askui_endpoint(METHOD, "PATH")]`.

use proc_macro2::{Ident, Span, TokenStream};
use syn::parse::{ParseStream, Parser};
use syn::{LitStr, Token};

use crate::ctxt::Errors;

pub const USAGE: &str = "expected `#[askui_endpoint(METHOD, \"/path/<param>\")]`, e.g. `#[askui_endpoint(get, \"/api/v1/workspaces/<workspace_id>\")]`, optionally followed by `timeout = \"5m\"`, `idempotent = true` or `headers(\"X-Api-Version\" = \"2\")`";

/// The named options after the path, in the order the error message lists them.
const OPTION_NAMES: [&str; 3] = ["timeout", "idempotent", "headers"];

/// The trait's `headers(…)`, which `#[askui_endpoints]` hands to each method's attribute
/// under this name: not for users, so not listed.
pub const TRAIT_HEADERS: &str = "__askui_trait_headers";

/// The trait's generic parameters, which `#[askui_endpoints]` hands to each method's
/// attribute under this name (`__askui_trait_generics(T, 'a, N)`, empty for none): a method
/// attribute cannot see them otherwise, and the expansion compiles the call once, in the
/// declaring crate, only where it knows that no type of the signature names one.
pub const TRAIT_GENERICS: &str = "__askui_trait_generics";

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

#[derive(Default)]
pub struct Args {
    pub method: Option<(HttpMethod, Ident)>,
    pub path: Option<LitStr>,
    pub options: NamedOptions,
}

/// `key = value` after the path.
#[derive(Default)]
pub struct NamedOptions {
    /// `timeout = "5m"`, in milliseconds.
    pub timeout_ms: Option<u64>,
    /// `idempotent = true`: a later retry layer may repeat the call.
    pub idempotent: Option<bool>,
    /// `headers("X-Api-Version" = "2", …)`: fixed headers, checked.
    pub headers: Vec<(LitStr, LitStr)>,
    /// The trait's `headers(…)`, from `#[askui_endpoints]`; the method's own win.
    pub trait_headers: Vec<(LitStr, LitStr)>,
    /// The trait's generic parameters, from `#[askui_endpoints]`; `None` without it.
    pub trait_generics: Option<GenericNames>,
}

/// The names of a trait's generic parameters.
#[derive(Default)]
pub struct GenericNames {
    /// Type and const parameters.
    pub types: Vec<Ident>,
    /// Lifetime parameters, without the `'`.
    pub lifetimes: Vec<Ident>,
}

/// Parses the arguments, reporting every problem rather than stopping at the first.
pub fn parse(tokens: TokenStream, errors: &mut Errors) -> Args {
    let parser = |input: ParseStream| Ok(parse_args(input, errors));
    match parser.parse2(tokens) {
        Ok(args) => args,
        Err(error) => {
            errors.push(error);
            Args::default()
        }
    }
}

fn parse_args(input: ParseStream, errors: &mut Errors) -> Args {
    let mut args = Args::default();
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
        let message = format!("the path must be a string literal: {USAGE}");
        spanned_or_here(errors, path, input, message);
    }
    if input.is_empty() {
        return args;
    }
    if input.parse::<Token![,]>().is_err() {
        let rest: TokenStream = skip_rest(input);
        errors.spanned(rest, format!("unexpected tokens after the path: {USAGE}"));
        return args;
    }
    while !input.is_empty() {
        named_option(input, &mut args.options, errors);
        if input.is_empty() {
            break;
        }
        if input.parse::<Token![,]>().is_err() {
            let rest: TokenStream = skip_rest(input);
            errors.spanned(rest, "expected `,` between named options");
            break;
        }
    }
    args
}

/// One `key = value`; a malformed one is reported and skipped up to the next `,`.
fn named_option(input: ParseStream, options: &mut NamedOptions, errors: &mut Errors) {
    let until_comma = |input: ParseStream| {
        let mut tokens = TokenStream::new();
        while !input.is_empty() && !input.peek(Token![,]) {
            tokens.extend(input.parse::<proc_macro2::TokenTree>());
        }
        tokens
    };
    let valid = OPTION_NAMES.map(|name| format!("`{name}`")).join(", ");
    let Ok(key) = input.call(<Ident as syn::ext::IdentExt>::parse_any) else {
        let tokens = until_comma(input);
        let message =
            format!("expected a named option such as `timeout = \"5m\"`; valid options: {valid}");
        spanned_or_here(errors, tokens, input, message);
        return;
    };
    let name = key.to_string();
    if name == TRAIT_GENERICS {
        let parsed = (|| -> syn::Result<_> {
            let content;
            syn::parenthesized!(content in input);
            let mut names = GenericNames::default();
            while !content.is_empty() {
                if content.peek(syn::Lifetime) {
                    names
                        .lifetimes
                        .push(content.parse::<syn::Lifetime>()?.ident);
                } else {
                    names.types.push(content.parse()?);
                }
                if !content.is_empty() {
                    content.parse::<Token![,]>()?;
                }
            }
            Ok(names)
        })();
        match parsed {
            Ok(_) if options.trait_generics.is_some() => {
                errors.spanned(&key, format!("`{TRAIT_GENERICS}` is given twice"))
            }
            Ok(names) => options.trait_generics = Some(names),
            Err(error) => errors.push(error),
        }
        return;
    }
    if name == "headers" || name == TRAIT_HEADERS {
        let headers = parse_headers(input, &key, errors);
        let list = match name.as_str() {
            "headers" => &mut options.headers,
            _ => &mut options.trait_headers,
        };
        if !list.is_empty() {
            errors.spanned(&key, "`headers` is given twice");
        } else {
            *list = headers;
        }
        return;
    }
    if !OPTION_NAMES.contains(&name.as_str()) {
        until_comma(input);
        errors.spanned(
            &key,
            format!("unknown option `{name}`; valid options: {valid}"),
        );
        return;
    }
    if input.parse::<Token![=]>().is_err() {
        until_comma(input);
        errors.spanned(&key, format!("expected `{name} = …`"));
        return;
    }
    // One token: what follows it must be `,`, which the caller checks.
    let value = match input.peek(Token![,]) {
        false => input.parse::<proc_macro2::TokenTree>().ok(),
        true => None,
    };
    let Some(value) = value.map(TokenStream::from) else {
        errors.spanned(&key, format!("expected a value after `{name} =`"));
        return;
    };
    let literal = syn::parse2::<syn::Lit>(value.clone());
    match (name.as_str(), literal) {
        ("timeout", Ok(syn::Lit::Str(text))) => match parse_duration(&text.value()) {
            Some(_) if options.timeout_ms.is_some() => {
                errors.spanned(&key, "`timeout` is given twice")
            }
            Some(ms) => options.timeout_ms = Some(ms),
            None => errors.spanned(
                &text,
                format!(
                    "invalid timeout `{}`: expected a positive duration such as `\"500ms\"`, `\"30s\"`, `\"5m\"` or `\"1h\"`",
                    text.value()
                ),
            ),
        },
        ("timeout", _) => errors.spanned(
            value,
            "`timeout` takes a string such as `\"30s\"` or `\"5m\"`",
        ),
        ("idempotent", Ok(syn::Lit::Bool(flag))) => {
            if options.idempotent.is_some() {
                errors.spanned(&key, "`idempotent` is given twice");
            } else {
                options.idempotent = Some(flag.value);
            }
        }
        _ => errors.spanned(value, format!("`{name}` takes `true` or `false`")),
    }
}

/// `headers("Name" = "value", …)` after `key`: every pair checked, each problem reported at
/// its token; the valid pairs are returned. Malformed input is skipped up to the next `,`.
pub fn parse_headers(
    input: ParseStream,
    key: &Ident,
    errors: &mut Errors,
) -> Vec<(LitStr, LitStr)> {
    let usage = "expected `headers(\"Name\" = \"value\", …)`";
    if !input.peek(syn::token::Paren) {
        while !input.is_empty() && !input.peek(Token![,]) {
            let _ = input.parse::<proc_macro2::TokenTree>();
        }
        errors.spanned(key, usage);
        return Vec::new();
    }
    // `parenthesized!` returns early on error, which the peek above rules out.
    let parsed = (|| -> syn::Result<_> {
        let content;
        syn::parenthesized!(content in input);
        content.parse_terminated(
            |pair: ParseStream| {
                let name: LitStr = pair.parse()?;
                pair.parse::<Token![=]>()?;
                let value: LitStr = pair.parse()?;
                Ok((name, value))
            },
            Token![,],
        )
    })();
    let pairs = match parsed {
        Ok(pairs) => pairs,
        Err(error) => {
            errors.at(error.span(), format!("{usage}: {error}"));
            return Vec::new();
        }
    };
    if pairs.is_empty() {
        errors.spanned(key, format!("`headers()` is empty: {usage}"));
    }
    let mut headers: Vec<(LitStr, LitStr)> = Vec::new();
    for (name, value) in pairs {
        if let Err(error) = crate::role::check_header_name(&name, "`headers(…)`") {
            errors.push(error);
            continue;
        }
        let lower = name.value().to_ascii_lowercase();
        if headers
            .iter()
            .any(|(seen, _)| seen.value().to_ascii_lowercase() == lower)
        {
            errors.spanned(
                &name,
                format!("the header `{}` is given twice", name.value()),
            );
            continue;
        }
        // What `http::HeaderValue::from_static` accepts: visible ASCII, spaces and tabs.
        let text = value.value();
        if !text
            .chars()
            .all(|c| c.is_ascii_graphic() || c == ' ' || c == '\t')
        {
            errors.spanned(
                &value,
                "a header value is visible ASCII, spaces and tabs (no line breaks, no other characters)",
            );
            continue;
        }
        headers.push((name, value));
    }
    headers
}

/// `"500ms"`, `"30s"`, `"5m"`, `"1h"`, or a sum such as `"1m30s"`; zero is not a timeout.
pub fn parse_duration(text: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let mut rest = text.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let number: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            _ => return None,
        };
        total = total.checked_add(number.checked_mul(factor)?)?;
        rest = &rest[unit_len..];
    }
    (total > 0).then_some(total)
}

/// An error at `tokens`, or, when there are none (`get, , "/a"`), at the next token: an
/// empty stream would otherwise put it on the whole attribute.
fn spanned_or_here(
    errors: &mut Errors,
    tokens: TokenStream,
    input: ParseStream,
    message: impl std::fmt::Display,
) {
    if tokens.is_empty() {
        errors.at(input.span(), message);
    } else {
        errors.spanned(tokens, message);
    }
}

fn skip_rest(input: ParseStream) -> TokenStream {
    input.parse::<TokenStream>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms"), Some(500));
        assert_eq!(parse_duration("30s"), Some(30_000));
        assert_eq!(parse_duration("5m"), Some(300_000));
        assert_eq!(parse_duration("1h"), Some(3_600_000));
        assert_eq!(parse_duration("1m30s"), Some(90_000));
        for bad in [
            "",
            "5",
            "m",
            "0s",
            "5 m",
            "5min",
            "-1s",
            "1.5s",
            "99999999999999999999h",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
