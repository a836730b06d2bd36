//! The `text/event-stream` parser: the WHATWG rules of "interpreting an event stream"
//! (<https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation>)
//! as a plain incremental state machine, fed the body's chunks as they come.
//!
//! - Lines end at CR, LF or CRLF; a CR at the end of a chunk and a LF at the start of the
//!   next are one line end.
//! - A leading BOM (U+FEFF) is stripped; the stream is decoded as UTF-8, an invalid sequence
//!   read as U+FFFD (bytes are handled as bytes until a value is taken, which is the same:
//!   every byte the rules look at is ASCII).
//! - A line starting with `:` is a comment; `name: value` loses one space after the colon;
//!   a line without a colon is a field with an empty value; unknown fields are ignored.
//! - `data` lines are joined with LF; `event` sets the type (`message` when none); `id`
//!   sets the last event id unless its value has a NUL; `retry` sets the reconnection time
//!   when its value is only ASCII digits.
//! - A blank line dispatches the event: the last event id string becomes the id buffer's,
//!   and an event whose data buffer is empty is not dispatched.
//! - At the end of the body, an unfinished event is discarded.
//!
//! An event (its lines, data and type) longer than `max` bytes is an error, and the end:
//! memory is bounded by `max` and one chunk.

use std::time::Duration;

/// A dispatched event, its data still text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawEvent {
    pub(crate) event: String,
    pub(crate) data: String,
    /// The last event id string as of this event (it persists), `None` while empty.
    pub(crate) id: Option<String>,
    /// The `retry` the server sent since the previous event, if any.
    pub(crate) retry: Option<Duration>,
}

/// What the parser hands out.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Parsed {
    Event(RawEvent),
    /// An event longer than the limit; the parser reads nothing more.
    TooLong,
}

pub(crate) struct Parser {
    /// The start of a line that began in an earlier chunk.
    line: Vec<u8>,
    /// The last line ended with a CR: a LF first in what comes next is part of that end.
    after_cr: bool,
    /// No line read yet: a BOM is stripped from the first.
    at_start: bool,
    data: Vec<u8>,
    event_type: Vec<u8>,
    /// The last event ID buffer: set by `id`, kept across events.
    id_buffer: String,
    /// The last event ID string: the buffer's, as of the last dispatch.
    last_event_id: String,
    /// The reconnection time, as the server last set it.
    retry: Option<Duration>,
    /// A `retry` since the last dispatched event.
    retry_in_event: Option<Duration>,
    max: usize,
    failed: bool,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

impl Parser {
    pub(crate) fn new(max: usize) -> Self {
        Parser {
            line: Vec::new(),
            after_cr: false,
            at_start: true,
            data: Vec::new(),
            event_type: Vec::new(),
            id_buffer: String::new(),
            last_event_id: String::new(),
            retry: None,
            retry_in_event: None,
            max,
            failed: false,
        }
    }

    pub(crate) fn set_max(&mut self, max: usize) {
        self.max = max;
    }

    pub(crate) fn max(&self) -> usize {
        self.max
    }

    /// The last event id string: what a reconnection sends as `Last-Event-ID`.
    pub(crate) fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// The reconnection time the server asked for, if it did.
    pub(crate) fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// Whether an event was too long: nothing more is read.
    #[cfg(test)]
    pub(crate) fn failed(&self) -> bool {
        self.failed
    }

    /// Bytes the event being read holds.
    fn size(&self) -> usize {
        self.line.len() + self.data.len() + self.event_type.len()
    }

    /// The next event completed by `input`, which is advanced past what was read; `None`
    /// once `input` is used up (an unfinished line is kept for the next chunk).
    pub(crate) fn next_event(&mut self, input: &mut &[u8]) -> Option<Parsed> {
        loop {
            if self.failed {
                *input = &[];
                return None;
            }
            if self.after_cr && !input.is_empty() {
                self.after_cr = false;
                if input[0] == b'\n' {
                    *input = &input[1..];
                }
            }
            if input.is_empty() {
                return None;
            }
            let Some(end) = input.iter().position(|&b| b == b'\n' || b == b'\r') else {
                if self.size() + input.len() > self.max {
                    return Some(self.fail(input));
                }
                self.line.extend_from_slice(input);
                *input = &[];
                return None;
            };
            let head = &input[..end];
            self.after_cr = input[end] == b'\r';
            *input = &input[end + 1..];
            if self.size() + head.len() > self.max {
                return Some(self.fail(input));
            }
            let event = if self.line.is_empty() {
                self.line_read(head)
            } else {
                let mut line = std::mem::take(&mut self.line);
                line.extend_from_slice(head);
                let event = self.line_read(&line);
                line.clear();
                self.line = line;
                event
            };
            if let Some(event) = event {
                return Some(Parsed::Event(event));
            }
        }
    }

    /// The end of the body: an unfinished line or event is discarded. The last event id
    /// and the reconnection time are kept for the next connection, which starts afresh
    /// (a BOM, a line end).
    pub(crate) fn end_of_body(&mut self) {
        self.line = Vec::new();
        self.data = Vec::new();
        self.event_type = Vec::new();
        self.after_cr = false;
        self.at_start = true;
        self.id_buffer.clone_from(&self.last_event_id);
    }

    fn fail(&mut self, input: &mut &[u8]) -> Parsed {
        self.end_of_body();
        self.failed = true;
        *input = &[];
        Parsed::TooLong
    }

    fn line_read(&mut self, mut line: &[u8]) -> Option<RawEvent> {
        if std::mem::take(&mut self.at_start)
            && let Some(rest) = line.strip_prefix(BOM)
        {
            line = rest;
        }
        if line.is_empty() {
            return self.dispatch();
        }
        let (name, value) = match line.iter().position(|&b| b == b':') {
            Some(0) => return None,
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        match name {
            b"data" => {
                self.data.extend_from_slice(value);
                self.data.push(b'\n');
            }
            b"event" => {
                self.event_type.clear();
                self.event_type.extend_from_slice(value);
            }
            b"id" if !value.contains(&0) => {
                self.id_buffer = String::from_utf8_lossy(value).into_owned();
            }
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                let millis = value.iter().fold(0u64, |millis, digit| {
                    millis
                        .saturating_mul(10)
                        .saturating_add(u64::from(digit - b'0'))
                });
                let retry = Duration::from_millis(millis);
                self.retry = Some(retry);
                self.retry_in_event = Some(retry);
            }
            _ => {}
        }
        None
    }

    fn dispatch(&mut self) -> Option<RawEvent> {
        if self.last_event_id != self.id_buffer {
            self.last_event_id.clone_from(&self.id_buffer);
        }
        if self.data.is_empty() {
            self.event_type.clear();
            return None;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop(); // The LF after the last data line.
        let event = if self.event_type.is_empty() {
            "message".to_owned()
        } else {
            text(std::mem::take(&mut self.event_type))
        };
        Some(RawEvent {
            event,
            data: text(data),
            id: (!self.last_event_id.is_empty()).then(|| self.last_event_id.clone()),
            retry: self.retry_in_event.take(),
        })
    }
}

/// UTF-8, an invalid sequence read as U+FFFD; valid text is not copied.
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes)
        .unwrap_or_else(|invalid| String::from_utf8_lossy(invalid.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(chunks: &[&[u8]]) -> Vec<Parsed> {
        let mut parser = Parser::new(1 << 20);
        let mut out = Vec::new();
        for chunk in chunks {
            let mut input = *chunk;
            while let Some(parsed) = parser.next_event(&mut input) {
                out.push(parsed);
            }
        }
        out
    }

    fn event(event: &str, data: &str, id: Option<&str>) -> Parsed {
        Parsed::Event(RawEvent {
            event: event.to_owned(),
            data: data.to_owned(),
            id: id.map(str::to_owned),
            retry: None,
        })
    }

    #[test]
    fn the_specs_examples() {
        // The four examples of the specification's section 9.2.6.
        assert_eq!(
            parse(&[b"data: YHOO\ndata: +2\ndata: 10\n\n"]),
            [event("message", "YHOO\n+2\n10", None)]
        );
        assert_eq!(
            parse(&[b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n"]),
            [
                event("message", "first event", Some("1")),
                event("message", "second event", None),
                event("message", " third event", None),
            ]
        );
        assert_eq!(
            parse(&[b"data\n\ndata\ndata\n\ndata:"]),
            [event("message", "", None), event("message", "\n", None)]
        );
        assert_eq!(
            parse(&[b"data:test\n\ndata: test\n\n"]),
            [
                event("message", "test", None),
                event("message", "test", None)
            ]
        );
    }

    #[test]
    fn a_cr_at_a_chunk_end_and_a_lf_after_it_are_one_line_end() {
        assert_eq!(
            parse(&[b"data: a\r", b"\n\r", b"\ndata: b\r\r"]),
            [event("message", "a", None), event("message", "b", None)]
        );
    }

    #[test]
    fn a_bom_is_stripped_once_and_an_id_with_nul_is_ignored() {
        assert_eq!(
            parse(&[b"\xEF\xBB", b"\xBFdata: a\n\n\xEF\xBB\xBFdata: b\n\n"]),
            [event("message", "a", None)]
        );
        assert_eq!(
            parse(&[b"id: 7\ndata: a\n\nid: x\0y\ndata: b\n\n"]),
            [
                event("message", "a", Some("7")),
                event("message", "b", Some("7"))
            ]
        );
    }

    #[test]
    fn a_long_event_fails_the_parser() {
        let mut parser = Parser::new(8);
        let mut input: &[u8] = b"data: 12\n\ndata: 123456789\n\ndata: x\n\n";
        assert!(matches!(
            parser.next_event(&mut input),
            Some(Parsed::Event(_))
        ));
        assert_eq!(parser.next_event(&mut input), Some(Parsed::TooLong));
        assert_eq!(parser.next_event(&mut input), None);
        assert!(parser.failed());
    }
}
