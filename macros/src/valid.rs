//! Cross-checks between the path and the signature: which argument plays which role.

use proc_macro2::Ident;
use syn::LitStr;

use crate::ast::{Arg, Method, RoleAttr};
use crate::attr::HttpMethod;
use crate::ctxt::Errors;
use crate::path::Template;

/// The role of every argument, resolved.
pub struct Roles<'a> {
    /// In the order of the path.
    pub path: Vec<&'a Arg>,
    pub body: Option<&'a Arg>,
}

pub fn assign<'a>(
    http_method: HttpMethod,
    path_literal: &LitStr,
    template: &Template,
    method: &'a Method,
    errors: &mut Errors,
) -> Roles<'a> {
    let mut roles = Roles {
        path: Vec::new(),
        body: None,
    };
    let path = path_literal.value();
    let mut unmatched = false;
    for name in &template.params {
        match method.args.iter().find(|arg| arg.ident == name) {
            Some(arg) => {
                if let Some((RoleAttr::Body, attr)) = &arg.role {
                    errors.spanned(
                        attr,
                        format!(
                            "`{name}` is a path parameter of `{path}`, so it cannot be the body"
                        ),
                    );
                }
                roles.path.push(arg);
            }
            None => {
                unmatched = true;
                errors.spanned(
                    path_literal,
                    format!("path parameter `{name}` has no matching argument"),
                );
                errors.at(
                    method.args_span,
                    format!("expected an argument named `{name}` here"),
                );
            }
        }
    }

    let is_path_param = |ident: &Ident| template.params.iter().any(|name| ident == name);
    let mut candidates = Vec::new();
    for arg in &method.args {
        if is_path_param(&arg.ident) {
            continue;
        }
        match &arg.role {
            Some((RoleAttr::Path, attr)) => errors.spanned(
                attr,
                format!(
                    "`{}` is marked `#[path]` but `{path}` has no `<{}>`",
                    arg.ident, arg.ident
                ),
            ),
            Some((RoleAttr::Body, attr)) if !http_method.has_body() => errors.spanned(
                attr,
                format!(
                    "a {} request has no body: remove `#[body]`",
                    http_method.constant()
                ),
            ),
            Some((RoleAttr::Body, attr)) => match roles.body {
                Some(body) => errors.spanned(
                    attr,
                    format!(
                        "only one argument can be the body, and `{}` already is",
                        body.ident
                    ),
                ),
                None => roles.body = Some(arg),
            },
            Some((RoleAttr::Unsupported, _)) => {}
            None => candidates.push(arg),
        }
    }

    // An argument meant for a path parameter but named differently is already reported
    // above: calling it a stray argument or a second body candidate would be a follow-on.
    if unmatched {
        return roles;
    }

    for arg in candidates {
        let name = &arg.ident;
        if !http_method.has_body() {
            errors.spanned(
                name,
                format!(
                    "argument `{name}` has no role: it is not a parameter of the path `{path}`, and a {} request has no body",
                    http_method.constant()
                ),
            );
        } else if let Some(body) = roles.body {
            let explicit = body.role.is_some();
            errors.spanned(
                name,
                if explicit {
                    format!("argument `{name}` has no role: it is not a parameter of the path `{path}`, and `{}` is the body", body.ident)
                } else {
                    format!(
                        "two body candidates, `{}` and `{name}`: neither is a parameter of the path `{path}`; mark the body with `#[body]`",
                        body.ident
                    )
                },
            );
        } else {
            roles.body = Some(arg);
        }
    }
    roles
}
