//! The annotated method, read into what the expansion needs, keeping the user's tokens
//! for spans.

use proc_macro2::Span;
use syn::{
    Attribute, FnArg, GenericArgument, Ident, Pat, PathArguments, ReceiverKind, ReturnType,
    TraitItemFn, Type,
};

use crate::ctxt::Errors;

/// An explicit role attribute on an argument.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RoleAttr {
    Path,
    Body,
    /// `#[query]` or `#[header]`: already reported, so the argument gets no other error.
    Unsupported,
}

pub struct Arg {
    pub ident: Ident,
    pub ty: Type,
    /// The explicit role and its attribute, which errors about the role point at (a `Span`
    /// would be only the `#` on stable Rust).
    pub role: Option<(RoleAttr, Attribute)>,
}

/// The declared `Result<T, E>` (or `Result<T>` of an alias), read once.
pub struct Output {
    pub result: Type,
    pub ok: Type,
    /// `E`, where it is written out.
    pub err: Option<Type>,
}

pub struct Method {
    pub args: Vec<Arg>,
    pub output: Option<Output>,
    /// Where "expected an argument named `x` here" points: the argument list.
    pub args_span: Span,
    pub async_span: Span,
}

impl Method {
    pub fn from_item(item: &TraitItemFn, errors: &mut Errors) -> Method {
        let sig = &item.sig;
        let args_span = sig.paren_token.span.join();
        if let Some(body) = &item.default {
            errors.at(
                body.brace_token.span.join(),
                "remove the method body: #[askui_endpoint] generates it",
            );
        }
        if sig.asyncness.is_none() {
            errors.spanned(
                sig.fn_token,
                format!(
                    "endpoint methods must be `async fn {}`: blocking calls are not supported yet",
                    sig.ident
                ),
            );
        }
        if let Some(constness) = &sig.constness {
            errors.spanned(constness, "endpoint methods cannot be `const`");
        }
        match &sig.safety {
            syn::Safety::Unsafe(token) => {
                errors.spanned(token, "endpoint methods cannot be `unsafe`")
            }
            syn::Safety::Safe(token) => errors.spanned(token, "endpoint methods cannot be `safe`"),
            _ => {}
        }
        if let Some(abi) = &sig.abi {
            errors.spanned(abi, "endpoint methods cannot have an ABI");
        }
        if let Some(variadic) = &sig.variadic {
            errors.spanned(variadic, "endpoint methods cannot be variadic");
        }

        let mut inputs = sig.inputs.iter().peekable();
        match inputs.peek() {
            Some(FnArg::Receiver(receiver)) => {
                inputs.next();
                let shared_ref = matches!(&receiver.kind, ReceiverKind::Reference(_, _, None))
                    && receiver.mutability.is_none();
                if !shared_ref {
                    errors.spanned(
                        receiver,
                        "expected `&self`: endpoint methods take the client by shared reference",
                    );
                }
            }
            // Still read below as an argument, so that it gets no second error.
            Some(FnArg::Typed(first)) => {
                errors.spanned(first, "expected `&self` as the first argument");
            }
            None => errors.at(args_span, "expected `&self` as the first argument"),
        }

        let mut args = Vec::new();
        for input in inputs {
            match input {
                FnArg::Receiver(receiver) => {
                    errors.spanned(receiver, "`self` must be the first argument")
                }
                FnArg::Typed(typed) => {
                    let role = role_attr(&typed.attrs, errors);
                    match &*typed.pat {
                        Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => args.push(Arg {
                            ident: pat.ident.clone(),
                            ty: (*typed.ty).clone(),
                            role,
                        }),
                        pat => errors.spanned(
                            pat,
                            "expected an argument name, e.g. `workspace_id: Uuid`: each argument is passed by its name",
                        ),
                    }
                }
            }
        }

        let output = match &sig.output {
            ReturnType::Default => {
                errors.at(
                    args_span,
                    "missing return type: expected `-> Result<T, askui_runtime::Error>` after the arguments",
                );
                None
            }
            ReturnType::Type(_, ty) => {
                let output = result_output(ty);
                if output.is_none() {
                    errors.spanned(
                        ty,
                        "the return type must be `Result<T, askui_runtime::Error>` (`T` is decoded from the JSON response; `()` for an empty one)",
                    );
                }
                output
            }
        };

        Method {
            args,
            output,
            args_span,
            async_span: sig
                .asyncness
                .map_or_else(|| sig.fn_token.span, |token| token.span),
        }
    }
}

fn role_attr(attrs: &[Attribute], errors: &mut Errors) -> Option<(RoleAttr, Attribute)> {
    let mut role = None;
    for attr in attrs.iter().filter(|attr| is_role_attr(attr)) {
        let Some(ident) = attr.path().get_ident() else {
            continue;
        };
        let this = match ident.to_string().as_str() {
            "body" => RoleAttr::Body,
            "path" => RoleAttr::Path,
            "query" | "header" => {
                errors.spanned(
                    attr,
                    format!("`#[{ident}]` arguments are not supported yet"),
                );
                role.get_or_insert((RoleAttr::Unsupported, attr.clone()));
                continue;
            }
            _ => continue,
        };
        if !matches!(attr.meta, syn::Meta::Path(_)) {
            errors.spanned(&attr.meta, format!("`#[{ident}]` takes no arguments"));
        }
        if role.is_some() {
            errors.spanned(
                attr,
                "an argument has at most one role: `#[path]` or `#[body]`",
            );
        } else {
            role = Some((this, attr.clone()));
        }
    }
    role
}

/// Every argument attribute the macro reads (`role_attr`) and removes from the emitted
/// signature (`is_role_attr`).
const ROLE_ATTRS: [&str; 4] = ["body", "path", "query", "header"];

pub fn is_role_attr(attr: &Attribute) -> bool {
    ROLE_ATTRS.iter().any(|name| attr.path().is_ident(name))
}

/// `T` and `E` from `Result<T, E>`, `Result<T>` (an alias) or a qualified `…::Result<T, E>`.
fn result_output(ty: &Type) -> Option<Output> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let PathArguments::AngleBracketed(generics) = &last.arguments else {
        return None;
    };
    let mut types = generics.args.iter().filter_map(|arg| match arg {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    });
    let ok = types.next()?.clone();
    let err = types.next().cloned();
    (types.next().is_none() && generics.args.len() <= 2).then(|| Output {
        result: ty.clone(),
        ok,
        err,
    })
}
