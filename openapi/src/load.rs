//! Reading a document: JSON or YAML text into a [`Spec`], checked where a later step would
//! otherwise give a silent wrong answer, and normalised so that one JSON Schema 2020-12
//! validator reads OpenAPI 3.0 and 3.1 alike.
//!
//! The steps, in order: the text is parsed (JSON if it starts with `{`, else YAML); the
//! `openapi` version and `paths` are checked; every `$ref` must point into the document;
//! the `$ref`s of parameters, request bodies, responses and headers are replaced by what
//! they point to (a schema's `$ref`s stay: the validator follows them); OpenAPI 3.0
//! schemas are rewritten into 2020-12 ([`normalise_schema`]); no schema may require itself
//! ([`cycles`]); and every `{name}` of a path template must be a declared path parameter.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::document::{Location, Spec};

/// Why a document cannot be read, and where: a JSON pointer into the document.
///
/// ```
/// use askui_openapi::{Spec, SpecErrorKind};
///
/// let error = Spec::from_str(r##"{"openapi": "3.1.0", "paths": {"/pets": {"get": {
///     "responses": {"200": {"description": "ok", "content": {"application/json": {
///         "schema": {"$ref": "#/components/schemas/Pet"}}}}}}}}}"##)
///     .err()
///     .expect("the `$ref` does not resolve");
/// assert_eq!(error.kind(), SpecErrorKind::UnresolvedRef);
/// assert_eq!(
///     error.pointer(),
///     "/paths/~1pets/get/responses/200/content/application~1json/schema/$ref"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError {
    kind: SpecErrorKind,
    pointer: String,
    message: String,
    file: Option<PathBuf>,
}

/// What is wrong with a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SpecErrorKind {
    /// The file cannot be read.
    Io,
    /// The text is neither JSON nor YAML, or its root is not an object.
    Syntax,
    /// The `openapi` field is missing or not `3.0.x` or `3.1.x`.
    Version,
    /// `paths` is missing or not an object, or a path item or operation is not an object.
    Paths,
    /// A `$ref` names nothing in the document.
    UnresolvedRef,
    /// A `$ref` points outside the document (another file or a URL), which is not read.
    ExternalRef,
    /// A schema requires itself (through `$ref`s, `allOf`, required properties or
    /// non-empty arrays), so no finite instance exists; or `$ref`s refer to each other
    /// without ever reaching an object.
    Cycle,
    /// A `{name}` of a path template is not among the operation's path parameters.
    UndeclaredPathParameter,
}

impl SpecError {
    fn new(kind: SpecErrorKind, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        SpecError {
            kind,
            pointer: pointer.into(),
            message: message.into(),
            file: None,
        }
    }

    /// What is wrong.
    pub fn kind(&self) -> SpecErrorKind {
        self.kind
    }

    /// Where, as a JSON pointer into the document (`/paths/~1pets/get`); empty for the
    /// whole document.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// The file the document was read from, for [`Spec::from_path`].
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}: ", file.display())?;
        }
        if self.pointer.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{} at `{}`", self.message, self.pointer)
        }
    }
}

impl std::error::Error for SpecError {}

/// The HTTP methods a path item may hold; its other keys (`parameters`, `summary`, …) are
/// not operations.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Spec {
    /// Reads an OpenAPI 3.0 or 3.1 document, JSON (if the text starts with `{`) or YAML.
    ///
    /// ```
    /// use askui_openapi::Spec;
    ///
    /// let spec = Spec::from_str("
    /// openapi: 3.0.3
    /// info: {title: Pets, version: '1'}
    /// paths:
    ///   /pets/{petId}:
    ///     parameters:
    ///       - {name: petId, in: path, required: true, schema: {type: integer}}
    ///     get:
    ///       operationId: getPet
    ///       responses:
    ///         '200':
    ///           description: a pet
    ///           content:
    ///             application/json:
    ///               schema: {type: object, nullable: true}
    /// ")?;
    /// let operation = spec.operation("GET", "/pets/{petId}").expect("documented");
    /// assert_eq!(operation.id(), "getPet");
    /// // The path item's parameters belong to each of its operations.
    /// assert_eq!(operation.parameters()[0].name(), "petId");
    /// # Ok::<(), askui_openapi::SpecError>(())
    /// ```
    #[allow(clippy::should_implement_trait)] // `FromStr` cannot say `Spec::from_str` reads YAML too.
    pub fn from_str(text: &str) -> Result<Spec, SpecError> {
        let trimmed = text.trim_start();
        let value: Value = if trimmed.starts_with('{') {
            serde_json::from_str(text).map_err(|error| {
                SpecError::new(SpecErrorKind::Syntax, "", format!("not JSON: {error}"))
            })?
        } else {
            serde_norway::from_str(text).map_err(|error| {
                SpecError::new(
                    SpecErrorKind::Syntax,
                    "",
                    format!("neither JSON nor YAML: {error}"),
                )
            })?
        };
        Spec::from_value(value)
    }

    /// Reads the OpenAPI document in the file at `path` (see [`Spec::from_str`]); an error
    /// names the file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Spec, SpecError> {
        let path = path.as_ref();
        let in_file = |mut error: SpecError| {
            error.file = Some(path.to_owned());
            error
        };
        let text = std::fs::read_to_string(path).map_err(|error| {
            in_file(SpecError::new(
                SpecErrorKind::Io,
                "",
                format!("cannot be read: {error}"),
            ))
        })?;
        Spec::from_str(&text).map_err(in_file)
    }

    /// Reads an OpenAPI 3.0 or 3.1 document already parsed into JSON.
    ///
    /// An OpenAPI 3.0 document's schemas are rewritten into JSON Schema 2020-12, the
    /// dialect of 3.1, which is what [`Spec::document`] then returns:
    /// - `nullable: true` becomes `anyOf: [<the schema without it>, {type: "null"}]`;
    /// - `exclusiveMinimum: true` beside `minimum: n` becomes `exclusiveMinimum: n` (and
    ///   the same for the maximum); `exclusiveMinimum: false` is dropped.
    ///
    /// A typeless schema with `properties` or `required` is read as an object, and one with
    /// `items` or `minItems` as an array, when looking for schemas that require themselves.
    pub fn from_value(mut document: Value) -> Result<Spec, SpecError> {
        let Some(root) = document.as_object() else {
            return Err(SpecError::new(
                SpecErrorKind::Syntax,
                "",
                "the document is not an object",
            ));
        };
        let version = version(root)?;
        match root.get("paths") {
            Some(Value::Object(paths)) => {
                for (template, item) in paths {
                    let pointer = format!("/paths/{}", escape(template));
                    let Some(item) = item.as_object() else {
                        return Err(SpecError::new(
                            SpecErrorKind::Paths,
                            pointer,
                            "a path item is not an object",
                        ));
                    };
                    for (method, operation) in item {
                        if METHODS.contains(&method.as_str()) && !operation.is_object() {
                            return Err(SpecError::new(
                                SpecErrorKind::Paths,
                                format!("{pointer}/{method}"),
                                "an operation is not an object",
                            ));
                        }
                    }
                }
            }
            Some(_) => {
                return Err(SpecError::new(
                    SpecErrorKind::Paths,
                    "/paths",
                    "`paths` is not an object",
                ));
            }
            None => {
                return Err(SpecError::new(
                    SpecErrorKind::Paths,
                    "/paths",
                    "`paths` is missing: the document has no operations",
                ));
            }
        }
        let mut targets = BTreeSet::new();
        check_refs(
            &document,
            &document,
            &mut String::new(),
            false,
            &mut targets,
        )?;
        inline_references(&mut document)?;
        if version == Version::V3_0 {
            for_each_schema(&mut document, &mut normalise_schema);
        }
        cycles(&document, &targets)?;
        let spec = Spec::build(document);
        for operation in spec.operations() {
            for name in operation.template_parameters() {
                if operation.parameter(Location::Path, name).is_none() {
                    return Err(SpecError::new(
                        SpecErrorKind::UndeclaredPathParameter,
                        format!(
                            "/paths/{}/{}",
                            escape(operation.template()),
                            operation.method().to_ascii_lowercase()
                        ),
                        format!(
                            "the template's `{{{name}}}` is not a path parameter of the \
                             operation or its path item"
                        ),
                    ));
                }
            }
        }
        Ok(spec)
    }
}

impl Default for Spec {
    /// A document without operations.
    fn default() -> Spec {
        Spec::build(json!({"openapi": "3.1.0", "paths": {}}))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Version {
    V3_0,
    V3_1,
}

fn version(root: &Map<String, Value>) -> Result<Version, SpecError> {
    let error = |message: String| Err(SpecError::new(SpecErrorKind::Version, "/openapi", message));
    match root.get("openapi") {
        Some(Value::String(version)) => {
            let mut parts = version.split('.');
            let (major, minor, patch) = (parts.next(), parts.next(), parts.next());
            let patch_ok = patch.is_some_and(|patch| {
                // `3.1.0-rc0` is a 3.1 draft, read as 3.1.
                let digits = patch.split('-').next().unwrap_or_default();
                !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
            });
            match (major, minor, patch_ok, parts.next()) {
                (Some("3"), Some("0"), true, None) => Ok(Version::V3_0),
                (Some("3"), Some("1"), true, None) => Ok(Version::V3_1),
                _ => error(format!(
                    "OpenAPI `{version}` is not supported: expected 3.0.x or 3.1.x"
                )),
            }
        }
        Some(other) => error(format!(
            "`openapi` must be a version string such as \"3.1.0\", not {other}"
        )),
        None if root.contains_key("swagger") => {
            error("a Swagger 2.0 document is not supported: convert it to OpenAPI 3 first".into())
        }
        None => error("`openapi` is missing: expected 3.0.x or 3.1.x".into()),
    }
}

/// `name` as one token of a JSON pointer.
pub(crate) fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Keys whose values are data (examples, defaults, extensions), never read for `$ref`s.
fn is_data(key: &str) -> bool {
    matches!(key, "example" | "default" | "enum" | "const" | "value") || key.starts_with("x-")
}

/// Keys whose values are maps from names the user chose to objects: a key inside them
/// named `$ref` or `example` is a name, not a keyword.
fn is_name_map(key: &str) -> bool {
    matches!(
        key,
        "properties"
            | "patternProperties"
            | "$defs"
            | "definitions"
            | "dependentSchemas"
            | "schemas"
            | "components"
            | "paths"
            | "webhooks"
            | "responses"
            | "requestBodies"
            | "securitySchemes"
            | "pathItems"
            | "headers"
            | "content"
            | "encoding"
            | "links"
            | "callbacks"
            | "variables"
    )
}

/// Every `$ref` in `value` (at `pointer`) must point into `root`; `targets` collects where
/// they point.
fn check_refs(
    root: &Value,
    value: &Value,
    pointer: &mut String,
    in_name_map: bool,
    targets: &mut BTreeSet<String>,
) -> Result<(), SpecError> {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let length = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape(key));
                if !in_name_map && key == "$ref" {
                    if let Value::String(reference) = child {
                        resolve_reference(root, reference, pointer)?;
                        targets.extend(target_of(reference));
                    }
                } else if in_name_map || !is_data(key) {
                    // Schema `examples` is a list of data; an `examples` map holds Example
                    // objects, which may be `$ref`s.
                    if !(key == "examples" && child.is_array()) {
                        check_refs(
                            root,
                            child,
                            pointer,
                            !in_name_map && is_name_map(key),
                            targets,
                        )?;
                    }
                }
                pointer.truncate(length);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let length = pointer.len();
                pointer.push('/');
                pointer.push_str(&index.to_string());
                check_refs(root, item, pointer, false, targets)?;
                pointer.truncate(length);
            }
        }
        _ => {}
    }
    Ok(())
}

/// What `reference` (written at `pointer`) points to in `root`.
fn resolve_reference<'a>(
    root: &'a Value,
    reference: &str,
    pointer: &str,
) -> Result<&'a Value, SpecError> {
    let Some(fragment) = reference.strip_prefix('#') else {
        return Err(SpecError::new(
            SpecErrorKind::ExternalRef,
            pointer,
            format!(
                "`{reference}` points outside the document, which is not supported: \
                 bundle the document into one file"
            ),
        ));
    };
    let unresolved = || {
        SpecError::new(
            SpecErrorKind::UnresolvedRef,
            pointer,
            format!("`{reference}` does not resolve"),
        )
    };
    let fragment = percent_decode(fragment).ok_or_else(unresolved)?;
    if !fragment.is_empty() && !fragment.starts_with('/') {
        // `#Pet`: an anchor (`$anchor`), which is not looked up.
        return Err(unresolved());
    }
    root.pointer(&fragment).ok_or_else(unresolved)
}

/// `%2F` and the like in a `$ref`'s fragment, decoded; `None` if not UTF-8 after decoding.
fn percent_decode(text: &str) -> Option<String> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

/// How many `$ref`s may chain before they are taken for a loop.
const MAX_CHAIN: usize = 64;

/// Replaces the `$ref`s of path items' and operations' parameters, request bodies,
/// responses and response headers with what they point to, so that the operations read
/// them as written in place.
fn inline_references(document: &mut Value) -> Result<(), SpecError> {
    let root = document.clone();
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return Ok(());
    };
    for (template, item) in paths.iter_mut() {
        let base = format!("/paths/{}", escape(template));
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (key, value) in item.iter_mut() {
            let pointer = format!("{base}/{}", escape(key));
            if key == "parameters" {
                inline_each(&root, value, &pointer)?;
            } else if METHODS.contains(&key.as_str()) {
                if let Some(operation) = value.as_object_mut() {
                    if let Some(parameters) = operation.get_mut("parameters") {
                        inline_each(&root, parameters, &format!("{pointer}/parameters"))?;
                    }
                    if let Some(body) = operation.get_mut("requestBody") {
                        inline(&root, body, &format!("{pointer}/requestBody"))?;
                    }
                    let responses = operation
                        .get_mut("responses")
                        .and_then(Value::as_object_mut);
                    for (status, response) in responses.into_iter().flatten() {
                        let pointer = format!("{pointer}/responses/{}", escape(status));
                        inline(&root, response, &pointer)?;
                        let headers = response.get_mut("headers").and_then(Value::as_object_mut);
                        for (name, header) in headers.into_iter().flatten() {
                            inline(
                                &root,
                                header,
                                &format!("{pointer}/headers/{}", escape(name)),
                            )?;
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

fn inline_each(root: &Value, list: &mut Value, pointer: &str) -> Result<(), SpecError> {
    for (index, item) in list.as_array_mut().into_iter().flatten().enumerate() {
        inline(root, item, &format!("{pointer}/{index}"))?;
    }
    Ok(())
}

/// `value`, if it is `{"$ref": …}`, replaced by its target, as often as targets chain.
fn inline(root: &Value, value: &mut Value, pointer: &str) -> Result<(), SpecError> {
    let mut steps = 0;
    while let Some(reference) = value.get("$ref").and_then(Value::as_str) {
        if steps == MAX_CHAIN {
            return Err(SpecError::new(
                SpecErrorKind::Cycle,
                format!("{pointer}/$ref"),
                "`$ref`s refer to each other in a loop",
            ));
        }
        let target = resolve_reference(root, reference, &format!("{pointer}/$ref"))?.clone();
        *value = target;
        steps += 1;
    }
    Ok(())
}

/// Calls `f` on every schema the document's components and operations hold, outermost
/// first, then on the schemas inside it.
fn for_each_schema(document: &mut Value, f: &mut impl FnMut(&mut Value)) {
    let components = document.get_mut("components");
    if let Some(components) = components.and_then(Value::as_object_mut) {
        for (kind, entries) in components.iter_mut() {
            let Some(entries) = entries.as_object_mut() else {
                continue;
            };
            for entry in entries.values_mut() {
                match kind.as_str() {
                    "schemas" => walk_schema(entry, f),
                    "parameters" | "headers" => media_holder(entry, f),
                    "requestBodies" => content(entry, f),
                    "responses" => response(entry, f),
                    _ => {}
                }
            }
        }
    }
    let paths = document.get_mut("paths").and_then(Value::as_object_mut);
    for item in paths.into_iter().flatten().map(|(_, item)| item) {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (key, value) in item.iter_mut() {
            if key == "parameters" {
                for parameter in value.as_array_mut().into_iter().flatten() {
                    media_holder(parameter, f);
                }
            } else if METHODS.contains(&key.as_str()) {
                let parameters = value.get_mut("parameters").and_then(Value::as_array_mut);
                for parameter in parameters.into_iter().flatten() {
                    media_holder(parameter, f);
                }
                if let Some(body) = value.get_mut("requestBody") {
                    content(body, f);
                }
                let responses = value.get_mut("responses").and_then(Value::as_object_mut);
                for entry in responses.into_iter().flatten().map(|(_, entry)| entry) {
                    response(entry, f);
                }
            }
        }
    }
}

/// A parameter or header: its `schema`, or its `content`'s.
fn media_holder(holder: &mut Value, f: &mut impl FnMut(&mut Value)) {
    if let Some(schema) = holder.get_mut("schema") {
        walk_schema(schema, f);
    }
    content(holder, f);
}

fn content(holder: &mut Value, f: &mut impl FnMut(&mut Value)) {
    let media = holder.get_mut("content").and_then(Value::as_object_mut);
    for (_, media) in media.into_iter().flatten() {
        if let Some(schema) = media.get_mut("schema") {
            walk_schema(schema, f);
        }
    }
}

fn response(entry: &mut Value, f: &mut impl FnMut(&mut Value)) {
    content(entry, f);
    let headers = entry.get_mut("headers").and_then(Value::as_object_mut);
    for (_, header) in headers.into_iter().flatten() {
        media_holder(header, f);
    }
}

/// The JSON Schema keywords whose value is a schema, a list of schemas, or a map of them.
const ONE: [&str; 11] = [
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
];
const LIST: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
const MAP: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

fn walk_schema(schema: &mut Value, f: &mut impl FnMut(&mut Value)) {
    f(schema);
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    for (key, value) in map.iter_mut() {
        let key = key.as_str();
        if ONE.contains(&key) {
            // OpenAPI 3.0 and old drafts allow a list of schemas for `items`.
            match value {
                Value::Array(list) => list.iter_mut().for_each(|s| walk_schema(s, f)),
                _ => walk_schema(value, f),
            }
        } else if LIST.contains(&key) {
            for member in value.as_array_mut().into_iter().flatten() {
                walk_schema(member, f);
            }
        } else if MAP.contains(&key) {
            for (_, member) in value.as_object_mut().into_iter().flatten() {
                walk_schema(member, f);
            }
        }
    }
}

/// An OpenAPI 3.0 schema rewritten into JSON Schema 2020-12 (its own keywords only; the
/// schemas inside it are rewritten by the walk that calls this).
///
/// Input: `{type: integer, minimum: 0, exclusiveMinimum: true, nullable: true}`.
/// Output: `{anyOf: [{type: integer, exclusiveMinimum: 0}, {type: "null"}]}`.
fn normalise_schema(schema: &mut Value) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match map.get(flag) {
            Some(Value::Bool(true)) => match map.remove(bound) {
                Some(value) => {
                    map.insert(flag.to_owned(), value);
                }
                None => {
                    map.remove(flag);
                }
            },
            Some(Value::Bool(false)) => {
                map.remove(flag);
            }
            _ => {}
        }
    }
    if map.get("nullable") == Some(&Value::Bool(true)) {
        map.remove("nullable");
        let inner = std::mem::take(map);
        map.insert(
            "anyOf".to_owned(),
            json!([Value::Object(inner), {"type": "null"}]),
        );
    } else if map.get("nullable").is_some_and(Value::is_boolean) {
        map.remove("nullable");
    }
}

/// No schema that a `$ref` points to may require itself: the least fixpoint of "has a
/// finite instance" over the `$ref` targets, from none, must reach every target that can.
fn cycles(document: &Value, targets: &BTreeSet<String>) -> Result<(), SpecError> {
    let mut finite: BTreeMap<String, bool> = targets
        .iter()
        .map(|target| (target.clone(), false))
        .collect();
    loop {
        let mut changed = false;
        for target in targets {
            if finite[target] {
                continue;
            }
            let schema = document.pointer(target).unwrap_or(&Value::Bool(true));
            if has_instance(schema, &finite) {
                finite.insert(target.clone(), true);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let Some(start) = finite.iter().find(|(_, ok)| !**ok).map(|(t, _)| t.clone()) else {
        return Ok(());
    };
    // Follow the `$ref`s that keep each schema from an instance until one repeats.
    let mut chain: Vec<(String, String)> = Vec::new();
    let mut current = start;
    loop {
        let schema = document.pointer(&current).unwrap_or(&Value::Bool(true));
        let Some((at, next)) = blocker(schema, &current, &finite) else {
            break;
        };
        chain.push((current.clone(), at));
        if let Some(index) = chain.iter().position(|(schema, _)| *schema == next) {
            chain.drain(..index);
            break;
        }
        current = next;
    }
    let pointer = chain.first().map(|(_, at)| at.clone()).unwrap_or_default();
    let names: Vec<String> = chain
        .iter()
        .map(|(schema, _)| format!("`#{schema}`"))
        .chain(chain.first().map(|(schema, _)| format!("`#{schema}`")))
        .collect();
    Err(SpecError::new(
        SpecErrorKind::Cycle,
        pointer,
        format!(
            "the schema {} has no finite instance: {} (make a property optional, \
             nullable or an array that may be empty)",
            names.first().cloned().unwrap_or_default(),
            names.join(" requires "),
        ),
    ))
}

/// The JSON pointer a local `$ref` names (its fragment, percent-decoded).
pub(crate) fn target_of(reference: &str) -> Option<String> {
    reference.strip_prefix('#').and_then(percent_decode)
}

/// The types a schema names (`type: x` or `type: [x, y]`); `None` if it names none.
fn types(map: &Map<String, Value>) -> Option<Vec<&str>> {
    match map.get("type")? {
        Value::String(name) => Some(vec![name.as_str()]),
        Value::Array(names) => Some(names.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
}

/// Whether `schema` has a finite instance, given which `$ref` targets are known to.
fn has_instance(schema: &Value, finite: &BTreeMap<String, bool>) -> bool {
    blocker_or_ok(schema, "", finite, false).is_none()
}

/// The `$ref` (its pointer, and its target) that keeps `schema` from a finite instance.
fn blocker(
    schema: &Value,
    pointer: &str,
    finite: &BTreeMap<String, bool>,
) -> Option<(String, String)> {
    blocker_or_ok(schema, pointer, finite, true)
}

/// `None` if `schema` has a finite instance; else `Some`, naming (when `name` is set) the
/// `$ref` on the way: one rule for both questions, so that they cannot disagree.
fn blocker_or_ok(
    schema: &Value,
    pointer: &str,
    finite: &BTreeMap<String, bool>,
    name: bool,
) -> Option<(String, String)> {
    let Value::Object(map) = schema else {
        // `true`, and `false` (which is unsatisfiable, but not for a cycle).
        return None;
    };
    // `key`: tokens already escaped.
    let at = |key: &str| {
        if name {
            format!("{pointer}/{key}")
        } else {
            String::new()
        }
    };
    if let Some(target) = map.get("$ref").and_then(Value::as_str).and_then(target_of) {
        if !finite.get(&target).copied().unwrap_or(true) {
            return Some((at("$ref"), target));
        }
    }
    for (index, member) in map
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let found = blocker_or_ok(member, &at(&format!("allOf/{index}")), finite, name);
        if found.is_some() {
            return found;
        }
    }
    for key in ["anyOf", "oneOf"] {
        let Some(members) = map.get(key).and_then(Value::as_array) else {
            continue;
        };
        let mut first = None;
        let mut any = members.is_empty();
        for (index, member) in members.iter().enumerate() {
            match blocker_or_ok(member, &at(&format!("{key}/{index}")), finite, name) {
                None => {
                    any = true;
                    break;
                }
                Some(found) => {
                    first.get_or_insert(found);
                }
            }
        }
        if !any {
            return first;
        }
    }
    let types = types(map);
    let names = |wanted: &str| types.as_ref().is_some_and(|types| types.contains(&wanted));
    if types
        .as_ref()
        .is_some_and(|types| types.iter().any(|t| !matches!(*t, "object" | "array")))
    {
        // A scalar (or `null`) instance escapes the object's and the array's obligations.
        return None;
    }
    let object = names("object")
        || (types.is_none() && (map.contains_key("properties") || map.contains_key("required")));
    let array = names("array")
        || (types.is_none()
            && (map.contains_key("items")
                || map.contains_key("minItems")
                || map.contains_key("prefixItems")));
    let object_blocker = object.then(|| {
        let properties = map.get("properties");
        map.get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .find_map(|property| {
                let schema = properties?.get(property)?;
                blocker_or_ok(
                    schema,
                    &at(&format!("properties/{}", escape(property))),
                    finite,
                    name,
                )
            })
    });
    let array_blocker = array.then(|| {
        let min = map.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        let prefix = map
            .get("prefixItems")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let from_prefix = prefix
            .iter()
            .take(usize::try_from(min).unwrap_or(usize::MAX))
            .enumerate()
            .find_map(|(index, item)| {
                blocker_or_ok(item, &at(&format!("prefixItems/{index}")), finite, name)
            });
        from_prefix.or_else(|| {
            if min > prefix.len() as u64 {
                map.get("items")
                    .filter(|items| items.is_object())
                    .and_then(|items| blocker_or_ok(items, &at("items"), finite, name))
            } else {
                None
            }
        })
    });
    match (object_blocker, array_blocker) {
        // `type: [object, array]`: either shape will do.
        (Some(None), _) | (_, Some(None)) => None,
        (Some(found), _) | (None, Some(found)) => found,
        (None, None) => None,
    }
}
