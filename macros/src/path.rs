//! The path template: `/api/v1/workspaces/<workspace_id>` or OpenAPI's `{workspace_id}`.
//!
//! A span cannot point inside a string literal on stable Rust, so every message names the
//! part of the path it is about.

use syn::LitStr;

use crate::ctxt::Errors;

pub struct Template {
    /// The path with every parameter written `{name}`, the form OpenAPI documents use.
    pub normalized: String,
    /// Parameter names in order of appearance.
    pub params: Vec<String>,
    /// Each parameter as written (`<petId>`, `{pet-id}`, `{path..}`), for messages.
    pub written: Vec<String>,
    /// The template in pieces, handed to the runtime so that nothing parses at run time.
    pub pieces: Vec<Piece>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Literal(String),
    Param(String),
    /// `<name..>`: the whole last segment, spanning `/`.
    Rest(String),
}

impl Template {
    /// `name` as the template writes it, e.g. `<petId>`.
    pub fn written(&self, name: &str) -> String {
        self.params
            .iter()
            .position(|param| param == name)
            .map_or_else(|| format!("<{name}>"), |i| self.written[i].clone())
    }

    pub fn is_rest(&self, name: &str) -> bool {
        self.pieces
            .iter()
            .any(|piece| matches!(piece, Piece::Rest(rest) if rest == name))
    }
}

/// Characters allowed as they are in a path besides letters and digits (RFC 3986 `pchar`
/// and `/`). `%` is checked separately: it must start an escape.
const PATH_PUNCTUATION: &str = "-._~!$&'()*+,;=:@/";

pub fn parse(literal: &LitStr, errors: &mut Errors) -> Option<Template> {
    let problems = problems(&literal.value());
    match problems {
        Ok(template) => Some(template),
        Err(messages) => {
            for message in messages {
                errors.spanned(literal, message);
            }
            None
        }
    }
}

pub fn problems(path: &str) -> Result<Template, Vec<String>> {
    let mut problems = Vec::new();
    let mut normalized = String::with_capacity(path.len());
    let mut params: Vec<String> = Vec::new();
    let mut written: Vec<String> = Vec::new();
    let mut pieces: Vec<Piece> = Vec::new();
    let mut literal = String::new();
    if !path.starts_with('/') {
        problems.push(format!("the path must start with `/`, found `{path}`"));
    }
    let mut rest = path;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' | '{' => {
                let close = if c == '<' { '>' } else { '}' };
                let body = &rest[1..];
                // A parameter ends at its closer, or at the next opener or `/`: beyond those
                // the user clearly did not mean the name to go on.
                let end = body.find(['>', '}', '<', '{', '/']);
                match end.map(|i| (i, body[i..].chars().next())) {
                    Some((i, Some(found))) if found == close || found == '>' || found == '}' => {
                        let name = &body[..i];
                        let as_written = format!("{c}{name}{close}");
                        let after = &body[i + 1..];
                        if found != close {
                            problems.push(format!(
                                "the parameter `{c}{name}{found}` opens with `{c}` but closes with `{found}`: write `<{name}>` or `{{{name}}}`"
                            ));
                        } else if let Some(base) = name.strip_suffix("..") {
                            let whole_last_segment = normalized.ends_with('/') && after.is_empty();
                            if !whole_last_segment {
                                problems.push(format!(
                                    "the multi-segment parameter `{c}{name}{close}` must be the whole last segment of the path, e.g. `/files/{c}{name}{close}`"
                                ));
                            }
                            if check_name(base, c, close, &params, &mut problems) {
                                params.push(base.to_owned());
                                written.push(as_written);
                            }
                            pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                            pieces.push(Piece::Rest(base.to_owned()));
                        } else {
                            if check_name(name, c, close, &params, &mut problems) {
                                params.push(name.to_owned());
                                written.push(as_written);
                            }
                            pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                            pieces.push(Piece::Param(name.to_owned()));
                        }
                        let name = name.strip_suffix("..").unwrap_or(name);
                        normalized.push('{');
                        normalized.push_str(name);
                        normalized.push('}');
                        rest = after;
                    }
                    _ => {
                        let unclosed = &rest[..end.map_or(rest.len(), |i| i + 1)];
                        problems.push(format!(
                            "unclosed `{c}` in the path at `{unclosed}`: a parameter is written `<name>` or `{{name}}`"
                        ));
                        rest = body;
                    }
                }
            }
            '>' | '}' => {
                problems.push(format!("unmatched `{c}` in the path"));
                rest = &rest[1..];
            }
            '?' => {
                problems.push("the path must not contain a query (`?`): declare query parameters as `#[query]` arguments".to_owned());
                break;
            }
            '#' => {
                problems.push("the path must not contain a fragment (`#`)".to_owned());
                break;
            }
            '%' => {
                let escape = rest
                    .get(1..3)
                    .filter(|hex| hex.chars().all(|h| h.is_ascii_hexdigit()));
                match escape {
                    Some(hex) => {
                        normalized.push('%');
                        normalized.push_str(hex);
                        literal.push('%');
                        literal.push_str(hex);
                        rest = &rest[3..];
                    }
                    None => {
                        problems
                            .push("`%` in the path must start an escape such as `%2F`".to_owned());
                        rest = &rest[1..];
                    }
                }
            }
            c if c.is_ascii_alphanumeric() || PATH_PUNCTUATION.contains(c) => {
                normalized.push(c);
                literal.push(c);
                rest = &rest[1..];
            }
            c => {
                problems.push(format!(
                    "the character `{}` is not allowed in a URL path: percent-encode it",
                    c.escape_debug()
                ));
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    for segment in normalized.split('/').skip(1) {
        // The URL parser would collapse these, also when written `%2e`.
        match segment.to_ascii_lowercase().replace("%2e", ".").as_str() {
            "." | ".." => problems.push(format!(
                "the path must not contain a `{segment}` segment: the URL parser would remove it and change the route"
            )),
            _ => {}
        }
    }
    pieces.push(Piece::Literal(literal));
    pieces.retain(|piece| !matches!(piece, Piece::Literal(text) if text.is_empty()));
    if normalized.contains("//") {
        problems.push("the path must not contain an empty segment (`//`)".to_owned());
    }
    if problems.is_empty() {
        Ok(Template {
            normalized,
            params,
            written,
            pieces,
        })
    } else {
        Err(problems)
    }
}

fn check_name(
    name: &str,
    open: char,
    close: char,
    params: &[String],
    problems: &mut Vec<String>,
) -> bool {
    match name_problem(name) {
        Some(NameProblem::Empty) => {
            problems.push(format!("empty parameter name `{open}{close}` in the path"));
        }
        Some(NameProblem::Character(c)) => problems.push(format!(
            "invalid parameter name `{name}` in the path: the character `{}` is not allowed; {NAME_RULE}",
            c.escape_debug()
        )),
        Some(NameProblem::Dots) => problems.push(format!(
            "invalid parameter name `{name}` in the path: {DOTS_RULE}"
        )),
        None if params.iter().any(|seen| seen == name) => {
            problems.push(format!("duplicate parameter `{name}` in the path"));
        }
        None => return true,
    }
    false
}

/// Characters a parameter's name may have besides ASCII letters and digits: those of the
/// names OpenAPI documents use (`pet_id`, `pet-id`, `pet.id`). A name that is not a Rust
/// identifier (or is a keyword) needs an argument renamed with `#[path("…")]`.
const NAME_PUNCTUATION: &str = "-_.";

/// The rule for messages.
pub const NAME_RULE: &str = "a path parameter's name has ASCII letters, digits, `-`, `_` and `.`";

/// Why dots are restricted: `{name..}` is the rest of the path, and a leading `.` is URI
/// Template's label operator (`{.format}`), which a document may mean.
pub const DOTS_RULE: &str =
    "a `.` must not start or end it nor follow another `.` (`<name..>` is the rest of the path)";

/// Why a name cannot name a path parameter: the template (`<name>`) and `#[path("name")]`
/// both ask this.
pub enum NameProblem {
    Empty,
    /// A character outside ASCII letters, digits and [`NAME_PUNCTUATION`].
    Character(char),
    /// `..`, or a `.` at either end.
    Dots,
}

pub fn name_problem(name: &str) -> Option<NameProblem> {
    if name.is_empty() {
        return Some(NameProblem::Empty);
    }
    if let Some(c) = name
        .chars()
        .find(|&c| !c.is_ascii_alphanumeric() && !NAME_PUNCTUATION.contains(c))
    {
        return Some(NameProblem::Character(c));
    }
    if name.starts_with('.') || name.ends_with('.') || name.contains("..") {
        return Some(NameProblem::Dots);
    }
    None
}

/// An argument fills a parameter by its name only if the name is a Rust identifier; any other
/// valid name needs `#[path("pet-id")] pet_id`. `Some` with that argument's name (`pet_id`,
/// `type_`, `_1x`) for such a name.
pub fn rust_name(name: &str) -> Option<String> {
    if is_identifier(name) {
        return None;
    }
    let mut suggestion: String = to_snake_case(name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if suggestion.starts_with(|c: char| c.is_ascii_digit()) {
        suggestion.insert(0, '_');
    }
    if !is_identifier(&suggestion) {
        // A keyword (`type_`, `self_`) or `_`.
        suggestion.push('_');
    }
    Some(suggestion)
}

pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && name != "_"
        && syn::parse_str::<proc_macro2::Ident>(name).is_ok()
        && name != "self"
}

/// `petId` → `pet_id`, for a hint.
pub fn to_snake_case(name: &str) -> String {
    let mut snake = String::with_capacity(name.len() + 2);
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            snake.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        snake.push(c.to_ascii_lowercase());
    }
    snake
}

#[cfg(test)]
mod tests {
    use super::problems;

    fn ok(path: &str) -> (String, Vec<String>) {
        let template = problems(path).unwrap_or_else(|p| panic!("{path}: {p:?}"));
        (template.normalized, template.params)
    }

    fn err(path: &str) -> String {
        match problems(path) {
            Ok(_) => panic!("{path} was accepted"),
            Err(problems) => problems.join(" | "),
        }
    }

    #[test]
    fn both_syntaxes_normalize_to_braces() {
        assert_eq!(
            ok("/api/v1/workspaces/<workspace_id>/billing"),
            (
                "/api/v1/workspaces/{workspace_id}/billing".into(),
                vec!["workspace_id".into()]
            )
        );
        assert_eq!(
            ok("/a/{x}/b/<y>/c.{ext}"),
            (
                "/a/{x}/b/{y}/c.{ext}".into(),
                vec!["x".into(), "y".into(), "ext".into()]
            )
        );
        assert_eq!(ok("/"), ("/".into(), vec![]));
        assert_eq!(ok("/a%2Fb/:x@y"), ("/a%2Fb/:x@y".into(), vec![]));
    }

    #[test]
    fn names_that_documents_use() {
        assert_eq!(
            ok("/pets/{pet-id}/{pet.id}/<type>/{self}/{1x}/{_}/{Pet_ID-2}"),
            (
                "/pets/{pet-id}/{pet.id}/{type}/{self}/{1x}/{_}/{Pet_ID-2}".into(),
                ["pet-id", "pet.id", "type", "self", "1x", "_", "Pet_ID-2"]
                    .map(String::from)
                    .into()
            )
        );
        let template = problems("/a/<pet-id>/{files.path..}").unwrap();
        assert_eq!(template.written, ["<pet-id>", "{files.path..}"]);
        assert_eq!(template.pieces[3], super::Piece::Rest("files.path".into()));
    }

    #[test]
    fn the_argument_a_name_needs() {
        use super::rust_name;
        assert_eq!(rust_name("pet_id"), None);
        assert_eq!(rust_name("petId"), None);
        assert_eq!(rust_name("r#type"), Some("r_type".into()));
        for (name, argument) in [
            ("pet-id", "pet_id"),
            ("pet.id", "pet_id"),
            ("Pet-ID", "pet_id"),
            ("type", "type_"),
            ("self", "self_"),
            ("1x", "_1x"),
            ("_", "__"),
            ("-", "__"),
        ] {
            assert_eq!(rust_name(name).as_deref(), Some(argument), "{name}");
            assert!(super::is_identifier(argument), "{argument}");
        }
    }

    #[test]
    fn pieces_and_rest_parameters() {
        use super::Piece::*;
        let template = problems("/files/{file_path..}").unwrap();
        assert_eq!(template.normalized, "/files/{file_path}");
        assert_eq!(template.params, ["file_path"]);
        assert_eq!(
            template.pieces,
            [Literal("/files/".into()), Rest("file_path".into())]
        );
        let template = problems("/a/<x>.json").unwrap();
        assert_eq!(
            template.pieces,
            [
                Literal("/a/".into()),
                Param("x".into()),
                Literal(".json".into())
            ]
        );
    }

    #[test]
    fn every_problem_names_its_part() {
        assert!(err("api/x").contains("must start with `/`"));
        assert!(err("/a/<id").contains("unclosed `<` in the path at `<id`"));
        assert!(err("/a/{id/b").contains("unclosed `{`"));
        assert!(err("/a/<>").contains("empty parameter name `<>`"));
        assert!(err("/a/{pet id}").contains("invalid parameter name `pet id`"));
        assert!(err("/a/{pet id}").contains("the character ` ` is not allowed"));
        assert!(err("/a/<é>").contains("the character `é`"));
        assert!(err("/a/{pet$id}").contains("the character `$`"));
        assert!(err("/a/{a/b}").contains("unclosed `{`"));
        for dots in ["/a/{a..b}", "/a/{.format}", "/a/{x.}", "/a/{x...}"] {
            assert!(err(dots).contains("must not start or end it"), "{dots}");
        }
        assert!(err("/a/<x>/<x>").contains("duplicate parameter `x`"));
        assert!(err("/a/<x}").contains("opens with `<` but closes with `}`"));
        assert!(err("/a/<rest..>/b").contains("must be the whole last segment"));
        assert!(err("/a/x<rest..>").contains("must be the whole last segment"));
        assert!(err("/a/%2e%2E/b").contains("`%2e%2E` segment"));
        assert!(err("/a/%2E").contains("segment"));
        assert!(err("/a?b=1").contains("query"));
        assert!(err("/a#b").contains("fragment"));
        assert!(err("/a b").contains("the character ` `"));
        assert!(err("/ä").contains("the character `ä`"));
        assert!(err("/a/%zz").contains("escape"));
        assert!(err("/a/../b").contains("`..` segment"));
        assert!(err("/a//b").contains("empty segment"));
        assert!(err("/a}").contains("unmatched `}`"));
        // Several problems at once.
        let all = err("a/<>/<x>/<x>");
        assert!(
            all.contains("start with") && all.contains("empty") && all.contains("duplicate"),
            "{all}"
        );
    }
}
