//! One `tracing` span per call (feature `tracing`, on by default): what a dashboard groups
//! by and alerts on, and never what a call carried.
//!
//! The span is `askui.call` at INFO with `operation` (the method's name), `http.request.method`,
//! `url.template` (the route template, `/api/v1/workspaces/{workspace_id}/…`: low
//! cardinality, no ids), and, once known, `http.response.status_code`, `attempts`,
//! `latency_ms` and `error.kind`. A retry is a DEBUG event in it. The span of a call read as
//! a typed stream ([`JsonLines`](crate::JsonLines), [`Sse`](crate::Sse)) lasts as long as
//! the stream, which records `items` (the items handed out, errors included) and, for
//! server-sent events, `reconnects` (each a DEBUG event) when it ends or is dropped. Bodies, headers, query
//! values and filled-in paths are never recorded, at any level.

#[cfg(feature = "tracing")]
use std::time::Instant;

use crate::Error;

/// The trace of one call: a span, and when it started.
#[derive(Clone)]
pub(crate) struct CallTrace {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    /// Read only when the span is recorded: nobody sees the latency otherwise, and a clock
    /// read per call is a cost hand-written code does not pay.
    #[cfg(feature = "tracing")]
    start: Option<Instant>,
}

impl CallTrace {
    /// `operation` and `template` are static: a method's name and route template, never a
    /// value of a call.
    pub(crate) fn start(
        operation: &'static str,
        method: &str,
        template: &'static str,
    ) -> CallTrace {
        #[cfg(not(feature = "tracing"))]
        {
            let _ = (operation, method, template);
            CallTrace {}
        }
        #[cfg(feature = "tracing")]
        {
            let span = tracing::info_span!(
                "askui.call",
                operation,
                http.request.method = method,
                url.template = template,
                http.response.status_code = tracing::field::Empty,
                attempts = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
                error.kind = tracing::field::Empty,
                items = tracing::field::Empty,
                reconnects = tracing::field::Empty,
            );
            let start = (!span.is_disabled()).then(Instant::now);
            CallTrace { span, start }
        }
    }

    /// Runs `future` inside the span, so that the HTTP client's own events nest in it.
    pub(crate) fn instrument<F: std::future::Future>(
        &self,
        future: F,
    ) -> impl std::future::Future<Output = F::Output> {
        #[cfg(feature = "tracing")]
        {
            tracing::Instrument::instrument(future, self.span.clone())
        }
        #[cfg(not(feature = "tracing"))]
        {
            future
        }
    }

    /// A failed attempt that will be sent again after `wait`.
    pub(crate) fn retrying(&self, attempt: u32, error: &Error, wait: std::time::Duration) {
        #[cfg(feature = "tracing")]
        self.span.in_scope(|| {
            tracing::debug!(
                attempt,
                error.kind = ?error.kind(),
                http.response.status_code = error.status().map(|status| status.as_u16()),
                wait_ms = wait.as_millis() as u64,
                "retrying"
            );
        });
        #[cfg(not(feature = "tracing"))]
        let _ = (attempt, error, wait);
    }

    /// Records the outcome: the status (of the answer or of the error), the attempts and
    /// the latency; the error's kind, not its message.
    pub(crate) fn finish(
        &self,
        status: Option<http::StatusCode>,
        attempts: u32,
        error: Option<&Error>,
    ) {
        #[cfg(feature = "tracing")]
        {
            let span = &self.span;
            if let Some(status) = status.or_else(|| error.and_then(Error::status)) {
                span.record("http.response.status_code", status.as_u16());
            }
            span.record("attempts", attempts);
            if let Some(start) = self.start {
                span.record("latency_ms", start.elapsed().as_millis() as u64);
            }
            if let Some(error) = error {
                span.record("error.kind", tracing::field::debug(error.kind()));
            }
        }
        #[cfg(not(feature = "tracing"))]
        let _ = (status, attempts, error);
    }
}

/// The trace of a typed stream: its call's span, entered while the stream reads its body, and
/// the items counted, recorded when the stream ends or is dropped.
pub(crate) struct StreamTrace {
    call: Option<CallTrace>,
    items: u64,
    reconnects: u32,
    ended: bool,
}

/// What [`StreamTrace::enter`] returns: the span entered until it is dropped (a handle of
/// its own, so that the stream it traces stays free to change).
#[cfg(feature = "tracing")]
pub(crate) type Entered = Option<tracing::span::EnteredSpan>;
#[cfg(not(feature = "tracing"))]
pub(crate) struct Entered;

impl StreamTrace {
    /// A stream of no call's (built from a `ByteStream`).
    pub(crate) fn none() -> Self {
        StreamTrace::new(None)
    }

    pub(crate) fn new(call: Option<CallTrace>) -> Self {
        StreamTrace {
            call,
            items: 0,
            reconnects: 0,
            ended: false,
        }
    }

    /// The call's span, for a reconnection to be sent in.
    pub(crate) fn call_trace(&self) -> Option<CallTrace> {
        self.call.clone()
    }

    pub(crate) fn enter(&self) -> Entered {
        #[cfg(feature = "tracing")]
        {
            self.call
                .as_ref()
                .filter(|call| !call.span.is_disabled())
                .map(|call| call.span.clone().entered())
        }
        #[cfg(not(feature = "tracing"))]
        Entered
    }

    /// An item handed out (a value, or an error item).
    pub(crate) fn item(&mut self, error: Option<&Error>) {
        self.items += 1;
        let _ = error;
    }

    /// The connection ended or broke, and is opened again after `wait`.
    pub(crate) fn reconnecting(
        &mut self,
        reconnects: u32,
        error: Option<&Error>,
        wait: std::time::Duration,
    ) {
        self.reconnects += 1;
        #[cfg(feature = "tracing")]
        if let Some(call) = &self.call {
            call.span.in_scope(|| {
                tracing::debug!(
                    reconnects,
                    error.kind = error.map(|error| tracing::field::debug(error.kind())),
                    wait_ms = wait.as_millis() as u64,
                    "reconnecting"
                );
            });
        }
        #[cfg(not(feature = "tracing"))]
        let _ = (reconnects, error, wait);
    }

    /// The stream is over: records the items, the reconnections and the error that ended
    /// it, once.
    pub(crate) fn end(&mut self, error: Option<&Error>) {
        if std::mem::replace(&mut self.ended, true) {
            return;
        }
        #[cfg(feature = "tracing")]
        if let Some(call) = &self.call {
            let span = &call.span;
            span.record("items", self.items);
            if self.reconnects > 0 {
                span.record("reconnects", self.reconnects);
            }
            if let Some(error) = error {
                span.record("error.kind", tracing::field::debug(error.kind()));
            }
        }
        #[cfg(not(feature = "tracing"))]
        let _ = error;
    }
}

impl Drop for StreamTrace {
    fn drop(&mut self) {
        self.end(None);
    }
}
