//! Bodies beyond JSON: raw bytes, byte streams and multipart forms. Streams are passed on
//! chunk by chunk, never read whole into memory.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::io;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use futures_util::{StreamExt as _, TryStreamExt as _};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

use crate::Error;
use crate::progress::{Counted, Progress};

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;
type BoxStream = Pin<Box<dyn Stream<Item = Result<bytes::Bytes, BoxError>> + Send>>;

/// A whole body in memory: a raw request body, or a response read as it is (bounded by the
/// client's [`max_response_bytes`](crate::ClientBuilder::max_response_bytes)).
///
/// Cheap to clone; dereferences to `[u8]`.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Bytes(bytes::Bytes);

impl Bytes {
    /// The bytes as a `bytes::Bytes`, without copying.
    pub fn into_inner(self) -> bytes::Bytes {
        self.0
    }
}

impl Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl From<bytes::Bytes> for Bytes {
    fn from(bytes: bytes::Bytes) -> Self {
        Bytes(bytes)
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes(bytes.into())
    }
}

impl From<&'static [u8]> for Bytes {
    fn from(bytes: &'static [u8]) -> Self {
        Bytes(bytes::Bytes::from_static(bytes))
    }
}

impl From<&'static str> for Bytes {
    fn from(text: &'static str) -> Self {
        Bytes(bytes::Bytes::from_static(text.as_bytes()))
    }
}

impl From<String> for Bytes {
    fn from(text: String) -> Self {
        Bytes(text.into())
    }
}

/// A body as a stream of chunks: an upload from a reader or stream, or a download read
/// piece by piece with bounded memory.
///
/// ```no_run
/// # async fn run(download: askui_runtime::ByteStream) -> Result<(), askui_runtime::Error> {
/// // A download: straight to a file, whatever its size.
/// let written = download.save("report.pdf").await?;
/// // An upload: from any `AsyncRead`.
/// let file = tokio::fs::File::open("video.mp4").await.unwrap();
/// let body = askui_runtime::ByteStream::from_reader(file);
/// # Ok(()) }
/// ```
pub struct ByteStream {
    inner: BoxStream,
    /// Where a download came from (`GET /api/v1/…`, or a URL with its query redacted), so
    /// that its errors name the call.
    call: Option<Box<str>>,
    /// A download fails when no data comes for this long.
    idle: Option<Idle>,
    /// A download's `Content-Length`: the total its progress reports.
    length: Option<u64>,
    /// Counts the chunks read, when the caller asked ([`ByteStream::progress`]); `None`
    /// costs one check per chunk.
    progress: Option<Progress>,
    /// What the download's connection needs alive: the blocking client's runtime.
    _keep_alive: Option<KeepAlive>,
}

pub(crate) type KeepAlive = std::sync::Arc<dyn std::any::Any + Send + Sync>;

/// `Content-Type` of a JSON body, and `Accept` of a call read as JSON.
pub(crate) const APPLICATION_JSON: http::HeaderValue =
    http::HeaderValue::from_static("application/json");
/// `Content-Type` of a `#[form]` body.
pub(crate) const FORM_URLENCODED: http::HeaderValue =
    http::HeaderValue::from_static("application/x-www-form-urlencoded");
/// `Accept` of a call read as bytes or a stream, and of a download.
pub(crate) const ANY: http::HeaderValue = http::HeaderValue::from_static("*/*");
/// `Accept` of a call read as [`JsonLines`](crate::JsonLines): both names in use.
pub(crate) const JSON_LINES: http::HeaderValue =
    http::HeaderValue::from_static("application/x-ndjson, application/jsonl");
/// `Accept` of a call read as [`Sse`](crate::Sse).
pub(crate) const EVENT_STREAM: http::HeaderValue =
    http::HeaderValue::from_static("text/event-stream");

/// The bound on a stall: how long the stream may wait for the server's next chunk.
struct Idle {
    limit: Duration,
    timer: Pin<Box<tokio::time::Sleep>>,
    /// Whether `timer` is set for the wait under way. A chunk ends the wait; the timer is
    /// set again only when the next wait begins, so the time the reader spends between
    /// chunks does not count against the server, and a chunk that is already there costs
    /// no timer reset.
    armed: bool,
}

impl ByteStream {
    /// A stream of chunks, e.g. from `futures::stream` or a channel.
    pub fn from_stream<S, B, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<bytes::Bytes> + 'static,
        E: Into<BoxError> + 'static,
    {
        ByteStream {
            inner: stream.map_ok(Into::into).map_err(Into::into).boxed(),
            call: None,
            idle: None,
            length: None,
            progress: None,
            _keep_alive: None,
        }
    }

    /// Reads from any `AsyncRead` (a file, a pipe, a decompressor) in 64 KiB chunks.
    pub fn from_reader<R: AsyncRead + Send + 'static>(reader: R) -> Self {
        Self::from_stream(tokio_util::io::ReaderStream::with_capacity(
            reader,
            64 * 1024,
        ))
    }

    /// Reads an open file, e.g. one opened with `std::fs::File::open` in blocking code.
    pub fn from_file(file: std::fs::File) -> Self {
        Self::from_reader(tokio::fs::File::from_std(file))
    }

    /// A download. Its body is not bounded in time as a whole, only by `idle` between chunks
    /// (a download may take long; a stalled one fails).
    pub(crate) fn from_response(
        response: reqwest::Response,
        call: Box<str>,
        idle: Option<Duration>,
        keep_alive: Option<KeepAlive>,
    ) -> Self {
        ByteStream {
            length: response.content_length(),
            inner: response.bytes_stream().map_err(Into::into).boxed(),
            call: Some(call),
            idle: idle.map(|limit| Idle {
                limit,
                timer: Box::pin(tokio::time::sleep(limit)),
                armed: true,
            }),
            progress: None,
            _keep_alive: keep_alive,
        }
    }

    /// Reports the chunks to `progress` as they are read, whichever way the stream is read
    /// (`chunk`, [`save`](Self::save), [`write_to`](Self::write_to),
    /// [`into_async_read`](Self::into_async_read), the blocking readers, or as an upload's
    /// body). The total is a download's `Content-Length`, `None` without one (and for a
    /// stream made here, whose length only the call knows: for an upload, prefer
    /// [`CallOptions::upload_progress`](crate::CallOptions::upload_progress), which counts
    /// the whole body, per attempt). Starts the progress: 0 bytes, the next attempt.
    ///
    /// ```no_run
    /// # async fn run(download: askui_runtime::ByteStream) -> Result<(), askui_runtime::Error> {
    /// let progress = askui_runtime::Progress::with_callback(|now| {
    ///     eprint!("\r{} of {:?} bytes", now.bytes, now.total);
    /// });
    /// download.progress(&progress).save("video.mp4").await?;
    /// # Ok(()) }
    /// ```
    pub fn progress(mut self, progress: &Progress) -> Self {
        progress.start(self.length);
        self.progress = Some(progress.clone());
        self
    }

    /// The body's length when it is known before it is read: a download's
    /// `Content-Length`.
    pub fn content_length(&self) -> Option<u64> {
        self.length
    }

    /// The chunks as they are, counted if a progress is attached.
    fn into_inner(self) -> BoxStream {
        match self.progress {
            None => self.inner,
            Some(progress) => Box::pin(Counted {
                inner: self.inner,
                progress,
            }),
        }
    }

    pub(crate) fn into_reqwest_body(self) -> reqwest::Body {
        reqwest::Body::wrap_stream(self.into_inner())
    }

    /// The next chunk, or `None` at the end of the body.
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, Error> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }

    fn error(&self, source: BoxError) -> Error {
        let error = match source.downcast::<reqwest::Error>() {
            Ok(error) => Error::transport(*error),
            Err(source) => Error::transport_io(source),
        };
        self.name_call(error)
    }

    fn name_call(&self, error: Error) -> Error {
        match &self.call {
            Some(call) => error.with_call(call),
            None => error,
        }
    }

    /// Copies the whole body into `writer`, chunk by chunk, and flushes it. Returns the
    /// number of bytes written.
    pub async fn write_to<W: AsyncWrite + Unpin + ?Sized>(
        mut self,
        writer: &mut W,
    ) -> Result<u64, Error> {
        let mut written = 0u64;
        let cannot_write = |error: io::Error| Error::io("cannot write the body", error);
        while let Some(chunk) = self.chunk().await? {
            writer
                .write_all(&chunk)
                .await
                .map_err(|error| self.name_call(cannot_write(error)))?;
            written += chunk.len() as u64;
        }
        writer
            .flush()
            .await
            .map_err(|error| self.name_call(cannot_write(error)))?;
        Ok(written)
    }

    /// Writes the whole body to a new file at `path` (replacing one that exists). In async
    /// code; with a blocking client, use [`save_blocking`](Self::save_blocking).
    pub async fn save(self, path: impl AsRef<Path>) -> Result<u64, Error> {
        let path = path.as_ref();
        if tokio::runtime::Handle::try_current().is_err() {
            // `tokio::fs` would panic without a runtime.
            return Err(Error::io(
                "`ByteStream::save` needs a Tokio runtime; in blocking code use `save_blocking`",
                io::Error::other("no Tokio runtime"),
            ));
        }
        let mut file = tokio::fs::File::create(path)
            .await
            .map_err(|error| Error::io(format!("cannot create `{}`", path.display()), error))?;
        self.write_to(&mut file).await
    }

    /// The body as an `AsyncRead`, for APIs that take a reader.
    pub fn into_async_read(self) -> impl AsyncRead + Send + Unpin {
        tokio_util::io::StreamReader::new(self.into_inner().map_err(io::Error::other))
    }
}

impl Stream for ByteStream {
    type Item = Result<bytes::Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        match this.inner.as_mut().poll_next(cx) {
            Poll::Ready(item) => {
                if let Some(idle) = &mut this.idle {
                    idle.armed = false;
                }
                if let Some(progress) = &this.progress {
                    progress.observe(item.as_ref());
                }
                Poll::Ready(item.map(|result| result.map_err(|error| this.error(error))))
            }
            Poll::Pending => {
                let stalled = match &mut this.idle {
                    Some(idle) => {
                        if !idle.armed {
                            let deadline = tokio::time::Instant::now() + idle.limit;
                            idle.timer.as_mut().reset(deadline);
                            idle.armed = true;
                        }
                        idle.timer
                            .as_mut()
                            .poll(cx)
                            .is_ready()
                            .then_some(idle.limit)
                    }
                    None => None,
                };
                match stalled {
                    Some(limit) => {
                        this.idle = None;
                        Poll::Ready(Some(Err(this.name_call(Error::timeout(format!(
                            "no data came for {limit:?} while reading the body"
                        ))))))
                    }
                    None => Poll::Pending,
                }
            }
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}

/// What `#[body(content_type = "…")]` accepts: bytes in memory or a [`ByteStream`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as a raw body",
    label = "not bytes or a `ByteStream`",
    note = "a raw body is `Vec<u8>`, `&[u8]`, `String`, `&str`, `askui_runtime::Bytes`, `bytes::Bytes` or `askui_runtime::ByteStream`"
)]
///
/// A type of yours can be a raw body too: implement it by handing over its bytes or a
/// stream.
pub trait IntoBody {
    /// The body, as it will be sent.
    fn into_body(self) -> RawBody;
}

/// A raw body: bytes in memory (sent with a `Content-Length`, and sent again when a call is
/// retried) or a [`ByteStream`] (sent as it is read, never retried).
#[derive(Debug)]
pub enum RawBody {
    /// Bytes in memory.
    Bytes(bytes::Bytes),
    /// A stream, read as it is sent.
    Stream(ByteStream),
}

impl IntoBody for Bytes {
    fn into_body(self) -> RawBody {
        RawBody::Bytes(self.0)
    }
}

impl IntoBody for bytes::Bytes {
    fn into_body(self) -> RawBody {
        RawBody::Bytes(self)
    }
}

impl IntoBody for Vec<u8> {
    fn into_body(self) -> RawBody {
        RawBody::Bytes(self.into())
    }
}

impl IntoBody for &[u8] {
    fn into_body(self) -> RawBody {
        RawBody::Bytes(bytes::Bytes::copy_from_slice(self))
    }
}

impl IntoBody for &Vec<u8> {
    fn into_body(self) -> RawBody {
        RawBody::Bytes(bytes::Bytes::copy_from_slice(self))
    }
}

impl IntoBody for &Bytes {
    fn into_body(self) -> RawBody {
        RawBody::Bytes(self.0.clone())
    }
}

impl IntoBody for String {
    fn into_body(self) -> RawBody {
        RawBody::Bytes(self.into())
    }
}

impl IntoBody for &str {
    fn into_body(self) -> RawBody {
        RawBody::Bytes(bytes::Bytes::copy_from_slice(self.as_bytes()))
    }
}

impl IntoBody for ByteStream {
    fn into_body(self) -> RawBody {
        RawBody::Stream(self)
    }
}

/// A `multipart/form-data` body for `#[multipart]`: text fields and file parts, several
/// under one name if need be. File contents are streamed, never read whole into memory.
///
/// ```
/// use askui_runtime::{Multipart, Part};
///
/// let form = Multipart::new()
///     .text("description", "two screenshots")
///     // One name, several parts: what an API taking a list of files expects.
///     .part("input_files", Part::bytes(b"%PDF-1.7".to_vec()).file_name("a.pdf").content_type("application/pdf"))
///     .file("input_files", "screenshots/b.png"); // opened when the call is sent
/// ```
#[derive(Default)]
pub struct Multipart {
    pub(crate) parts: Vec<(Cow<'static, str>, Part)>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        self.part(name, Part::text(value))
    }

    /// Adds a part.
    pub fn part(mut self, name: impl Into<Cow<'static, str>>, part: Part) -> Self {
        self.parts.push((name.into(), part));
        self
    }

    /// Adds the file at `path`, streamed when the call is sent; its file name is the
    /// path's last component. A file that cannot be opened is an
    /// [`InvalidArgument`](crate::ErrorKind::InvalidArgument) error before the request
    /// starts.
    pub fn file(self, name: impl Into<Cow<'static, str>>, path: impl Into<PathBuf>) -> Self {
        self.part(name, Part::path(path))
    }
}

/// What `#[multipart]` accepts: a [`Multipart`] form.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as a multipart body",
    label = "not an `askui_runtime::Multipart`",
    note = "build the body with `askui_runtime::Multipart::new().text(…).file(…)`"
)]
///
/// A form type of yours can be a multipart body too (as `askui-workspaces`' upload commands
/// are): implement it by building the [`Multipart`].
pub trait IntoMultipart {
    /// The form, as it will be sent.
    fn into_multipart(self) -> Multipart;
}

impl IntoMultipart for Multipart {
    fn into_multipart(self) -> Multipart {
        self
    }
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.parts.iter().map(|(name, part)| (name, part)))
            .finish()
    }
}

/// One part of a [`Multipart`] form.
pub struct Part {
    pub(crate) content: PartContent,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
}

pub(crate) enum PartContent {
    Text(String),
    Bytes(bytes::Bytes),
    Stream(ByteStream, Option<u64>),
    Path(PathBuf),
}

impl Part {
    fn new(content: PartContent) -> Self {
        Part {
            content,
            file_name: None,
            content_type: None,
        }
    }

    /// A text value (`text/plain` unless a content type is set).
    pub fn text(value: impl Into<String>) -> Self {
        Self::new(PartContent::Text(value.into()))
    }

    /// Bytes in memory.
    pub fn bytes(value: impl Into<Bytes>) -> Self {
        Self::new(PartContent::Bytes(value.into().0))
    }

    /// A stream of unknown length (sent with chunked encoding).
    pub fn stream(stream: ByteStream) -> Self {
        Self::new(PartContent::Stream(stream, None))
    }

    /// A stream whose length is known, so the request can declare its `Content-Length`.
    pub fn stream_with_length(stream: ByteStream, length: u64) -> Self {
        Self::new(PartContent::Stream(stream, Some(length)))
    }

    /// Any `AsyncRead`, streamed.
    pub fn reader<R: AsyncRead + Send + 'static>(reader: R) -> Self {
        Self::stream(ByteStream::from_reader(reader))
    }

    /// The file at `path`, opened and streamed when the call is sent. Its file name is the
    /// path's last component and its content type is guessed from the extension
    /// (`application/octet-stream` if unknown), unless [`file_name`](Self::file_name) or
    /// [`content_type`](Self::content_type) say otherwise.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        let content_type = mime_guess::from_path(&path)
            .first_or_octet_stream()
            .essence_str()
            .to_owned();
        Part {
            file_name,
            content_type: Some(content_type),
            ..Self::new(PartContent::Path(path))
        }
    }

    /// The `filename` of the part's `Content-Disposition`.
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The part's `Content-Type`, e.g. `image/png`. Checked when the call is sent.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Turns the part into reqwest's, opening a file part now.
    pub(crate) async fn into_reqwest(self, name: &str) -> Result<reqwest::multipart::Part, Error> {
        use reqwest::multipart::Part as P;
        let unsafe_text = |text: &str| text.chars().any(|c| matches!(c, '\r' | '\n' | '\0'));
        if unsafe_text(name) || self.file_name.as_deref().is_some_and(unsafe_text) {
            return Err(Error::invalid_argument(
                format_args!("multipart part `{}`", name.escape_debug()),
                "a part name or file name must not contain CR, LF or NUL",
            ));
        }
        let part = match self.content {
            PartContent::Text(text) => P::text(text),
            PartContent::Bytes(bytes) => {
                let length = bytes.len() as u64;
                P::stream_with_length(bytes, length)
            }
            PartContent::Stream(stream, None) => P::stream(stream.into_reqwest_body()),
            PartContent::Stream(stream, Some(length)) => {
                P::stream_with_length(stream.into_reqwest_body(), length)
            }
            PartContent::Path(path) => {
                let cannot_read = |error: io::Error| {
                    Error::invalid_argument(
                        format_args!("multipart part `{name}`"),
                        format_args!("cannot read the file `{}`", path.display()),
                    )
                    .with_source(error)
                };
                let file = tokio::fs::File::open(&path).await.map_err(cannot_read)?;
                let length = file.metadata().await.map_err(cannot_read)?.len();
                let stream = ByteStream::from_reader(file);
                P::stream_with_length(stream.into_reqwest_body(), length)
            }
        };
        let part = match self.file_name {
            Some(file_name) => part.file_name(file_name),
            None => part,
        };
        match self.content_type {
            Some(content_type) => part.mime_str(&content_type).map_err(|error| {
                Error::invalid_argument(
                    format_args!("multipart part `{name}`"),
                    format_args!("`{content_type}` is not a valid content type"),
                )
                .with_source(error)
            }),
            None => Ok(part),
        }
    }
}

impl fmt::Debug for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let content = match &self.content {
            PartContent::Text(_) => "text".to_owned(),
            PartContent::Bytes(bytes) => format!("{} bytes", bytes.len()),
            PartContent::Stream(_, Some(length)) => format!("stream of {length} bytes"),
            PartContent::Stream(_, None) => "stream".to_owned(),
            PartContent::Path(path) => format!("file {}", path.display()),
        };
        f.debug_struct("Part")
            .field("content", &content)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl Multipart {
    pub(crate) async fn into_reqwest(self) -> Result<reqwest::multipart::Form, Error> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in self.parts {
            let part = part.into_reqwest(&name).await?;
            form = form.part(name, part);
        }
        Ok(form)
    }
}
