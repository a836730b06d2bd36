//! Cross-checks between the attribute, the path and the signature. The result is a complete
//! [`Endpoint`]: `expand.rs` writes it out without re-checking anything.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::ToTokens;
use syn::{GenericArgument, LitStr, PathArguments, Type};

use crate::ast::{Arg, Method, Output};
use crate::attr::{Args, HttpMethod, NamedOptions};
use crate::ctxt::Errors;
use crate::path::{self, Template};
use crate::role::{Kind, Role, Value};

/// A method that passed every check.
pub struct Endpoint<'a> {
    pub http_method: HttpMethod,
    pub method_span: Span,
    pub template: Template,
    /// Every argument with its role, in the order of the signature. A path parameter is
    /// `Kind::Path`, whether it is one segment or the rest of the path (`Template::is_rest`).
    pub args: Vec<(Role, &'a Arg)>,
    pub output: &'a Output,
    pub options: &'a NamedOptions,
    pub blocking: bool,
    pub async_span: Span,
}

/// The complete endpoint, or `None` when anything is missing or was reported.
pub fn validate<'a>(
    args: &'a Args,
    template: Option<Template>,
    method: &'a Method,
    errors: &mut Errors,
) -> Option<Endpoint<'a>> {
    let (http_method, method_ident) = args.method.as_ref()?;
    let literal = args.path.as_ref()?;
    let template = template?;
    let output = method.output.as_ref()?;
    let roles = assign(*http_method, literal, &template, method, errors)?;
    Some(Endpoint {
        http_method: *http_method,
        method_span: method_ident.span(),
        template,
        args: roles,
        output,
        options: &args.options,
        blocking: method.blocking,
        async_span: method.async_span,
    })
}

/// Gives every argument its role, or reports why it has none. `None` when anything was
/// reported.
fn assign<'a>(
    http_method: HttpMethod,
    path_literal: &LitStr,
    template: &Template,
    method: &'a Method,
    errors: &mut Errors,
) -> Option<Vec<(Role, &'a Arg)>> {
    // Collected apart, so that the roles are returned only when these checks all passed.
    let mut found = Errors::default();
    let path = path_literal.value();
    let mut roles: Vec<(Role, &'a Arg)> = Vec::new();
    // The template's names that a `#[path("…")]` gives to an argument of another name.
    let renamed: Vec<String> = method.args.iter().filter_map(renamed_to).collect();
    let fills = |arg: &Arg, name: &str| match renamed_to(arg) {
        Some(renamed) => renamed == name,
        None => arg.ident == name,
    };
    let missing: Vec<&String> = template
        .params
        .iter()
        .filter(|name| !method.args.iter().any(|arg| fills(arg, name)))
        .collect();
    // A malformed `#[path(…)]`, or one naming no parameter of the template, may be meant for
    // any of them: the error at it is enough.
    let unmatched = !missing.is_empty();
    let stray_path_attr = method.args.iter().any(|arg| match &arg.role {
        Some(Err(kind)) => *kind == Kind::Path,
        Some(Ok((role, _))) if role.kind() == Kind::Path => {
            let name = renamed_to(arg).unwrap_or_else(|| arg.ident.to_string());
            !template.params.contains(&name)
        }
        _ => false,
    });
    for name in missing.iter().filter(|_| !stray_path_attr) {
        // `{pet-id}`, `{type}`: no argument can be named so, only renamed so.
        if let Some(rust_name) = path::rust_name(name) {
            let what = if *name != "_" && rust_name == format!("{name}_") {
                "a Rust keyword"
            } else {
                "not a Rust identifier"
            };
            found.spanned(
                path_literal,
                format!(
                    "`{}` is {what}: rename an argument with `#[path(\"{name}\")] {rust_name}: …`",
                    template.written(name)
                ),
            );
            continue;
        }
        found.spanned(
            path_literal,
            format!("path parameter `{name}` has no matching argument"),
        );
        // `petId`: a Rust argument is rather `#[path("petId")] pet_id`.
        let snake = path::to_snake_case(name);
        let hint = if is_snake_case(name) || !path::is_identifier(&snake) {
            String::new()
        } else {
            format!(", or `#[path(\"{name}\")] {snake}: …`")
        };
        found.at(
            method.args_span,
            format!("expected an argument named `{name}` here{hint}"),
        );
    }

    let mut body: Option<&Arg> = None;
    let mut once: BTreeMap<Kind, &Ident> = BTreeMap::new();
    let mut wire_names: BTreeMap<(Kind, String), &Ident> = BTreeMap::new();
    let mut candidates = Vec::new();
    for arg in &method.args {
        let role = match &arg.role {
            Some(Err(_)) => continue,
            Some(Ok((role, attr))) => Some((role, attr)),
            None => None,
        };
        // An argument named like a path parameter is that parameter, unless it has another
        // role and a `#[path("…")]` on another argument fills the parameter.
        let named_like_param = template.params.iter().any(|name| arg.ident == name);
        let (role, at): (Role, TokenStream) = match role {
            Some((role, attr)) if role.kind() == Kind::Path => {
                let name = renamed_to(arg).unwrap_or_else(|| arg.ident.to_string());
                if !template.params.contains(&name) {
                    match &role.value {
                        Value::Name(literal) => {
                            let meant = missing
                                .iter()
                                .find(|missing| loosely(missing) == loosely(&name))
                                .map(|meant| format!(" (did you mean `#[path(\"{meant}\")]`?)"))
                                .unwrap_or_default();
                            found.spanned(
                                literal,
                                format!(
                                    "`{}` is marked `#[path(\"{name}\")]` but `{path}` has no `<{name}>`{meant}",
                                    arg.ident
                                ),
                            )
                        }
                        _ => found.spanned(
                            attr,
                            format!(
                                "`{}` is marked `#[path]` but `{path}` has no `<{}>`",
                                arg.ident, arg.ident
                            ),
                        ),
                    }
                    continue;
                }
                let at = match &role.value {
                    Value::Name(literal) => literal.to_token_stream(),
                    _ => attr.to_token_stream(),
                };
                (role.clone(), at)
            }
            Some((role, attr)) if named_like_param && !renamed.iter().any(|n| arg.ident == n) => {
                found.spanned(
                    attr,
                    format!(
                        "`{}` is a path parameter of `{path}`, so it cannot be `#[{}]`",
                        arg.ident, role.spec.name
                    ),
                );
                continue;
            }
            None if named_like_param => (Role::of(Kind::Path), arg.ident.to_token_stream()),
            Some((role, attr)) => (role.clone(), attr.to_token_stream()),
            None => {
                candidates.push(arg);
                continue;
            }
        };
        let spec = role.spec;
        if spec.body {
            if !http_method.has_body() {
                found.spanned(
                    &at,
                    format!(
                        "a {} request has no body: remove `#[{}]`",
                        http_method.constant(),
                        spec.name
                    ),
                );
                continue;
            }
            if let Some(body) = body {
                found.spanned(
                    &at,
                    format!(
                        "only one argument can be the body, and `{}` already is",
                        body.ident
                    ),
                );
                continue;
            }
            body = Some(arg);
        }
        if spec.once {
            if let Some(first) = once.get(&spec.kind) {
                found.spanned(
                    &at,
                    format!(
                        "only one argument can be `#[{}]`, and `{first}` already is",
                        spec.name
                    ),
                );
                continue;
            }
            once.insert(spec.kind, &arg.ident);
        }
        if let (Some(unique), Some(wire)) = (&spec.unique, role.wire_name(&arg.ident)) {
            let key = if unique.ignore_case {
                wire.to_ascii_lowercase()
            } else {
                wire.clone()
            };
            if let Some(first) = wire_names.insert((spec.kind, key), &arg.ident) {
                // Without a role, a path parameter is so by its name, which may surprise.
                let by_name = match arg.role {
                    None => format!(
                        "; `{}` is a path parameter by its name: give it another role, e.g. `#[query]`",
                        arg.ident
                    ),
                    Some(_) => String::new(),
                };
                found.spanned(
                    &at,
                    format!(
                        "duplicate {} `{wire}`: `{first}` already {} it{by_name}",
                        unique.what, unique.verb
                    ),
                );
                continue;
            }
        }
        roles.push((role, arg));
    }

    // An argument meant for a path parameter but named differently is already reported
    // above: calling it a stray argument or a second body candidate would be a follow-on.
    if !unmatched {
        for arg in candidates {
            let name = &arg.ident;
            if !http_method.has_body() {
                found.spanned(
                    name,
                    format!(
                        "argument `{name}` has no role: it is not a parameter of the path `{path}`, and a {} request has no body; mark it `#[query]` or `#[header(\"…\")]`",
                        http_method.constant()
                    ),
                );
            } else if let Some(body) = body {
                let explicit = body.role.is_some();
                found.spanned(
                    name,
                    if explicit {
                        format!("argument `{name}` has no role: it is not a parameter of the path `{path}`, and `{}` is the body; mark it `#[query]` or `#[header(\"…\")]`", body.ident)
                    } else {
                        format!(
                            "two body candidates, `{}` and `{name}`: neither is a parameter of the path `{path}`; mark the body with `#[body]`",
                            body.ident
                        )
                    },
                );
            } else {
                body = Some(arg);
                roles.push((Role::of(Kind::Body), arg));
            }
        }
    }
    let failed = found.finish().err();
    match failed {
        Some(error) => {
            errors.push(error);
            None
        }
        None => {
            // Signature order, whatever the order in which roles were found.
            roles.sort_by_key(|(_, arg)| {
                method
                    .args
                    .iter()
                    .position(|other| std::ptr::eq(other, *arg))
            });
            Some(roles)
        }
    }
}

/// The template's name a `#[path("…")]` gives the argument.
fn renamed_to(arg: &Arg) -> Option<String> {
    match &arg.role {
        Some(Ok((role, _))) if role.kind() == Kind::Path => match &role.value {
            Value::Name(name) => Some(name.value()),
            _ => None,
        },
        _ => None,
    }
}

fn is_snake_case(name: &str) -> bool {
    !name.chars().any(|c| c.is_ascii_uppercase())
}

/// A name as a did-you-mean compares it: `petID`, `pet_id` and `pet-id` are alike.
fn loosely(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

pub fn unraw(ident: &Ident) -> String {
    let name = ident.to_string();
    name.trim_start_matches("r#").to_owned()
}

/// `T` of `Option<T>` (or `&Option<T>`), as written.
pub fn option_inner(ty: &Type) -> Option<&Type> {
    let ty = strip(ty);
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" || path.qself.is_some() {
        return None;
    }
    let PathArguments::AngleBracketed(generics) = &last.arguments else {
        return None;
    };
    match generics.args.first()? {
        GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

/// Whether a query argument is declared as a list, so that its key repeats: `Vec<T>`,
/// `&[T]`, `[T; N]`, sets, and `Option` of those. Only for the endpoint's description; the
/// value's `Serialize` decides what is sent.
pub fn is_list(ty: &Type) -> bool {
    if let Some(inner) = option_inner(ty) {
        return is_list(inner);
    }
    match strip(ty) {
        Type::Slice(_) | Type::Array(_) => true,
        Type::Path(path) => path.path.segments.last().is_some_and(|last| {
            ["Vec", "VecDeque", "HashSet", "BTreeSet", "IndexSet"]
                .iter()
                .any(|name| last.ident == name)
        }),
        _ => false,
    }
}

fn strip(ty: &Type) -> &Type {
    match ty {
        Type::Reference(reference) => strip(&reference.elem),
        Type::Paren(paren) => strip(&paren.elem),
        Type::Group(group) => strip(&group.elem),
        ty => ty,
    }
}
