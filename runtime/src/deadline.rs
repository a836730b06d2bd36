//! An attempt's deadline: fixed when the attempt first waits, for the answer's head
//! ([`Head`]) or a chunk of its body (`response::read_body`).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::Instant;

use crate::Error;

/// When one attempt of a call runs out of time: fixed when the attempt first waits, for the
/// answer's head or a chunk of its body. An answer that is there at once (a small body
/// arrives with the head) costs no reading of the clock, and no timer.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Deadline {
    Never,
    /// Not waited yet: the whole timeout is left.
    NotStarted(Duration),
    At(Instant),
}

impl Deadline {
    pub(crate) fn new(timeout: Option<Duration>) -> Self {
        timeout.map_or(Deadline::Never, Deadline::NotStarted)
    }

    /// The deadline, the timeout started at `now()` if it was not yet.
    pub(crate) fn start(&mut self, now: impl FnOnce() -> Instant) -> Option<Instant> {
        if let Deadline::NotStarted(limit) = *self {
            *self = now()
                .checked_add(limit)
                .map_or(Deadline::Never, Deadline::At);
        }
        match *self {
            Deadline::At(at) => Some(at),
            Deadline::Never | Deadline::NotStarted(_) => None,
        }
    }
}

pin_project_lite::pin_project! {
    /// The wait for an answer's head, until the attempt's deadline. An answer that is there
    /// at the first poll (a stand-in transport's) is taken without reading the clock or
    /// setting a timer; `tokio::time::timeout` would do both first. Gives the deadline as
    /// it then is, for the reading of an error's body.
    pub(crate) struct Head<'a, F> {
        pending: F,
        deadline: &'a mut Deadline,
        // Unconstrained by tokio's cooperative budget, as `tokio::time::timeout`'s timer is
        // once the future it bounds has used the budget up: the timeout fires on time.
        #[pin]
        timer: Option<tokio::task::Unconstrained<tokio::time::Sleep>>,
    }
}

impl<F> Future for Head<'_, F>
where
    F: Future<Output = Result<reqwest::Response, Error>> + Unpin,
{
    type Output = (Result<reqwest::Response, Error>, Deadline);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if let Poll::Ready(answer) = Pin::new(&mut *this.pending).poll(cx) {
            return Poll::Ready((answer, **this.deadline));
        }
        if this.timer.is_none() {
            let Some(at) = this.deadline.start(tokio::time::Instant::now) else {
                return Poll::Pending;
            };
            let timer = tokio::time::sleep_until(at);
            this.timer.set(Some(tokio::task::unconstrained(timer)));
        }
        if let Some(timer) = this.timer.as_pin_mut() {
            std::task::ready!(timer.poll(cx));
        }
        let timed_out = Error::timeout("no response within the timeout")
            .with_source(std::io::Error::from(std::io::ErrorKind::TimedOut));
        Poll::Ready((Err(timed_out), **this.deadline))
    }
}

impl<'a, F> Head<'a, F> {
    /// The wait for `pending`, until `deadline` (started at its first `Pending`).
    pub(crate) fn new(pending: F, deadline: &'a mut Deadline) -> Self {
        Head {
            pending,
            deadline,
            timer: None,
        }
    }
}
