//! What a handler receives ([`Call`], its [`Body`]) and what it gives back ([`Answer`]).

use std::fmt;
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::document::{Operation, Spec};
use crate::fake::Shared;
use crate::fake::record::Recorded;
use crate::validate::Parameters;

/// An answer of the fake: a status, headers, and a body (JSON, text or bytes) or none.
#[derive(Clone, Debug)]
pub struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Option<(String, Bytes)>,
}

impl Answer {
    /// `status` with `body` as `application/json`.
    pub fn json(status: u16, body: Value) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            // Serializing a `Value` cannot fail: its map keys are strings.
            body: Some((
                "application/json".to_owned(),
                Bytes::from(serde_json::to_vec(&body).unwrap_or_default()),
            )),
        }
    }

    /// `status` with `text` as `text/plain; charset=utf-8`.
    pub fn text(status: u16, text: impl Into<String>) -> Answer {
        Answer::bytes(status, "text/plain; charset=utf-8", text.into())
    }

    /// `status` with `bytes` as `content_type`.
    pub fn bytes(status: u16, content_type: &str, bytes: impl Into<Bytes>) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: Some((content_type.to_owned(), bytes.into())),
        }
    }

    /// `status` without a body.
    pub fn empty(status: u16) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: None,
        }
    }

    /// The same answer with the header `name: value` added. A name or value HTTP does not
    /// allow turns the answer into a 500 that says which.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Answer {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The same answer with its body's `Content-Type` replaced (e.g.
    /// `application/problem+json`); no effect on an answer without a body.
    pub fn content_type(mut self, content_type: &str) -> Answer {
        if let Some((kind, _)) = &mut self.body {
            *kind = content_type.to_owned();
        }
        self
    }

    /// The status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The headers added with [`Answer::header`].
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The body's content type and bytes, if it has one.
    pub fn body(&self) -> Option<(&str, &[u8])> {
        self.body
            .as_ref()
            .map(|(kind, bytes)| (kind.as_str(), bytes.as_ref()))
    }

    /// The body as JSON, if it is JSON.
    pub fn body_json(&self) -> Option<Value> {
        self.body()
            .and_then(|(_, bytes)| serde_json::from_slice(bytes).ok())
    }

    pub(crate) fn into_response(self) -> Response {
        let Ok(status) = StatusCode::from_u16(self.status) else {
            return internal(&format!("a handler answered status {}", self.status));
        };
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            match (
                HeaderName::try_from(name.as_str()),
                HeaderValue::try_from(value.as_str()),
            ) {
                (Ok(name), Ok(value)) => {
                    headers.append(name, value);
                }
                _ => return internal(&format!("a handler answered the header `{name}: {value}`")),
            }
        }
        let mut response = match self.body {
            Some((content_type, bytes)) => {
                let Ok(content_type) = HeaderValue::try_from(content_type.as_str()) else {
                    return internal(&format!("a handler answered content type `{content_type}`"));
                };
                let mut response = (status, bytes).into_response();
                response
                    .headers_mut()
                    .insert(axum::http::header::CONTENT_TYPE, content_type);
                response
            }
            None => status.into_response(),
        };
        for (name, value) in headers {
            if let Some(name) = name {
                response.headers_mut().append(name, value);
            }
        }
        response
    }
}

fn internal(why: &str) -> Response {
    let body = serde_json::json!({ "detail": format!("the fake cannot send this answer: {why}") });
    (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response()
}

/// One part of a `multipart/form-data` body.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Part {
    /// The form field's name.
    pub name: String,
    /// The file name, for a file part.
    pub file_name: Option<String>,
    /// The part's own `Content-Type`, if it has one.
    pub content_type: Option<String>,
    /// The content.
    pub bytes: Bytes,
}

/// A request body as the fake read it, after validation.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Body {
    /// No body (an empty body counts as none).
    Empty,
    /// A JSON body.
    Json(Value),
    /// An `application/x-www-form-urlencoded` body, as the JSON object it was validated as
    /// (values converted to the types their property schemas name, repeated keys of an
    /// array property collected).
    Form(Value),
    /// A `multipart/form-data` body, part by part.
    Multipart(Vec<Part>),
    /// Any other body (`application/octet-stream`, images, XML, …), unread.
    Bytes {
        /// The request's `Content-Type`.
        content_type: String,
        /// The bytes sent.
        bytes: Bytes,
    },
}

/// A validated, authorized request to one operation, as a handler receives it.
pub struct Call {
    pub(crate) shared: Arc<Shared>,
    pub(crate) index: usize,
    pub(crate) parameters: Parameters,
    pub(crate) body: Body,
    pub(crate) request: Recorded,
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", self.operation())
            .field("parameters", &self.parameters)
            .field("body", &self.body)
            .field("request", &self.request)
            .finish_non_exhaustive()
    }
}

impl Call {
    /// The operation called.
    pub fn operation(&self) -> &Operation {
        // `index` came from routing over these very operations.
        &self.shared.spec.operations()[self.index]
    }

    /// The document.
    pub fn spec(&self) -> &Spec {
        &self.shared.spec
    }

    /// The path, query and header parameters, converted to the JSON types their schemas
    /// name, with the documented defaults where one was not sent.
    pub fn parameters(&self) -> &Parameters {
        &self.parameters
    }

    /// The parameter `name` (path, query or header), if sent or defaulted.
    pub fn param(&self, name: &str) -> Option<&Value> {
        self.parameters.get(name)
    }

    /// The body.
    pub fn body(&self) -> &Body {
        &self.body
    }

    /// The body as JSON: a JSON body, or a form body's object; `null` for any other.
    pub fn json(&self) -> &Value {
        match &self.body {
            Body::Json(value) | Body::Form(value) => value,
            _ => &Value::Null,
        }
    }

    /// The request as received (headers, raw body bytes, …).
    pub fn request(&self) -> &Recorded {
        &self.request
    }

    /// The request headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.request.headers
    }

    /// The fake's base URL, `http://127.0.0.1:PORT`, for answers that link back to it.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// The answer the fake gives when no handler is written: the documented example, or an
    /// instance generated from the success schema. A handler returns it to defer, or
    /// changes it.
    pub fn generated(&self) -> Answer {
        self.shared.plans[self.index]
            .answer(&self.shared.spec)
            .unwrap_or_else(|refusal| self.shared.errors.refuse(Some(self.operation()), &refusal))
    }
}
