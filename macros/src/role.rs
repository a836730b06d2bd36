//! The roles an argument can have: one entry each in [`ROLES`], which parsing (`ast.rs`), the
//! checks (`valid.rs`), the expansion (`expand.rs`) and the "did you mean" hints all read.
//! Adding a role is one entry here, its arm in `expand::argument`, and its `Request` method
//! in the runtime.

use syn::{Ident, LitStr, Meta};

use crate::path::{self, NameProblem};

/// Which role: the key the expansion matches on.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Kind {
    Path,
    Query,
    Header,
    Body,
    Form,
    Multipart,
    Options,
}

pub struct RoleSpec {
    pub kind: Kind,
    /// The attribute, `#[name]`.
    pub name: &'static str,
    /// How the list of valid attributes writes it: `#[header("…")]`.
    pub written: &'static str,
    /// Reads what the parentheses say; `None` when the attribute takes no arguments.
    pub arguments: Option<fn(&Meta) -> syn::Result<Value>>,
    /// The argument is the request's body: allowed only where the HTTP method sends one
    /// (`HttpMethod::has_body`), and on one argument of the method.
    pub body: bool,
    /// At most one argument of a method has this role.
    pub once: bool,
    /// Two arguments of a method cannot send the same name.
    pub unique: Option<Unique>,
}

/// How "duplicate …" is reported, and whether names differing in case are the same.
pub struct Unique {
    pub what: &'static str,
    pub verb: &'static str,
    pub ignore_case: bool,
}

/// What a role attribute's parentheses say.
#[derive(Clone)]
pub enum Value {
    None,
    /// `#[query("wireName")]`, `#[header("X-Name")]`: the name on the wire. `#[path("petId")]`:
    /// the parameter's name in the template, `<petId>`.
    Name(LitStr),
    /// `#[query(flatten)]`
    Flatten,
    /// `#[body(content_type = "…")]`: raw bytes.
    ContentType(LitStr),
}

/// An argument's role: its entry, and what its attribute said.
#[derive(Clone)]
pub struct Role {
    pub spec: &'static RoleSpec,
    pub value: Value,
}

impl Role {
    pub fn of(kind: Kind) -> Role {
        Role {
            spec: ROLES
                .iter()
                .find(|spec| spec.kind == kind)
                .expect("every kind has an entry"),
            value: Value::None,
        }
    }

    pub fn kind(&self) -> Kind {
        self.spec.kind
    }

    /// The name on the wire of a query parameter or header, or of a path parameter in the
    /// template: as the attribute gives it, else the argument's. `None` for the fields of
    /// `#[query(flatten)]` and for a body.
    pub fn wire_name(&self, arg: &Ident) -> Option<String> {
        match &self.value {
            Value::Name(name) => Some(name.value()),
            Value::None => Some(arg.to_string().trim_start_matches("r#").to_owned()),
            Value::Flatten | Value::ContentType(_) => None,
        }
    }
}

pub static ROLES: &[RoleSpec] = &[
    RoleSpec {
        kind: Kind::Path,
        name: "path",
        written: "`#[path]`",
        arguments: Some(path_arguments),
        body: false,
        once: false,
        unique: Some(Unique {
            what: "path parameter",
            verb: "fills",
            ignore_case: false,
        }),
    },
    RoleSpec {
        kind: Kind::Query,
        name: "query",
        written: "`#[query]`",
        arguments: Some(query_arguments),
        body: false,
        once: false,
        unique: Some(Unique {
            what: "query parameter",
            verb: "sends",
            ignore_case: false,
        }),
    },
    RoleSpec {
        kind: Kind::Header,
        name: "header",
        written: "`#[header(\"…\")]`",
        arguments: Some(header_arguments),
        body: false,
        once: false,
        unique: Some(Unique {
            what: "header",
            verb: "sets",
            ignore_case: true,
        }),
    },
    RoleSpec {
        kind: Kind::Body,
        name: "body",
        written: "`#[body]`",
        arguments: Some(body_arguments),
        body: true,
        once: false,
        unique: None,
    },
    RoleSpec {
        kind: Kind::Form,
        name: "form",
        written: "`#[form]`",
        arguments: None,
        body: true,
        once: false,
        unique: None,
    },
    RoleSpec {
        kind: Kind::Multipart,
        name: "multipart",
        written: "`#[multipart]`",
        arguments: None,
        body: true,
        once: false,
        unique: None,
    },
    RoleSpec {
        kind: Kind::Options,
        name: "options",
        written: "`#[options]`",
        arguments: None,
        body: false,
        once: true,
        unique: None,
    },
];

/// The entry of an attribute named exactly like a role.
pub fn find(attr: &syn::Attribute) -> Option<&'static RoleSpec> {
    ROLES.iter().find(|spec| attr.path().is_ident(spec.name))
}

/// "`#[path]`, `#[query]`, …": every role attribute, for messages.
pub fn list() -> String {
    let written: Vec<&str> = ROLES.iter().map(|spec| spec.written).collect();
    written.join(", ")
}

/// The role attribute a one-word attribute is a typo of (`#[qeury]`), if any: the closest
/// within two edits (the first in the table on a tie).
pub fn misspelled(attr: &syn::Attribute) -> Option<&'static RoleSpec> {
    let written = attr.path().get_ident()?.to_string();
    if find(attr).is_some() {
        return None;
    }
    ROLES
        .iter()
        .filter(|spec| spec.name.len() >= 4)
        .map(|spec| (edit_distance(spec.name, &written), spec))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, spec)| spec)
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

fn body_arguments(meta: &Meta) -> syn::Result<Value> {
    let usage = "expected `#[body]` (JSON) or `#[body(content_type = \"…\")]` (raw bytes)";
    let list = match meta {
        Meta::Path(_) => return Ok(Value::None),
        Meta::List(list) => list,
        meta => return Err(syn::Error::new_spanned(meta, usage)),
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
        .map(Value::ContentType)
        .ok_or_else(|| syn::Error::new_spanned(meta, usage))
}

fn query_arguments(meta: &Meta) -> syn::Result<Value> {
    let usage = "expected `#[query]`, `#[query(\"wireName\")]` or `#[query(flatten)]`";
    let list = match meta {
        Meta::Path(_) => return Ok(Value::None),
        Meta::List(list) => list,
        meta => return Err(syn::Error::new_spanned(meta, usage)),
    };
    if let Ok(ident) = list.parse_args::<Ident>() {
        return if ident == "flatten" {
            Ok(Value::Flatten)
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
    Ok(Value::Name(name))
}

fn path_arguments(meta: &Meta) -> syn::Result<Value> {
    let usage = "expected `#[path]` or `#[path(\"nameInThePath\")]`";
    let list = match meta {
        Meta::Path(_) => return Ok(Value::None),
        Meta::List(list) if list.tokens.is_empty() => {
            return Err(syn::Error::new_spanned(meta, usage));
        }
        Meta::List(list) => list,
        meta => return Err(syn::Error::new_spanned(meta, usage)),
    };
    let name: LitStr = list
        .parse_args()
        .map_err(|_| syn::Error::new_spanned(&list.tokens, usage))?;
    let value = name.value();
    let problem = match path::name_problem(&value) {
        None => return Ok(Value::Name(name)),
        Some(_) if value.len() > 2 && value.ends_with("..") => format!(
            "`..` belongs in the path, not here: `#[path({:?})]` with `<{value}>`",
            &value[..value.len() - 2]
        ),
        Some(NameProblem::Empty) => format!("empty path parameter name: {usage}"),
        Some(NameProblem::Character(c)) => format!(
            "invalid path parameter name {value:?}: the character `{}` is not allowed; {}",
            c.escape_debug(),
            path::NAME_RULE
        ),
        Some(NameProblem::Dots) => {
            format!("invalid path parameter name {value:?}: {}", path::DOTS_RULE)
        }
    };
    Err(syn::Error::new_spanned(&name, problem))
}

fn header_arguments(meta: &Meta) -> syn::Result<Value> {
    let usage = "expected `#[header(\"X-Header-Name\")]`";
    let Meta::List(list) = meta else {
        return Err(syn::Error::new_spanned(meta, usage));
    };
    let name: LitStr = list
        .parse_args()
        .map_err(|_| syn::Error::new_spanned(&list.tokens, usage))?;
    check_header_name(&name, "a method argument")?;
    Ok(Value::Name(name))
}

/// A header that the client, the body or the connection sets: no argument may set it.
pub struct ReservedHeader {
    /// Lower case.
    pub name: &'static str,
    /// Who sets it, for the message.
    pub owner: &'static str,
    /// Also refused by the runtime's `CallOptions::header`. `Authorization` is not: a call's
    /// options may replace the client's credentials.
    pub in_call_options: bool,
}

const CLIENT: &str = "the client (see `Auth` and the base URL)";
const BODY: &str = "the body";

/// The one list of reserved headers: the runtime reads it through `__reserved_headers!()`.
pub static RESERVED_HEADERS: &[ReservedHeader] = &[
    ReservedHeader {
        name: "authorization",
        in_call_options: false,
        owner: CLIENT,
    },
    ReservedHeader {
        name: "content-type",
        in_call_options: true,
        owner: BODY,
    },
    ReservedHeader {
        name: "content-length",
        in_call_options: true,
        owner: BODY,
    },
    ReservedHeader {
        name: "transfer-encoding",
        in_call_options: true,
        owner: BODY,
    },
    ReservedHeader {
        name: "host",
        in_call_options: true,
        owner: CLIENT,
    },
];

/// `setter` names what may not set a reserved header, for the message.
pub fn check_header_name(name: &LitStr, setter: &str) -> syn::Result<()> {
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
    if let Some(reserved) = RESERVED_HEADERS.iter().find(|r| r.name == lower) {
        return Err(syn::Error::new_spanned(
            name,
            format!(
                "the header `{value}` is set by {}; {setter} cannot set it",
                reserved.owner
            ),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_names_every_role_once() {
        assert_eq!(
            list(),
            "`#[path]`, `#[query]`, `#[header(\"…\")]`, `#[body]`, `#[form]`, `#[multipart]`, `#[options]`"
        );
    }

    #[test]
    fn a_typo_suggests_the_closest_role() {
        let attr = |text: &str| -> syn::Attribute {
            let ident = syn::Ident::new(text, proc_macro2::Span::call_site());
            syn::parse_quote!(#[#ident])
        };
        let meant = |text: &str| misspelled(&attr(text)).map(|spec| spec.name);
        assert_eq!(meant("qeury"), Some("query"));
        assert_eq!(meant("borm"), Some("form"));
        assert_eq!(meant("heade"), Some("header"));
        assert_eq!(meant("query"), None);
        assert_eq!(meant("serde"), None);
    }
}
