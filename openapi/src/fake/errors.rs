//! How the fake says no: invalid input ([`ErrorShape::invalid`]) and every other refusal
//! ([`Refusal`]), in a shape the user picks. [`FastApi`] answers as a FastAPI service does;
//! [`ProblemJson`] as RFC 9457 describes.

use serde_json::{Value, json};

use crate::document::Operation;
use crate::fake::answer::Answer;
use crate::fake::plan::name_of;
use crate::validate::Problem;

/// Why the fake refuses a request before (or instead of) validating it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// No operation of the document has the path (404).
    NotFound {
        /// The path, percent-decoded.
        path: String,
    },
    /// The path exists with other methods only (405, sent with `Allow`).
    MethodNotAllowed {
        /// The methods the path has.
        allowed: Vec<String>,
    },
    /// No security requirement of the operation is met (401).
    Unauthenticated {
        /// The schemes that would have been accepted, by their document names.
        schemes: Vec<String>,
    },
    /// The body is larger than [`FakeApi::max_body_bytes`](crate::fake::FakeApi::max_body_bytes) (413).
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The body cannot be read as its `Content-Type` says (a broken multipart body) (400).
    UnreadableBody {
        /// What is wrong.
        reason: String,
    },
    /// The body's `Content-Type` is not one the operation's `requestBody` lists (415).
    UnsupportedMediaType {
        /// The media type sent, if any.
        sent: Option<String>,
        /// The media types the document lists.
        accepted: Vec<String>,
    },
    /// The fake cannot answer this faithfully (501): see [`FakeApi::limits`](crate::fake::FakeApi::limits).
    NotImplemented {
        /// The operation, by `operationId` (or method and path).
        operation: String,
        /// Why.
        reason: String,
    },
}

impl Refusal {
    /// The HTTP status the refusal is.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::NotFound { .. } => 404,
            Refusal::MethodNotAllowed { .. } => 405,
            Refusal::Unauthenticated { .. } => 401,
            Refusal::BodyTooLarge { .. } => 413,
            Refusal::UnreadableBody { .. } => 400,
            Refusal::UnsupportedMediaType { .. } => 415,
            Refusal::NotImplemented { .. } => 501,
        }
    }

    /// A short title, the status's reason phrase as FastAPI words it (`Not Found`,
    /// `Not authenticated`, …).
    pub fn title(&self) -> &'static str {
        match self {
            Refusal::NotFound { .. } => "Not Found",
            Refusal::MethodNotAllowed { .. } => "Method Not Allowed",
            Refusal::Unauthenticated { .. } => "Not authenticated",
            Refusal::BodyTooLarge { .. } => "Request body too large",
            Refusal::UnreadableBody { .. } => "There was an error parsing the body",
            Refusal::UnsupportedMediaType { .. } => "Unsupported Media Type",
            Refusal::NotImplemented { .. } => "Not Implemented",
        }
    }

    /// The refusal in a sentence, naming what was wrong.
    pub fn detail(&self) -> String {
        match self {
            Refusal::NotFound { path } => {
                format!("no operation of the document has the path `{path}`")
            }
            Refusal::MethodNotAllowed { allowed } => {
                format!("the path has only the methods {}", allowed.join(", "))
            }
            Refusal::Unauthenticated { schemes } => format!(
                "credentials required: one of the security schemes {}",
                schemes.join(", ")
            ),
            Refusal::BodyTooLarge { limit } => {
                format!("the body is larger than the fake's limit of {limit} bytes")
            }
            Refusal::UnreadableBody { reason } => format!("the body cannot be read: {reason}"),
            Refusal::UnsupportedMediaType { sent, accepted } => format!(
                "the body's content type {} is not one the operation accepts ({})",
                sent.as_deref()
                    .map_or_else(|| "(none)".to_owned(), |sent| format!("`{sent}`")),
                accepted.join(", ")
            ),
            Refusal::NotImplemented { operation, reason } => {
                format!("the fake cannot serve `{operation}` faithfully: {reason}")
            }
        }
    }
}

/// How the fake words its errors. Implement [`invalid`](ErrorShape::invalid) for a shape
/// of your own; [`refuse`](ErrorShape::refuse) defaults to `{"detail": "<text>"}`.
pub trait ErrorShape: Send + Sync + 'static {
    /// The answer to a request whose path, query, headers or body break the document: every
    /// problem found, in one answer.
    fn invalid(&self, operation: &Operation, problems: &[Problem]) -> Answer;

    /// The answer to any other refusal. By default `{"detail": "<text>"}` with the
    /// refusal's status: FastAPI's own text for what FastAPI refuses, the fake's sentence
    /// for what only the fake refuses (415, 501).
    fn refuse(&self, operation: Option<&Operation>, refusal: &Refusal) -> Answer {
        let _ = operation;
        detail(refusal)
    }
}

/// FastAPI's shapes: `422 {"detail": [{"type", "loc", "msg", "input", "ctx"?}]}` for invalid
/// input, `{"detail": "Not Found"}` and the like for refusals (FastAPI's own texts where
/// FastAPI refuses too, the fake's sentence for its 415 and 501).
#[derive(Clone, Copy, Debug, Default)]
pub struct FastApi;

impl ErrorShape for FastApi {
    fn invalid(&self, _operation: &Operation, problems: &[Problem]) -> Answer {
        Answer::json(422, json!({ "detail": problems }))
    }
}

/// `{"detail": "<text>"}`: FastAPI's own text for what FastAPI refuses, the fake's sentence
/// for what only the fake refuses (415, 501).
fn detail(refusal: &Refusal) -> Answer {
    let text = match refusal {
        Refusal::UnsupportedMediaType { .. } | Refusal::NotImplemented { .. } => refusal.detail(),
        _ => refusal.title().to_owned(),
    };
    Answer::json(refusal.status(), json!({ "detail": text }))
}

/// RFC 9457 problem details, `application/problem+json`: `400 {"type": "about:blank",
/// "title", "status", "detail", "errors": [{"type", "loc", "detail"}]}` for invalid input,
/// and the same members (without `errors`) for every refusal.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProblemJson;

impl ProblemJson {
    fn answer(status: u16, title: &str, detail: String, errors: Option<Value>) -> Answer {
        let mut body = json!({
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
        });
        if let Some(errors) = errors {
            body["errors"] = errors;
        }
        Answer::json(status, body).content_type("application/problem+json")
    }
}

impl ErrorShape for ProblemJson {
    fn invalid(&self, operation: &Operation, problems: &[Problem]) -> Answer {
        let errors: Vec<Value> = problems
            .iter()
            .map(|problem| json!({ "type": problem.kind, "loc": problem.loc, "detail": problem.msg }))
            .collect();
        let lines: Vec<String> = problems.iter().map(Problem::summary).collect();
        let name = name_of(operation);
        ProblemJson::answer(
            400,
            "Bad Request",
            format!("invalid request to `{name}`: {}", lines.join("; ")),
            Some(Value::Array(errors)),
        )
    }

    fn refuse(&self, _operation: Option<&Operation>, refusal: &Refusal) -> Answer {
        let title = match refusal {
            Refusal::Unauthenticated { .. } => "Unauthorized",
            Refusal::BodyTooLarge { .. } => "Content Too Large",
            Refusal::UnreadableBody { .. } => "Bad Request",
            other => other.title(),
        };
        ProblemJson::answer(refusal.status(), title, refusal.detail(), None)
    }
}
