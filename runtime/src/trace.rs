//! One `tracing` span per call (feature `tracing`, on by default): what a dashboard groups
//! by and alerts on, and never what a call carried.
//!
//! The span is `askui.call` at INFO with `operation` (the method's name), `http.request.method`,
//! `url.template` (the route template, `/api/v1/workspaces/{workspace_id}/…`: low
//! cardinality, no ids), and, once known, `http.response.status_code`, `attempts`,
//! `latency_ms` and `error.kind`. A retry is a DEBUG event in it. Bodies, headers, query
//! values and filled-in paths are never recorded, at any level.

#[cfg(feature = "tracing")]
use std::time::Instant;

use crate::Error;

/// The trace of one call: a span, and when it started.
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
