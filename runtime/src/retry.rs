//! The retry loop: one call's attempts, as the retry policy allows, inside the call's
//! tracing span. The one non-generic function every generated method goes through.

use std::sync::Arc;

use crate::attempt;
use crate::call::{Body, Call};
use crate::config::Settings;
use crate::deadline::Deadline;
use crate::response::{RawResponse, StreamParts};
use crate::trace::CallTrace;
use crate::{Endpoint, Error, ResponseKind};

/// Puts one call on the wire and checks its status: the one non-generic function every
/// generated method goes through. A failure worth another try is sent again, as the retry
/// policy allows. `trace` is the span of an event stream that reconnects; any other call
/// starts its own.
pub(crate) async fn run(
    settings: &Settings,
    endpoint: &'static Endpoint,
    call: &mut Call,
    response_kind: ResponseKind,
    trace: Option<CallTrace>,
) -> Result<RawResponse, Error> {
    let trace = trace.unwrap_or_else(|| {
        CallTrace::start(
            endpoint.name(),
            endpoint.method().as_str(),
            endpoint.path_template(),
        )
    });
    let timeout = call.timeout.unwrap_or(settings.timeout);
    let streamed = response_kind.is_streamed();
    // Borrowed, not taken: an event stream sends the call again, with its options.
    let policy = call.extras.as_ref().and_then(|extras| extras.retry.clone());
    let policy = policy.as_ref().unwrap_or(&settings.retry);
    // A body read as it is sent (a stream, a multipart upload) cannot be sent twice.
    let repeatable = endpoint.is_idempotent() && matches!(call.body, Body::Empty | Body::Bytes(..));
    // Only a call that may be sent again keeps its URL and body for the next attempt; any
    // other gives them to its one request.
    let keep = repeatable && policy.may_retry();
    // Made at the first failure: most calls never need it.
    let mut backoff = None;
    let mut attempt = 1;
    let mut deadline = Deadline::Never;
    // Made in place as `instrument`'s argument: a named future moved into it would be kept
    // twice in this one's state.
    let result = trace
        .instrument(async {
            let mut url = Some(call.url.finish(settings, endpoint)?);
            if let Body::Multipart(form) = &mut call.body {
                // Boxed: its parts' futures are large, and only uploads need them.
                let form = std::mem::take(form);
                call.body = Body::Form(Box::pin(form.into_reqwest()).await?);
            }
            loop {
                // Each attempt has the whole timeout, for the answer's head and, unless it is
                // streamed, its body.
                deadline = Deadline::new(timeout);
                let sent = attempt::run(
                    settings,
                    endpoint,
                    call,
                    &mut url,
                    keep,
                    response_kind,
                    timeout,
                    &mut deadline,
                )?;
                // The answer is not bound to a name: a local would be kept in this future's
                // state beside the wait for the next attempt.
                let error = match sent.await {
                    Ok(response) => return Ok(response),
                    Err(error) => error,
                };
                // Boxed: made only when a call fails, it need not widen every call's future.
                let backoff = backoff
                    .get_or_insert_with(|| Box::new(policy.backoff()))
                    .next();
                let Some(wait) = policy.next_wait(&error, backoff, repeatable) else {
                    return Err(error.with_attempts(attempt));
                };
                trace.retrying(attempt, &error, wait);
                drop(error);
                Box::pin(tokio::time::sleep(wait)).await;
                attempt += 1;
            }
        })
        .await;
    match result {
        Ok(response) => {
            trace.finish(Some(response.status()), attempt, None);
            // A typed stream keeps the span, to count its items in it.
            let streaming = matches!(
                response_kind,
                ResponseKind::JsonLines | ResponseKind::EventStream
            )
            .then(|| {
                Box::new(StreamParts {
                    trace,
                    resumable: keep,
                    resume: None,
                })
            });
            Ok(RawResponse {
                response,
                body: None,
                max_response_bytes: settings.max_response_bytes,
                endpoint,
                idle_timeout: settings.idle_timeout(timeout),
                deadline: if streamed { Deadline::Never } else { deadline },
                read_timeout: settings.read_timeout,
                keep_alive: call.keep_alive.take(),
                // A provider's credential, as sent; a fixed one is the client's.
                secrets: call
                    .carried
                    .take()
                    .map(|credential| credential as Arc<dyn crate::redact::Secrets>),
                streaming,
            })
        }
        Err(error) => {
            trace.finish(None, attempt, Some(&error));
            Err(error)
        }
    }
}
