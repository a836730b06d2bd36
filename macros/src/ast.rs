//! The annotated method, read into what the expansion needs, keeping the user's tokens
//! for spans.

use proc_macro2::Span;
use syn::{
    Attribute, FnArg, GenericArgument, Ident, LitStr, Pat, PathArguments, ReceiverKind, ReturnType,
    TraitItemFn, Type,
};

use crate::ctxt::Errors;

/// An explicit role attribute on an argument, with what it says.
#[derive(Clone)]
pub enum RoleAttr {
    /// `#[path]`
    Path,
    /// `#[body]`: JSON.
    Json,
    /// `#[body(content_type = "…")]`: raw bytes or a stream.
    Raw(LitStr),
    /// `#[form]`
    Form,
    /// `#[multipart]`
    Multipart,
    /// `#[query]` (named after the argument) or `#[query("wireName")]`.
    Query(Option<LitStr>),
    /// `#[query(flatten)]`
    QueryFlatten,
    /// `#[header("X-Name")]`
    Header(LitStr),
    /// `#[options]`
    Options,
}

pub struct Arg {
    pub ident: Ident,
    pub ty: Type,
    /// The explicit role and its attribute, which errors about the role point at (a `Span`
    /// would be only the `#` on stable Rust). `Err` when the attribute was malformed and
    /// already reported, so the argument gets no other error.
    pub role: Option<Result<(RoleAttr, Attribute), ()>>,
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
                        if let Some(meant) = misspelled_role(attr) {
                            let written = attr
                                .path()
                                .get_ident()
                                .map(Ident::to_string)
                                .unwrap_or_default();
                            errors.spanned(
                                attr.path(),
                                format!("unknown argument attribute `#[{written}]`: did you mean `#[{meant}]`?"),
                            );
                            // Reported: no "has no role" error as well.
                            role.get_or_insert(Err(()));
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

fn role_attr(
    attrs: &[Attribute],
    errors: &mut Errors,
) -> Option<Result<(RoleAttr, Attribute), ()>> {
    let mut role: Option<Result<(RoleAttr, Attribute), ()>> = None;
    let exact = |attr: &&Attribute| ROLE_ATTRS.iter().any(|name| attr.path().is_ident(name));
    for attr in attrs.iter().filter(exact) {
        let this = parse_role(attr);
        if let Err(error) = &this {
            errors.push(error.clone());
        }
        if role.is_some() {
            errors.spanned(
                attr,
                format!("an argument has at most one role attribute; valid ones: {ROLE_LIST}"),
            );
        } else {
            role = Some(this.map(|role| (role, attr.clone())).map_err(|_| ()));
        }
    }
    role
}

const ROLE_LIST: &str =
    "`#[path]`, `#[query]`, `#[header(\"…\")]`, `#[body]`, `#[form]`, `#[multipart]`, `#[options]`";

fn parse_role(attr: &Attribute) -> syn::Result<RoleAttr> {
    let name = attr
        .path()
        .get_ident()
        .map(Ident::to_string)
        .unwrap_or_default();
    let no_arguments = |role: RoleAttr| match &attr.meta {
        syn::Meta::Path(_) => Ok(role),
        meta => Err(syn::Error::new_spanned(
            meta,
            format!("`#[{name}]` takes no arguments"),
        )),
    };
    match name.as_str() {
        "path" => no_arguments(RoleAttr::Path),
        "form" => no_arguments(RoleAttr::Form),
        "multipart" => no_arguments(RoleAttr::Multipart),
        "options" => no_arguments(RoleAttr::Options),
        "body" => match &attr.meta {
            syn::Meta::Path(_) => Ok(RoleAttr::Json),
            meta => {
                let usage =
                    "expected `#[body]` (JSON) or `#[body(content_type = \"…\")]` (raw bytes)";
                let syn::Meta::List(list) = meta else {
                    return Err(syn::Error::new_spanned(meta, usage));
                };
                let mut content_type = None;
                list.parse_nested_meta(|nested| {
                    if nested.path.is_ident("content_type") && content_type.is_some() {
                        Err(nested.error("`content_type` is given twice"))
                    } else if nested.path.is_ident("content_type") {
                        let value: LitStr = nested.value()?.parse()?;
                        check_content_type(&value)?;
                        content_type = Some(value);
                        Ok(())
                    } else {
                        Err(nested.error(usage))
                    }
                })?;
                content_type
                    .map(RoleAttr::Raw)
                    .ok_or_else(|| syn::Error::new_spanned(meta, usage))
            }
        },
        "query" => match &attr.meta {
            syn::Meta::Path(_) => Ok(RoleAttr::Query(None)),
            meta => {
                let usage = "expected `#[query]`, `#[query(\"wireName\")]` or `#[query(flatten)]`";
                let syn::Meta::List(list) = meta else {
                    return Err(syn::Error::new_spanned(meta, usage));
                };
                if let Ok(ident) = list.parse_args::<Ident>() {
                    return if ident == "flatten" {
                        Ok(RoleAttr::QueryFlatten)
                    } else {
                        Err(syn::Error::new_spanned(ident, usage))
                    };
                }
                let name: LitStr = list
                    .parse_args()
                    .map_err(|_| syn::Error::new_spanned(&list.tokens, usage))?;
                let value = name.value();
                if value.is_empty() || value.chars().any(|c| c.is_control()) {
                    return Err(syn::Error::new_spanned(
                        &name,
                        format!("invalid query parameter name {:?}", value),
                    ));
                }
                Ok(RoleAttr::Query(Some(name)))
            }
        },
        "header" => {
            let usage = "expected `#[header(\"X-Header-Name\")]`";
            let syn::Meta::List(list) = &attr.meta else {
                return Err(syn::Error::new_spanned(&attr.meta, usage));
            };
            let name: LitStr = list
                .parse_args()
                .map_err(|_| syn::Error::new_spanned(&list.tokens, usage))?;
            check_header_name(&name)?;
            Ok(RoleAttr::Header(name))
        }
        _ => Err(syn::Error::new_spanned(attr, "not a role attribute")),
    }
}

/// Headers that the client or the body kind set: a method's argument must not replace them.
const RESERVED_HEADERS: [&str; 4] = ["authorization", "content-type", "content-length", "host"];

fn check_header_name(name: &LitStr) -> syn::Result<()> {
    let value = name.value();
    // RFC 9110 `token`.
    let is_tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if value.is_empty() || !value.chars().all(is_tchar) {
        return Err(syn::Error::new_spanned(
            name,
            format!(
                "invalid header name {value:?}: a header name is letters, digits and `!#$%&'*+-.^_`|~`"
            ),
        ));
    }
    let lower = value.to_ascii_lowercase();
    if RESERVED_HEADERS.contains(&lower.as_str()) {
        let owner = if lower == "authorization" || lower == "host" {
            "the client (see `Auth` and the base URL)"
        } else {
            "the body"
        };
        return Err(syn::Error::new_spanned(
            name,
            format!("the header `{value}` is set by {owner}; a method argument cannot set it"),
        ));
    }
    Ok(())
}

fn check_content_type(value: &LitStr) -> syn::Result<()> {
    let text = value.value();
    let valid = text
        .split_once('/')
        .is_some_and(|(kind, subtype)| !kind.is_empty() && !subtype.is_empty())
        && text.chars().all(|c| c.is_ascii_graphic() || c == ' ');
    if valid {
        Ok(())
    } else {
        Err(syn::Error::new_spanned(
            value,
            format!(
                "invalid content type {text:?}: expected `type/subtype`, e.g. `application/octet-stream`"
            ),
        ))
    }
}

/// Every argument attribute the macro reads (`role_attr`) and removes from the emitted
/// signature (`is_role_attr`).
const ROLE_ATTRS: [&str; 7] = [
    "body",
    "path",
    "query",
    "header",
    "form",
    "multipart",
    "options",
];

pub fn is_role_attr(attr: &Attribute) -> bool {
    ROLE_ATTRS.iter().any(|name| attr.path().is_ident(name)) || misspelled_role(attr).is_some()
}

/// The role attribute a one-word attribute is a typo of (`#[qeury]`), if any: reported as
/// such and removed, rather than left for rustc's "cannot find attribute".
fn misspelled_role(attr: &Attribute) -> Option<&'static str> {
    let written = attr.path().get_ident()?.to_string();
    if ROLE_ATTRS.contains(&written.as_str()) {
        return None;
    }
    ROLE_ATTRS
        .iter()
        .copied()
        .find(|name| name.len() >= 4 && edit_distance(name, &written) <= 2)
}

/// Levenshtein distance, for short attribute names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
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
