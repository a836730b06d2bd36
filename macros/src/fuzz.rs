//! Fuzzing on stable: the attribute's parsers as plain functions, fed structured but hostile
//! input by proptest. `cargo test` runs a short pass (2,000 cases per driver);
//! `ASKUI_FUZZ_CASES` raises it (`scripts/fuzz` runs 1,000,000 in release mode) and
//! `ASKUI_FUZZ_SEED` repeats a run. A failure is shrunk and printed with its seed.
//!
//! The inputs are lexed from text, as rustc hands them to the macro, so every token has a real
//! span and the drivers can check that each error points into the attribute.

use std::fmt::Write as _;
use std::ops::Range;
use std::str::FromStr;
use std::time::Instant;

use proc_macro2::{Literal, TokenStream, TokenTree};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

use crate::ctxt::Errors;
use crate::{attr, expand, path};

/// Runs `test` on `cases()` inputs of `strategy`, printing the count, the time and the seed.
fn drive<S: Strategy>(
    name: &str,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let cases: u32 = match std::env::var("ASKUI_FUZZ_CASES") {
        Ok(text) => text.trim().parse().expect("ASKUI_FUZZ_CASES is a number"),
        Err(_) => 2_000,
    };
    let seed: u64 = match std::env::var("ASKUI_FUZZ_SEED") {
        Ok(text) => text.trim().parse().expect("ASKUI_FUZZ_SEED is a number"),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |time| time.as_nanos() as u64),
    };
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut seed_bytes = [0u8; 16];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    seed_bytes[8..].copy_from_slice(&(!seed).to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::XorShift, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let start = Instant::now();
    if let Err(failure) = runner.run(&strategy, test) {
        panic!("fuzz {name} failed (ASKUI_FUZZ_SEED={seed}): {failure}");
    }
    println!(
        "fuzz {name}: {cases} cases in {:.1} s (seed {seed})",
        start.elapsed().as_secs_f64()
    );
}

/// Strings matching `pattern`, compiled once (a `&str` strategy compiles it for every case).
fn regex(pattern: &str) -> proptest::string::RegexGeneratorStrategy<String> {
    proptest::string::string_regex(pattern).expect("a valid pattern")
}

/// Any characters, control characters and unassigned code points included (`any::<String>()`
/// leaves out control characters, and compiles a regex for every case).
fn any_string(max_len: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..=max_len).prop_map(String::from_iter)
}

// ---- Hostile paths ------------------------------------------------------------------------

/// Names for parameters: valid ones (some of them arguments of [`METHOD`]), keywords,
/// non-identifiers (valid with a rename: `pet-id`, `pet.id`; or not: `a..b`, `.x`), unicode,
/// empty.
fn param_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "id", "file_path", "workspace_id", "x", "_x", "r#id", "self", "type", "fn", "_",
            "1x", "foo-bar", "a b", "", "..", "x..", "é", "ñame", "a\u{0}", "<x>", "{x}",
            "pet-id", "pet.id", "Pet-ID", "a..b", ".x", "x.", "x...", "-",
        ])
        .prop_map(str::to_owned),
        1 => regex("[a-zA-Z_][a-zA-Z0-9_]{0,8}"),
        1 => regex("[a-zA-Z0-9_.-]{1,8}"),
        1 => any_string(6),
    ]
}

/// One piece of a path: separators, literal text, parameters in both syntaxes, half-written
/// parameters, dot segments, escapes good and bad, query and fragment marks, unicode and
/// control characters, and now and then something long.
fn path_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => Just("/".to_owned()),
        6 => regex("[a-z0-9._~-]{1,8}"),
        2 => regex("[-._~!$&'()*+,;=:@]{1,3}"),
        3 => (param_name(), prop::sample::select(vec!["<>", "{}", "<}", "{>", "<..>", "{..}"]))
            .prop_map(|(name, shape)| {
                let (open, close) = shape.split_at(1);
                if let Some(close) = close.strip_prefix("..") {
                    format!("{open}{name}..{close}")
                } else {
                    format!("{open}{name}{close}")
                }
            }),
        4 => prop::sample::select(vec![
            "<", ">", "{", "}", "<<", "}}", "..", ".", "%", "%2", "%2e", "%2E", "%2e%2E", "%2F",
            "%zz", "%F0%9F", "%%", "?", "?a=1", "#", "#frag", " ", "\t", "\n", "\r\n", "\u{0}",
            "\\", "\"", "'", "é", "😀", "\u{202e}", "\u{feff}", "//", "/./", "/../",
        ])
        .prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
        1 => any_string(16),
    ]
}

/// A path template: mostly `/`-led sequences of pieces, sometimes without the `/`, and now
/// and then a long one.
fn hostile_path() -> impl Strategy<Value = String> {
    let pieces = (
        prop::bool::weighted(0.9),
        prop::collection::vec(path_piece(), 0..14),
    )
        .prop_map(|(slash, pieces)| {
            let mut path = String::from(if slash { "/" } else { "" });
            pieces.iter().for_each(|piece| path.push_str(piece));
            path
        });
    let long = (prop::collection::vec(path_piece(), 1..4), 10usize..1_500)
        .prop_map(|(unit, n)| format!("/{}", unit.concat().repeat(n)));
    prop_oneof![50 => pieces, 1 => long]
}

// ---- Hostile attribute tokens -------------------------------------------------------------

/// One token of the attribute's arguments, written as source text.
#[derive(Clone, Debug)]
enum Tok {
    /// Identifiers, keywords, raw identifiers, punctuation and other literals, as written.
    Text(String),
    /// A string literal with this value (escaped when written).
    Str(String),
    Group(char, Vec<Tok>),
}

impl Tok {
    fn write(&self, out: &mut String) {
        match self {
            Tok::Text(text) => out.push_str(text),
            Tok::Str(value) => out.push_str(&Literal::string(value).to_string()),
            Tok::Group(open, inner) => {
                let close = match open {
                    '(' => ')',
                    '[' => ']',
                    _ => '}',
                };
                out.push(*open);
                write_tokens(inner, out);
                out.push(close);
            }
        }
        out.push(' ');
    }
}

fn write_tokens(tokens: &[Tok], out: &mut String) {
    tokens.iter().for_each(|token| token.write(out));
}

fn text(spellings: Vec<&'static str>) -> impl Strategy<Value = Tok> {
    prop::sample::select(spellings).prop_map(|s| Tok::Text(s.to_owned()))
}

/// Timeouts, good and bad.
fn duration_text() -> impl Strategy<Value = String> {
    prop_oneof![
        regex("([0-9]{1,3}(ms|s|m|h)){1,3}"),
        regex("[0-9]{0,22}(ms|s|m|h|min|sec|)"),
        regex("[ 0-9a-z.+-]{0,8}"),
        any_string(8),
    ]
}

fn leaf() -> impl Strategy<Value = Tok> {
    prop_oneof![
        4 => text(vec![
            "get", "post", "put", "patch", "delete", "head", "options", "GET", "POST", "Get",
            "gEt", "connect", "trace", "r#get", "r#post", "timeout", "idempotent", "Timeout",
            "r#timeout", "true", "false", "True", "self", "fn", "async", "_", "é", "path",
        ]),
        4 => text(vec![",", ",", ",", "=", "==", "=>", ":", "::", ";", ".", "..", "..=", "<", ">",
            "/", "#", "!", "&", "-", "+", "?", "@", "$", "~", "^", "*", "|", "'a"]),
        4 => hostile_path().prop_map(Tok::Str),
        2 => duration_text().prop_map(Tok::Str),
        2 => text(vec![
            "1", "0", "5", "-1", "30", "1.5", "1e9", "0x1F", "1_000u8", "18446744073709551616",
            "'c'", "'\\n'", "b'x'", "b\"/a\"", "c\"/a\"", "\"/a\"suffix", "\"5m\"ms",
            "r\"/items/<id>\"", "r#\"/a\"#", "\"\\u{0}\"", "/** doc */", "\"\"",
        ]),
        1 => regex("[a-z_][a-z0-9_]{0,10}").prop_map(Tok::Text),
    ]
}

fn token() -> impl Strategy<Value = Tok> {
    leaf().prop_recursive(3, 24, 6, |inner| {
        (
            prop::sample::select(vec!['(', '[', '{']),
            prop::collection::vec(inner, 0..6),
        )
            .prop_map(|(open, tokens)| Tok::Group(open, tokens))
    })
}

/// A well-formed attribute: method, path and some options.
fn well_formed() -> impl Strategy<Value = Vec<Tok>> {
    let method = text(vec![
        "get", "post", "put", "patch", "delete", "head", "options", "GET", "DELETE",
    ]);
    let option = prop_oneof![
        duration_text().prop_map(|value| vec![
            Tok::Text("timeout".into()),
            Tok::Text("=".into()),
            Tok::Str(value),
        ]),
        prop::bool::ANY.prop_map(|flag| vec![
            Tok::Text("idempotent".into()),
            Tok::Text("=".into()),
            Tok::Text(flag.to_string()),
        ]),
    ];
    (
        method,
        hostile_path(),
        prop::collection::vec(option, 0..3),
        prop::bool::ANY,
    )
        .prop_map(|(method, path, options, trailing_comma)| {
            let mut tokens = vec![method, Tok::Text(",".into()), Tok::Str(path)];
            for option in options {
                tokens.push(Tok::Text(",".into()));
                tokens.extend(option);
            }
            if trailing_comma {
                tokens.push(Tok::Text(",".into()));
            }
            tokens
        })
}

/// A change to a token list: remove, insert, replace or duplicate at a position.
#[derive(Clone, Debug)]
enum Edit {
    Remove(prop::sample::Index),
    Insert(prop::sample::Index, Tok),
    Replace(prop::sample::Index, Tok),
    Duplicate(prop::sample::Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Edit::Remove),
        (any::<prop::sample::Index>(), token()).prop_map(|(at, tok)| Edit::Insert(at, tok)),
        (any::<prop::sample::Index>(), token()).prop_map(|(at, tok)| Edit::Replace(at, tok)),
        any::<prop::sample::Index>().prop_map(Edit::Duplicate),
    ]
}

fn apply(mut tokens: Vec<Tok>, edits: Vec<Edit>) -> Vec<Tok> {
    for edit in edits {
        let len = tokens.len();
        match edit {
            Edit::Insert(at, tok) => tokens.insert(at.index(len + 1), tok),
            _ if len == 0 => {}
            Edit::Remove(at) => {
                tokens.remove(at.index(len));
            }
            Edit::Replace(at, tok) => tokens[at.index(len)] = tok,
            Edit::Duplicate(at) => {
                let tok = tokens[at.index(len)].clone();
                tokens.insert(at.index(len), tok);
            }
        }
    }
    tokens
}

/// The attribute's arguments as source text: well-formed ones, well-formed ones with a few
/// edits, and token soup.
fn attribute_source() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => well_formed(),
        5 => (well_formed(), prop::collection::vec(edit(), 1..4))
            .prop_map(|(tokens, edits)| apply(tokens, edits)),
        3 => prop::collection::vec(token(), 0..10),
    ]
    .prop_map(|tokens| {
        let mut source = String::new();
        write_tokens(&tokens, &mut source);
        source
    })
}

// ---- The drivers --------------------------------------------------------------------------

/// A method with an argument for some of the names [`param_name`] produces, so that some
/// inputs pass every check and generate code.
const METHOD: &str = r#"async fn call(&self, id: u64, file_path: &str, #[query] q: Option<u32>,
    #[header("X-Trace")] trace: Option<&str>) -> Result<(), Error>;"#;

/// The byte range of every token of `tokens`, groups included.
fn byte_range(tokens: &TokenStream) -> Option<Range<usize>> {
    tokens
        .clone()
        .into_iter()
        .map(|tree| tree.span().byte_range())
        .reduce(|a, b| a.start.min(b.start)..a.end.max(b.end))
}

/// Messages that rightly point at the whole attribute: nothing in it to point at.
const AT_THE_ATTRIBUTE: [&str; 2] = ["missing HTTP method and path", "missing path: "];

#[test]
fn fuzz_attribute_parser() {
    drive("attribute parser", attribute_source(), |source| {
        // Spans are kept per thread for every lexed input: forget the last case's (its tokens
        // must not be used after this).
        proc_macro2::extra::invalidate_current_thread_spans();
        let method = TokenStream::from_str(METHOD).unwrap();
        let Ok(tokens) = TokenStream::from_str(&source) else {
            // Not lexable (a doc comment or a literal in an odd place): rustc would have
            // rejected it before the macro ran.
            return Ok(());
        };
        let range = byte_range(&tokens);
        let mut errors = Errors::default();
        let args = attr::parse(tokens.clone(), &mut errors);
        let mut template = None;
        if let Some(literal) = &args.path {
            let mut path_errors = Errors::default();
            template = Some(path::parse(literal, &mut path_errors));
            prop_assert_eq!(
                template.as_ref().is_some_and(Option::is_some),
                path_errors.finish().is_ok()
            );
        }
        match errors.finish() {
            Ok(()) => {
                prop_assert!(args.method.is_some() && args.path.is_some(), "{source}");
                let first = tokens.clone().into_iter().next();
                prop_assert!(matches!(first, Some(TokenTree::Ident(_))), "{source}");
            }
            Err(error) => {
                for error in error {
                    let message = error.to_string();
                    prop_assert!(!message.is_empty(), "{source}");
                    if AT_THE_ATTRIBUTE.iter().any(|m| message.starts_with(m)) {
                        continue;
                    }
                    let span = error.span().byte_range();
                    let input = range.clone().unwrap_or(0..0);
                    prop_assert!(
                        input.start <= span.start && span.end <= input.end && span.start < span.end,
                        "the error `{}` points at {:?}, outside the attribute {:?}: {}",
                        message,
                        span,
                        input,
                        source
                    );
                }
            }
        }
        // The whole expansion on a method: it never panics, and a mistake is reported.
        let output = expand::endpoint(tokens, method);
        let output = output.to_string();
        prop_assert!(!output.is_empty());
        if args.method.is_none() || matches!(template, None | Some(None)) {
            prop_assert!(output.contains("compile_error"), "{source}");
        }
        Ok(())
    });
}

#[test]
fn fuzz_path_template_parser() {
    drive("path template parser", hostile_path(), |path| {
        let Ok(template) = path::problems(&path) else {
            // Every problem is a message, which `parse` reports at the literal.
            let problems = path::problems(&path).err().unwrap_or_default();
            prop_assert!(!problems.is_empty() && problems.iter().all(|p| !p.is_empty()));
            return Ok(());
        };
        check_template(&path, &template)?;
        // The normalized form is a valid template with the same parameters.
        let again = path::problems(&template.normalized)
            .map_err(|problems| TestCaseError::fail(format!("{path:?}: {problems:?}")))?;
        prop_assert_eq!(&again.normalized, &template.normalized);
        prop_assert_eq!(&again.params, &template.params);
        Ok(())
    });
}

/// What an accepted template promises the runtime.
fn check_template(path: &str, template: &path::Template) -> Result<(), TestCaseError> {
    let normalized = &template.normalized;
    prop_assert!(normalized.starts_with('/'), "{path:?}");
    prop_assert!(!path.contains(['?', '#']), "{path:?}");
    prop_assert!(!normalized.contains("//"), "{path:?}");
    for segment in normalized.split('/').skip(1) {
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        prop_assert!(decoded != "." && decoded != "..", "{path:?}");
    }
    // Only URL path characters, escapes and `{name}`.
    let mut rest = normalized.as_str();
    while let Some(c) = rest.chars().next() {
        if c == '%' {
            prop_assert!(
                rest.len() >= 3 && rest[1..3].chars().all(|h| h.is_ascii_hexdigit()),
                "{path:?}"
            );
            rest = &rest[3..];
        } else {
            prop_assert!(
                c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/{}".contains(c),
                "{path:?}: {c:?}"
            );
            rest = &rest[1..];
        }
    }
    // The pieces spell the normalized path, in the order of the parameters.
    let mut spelled = String::new();
    let mut names = Vec::new();
    for (i, piece) in template.pieces.iter().enumerate() {
        match piece {
            path::Piece::Literal(text) => {
                prop_assert!(!text.is_empty(), "{path:?}");
                spelled.push_str(text);
            }
            path::Piece::Param(name) | path::Piece::Rest(name) => {
                if matches!(piece, path::Piece::Rest(_)) {
                    prop_assert!(i + 1 == template.pieces.len(), "{path:?}");
                    prop_assert!(spelled.ends_with('/'), "{path:?}");
                }
                prop_assert!(path::name_problem(name).is_none(), "{path:?}");
                prop_assert!(
                    name.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
                    "{path:?}"
                );
                prop_assert!(!name.contains("..") && !name.ends_with('.'), "{path:?}");
                prop_assert!(!names.contains(name), "{path:?}");
                names.push(name.clone());
                let _ = write!(spelled, "{{{name}}}");
            }
        }
    }
    prop_assert_eq!(&spelled, normalized);
    prop_assert_eq!(&names, &template.params);
    Ok(())
}

/// Inputs the fuzzers found, kept as plain tests.
mod found {
    use super::*;

    fn error_spans(source: &str) -> Vec<(String, Range<usize>)> {
        proc_macro2::extra::invalidate_current_thread_spans();
        let tokens = TokenStream::from_str(source).unwrap();
        let mut errors = Errors::default();
        attr::parse(tokens, &mut errors);
        errors
            .finish()
            .err()
            .into_iter()
            .flatten()
            .map(|error| (error.to_string(), error.span().byte_range()))
            .collect()
    }

    #[test]
    fn a_missing_path_or_option_points_at_the_comma_not_the_attribute() {
        // Both were spanned at an empty token stream, which is the whole attribute.
        let errors = error_spans(r#"get , , "/a""#);
        assert!(errors[0].0.starts_with("the path must be a string literal"));
        assert_eq!(errors[0].1, 6..7);
        // Parsing goes on, so `"/a"` is then an option without a name.
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[1].1, 8..12);
        let errors = error_spans(r#"get, "/a", , timeout = "5s""#);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].0.starts_with("expected a named option"));
        assert_eq!(errors[0].1, 11..12);
        assert!(error_spans(r#"get, "/a", timeout = "5s""#).is_empty());
    }
}
