//! Progress of long transfers: how many bytes of an upload or a download have moved, and
//! how many there are when that is known.
//!
//! One handle, [`Progress`], is attached where the bytes flow, and reports to a callback, to
//! any number of [`ProgressWatch`]es, or both:
//!
//! - an **upload** with [`CallOptions::upload_progress`](crate::CallOptions::upload_progress):
//!   the request body as it goes on the wire, whatever it is (a multipart form with its
//!   boundaries, bytes, a stream), per attempt. On the call, not on the body, because only
//!   the call knows its attempts: a retried upload starts again from 0 bytes, and
//!   [`Transferred::attempt`] says which attempt the figures are of;
//! - a **download** with [`ByteStream::progress`](crate::ByteStream::progress): the answer
//!   as it is read, whichever way (`chunk`, `save`, `write_to`, `into_async_read`, the
//!   blocking readers), its total from the answer's `Content-Length`.
//!
//! Unused, it costs one `Option` check per chunk of a download and one per attempt of a
//! call (BENCHMARKS.md, section 10).

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use http_body::{Body as _, Frame, SizeHint};
use tokio::sync::watch;

/// Where a transfer is: what [`Progress`] reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Transferred {
    /// Bytes moved so far in this attempt: of an upload, handed to the connection; of a
    /// download, read from it.
    pub bytes: u64,
    /// How many bytes the body has, when known: an upload of bytes, of a file, of a
    /// multipart form whose parts all have a length; a download with a `Content-Length`.
    /// `None` for a stream of unknown length (sent with chunked encoding).
    pub total: Option<u64>,
    /// Which start of the transfer these figures are of: 1 for the first, 2 when a retry
    /// (or a fresh credential's second send) starts the upload again from 0 bytes, and so
    /// on; 0 before the transfer starts.
    pub attempt: u32,
    /// Whether the body has been moved whole (the end of the stream was reached). An upload
    /// may be done before its answer comes.
    pub done: bool,
}

impl Transferred {
    /// `bytes / total`, from 0.0 to 1.0, when the total is known (1.0 for an empty body).
    pub fn fraction(&self) -> Option<f64> {
        self.total.map(|total| match total {
            0 => 1.0,
            total => self.bytes as f64 / total as f64,
        })
    }
}

/// Reports the progress of an upload or a download: attach it to the call's options
/// ([`CallOptions::upload_progress`](crate::CallOptions::upload_progress)) or to a download
/// ([`ByteStream::progress`](crate::ByteStream::progress)), and read it through a callback
/// ([`Progress::with_callback`]) or a [`ProgressWatch`] ([`Progress::watch`]).
///
/// Cheap to clone: clones report to the same callback and watches.
///
/// ```no_run
/// use askui_runtime::{ByteStream, CallOptions, Progress};
///
/// # async fn run(upload: impl std::future::Future<Output = ()>, download: ByteStream) -> Result<(), askui_runtime::Error> {
/// // A callback, called as each chunk moves: keep it short (it runs on the connection's task).
/// let progress = Progress::with_callback(|now| {
///     eprintln!("{} of {:?} bytes (attempt {})", now.bytes, now.total, now.attempt);
/// });
/// let options = CallOptions::new().upload_progress(&progress);
/// // … `options` passed to the upload's `#[options]` argument …
///
/// // Or a watch, read by another task while this one downloads.
/// let progress = Progress::new();
/// let mut watch = progress.watch();
/// tokio::spawn(async move {
///     while let Some(now) = watch.changed().await {
///         eprintln!("{} bytes", now.bytes);
///     }
/// });
/// download.progress(&progress).save("big.bin").await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Progress {
    shared: Arc<Shared>,
}

struct Shared {
    state: watch::Sender<Transferred>,
    callback: Option<Callback>,
}

type Callback = Box<dyn Fn(&Transferred) + Send + Sync>;

impl Progress {
    /// A progress read through [`watch`](Self::watch) (or [`get`](Self::get)).
    pub fn new() -> Progress {
        Self::make(None)
    }

    /// A progress that calls `callback` at each change: each chunk moved, each start of an
    /// attempt, the end. It runs where the bytes are moved (on the connection's task for an
    /// upload), so it should be quick: update a progress bar, not write to a slow disk.
    /// Watches work as well.
    pub fn with_callback(callback: impl Fn(&Transferred) + Send + Sync + 'static) -> Progress {
        Self::make(Some(Box::new(callback)))
    }

    fn make(callback: Option<Callback>) -> Progress {
        Progress {
            shared: Arc::new(Shared {
                state: watch::Sender::new(Transferred::default()),
                callback,
            }),
        }
    }

    /// A watch of this progress, to poll or to wait on from another task.
    pub fn watch(&self) -> ProgressWatch {
        ProgressWatch {
            receiver: self.shared.state.subscribe(),
        }
    }

    /// The figures now.
    pub fn get(&self) -> Transferred {
        *self.shared.state.borrow()
    }

    fn update(&self, change: impl FnOnce(&mut Transferred)) {
        let shared = &*self.shared;
        shared.state.send_modify(change);
        if let Some(callback) = &shared.callback {
            let now = *shared.state.borrow();
            callback(&now);
        }
    }

    /// A new start of the transfer: 0 bytes of `total`.
    pub(crate) fn start(&self, total: Option<u64>) {
        self.update(|now| {
            *now = Transferred {
                bytes: 0,
                total,
                attempt: now.attempt.saturating_add(1),
                done: false,
            }
        });
    }

    pub(crate) fn advance(&self, bytes: usize) {
        self.update(|now| now.bytes = now.bytes.saturating_add(bytes as u64));
    }

    pub(crate) fn finish(&self) {
        if self.shared.state.borrow().done {
            return;
        }
        self.update(|now| now.done = true);
    }
}

impl Default for Progress {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Progress")
            .field("now", &self.get())
            .field("callback", &self.shared.callback.is_some())
            .finish()
    }
}

/// Reads a [`Progress`] from elsewhere: poll it ([`get`](Self::get), [`bytes`](Self::bytes),
/// [`total`](Self::total)) or wait for its next change ([`changed`](Self::changed)). A retried
/// upload shows as `bytes` going back to 0 with a greater [`attempt`](Self::attempt).
#[derive(Clone, Debug)]
pub struct ProgressWatch {
    receiver: watch::Receiver<Transferred>,
}

impl ProgressWatch {
    /// The figures now.
    pub fn get(&self) -> Transferred {
        *self.receiver.borrow()
    }

    /// Bytes moved so far in this attempt.
    pub fn bytes(&self) -> u64 {
        self.get().bytes
    }

    /// The body's length, when known.
    pub fn total(&self) -> Option<u64> {
        self.get().total
    }

    /// Which start of the transfer the figures are of (0 before it starts).
    pub fn attempt(&self) -> u32 {
        self.get().attempt
    }

    /// Whether the body has been moved whole.
    pub fn is_done(&self) -> bool {
        self.get().done
    }

    /// Waits for the next change and returns the figures then; `None` once the progress and
    /// every clone of it are dropped (the transfer is over and nothing else can report).
    /// Changes that come faster than they are read are seen as one, the latest.
    pub async fn changed(&mut self) -> Option<Transferred> {
        self.receiver.changed().await.ok()?;
        Some(*self.receiver.borrow_and_update())
    }

    /// The `tokio::sync::watch` receiver underneath, for `tokio::select!` or
    /// `tokio_stream::wrappers::WatchStream`.
    pub fn into_receiver(self) -> watch::Receiver<Transferred> {
        self.receiver
    }
}

/// An upload's pieces are at most this long, so that a body held whole in memory (bytes, a
/// multipart part of bytes) is reported as it goes, not in one step.
const PIECE: usize = 64 * 1024;

/// `body`, reporting to `progress` as the connection reads it; `length` is its
/// `Content-Length` header, if the request has one (a multipart form's).
pub(crate) fn count_upload(
    body: reqwest::Body,
    progress: &Progress,
    length: Option<u64>,
) -> reqwest::Body {
    let total = body.size_hint().exact().or(length);
    progress.start(total);
    reqwest::Body::wrap(CountedBody {
        inner: body,
        pending: bytes::Bytes::new(),
        left: total,
        progress: progress.clone(),
    })
}

struct CountedBody {
    inner: reqwest::Body,
    /// What is left of the inner body's last frame.
    pending: bytes::Bytes,
    /// What is left of a body of known length.
    left: Option<u64>,
    progress: Progress,
}

impl http_body::Body for CountedBody {
    type Data = bytes::Bytes;
    type Error = reqwest::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<bytes::Bytes>, reqwest::Error>>> {
        let this = &mut *self;
        if this.pending.is_empty() {
            match ready!(Pin::new(&mut this.inner).poll_frame(cx)) {
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) => this.pending = data,
                    Err(frame) => return Poll::Ready(Some(Ok(frame))),
                },
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => {
                    this.progress.finish();
                    return Poll::Ready(None);
                }
            }
        }
        let piece = this.pending.split_to(this.pending.len().min(PIECE));
        this.progress.advance(piece.len());
        if let Some(left) = &mut this.left {
            *left = left.saturating_sub(piece.len() as u64);
        }
        // The connection stops polling a body that says it has ended, or that has given as
        // many bytes as its `Content-Length`: its end is now.
        if this.left == Some(0) || (this.pending.is_empty() && this.inner.is_end_stream()) {
            this.progress.finish();
        }
        Poll::Ready(Some(Ok(Frame::data(piece))))
    }

    fn is_end_stream(&self) -> bool {
        self.pending.is_empty() && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        let inner = self.inner.size_hint();
        let pending = self.pending.len() as u64;
        let mut hint = SizeHint::new();
        hint.set_lower(inner.lower().saturating_add(pending));
        if let Some(upper) = inner.upper() {
            hint.set_upper(upper.saturating_add(pending));
        }
        hint
    }
}

/// A download's or an upload stream's chunks, counted: what a [`ByteStream`](crate::ByteStream)
/// with a progress hands on when it is read other than through its own `poll_next`.
pub(crate) struct Counted<S> {
    pub(crate) inner: S,
    pub(crate) progress: Progress,
}

impl<S, E> futures_core::Stream for Counted<S>
where
    S: futures_core::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
{
    type Item = Result<bytes::Bytes, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let item = ready!(Pin::new(&mut self.inner).poll_next(cx));
        self.progress.observe(item.as_ref());
        Poll::Ready(item)
    }
}

impl Progress {
    /// Counts a stream's item: a chunk's bytes, or its end.
    pub(crate) fn observe<E>(&self, item: Option<&Result<bytes::Bytes, E>>) {
        match item {
            Some(Ok(chunk)) => self.advance(chunk.len()),
            Some(Err(_)) => {}
            None => self.finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn reports_to_watches_and_the_callback() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let progress = Progress::with_callback(move |now| log.lock().unwrap().push(*now));
        let watch = progress.watch();
        assert_eq!(watch.attempt(), 0);
        progress.start(Some(10));
        progress.advance(4);
        progress.advance(6);
        progress.finish();
        assert_eq!(watch.bytes(), 10);
        assert_eq!(watch.total(), Some(10));
        assert!(watch.is_done());
        assert_eq!(watch.get().fraction(), Some(1.0));
        progress.start(None);
        assert_eq!(
            (watch.bytes(), watch.total(), watch.attempt()),
            (0, None, 2)
        );
        let seen = seen.lock().unwrap();
        let bytes: Vec<u64> = seen.iter().map(|now| now.bytes).collect();
        assert_eq!(bytes, [0, 4, 10, 10, 0]);
    }

    #[tokio::test]
    async fn a_body_in_memory_is_reported_piece_by_piece() {
        let progress = Progress::new();
        let body = reqwest::Body::from(vec![7u8; PIECE * 2 + 5]);
        let mut body = count_upload(body, &progress, None);
        assert_eq!(body.size_hint().exact(), Some(PIECE as u64 * 2 + 5));
        let mut sizes = Vec::new();
        while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
        {
            sizes.push(frame.unwrap().into_data().unwrap().len());
        }
        assert_eq!(sizes, [PIECE, PIECE, 5]);
        let now = progress.get();
        assert_eq!(
            (now.bytes, now.total, now.attempt, now.done),
            (PIECE as u64 * 2 + 5, Some(PIECE as u64 * 2 + 5), 1, true)
        );
    }
}
