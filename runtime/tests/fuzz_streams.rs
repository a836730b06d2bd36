//! Fuzzing on stable of the typed streams' parsers (`__private::event_stream`,
//! `__private::json_lines`, the code `Sse` and `JsonLines` read with): any bytes, cut into
//! any chunks. No panic; the events are those of a plain whole-input reading of the WHATWG
//! rules written here, and the values those of `serde_json` on each line; a bound breaks
//! the stream with one error, last.
//!
//! `cargo test` runs a short pass (2,000 inputs per driver); `ASKUI_FUZZ_CASES` raises it
//! (`scripts/fuzz` runs 1,000,000 in release mode) and `ASKUI_FUZZ_SEED` repeats a run.

use askui_runtime::{ErrorKind, Event};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::Value;

#[path = "support/fuzz.rs"]
mod fuzz;
use fuzz::drive;

/// Bytes made mostly of the pieces the parsers look at, and any byte.
fn body(pieces: Vec<&'static str>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(pieces).prop_map(|piece| piece.as_bytes().to_vec()),
                1 => prop::collection::vec(any::<u8>(), 0..4),
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat()),
        1 => prop::collection::vec(any::<u8>(), 0..200),
    ]
}

fn chunks(bytes: &[u8], cuts: &[prop::sample::Index]) -> Vec<Vec<u8>> {
    let mut at: Vec<usize> = cuts.iter().map(|cut| cut.index(bytes.len() + 1)).collect();
    at.sort_unstable();
    let mut out = Vec::new();
    let mut start = 0;
    for end in at {
        out.push(bytes[start..end].to_vec());
        start = end;
    }
    out.push(bytes[start..].to_vec());
    out
}

// ---- Server-sent events -------------------------------------------------------------------

/// The WHATWG rules, read off the specification over the whole input at once: decode,
/// strip one BOM, split at CRLF, CR or LF, and go line by line.
fn reference_events(bytes: &[u8]) -> Vec<(String, Option<String>, String)> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut lines = Vec::new();
    let mut rest = text;
    // Only finished lines: what follows the last line end is discarded.
    while let Some(end) = rest.find(['\r', '\n']) {
        lines.push(&rest[..end]);
        let skip = if rest[end..].starts_with("\r\n") {
            2
        } else {
            1
        };
        rest = &rest[end + skip..];
    }
    let (mut data, mut kind, mut id_buffer, mut last_id) =
        (String::new(), String::new(), String::new(), String::new());
    let mut events = Vec::new();
    for line in lines {
        if line.is_empty() {
            last_id.clone_from(&id_buffer);
            if data.is_empty() {
                kind.clear();
                continue;
            }
            data.pop();
            let event = if kind.is_empty() {
                "message".to_owned()
            } else {
                std::mem::take(&mut kind)
            };
            let id = (!last_id.is_empty()).then(|| last_id.clone());
            events.push((event, id, std::mem::take(&mut data)));
            continue;
        }
        if line.starts_with(':') {
            continue;
        }
        let (name, value) = match line.split_once(':') {
            Some((name, value)) => (name, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match name {
            "data" => {
                data.push_str(value);
                data.push('\n');
            }
            "event" => kind = value.to_owned(),
            "id" if !value.contains('\0') => id_buffer = value.to_owned(),
            _ => {}
        }
    }
    events
}

fn check_events(
    (bytes, cuts, max): (Vec<u8>, Vec<prop::sample::Index>, usize),
) -> Result<(), TestCaseError> {
    let chunks = chunks(&bytes, &cuts);
    let slices: Vec<&[u8]> = chunks.iter().map(Vec::as_slice).collect();
    let got = askui_runtime::__private::event_stream::<String>(&slices, max);
    // Any `T`: the JSON one must not panic either.
    let typed = askui_runtime::__private::event_stream::<Value>(&slices, max);
    prop_assert_eq!(got.len(), typed.len());
    let want = reference_events(&bytes);
    let (last, events) = match got.split_last() {
        Some((Err(error), events)) => (Some(error), events),
        _ => (None, &got[..]),
    };
    let events: Vec<(String, Option<String>, String)> = events
        .iter()
        .map(|event| match event {
            Ok(Event {
                event, id, data, ..
            }) => Ok((event.clone(), id.clone(), data.clone())),
            Err(error) => Err(TestCaseError::fail(format!(
                "an error before the end: {error}"
            ))),
        })
        .collect::<Result<_, _>>()?;
    match last {
        // The bound broke the stream: what came before is the reference's start.
        Some(error) => {
            prop_assert_eq!(error.kind(), ErrorKind::ResponseTooLarge);
            prop_assert!(events.len() <= want.len());
            prop_assert_eq!(&events[..], &want[..events.len()]);
        }
        None => prop_assert_eq!(events, want),
    }
    Ok(())
}

#[test]
fn fuzz_event_stream_parser() {
    let pieces = vec![
        "data",
        "data:",
        "data: ",
        "event:",
        "event: x",
        "id:",
        "id: 1",
        "id: 2",
        "retry:",
        "retry: 10",
        "retry: 1x",
        ":",
        ": comment",
        "\n",
        "\r",
        "\r\n",
        "\n\n",
        "\r\r",
        "\u{feff}",
        "\0",
        "x",
        "é",
        "{\"a\": 1}",
        "foo: bar",
        " ",
    ];
    let strategy = (
        body(pieces),
        prop::collection::vec(any::<prop::sample::Index>(), 0..8),
        prop_oneof![4 => Just(1usize << 20), 1 => 0usize..64],
    );
    drive("event stream parser", strategy, check_events);
}

// ---- JSON Lines ---------------------------------------------------------------------------

fn check_lines(
    (bytes, cuts, max): (Vec<u8>, Vec<prop::sample::Index>, usize),
) -> Result<(), TestCaseError> {
    let chunks = chunks(&bytes, &cuts);
    let slices: Vec<&[u8]> = chunks.iter().map(Vec::as_slice).collect();
    let got = askui_runtime::__private::json_lines::<Value>(&slices, max);
    // The reference: lines split at LF, a CR before it dropped, blank ones skipped.
    let mut want = Vec::new();
    let mut too_long = None;
    for (index, line) in bytes.split(|&byte| byte == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.len() > max {
            too_long = Some(index as u64 + 1);
            break;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        want.push((index as u64 + 1, serde_json::from_slice::<Value>(line).ok()));
    }
    let mut got = got.into_iter();
    for (number, value) in want {
        let item = got.next();
        match (item, value) {
            (Some(Ok(got)), Some(value)) => prop_assert_eq!(got, value),
            (Some(Err(error)), None) => {
                prop_assert_eq!(error.kind(), ErrorKind::Decode);
                prop_assert_eq!(error.line(), Some(number));
            }
            (item, value) => {
                prop_assert!(false, "line {number}: read {item:?}, expected {value:?}")
            }
        }
    }
    if let Some(number) = too_long {
        let error = got.next().and_then(Result::err);
        prop_assert_eq!(
            error.as_ref().map(|error| error.kind()),
            Some(ErrorKind::ResponseTooLarge)
        );
        prop_assert_eq!(error.and_then(|error| error.line()), Some(number));
    }
    prop_assert!(got.next().is_none());
    Ok(())
}

#[test]
fn fuzz_json_lines_splitter() {
    let pieces = vec![
        "\n",
        "\r\n",
        "\r",
        " ",
        "{}",
        "[]",
        "1",
        "\"a\"",
        "{\"id\": 1}",
        "{\"a\":",
        "}",
        "null",
        "tru",
        "\u{feff}",
        "é",
        "\t",
        "\u{c}",
    ];
    let strategy = (
        body(pieces),
        prop::collection::vec(any::<prop::sample::Index>(), 0..8),
        prop_oneof![4 => Just(1usize << 20), 1 => 0usize..32],
    );
    drive("JSON Lines splitter", strategy, check_lines);
}
