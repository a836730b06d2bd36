//! Building the call: the generated code creates a [`Request`], hands it each argument (one
//! method per role) and returns [`Request::send_as`], whose future runs the retry loop
//! (`retry::run`) and reads the answer.

use std::fmt::{self, Display, Write as _};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::{HeaderName, HeaderValue};
use serde::Serialize;

use crate::body::{APPLICATION_JSON, FORM_URLENCODED, IntoBody, IntoMultipart, RawBody};
use crate::call::{Body, Call};
use crate::event_stream::Resume;
use crate::in_place::InPlace;
use crate::options::AsCallOptions;
use crate::query::{self, Pairs};
use crate::response::RawResponse;
use crate::url::CallUrl;
use crate::{Client, Endpoint, Error, ResponseKind};

/// One call being assembled by generated code. Argument errors are kept and returned by
/// [`send_as`](Request::send_as) before any I/O, so the generated code needs no error handling.
/// Public only through `__private`.
pub struct Request {
    client: Client,
    /// A `static` of the generated method: a reference, so the request is small to move.
    endpoint: &'static Endpoint,
    call: Call,
    error: Option<Error>,
}

impl Request {
    /// A call of `endpoint` (a `static` of the generated method) on `client`.
    pub fn new(client: &Client, endpoint: &'static Endpoint) -> Self {
        Request {
            call: Call {
                url: CallUrl::new(client.settings()),
                timeout: endpoint.timeout().map(Some),
                ..Call::default()
            },
            // One reference count: the call owns what it needs, so a blocking client can run
            // it on its own runtime.
            client: client.clone(),
            endpoint,
            error: None,
        }
    }

    /// Renders a path parameter with `Display` and percent-encodes it as one segment.
    pub fn path_param(&mut self, name: &'static str, value: &dyn Display) {
        self.path_value(name, value, false);
    }

    /// A multi-segment parameter (`<name..>`): each `/`-separated part is encoded on its
    /// own and the `/` between them is kept.
    pub fn path_rest(&mut self, name: &'static str, value: &dyn Display) {
        self.path_value(name, value, true);
    }

    fn path_value(&mut self, name: &'static str, value: &dyn Display, rest: bool) {
        let written = self.call.url.path_value(self.endpoint, name, value, rest);
        if let Err(problem) = written {
            self.fail(Error::invalid_argument(name, problem));
        }
    }

    /// `#[query]`: `key=value` for a scalar, nothing for `None` or an empty list, the key
    /// repeated for each item of a list.
    pub fn query<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if let Err(problem) = query::named(key, value, &mut self.call.url.query) {
            self.fail(Error::invalid_argument(key, problem));
        }
    }

    /// `#[query(flatten)]`: one parameter per field.
    pub fn query_fields<T: Serialize + ?Sized>(&mut self, argument: &'static str, value: &T) {
        if let Err(problem) = query::flatten(value, &mut self.call.url.query) {
            self.fail(Error::invalid_argument(argument, problem));
        }
    }

    /// `#[header("Name")]`: a header from a `Display` value.
    pub fn header(&mut self, name: &'static str, value: &dyn Display) {
        let result = render(value).and_then(|rendered| {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| "not a valid header name".to_owned())?;
            let value = HeaderValue::try_from(rendered).map_err(|_| {
                "the value contains bytes not allowed in an HTTP header (such as CR or LF)"
                    .to_owned()
            })?;
            Ok((name, value))
        });
        match result {
            Ok((name, value)) => {
                self.call.extras().headers.append(name, value);
            }
            Err(problem) => self.fail(Error::invalid_argument(name, problem)),
        }
    }

    /// `#[body]`: serialized now, so that the future does not borrow the caller's value.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, name: &'static str, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.call.body = Body::Bytes(APPLICATION_JSON, bytes.into()),
            Err(error) => self.fail(
                Error::invalid_argument(name, "the body could not be serialized as JSON")
                    .with_source(error),
            ),
        }
    }

    /// `#[form]`: `application/x-www-form-urlencoded`, one pair per field (lists repeat
    /// the key, `None` is left out).
    pub fn form_body<T: Serialize + ?Sized>(&mut self, name: &'static str, body: &T) {
        let mut pairs = Pairs::new();
        match query::flatten(body, &mut pairs) {
            Ok(()) => {
                let encoded = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(&pairs)
                    .finish();
                self.call.body = Body::Bytes(FORM_URLENCODED, encoded.into());
            }
            Err(problem) => self.fail(Error::invalid_argument(name, problem)),
        }
    }

    /// `#[multipart]`: streamed; file parts are opened when the call is sent.
    pub fn multipart_body<M: IntoMultipart>(&mut self, body: M) {
        self.call.body = Body::Multipart(body.into_multipart());
    }

    /// `#[body(content_type = "…")]`: bytes or a stream, sent as they are.
    pub fn raw_body<B: IntoBody>(&mut self, content_type: &'static str, body: B) {
        let Ok(content_type) = HeaderValue::from_str(content_type) else {
            return self.fail(Error::invalid_argument(
                "body",
                "the content type is not a valid header value",
            ));
        };
        self.call.body = match body.into_body() {
            RawBody::Bytes(bytes) => Body::Bytes(content_type, bytes),
            RawBody::Stream(stream) => Body::Stream(content_type, stream),
        };
    }

    /// `#[options]`: per-call changes, applied last.
    pub fn options(&mut self, options: &dyn AsCallOptions) {
        let Some(options) = options.as_call_options() else {
            return;
        };
        if let Err(error) = options.check() {
            return self.fail(error);
        }
        if let Some(timeout) = options.timeout {
            self.call.timeout = Some(timeout);
        }
        if let Some(retry) = &options.retry {
            self.call.extras().retry = Some(retry.clone());
        }
        if !options.headers.is_empty() {
            self.call.extras().option_headers = options.headers.clone();
        }
        if let Some(progress) = &options.upload_progress {
            self.call.extras().upload_progress = Some(progress.clone());
        }
    }

    /// Keeps `value` alive as long as the answer: a blocking client's runtime, which drives
    /// a streamed download's connection.
    #[cfg(feature = "blocking")]
    pub(crate) fn keep_alive(&mut self, value: crate::body::KeepAlive) {
        self.call.keep_alive = Some(value);
    }

    fn fail(&mut self, error: Error) {
        // The first problem is the one to fix first; later ones are often its consequences.
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Sends the request, reads a success response with `read` and turns an error into the
    /// method's own error type with `convert`. Generated code passes
    /// `<T as FromResponse>::KIND`, `<T as FromResponse>::from_response` and `From::from`: the
    /// very path the endpoint's const names for its kind, so that a `T` that cannot be read
    /// is reported once, not twice; and `From::from` spanned at the method's `E`.
    ///
    /// Everything that waits (sending, retrying, reading a buffered body) is one non-generic
    /// future, held in place (not boxed) and compiled once, in this crate. What is generic,
    /// `read` and `convert`, are plain functions of the answer, run by [`SendAs`]'s `poll`.
    ///
    /// `read` and `convert` are function pointers, not generic: their bounds are then checked
    /// where the generated code names them, once, and the future's type does not carry them.
    pub fn send_as<R, E>(
        self,
        kind: ResponseKind,
        read: fn(RawResponse) -> Result<R, Error>,
        convert: fn(Error) -> E,
    ) -> SendAs<R, E, impl Future<Output = Result<RawResponse, Error>> + Send> {
        SendAs {
            sending: self.send(kind),
            read,
            convert,
        }
    }

    /// Puts the call on the wire (or reports the argument problem recorded) and reads the
    /// answer's body, unless `kind` streams it. Never inlined: the future's `poll` and drop
    /// are taken here, in this crate (see `InPlace`).
    #[inline(never)]
    fn send(
        mut self,
        kind: ResponseKind,
    ) -> InPlace<impl Future<Output = Result<RawResponse, Error>> + Send> {
        // An `async` block, not an `async fn`, which would hold `self` twice
        // (rust-lang/rust#62958).
        InPlace::new(async move {
            // Every error says which call failed, whichever step it came from.
            let endpoint = self.endpoint;
            if let Some(error) = self.error.take() {
                return Err(error.with_endpoint(endpoint));
            }
            // The sent answer is taken out of its `Result` in a statement of its own, so that
            // the `Result` is not kept beside the reading that follows.
            let mut answer = match crate::retry::run(
                self.client.settings(),
                endpoint,
                &mut self.call,
                kind,
                None,
            )
            .await
            {
                Ok(answer) => answer,
                Err(error) => return Err(error.with_endpoint(endpoint)),
            };
            // An event stream of a call that may be sent again keeps it, to reconnect.
            if kind == ResponseKind::EventStream
                && let Some(parts) = &mut answer.streaming
                && parts.resumable
            {
                let call = std::mem::take(&mut self.call);
                parts.resume = Some(Resume::new(self.client.clone(), endpoint, call));
            }
            let read = answer.read(kind).await;
            // Moved, not cloned: the call is done with them.
            let settings = self.client.into_settings();
            read.map(|mut answer| {
                // For a decode error's snippet, which must not repeat the credential: the
                // client's fixed one, unless the attempt kept a provider's.
                answer.secrets.get_or_insert(settings);
                answer
            })
            .map_err(|error| error.with_endpoint(endpoint))
        })
    }
}

pin_project_lite::pin_project! {
    /// The future a generated method returns ([`Request::send_as`]): the call's future
    /// (the runtime's own, held in place), then `read` and `convert` on its answer. A future of its own
    /// rather than `futures_util`'s `Map`, whose `poll` and projections rustc would generate
    /// again for every response type (about 180 LLVM lines per method); this one's `poll` is
    /// a few lines.
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct SendAs<R, E, S: Future> {
        #[pin]
        sending: InPlace<S>,
        read: fn(RawResponse) -> Result<R, Error>,
        convert: fn(Error) -> E,
    }
}

impl<R, E, S> Future for SendAs<R, E, S>
where
    S: Future<Output = Result<RawResponse, Error>>,
{
    type Output = Result<R, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let answer = std::task::ready!(this.sending.poll(cx));
        let read = |answer: RawResponse| {
            let endpoint = answer.endpoint;
            (this.read)(answer).map_err(|error| error.with_endpoint(endpoint))
        };
        Poll::Ready(answer.and_then(read).map_err(*this.convert))
    }
}

impl<R, E, S: Future> fmt::Debug for SendAs<R, E, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendAs").finish_non_exhaustive()
    }
}

fn render(value: &dyn Display) -> Result<String, String> {
    let mut rendered = String::new();
    write!(rendered, "{value}").map_err(|fmt::Error| "its `Display` implementation failed")?;
    Ok(rendered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PathPiece;
    use http::Method;

    static ENDPOINT: Endpoint =
        Endpoint::new("get", Method::GET, "/x", &[PathPiece::Literal("/x")], &[]);

    #[test]
    fn header_values_with_line_breaks_are_rejected() {
        let client = Client::builder()
            .base_url("https://api.example")
            .build()
            .unwrap();
        let mut request = Request::new(&client, &ENDPOINT);
        request.header("x-trace", &"a\r\nInjected: 1");
        let error = request.error.unwrap();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument);
        assert!(error.to_string().contains("`x-trace`"), "{error}");
    }

    #[test]
    fn query_values_that_are_not_scalars_are_rejected() {
        let client = Client::builder()
            .base_url("https://api.example")
            .build()
            .unwrap();
        let mut request = Request::new(&client, &ENDPOINT);
        request.query("filter", &std::collections::BTreeMap::from([(1, 2)]));
        let error = request.error.unwrap();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument);
        assert!(error.to_string().contains("`filter`"), "{error}");
    }
}
