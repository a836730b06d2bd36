//! An OpenAPI document as a checker: its operations, their path templates and parameters,
//! and the JSON Schemas of their bodies and answers, compiled into validators whose `$ref`s
//! resolve against the document's components.
//!
//! The fake server and the conformance checker read a document through [`Spec`]; tests can
//! use the same rules to check what a client sends or a server answers:
//!
//! ```
//! use askui_openapi::Spec;
//! use serde_json::json;
//!
//! let spec = Spec::from_str(r##"{
//!   "openapi": "3.1.0",
//!   "info": {"title": "Billing", "version": "1"},
//!   "paths": {"/workspaces/{workspace_id}/portal-session": {"post": {
//!     "parameters": [{"name": "workspace_id", "in": "path", "required": true,
//!                     "schema": {"type": "string"}}],
//!     "requestBody": {"required": true, "content": {"application/json": {
//!       "schema": {"$ref": "#/components/schemas/PortalRequest"}}}},
//!     "responses": {"200": {"description": "the session"}}}}},
//!   "components": {"schemas": {"PortalRequest": {"type": "object",
//!     "properties": {"returnUrl": {"type": "string", "format": "uri"}},
//!     "required": ["returnUrl"]}}}
//! }"##)?;
//! let operation = spec
//!     .operation("POST", "/workspaces/{workspace_id}/portal-session")
//!     .expect("a documented operation");
//! let values = operation
//!     .match_path("/workspaces/abc/portal-session")
//!     .expect("the operation's shape");
//! assert_eq!(values, [("workspace_id".to_owned(), "abc".to_owned())]);
//! let body = &operation.body().expect("a body").schema().value;
//! assert!(spec.check(body, &json!({"returnUrl": "https://app.example/"})).is_ok());
//! assert!(spec.check(body, &json!({"returnUrl": "not a url"})).is_err());
//! # Ok::<(), askui_openapi::SpecError>(())
//! ```
//!
//! The rules are FastAPI's and pydantic's, common among servers: a `{param}` never
//! matches an empty segment, a parameter named by [`Spec::rest_of_path`] takes the rest of
//! the path, a query value is converted to the type its schema names as pydantic's lax mode
//! does, and the formats `uuid4` and `uri` are checked as pydantic checks them.

use std::fmt;
use std::sync::{Arc, OnceLock};

use axum::http::Method;
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// An OpenAPI 3.0 or 3.1 document, read into its operations: made by [`Spec::from_str`],
/// [`Spec::from_path`] or [`Spec::from_value`].
pub struct Spec {
    document: Value,
    /// `{"components": …}` of the document: the root every schema is compiled under.
    components: Arc<Value>,
    pub(crate) operations: Vec<Operation>,
}

/// One operation of the document: a method on a path template.
pub struct Operation {
    pub(crate) id: String,
    pub(crate) method: Method,
    pub(crate) template: String,
    segments: Vec<Segment>,
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) body: Option<RequestBody>,
    /// The operation object as the document writes it.
    object: Value,
    /// The security requirements: the operation's own, else the document's.
    security: Vec<Value>,
}

enum Segment {
    Literal(String),
    Param(String),
    Rest(String),
}

/// Where a parameter is sent (cookie parameters are not read: see the fake's limits).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum Location {
    /// A `{name}` segment of the path.
    Path,
    /// A query parameter.
    Query,
    /// A request header.
    Header,
}

impl Location {
    /// `path`, `query` or `header`, as the document writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        }
    }
}

/// A path, query or header parameter of an operation.
#[derive(Debug)]
pub struct Parameter {
    pub(crate) name: String,
    pub(crate) location: Location,
    pub(crate) required: bool,
    pub(crate) schema: Schema,
}

/// The request body an operation declares (its first media type).
#[derive(Debug)]
pub struct RequestBody {
    pub(crate) media_type: String,
    pub(crate) required: bool,
    pub(crate) schema: Schema,
}

/// A schema of the document with its validator, built on first use (building all of them
/// up front would make every test that starts a server pay for operations it never calls).
pub struct Schema {
    /// The schema as the document writes it (`$ref`s unresolved).
    pub value: Value,
    components: Arc<Value>,
    validator: OnceLock<Option<jsonschema::Validator>>,
}

impl fmt::Debug for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Spec")
            .field("operations", &self.operations)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("id", &self.id)
            .field("method", &self.method)
            .field("template", &self.template)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Schema")
            .field("value", &self.value)
            .finish_non_exhaustive()
    }
}

impl Schema {
    fn new(value: Value, components: &Arc<Value>) -> Schema {
        Schema {
            value,
            components: Arc::clone(components),
            validator: OnceLock::new(),
        }
    }

    /// The compiled schema; `None` only if the document's schema cannot be compiled, which
    /// the fake's tests rule out for its own document.
    pub fn validator(&self) -> Option<&jsonschema::Validator> {
        self.validator
            .get_or_init(|| compile(&self.components, &self.value))
            .as_ref()
    }

    /// Why `instance` is invalid under the schema: one message per problem, none if valid.
    pub fn errors(&self, instance: &Value) -> Vec<String> {
        match self.validator() {
            Some(validator) => messages(validator, instance),
            None => vec![not_a_schema(&self.value)],
        }
    }

    /// Whether the schema (or one branch of its `anyOf`/`oneOf`) is an array.
    pub fn is_array(&self) -> bool {
        branches(&self.value).any(|branch| branch["type"] == "array")
    }

    /// The schema of the items, for an array schema.
    pub fn items(&self) -> Option<&Value> {
        branches(&self.value)
            .find(|branch| branch["type"] == "array")
            .map(|branch| &branch["items"])
    }
}

/// A schema's alternatives: the `anyOf`/`oneOf` members, or the schema itself.
pub fn branches(schema: &Value) -> impl Iterator<Item = &Value> {
    let members = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array);
    let own = members.is_none().then_some(schema);
    members.into_iter().flatten().chain(own)
}

/// A validator for `schema` with `root`'s components beside it, so that its `$ref`s
/// (`#/components/schemas/…`) resolve.
fn compile(root: &Value, schema: &Value) -> Option<jsonschema::Validator> {
    let mut root = root.as_object().cloned().unwrap_or_default();
    match schema {
        Value::Object(map) => root.extend(map.clone()),
        Value::Bool(true) => {}
        _ => return None,
    }
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        // Not a registered format, but what the document uses for ids.
        .with_format("uuid4", |value: &str| {
            Uuid::parse_str(value).is_ok_and(|id| id.get_version_num() == 4)
        })
        // Pydantic's `AnyUrl` is the WHATWG parser's leniency (a space is encoded, not an
        // error), not RFC 3986's strictness.
        .with_format("uri", |value: &str| url::Url::parse(value).is_ok())
        .build(&Value::Object(root))
        .ok()
}

fn messages(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|error| format!("{error} at {}", error.instance_path()))
        .collect()
}

fn not_a_schema(schema: &Value) -> String {
    format!("not a schema of the document: {schema}")
}

/// What routing a request found.
#[derive(Debug)]
#[non_exhaustive]
pub enum Route<'a> {
    /// The operation, and its path parameters' values.
    Found(&'a Operation, Vec<(String, String)>),
    /// The path exists, with these methods only.
    MethodNotAllowed(Vec<&'a Method>),
    /// No operation has this path.
    NotFound,
}

impl Spec {
    /// The operations of a document that [`Spec::from_value`] has checked and normalised.
    pub(crate) fn build(document: Value) -> Spec {
        let components = Arc::new(json!({ "components": document["components"] }));
        let mut operations = Vec::new();
        for (template, item) in document["paths"].as_object().into_iter().flatten() {
            let shared = item["parameters"].as_array().map_or(&[][..], Vec::as_slice);
            for (method, operation) in item.as_object().into_iter().flatten() {
                // A path item's other keys (`parameters`, `summary`, …) are not operations.
                if !crate::load::METHODS.contains(&method.as_str()) {
                    continue;
                }
                let Ok(method) = method.to_ascii_uppercase().parse::<Method>() else {
                    continue;
                };
                operations.push(Operation::parse(
                    &document,
                    &components,
                    template,
                    method,
                    operation,
                    shared,
                ));
            }
        }
        Spec {
            document,
            components,
            operations,
        }
    }

    /// Path parameters that take the rest of the path, slashes included (`{file_path}`
    /// matching `a/b/c.pdf`), which OpenAPI cannot say: its `{name}` is one segment.
    pub fn rest_of_path<'a>(mut self, names: impl IntoIterator<Item = &'a str>) -> Spec {
        let names: Vec<&str> = names.into_iter().collect();
        for operation in &mut self.operations {
            for segment in &mut operation.segments {
                if let Segment::Param(name) = segment {
                    if names.contains(&name.as_str()) {
                        *segment = Segment::Rest(std::mem::take(name));
                    }
                }
            }
        }
        self
    }

    /// The document.
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// Every operation, in the document's order.
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// The operation `method` (any case) on the path `template`, as the document writes it.
    pub fn operation(&self, method: &str, template: &str) -> Option<&Operation> {
        self.operations.iter().find(|operation| {
            operation.template == template && operation.method.as_str().eq_ignore_ascii_case(method)
        })
    }

    /// Starlette's routing: the first route whose path and method match; a path that matches
    /// only with other methods is a 405. Literal segments win over parameters, so
    /// `POST /access-tokens/lookup` is never `{token_id}`. A `HEAD` request is routed to the
    /// `GET` operation where the document has no `HEAD` one (RFC 9110 section 9.3.2; Starlette
    /// does the same), and `HEAD` is then among the allowed methods.
    pub fn route(&self, method: &Method, path: &str) -> Route<'_> {
        let mut matched: Vec<(&Operation, Vec<(String, String)>)> = self
            .operations
            .iter()
            .filter_map(|operation| Some((operation, operation.match_path(path)?)))
            .collect();
        matched.sort_by_key(|(operation, _)| std::cmp::Reverse(operation.literal_segments()));
        let position = |wanted: &Method| matched.iter().position(|(op, _)| op.method == *wanted);
        let found = position(method).or_else(|| {
            (*method == Method::HEAD)
                .then(|| position(&Method::GET))
                .flatten()
        });
        if let Some(index) = found {
            let (operation, values) = matched.swap_remove(index);
            return Route::Found(operation, values);
        }
        // Two templates can match one path (`/a/{x}` and `/a/b`): each method once.
        let mut allowed: Vec<&Method> = Vec::new();
        for (operation, _) in &matched {
            if !allowed.contains(&&operation.method) {
                allowed.push(&operation.method);
            }
        }
        if allowed.contains(&&Method::GET) && !allowed.contains(&&Method::HEAD) {
            static HEAD: Method = Method::HEAD;
            allowed.push(&HEAD);
        }
        if allowed.is_empty() {
            Route::NotFound
        } else {
            Route::MethodNotAllowed(allowed)
        }
    }

    /// The component schema `name` (e.g. `"Agent"`).
    pub fn schema(&self, name: &str) -> Option<&Value> {
        self.document["components"]["schemas"].get(name)
    }

    /// `schema` with its local `$ref`s followed, as often as they chain.
    pub fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        follow_refs(&self.document, schema)
    }

    /// A validator for `schema`, its `$ref`s resolved against the document's components;
    /// `None` if it is not a schema (`true` is one: it accepts anything).
    pub fn validator(&self, schema: &Value) -> Option<jsonschema::Validator> {
        compile(&self.components, schema)
    }

    /// `schema` (whose `$ref`s point into the document's components) with its validator,
    /// built on first use.
    pub fn compile(&self, schema: Value) -> Schema {
        Schema::new(schema, &self.components)
    }

    /// Whether `instance` is valid under `schema` (whose `$ref`s point into the document's
    /// components), and if not, why: one message per problem.
    pub fn check(&self, schema: &Value, instance: &Value) -> Result<(), Vec<String>> {
        let problems = match self.validator(schema) {
            Some(validator) => messages(&validator, instance),
            None => vec![not_a_schema(schema)],
        };
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The JSON object a `multipart/form-data` body stands for, to check against the body's
    /// `schema`: a text part (`Some(text)`) is its text, a file part (`None`) an empty string
    /// (the schema says `format: binary`), and a property the schema declares as an array
    /// collects every part of that name.
    pub fn multipart_instance<'a>(
        &self,
        schema: &Value,
        parts: impl IntoIterator<Item = (&'a str, Option<String>)>,
    ) -> Value {
        let resolved = self.resolve(schema);
        let mut object = Map::new();
        for (name, text) in parts {
            let value = json!(text.unwrap_or_default());
            let is_array = branches(&resolved["properties"][name]).any(|b| b["type"] == "array");
            match object.get_mut(name) {
                Some(Value::Array(values)) if is_array => values.push(value),
                _ if is_array => {
                    object.insert(name.to_owned(), json!([value]));
                }
                _ => {
                    object.insert(name.to_owned(), value);
                }
            }
        }
        Value::Object(object)
    }

    /// Everything in which an answer departs from `operation`'s documented responses: an
    /// undocumented status or content type, a body where none is documented, a body invalid
    /// under the documented schema, or (where only an example is documented) a body without
    /// the example's shape.
    pub fn response_problems(
        &self,
        operation: &Operation,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Vec<String> {
        let Some(response) = operation.response(status) else {
            return vec![format!("status {status} is not documented")];
        };
        let Some(content) = response["content"].as_object() else {
            return if body.is_empty() {
                vec![]
            } else {
                vec!["a body where none is documented".into()]
            };
        };
        let media_type = content_type.map(essence);
        let Some(media) = media_type.and_then(|media_type| content.get(&media_type)) else {
            return vec![format!(
                "content type {content_type:?} is not documented for {status}"
            )];
        };
        let json: Value = match serde_json::from_slice(body) {
            Ok(json) => json,
            Err(error) => return vec![format!("body is not JSON: {error}")],
        };
        match (media.get("schema"), media.get("example")) {
            (Some(schema), _) => self.check(schema, &json).err().unwrap_or_default(),
            // Only an example: the answer must have the example's shape.
            (None, Some(example)) => same_shape(example, &json),
            (None, None) => vec![],
        }
    }
}

/// Whether `actual` has the keys and value types of `example` (recursively, lists by their
/// first item).
fn same_shape(example: &Value, actual: &Value) -> Vec<String> {
    match (example, actual) {
        (Value::Object(expected), Value::Object(actual)) => expected
            .iter()
            .flat_map(|(key, value)| match actual.get(key) {
                Some(actual) => same_shape(value, actual),
                None => vec![format!("missing `{key}`")],
            })
            .collect(),
        (Value::Array(expected), Value::Array(actual)) => {
            match (expected.first(), actual.is_empty()) {
                (Some(first), false) => actual
                    .iter()
                    .flat_map(|item| same_shape(first, item))
                    .collect(),
                _ => vec![],
            }
        }
        (Value::String(_), Value::String(_))
        | (Value::Number(_), Value::Number(_))
        | (Value::Bool(_), Value::Bool(_)) => vec![],
        _ => vec![format!("{actual} does not have the shape of {example}")],
    }
}

impl Operation {
    fn parse(
        document: &Value,
        components: &Arc<Value>,
        template: &str,
        method: Method,
        operation: &Value,
        shared: &[Value],
    ) -> Operation {
        let segments = template
            .split('/')
            .map(|segment| {
                match segment
                    .strip_prefix('{')
                    .and_then(|rest| rest.strip_suffix('}'))
                {
                    Some(name) => Segment::Param(name.to_owned()),
                    None => Segment::Literal(segment.to_owned()),
                }
            })
            .collect();
        // The path item's parameters, unless the operation declares one of the same name
        // and location.
        let own = operation["parameters"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        let overridden = |parameter: &Value| {
            own.iter()
                .any(|own| own["name"] == parameter["name"] && own["in"] == parameter["in"])
        };
        let parameters = shared
            .iter()
            .filter(|parameter| !overridden(parameter))
            .chain(own)
            .filter_map(|parameter| {
                let location = match parameter["in"].as_str()? {
                    "path" => Location::Path,
                    "query" => Location::Query,
                    "header" => Location::Header,
                    _ => return None,
                };
                Some(Parameter {
                    name: parameter["name"].as_str()?.to_owned(),
                    location,
                    required: parameter["required"] == true,
                    schema: Schema::new(parameter["schema"].clone(), components),
                })
            })
            .collect();
        let body = operation["requestBody"]["content"]
            .as_object()
            .and_then(|content| content.iter().next())
            .map(|(media_type, media)| RequestBody {
                media_type: media_type.clone(),
                required: operation["requestBody"]["required"] == true,
                schema: Schema::new(media["schema"].clone(), components),
            });
        let security = operation
            .get("security")
            .or_else(|| document.get("security"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        Operation {
            id: operation["operationId"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            method,
            template: template.to_owned(),
            segments,
            parameters,
            body,
            object: operation.clone(),
            security,
        }
    }

    /// The `operationId`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The method, upper case (`GET`).
    pub fn method(&self) -> &str {
        self.method.as_str()
    }

    /// The path template, as the document writes it (`/api/v1/agents/{agent_id}`).
    pub fn template(&self) -> &str {
        &self.template
    }

    /// The operation object, as the document writes it.
    pub fn object(&self) -> &Value {
        &self.object
    }

    /// The path, query and header parameters.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// The parameter `name` sent in `location`.
    pub fn parameter(&self, location: Location, name: &str) -> Option<&Parameter> {
        self.parameters
            .iter()
            .find(|parameter| parameter.location == location && parameter.name == name)
    }

    /// The request body, if the operation takes one.
    pub fn body(&self) -> Option<&RequestBody> {
        self.body.as_ref()
    }

    /// The security requirements (the operation's own, else the document's); any one of
    /// them met is enough.
    pub fn security(&self) -> &[Value] {
        &self.security
    }

    /// Whether any credential is required.
    pub fn secured(&self) -> bool {
        !self.security.is_empty()
    }

    /// The path parameters' values if `path` (percent-decoded, as Starlette routes it) has
    /// this operation's shape. A `{param}` never matches an empty segment; one named by
    /// [`Spec::rest_of_path`] takes the rest of the path, slashes included.
    pub fn match_path(&self, path: &str) -> Option<Vec<(String, String)>> {
        let path: Vec<&str> = path.split('/').collect();
        let mut values = Vec::new();
        for (index, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Literal(literal) => {
                    if path.get(index) != Some(&literal.as_str()) {
                        return None;
                    }
                }
                Segment::Param(name) => match path.get(index) {
                    Some(value) if !value.is_empty() => {
                        values.push((name.clone(), (*value).to_owned()))
                    }
                    _ => return None,
                },
                Segment::Rest(name) => {
                    let rest = path.get(index..)?.join("/");
                    if rest.is_empty() {
                        return None;
                    }
                    values.push((name.clone(), rest));
                    return Some(values);
                }
            }
        }
        (path.len() == self.segments.len()).then_some(values)
    }

    /// The `{name}`s of the path template, in order.
    pub fn template_parameters(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|segment| match segment {
            Segment::Param(name) | Segment::Rest(name) => Some(name.as_str()),
            Segment::Literal(_) => None,
        })
    }

    fn literal_segments(&self) -> usize {
        self.segments
            .iter()
            .filter(|segment| matches!(segment, Segment::Literal(_)))
            .count()
    }

    /// The documented response for `status`, as the document writes it.
    pub fn response(&self, status: u16) -> Option<&Value> {
        self.object["responses"].get(status.to_string())
    }

    /// The documented JSON example answer for `status`, if the document gives one.
    pub fn example(&self, status: u16) -> Option<&Value> {
        self.response(status)
            .and_then(|response| response["content"]["application/json"].get("example"))
    }
}

impl Parameter {
    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where it is sent.
    pub fn location(&self) -> Location {
        self.location
    }

    /// Whether a request must send it.
    pub fn required(&self) -> bool {
        self.required
    }

    /// Its schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The JSON the parameter's sent texts stand for, as FastAPI reads them: a list for an
    /// array schema, else the last of repeated values, each converted to the type its
    /// schema names ([`coerce`]). `raw` is not empty.
    pub fn value(&self, raw: &[&str]) -> Value {
        if self.schema.is_array() {
            let items = self.schema.items().cloned().unwrap_or_default();
            Value::Array(raw.iter().map(|value| coerce(&items, value)).collect())
        } else {
            coerce(&self.schema.value, raw.last().copied().unwrap_or_default())
        }
    }
}

impl RequestBody {
    /// The media type (`application/json`, `multipart/form-data`).
    pub fn media_type(&self) -> &str {
        &self.media_type
    }

    /// Whether a request must send it.
    pub fn required(&self) -> bool {
        self.required
    }

    /// Its schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }
}

/// Converts a parameter's text to the JSON type its schema expects, as pydantic's lax
/// mode does (`"5"` is `5` for an integer, `"yes"` is `true` for a boolean); what does not
/// convert, or is meant as a string, stays a string, and the schema check reports it.
pub fn coerce(schema: &Value, text: &str) -> Value {
    let types: Vec<&str> = branches(schema)
        .filter_map(|branch| branch["type"].as_str())
        .collect();
    if types.contains(&"integer") {
        if let Ok(number) = text.parse::<i64>() {
            return json!(number);
        }
    }
    if types.contains(&"number") {
        if let Ok(number) = text.parse::<f64>() {
            return json!(number);
        }
    }
    if types.contains(&"boolean") {
        match text.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" | "t" | "y" => return json!(true),
            "false" | "0" | "no" | "off" | "f" | "n" => return json!(false),
            _ => {}
        }
    }
    json!(text)
}

/// `value` with its local `$ref`s followed as the loader checked them (the fragment,
/// percent-decoded, as a JSON pointer into `document`), as often as they chain; at most 32
/// steps, so that a cycle of bare `$ref`s (which the loader refuses) cannot loop.
pub(crate) fn follow_refs<'a>(document: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let Some(target) = value["$ref"]
            .as_str()
            .and_then(crate::load::target_of)
            .and_then(|pointer| document.pointer(&pointer))
        else {
            break;
        };
        value = target;
    }
    value
}

/// A media type without its parameters, lower case: `Application/JSON; charset=utf-8` is
/// `application/json`. The one reading of a `Content-Type` for the checker and the fake.
pub(crate) fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}
