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
                            check_name(base, c, close, &mut params, &mut problems);
                            pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                            pieces.push(Piece::Rest(base.to_owned()));
                        } else {
                            check_name(name, c, close, &mut params, &mut problems);
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
    params: &mut Vec<String>,
    problems: &mut Vec<String>,
) {
    match name_problem(name) {
        Some(NameProblem::Empty) => {
            problems.push(format!("empty parameter name `{open}{close}` in the path"));
        }
        Some(NameProblem::Keyword) => {
            problems.push(format!(
                "invalid parameter name `{name}` in the path: it is a Rust keyword; rename it and its argument, e.g. `{open}{name}_{close}` (the name is not part of the URL)"
            ));
        }
        Some(NameProblem::NotIdentifier { suggestion }) => {
            problems.push(format!(
                "invalid parameter name `{name}` in the path: it must be a Rust identifier, the name of an argument (did you mean `{open}{suggestion}{close}`?)"
            ));
        }
        None if params.iter().any(|seen| seen == name) => {
            problems.push(format!("duplicate parameter `{name}` in the path"));
        }
        None => params.push(name.to_owned()),
    }
}

/// Why a name cannot name a path parameter: the template (`<name>`) and `#[path("name")]`
/// both ask this.
pub enum NameProblem {
    Empty,
    /// A Rust keyword such as `type`: suggesting the same name would not help.
    Keyword,
    NotIdentifier {
        suggestion: String,
    },
}

pub fn name_problem(name: &str) -> Option<NameProblem> {
    if name.is_empty() {
        return Some(NameProblem::Empty);
    }
    if is_identifier(name) {
        return None;
    }
    let suggestion: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let suggestion = if suggestion.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{suggestion}")
    } else {
        suggestion
    };
    Some(if suggestion == name {
        NameProblem::Keyword
    } else {
        NameProblem::NotIdentifier { suggestion }
    })
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && name != "_"
        && syn::parse_str::<proc_macro2::Ident>(name).is_ok()
        && name != "self"
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
        assert!(err("/a/<foo-bar>").contains("did you mean `<foo_bar>`?"));
        assert!(err("/a/{1x}").contains("did you mean `{_1x}`?"));
        assert!(err("/a/<self>").contains("invalid parameter name `self`"));
        assert!(err("/a/<fn>").contains("invalid parameter name `fn`"));
        assert!(
            err("/a/{type}").contains("is a Rust keyword")
                && err("/a/{type}").contains("`{type_}`")
        );
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
