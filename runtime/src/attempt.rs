//! One attempt of a call: the request built from the call (with the credentials stage's
//! credential and the fixed headers), handed to the transport, its answer's head awaited
//! until the attempt's deadline, its origin checked, and its status: a non-2xx answer
//! becomes the `Status` error.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt as _;
use http::header::{ACCEPT, CONTENT_TYPE, USER_AGENT};
use url::Url;

use crate::auth::Credential;
use crate::body::{ANY, APPLICATION_JSON};
use crate::call::{Body, Call};
use crate::config::Settings;
use crate::credentials::Held;
use crate::deadline::{Deadline, Head};
use crate::redirect::{refused_answer, same_origin};
use crate::response::status_error;
use crate::{Endpoint, Error, ResponseKind};

/// One attempt: its credential, its request, the answer's head, with the provider's
/// credential it carried (to scrub from what the answer says).
///
/// When the credentials come from a provider and the server answers 401, the credential is
/// dropped, and a call whose body can be sent again (none, or bytes) is sent once more with
/// a fresh one, with a fresh deadline: a token that expired early, or was revoked, costs one
/// more request, never a loop. A stream or a multipart upload is not re-sent: its 401 is the
/// answer, and the next call fetches a new credential.
#[expect(
    clippy::too_many_arguments,
    reason = "the retry loop's state, lent to each attempt: a struct of them would only be unpacked here"
)]
pub(crate) async fn run(
    settings: &Settings,
    endpoint: &Endpoint,
    call: &mut Call,
    url: &mut Option<Url>,
    keep: bool,
    response_kind: ResponseKind,
    timeout: Option<Duration>,
    deadline: &mut Deadline,
) -> Result<(reqwest::Response, Option<Arc<Credential>>), Error> {
    let streamed = response_kind == ResponseKind::Stream;
    let Some(credentials) = &settings.auth else {
        let request = build_request(settings, endpoint, call, url, keep, response_kind, None)?;
        let sent = send(settings, request, deadline, streamed, &[], &settings.base);
        return sent.await.map(|response| (response, None));
    };
    // Only a provider's credential can be replaced, and only a body of bytes sent again.
    let mut resend = credentials.refreshes() && matches!(call.body, Body::Empty | Body::Bytes(..));
    loop {
        let held = match credentials.ready() {
            Some(held) => held,
            None => credentials.fetch(timeout).await?,
        };
        // A call that may be re-sent keeps its URL and body for that.
        let request = build_request(
            settings,
            endpoint,
            call,
            url,
            keep || resend,
            response_kind,
            Some(&held),
        )?;
        // A call's options may have replaced the credential: a 401 is then not about it.
        let carried = held.carried_by(&request);
        let sent = send(
            settings,
            request,
            deadline,
            streamed,
            held.redactions(),
            &settings.base,
        );
        let error = match sent.await {
            Ok(response) => return Ok((response, held.into_fetched())),
            Err(error) => error,
        };
        if error.status() != Some(http::StatusCode::UNAUTHORIZED) || !carried {
            return Err(error);
        }
        credentials.reject(&held);
        if !std::mem::take(&mut resend) {
            return Err(error);
        }
        *deadline = Deadline::new(timeout);
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
    credential: Option<&Held<'_>>,
) -> Result<reqwest::Request, Error> {
    let url = if keep { url.clone() } else { url.take() }
        .ok_or_else(|| Error::builder("the request was already sent"))?;
    let accept = match response_kind {
        ResponseKind::Bytes | ResponseKind::Stream => ANY,
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
