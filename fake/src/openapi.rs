//! The vendored OpenAPI document, read once into an operation table the server routes,
//! validates and answers with. Nothing here is specific to one operation.

use std::sync::{Arc, LazyLock, OnceLock};

use axum::http::Method;
use serde_json::{Map, Value};
use uuid::Uuid;

/// The AskUI Workspaces API 0.2.15, as published (`spec/` in the repository).
const DOCUMENT: &str = include_str!("../openapi.json");

/// Path parameters that take the rest of the path, slashes included. The document declares
/// `file_path` as a plain string, but its values are keys such as
/// `workspaces/<id>/inbox/a.pdf` (`spec/operations.md`, oddity 1).
const MULTI_SEGMENT_PARAMETERS: &[&str] = &["file_path"];

/// The parsed document, shared by every server of the process.
pub(crate) fn api() -> &'static Api {
    static API: LazyLock<Api> = LazyLock::new(|| Api::parse(DOCUMENT));
    &API
}

pub(crate) struct Api {
    pub(crate) document: Value,
    pub(crate) operations: Vec<Operation>,
}

pub(crate) struct Operation {
    pub(crate) id: String,
    pub(crate) method: Method,
    pub(crate) template: String,
    segments: Vec<Segment>,
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) body: Option<RequestBody>,
    /// The first documented 2xx status, and its JSON schema if it has content.
    pub(crate) success: (u16, Option<Value>),
    pub(crate) responses: Value,
    /// The generated success answer, made on first use.
    pub(crate) generated: OnceLock<Value>,
    /// Whether any credential is required (all but the two `auth` operations).
    pub(crate) secured: bool,
}

enum Segment {
    Literal(String),
    Param(String),
    Rest(String),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Location {
    Path,
    Query,
    Header,
}

impl Location {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        }
    }
}

pub(crate) struct Parameter {
    pub(crate) name: String,
    pub(crate) location: Location,
    pub(crate) required: bool,
    pub(crate) schema: Schema,
}

pub(crate) struct RequestBody {
    pub(crate) media_type: String,
    pub(crate) required: bool,
    pub(crate) schema: Schema,
}

/// A schema of the document with its validator, built on first use (building all of them
/// up front would make every test that starts a server pay for operations it never calls).
pub(crate) struct Schema {
    pub(crate) value: Value,
    validator: OnceLock<Option<Arc<jsonschema::Validator>>>,
}

impl Schema {
    fn new(value: Value) -> Schema {
        Schema {
            value,
            validator: OnceLock::new(),
        }
    }

    /// `None` only if the document's schema cannot be compiled, which a test rules out.
    pub(crate) fn validator(&self) -> Option<&jsonschema::Validator> {
        self.validator
            .get_or_init(|| api_validator(&self.value).map(Arc::new))
            .as_deref()
    }

    /// Whether the schema (or one branch of its `anyOf`) is an array.
    pub(crate) fn is_array(&self) -> bool {
        branches(&self.value).any(|branch| branch["type"] == "array")
    }

    /// The schema of the items, for an array schema.
    pub(crate) fn items(&self) -> Option<&Value> {
        branches(&self.value)
            .find(|branch| branch["type"] == "array")
            .map(|branch| &branch["items"])
    }
}

/// A schema's alternatives: the `anyOf`/`oneOf` members, or the schema itself.
pub(crate) fn branches(schema: &Value) -> impl Iterator<Item = &Value> {
    let members = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array);
    let own = members.is_none().then_some(schema);
    members.into_iter().flatten().chain(own)
}

/// A validator for `schema`, its `$ref`s resolved against the document's components.
pub(crate) fn api_validator(schema: &Value) -> Option<jsonschema::Validator> {
    let document = &api().document;
    let mut root = match schema {
        Value::Object(map) => map.clone(),
        Value::Bool(true) => Map::new(),
        _ => return None,
    };
    root.insert("components".into(), document["components"].clone());
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

/// What routing a request found.
pub(crate) enum Route<'a> {
    Found(&'a Operation, Vec<(String, String)>),
    /// The path exists, with these methods only.
    MethodNotAllowed(Vec<&'a Method>),
    NotFound,
}

impl Api {
    fn parse(text: &str) -> Api {
        // The document is compiled in; a test proves it parses, so an empty API can only be
        // the result of editing it badly, and then every request answers 404.
        let document: Value = serde_json::from_str(text).unwrap_or_default();
        let mut operations = Vec::new();
        for (template, item) in document["paths"].as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let Ok(method) = method.to_ascii_uppercase().parse::<Method>() else {
                    continue;
                };
                operations.push(Operation::parse(&document, template, method, operation));
            }
        }
        Api {
            document,
            operations,
        }
    }

    /// Starlette's routing: the first route whose path and method match; a path that matches
    /// only with other methods is a 405. Literal segments win over parameters, so
    /// `POST /access-tokens/lookup` is never `{token_id}`.
    pub(crate) fn route(&self, method: &Method, path: &str) -> Route<'_> {
        let segments: Vec<&str> = path.split('/').collect();
        let mut matched: Vec<(&Operation, Vec<(String, String)>)> = self
            .operations
            .iter()
            .filter_map(|operation| Some((operation, operation.matches(&segments)?)))
            .collect();
        matched.sort_by_key(|(operation, _)| std::cmp::Reverse(operation.literal_segments()));
        let allowed: Vec<&Method> = matched.iter().map(|(op, _)| &op.method).collect();
        match matched.iter().position(|(op, _)| op.method == *method) {
            Some(index) => {
                let (operation, values) = matched.swap_remove(index);
                Route::Found(operation, values)
            }
            None if allowed.is_empty() => Route::NotFound,
            None => Route::MethodNotAllowed(allowed),
        }
    }

    pub(crate) fn schema(&self, name: &str) -> Option<&Value> {
        self.document["components"]["schemas"].get(name)
    }
}

impl Operation {
    fn parse(document: &Value, template: &str, method: Method, operation: &Value) -> Operation {
        let segments = template
            .split('/')
            .map(|segment| {
                match segment
                    .strip_prefix('{')
                    .and_then(|rest| rest.strip_suffix('}'))
                {
                    Some(name) if MULTI_SEGMENT_PARAMETERS.contains(&name) => {
                        Segment::Rest(name.to_owned())
                    }
                    Some(name) => Segment::Param(name.to_owned()),
                    None => Segment::Literal(segment.to_owned()),
                }
            })
            .collect();
        let parameters = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
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
                    schema: Schema::new(parameter["schema"].clone()),
                })
            })
            .collect();
        let body = operation["requestBody"]["content"]
            .as_object()
            .and_then(|content| content.iter().next())
            .map(|(media_type, media)| RequestBody {
                media_type: media_type.clone(),
                required: operation["requestBody"]["required"] == true,
                schema: Schema::new(media["schema"].clone()),
            });
        let success = operation["responses"]
            .as_object()
            .into_iter()
            .flatten()
            .find(|(status, _)| status.starts_with('2'))
            .map(|(status, response)| {
                (
                    status.parse().unwrap_or(200),
                    response["content"]["application/json"]
                        .get("schema")
                        .cloned(),
                )
            })
            .unwrap_or((200, None));
        let security = operation
            .get("security")
            .or_else(|| document.get("security"));
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
            success,
            responses: operation["responses"].clone(),
            generated: OnceLock::new(),
            secured: security
                .and_then(Value::as_array)
                .is_some_and(|requirements| !requirements.is_empty()),
        }
    }

    /// The path parameters' raw (decoded) values if `path` has this operation's shape.
    fn matches(&self, path: &[&str]) -> Option<Vec<(String, String)>> {
        let mut values = Vec::new();
        for (index, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Literal(literal) => {
                    if path.get(index) != Some(&literal.as_str()) {
                        return None;
                    }
                }
                // Starlette's `{param}` never matches an empty segment.
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

    fn literal_segments(&self) -> usize {
        self.segments
            .iter()
            .filter(|segment| matches!(segment, Segment::Literal(_)))
            .count()
    }

    /// The documented answer for `status`: its JSON schema, or its example when it has only
    /// that (the list-shaped `detail` of oddity 11c).
    pub(crate) fn response(&self, status: u16) -> Option<&Value> {
        self.responses.get(status.to_string())
    }

    /// Whether this operation documents its 422 as `{"detail": "<string>"}` rather than
    /// FastAPI's `HTTPValidationError` (`PUT /files/…` and `POST /tools/extract-data`).
    pub(crate) fn validation_detail_is_a_string(&self) -> bool {
        self.response(422)
            .and_then(|response| response["content"]["application/json"]["schema"]["$ref"].as_str())
            .is_some_and(|reference| reference.ends_with("/StringErrorResponse"))
    }

    /// The documented example answer for `status`, if the document gives one.
    pub(crate) fn example(&self, status: u16) -> Option<&Value> {
        self.response(status)
            .and_then(|response| response["content"]["application/json"].get("example"))
    }
}
