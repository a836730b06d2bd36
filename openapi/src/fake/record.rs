//! The requests a fake received, kept for a test's assertions.

use axum::body::Bytes;
use axum::http::{HeaderMap, Method};
use serde_json::Value;

/// One request as the fake received it, and what it answered.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Recorded {
    /// The method.
    pub method: Method,
    /// The path as sent (percent-encoded), without the query.
    pub path: String,
    /// The query string as sent, without `?`, if there was one.
    pub query: Option<String>,
    /// The headers.
    pub headers: HeaderMap,
    /// The body's bytes (empty for a request refused before its body was read in full, such
    /// as one larger than the limit).
    pub body: Bytes,
    /// The `operationId` of the operation the request was routed to, if any.
    pub operation_id: Option<String>,
    /// The status the fake answered (0 while the request is being answered).
    pub status: u16,
}

impl Recorded {
    /// The path percent-decoded, as the fake routes it.
    pub fn decoded_path(&self) -> String {
        percent_encoding::percent_decode_str(&self.path)
            .decode_utf8_lossy()
            .into_owned()
    }

    /// The query's `name=value` pairs, decoded.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.query.as_deref().unwrap_or_default().as_bytes())
            .into_owned()
            .collect()
    }

    /// The header `name`'s value, if sent once as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}
