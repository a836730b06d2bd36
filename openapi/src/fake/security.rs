//! The document's security schemes, and whether a request meets an operation's
//! requirements.
//!
//! | scheme                          | the credential                                        |
//! |---------------------------------|-------------------------------------------------------|
//! | `http` `bearer`, `oauth2`, `openIdConnect` | `Authorization: Bearer <credential>`       |
//! | `http` `basic`                  | `Authorization: Basic <base64(credential)>`, `credential` being `user:password` |
//! | `apiKey` `in: header` / `query` | the header's or query parameter's value               |
//! | `apiKey` `in: cookie`, other `http` schemes, `mutualTLS` | not checked: see [`LimitKind::Security`](crate::fake::LimitKind::Security) |

use std::collections::HashMap;
use std::fmt;

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use base64::Engine as _;
use serde_json::Value;

use crate::document::Operation;
use crate::fake::Shared;

/// A credential a request presents for one security scheme, as a
/// [`FakeApi::authenticate`](crate::fake::FakeApi::authenticate) check sees it. Its `Debug`
/// hides the value.
#[derive(Clone, Copy)]
pub struct Credential<'a> {
    scheme: &'a str,
    value: &'a str,
}

impl<'a> Credential<'a> {
    pub(crate) fn new(scheme: &'a str, value: &'a str) -> Credential<'a> {
        Credential { scheme, value }
    }

    /// The scheme's name in `components.securitySchemes`.
    pub fn scheme(&self) -> &'a str {
        self.scheme
    }

    /// The credential: a bearer token, `user:password` for basic, an API key's value.
    pub fn value(&self) -> &'a str {
        self.value
    }
}

impl fmt::Debug for Credential<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("scheme", &self.scheme)
            .field("value", &"<redacted>")
            .finish()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SchemeKind {
    Bearer,
    Basic,
    Header(String),
    Query(String),
    /// Why the fake cannot check it.
    Unsupported(String),
}

pub(crate) type Schemes = HashMap<String, SchemeKind>;

/// The document's `components.securitySchemes`.
pub(crate) fn schemes(document: &Value) -> Schemes {
    document["components"]["securitySchemes"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, scheme)| {
            let scheme = crate::fake::plan::resolve(document, scheme);
            let kind = match (scheme["type"].as_str(), scheme["in"].as_str()) {
                (Some("http"), _) => {
                    match scheme["scheme"]
                        .as_str()
                        .map(str::to_ascii_lowercase)
                        .as_deref()
                    {
                        Some("bearer") => SchemeKind::Bearer,
                        Some("basic") => SchemeKind::Basic,
                        other => SchemeKind::Unsupported(format!(
                            "`http` scheme `{}`",
                            other.unwrap_or_default()
                        )),
                    }
                }
                (Some("oauth2" | "openIdConnect"), _) => SchemeKind::Bearer,
                (Some("apiKey"), Some("header")) => {
                    SchemeKind::Header(scheme["name"].as_str().unwrap_or_default().to_owned())
                }
                (Some("apiKey"), Some("query")) => {
                    SchemeKind::Query(scheme["name"].as_str().unwrap_or_default().to_owned())
                }
                (Some("apiKey"), Some("cookie")) => {
                    SchemeKind::Unsupported("an `apiKey` sent in a cookie".to_owned())
                }
                (kind, _) => {
                    SchemeKind::Unsupported(format!("type `{}`", kind.unwrap_or("(none)")))
                }
            };
            (name.clone(), kind)
        })
        .collect()
}

/// What the security check decided.
pub(crate) enum Outcome {
    Allowed,
    /// No requirement met: the schemes asked for, and `WWW-Authenticate` challenges.
    Refused(Vec<String>, Vec<&'static str>),
    /// Only requirements the fake cannot check remain.
    Unsupported(String),
}

/// Whether the request meets one of `operation`'s security requirements (all the schemes
/// of one requirement object).
pub(crate) fn check(
    shared: &Shared,
    operation: &Operation,
    headers: &HeaderMap,
    query: &[(String, String)],
) -> Outcome {
    let requirements = operation.security();
    if requirements.is_empty() {
        return Outcome::Allowed;
    }
    let mut asked = Vec::new();
    let mut challenges = Vec::new();
    let mut blocked = None;
    for requirement in requirements {
        let mut unsupported = None;
        let Some(requirement) = requirement.as_object() else {
            continue;
        };
        let mut met = true;
        let mut only_unsupported = true;
        for scheme in requirement.keys() {
            let kind = shared.schemes.get(scheme);
            let credential = match kind {
                Some(SchemeKind::Bearer) => authorization(headers, "bearer"),
                Some(SchemeKind::Basic) => authorization(headers, "basic").and_then(|encoded| {
                    let decoded = base64::engine::general_purpose::STANDARD
                        .decode(encoded.trim())
                        .ok()?;
                    String::from_utf8(decoded)
                        .ok()
                        .filter(|text| text.contains(':'))
                }),
                Some(SchemeKind::Header(name)) => headers
                    .get(name.as_str())
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_owned),
                Some(SchemeKind::Query(name)) => query
                    .iter()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.clone()),
                Some(SchemeKind::Unsupported(why)) => {
                    met = false;
                    unsupported.get_or_insert_with(|| {
                        format!("it requires the security scheme `{scheme}` ({why}), which the fake cannot check")
                    });
                    continue;
                }
                None => {
                    met = false;
                    unsupported.get_or_insert_with(|| {
                        format!("it requires the security scheme `{scheme}`, which `components.securitySchemes` does not define")
                    });
                    continue;
                }
            };
            let accepted = credential.is_some_and(|value| shared.accepts(scheme, &value));
            if !accepted {
                met = false;
                only_unsupported = false;
                if !asked.contains(scheme) {
                    asked.push(scheme.clone());
                }
                let challenge = match kind {
                    Some(SchemeKind::Bearer) => Some("Bearer"),
                    Some(SchemeKind::Basic) => Some("Basic realm=\"fake\""),
                    _ => None,
                };
                if let Some(challenge) = challenge.filter(|c| !challenges.contains(c)) {
                    challenges.push(challenge);
                }
            }
        }
        if met {
            return Outcome::Allowed;
        }
        if only_unsupported && blocked.is_none() {
            blocked = unsupported;
        }
    }
    match blocked {
        Some(reason) => Outcome::Unsupported(reason),
        None => Outcome::Refused(asked, challenges),
    }
}

/// The credential of `Authorization: <scheme> <credential>`; the scheme name is
/// case-insensitive (RFC 9110), the credential is not.
fn authorization(headers: &HeaderMap, wanted: &str) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, credential) = value.trim().split_once(' ')?;
    let credential = credential.trim_start();
    (scheme.eq_ignore_ascii_case(wanted) && !credential.is_empty()).then(|| credential.to_owned())
}

/// Compares without an early exit, so response timing does not reveal how much of a
/// guessed credential was right.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
