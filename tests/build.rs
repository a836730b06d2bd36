//! Turns every ```rust block of the workspace README into a doctest of this crate.
//!
//! The README shows fragments (a call on a `client` it never declares, DTOs it only names), so
//! each block is compiled inside a *context*: hidden `# ` lines, added only in the generated
//! copy, that import the names, declare the DTOs and wrap statements in a function. The README
//! picks the context with an HTML comment, invisible on GitHub, on the last non-blank line
//! before the block:
//!
//! ```text
//! <!-- doctest: async -->
//! ```
//!
//! A block containing `fn main` needs no comment: it is a whole program. Contexts whose code
//! would call a server are `no_run` (compiled, never run); the others run. This script writes
//! `$OUT_DIR/readme_doctests.rs`, one item per block named after its README line
//! (`readme::Line17`), which `src/lib.rs` includes under `#[cfg(doctest)]`, so
//! `cargo test -p askui-tests --doc` compiles them all (an item per block rather than one
//! generated markdown page, so that a failing doctest's name gives the README line). A ```rust block without a context, an
//! unknown context, a stray marker, `rust,<attributes>` or a line rustdoc would hide fails
//! this build: no block escapes the compiler silently.

use std::fmt::Write as _;
use std::path::PathBuf;

/// Where a README block is compiled.
struct Context {
    name: &'static str,
    /// What the block may use, for the error message.
    about: &'static str,
    /// False: `no_run`, the block would reach a server.
    run: bool,
    /// Hidden lines before the block.
    prelude: &'static [&'static str],
    /// Hidden lines after the block.
    epilogue: &'static [&'static str],
}

/// The DTOs the README names; a user's own, as the README's traits are.
const DTOS: &str = r#"use serde::{Deserialize, Serialize};
#[derive(Serialize)]
pub struct CreateCustomerPortalSessionRequestDto { pub return_url: String }
#[derive(Deserialize)]
pub struct CreateCustomerPortalSessionResponseDto { pub session_url: String }
#[derive(Deserialize)]
pub struct ListPricesResponseDto { pub data: Vec<serde_json::Value> }
#[derive(Serialize)]
pub enum AgentStatus { Active, Inactive }
#[derive(Deserialize)]
pub struct AgentsList { pub data: Vec<serde_json::Value> }
#[derive(Deserialize)]
pub struct AgentExecution { pub id: uuid::Uuid }
#[derive(Deserialize)]
pub struct UploadFileResponse { pub file_path: String }
#[derive(Serialize)]
pub struct ExtractDataCommand { pub prompt: String }
#[derive(Deserialize)]
pub struct ExtractDataResponse { pub data: serde_json::Value }"#;

/// The README's first block's trait, for the blocks that go on with it.
const BILLING: &str = r#"pub trait Billing {
    #[askui_endpoint(post, "/api/v1/workspaces/<workspace_id>/billing/customer-portal-session")]
    async fn create_customer_portal_session(&self, workspace_id: Uuid,
        body: &CreateCustomerPortalSessionRequestDto)
        -> Result<CreateCustomerPortalSessionResponseDto, Error>;
}
impl Billing for Client {}"#;

const CONTEXTS: &[Context] = &[
    Context {
        name: "async",
        about: "items and statements in an `async fn` returning `Result<(), askui_runtime::Error>`, \
                with `client`, `token`, `workspace_id`, `agent_id`, `body`, `command`, `pdf`, the \
                README's DTOs and the runtime's names in scope",
        run: false,
        prelude: &[
            "use std::time::Duration;",
            "use askui_runtime::{askui_endpoint, Auth, CallOptions, Client, Error, Multipart, Part};",
            "use uuid::Uuid;",
            DTOS,
            "async fn readme_block(client: Client, token: String, workspace_id: Uuid, agent_id: Uuid,",
            "    body: CreateCustomerPortalSessionRequestDto, command: ExtractDataCommand, pdf: Vec<u8>)",
            "    -> Result<(), Error> {",
        ],
        epilogue: &["Ok(())", "}"],
    },
    Context {
        name: "blocking",
        about: "items and statements in a plain `fn` returning `Result<(), askui_runtime::Error>`, \
                with `token`, `workspace_id`, the README's DTOs and the runtime's names in scope",
        run: false,
        prelude: &[
            "use askui_runtime::{askui_endpoint, Auth, Client, Error};",
            "use uuid::Uuid;",
            DTOS,
            "fn readme_block(token: String, workspace_id: Uuid) -> Result<(), Error> {",
        ],
        epilogue: &["Ok(())", "}"],
    },
    Context {
        name: "billing",
        about: "items or statements (run), after the README's first block: its `Billing` trait \
                implemented for `Client`, the runtime's names in scope",
        run: true,
        prelude: &[
            "use askui_runtime::{askui_endpoint, BodyKind, Client, Error, ResponseKind};",
            "use uuid::Uuid;",
            DTOS,
            BILLING,
        ],
        epilogue: &[],
    },
    Context {
        name: "items",
        about: "items (run; declaring does no I/O) with the runtime's names in scope",
        run: true,
        prelude: &[
            "use askui_runtime::{askui_endpoint, askui_endpoints, Client, Error};",
            "use uuid::Uuid;",
            DTOS,
        ],
        epilogue: &[],
    },
    Context {
        name: "builder",
        about: "statements in a `fn` returning `Result<(), askui_runtime::Error>` (run; building \
                a client does no I/O), with `token` and `reqwest_client` in scope",
        run: true,
        prelude: &[
            "use std::time::Duration;",
            "use askui_runtime::{Auth, Client, Error};",
            "fn main() -> Result<(), Error> {",
            "let token = String::from(\"a-token\");",
            "let reqwest_client = askui_runtime::reqwest::Client::new();",
        ],
        epilogue: &["Ok(())", "}"],
    },
    Context {
        name: "test",
        about: "a test function with its own imports (compiled, not run)",
        run: false,
        prelude: &[],
        epilogue: &[],
    },
    Context {
        name: "program",
        about: "a whole program with its own `fn main` (compiled, not run); the default for a \
                block containing `fn main`",
        run: false,
        prelude: &[],
        epilogue: &[],
    },
];

/// One ```rust block of the README.
struct Block {
    /// 1-based line of the opening fence.
    line: usize,
    /// Its fence, as the README writes it.
    fence: String,
    context: &'static Context,
    code: String,
}

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let readme_path = manifest_dir.join("../README.md");
    println!("cargo::rerun-if-changed=../README.md");
    println!("cargo::rerun-if-changed=build.rs");

    let readme = std::fs::read_to_string(&readme_path)
        .unwrap_or_else(|error| fail(&format!("cannot read {}: {error}", readme_path.display())));
    let blocks = rust_blocks(&readme).unwrap_or_else(|message| fail(&message));

    let mut out = String::from(
        "// Generated by tests/build.rs from README.md: one item per ```rust block.\n",
    );
    for block in &blocks {
        out.push_str(&doctest(block));
    }
    let out_path = PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("readme_doctests.rs");
    std::fs::write(&out_path, out)
        .unwrap_or_else(|error| fail(&format!("cannot write {}: {error}", out_path.display())));
}

/// The README's ```rust blocks with their contexts, or what is wrong with one.
fn rust_blocks(readme: &str) -> Result<Vec<Block>, String> {
    let mut blocks = Vec::new();
    // A marker seen and not yet used: (its line, the context's name).
    let mut marker: Option<(usize, String)> = None;
    let mut lines = readme
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line));
    while let Some((number, line)) = lines.next() {
        let at = |message: String| format!("README.md:{number}: {message}");
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with("<!--") && trimmed.contains("doctest") {
            if let Some((marker_line, _)) = &marker {
                return Err(at(format!(
                    "a second doctest marker; the one on line {marker_line} has no block"
                )));
            }
            let name = trimmed
                .strip_prefix("<!--")
                .and_then(|rest| rest.strip_suffix("-->"))
                .and_then(|rest| rest.trim().strip_prefix("doctest:"))
                .map(str::trim)
                .ok_or_else(|| at(format!("`{trimmed}` is not `<!-- doctest: CONTEXT -->`")))?;
            marker = Some((number, name.to_owned()));
            continue;
        }
        let Some(fence) = opening_fence(trimmed) else {
            if let Some((marker_line, name)) = marker.take() {
                return Err(format!(
                    "README.md:{marker_line}: `<!-- doctest: {name} -->` is not followed by a \
                     ```rust block"
                ));
            }
            continue;
        };
        let info = trimmed[fence.len()..].trim();
        let is_rust = info == "rust" || info.starts_with("rust,") || info.starts_with("rust ");
        let mut code = String::new();
        let mut closed = false;
        for (_, line) in lines.by_ref() {
            // CommonMark: the same character, at least as many, nothing after.
            let line_trimmed = line.trim();
            if line_trimmed.len() >= fence.len()
                && line_trimmed.chars().all(|c| fence.starts_with(c))
            {
                closed = true;
                break;
            }
            code.push_str(line);
            code.push('\n');
        }
        if !closed {
            return Err(at("a code block that is never closed".into()));
        }
        let marker = marker.take();
        if !is_rust {
            if let Some((marker_line, name)) = marker {
                return Err(format!(
                    "README.md:{marker_line}: `<!-- doctest: {name} -->` is before a ```{info} \
                     block; only ```rust blocks are doctests"
                ));
            }
            continue;
        }
        if info != "rust" {
            return Err(at(format!(
                "```{info}: write ```rust; how the block is compiled (run or not) is its \
                 context's business (see tests/build.rs)"
            )));
        }
        if line.starts_with(char::is_whitespace) {
            return Err(at(
                "an indented ```rust block; write it at the start of the line".into(),
            ));
        }
        if let Some(hidden) = code.lines().find(|line| {
            let line = line.trim();
            line == "#" || line.starts_with("# ")
        }) {
            return Err(at(format!(
                "`{hidden}` starts with `# `: rustdoc would compile it as a hidden line while \
                 GitHub shows it as written; hidden lines belong in a context (tests/build.rs)"
            )));
        }
        let context = match &marker {
            Some((_, name)) => CONTEXTS
                .iter()
                .find(|context| context.name == name)
                .ok_or_else(|| {
                    at(format!(
                        "unknown doctest context `{name}`; {}",
                        known_contexts()
                    ))
                })?,
            None if code.contains("fn main") => context("program"),
            None => {
                return Err(at(format!(
                    "a ```rust block without a `<!-- doctest: CONTEXT -->` line before it would \
                     not be compiled; {}",
                    known_contexts()
                )));
            }
        };
        blocks.push(Block {
            line: number,
            fence: fence.to_owned(),
            context,
            code,
        });
    }
    if let Some((marker_line, name)) = marker {
        return Err(format!(
            "README.md:{marker_line}: `<!-- doctest: {name} -->` is not followed by a ```rust block"
        ));
    }
    Ok(blocks)
}

/// The fence (```` ``` ````, `~~~` or longer) opening a code block on this line, if any.
fn opening_fence(line: &str) -> Option<&str> {
    let first = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let length = line.len() - line.trim_start_matches(first).len();
    (length >= 3).then(|| &line[..length])
}

fn context(name: &str) -> &'static Context {
    CONTEXTS
        .iter()
        .find(|context| context.name == name)
        .expect("a context of that name")
}

fn known_contexts() -> String {
    let mut list = String::from("the contexts are (tests/build.rs):");
    for context in CONTEXTS {
        write!(list, "\n  {}: {}", context.name, context.about).unwrap();
    }
    list
}

/// The item whose documentation is the block in its context, as a doctest.
fn doctest(block: &Block) -> String {
    let context = block.context;
    // The README's own fence: the code cannot close it.
    let attributes = if context.run { "" } else { ",no_run" };
    let mut doc = format!("{}rust{attributes}\n", block.fence);
    let hidden = |doc: &mut String, pieces: &[&str]| {
        for line in pieces.iter().flat_map(|piece| piece.lines()) {
            doc.push_str(if line.is_empty() { "#" } else { "# " });
            doc.push_str(line);
            doc.push('\n');
        }
    };
    hidden(&mut doc, context.prelude);
    if context.name == "test" {
        // Outside `cargo test`, rustc drops a `#[test]` function without checking it (and
        // `#[tokio::test]` expands to one): the block's functions become plain ones, which
        // rustc type-checks although nothing calls them.
        let code = block
            .code
            .replace("#[tokio::test]", "#[allow(dead_code)]")
            .replace("#[test]", "#[allow(dead_code)]");
        doc.push_str(&code);
    } else {
        doc.push_str(&block.code);
    }
    hidden(&mut doc, context.epilogue);
    doc.push_str(&block.fence);
    doc.push('\n');
    format!(
        "\n/// README.md line {line}, in the context `{name}`.\n///\n#[doc = {doc:?}]\npub struct Line{line};\n",
        line = block.line,
        name = context.name,
    )
}

fn fail(message: &str) -> ! {
    eprintln!("error: README.md's ```rust blocks cannot all be doctests:\n{message}");
    std::process::exit(1);
}
