//! The annotated method, read into what the expansion needs, keeping the user's tokens
//! for spans.

use proc_macro2::Span;
use syn::{
    Attribute, FnArg, GenericArgument, Ident, Pat, PathArguments, ReceiverKind, ReturnType,
    TraitItemFn, Type,
};

use crate::ctxt::Errors;
use crate::role::{self, Kind, Role};

pub struct Arg {
    pub ident: Ident,
    pub ty: Type,
    /// The explicit role and its attribute, which errors about the role point at (a `Span`
    /// would be only the `#` on stable Rust). `Err` with the role meant when the attribute
    /// was malformed and already reported, so the argument gets no other error.
    pub role: Option<Result<(Role, Attribute), Kind>>,
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
    /// Declared without `async`: a blocking call.
    pub blocking: bool,
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
                for attr in receiver.attrs.iter().filter(|attr| is_role_attr(attr)) {
                    errors.spanned(
                        attr,
                        "`self` is the client, not an argument of the request: remove this attribute",
                    );
                }
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
                    let mut role = role_attr(&typed.attrs, errors);
                    for attr in &typed.attrs {
                        if let Some(meant) = role::misspelled(attr) {
                            let written = attr
                                .path()
                                .get_ident()
                                .map(Ident::to_string)
                                .unwrap_or_default();
                            errors.spanned(
                                attr.path(),
                                format!("unknown argument attribute `#[{written}]`: did you mean `#[{}]`?", meant.name),
                            );
                            // Reported: no "has no role" error as well.
                            role.get_or_insert(Err(meant.kind));
                        }
                    }
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
                        "the return type must be `Result<T, askui_runtime::Error>`, where `T` reads the response: a `Deserialize` type for JSON, `()` for none, `askui_runtime::Bytes` or `ByteStream` for the raw body",
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
            blocking: sig.asyncness.is_none(),
        }
    }
}

fn role_attr(attrs: &[Attribute], errors: &mut Errors) -> Option<Result<(Role, Attribute), Kind>> {
    let mut role: Option<Result<(Role, Attribute), Kind>> = None;
    for (attr, spec) in attrs
        .iter()
        .filter_map(|attr| Some((attr, role::find(attr)?)))
    {
        let this = parse_role(attr, spec);
        if let Err(error) = &this {
            errors.push(error.clone());
        }
        if role.is_some() {
            errors.spanned(
                attr,
                format!(
                    "an argument has at most one role attribute; valid ones: {}",
                    role::list()
                ),
            );
        } else {
            role = Some(this.map(|role| (role, attr.clone())).map_err(|_| spec.kind));
        }
    }
    role
}

fn parse_role(attr: &Attribute, spec: &'static role::RoleSpec) -> syn::Result<Role> {
    let value = match (spec.arguments, &attr.meta) {
        (Some(arguments), meta) => arguments(meta)?,
        (None, syn::Meta::Path(_)) => role::Value::None,
        (None, meta) => {
            return Err(syn::Error::new_spanned(
                meta,
                format!("`#[{}]` takes no arguments", spec.name),
            ));
        }
    };
    Ok(Role { spec, value })
}

/// Whether the macro reads the attribute (`role_attr`), so removes it from the emitted
/// signature: a role attribute, or a typo of one.
pub fn is_role_attr(attr: &Attribute) -> bool {
    role::find(attr).is_some() || role::misspelled(attr).is_some()
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
