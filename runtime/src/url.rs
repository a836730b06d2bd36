//! The URL of a call: path values percent-encoded as they come (each exactly one segment,
//! or `/`-separated segments for a `<rest..>` parameter), the query's pairs, and at the end
//! the whole parsed onto the client's base URL.

use std::fmt::{self, Display, Write as _};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use url::Url;

use crate::config::Settings;
use crate::query::Pairs;
use crate::{Endpoint, Error, PathPiece};

/// Everything but RFC 3986's unreserved characters is encoded, so a value is always exactly
/// one segment: `/`, `?`, `#`, `%`, spaces and non-ASCII can never change the route.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Room for a call's path and query in its URL, after the base URL's authority: every
/// AskUI path with its ids and a typical query (about 100 to 150 bytes) fits. A longer URL
/// only grows its string once more.
const PATH_CAPACITY: usize = 192;

/// `base` with a placeholder path, to be cloned for each call's URL ([`CallUrl::finish`]): a
/// clone has the capacity of what it copies.
pub(crate) fn with_path_capacity(base: &Url) -> Url {
    let mut url = base.clone();
    url.set_path(&"/".repeat(PATH_CAPACITY));
    url
}

/// A call's URL as far as it is written.
#[derive(Default)]
pub(crate) struct CallUrl {
    /// The base URL, then the path's pieces in the template's order. A parameter given in
    /// its turn (the usual case) is written straight in, with no buffer of its own.
    url: String,
    /// How many of the endpoint's path pieces `url` holds.
    written: usize,
    /// Whether a path value has a `.` (so the path may have a `.` or `..` segment).
    dotted: bool,
    /// Encoded values of parameters given before their turn, by name.
    path_values: Vec<(&'static str, String)>,
    /// Query pairs, not yet URL-encoded.
    pub(crate) query: Pairs,
}

impl CallUrl {
    pub(crate) fn new(settings: &Settings) -> Self {
        let base_url = settings.base_url();
        // Room for the path and a query: one allocation for the whole URL, as `format!`.
        let mut url = String::with_capacity(base_url.len() + 128);
        url.push_str(base_url);
        CallUrl {
            url,
            ..CallUrl::default()
        }
    }

    /// Writes a path parameter's value: in its turn straight into the URL, else kept until
    /// [`finish`](Self::finish). A value that would change the route is refused.
    pub(crate) fn path_value(
        &mut self,
        endpoint: &Endpoint,
        name: &'static str,
        value: &dyn Display,
        rest: bool,
    ) -> Result<(), String> {
        let pieces = endpoint.path();
        while let Some(PathPiece::Literal(text)) = pieces.get(self.written) {
            self.url.push_str(text);
            self.written += 1;
        }
        match pieces.get(self.written) {
            Some(PathPiece::Param(next) | PathPiece::Rest(next)) if *next == name => {
                write_segments(&mut self.url, value, rest).map(|dotted| {
                    self.written += 1;
                    self.dotted |= dotted;
                })
            }
            // Not its turn yet: kept until the URL is finished.
            _ => {
                let mut encoded = String::new();
                write_segments(&mut encoded, value, rest).map(|dotted| {
                    self.dotted |= dotted;
                    self.path_values.push((name, encoded));
                })
            }
        }
    }

    /// The finished URL: the rest of the path written and checked, then parsed onto the base URL
    /// that `build()` parsed, with the query. Only the path is parsed (`Url::set_path`): the
    /// scheme, the host (through IDNA) and the port, most of what parsing a whole URL costs, are
    /// the base URL's, and a path cannot change them.
    pub(crate) fn finish(
        &mut self,
        settings: &Settings,
        endpoint: &Endpoint,
    ) -> Result<Url, Error> {
        let path_start = settings.base_url().len();
        self.finish_path(endpoint, path_start)?;
        // Every template starts with `/` (the macro checks); a hand-made path that does not would,
        // written after the base URL, read as part of its authority (`@host`, `:port`).
        if !matches!(self.url.as_bytes().get(path_start), None | Some(b'/')) {
            return Err(Error::builder(
                "the endpoint's path does not start with `/`: after the base URL it changes the \
                 origin, or may",
            ));
        }
        // The base URL's own path (a prefix, or none) is in `self.url` too.
        let authority_end = settings.base[..url::Position::BeforePath].len();
        let path = self
            .url
            .get(authority_end..)
            .ok_or_else(|| Error::builder("the request URL does not start with the base URL"))?;
        // A copy of the base URL with room for the path and query (a clone has the capacity of
        // what it copies).
        let mut url = settings.base_with_path_capacity.clone();
        url.set_path(path);
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&self.query);
        }
        Ok(url)
    }

    /// Writes the rest of the path to `url` (literal pieces, and the values given before
    /// their turn) and checks the whole path, which starts at `path_start`.
    fn finish_path(&mut self, endpoint: &Endpoint, path_start: usize) -> Result<(), Error> {
        let pieces = endpoint.path();
        for piece in pieces.get(self.written..).unwrap_or_default() {
            match *piece {
                PathPiece::Literal(text) => self.url.push_str(text),
                PathPiece::Param(name) | PathPiece::Rest(name) => {
                    let (_, value) = self
                        .path_values
                        .iter()
                        .find(|(param, _)| *param == name)
                        .ok_or_else(|| {
                            Error::invalid_argument(
                                name,
                                "no value was given for this path parameter",
                            )
                        })?;
                    self.url.push_str(value);
                }
            }
        }
        self.written = pieces.len();
        // Values are checked on their own and templates by the macro; this guards hand-made
        // endpoints, so that no `..` ever reaches the URL parser, which would collapse it. Only a
        // `.` in a value, or a literal with a byte the parser may read as part of a dot segment,
        // can make one; most paths have neither.
        if !(self.dotted || endpoint.has_dotted_literal()) {
            return Ok(());
        }
        let path = &self.url[path_start..];
        // Segments as the URL parser reads them: `\` is a separator too (in `http(s)`).
        let dot_segment = path
            .split(['/', '\\'])
            .skip(1)
            .find(|segment| is_dot_segment(segment));
        match dot_segment {
            Some(segment) => Err(Error::invalid_argument(
                "path",
                format!("the values make a `{segment}` segment, which would change the route"),
            )),
            None => Ok(()),
        }
    }
}

/// What a path value's byte asks for, as a table (the scan runs over every byte of every
/// path value): [`ESCAPED`] for all but RFC 3986's unreserved bytes (and `/` in a rest
/// parameter), [`DOT`] for `.`.
static SEGMENT_CLASSES: [u8; 256] = byte_classes(false);
static REST_CLASSES: [u8; 256] = byte_classes(true);
const ESCAPED: u8 = 1;
const DOT: u8 = 2;

const fn byte_classes(rest: bool) -> [u8; 256] {
    let mut table = [ESCAPED; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_' | b'~')
            || (rest && byte == b'/')
        {
            table[b] = 0;
        } else if byte == b'.' {
            table[b] = DOT;
        }
        b += 1;
    }
    table
}

/// Writes `value` to `out` as one path segment, percent-encoded (for a rest parameter, each
/// `/`-separated part on its own, the `/` kept), refusing values that would change the
/// route. On error `out` is left as it was. Tells whether the value has a `.`.
fn write_segments(out: &mut String, value: &dyn Display, rest: bool) -> Result<bool, String> {
    let start = out.len();
    let result = write_checked(out, start, value, rest);
    if result.is_err() {
        out.truncate(start);
    }
    result
}

fn write_checked(
    out: &mut String,
    start: usize,
    value: &dyn Display,
    rest: bool,
) -> Result<bool, String> {
    write!(out, "{value}").map_err(|fmt::Error| "its `Display` implementation failed")?;
    let rendered = &out[start..];
    if rest {
        rendered
            .split('/')
            .try_for_each(|segment| check_segment(segment, true))?;
    } else {
        check_segment(rendered, false)?;
    }
    // Most values (ids) need no escaping: they stay as written. (`.` is never escaped.)
    let classes = if rest {
        &REST_CLASSES
    } else {
        &SEGMENT_CLASSES
    };
    let seen = rendered
        .bytes()
        .fold(0, |seen, b| seen | classes[usize::from(b)]);
    let dotted = seen & DOT != 0;
    if seen & ESCAPED == 0 {
        return Ok(dotted);
    }
    let raw = out.split_off(start);
    if rest {
        for (i, segment) in raw.split('/').enumerate() {
            if i > 0 {
                out.push('/');
            }
            out.extend(percent_encoding::utf8_percent_encode(segment, PATH_SEGMENT));
        }
    } else {
        out.extend(percent_encoding::utf8_percent_encode(&raw, PATH_SEGMENT));
    }
    Ok(dotted)
}

/// Whether the URL parser reads `segment` as `.` or `..`: it drops tabs and line breaks
/// and reads `%2e`, in either case, as a dot.
fn is_dot_segment(segment: &str) -> bool {
    let cleaned: String = segment
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let dots = cleaned.to_ascii_lowercase().replace("%2e", ".");
    matches!(dots.as_str(), "." | "..")
}

/// Refuses a segment that would change the route.
fn check_segment(segment: &str, part_of_rest: bool) -> Result<(), String> {
    let problem = match segment {
        "" if part_of_rest => {
            "a path must not have an empty segment (`//`, or a leading or trailing `/`)"
        }
        "" => "a path parameter must not be empty",
        "." | ".." => "a path segment must not be `.` or `..`, which would change the route",
        _ => return Ok(()),
    };
    Err(problem.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Client;
    use http::Method;

    static ENDPOINT: Endpoint = Endpoint::new(
        "get_file",
        Method::GET,
        "/ws/{workspace_id}/files/{name}.json",
        &[
            PathPiece::Literal("/ws/"),
            PathPiece::Param("workspace_id"),
            PathPiece::Literal("/files/"),
            PathPiece::Param("name"),
            PathPiece::Literal(".json"),
        ],
        &["workspace_id", "name"],
    );

    static REST: Endpoint = Endpoint::new(
        "put_file",
        Method::PUT,
        "/files/{file_path}",
        &[PathPiece::Literal("/files/"), PathPiece::Rest("file_path")],
        &["file_path"],
    );

    fn expand_with(
        endpoint: &'static Endpoint,
        values: &[(&'static str, &str)],
        rest: bool,
    ) -> Result<String, Error> {
        let client = Client::builder()
            .base_url("https://api.example")
            .build()
            .unwrap();
        let mut url = CallUrl::new(client.settings());
        for (name, value) in values {
            url.path_value(endpoint, name, value, rest)
                .map_err(|problem| Error::invalid_argument(name, problem))?;
        }
        let start = client.base_url().len();
        url.finish_path(endpoint, start)?;
        Ok(url.url[start..].to_owned())
    }

    fn expand(values: &[(&'static str, &str)]) -> Result<String, Error> {
        expand_with(&ENDPOINT, values, false)
    }

    #[test]
    fn values_are_encoded_as_exactly_one_segment() {
        assert_eq!(
            expand(&[("workspace_id", "abc"), ("name", "x")]).unwrap(),
            "/ws/abc/files/x.json"
        );
        assert_eq!(
            expand(&[("workspace_id", "a/b?c#d%e f"), ("name", "ünï-._~")]).unwrap(),
            "/ws/a%2Fb%3Fc%23d%25e%20f/files/%C3%BCn%C3%AF-._~.json"
        );
        assert_eq!(
            expand(&[("name", "..."), ("workspace_id", "..a")]).unwrap(),
            "/ws/..a/files/....json"
        );
    }

    #[test]
    fn empty_dot_and_dot_dot_are_rejected() {
        for bad in ["", ".", ".."] {
            let error = expand(&[("workspace_id", bad), ("name", "x")]).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument);
            assert!(error.to_string().contains("`workspace_id`"), "{error}");
        }
    }

    #[test]
    fn multi_segment_values_keep_their_slashes() {
        assert_eq!(
            expand_with(&REST, &[("file_path", "workspaces/1/runs/a b.png")], true).unwrap(),
            "/files/workspaces/1/runs/a%20b.png"
        );
        assert_eq!(
            expand_with(&REST, &[("file_path", "a?b/c#d/%2F")], true).unwrap(),
            "/files/a%3Fb/c%23d/%252F"
        );
        for bad in ["", "/a", "a/", "a//b", "a/../b", "./a", "a/.."] {
            let error = expand_with(&REST, &[("file_path", bad)], true).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument, "{bad}");
            assert!(error.to_string().contains("`file_path`"), "{error}");
        }
    }

    #[test]
    fn no_dot_segment_reaches_the_url_parser() {
        // Values are checked alone (`.` and `..` are rejected), and a joined segment cannot
        // then spell `..`; the check of the finished path also guards hand-made endpoints.
        static JOINED: Endpoint = Endpoint::new(
            "get",
            Method::GET,
            "/a/.{ext}/{x}{y}",
            &[
                PathPiece::Literal("/a/."),
                PathPiece::Param("ext"),
                PathPiece::Literal("/"),
                PathPiece::Param("x"),
                PathPiece::Param("y"),
            ],
            &["ext", "x", "y"],
        );
        assert_eq!(
            expand_with(&JOINED, &[("ext", "json"), ("x", "a"), ("y", ".")], false)
                .unwrap_err()
                .kind(),
            crate::ErrorKind::InvalidArgument
        );
        assert_eq!(
            expand_with(&JOINED, &[("ext", "json"), ("x", "a."), ("y", "b")], false).unwrap(),
            "/a/.json/a.b"
        );
        static HAND_MADE: Endpoint = Endpoint::new(
            "get",
            Method::GET,
            "/a/../b",
            &[PathPiece::Literal("/a/../b")],
            &[],
        );
        let error = expand_with(&HAND_MADE, &[], false).unwrap_err();
        assert!(error.to_string().contains("`..` segment"), "{error}");
        // What the URL parser also reads as `..`: `%2e` in either case, tabs and line breaks
        // dropped, `\\` as a separator.
        for literal in ["/a/%2e%2E/b", "/a/.\t./b", "/a\\../b"] {
            let error = expand_with(hand_made(literal), &[], false).unwrap_err();
            assert!(
                error.to_string().contains("segment"),
                "{literal:?}: {error}"
            );
        }
        // A `%` or a `.` that makes no dot segment is left alone.
        let plain = expand_with(hand_made("/a%20b/c.json"), &[], false).unwrap();
        assert_eq!(plain, "/a%20b/c.json");
    }

    /// An endpoint whose path is one literal, as `Endpoint::new` lets anyone make: leaked,
    /// as a request holds a `'static` endpoint (the generated code's `static`).
    fn hand_made(literal: &'static str) -> &'static Endpoint {
        let pieces: &'static [PathPiece] = Box::leak(Box::new([PathPiece::Literal(literal)]));
        Box::leak(Box::new(Endpoint::new(
            "get",
            Method::GET,
            literal,
            pieces,
            &[],
        )))
    }

    #[test]
    fn a_hand_made_path_cannot_change_the_origin() {
        fn url_of(literal: &'static str) -> Result<Url, Error> {
            let client = Client::builder()
                .base_url("https://api.example")
                .build()
                .unwrap();
            let endpoint = hand_made(literal);
            CallUrl::new(client.settings()).finish(client.settings(), endpoint)
        }
        for literal in ["@evil.example/x", ".evil.example/x", ":8443/x"] {
            let error = url_of(literal).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::Builder, "{literal}");
            assert!(error.to_string().contains("changes the origin"), "{error}");
        }
        // A path that starts with `/` ends the authority: even `//host` is only a path.
        for literal in ["/x", "//evil.example/x", ""] {
            let url = url_of(literal).unwrap();
            assert_eq!(url.host_str(), Some("api.example"), "{literal}");
        }
    }

    #[test]
    fn the_path_parsed_onto_the_base_url_is_the_whole_url_parsed() {
        // Each gives what parsing the whole URL gives.
        let as_whole = [
            "",
            "/",
            "/api/v1/workspaces/3f0c1d2e/files/a%2Fb.json",
            "//evil.example/x",
            "/\\evil.example/x",
            "/\\\\evil.example/x",
            "/ünï/%zz/%2F/ä%20b",
            "/a.b/c%2ed/.e",
            "/trailing/",
        ];
        // No template has these (the macro refuses them); a hand-made literal's are bytes of
        // the path, encoded, where a whole parse would read a query, a fragment, or trim.
        let only_path = ["/x?y#z", "/x ", "/a b", "/x\u{1}", "/a\tb"];
        let bases = [
            "https://api.example",
            "http://127.0.0.1:8080/prefix/v2",
            "https://[::1]:8443/p",
            "https://Bücher.example:443/a/",
        ];
        for base in bases {
            let client = Client::builder().base_url(base).build().unwrap();
            let settings = client.settings();
            let url_of = |literal: &str| {
                let endpoint = hand_made(Box::leak(literal.to_owned().into_boxed_str()));
                CallUrl::new(settings).finish(settings, endpoint).unwrap()
            };
            for literal in as_whole {
                let text = format!("{}{literal}", client.base_url());
                assert_eq!(url_of(literal), Url::parse(&text).unwrap(), "{text:?}");
            }
            for literal in only_path {
                let url = url_of(literal);
                assert_eq!(url.origin(), settings.base.origin(), "{literal:?}");
                assert_eq!((url.query(), url.fragment()), (None, None), "{url}");
            }
            // Values (encoded by the runtime) and a query, and a path longer than the room
            // the base URL's copy has.
            let long = "x".repeat(300);
            for (workspace_id, name) in [("3f0c1d2e", "a b/ü?#%"), (long.as_str(), "n")] {
                let mut call = CallUrl::new(settings);
                call.path_value(&ENDPOINT, "workspace_id", &workspace_id, false)
                    .unwrap();
                call.path_value(&ENDPOINT, "name", &name, false).unwrap();
                crate::query::named("q", &"a&b=c ü", &mut call.query).unwrap();
                let url = call.finish(settings, &ENDPOINT).unwrap();
                let mut whole = Url::parse(&call.url).unwrap();
                whole.query_pairs_mut().extend_pairs(&call.query);
                assert_eq!(url, whole, "{base}");
                assert!(url.path().contains(workspace_id), "{url}");
            }
        }
    }

    #[test]
    fn a_missing_value_is_an_error_not_a_panic() {
        let error = expand(&[("workspace_id", "a")]).unwrap_err();
        assert!(error.to_string().contains("`name`"), "{error}");
    }
}
