//! What the fake makes of each operation before the first request: the body media types it
//! accepts, the answer it generates, and what it cannot serve faithfully ([`Limit`]).

use std::fmt;
use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::document::{Operation, Schema, Spec};
use crate::fake::answer::Answer;
use crate::fake::errors::Refusal;
use crate::fake::security::{SchemeKind, Schemes};

/// Something in the document the fake cannot serve faithfully, found when it is built.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limit {
    /// The operation, by `operationId` (or method and path template).
    pub operation: String,
    /// What kind of limit.
    pub kind: LimitKind,
    /// The limit in a sentence.
    pub detail: String,
}

/// The kinds of [`Limit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LimitKind {
    /// The success answer is documented only in media types the fake cannot write (XML,
    /// HTML, images, …): the operation answers 501 unless it has a handler.
    Answer,
    /// The operation documents callbacks; the fake never calls them.
    Callbacks,
    /// A cookie parameter: not read, not validated.
    CookieParameter,
    /// A security scheme the fake cannot check (an `apiKey` in a cookie, `http` schemes
    /// other than bearer and basic, mutual TLS): a request that meets no other requirement
    /// of the operation answers 501.
    Security,
    /// Request bodies of this media type (XML, …) are accepted without validation.
    UnvalidatedBody,
    /// A parameter serialization (`deepObject`, `pipeDelimited`, `content`, …) the fake
    /// reads as plain form values.
    ParameterStyle,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation, self.detail)
    }
}

/// How the fake reads a request body of one media type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MediaKind {
    Json,
    Form,
    Multipart,
    /// Bytes the schema says nothing checkable about (`format: binary`, text, images).
    Raw,
    /// A structured type the fake cannot parse (XML): accepted unvalidated, listed as a limit.
    Unvalidated,
}

pub(crate) struct Accepted {
    pub(crate) media_type: String,
    pub(crate) kind: MediaKind,
    pub(crate) schema: Schema,
}

enum Success {
    Empty(u16),
    /// A status and where its body comes from: `{"example": …}` or `{"schema": …}`.
    Json(u16, Value),
    Text(u16, String, Value),
    Unservable(String),
}

/// The fake's reading of one operation.
pub(crate) struct Plan {
    pub(crate) name: String,
    pub(crate) accepts: Vec<Accepted>,
    pub(crate) body_required: bool,
    /// Query parameters sent comma-separated (`explode: false` arrays).
    pub(crate) comma_separated: Vec<String>,
    success: Success,
    /// `(name, example or schema)` of the success answer's documented headers.
    headers: Vec<(String, Value)>,
    generated: OnceLock<Result<Answer, Refusal>>,
    pub(crate) limits: Vec<Limit>,
}

// One reading of a `$ref` for the loader, the document and the fake.
pub(crate) use crate::document::follow_refs as resolve;

/// `application/json`, `application/*+json`, `text/json`: the media types read as JSON.
pub(crate) fn is_json(media_type: &str) -> bool {
    match media_type.split_once('/') {
        Some((_, subtype)) => subtype == "json" || subtype.ends_with("+json"),
        None => false,
    }
}

pub(crate) fn media_kind(media_type: &str) -> MediaKind {
    let media_type = media_type.to_ascii_lowercase();
    if is_json(&media_type) {
        MediaKind::Json
    } else if media_type == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if media_type == "multipart/form-data" {
        MediaKind::Multipart
    } else if media_type.contains("xml") {
        MediaKind::Unvalidated
    } else {
        MediaKind::Raw
    }
}

/// Whether a body sent as `sent` is one the document's `declared` media type covers.
pub(crate) fn covers(declared: &str, sent: &str) -> bool {
    let declared = declared.to_ascii_lowercase();
    declared == sent
        || declared == "*/*"
        || declared
            .strip_suffix("/*")
            .is_some_and(|kind| sent.split('/').next() == Some(kind))
        || (is_json(&declared) && is_json(sent))
}

/// The operation's name in messages: its `operationId`, else `METHOD /template`.
pub(crate) fn name_of(operation: &Operation) -> String {
    if operation.id().is_empty() {
        format!("{} {}", operation.method(), operation.template())
    } else {
        operation.id().to_owned()
    }
}

impl Plan {
    pub(crate) fn new(spec: &Spec, operation: &Operation, schemes: &Schemes) -> Plan {
        let document = spec.document();
        let object = operation.object();
        let name = name_of(operation);
        let mut limits = Vec::new();
        let mut limit = |kind, detail: String| {
            limits.push(Limit {
                operation: name.clone(),
                kind,
                detail,
            })
        };

        let request_body = resolve(document, &object["requestBody"]);
        let accepts: Vec<Accepted> = request_body["content"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(media_type, media)| {
                let kind = media_kind(media_type);
                if kind == MediaKind::Unvalidated {
                    limit(
                        LimitKind::UnvalidatedBody,
                        format!(
                            "request bodies sent as `{media_type}` are accepted without validation"
                        ),
                    );
                }
                Accepted {
                    media_type: media_type.to_ascii_lowercase(),
                    kind,
                    schema: spec.compile(media.get("schema").cloned().unwrap_or(json!(true))),
                }
            })
            .collect();

        let mut comma_separated = Vec::new();
        // The operation's parameters and its path item's, which apply unless the operation
        // redefines them (same name and location), as `Operation::parse` merges them.
        let own: Vec<&Value> = object["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|parameter| resolve(document, parameter))
            .collect();
        let inherited = document["paths"][operation.template()]["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|parameter| resolve(document, parameter))
            .filter(|parameter| {
                !own.iter()
                    .any(|o| o["name"] == parameter["name"] && o["in"] == parameter["in"])
            });
        for parameter in own.iter().copied().chain(inherited) {
            let parameter_name = parameter["name"].as_str().unwrap_or_default();
            match parameter["in"].as_str() {
                Some("cookie") => limit(
                    LimitKind::CookieParameter,
                    format!(
                        "the cookie parameter `{parameter_name}` is neither read nor validated"
                    ),
                ),
                Some("query") if parameter["explode"] == false => {
                    comma_separated.push(parameter_name.to_owned())
                }
                _ => {}
            }
            let style = parameter["style"].as_str();
            if parameter.get("content").is_some()
                || matches!(
                    style,
                    Some("deepObject" | "pipeDelimited" | "spaceDelimited" | "matrix" | "label")
                )
            {
                limit(
                    LimitKind::ParameterStyle,
                    format!(
                        "the parameter `{parameter_name}` ({}) is read as a plain value",
                        style.map_or_else(
                            || "`content`".to_owned(),
                            |style| format!("style `{style}`")
                        )
                    ),
                );
            }
        }

        if object.get("callbacks").is_some() {
            limit(
                LimitKind::Callbacks,
                "the operation documents callbacks, which the fake never calls".to_owned(),
            );
        }
        for requirement in operation.security() {
            for scheme in requirement
                .as_object()
                .into_iter()
                .flatten()
                .map(|(name, _)| name)
            {
                match schemes.get(scheme) {
                    Some(SchemeKind::Unsupported(why)) => limit(
                        LimitKind::Security,
                        format!(
                            "the security scheme `{scheme}` ({why}) cannot be checked: a request meeting no other requirement answers 501"
                        ),
                    ),
                    None => limit(
                        LimitKind::Security,
                        format!(
                            "the security scheme `{scheme}` is not in `components.securitySchemes`: a request meeting no other requirement answers 501"
                        ),
                    ),
                    Some(_) => {}
                }
            }
        }

        let (success, headers) = success(document, object);
        if let Success::Unservable(reason) = &success {
            limit(
                LimitKind::Answer,
                format!("{reason}; it answers 501 unless it has a handler"),
            );
        }
        Plan {
            name: name.clone(),
            accepts,
            body_required: request_body["required"] == true,
            comma_separated,
            success,
            headers,
            generated: OnceLock::new(),
            limits,
        }
    }

    /// The accepted media type a body sent as `sent` is read as. Without a `Content-Type`,
    /// a body is JSON if the operation takes JSON, else raw bytes if it takes them.
    pub(crate) fn accept(&self, sent: Option<&str>) -> Option<&Accepted> {
        match sent {
            Some(sent) => self
                .accepts
                .iter()
                .find(|accepted| covers(&accepted.media_type, sent)),
            None => self
                .accepts
                .iter()
                .find(|accepted| accepted.kind == MediaKind::Json)
                .or_else(|| {
                    self.accepts
                        .iter()
                        .find(|accepted| accepted.media_type == "application/octet-stream")
                }),
        }
    }

    /// The generated answer (made on first use: generation is deterministic).
    pub(crate) fn answer(&self, spec: &Spec) -> Result<Answer, Refusal> {
        self.generated
            .get_or_init(|| {
                let answer = match &self.success {
                    Success::Empty(status) => Answer::empty(*status),
                    Success::Json(status, source) => Answer::json(*status, instance(spec, source)),
                    Success::Text(status, media_type, source) => {
                        let value = instance(spec, source);
                        Answer::bytes(*status, media_type, text_of(&value))
                    }
                    Success::Unservable(reason) => {
                        return Err(Refusal::NotImplemented {
                            operation: self.name.clone(),
                            reason: reason.clone(),
                        });
                    }
                };
                Ok(self.headers.iter().fold(answer, |answer, (name, source)| {
                    answer.header(name.as_str(), text_of(&instance(spec, source)))
                }))
            })
            .clone()
    }
}

/// A documented example (`{"example": …}`) as is, or an instance of a schema.
fn instance(spec: &Spec, source: &Value) -> Value {
    match source.get("example") {
        Some(example) => example.clone(),
        None => spec.instance(&source["schema"]),
    }
}

/// A value as header or body text: a string as is, anything else as JSON.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The documented example of a media object: `example`, else the first of `examples`.
fn example(document: &Value, media: &Value) -> Option<Value> {
    if let Some(example) = media.get("example") {
        return Some(example.clone());
    }
    let examples = media.get("examples")?;
    let first = match examples {
        Value::Object(map) => map.values().next()?,
        Value::Array(list) => return list.first().cloned(),
        _ => return None,
    };
    resolve(document, first).get("value").cloned()
}

/// The success answer: the first documented 2xx response, else `default` answered as 200
/// (a client calling an operation expects a success, and `default` is the only answer the
/// document describes for it).
fn success(document: &Value, object: &Value) -> (Success, Vec<(String, Value)>) {
    let responses = object["responses"].as_object();
    let chosen = responses
        .into_iter()
        .flatten()
        .filter(|(status, _)| status.starts_with('2'))
        .min_by_key(|(status, _)| status.as_str())
        .map(|(status, response)| (status.parse().unwrap_or(200), response))
        .or_else(|| {
            responses
                .and_then(|responses| responses.get("default"))
                .map(|response| (200, response))
        });
    let Some((status, response)) = chosen else {
        return (Success::Empty(200), Vec::new());
    };
    let response = resolve(document, response);
    let headers = response["headers"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("content-type"))
        .map(|(name, header)| {
            let header = resolve(document, header);
            let source = match header.get("example") {
                Some(example) => json!({ "example": example }),
                None => json!({ "schema": header.get("schema").cloned().unwrap_or(json!({"type": "string"})) }),
            };
            (name.clone(), source)
        })
        .collect();
    let Some(content) = response["content"]
        .as_object()
        .filter(|content| !content.is_empty())
    else {
        return (Success::Empty(status), headers);
    };
    let source = |media: &Value| match example(document, media) {
        Some(example) => json!({ "example": example }),
        None => json!({ "schema": media.get("schema").cloned().unwrap_or(json!({})) }),
    };
    if let Some((_, media)) = content
        .iter()
        .find(|(media_type, _)| is_json(&media_type.to_ascii_lowercase()) || *media_type == "*/*")
    {
        return (Success::Json(status, source(media)), headers);
    }
    if let Some((media_type, media)) = content
        .iter()
        .find(|(media_type, _)| media_type.to_ascii_lowercase().starts_with("text/plain"))
    {
        return (
            Success::Text(status, media_type.clone(), source(media)),
            headers,
        );
    }
    let types: Vec<String> = content
        .keys()
        .map(|media_type| format!("`{media_type}`"))
        .collect();
    (
        Success::Unservable(format!(
            "its {status} answer is documented only as {}, and the fake writes JSON and plain text only",
            types.join(", ")
        )),
        headers,
    )
}
