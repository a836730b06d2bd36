//! Fuzzing on stable: every answer a server could send (status, headers, body in chunks) read
//! as each kind of `Ok` type, and as an error, through the code a call uses
//! (`__private::read_answer`). No panic; a success reads exactly as `serde_json` reads the
//! body; an error is one clean line that names the call.
//!
//! `cargo test` runs a short pass (2,000 answers); `ASKUI_FUZZ_CASES` raises it
//! (`scripts/fuzz` runs 1,000,000 in release mode) and `ASKUI_FUZZ_SEED` repeats a run.

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use askui_runtime::{ByteStream, Bytes, Error, ErrorBody, ErrorKind, Response};
use askui_runtime::{FromResponse, StatusCode};
use http::{HeaderMap, HeaderName, HeaderValue};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde::Deserialize;
use serde_json::Value;

#[path = "support/fuzz.rs"]
mod fuzz;
use fuzz::drive;

// ---- The types an answer is read as -------------------------------------------------------

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Dto {
    id: u64,
    name: String,
    #[serde(default)]
    tags: Vec<String>,
    status: Status,
    score: Option<f64>,
    nested: Option<Nested>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum Status {
    Active,
    Archived,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Deserialize, PartialEq)]
#[allow(dead_code)]
struct Nested {
    ok: bool,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// A unit struct: read like `()`, whatever the body.
#[derive(Debug, Deserialize, PartialEq)]
struct Done;

// ---- Answers ------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Answer {
    status: StatusCode,
    headers: Vec<(&'static str, Vec<u8>)>,
    body: Vec<u8>,
    /// Where the body is cut into chunks (indices into it, any order, repeats allowed).
    cuts: Vec<prop::sample::Index>,
    max_response_bytes: usize,
}

fn status() -> impl Strategy<Value = StatusCode> {
    prop_oneof![
        3 => prop::sample::select(vec![200u16, 201, 202, 204, 206, 299]),
        1 => Just(422),
        3 => prop::sample::select(vec![
            100, 101, 103, 300, 301, 304, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504,
        ]),
        1 => 100u16..1000,
    ]
    .prop_map(|code| StatusCode::from_u16(code).expect("100..=999 is a status"))
}

/// Any characters, control characters, bidi overrides and unassigned code points included.
fn any_string(max_len: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::collection::vec(any::<char>(), 0..=max_len).prop_map(String::from_iter),
        2 => prop::collection::vec(
            prop::sample::select(vec![
                "a", "Z", "0", " ", "\n", "\r\n", "\t", "\u{0}", "\u{1b}[31m", "\u{7f}",
                "\u{85}", "\u{202e}", "\u{200b}", "\u{feff}", "\u{2028}", "é", "😀", "\\",
                "\"", "<", "&amp;", "%00", "…",
            ]),
            0..=max_len,
        )
        .prop_map(|parts| parts.concat()),
    ]
}

const KEYS: [&str; 16] = [
    "id", "name", "tags", "status", "score", "nested", "ok", "type", "detail", "loc", "msg",
    "input", "ctx", "url", "items", "",
];

/// JSON values shaped like the DTO and like FastAPI's error bodies, with hostile leaves.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop::sample::select(vec!["ACTIVE", "ARCHIVED", "DELETED", "active", ""])
            .prop_map(Value::from),
        any_string(12).prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        4 => prop::sample::select(KEYS.to_vec()).prop_map(str::to_owned),
                        1 => any_string(6),
                    ],
                    inner,
                ),
                0..8,
            )
            .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// A DTO, most of it valid.
fn dto() -> impl Strategy<Value = Value> {
    (
        prop_oneof![4 => any::<u64>().prop_map(Value::from), 1 => json()],
        prop_oneof![4 => any_string(12).prop_map(Value::from), 1 => json()],
        prop::option::of(prop::collection::vec(any_string(6), 0..4)),
        prop::sample::select(vec!["ACTIVE", "ARCHIVED", "GONE", "ACTIVE", "active"]),
        prop::option::of(any::<f64>()),
        prop::option::of((any::<bool>(), prop::option::of(any_string(6)))),
    )
        .prop_map(|(id, name, tags, status, score, nested)| {
            let mut dto = serde_json::json!({"id": id, "name": name, "status": status});
            if let Some(tags) = tags {
                dto["tags"] = tags.into();
            }
            if let Some(score) = score {
                dto["score"] = score.into();
            }
            if let Some((ok, kind)) = nested {
                dto["nested"] = serde_json::json!({"ok": ok, "type": kind});
            }
            dto
        })
}

/// FastAPI's error bodies: `{"detail": "…"}`, `{"detail": [{"msg": …}]}` and the 422 shape,
/// with hostile strings and long `loc` paths.
fn fastapi_error() -> impl Strategy<Value = Value> {
    let loc_item = prop_oneof![
        any_string(10).prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
    ];
    let entry = (
        prop_oneof![
            20 => prop::collection::vec(loc_item, 0..6),
            1 => (any_string(3), 500usize..5_000).prop_map(|(name, n)| {
                (0..n).map(|i| if i % 2 == 0 { Value::from(i) } else { Value::from(name.clone()) }).collect()
            }),
        ],
        any_string(40),
        any_string(10),
        prop::option::of(json()),
    )
        .prop_map(|(loc, msg, kind, input)| {
            let mut entry = serde_json::json!({"loc": loc, "msg": msg, "type": kind});
            if let Some(input) = input {
                entry["input"] = input;
            }
            entry
        });
    prop_oneof![
        any_string(80).prop_map(|detail| serde_json::json!({ "detail": detail })),
        prop::collection::vec(any_string(30), 0..5).prop_map(|messages| {
            let list: Vec<Value> = messages
                .into_iter()
                .map(|msg| serde_json::json!({ "msg": msg }))
                .collect();
            serde_json::json!({ "detail": list })
        }),
        prop::collection::vec(entry, 0..14)
            .prop_map(|detail| serde_json::json!({ "detail": detail })),
    ]
}

/// A change to serialized JSON: cut, insert or flip a byte, or wrap it.
#[derive(Clone, Debug)]
enum Mutation {
    None,
    Truncate(prop::sample::Index),
    Insert(prop::sample::Index, u8),
    Flip(prop::sample::Index, u8),
    Surround(&'static str, &'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        8 => Just(Mutation::None),
        1 => any::<prop::sample::Index>().prop_map(Mutation::Truncate),
        1 => (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(at, b)| Mutation::Insert(at, b)),
        1 => (any::<prop::sample::Index>(), 1u8..=255).prop_map(|(at, b)| Mutation::Flip(at, b)),
        1 => prop::sample::select(vec![
            ("\u{feff}", ""),
            (" \r\n\t", "\n\n"),
            ("", "garbage"),
            ("", "{}"),
            ("[", "]"),
            ("{\"detail\":", "}"),
            ("\u{0}", ""),
        ])
        .prop_map(|(before, after)| Mutation::Surround(before, after)),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutation: Mutation) -> Vec<u8> {
    match mutation {
        Mutation::None => {}
        Mutation::Truncate(at) => bytes.truncate(at.index(bytes.len() + 1)),
        Mutation::Insert(at, byte) => bytes.insert(at.index(bytes.len() + 1), byte),
        Mutation::Flip(at, mask) if !bytes.is_empty() => {
            let at = at.index(bytes.len());
            bytes[at] ^= mask;
        }
        Mutation::Flip(..) => {}
        Mutation::Surround(before, after) => {
            bytes.splice(0..0, before.bytes());
            bytes.extend_from_slice(after.as_bytes());
        }
    }
    bytes
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    let structured = prop_oneof![3 => dto(), 3 => fastapi_error(), 2 => json()]
        .prop_map(|value| serde_json::to_vec(&value).expect("JSON values serialize"));
    prop_oneof![
        12 => (structured, mutation()).prop_map(|(bytes, mutation)| mutate(bytes, mutation)),
        2 => prop::collection::vec(any::<u8>(), 0..64),
        2 => prop::sample::select(vec![
            "", " ", "\r\n", "null", "{}", "[]", "\"\"", "0", "-0", "1e400", "-1e400",
            "18446744073709551616", "{\"id\":1e2}", "<html><body>Bad Gateway</body></html>",
            "Internal Server Error\n", "{\"detail\":null}", "{\"detail\":[]}",
            "{\"detail\":[{\"msg\":\"\\u202eevil\\u0000\"}]}", "\u{1b}[2J\u{1b}[H", "\u{feff}{}",
            "\u{0}\u{0}", "nul", "tru", "[1,2", "{\"a\":}", "\"\\ud800\"",
        ])
        .prop_map(|text| text.as_bytes().to_vec()),
        1 => (prop::sample::select(vec!["[", "{\"a\":", "[{\"detail\":"]), 1usize..200_000)
            .prop_map(|(open, depth)| open.repeat(depth).into_bytes()),
        1 => (prop::sample::select(vec!["a", "é ", "\n", "{\"detail\":\"x\"}", "\u{202e}"]), 1usize..40_000)
            .prop_map(|(unit, n)| unit.repeat(n).into_bytes()),
    ]
}

fn headers() -> impl Strategy<Value = Vec<(&'static str, Vec<u8>)>> {
    let value = prop_oneof![
        prop::sample::select(vec![
            "0",
            "1",
            "120",
            "18446744073709551615",
            "18446744073709551616",
            "-1",
            " 5 ",
            "1.5",
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "Thu, 01 Jan 1970 00:00:00 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "soon",
            "",
            "application/json",
            "text/html",
            "abc-123",
            "0",
            "99999999999",
        ])
        .prop_map(|text| text.as_bytes().to_vec()),
        // Visible ASCII, spaces, tabs and obs-text: what a header value may carry.
        prop::collection::vec(
            prop_oneof![0x20u8..0x7f, Just(b'\t'), 0x80u8..=0xff],
            0..100
        ),
    ];
    let name = prop::sample::select(vec![
        "retry-after",
        "x-request-id",
        "x-amzn-requestid",
        "x-amz-request-id",
        "x-correlation-id",
        "cf-ray",
        "content-type",
        "content-length",
        "location",
    ]);
    prop::collection::vec((name, value), 0..4)
}

fn answer() -> impl Strategy<Value = Answer> {
    (
        status(),
        headers(),
        body(),
        prop::collection::vec(any::<prop::sample::Index>(), 0..4),
        prop_oneof![
            2 => Just(32usize << 20),
            1 => prop::sample::select(vec![0usize, 1, 2, 16, 100, 1024]),
        ],
    )
        .prop_map(|(status, headers, body, cuts, max_response_bytes)| Answer {
            status,
            headers,
            body,
            cuts,
            max_response_bytes,
        })
}

impl Answer {
    fn header_map(&self) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in &self.headers {
            if let Ok(value) = HeaderValue::from_bytes(value) {
                map.append(HeaderName::from_static(name), value);
            }
        }
        map
    }

    /// The body in chunks, empty ones included.
    fn chunks(&self) -> Vec<bytes::Bytes> {
        let mut cuts: Vec<usize> = self
            .cuts
            .iter()
            .map(|cut| cut.index(self.body.len() + 1))
            .collect();
        cuts.sort_unstable();
        let mut chunks = Vec::new();
        let mut start = 0;
        for cut in cuts {
            chunks.push(bytes::Bytes::copy_from_slice(&self.body[start..cut]));
            start = cut;
        }
        chunks.push(bytes::Bytes::copy_from_slice(&self.body[start..]));
        chunks
    }

    async fn read<T: FromResponse>(&self) -> Result<T, Error> {
        askui_runtime::__private::read_answer(
            self.status,
            self.header_map(),
            self.chunks(),
            self.max_response_bytes,
        )
        .await
    }
}

// ---- Checks -------------------------------------------------------------------------------

/// What the answers exercised, printed after the run: a generator that never reaches a
/// path shows here.
struct Seen {
    status_errors: AtomicUsize,
    validation: AtomicUsize,
    detail: AtomicUsize,
    raw: AtomicUsize,
    dto_read: AtomicUsize,
    dto_refused: AtomicUsize,
    too_large: AtomicUsize,
    longest_error: AtomicUsize,
}

static SEEN: Seen = Seen {
    status_errors: AtomicUsize::new(0),
    validation: AtomicUsize::new(0),
    detail: AtomicUsize::new(0),
    raw: AtomicUsize::new(0),
    dto_read: AtomicUsize::new(0),
    dto_refused: AtomicUsize::new(0),
    too_large: AtomicUsize::new(0),
    longest_error: AtomicUsize::new(0),
};

/// How `T: DeserializeOwned` must read a success body: as `serde_json` does, an empty body
/// as `null`, anything over the limit refused.
fn expected<T: serde::de::DeserializeOwned>(answer: &Answer) -> Result<T, ErrorKind> {
    if answer.body.len() > answer.max_response_bytes {
        return Err(ErrorKind::ResponseTooLarge);
    }
    let body = if answer.body.iter().all(u8::is_ascii_whitespace) {
        &b"null"[..]
    } else {
        &answer.body
    };
    serde_json::from_slice(body).map_err(|_| ErrorKind::Decode)
}

fn same<T: PartialEq + std::fmt::Debug>(
    what: &str,
    got: Result<T, Error>,
    want: Result<T, ErrorKind>,
) -> Result<(), TestCaseError> {
    match (got, want) {
        (Ok(got), Ok(want)) => prop_assert_eq!(got, want, "{}", what),
        (Err(got), Err(want)) => prop_assert_eq!(got.kind(), want, "{}: {:?}", what, got),
        (got, want) => prop_assert!(false, "{what}: read {got:?}, expected {want:?}"),
    }
    Ok(())
}

/// Characters `Display` must never show: what could break a log line or hide text.
fn unsafe_to_show(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// Every error of an answer: one clean line naming the call, whatever the server sent.
fn check_error(error: &Error) -> Result<(), TestCaseError> {
    let shown = error.to_string();
    SEEN.longest_error.fetch_max(shown.len(), Relaxed);
    // Bounded by what is read of an error body (64 KiB), whatever its shape.
    prop_assert!(shown.len() <= 65 * 1024, "{} bytes", shown.len());
    prop_assert!(shown.starts_with("GET /fuzz/{id}: "), "{shown:?}");
    prop_assert!(!shown.chars().any(unsafe_to_show), "{shown:?}");
    let _ = format!("{error:?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let _ = cause.to_string();
        source = cause.source();
    }
    if let Some(detail) = error.detail() {
        prop_assert!(!detail.chars().any(unsafe_to_show), "{detail:?}");
    }
    if let Some(id) = error.request_id() {
        prop_assert!(!id.is_empty() && !id.chars().any(unsafe_to_show), "{id:?}");
    }
    Ok(())
}

/// A non-2xx answer is the same `Status` error whatever `T` is.
fn check_status_error(answer: &Answer, error: &Error) -> Result<(), TestCaseError> {
    check_error(error)?;
    prop_assert_eq!(error.kind(), ErrorKind::Status);
    prop_assert_eq!(error.status(), Some(answer.status));
    let body = error.body();
    prop_assert!(body.is_some());
    let shown_body = body.map(ToString::to_string).unwrap_or_default();
    let shown = error.to_string();
    prop_assert!(
        shown.contains(&format!("server answered {}", answer.status)),
        "{shown:?}"
    );
    match body {
        Some(ErrorBody::Empty) => {
            prop_assert!(answer.body.iter().all(u8::is_ascii_whitespace))
        }
        Some(ErrorBody::Raw(snippet)) => {
            // 512 bytes and an ellipsis.
            prop_assert!(snippet.len() <= 512 + '…'.len_utf8(), "{}", snippet.len());
        }
        Some(ErrorBody::Detail(detail)) => {
            prop_assert!(detail.len() <= 512 + '…'.len_utf8(), "{}", detail.len())
        }
        Some(ErrorBody::Validation(_)) => {
            prop_assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY)
        }
        _ => {}
    }
    prop_assert!(error.validation().is_none() || answer.status == StatusCode::UNPROCESSABLE_ENTITY);
    let _ = shown_body;
    // `Retry-After: <seconds>` is kept as it came.
    let retry_after = answer
        .header_map()
        .get("retry-after")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if let Some(seconds) = retry_after {
        prop_assert_eq!(
            error.retry_after(),
            Some(std::time::Duration::from_secs(seconds))
        );
    }
    Ok(())
}

async fn check(answer: Answer) -> Result<(), TestCaseError> {
    let too_large = answer.body.len() > answer.max_response_bytes;
    if !answer.status.is_success() {
        let first = answer.read::<Value>().await;
        let Err(first) = first else {
            return Err(TestCaseError::fail("a non-2xx answer was read as a value"));
        };
        check_status_error(&answer, &first)?;
        SEEN.status_errors.fetch_add(1, Relaxed);
        match first.body() {
            Some(ErrorBody::Validation(_)) => &SEEN.validation,
            Some(ErrorBody::Detail(_)) => &SEEN.detail,
            _ => &SEEN.raw,
        }
        .fetch_add(1, Relaxed);
        for error in [
            answer.read::<()>().await.err(),
            answer.read::<Dto>().await.err(),
            answer.read::<Option<Dto>>().await.err(),
            answer.read::<Bytes>().await.err(),
            answer.read::<ByteStream>().await.err(),
            answer.read::<Response<Done>>().await.err(),
        ] {
            let error = error.ok_or_else(|| TestCaseError::fail("a non-2xx answer was read"))?;
            check_status_error(&answer, &error)?;
            prop_assert_eq!(error.to_string(), first.to_string());
        }
        return Ok(());
    }
    let results = (
        answer.read::<Value>().await,
        answer.read::<Dto>().await,
        answer.read::<Option<Dto>>().await,
        answer.read::<()>().await,
        answer.read::<Done>().await,
        answer.read::<Bytes>().await,
        answer.read::<Response<Value>>().await,
    );
    for error in [
        results.0.as_ref().err(),
        results.1.as_ref().err(),
        results.2.as_ref().err(),
        results.3.as_ref().err(),
        results.4.as_ref().err(),
        results.5.as_ref().err(),
        results.6.as_ref().err(),
    ]
    .into_iter()
    .flatten()
    {
        check_error(error)?;
    }
    match &results.1 {
        Ok(_) => SEEN.dto_read.fetch_add(1, Relaxed),
        Err(error) if error.kind() == ErrorKind::ResponseTooLarge => {
            SEEN.too_large.fetch_add(1, Relaxed)
        }
        Err(_) => SEEN.dto_refused.fetch_add(1, Relaxed),
    };
    same("Value", results.0, expected::<Value>(&answer))?;
    same("Dto", results.1, expected::<Dto>(&answer))?;
    same("Option<Dto>", results.2, expected::<Option<Dto>>(&answer))?;
    // A unit reads nothing; the body is still read, bounded.
    let unit = if too_large {
        Err(ErrorKind::ResponseTooLarge)
    } else {
        Ok(())
    };
    same("()", results.3, unit)?;
    same("Done", results.4, unit.map(|()| Done))?;
    let bytes = results.5.map(|bytes| bytes.into_inner().to_vec());
    let want = if too_large {
        Err(ErrorKind::ResponseTooLarge)
    } else {
        Ok(answer.body.clone())
    };
    same("Bytes", bytes, want)?;
    match results.6 {
        Ok(response) => {
            prop_assert_eq!(response.status, answer.status);
            prop_assert_eq!(&response.headers, &answer.header_map());
            same(
                "Response<Value>",
                Ok(response.value),
                expected::<Value>(&answer),
            )?;
        }
        Err(error) => same::<Value>("Response<Value>", Err(error), expected(&answer))?,
    }
    // A stream is not bounded: every byte comes through, in order.
    let mut stream = answer
        .read::<ByteStream>()
        .await
        .map_err(|error| TestCaseError::fail(format!("ByteStream: {error:?}")))?;
    let mut streamed = Vec::new();
    while let Some(chunk) = stream
        .chunk()
        .await
        .map_err(|error| TestCaseError::fail(format!("ByteStream chunk: {error:?}")))?
    {
        streamed.extend_from_slice(&chunk);
    }
    prop_assert_eq!(streamed, answer.body);
    Ok(())
}

#[test]
fn fuzz_response_decoding() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    drive("response decoding", answer(), |answer| {
        runtime.block_on(check(answer))
    });
    let seen = |count: &AtomicUsize| count.load(Relaxed);
    println!(
        "  status errors {} (validation {}, detail {}, other {}); 2xx: DTO read {}, refused {}, \
         over the limit {}; longest error line {} bytes",
        seen(&SEEN.status_errors),
        seen(&SEEN.validation),
        seen(&SEEN.detail),
        seen(&SEEN.raw),
        seen(&SEEN.dto_read),
        seen(&SEEN.dto_refused),
        seen(&SEEN.too_large),
        seen(&SEEN.longest_error),
    );
}
