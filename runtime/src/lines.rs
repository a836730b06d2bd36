//! JSON Lines (`application/x-ndjson`, `application/jsonl`): the body cut into lines, as a
//! plain incremental state machine, fed the body's chunks as they come ([`LineSplitter`]),
//! and the [`JsonLines`] stream that decodes each line as a `T`.
//!
//! A line ends at LF; a CR before it is the JSON whitespace of a CRLF line end. A line that
//! is empty or only whitespace is skipped (it is still counted: line numbers are the body's).

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::redact::Secrets;
use crate::trace::StreamTrace;
use crate::{ByteStream, Endpoint, Error, FromResponse, RawResponse, ResponseKind};

/// The longest line of a [`JsonLines`] stream, and the longest event of an
/// [`Sse`](crate::Sse) stream, unless `max_line_bytes` or `max_event_bytes` says otherwise:
/// what one item may cost in memory.
pub const DEFAULT_MAX_ITEM_BYTES: usize = 1024 * 1024;

/// A line too long, or a whole one.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line<'a> {
    /// A complete line, without its LF; its 1-based number in the body.
    Whole(u64, &'a [u8]),
    /// The line with this number is longer than the limit; the splitter reads nothing more.
    TooLong(u64),
}

/// Cuts bytes, fed in chunks of any size, into lines. A line that fits in one chunk is
/// handed out from it, not copied; one that spans chunks is gathered in a buffer that never
/// grows past `max` bytes.
pub(crate) struct LineSplitter {
    /// The start of a line that began in an earlier chunk.
    partial: Vec<u8>,
    /// Whether `partial` holds a finished line, handed out by the last call.
    handed_out: bool,
    /// The number of the line being read (1-based).
    line: u64,
    max: usize,
    /// Set once a line was too long: nothing more is read.
    failed: bool,
}

impl LineSplitter {
    pub(crate) fn new(max: usize) -> Self {
        LineSplitter {
            partial: Vec::new(),
            handed_out: false,
            line: 1,
            max,
            failed: false,
        }
    }

    pub(crate) fn set_max(&mut self, max: usize) {
        self.max = max;
    }

    /// The next complete line in `input`, which is advanced past it; `None` once `input` is
    /// used up (its tail is kept for the next chunk).
    pub(crate) fn next_line<'s, 'i: 's>(&'s mut self, input: &mut &'i [u8]) -> Option<Line<'s>> {
        if self.handed_out {
            self.partial.clear();
            self.handed_out = false;
        }
        if self.failed {
            *input = &[];
            return None;
        }
        let number = self.line;
        let Some(end) = input.iter().position(|&byte| byte == b'\n') else {
            // One byte more than the limit may be the CR of a CRLF still to come.
            if self.partial.len() + input.len() > self.max.saturating_add(1) {
                return Some(self.too_long(input, number));
            }
            self.partial.extend_from_slice(input);
            *input = &[];
            return None;
        };
        let (head, rest) = (&input[..end], &input[end + 1..]);
        *input = rest;
        self.line += 1;
        let length = self.partial.len() + head.len();
        // The LF is not part of the line, nor is a CR before it.
        let cr = usize::from(
            head.last() == Some(&b'\r') || (head.is_empty() && self.partial.last() == Some(&b'\r')),
        );
        if length - cr > self.max {
            return Some(self.too_long(input, number));
        }
        if self.partial.is_empty() {
            return Some(Line::Whole(number, &head[..head.len() - cr]));
        }
        self.partial.extend_from_slice(head);
        self.partial.truncate(length - cr);
        self.handed_out = true;
        Some(Line::Whole(number, &self.partial))
    }

    /// The end of the body: a last line without a LF, if any.
    pub(crate) fn finish(&mut self) -> Option<Line<'_>> {
        if self.handed_out {
            self.partial.clear();
            self.handed_out = false;
        }
        if self.failed || self.partial.is_empty() {
            return None;
        }
        self.handed_out = true;
        self.failed = true;
        if self.partial.last() == Some(&b'\r') {
            self.partial.pop();
        }
        if self.partial.len() > self.max {
            return Some(Line::TooLong(self.line));
        }
        Some(Line::Whole(self.line, &self.partial))
    }

    fn too_long<'a>(&mut self, input: &mut &[u8], number: u64) -> Line<'a> {
        self.failed = true;
        self.partial = Vec::new();
        *input = &[];
        Line::TooLong(number)
    }
}

/// A line as a `T`; an error names its line (and the call).
fn decode<T: DeserializeOwned>(
    number: u64,
    line: &[u8],
    secrets: Option<&dyn Secrets>,
    endpoint: Option<&'static Endpoint>,
) -> Result<T, Error> {
    crate::response::decode::<T>(line, secrets)
        .map_err(|error| name_call(error.at_line(number), endpoint))
}

fn name_call(error: Error, endpoint: Option<&'static Endpoint>) -> Error {
    match endpoint {
        Some(endpoint) => error.with_endpoint(endpoint),
        None => error,
    }
}

/// A line that holds no value: empty, or only ASCII whitespace (a form feed too, which a
/// body read whole would also take as empty).
fn blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// A body of JSON Lines (`application/x-ndjson`, `application/jsonl`) read as it arrives,
/// one `T` per line: return `Result<JsonLines<T>, Error>` from an endpoint method, and the
/// call sends `Accept: application/x-ndjson, application/jsonl`.
///
/// ```no_run
/// use askui_runtime::{askui_endpoint, Client, Error, JsonLines};
/// use futures_util::StreamExt as _;
///
/// #[derive(serde::Deserialize)]
/// pub struct Row { pub id: u64, pub name: String }
///
/// pub trait Export {
///     #[askui_endpoint(get, "/api/v1/export")]
///     async fn export(&self) -> Result<JsonLines<Row>, Error>;
/// }
/// impl Export for Client {}
///
/// # async fn run(client: Client) -> Result<(), Error> {
/// let mut rows = client.export().await?;
/// while let Some(row) = rows.next().await {
///     match row {
///         Ok(row) => println!("{} {}", row.id, row.name),
///         // A line that is not a `Row`: reported, and the stream goes on.
///         Err(error) if error.line().is_some() => eprintln!("skipped: {error}"),
///         Err(error) => return Err(error),
///     }
/// }
/// # Ok(()) }
/// ```
///
/// - **One item per line**, LF or CRLF ended; a last line without a line end counts. Empty
///   and whitespace-only lines are skipped.
/// - **A line that is not a `T`** is an [`ErrorKind::Decode`](crate::ErrorKind::Decode)
///   item whose [`Error::line`] is its 1-based line number (with the JSON path and a snippet,
///   as any decode error), and **the stream goes on** with the next line: one bad record in
///   an export should not cost the rest, and the caller who wants to stop stops reading.
/// - **A line longer than [`max_line_bytes`](Self::max_line_bytes)** (default
///   [`DEFAULT_MAX_ITEM_BYTES`], 1 MiB) is a
///   [`ResponseTooLarge`](crate::ErrorKind::ResponseTooLarge) item naming the line, and
///   **the stream then ends**: the server broke the bound, and skipping to the next line
///   would mean reading an unbounded amount only to throw it away. Memory is bounded by that
///   limit (plus one chunk of the body), however long the body.
/// - A wait of more than the client's `read_timeout` for the next chunk is a
///   [`Timeout`](crate::ErrorKind::Timeout) item, and the end; so is a broken connection
///   ([`Transport`](crate::ErrorKind::Transport)). Dropping the stream closes the connection.
/// - The call's `askui.call` span lasts as long as the stream, which records `items` (the
///   values read) when it ends or is dropped.
///
/// With the `blocking` feature, `into_blocking_iter()` reads it as an `Iterator`.
pub struct JsonLines<T> {
    body: ByteStream,
    chunk: bytes::Bytes,
    lines: LineSplitter,
    /// The body ended, or a line was too long: nothing more to read.
    done: bool,
    endpoint: Option<&'static Endpoint>,
    secrets: Option<Arc<dyn Secrets>>,
    trace: StreamTrace,
    _item: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> JsonLines<T> {
    /// The longest line read; a longer one is an error item that ends the stream. Default
    /// [`DEFAULT_MAX_ITEM_BYTES`].
    pub fn max_line_bytes(mut self, max: usize) -> Self {
        self.lines.set_max(max);
        self
    }

    /// The lines of `body`, e.g. a [`ByteStream`] of a file or of a call read as bytes.
    pub fn from_byte_stream(body: ByteStream) -> Self {
        JsonLines {
            body,
            chunk: bytes::Bytes::new(),
            lines: LineSplitter::new(DEFAULT_MAX_ITEM_BYTES),
            done: false,
            endpoint: None,
            secrets: None,
            trace: StreamTrace::none(),
            _item: PhantomData,
        }
    }

    /// The next value, or `None` at the end of the body.
    pub async fn item(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    fn name_call(&self, error: Error) -> Error {
        name_call(error, self.endpoint)
    }

    /// The next item of what has arrived, if one is complete.
    fn next_buffered(&mut self) -> Option<Result<T, Error>> {
        loop {
            if self.chunk.is_empty() {
                return None;
            }
            let mut input: &[u8] = &self.chunk;
            let before = input.len();
            // A line inside the chunk is decoded where it is, not copied.
            let item = match self.lines.next_line(&mut input) {
                None => None,
                Some(Line::TooLong(number)) => Some(Err(number)),
                Some(Line::Whole(_, line)) if blank(line) => Some(Ok(None)),
                Some(Line::Whole(number, line)) => Some(Ok(Some(decode::<T>(
                    number,
                    line,
                    self.secrets.as_deref(),
                    self.endpoint,
                )))),
            };
            let used = before - input.len();
            // Not `split_to`, which would make and drop a handle (two atomic operations).
            bytes::Buf::advance(&mut self.chunk, used);
            match item {
                None => return None,
                Some(Err(number)) => {
                    self.done = true;
                    return Some(Err(self.too_long(number)));
                }
                Some(Ok(None)) => continue,
                Some(Ok(Some(item))) => return Some(item),
            }
        }
    }

    fn too_long(&self, number: u64) -> Error {
        self.name_call(
            Error::response_too_large(self.lines.max)
                .with_message(format!(
                    "line {number} of the response body is longer than the limit of {} bytes",
                    self.lines.max
                ))
                .at_line(number),
        )
    }
}

impl<T: DeserializeOwned> FromResponse for JsonLines<T> {
    const KIND: ResponseKind = ResponseKind::JsonLines;

    fn from_response(mut response: RawResponse) -> Result<Self, Error> {
        let trace = StreamTrace::new(response.streaming.take().map(|parts| parts.trace));
        let endpoint = response.endpoint;
        let secrets = response.secrets.clone();
        let mut lines = Self::from_byte_stream(response.into_stream());
        lines.endpoint = Some(endpoint);
        lines.secrets = secrets;
        lines.trace = trace;
        Ok(lines)
    }
}

impl<T: DeserializeOwned> Stream for JsonLines<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            if let Some(item) = this.next_buffered() {
                this.trace.item(item.as_ref().err());
                return Poll::Ready(Some(item));
            }
            // The span entered where the HTTP client may emit events: reading the body (not
            // per line decoded from a chunk already read).
            let polled = {
                let _entered = this.trace.enter();
                Pin::new(&mut this.body).poll_next(cx)
            };
            match std::task::ready!(polled) {
                Some(Ok(chunk)) => this.chunk = chunk,
                Some(Err(error)) => {
                    this.done = true;
                    this.trace.end(Some(&error));
                    return Poll::Ready(Some(Err(error)));
                }
                None => {
                    this.done = true;
                    let item = match this.lines.finish() {
                        Some(Line::Whole(number, line)) if !blank(line) => {
                            Some(decode(number, line, this.secrets.as_deref(), this.endpoint))
                        }
                        Some(Line::TooLong(number)) => Some(Err(this.too_long(number))),
                        _ => None,
                    };
                    if let Some(item) = &item {
                        this.trace.item(item.as_ref().err());
                    }
                    this.trace.end(None);
                    return Poll::Ready(item);
                }
            }
        }
    }
}

impl<T> fmt::Debug for JsonLines<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonLines")
            .field("line", &self.lines.line)
            .finish_non_exhaustive()
    }
}

/// The values of a body cut into `chunks`, as a [`JsonLines`] stream reads them: for
/// fuzzing the splitter without a network. Not public API: `__private::json_lines`.
pub fn json_lines<T: DeserializeOwned>(
    chunks: &[&[u8]],
    max_line_bytes: usize,
) -> Vec<Result<T, Error>> {
    let mut splitter = LineSplitter::new(max_line_bytes);
    let mut items = Vec::new();
    let decode = |number: u64, line: &[u8]| decode::<T>(number, line, None, None);
    for chunk in chunks {
        let mut input = *chunk;
        while let Some(line) = splitter.next_line(&mut input) {
            match line {
                Line::Whole(_, line) if blank(line) => {}
                Line::Whole(number, line) => items.push(decode(number, line)),
                Line::TooLong(number) => {
                    items.push(Err(
                        Error::response_too_large(max_line_bytes).at_line(number)
                    ));
                    return items;
                }
            }
        }
    }
    match splitter.finish() {
        Some(Line::Whole(number, line)) if !blank(line) => items.push(decode(number, line)),
        Some(Line::TooLong(number)) => items.push(Err(
            Error::response_too_large(max_line_bytes).at_line(number)
        )),
        _ => {}
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(chunks: &[&[u8]], max: usize) -> Vec<Result<(u64, String), u64>> {
        let mut splitter = LineSplitter::new(max);
        let mut out = Vec::new();
        let mut push = |line: Line<'_>| match line {
            Line::Whole(number, line) => {
                out.push(Ok((number, String::from_utf8_lossy(line).into_owned())))
            }
            Line::TooLong(number) => out.push(Err(number)),
        };
        for chunk in chunks {
            let mut input = *chunk;
            while let Some(line) = splitter.next_line(&mut input) {
                push(line);
            }
        }
        if let Some(line) = splitter.finish() {
            push(line);
        }
        out
    }

    #[test]
    fn lines_end_at_lf_and_crlf_in_any_chunking() {
        let whole: &[u8] = b"a\r\nbc\n\nd\r\ne";
        let want = vec![
            Ok((1, "a".to_owned())),
            Ok((2, "bc".to_owned())),
            Ok((3, String::new())),
            Ok((4, "d".to_owned())),
            Ok((5, "e".to_owned())),
        ];
        for cut in 0..=whole.len() {
            for cut2 in cut..=whole.len() {
                let chunks = [&whole[..cut], &whole[cut..cut2], &whole[cut2..]];
                assert_eq!(lines(&chunks, 16), want, "{cut} {cut2}");
            }
        }
    }

    #[test]
    fn a_long_line_is_an_error_and_the_end() {
        assert_eq!(
            lines(&[b"abc\nabcdef", b"gh\nok\n"], 4),
            vec![Ok((1, "abc".to_owned())), Err(2)]
        );
        // Exactly the limit is fine, its CRLF not counted.
        assert_eq!(
            lines(&[b"abcd\r", b"\nabcde\n"], 4),
            vec![Ok((1, "abcd".to_owned())), Err(2)]
        );
        assert_eq!(lines(&[b"abcde"], 4), vec![Err(1)]);
    }
}
