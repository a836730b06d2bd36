//! Properties of what goes over the wire, checked with proptest against a real server on
//! 127.0.0.1 (one per property, all on one Tokio runtime): a path value arrives as exactly
//! that value in exactly one segment, a `<p..>` value as exactly its segments, a query value
//! as exactly itself under its key; `.`, `..`, empty segments and header values or
//! credentials with CR, LF or NUL are refused before any I/O. 256 cases per property
//! (`PROPTEST_CASES` changes it).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use askui_runtime::{Auth, CallOptions, Client, Error, ErrorKind, askui_endpoint};
use askui_tests::{RecordingServer, Reply, serve};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

trait Wire {
    #[askui_endpoint(get, "/ws/<workspace_id>/files/<name>.json")]
    async fn get_file(&self, workspace_id: &str, name: &str) -> Result<(), Error>;

    #[askui_endpoint(get, "/api/files/<file_path..>")]
    async fn get_path(&self, file_path: &str) -> Result<(), Error>;

    #[askui_endpoint(get, "/search")]
    async fn search(
        &self,
        #[query] q: &str,
        #[query("a b&c=d+é/?#%")] odd: &str,
        #[query] tag: &[String],
        #[query(flatten)] extra: &BTreeMap<String, String>,
    ) -> Result<(), Error>;

    #[askui_endpoint(get, "/headers")]
    async fn with_header(
        &self,
        #[header("X-Trace")] trace: &str,
        #[options] options: Option<CallOptions>,
    ) -> Result<(), Error>;
}

impl Wire for Client {}

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a Tokio runtime")
});

/// A server answering `200 {}` to everything, and a client of it.
fn server() -> (RecordingServer, Client) {
    RUNTIME.block_on(serve(Reply::json(200, serde_json::json!({})), None))
}

/// Runs `test` on proptest's cases (256 unless `PROPTEST_CASES` says otherwise).
fn check<S: Strategy>(strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    let config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if let Err(failure) = TestRunner::new(config).run(&strategy, test) {
        panic!("{failure}");
    }
}

/// Strings made to break a URL: separators, escapes, dots, controls, unicode.
fn hostile(max_pieces: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "[a-zA-Z0-9_~-]{1,6}",
        3 => prop::sample::select(vec![
            "/", "?", "#", "%", "%2F", "%2f", "%2e", "%25", "%%", "%zz", ".", "..", " ", "+", "&",
            "=", ";", ":", "@", "\\", "\"", "'", "<", ">", "{", "}", "[", "]", "|", "^", "`",
            "\u{0}", "\r", "\n", "\t", "\u{7f}", "é", "😀", "\u{202e}", "\u{feff}", "\u{2028}",
        ])
        .prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..=max_pieces).prop_map(|pieces| pieces.concat())
}

/// A value that is one valid segment: anything but empty, `.` and `..`.
fn segment_value() -> impl Strategy<Value = String> {
    hostile(8).prop_filter("not a dot segment", |value| {
        !matches!(value.as_str(), "" | "." | "..")
    })
}

fn decode(segment: &str) -> String {
    percent_decode_str(segment)
        .decode_utf8()
        .expect("the client sends UTF-8")
        .into_owned()
}

/// The target path, which must be sent with no query.
fn path_of(server: &RecordingServer) -> Result<String, TestCaseError> {
    let requests = server.requests();
    let target = requests
        .last()
        .map(|r| r.target.clone())
        .unwrap_or_default();
    prop_assert!(!target.contains(['?', '#']), "{target}");
    // Only unreserved characters, `/` and escapes: nothing a server or proxy reinterprets.
    prop_assert!(
        target
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~/%".contains(c)),
        "{target}"
    );
    Ok(target)
}

#[test]
fn a_path_value_is_exactly_one_segment_and_decodes_to_itself() {
    let (server, client) = server();
    check((segment_value(), segment_value()), |(workspace, name)| {
        RUNTIME
            .block_on(client.get_file(&workspace, &name))
            .map_err(|error| TestCaseError::fail(format!("{error:?}")))?;
        let target = path_of(&server)?;
        let segments: Vec<&str> = target.split('/').collect();
        prop_assert_eq!(segments.len(), 5, "{}", target);
        prop_assert_eq!(&segments[..2], &["", "ws"]);
        prop_assert_eq!(segments[3], "files");
        prop_assert_eq!(decode(segments[2]), workspace);
        let file = segments[4].strip_suffix(".json");
        prop_assert!(file.is_some(), "{}", target);
        prop_assert_eq!(decode(file.unwrap_or_default()), name);
        Ok(())
    });
}

/// Found by the property above: a one-byte value that needs escaping (`+`, `/`, `?`, `#`, a
/// space) went out as it was, `/` adding a segment and `?` starting a query, because the
/// encoder hands back a single escape such as `%2B` borrowed, which read as "unchanged".
#[test]
fn one_byte_values_are_escaped_too() {
    let (server, client) = server();
    let target = || server.requests().last().map(|r| r.target.clone());
    for byte in [b'+', b' ', b'/', b'?', b'#', b'%', b'&', b'\\', b'\0'] {
        let value = char::from(byte).to_string();
        let escaped = format!("%{byte:02X}");
        RUNTIME.block_on(client.get_file(&value, &value)).unwrap();
        assert_eq!(
            target().unwrap(),
            format!("/ws/{escaped}/files/{escaped}.json")
        );
        if byte != b'/' {
            RUNTIME.block_on(client.get_path(&value)).unwrap();
            assert_eq!(target().unwrap(), format!("/api/files/{escaped}"));
            RUNTIME
                .block_on(client.get_path(&format!("a/{value}")))
                .unwrap();
            assert_eq!(target().unwrap(), format!("/api/files/a/{escaped}"));
        }
    }
}

/// The values a path parameter refuses.
fn dot_or_empty() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["", ".", ".."]).prop_map(str::to_owned)
}

#[test]
fn empty_and_dot_path_values_are_refused_before_any_io() {
    let (server, client) = server();
    let case = prop_oneof![(dot_or_empty(), hostile(6)), (hostile(6), dot_or_empty()),];
    check(case, |(workspace, name)| {
        let before = server.requests().len();
        let result = RUNTIME.block_on(client.get_file(&workspace, &name));
        let error = result.err().ok_or_else(|| TestCaseError::fail("sent"))?;
        prop_assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{:?}", error);
        prop_assert_eq!(server.requests().len(), before);
        Ok(())
    });
}

/// A segment of a `<p..>` value: anything but `/`, empty, `.` and `..`.
fn rest_segment() -> impl Strategy<Value = String> {
    segment_value().prop_map(|value| value.replace('/', "_"))
}

#[test]
fn a_rest_value_arrives_as_exactly_its_segments() {
    let (server, client) = server();
    check(prop::collection::vec(rest_segment(), 1..6), |parts| {
        let value = parts.join("/");
        RUNTIME
            .block_on(client.get_path(&value))
            .map_err(|error| TestCaseError::fail(format!("{error:?}")))?;
        let target = path_of(&server)?;
        let rest = target.strip_prefix("/api/files/");
        prop_assert!(rest.is_some(), "{}", target);
        let received: Vec<String> = rest.unwrap_or_default().split('/').map(decode).collect();
        prop_assert_eq!(received, parts);
        Ok(())
    });
}

#[test]
fn a_rest_value_with_an_empty_or_dot_segment_is_refused_before_any_io() {
    let (server, client) = server();
    let case = (
        prop::collection::vec(rest_segment(), 0..4),
        any::<prop::sample::Index>(),
        dot_or_empty(),
    );
    check(case, |(mut parts, at, bad)| {
        // An empty segment also stands for a leading, trailing or doubled `/`.
        parts.insert(at.index(parts.len() + 1), bad);
        let value = parts.join("/");
        let before = server.requests().len();
        let result = RUNTIME.block_on(client.get_path(&value));
        let error = result.err().ok_or_else(|| TestCaseError::fail("sent"))?;
        prop_assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{:?}", error);
        prop_assert_eq!(server.requests().len(), before);
        Ok(())
    });
}

#[test]
fn query_values_round_trip_through_form_decoding() {
    let (server, client) = server();
    let case = (
        hostile(8),
        hostile(8),
        prop::collection::vec(hostile(4), 0..4),
        prop::collection::btree_map(hostile(4), hostile(4), 0..4),
    );
    check(case, |(q, odd, tags, extra)| {
        RUNTIME
            .block_on(client.search(&q, &odd, &tags, &extra))
            .map_err(|error| TestCaseError::fail(format!("{error:?}")))?;
        let requests = server.requests();
        let target = requests
            .last()
            .map(|r| r.target.clone())
            .unwrap_or_default();
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        prop_assert_eq!(path, "/search");
        let received: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
        let mut sent = vec![
            ("q".to_owned(), q.clone()),
            ("a b&c=d+é/?#%".to_owned(), odd.clone()),
        ];
        sent.extend(tags.iter().map(|tag| ("tag".to_owned(), tag.clone())));
        sent.extend(extra.clone());
        prop_assert_eq!(received, sent);
        Ok(())
    });
}

/// A string with at least one CR, LF or NUL somewhere in it.
fn with_line_break() -> impl Strategy<Value = String> {
    (
        "[ -~]{0,12}",
        prop::sample::select(vec!["\r", "\n", "\r\n", "\0", "\r\nX-Injected: 1\r\n"]),
        "[ -~]{0,12}",
    )
        .prop_map(|(before, bad, after)| format!("{before}{bad}{after}"))
}

/// A header value a server must receive byte for byte: visible characters with spaces and
/// tabs inside, non-ASCII included (sent as UTF-8).
fn header_value() -> impl Strategy<Value = String> {
    "[!-~é😀]([ \t!-~é😀]{0,20}[!-~é😀])?"
}

#[test]
fn header_values_arrive_exactly_or_with_a_line_break_not_at_all() {
    let (server, client) = server();
    let case = prop_oneof![
        header_value().prop_map(|value| (value, true)),
        with_line_break().prop_map(|value| (value, false)),
    ];
    check(case, |(value, valid)| {
        let before = server.requests().len();
        let result = RUNTIME.block_on(client.with_header(&value, None));
        if valid {
            result.map_err(|error| TestCaseError::fail(format!("{error:?}")))?;
            let requests = server.requests();
            let received = requests.last().and_then(|r| r.headers.get("x-trace"));
            prop_assert_eq!(received.map(|v| v.as_bytes()), Some(value.as_bytes()));
        } else {
            let error = result.err().ok_or_else(|| TestCaseError::fail("sent"))?;
            prop_assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{:?}", error);
            prop_assert_eq!(server.requests().len(), before);
        }
        Ok(())
    });
}

#[test]
fn option_headers_with_a_line_break_are_never_sent() {
    let (server, client) = server();
    let name = prop::sample::select(vec!["X-Request-Id", "Authorization", "Accept"]);
    let case = prop_oneof![
        (name, with_line_break()).prop_map(|(name, value)| (name.to_owned(), value)),
        (with_line_break(), header_value()),
    ];
    check(case, |(name, value)| {
        let before = server.requests().len();
        let options = CallOptions::new().header(&name, &value);
        let result = RUNTIME.block_on(client.with_header("trace", Some(options)));
        let error = result.err().ok_or_else(|| TestCaseError::fail("sent"))?;
        prop_assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{:?}", error);
        prop_assert_eq!(server.requests().len(), before);
        Ok(())
    });
}

#[test]
fn credentials_with_a_line_break_are_refused_by_the_builder() {
    let (server, _) = server();
    let scheme = prop::sample::select(vec!["bearer", "basic", "header"]);
    check((scheme, with_line_break()), |(scheme, token)| {
        let auth = match scheme {
            "bearer" => Auth::bearer(token),
            "basic" => askui_workspaces::access_token(token),
            _ => Auth::header(token),
        };
        let built = Client::builder()
            .base_url(server.base_url())
            .auth(auth)
            .build();
        match built {
            Err(error) => prop_assert_eq!(error.kind(), ErrorKind::Builder, "{:?}", error),
            Ok(client) => {
                let result = RUNTIME.block_on(client.with_header("trace", None));
                prop_assert!(false, "built a client with {scheme} {result:?}");
            }
        }
        prop_assert!(server.requests().is_empty());
        Ok(())
    });
}
