//! The runtime is a pipeline of stages, a module each, and no module imports one that
//! imports it back, directly or through others: each stage can be read, tested and replaced
//! on its own. This reads `use crate::…` and `crate::…` paths in `src/` (tests excluded) and
//! fails on the first cycle, naming it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[test]
fn no_two_runtime_modules_import_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules: BTreeMap<String, String> = std::fs::read_dir(&src)
        .expect("src/ is readable")
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let module = name.strip_suffix(".rs")?.to_owned();
            let text = std::fs::read_to_string(entry.path()).ok()?;
            Some((module, without_tests(&text).to_owned()))
        })
        .collect();
    let lib = modules.get("lib").expect("src/lib.rs");
    let exported = re_exports(lib);
    let graph: BTreeMap<&str, BTreeSet<String>> = modules
        .iter()
        .filter(|(module, _)| *module != "lib")
        .map(|(module, text)| {
            let used = crate_paths(text)
                .into_iter()
                .filter_map(|name| {
                    if modules.contains_key(&name) {
                        Some(name)
                    } else {
                        exported.get(&name).cloned()
                    }
                })
                .filter(|used| used != module && used != "lib")
                .collect();
            (module.as_str(), used)
        })
        .collect();
    assert!(graph.len() > 10, "the stages were not found: {graph:?}");
    for start in graph.keys() {
        if let Some(cycle) = cycle_from(start, &graph) {
            panic!("runtime modules import each other: {}", cycle.join(" -> "));
        }
    }
}

/// Nothing users could call by mistake: the one `#[doc(hidden)]` public item is `__private`,
/// what generated code names; anything else public is documented API.
#[test]
fn no_hidden_public_item_but_private() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut hidden = Vec::new();
    for entry in std::fs::read_dir(&src).expect("src/ is readable") {
        let path = entry.expect("an entry").path();
        let text = std::fs::read_to_string(&path).expect("a source file");
        let lines: Vec<&str> = text.lines().collect();
        for (at, line) in lines.iter().enumerate() {
            if line.trim() != "#[doc(hidden)]" {
                continue;
            }
            // The item: the next line that is not an attribute or a comment.
            let item = lines[at + 1..]
                .iter()
                .map(|line| line.trim())
                .find(|line| !line.starts_with("#[") && !line.starts_with("//"))
                .unwrap_or_default();
            if item.starts_with("pub ") && item != "pub mod __private {" {
                hidden.push(format!("{}:{}: {item}", path.display(), at + 1));
            }
        }
    }
    assert!(hidden.is_empty(), "hidden public items: {hidden:#?}");
}

/// The text before a file's `#[cfg(test)] mod tests`: a test may use any stage.
fn without_tests(text: &str) -> &str {
    match text.find("#[cfg(test)]\nmod tests") {
        Some(end) => &text[..end],
        None => text,
    }
}

/// `pub use module::{A, B};` and `pub use module::A;` of lib.rs: which module a name at
/// the crate root comes from.
fn re_exports(lib: &str) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for statement in lib.split(';') {
        let Some(path) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, rest)) = path.split_once("::") else {
            continue;
        };
        let rest = rest.trim_start_matches('{').trim_end_matches('}');
        for name in rest.split(',') {
            let name = name.trim();
            let name = name.rsplit(" as ").next().unwrap_or(name);
            if !name.is_empty() {
                names.insert(name.to_owned(), module.to_owned());
            }
        }
    }
    names
}

/// The first name after each `crate::`, and every name of a `crate::{…}` group, outside
/// comments (a doc link is not an import).
fn crate_paths(text: &str) -> Vec<String> {
    let code: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .map(|line| format!("{line}\n"))
        .collect();
    let text = code.as_str();
    let mut found = Vec::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            found.extend(group.split(',').map(first_word).filter(|w| !w.is_empty()));
        } else {
            found.push(first_word(rest));
        }
    }
    found
}

fn first_word(text: &str) -> String {
    text.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn cycle_from(start: &str, graph: &BTreeMap<&str, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        module: &str,
        graph: &BTreeMap<&str, BTreeSet<String>>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|seen| seen == module) {
            let mut cycle = path[at..].to_vec();
            cycle.push(module.to_owned());
            return Some(cycle);
        }
        path.push(module.to_owned());
        for next in graph.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    visit(start, graph, &mut Vec::new())
}
