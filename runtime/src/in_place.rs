//! [`InPlace`]: a future held in place, whose `poll` and drop are generated once, in this
//! crate. Its own module, so that [`InPlace::new`] is the only way to make one: the `unsafe`
//! below relies on `drop` being `S`'s drop.

use std::future::Future;
use std::mem::ManuallyDrop;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A future held in place (not boxed), polled and dropped through two function pointers
/// taken where it is made.
///
/// rustc generates a coroutine's `poll` (an `async` block's body) and its drop in every crate
/// that uses them, as for a closure. The call's are large (the retry loop, building, sending
/// and reading the answer), and would be generated again in every crate that awaits a
/// generated method. Through the pointers, taken in a non-generic function of this crate
/// (`Request::send`), they are generated once, here, and a caller's crate only moves the
/// future's bytes. A `Box<dyn Future>` does the same at the cost of an allocation per call.
pub(crate) struct InPlace<S: Future> {
    future: ManuallyDrop<S>,
    poll: fn(Pin<&mut S>, &mut Context<'_>) -> Poll<S::Output>,
    /// Always `drop_in_place::<S>`.
    drop: unsafe fn(*mut S),
}

impl<S: Future> InPlace<S> {
    /// Call it where `S` is concrete, in a non-generic function of this crate: the pointers
    /// are generated where they are taken, so that from generic code they would be generated
    /// again in every crate that instantiates it (correct, only larger).
    pub(crate) fn new(future: S) -> Self {
        InPlace {
            future: ManuallyDrop::new(future),
            poll: S::poll,
            drop: std::ptr::drop_in_place::<S>,
        }
    }
}

impl<S: Future> Future for InPlace<S> {
    type Output = S::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<S::Output> {
        // SAFETY: `future` is structurally pinned: it is never moved out of a pinned
        // `InPlace` (nothing gives it out, and `Drop` drops it in place), and `InPlace` is
        // `Unpin` only if `S` is.
        let this = unsafe { self.get_unchecked_mut() };
        let future = unsafe { Pin::new_unchecked(&mut *this.future) };
        (this.poll)(future, cx)
    }
}

impl<S: Future> Drop for InPlace<S> {
    fn drop(&mut self) {
        // SAFETY: `drop` is `drop_in_place::<S>` (`new` is the only constructor); `future` is
        // dropped once, here, in place (it may be pinned), and never used again.
        unsafe { (self.drop)(&mut *self.future) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct OnDrop(Arc<AtomicUsize>);

    impl Drop for OnDrop {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Holds an `OnDrop` in all its states, and borrows it across its `await`, as a call's
    /// future borrows its request.
    fn counted(drops: &Arc<AtomicUsize>) -> impl Future<Output = usize> {
        let guard = OnDrop(drops.clone());
        async move {
            let borrowed = &guard;
            tokio::task::yield_now().await;
            borrowed.0.load(Ordering::SeqCst) + 40
        }
    }

    fn poll_once<F: Future>(future: Pin<&mut F>) -> Poll<F::Output> {
        future.poll(&mut Context::from_waker(std::task::Waker::noop()))
    }

    #[test]
    fn the_future_is_dropped_exactly_once_whenever_it_is_dropped() {
        let drops = Arc::new(AtomicUsize::new(0));
        // Never polled.
        drop(InPlace::new(counted(&drops)));
        assert_eq!(drops.load(Ordering::SeqCst), 1);
        // Dropped while suspended, pinned.
        let mut half = Box::pin(InPlace::new(counted(&drops)));
        assert!(poll_once(half.as_mut()).is_pending());
        drop(half);
        assert_eq!(drops.load(Ordering::SeqCst), 2);
        // Polled to completion, then dropped: its locals were dropped when it returned.
        let mut done = Box::pin(InPlace::new(counted(&drops)));
        assert!(poll_once(done.as_mut()).is_pending());
        assert_eq!(poll_once(done.as_mut()), Poll::Ready(42));
        assert_eq!(drops.load(Ordering::SeqCst), 3);
        drop(done);
        assert_eq!(drops.load(Ordering::SeqCst), 3);
    }
}
