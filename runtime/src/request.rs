//! Building, sending and decoding one call. The generated code creates a [`Request`], hands
//! it the arguments and awaits [`Request::send`]; everything else happens here.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use http::HeaderValue;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Client, Endpoint, Error};

/// Everything but RFC 3986's unreserved characters is encoded, so a value is always exactly
/// one segment: `/`, `?`, `#`, `%`, spaces and non-ASCII can never change the route.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How much of an error response is read: enough for any validation report, bounded so that
/// a misbehaving server cannot make us buffer much to produce an error message.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// One call being assembled by generated code. Argument errors are kept and returned by
/// [`send`](Request::send) before any I/O, so the generated code needs no error handling.
#[doc(hidden)]
pub struct Request<'c> {
    client: &'c Client,
    endpoint: Endpoint,
    path_values: Vec<(&'static str, String)>,
    json_body: Option<Vec<u8>>,
    error: Option<Error>,
}

impl<'c> Request<'c> {
    pub fn new(client: &'c Client, endpoint: Endpoint) -> Self {
        Request {
            path_values: Vec::with_capacity(endpoint.path_params().len()),
            client,
            endpoint,
            json_body: None,
            error: None,
        }
    }

    /// Renders a path parameter with `Display` and percent-encodes it as one segment.
    pub fn path_param(&mut self, name: &'static str, value: &dyn fmt::Display) {
        let mut rendered = String::new();
        if write!(rendered, "{value}").is_err() {
            return self.fail(Error::invalid_argument(
                name,
                "its `Display` implementation failed",
            ));
        }
        let problem = match rendered.as_str() {
            "" => Some("a path parameter must not be empty"),
            "." | ".." => {
                Some("a path parameter must not be `.` or `..`, which would change the route")
            }
            _ => None,
        };
        if let Some(problem) = problem {
            return self.fail(Error::invalid_argument(name, problem));
        }
        // Most values (ids) need no escaping: keep the rendered string then.
        let escaped = match Cow::from(percent_encoding::utf8_percent_encode(
            &rendered,
            PATH_SEGMENT,
        )) {
            Cow::Borrowed(_) => None,
            Cow::Owned(escaped) => Some(escaped),
        };
        self.path_values.push((name, escaped.unwrap_or(rendered)));
    }

    /// Serializes the body now, so that the future does not borrow the caller's value.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, name: &'static str, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.json_body = Some(bytes),
            Err(error) => self.fail(
                Error::invalid_argument(name, "the body could not be serialized as JSON")
                    .with_source(error),
            ),
        }
    }

    fn fail(&mut self, error: Error) {
        // The first problem is the one to fix first; later ones are often its consequences.
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Sends the request and decodes a success body as `T`. An empty success body (e.g. 204)
    /// decodes as JSON `null`, so `()` and `Option<_>` accept it.
    pub async fn send<T: DeserializeOwned>(self) -> Result<T, Error> {
        let result = match self.error {
            Some(error) => Err(error),
            None => match execute(
                self.client,
                &self.endpoint,
                &self.path_values,
                self.json_body,
            )
            .await
            {
                Ok(body) => decode(&body),
                Err(error) => Err(error),
            },
        };
        // Every error says which call failed, whichever step it came from.
        result.map_err(|error| error.with_endpoint(&self.endpoint))
    }
}

/// The non-generic part of [`Request::send`]: compiled once, whatever the endpoint.
async fn execute(
    client: &Client,
    endpoint: &Endpoint,
    path_values: &[(&'static str, String)],
    json_body: Option<Vec<u8>>,
) -> Result<Vec<u8>, Error> {
    let url = client.url(|url| expand_path(url, endpoint, path_values))?;
    let settings = client.settings();
    let mut request = settings
        .http
        .request(endpoint.method().clone(), url)
        .header(ACCEPT, APPLICATION_JSON);
    if let Some(auth) = &settings.auth {
        request = request.header(AUTHORIZATION, auth.clone());
    }
    if let Some(user_agent) = &settings.user_agent {
        request = request.header(USER_AGENT, user_agent.clone());
    }
    if let Some(timeout) = settings.timeout {
        request = request.timeout(timeout);
    }
    if let Some(body) = json_body {
        request = request.header(CONTENT_TYPE, APPLICATION_JSON).body(body);
    }
    let response = request.send().await.map_err(Error::transport)?;
    let status = response.status();
    if status.is_success() {
        match read_body(response, settings.max_response_bytes).await? {
            Body::Complete(bytes) => Ok(bytes),
            Body::Truncated(_) => Err(Error::response_too_large(settings.max_response_bytes)),
        }
    } else {
        let bytes = match read_body(response, ERROR_BODY_LIMIT).await {
            Ok(Body::Complete(bytes) | Body::Truncated(bytes)) => bytes,
            // The status is the news; a body cut short by the peer still leaves it.
            Err(_) => Vec::new(),
        };
        Err(Error::from_status(
            status,
            crate::ErrorBody::parse(status, &bytes),
        ))
    }
}

/// Appends the template to `out`, with the encoded values in its `{name}` placeholders.
fn expand_path(
    out: &mut String,
    endpoint: &Endpoint,
    values: &[(&'static str, String)],
) -> Result<(), Error> {
    let template = endpoint.path_template();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| malformed(endpoint))?;
        let name = &after[..close];
        let (_, value) = values
            .iter()
            .find(|(param, _)| *param == name)
            .ok_or_else(|| {
                Error::invalid_argument(name, "no value was given for this path parameter")
            })?;
        out.push_str(value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(())
}

fn malformed(endpoint: &Endpoint) -> Error {
    // The macro validates templates; this guards hand-written `Endpoint`s.
    Error::builder(format!(
        "malformed path template `{}`",
        endpoint.path_template()
    ))
}

enum Body {
    Complete(Vec<u8>),
    Truncated(Vec<u8>),
}

/// Reads at most `limit` bytes, so a huge or endless body costs bounded memory.
async fn read_body(mut response: reqwest::Response, limit: usize) -> Result<Body, Error> {
    // Trust a declared length only so far: a header alone must not make us reserve much.
    const INITIAL_CAPACITY_LIMIT: usize = 64 * 1024;
    let declared = response.content_length().unwrap_or(0);
    let capacity = usize::try_from(declared)
        .unwrap_or(usize::MAX)
        .min(limit)
        .min(INITIAL_CAPACITY_LIMIT);
    let mut bytes = Vec::with_capacity(capacity);
    while let Some(chunk) = response.chunk().await.map_err(Error::transport)? {
        let room = limit - bytes.len();
        if chunk.len() > room {
            bytes.extend_from_slice(&chunk[..room]);
            return Ok(Body::Truncated(bytes));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Body::Complete(bytes))
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let bytes = if bytes.iter().all(u8::is_ascii_whitespace) {
        &b"null"[..]
    } else {
        bytes
    };
    serde_json::from_slice(bytes).map_err(|error| Error::decode(std::any::type_name::<T>(), error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;

    const ENDPOINT: Endpoint = Endpoint::new(
        "get_file",
        Method::GET,
        "/ws/{workspace_id}/files/{name}.json",
        &["workspace_id", "name"],
    );

    fn expand(values: &[(&'static str, &str)]) -> Result<String, Error> {
        let client = Client::builder().build().unwrap();
        let mut request = Request::new(&client, ENDPOINT);
        for (name, value) in values {
            request.path_param(name, value);
        }
        if let Some(error) = request.error {
            return Err(error);
        }
        let mut path = String::new();
        expand_path(&mut path, &ENDPOINT, &request.path_values).map(|()| path)
    }

    #[test]
    fn values_are_encoded_as_exactly_one_segment() {
        assert_eq!(
            expand(&[("workspace_id", "abc"), ("name", "x")]).unwrap(),
            "/ws/abc/files/x.json"
        );
        assert_eq!(
            expand(&[("workspace_id", "a/b?c#d%e f"), ("name", "ünï-._~")]).unwrap(),
            "/ws/a%2Fb%3Fc%23d%25e%20f/files/%C3%BCn%C3%AF-._~.json"
        );
        assert_eq!(
            expand(&[("name", "..."), ("workspace_id", "..a")]).unwrap(),
            "/ws/..a/files/....json"
        );
    }

    #[test]
    fn empty_dot_and_dot_dot_are_rejected() {
        for bad in ["", ".", ".."] {
            let error = expand(&[("workspace_id", bad), ("name", "x")]).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument);
            assert!(error.to_string().contains("`workspace_id`"), "{error}");
        }
    }

    #[test]
    fn a_missing_value_is_an_error_not_a_panic() {
        let error = expand(&[("workspace_id", "a")]).unwrap_err();
        assert!(error.to_string().contains("`name`"), "{error}");
    }

    #[test]
    fn empty_success_bodies_decode_as_null() {
        decode::<()>(b"").unwrap();
        assert_eq!(decode::<Option<u32>>(b" ").unwrap(), None);
        let error = decode::<Vec<u32>>(b"").unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Decode);
        assert!(
            error.to_string().contains("alloc::vec::Vec<u32>"),
            "{error}"
        );
    }
}
