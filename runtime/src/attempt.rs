//! One attempt of a call: the request built from the call (with the credentials stage's
//! credential and the fixed headers), handed to the transport, its answer's head awaited
//! until the attempt's deadline, its origin checked, and its status: a non-2xx answer
//! becomes the `Status` error.

use std::future::Future;
use std::time::Duration;

use futures_util::FutureExt as _;
use futures_util::future::Either;
use http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT};
use url::Url;

use crate::auth::Credential;
use crate::body::{ANY, APPLICATION_JSON, EVENT_STREAM, JSON_LINES};
use crate::call::{Body, Call};
use crate::config::Settings;
use crate::credentials::{Credentials, Refreshing};
use crate::deadline::{Deadline, Head};
use crate::progress::count_upload;
use crate::redirect::{refused_answer, same_origin};
use crate::response::status_error;
use crate::{Endpoint, Error, ResponseKind};

/// One attempt: its credential, its request, the answer's head.
#[expect(
    clippy::too_many_arguments,
    reason = "the retry loop's state, lent to each attempt: a struct of them would only be unpacked here"
)]
pub(crate) fn run<'a>(
    settings: &'a Settings,
    endpoint: &'a Endpoint,
    call: &'a mut Call,
    url: &'a mut Option<Url>,
    keep: bool,
    response_kind: ResponseKind,
    timeout: Option<Duration>,
    deadline: &'a mut Deadline,
) -> Result<
    Either<impl Future<Output = Result<reqwest::Response, Error>> + Send + 'a, Provided<'a>>,
    Error,
> {
    let credential = match &settings.auth {
        Some(Credentials::Provider(provider)) => {
            // Boxed: only a client with a provider needs this future, with its fetch and
            // its second send; the fixed credentials' attempt is the request and its send,
            // no larger than before there were providers.
            let attempt = Attempt {
                settings,
                endpoint,
                response_kind,
                timeout,
            };
            let provided = attempt.with_provider(provider, call, url, keep, deadline);
            return Ok(Either::Right(Box::pin(provided)));
        }
        Some(Credentials::Fixed(credential)) => Some(credential),
        None => None,
    };
    let request = build_request(
        settings,
        endpoint,
        call,
        url,
        keep,
        response_kind,
        credential,
    )?;
    let redactions = credential.map_or(&[][..], Credential::redactions);
    let streamed = response_kind.is_streamed();
    Ok(Either::Left(send(
        settings,
        request,
        deadline,
        streamed,
        redactions,
        &settings.base,
    )))
}

/// An attempt with a provider's credentials, boxed.
pub(crate) type Provided<'a> =
    std::pin::Pin<Box<dyn Future<Output = Result<reqwest::Response, Error>> + Send + 'a>>;

/// What an attempt with a provider's credentials reads and does not change.
struct Attempt<'a> {
    settings: &'a Settings,
    endpoint: &'a Endpoint,
    response_kind: ResponseKind,
    timeout: Option<Duration>,
}

impl<'a> Attempt<'a> {
    /// The attempt with a provider's credential: fetched if due, and on a 401 dropped, and
    /// a call whose body can be sent again (none, or bytes) sent once more with a fresh one,
    /// with a fresh deadline. A token that expired early, or was revoked, costs one more
    /// request, never a loop. A stream or a multipart upload is not re-sent: its 401 is the
    /// answer, and the next call fetches a new credential. A 401 to a request whose
    /// credential the call's options replaced is not about the token: it is kept.
    async fn with_provider(
        self,
        provider: &'a Refreshing,
        call: &'a mut Call,
        url: &'a mut Option<Url>,
        keep: bool,
        deadline: &'a mut Deadline,
    ) -> Result<reqwest::Response, Error> {
        let Attempt {
            settings,
            endpoint,
            response_kind,
            timeout,
        } = self;
        let streamed = response_kind.is_streamed();
        let mut resend = matches!(call.body, Body::Empty | Body::Bytes(..));
        loop {
            let credential = provider.current(timeout).await?;
            // A call that may be re-sent keeps its URL and body for that.
            let request = build_request(
                settings,
                endpoint,
                call,
                url,
                keep || resend,
                response_kind,
                Some(&credential),
            )?;
            let carried = credential.carried_by(&request);
            let sent = send(
                settings,
                request,
                deadline,
                streamed,
                credential.redactions(),
                &settings.base,
            );
            let error = match sent.await {
                Ok(response) => {
                    call.carried = Some(credential);
                    return Ok(response);
                }
                Err(error) => error,
            };
            if error.status() != Some(http::StatusCode::UNAUTHORIZED) || !carried {
                return Err(error);
            }
            provider.reject(&credential);
            if !std::mem::take(&mut resend) {
                return Err(error);
            }
            *deadline = Deadline::new(timeout);
        }
    }
}

/// The request for one attempt. With `keep`, the URL and a body of bytes are kept for the
/// next attempt (a shared copy); otherwise they, like a stream or a multipart body, are
/// given to this one.
pub(crate) fn build_request(
    settings: &Settings,
    endpoint: &Endpoint,
    call: &mut Call,
    url: &mut Option<Url>,
    keep: bool,
    response_kind: ResponseKind,
    credential: Option<&Credential>,
) -> Result<reqwest::Request, Error> {
    let url = if keep { url.clone() } else { url.take() }
        .ok_or_else(|| Error::builder("the request was already sent"))?;
    let accept = match response_kind {
        ResponseKind::Bytes | ResponseKind::Stream => ANY,
        ResponseKind::JsonLines => JSON_LINES,
        ResponseKind::EventStream => EVENT_STREAM,
        _ => APPLICATION_JSON,
    };
    let body = match &call.body {
        Body::Bytes(content_type, bytes) if keep => {
            Body::Bytes(content_type.clone(), bytes.clone())
        }
        _ => std::mem::take(&mut call.body),
    };
    let mut request = reqwest::Request::new(endpoint.method().clone(), url);
    let content_type = match body {
        Body::Empty => None,
        Body::Bytes(content_type, bytes) => {
            *request.body_mut() = Some(bytes.into());
            Some(content_type)
        }
        Body::Stream(content_type, stream) => {
            *request.body_mut() = Some(stream.into_reqwest_body());
            Some(content_type)
        }
        // Sets its own `Content-Type` with the boundary, and `Content-Length` when known.
        Body::Form(form) => {
            request = reqwest::RequestBuilder::from_parts(settings.transport.http.clone(), request)
                .multipart(form)
                .build()
                .map_err(Error::transport)?;
            None
        }
        // Opened into a `Form` before the first attempt.
        Body::Multipart(_) => return Err(Error::builder("the multipart body was not opened")),
    };
    // Straight into the request's own map: no second map to build and copy.
    request.headers_mut().insert(ACCEPT, accept);
    if let Some(credential) = credential {
        credential.apply(&mut request);
    }
    let headers = request.headers_mut();
    if let Some(user_agent) = &settings.user_agent {
        headers.insert(USER_AGENT, user_agent.clone());
    }
    if let Some(content_type) = content_type {
        headers.insert(CONTENT_TYPE, content_type);
    }
    // Fixed headers: the client's, then the endpoint's (its trait's and its own), each
    // replacing what came before.
    if !settings.default_headers.is_empty() {
        for (name, value) in &settings.default_headers {
            headers.insert(name, value.clone());
        }
    }
    for &(name, value) in endpoint.default_headers() {
        // Checked and lower-cased by the macro, which alone builds an `Endpoint` (through
        // `__private::EndpointDef`, not public API): `from_static` cannot panic here.
        headers.insert(
            http::HeaderName::from_static(name),
            http::HeaderValue::from_static(value),
        );
    }
    // The method's header arguments, then the call's options, replace all of those.
    let Some(extras) = &call.extras else {
        return Ok(request);
    };
    for extra in [&extras.headers, &extras.option_headers] {
        let mut last = None;
        for (name, value) in extra {
            if last != Some(name) {
                headers.remove(name);
                last = Some(name);
            }
            headers.append(name.clone(), value.clone());
        }
    }
    if let Some(progress) = &extras.upload_progress {
        // Made afresh for each attempt: a retried upload's progress starts again.
        if let Some(body) = request.body_mut().take() {
            let length = request
                .headers()
                .get(CONTENT_LENGTH)
                .and_then(|length| length.to_str().ok()?.parse().ok());
            *request.body_mut() = Some(count_upload(body, progress, length));
        }
    }
    Ok(request)
}

/// Sends a finished request and checks its status: what every call and every download
/// share. The answer's head must come by `deadline`, fixed if the head is not there at once.
/// A non-2xx answer is a `Status` error whose body is read up to `max_error_body_bytes` (what
/// arrived before a stall or a reset is kept), with each of `secrets` replaced by
/// `<redacted>` before it is decoded. An answer from another origin than `origin`'s (the
/// request's), which a user-supplied client's redirect policy may have followed, is refused.
///
/// Not an `async fn`: the request goes to the HTTP client at once, so the future holds only
/// what is in flight, not the request too.
pub(crate) fn send<'a>(
    settings: &'a Settings,
    request: reqwest::Request,
    deadline: &'a mut Deadline,
    streamed: bool,
    secrets: &'a [String],
    origin: &'a Url,
) -> impl Future<Output = Result<reqwest::Response, Error>> + Send + 'a {
    let head = Head::new(settings.transport.execute(request), deadline);
    // A combinator, not `async move { head.await … }`, which would hold `head` twice. (The
    // checks below as a plain closure returning a ready future or the boxed error read make
    // the future 64 bytes smaller, and the call 3 % slower in section 1 of BENCHMARKS.md.)
    head.then(move |(answer, deadline)| async move {
        let response = answer.map_err(|error| error.redact_middleware(secrets))?;
        if !same_origin(response.url(), origin) {
            return Err(Error::redirect(refused_answer(response.url())));
        }
        if response.status().is_success() {
            return Ok(response);
        }
        // The body of an error answer to a streamed call is bounded as any stream's chunks.
        let deadline = if streamed { Deadline::Never } else { deadline };
        // Boxed: only an error answer needs this future, and it is large.
        Err(Box::pin(status_error(
            response,
            secrets,
            settings.max_error_body_bytes,
            settings.read_timeout,
            deadline,
        ))
        .await)
    })
}
