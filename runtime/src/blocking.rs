//! Blocking calls, for programs without an async runtime (behind the `blocking` feature).
//!
//! A trait method declared without `async` is a blocking call:
//!
//! ```
//! use askui_runtime::{askui_endpoint, blocking, Error};
//!
//! pub trait Prices {
//!     #[askui_endpoint(get, "/api/v1/workspaces/{workspace_id}/billing/prices")]
//!     fn list_prices(&self, workspace_id: &str) -> Result<serde_json::Value, Error>;
//! }
//! impl Prices for blocking::Client {}
//!
//! # fn run() -> Result<(), Error> {
//! let client = askui_runtime::Client::builder().base_url("http://127.0.0.1:9").build_blocking()?;
//! # let _ = || -> Result<(), Error> {
//! let prices = client.list_prices("3f0c…")?;
//! # Ok(()) };
//! # Ok(()) }
//! ```
//!
//! Roles, encoding, errors and timeouts are those of async calls: each call runs on a small
//! runtime the client owns (one worker thread), and the calling thread waits for it. A
//! [`ByteStream`](crate::ByteStream) download is read with
//! [`ByteStream::into_blocking_read`](crate::ByteStream::into_blocking_read), and a
//! [`JsonLines`](crate::JsonLines) or [`Sse`](crate::Sse) answer as an `Iterator` with
//! `into_blocking_iter()`:
//!
//! ```no_run
//! use askui_runtime::{askui_endpoint, blocking, Error, Sse};
//!
//! pub trait Feed {
//!     #[askui_endpoint(get, "/api/v1/feed")]
//!     fn feed(&self) -> Result<Sse<String>, Error>;
//! }
//! impl Feed for blocking::Client {}
//!
//! # fn run(client: blocking::Client) -> Result<(), Error> {
//! for event in client.feed()?.into_blocking_iter() {
//!     println!("{}", event?.data);
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use crate::{ClientBuilder, Error, RawResponse, ResponseKind};

/// A client whose `#[askui_endpoint]` methods declared without `async` block until the
/// call is done. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    client: crate::Client,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Not `Runtime::drop`, which panics when the last clone is dropped in async code.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Client {
    /// A blocking client with the same settings as `client`, and its connection pool: do
    /// not call it on a thread that runs the async runtime those connections belong to
    /// (a `current_thread` runtime's own thread), or the call waits for its timeout.
    /// [`ClientBuilder::build_blocking`] makes a client with a pool of its own.
    pub fn new(client: crate::Client) -> Result<Client, Error> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("askui-blocking")
            .enable_all()
            .build()
            .map_err(|error| {
                Error::builder("the blocking client's runtime could not be started")
                    .with_source(error)
            })?;
        Ok(Client {
            inner: Arc::new(Inner {
                client,
                runtime: Some(runtime),
            }),
        })
    }

    /// The async client underneath.
    pub fn client(&self) -> &crate::Client {
        &self.inner.client
    }

    /// [`crate::Client::download_url`], blocking: downloads `url`, an absolute link an API
    /// handed out (a signed URL), without sending any credentials. The answer's body is read
    /// as it is consumed ([`ByteStream::save_blocking`](crate::ByteStream::save_blocking),
    /// [`ByteStream::into_blocking_read`](crate::ByteStream::into_blocking_read)); the
    /// client's timeout bounds the wait for the headers and then for each chunk. An invalid
    /// URL is an [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) before any
    /// I/O, a non-2xx answer a `Status` error, and the URL's query is never shown.
    ///
    /// ```no_run
    /// # fn run(client: askui_runtime::blocking::Client, url: &str) -> Result<(), askui_runtime::Error> {
    /// let written = client.download_url(url)?.save_blocking("report.pdf")?;
    /// # Ok(()) }
    /// ```
    pub fn download_url(&self, url: &str) -> Result<crate::ByteStream, Error> {
        let download = crate::download::Download::new(self.inner.client.settings_arc(), url)?;
        let keep_alive: crate::body::KeepAlive = self.inner.clone();
        self.block_on(download.send(Some(keep_alive)))
    }

    /// Sends a call built by a blocking method and waits for its answer. A streamed answer
    /// keeps this client's runtime alive, since its connection runs there.
    pub(crate) fn call<R: Send + 'static>(
        &self,
        mut request: crate::request::Request,
        kind: ResponseKind,
        read: fn(RawResponse) -> Result<R, Error>,
    ) -> Result<R, Error> {
        request.keep_alive(self.inner.clone());
        self.block_on(request.send_as(kind, read, std::convert::identity::<Error>))
    }

    /// Runs `future` on the client's runtime and waits for it on this thread. This never
    /// enters a Tokio runtime on the calling thread, so it does not panic in `spawn_blocking`
    /// or async code (where it blocks the thread, as any blocking call does).
    fn block_on<R: Send + 'static>(
        &self,
        future: impl Future<Output = Result<R, Error>> + Send + 'static,
    ) -> Result<R, Error> {
        let Some(runtime) = &self.inner.runtime else {
            return Err(Error::builder("the blocking client has been shut down"));
        };
        match futures_executor::block_on(runtime.spawn(future)) {
            Ok(result) => result,
            // A panic in the call is the caller's panic, as it would be in async code.
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(error) => Err(Error::transport_io(Box::new(error))),
        }
    }
}

impl AsRef<crate::Client> for Client {
    fn as_ref(&self) -> &crate::Client {
        &self.inner.client
    }
}

/// Lets `impl Trait for blocking::Client {}` work, as `AsRef<Client>` does for async calls.
impl AsRef<Client> for Client {
    fn as_ref(&self) -> &Client {
        self
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::Client")
            .field(&self.inner.client)
            .finish()
    }
}

impl ClientBuilder {
    /// Builds a [`blocking::Client`](Client).
    pub fn build_blocking(self) -> Result<Client, Error> {
        Client::new(self.build()?)
    }
}

impl crate::ByteStream {
    /// The body as a `std::io::Read`, for code without an async runtime (e.g. a download
    /// from a blocking call, copied with `std::io::copy`). Each read waits for the next chunk.
    pub fn into_blocking_read(self) -> impl std::io::Read + Send {
        BlockingRead {
            stream: self,
            chunk: bytes::Bytes::new(),
        }
    }

    /// Writes the whole body to a new file at `path`, in blocking code. Returns the number
    /// of bytes written.
    pub fn save_blocking(self, path: impl AsRef<std::path::Path>) -> Result<u64, Error> {
        let path = path.as_ref();
        let mut file = std::fs::File::create(path)
            .map_err(|error| Error::io(format!("cannot create `{}`", path.display()), error))?;
        let mut stream = self;
        let mut written = 0u64;
        // Chunk by chunk: a download error stays the download's own `Error`, a disk error
        // is `Io`.
        while let Some(chunk) = futures_executor::block_on(stream.chunk())? {
            std::io::Write::write_all(&mut file, &chunk)
                .map_err(|error| Error::io("cannot write the body", error))?;
            written += chunk.len() as u64;
        }
        file.sync_all()
            .map_err(|error| Error::io("cannot write the body", error))?;
        Ok(written)
    }
}

struct BlockingRead {
    stream: crate::ByteStream,
    chunk: bytes::Bytes,
}

impl std::io::Read for BlockingRead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.chunk.is_empty() {
            match futures_executor::block_on(self.stream.chunk()) {
                Ok(Some(chunk)) => self.chunk = chunk,
                Ok(None) => return Ok(0),
                Err(error) => return Err(std::io::Error::other(error)),
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk.split_to(n));
        Ok(n)
    }
}

impl<T: serde::de::DeserializeOwned> crate::JsonLines<T> {
    /// The values as an `Iterator`, for code without an async runtime (e.g. the answer of a
    /// blocking call). Each `next` waits for the next line. (A method, not an `Iterator`
    /// implementation, whose `next` would be ambiguous beside `StreamExt::next` in async
    /// code.)
    pub fn into_blocking_iter(self) -> impl Iterator<Item = Result<T, Error>> + Send {
        BlockingIter(self)
    }
}

impl<T: serde::de::DeserializeOwned> crate::Sse<T> {
    /// The events as an `Iterator`, for code without an async runtime (e.g. the answer of a
    /// blocking call). Each `next` waits for the next event; a reconnection runs on the
    /// blocking client's runtime.
    pub fn into_blocking_iter(self) -> impl Iterator<Item = Result<crate::Event<T>, Error>> + Send {
        BlockingIter(self)
    }
}

/// A stream read as an `Iterator`, each item waited for on the calling thread.
struct BlockingIter<S>(S);

impl<S: futures_core::Stream + Unpin> Iterator for BlockingIter<S> {
    type Item = S::Item;

    fn next(&mut self) -> Option<S::Item> {
        futures_executor::block_on(futures_util::StreamExt::next(&mut self.0))
    }
}
