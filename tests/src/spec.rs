//! The vendored OpenAPI documents (`spec/`) as a checker: whether a request the client sent,
//! or an answer a server gave, departs from the operation it belongs to. Used by the
//! conformance test and by every wire test of `askui-workspaces`.

use std::path::Path;

use askui_runtime::{Endpoint, PathPiece, QueryParam};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::Recorded;

/// An OpenAPI document of `spec/`, and the checks of requests and answers against it.
pub struct Spec {
    pub document: Value,
}

impl Spec {
    pub fn seed() -> Spec {
        let text = std::fs::read_to_string(spec_dir().join("customer-portal-session.openapi.yaml"))
            .unwrap();
        Spec {
            document: serde_norway::from_str(&text).unwrap(),
        }
    }

    pub fn full() -> Spec {
        let text = std::fs::read_to_string(spec_dir().join("askui-workspaces-0.2.15.openapi.json"))
            .unwrap();
        Spec {
            document: serde_json::from_str(&text).unwrap(),
        }
    }

    pub fn operation(&self, endpoint: &Endpoint) -> &Value {
        let operation = &self.document["paths"][endpoint.path_template()]
            [endpoint.method().as_str().to_lowercase()];
        assert!(
            operation.is_object(),
            "the document has no operation {endpoint}"
        );
        operation
    }

    /// A validator for a schema of this document: `$ref`s resolve against its components.
    pub fn validator(&self, schema: &Value) -> jsonschema::Validator {
        let mut root = schema.as_object().cloned().unwrap_or_default();
        root.insert("components".into(), self.document["components"].clone());
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            // Not a registered format, but what the document uses for ids.
            .with_format("uuid4", |value: &str| {
                Uuid::parse_str(value).is_ok_and(|id| id.get_version_num() == 4)
            })
            .build(&Value::Object(root))
            .unwrap()
    }

    pub fn schema_errors(&self, schema: &Value, instance: &Value) -> Vec<String> {
        self.validator(schema)
            .iter_errors(instance)
            .map(|error| format!("{error} at {}", error.instance_path()))
            .collect()
    }

    /// Everything in which a request the client sent departs from the operation.
    pub fn request_problems(&self, endpoint: &Endpoint, request: &Recorded) -> Vec<String> {
        let operation = self.operation(endpoint);
        let mut problems = Vec::new();
        if request.method != endpoint.method().as_str() {
            problems.push(format!(
                "method {} instead of {}",
                request.method,
                endpoint.method()
            ));
        }
        let (path, query) = request
            .target
            .split_once('?')
            .unwrap_or((&request.target, ""));
        let parameters = operation["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut sent_query: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        sent_query.sort();
        let mut keys: Vec<&String> = sent_query.iter().map(|(key, _)| key).collect();
        keys.dedup();
        for key in keys {
            let values: Vec<Value> = sent_query
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| query_value(v))
                .collect();
            let Some(declared) = parameters
                .iter()
                .find(|p| p["in"] == "query" && p["name"] == key.as_str())
            else {
                problems.push(format!("query parameter `{key}` is not declared"));
                continue;
            };
            let schema = &declared["schema"];
            let instance = if is_array_schema(schema) {
                Value::Array(values)
            } else if values.len() == 1 {
                values.into_iter().next().unwrap_or_default()
            } else {
                problems.push(format!(
                    "query parameter `{key}` is repeated but not an array"
                ));
                continue;
            };
            problems.extend(
                self.schema_errors(schema, &instance)
                    .into_iter()
                    .map(|e| format!("query parameter `{key}`: {e}")),
            );
        }
        let template: Vec<&str> = endpoint.path_template().split('/').collect();
        let mut sent: Vec<String> = path.split('/').map(percent_decode).collect();
        // A multi-segment parameter takes the rest of the path, slashes included.
        if matches!(endpoint.path().last(), Some(PathPiece::Rest(_))) && sent.len() > template.len()
        {
            let rest = sent.split_off(template.len() - 1).join("/");
            sent.push(rest);
        }
        if template.len() != sent.len() {
            problems.push(format!(
                "path `{path}` does not have the shape of `{}`",
                endpoint.path_template()
            ));
        }
        for (expected, actual) in template.iter().zip(&sent) {
            match expected
                .strip_prefix('{')
                .and_then(|name| name.strip_suffix('}'))
            {
                Some(name) => {
                    let declared = parameters
                        .iter()
                        .find(|p| p["in"] == "path" && p["name"] == name);
                    let Some(declared) = declared else {
                        problems.push(format!("path parameter `{name}` is not declared"));
                        continue;
                    };
                    problems.extend(
                        self.schema_errors(&declared["schema"], &json!(actual))
                            .into_iter()
                            .map(|e| format!("path parameter `{name}`: {e}")),
                    );
                }
                None if *expected != actual.as_str() => {
                    problems.push(format!("path segment `{actual}` instead of `{expected}`"))
                }
                None => {}
            }
        }
        for parameter in &parameters {
            let sent = match parameter["in"].as_str() {
                Some("query") => sent_query.iter().any(|(key, _)| *key == parameter["name"]),
                Some("header") => parameter["name"]
                    .as_str()
                    .is_some_and(|name| request.header(name).is_some()),
                _ => true,
            };
            if parameter["required"] == true && !sent {
                problems.push(format!(
                    "required {} parameter `{}` not sent",
                    parameter["in"], parameter["name"]
                ));
            }
        }

        let content_type = request
            .header("content-type")
            .map(|ct| ct.split(';').next().unwrap_or("").trim());
        match operation.get("requestBody") {
            Some(body) => {
                match content_type.and_then(|ct| body["content"].get(ct).map(|media| (ct, media))) {
                    Some(("application/json", media)) => {
                        match serde_json::from_slice::<Value>(&request.body) {
                            Ok(json) => problems.extend(
                                self.schema_errors(&media["schema"], &json)
                                    .into_iter()
                                    .map(|e| format!("body: {e}")),
                            ),
                            Err(error) => problems.push(format!("body is not JSON: {error}")),
                        }
                    }
                    Some(("multipart/form-data", media)) => {
                        let schema = self.resolve(&media["schema"]);
                        let parts = request.multipart();
                        for part in &parts {
                            if schema["properties"].get(&part.name).is_none() {
                                problems.push(format!(
                                    "multipart part `{}` is not declared",
                                    part.name
                                ));
                            }
                        }
                        for required in schema["required"].as_array().into_iter().flatten() {
                            if !parts.iter().any(|part| *required == part.name.as_str()) {
                                problems
                                    .push(format!("required multipart part {required} not sent"));
                            }
                        }
                    }
                    Some((other, _)) => problems.push(format!("unchecked content type {other}")),
                    None if request.body.is_empty() && body["required"] != true => {}
                    None => problems.push(format!(
                        "content type {content_type:?} is not one the operation accepts"
                    )),
                }
            }
            None if !request.body.is_empty() => {
                problems.push("a body was sent, but the operation takes none".into())
            }
            None => {}
        }

        if let Some(accept) = request.header("accept") {
            let produces: Vec<&str> = operation["responses"]
                .as_object()
                .into_iter()
                .flat_map(|responses| responses.values())
                .filter_map(|response| response["content"].as_object())
                .flat_map(|content| content.keys().map(String::as_str))
                .collect();
            if !produces.iter().any(|media| accept.contains(media)) {
                problems.push(format!("Accept `{accept}` matches none of {produces:?}"));
            }
        }

        if !self.security_satisfied(operation, request) {
            problems.push(format!(
                "no security requirement of {} is met",
                operation["security"]
            ));
        }
        problems
    }

    /// A `$ref` to a component schema, followed.
    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            Some(name) => &self.document["components"]["schemas"][name],
            None => schema,
        }
    }

    /// Everything in which a declaration (its `Endpoint`) departs from the operation: query
    /// parameters, headers and the body kind, before any request is sent.
    pub fn declaration_problems(&self, endpoint: &Endpoint) -> Vec<String> {
        let operation = self.operation(endpoint);
        let parameters = operation["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let declared = |place: &str| -> Vec<Value> {
            parameters
                .iter()
                .filter(|p| p["in"] == place)
                .cloned()
                .collect()
        };
        let mut problems = Vec::new();
        let flattened = endpoint
            .query()
            .iter()
            .any(|q| matches!(q, QueryParam::Flatten { .. }));
        for query in endpoint.query() {
            let QueryParam::Named { name, repeated } = *query else {
                continue;
            };
            match declared("query").iter().find(|p| p["name"] == name) {
                None => problems.push(format!("query parameter `{name}` is not in the document")),
                Some(parameter) if is_array_schema(&parameter["schema"]) != repeated => problems
                    .push(format!(
                        "query parameter `{name}`: repeated is {repeated}, the document says {}",
                        !repeated
                    )),
                Some(_) => {}
            }
        }
        if !flattened {
            for parameter in declared("query") {
                let name = parameter["name"].as_str().unwrap_or_default();
                if parameter["required"] == true
                    && !endpoint.query().iter().any(|q| q.name() == Some(name))
                {
                    problems.push(format!("required query parameter `{name}` is not declared"));
                }
            }
        }
        for header in endpoint.headers() {
            if !declared("header").iter().any(|p| {
                p["name"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(header))
            }) {
                problems.push(format!("header `{header}` is not in the document"));
            }
        }
        let accepted: Vec<&str> = operation["requestBody"]["content"]
            .as_object()
            .into_iter()
            .flat_map(|content| content.keys().map(String::as_str))
            .collect();
        match endpoint.body().content_type() {
            None if operation["requestBody"]["required"] == true => problems.push(format!(
                "no body, but the document requires one of {accepted:?}"
            )),
            None => {}
            Some(content_type) if !accepted.contains(&content_type) => problems.push(format!(
                "body {:?} ({content_type}), but the document accepts {accepted:?}",
                endpoint.body()
            )),
            Some(_) => {}
        }
        problems
    }

    pub fn security_satisfied(&self, operation: &Value, request: &Recorded) -> bool {
        let requirements = operation
            .get("security")
            .or_else(|| self.document.get("security"));
        let Some(requirements) = requirements
            .and_then(Value::as_array)
            .filter(|r| !r.is_empty())
        else {
            return true;
        };
        requirements.iter().any(|requirement| {
            requirement
                .as_object()
                .into_iter()
                .flatten()
                .all(|(name, _)| {
                    let scheme = &self.document["components"]["securitySchemes"][name];
                    match (
                        scheme["type"].as_str(),
                        scheme["scheme"].as_str(),
                        scheme["in"].as_str(),
                    ) {
                        (Some("http"), Some(http_scheme), _) => {
                            request.header("authorization").is_some_and(|value| {
                                value.split_once(' ').is_some_and(|(kind, credentials)| {
                                    kind.eq_ignore_ascii_case(http_scheme)
                                        && !credentials.is_empty()
                                })
                            })
                        }
                        (Some("apiKey"), _, Some("header")) => scheme["name"]
                            .as_str()
                            .and_then(|header| request.header(header))
                            .is_some_and(|value| !value.is_empty()),
                        _ => false,
                    }
                })
        })
    }

    /// Everything in which an answer departs from the operation's documented responses.
    pub fn response_problems(
        &self,
        endpoint: &Endpoint,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Vec<String> {
        let operation = self.operation(endpoint);
        let Some(response) = operation["responses"].get(status.to_string()) else {
            return vec![format!("status {status} is not documented")];
        };
        let Some(content) = response["content"].as_object() else {
            return if body.is_empty() {
                vec![]
            } else {
                vec!["a body where none is documented".into()]
            };
        };
        let media_type = content_type.map(|ct| ct.split(';').next().unwrap_or("").trim());
        let Some(media) = media_type.and_then(|media_type| content.get(media_type)) else {
            return vec![format!(
                "content type {content_type:?} is not documented for {status}"
            )];
        };
        let json: Value = match serde_json::from_slice(body) {
            Ok(json) => json,
            Err(error) => return vec![format!("body is not JSON: {error}")],
        };
        match (media.get("schema"), media.get("example")) {
            (Some(schema), _) => self.schema_errors(schema, &json),
            // Only an example: the answer must have the example's shape.
            (None, Some(example)) => same_shape(example, &json),
            (None, None) => vec![],
        }
    }
}

/// `{"type": "array"}`, also inside `anyOf` (a nullable array).
pub fn is_array_schema(schema: &Value) -> bool {
    schema["type"] == "array"
        || schema["anyOf"]
            .as_array()
            .is_some_and(|options| options.iter().any(is_array_schema))
}

/// A query value as JSON for the schema: numbers and booleans as such, else a string.
fn query_value(text: &str) -> Value {
    serde_json::from_str::<Value>(text)
        .ok()
        .filter(|value| value.is_number() || value.is_boolean())
        .unwrap_or_else(|| Value::String(text.to_owned()))
}

pub fn spec_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec"))
}

pub fn percent_decode(segment: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", segment.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
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

impl Spec {
    /// Fails the test, listing every problem, when `request` departs from `endpoint`'s
    /// operation in the full document.
    pub fn assert_request(&self, endpoint: &Endpoint, request: &Recorded) {
        let problems = self.request_problems(endpoint, request);
        assert!(
            problems.is_empty(),
            "{endpoint}: the request departs from the document: {problems:#?}\n{request:#?}"
        );
    }

    /// Fails the test when an answer the test server gave departs from the document.
    pub fn assert_answer(&self, endpoint: &Endpoint, status: u16, body: Option<&Value>) {
        let bytes = body.map(Value::to_string).unwrap_or_default();
        let content_type = body.map(|_| "application/json");
        let problems = self.response_problems(endpoint, status, content_type, bytes.as_bytes());
        assert!(
            problems.is_empty(),
            "{endpoint}: the test's {status} answer departs from the document: {problems:#?}"
        );
    }
}

/// Checks a request a wire test sent, and the answer its server gave, against the full
/// document (read once per test binary): what every `askui-workspaces` wire test asserts.
pub fn conforms(endpoint: &Endpoint, request: &Recorded, status: u16, answer: Option<&Value>) {
    static FULL: std::sync::LazyLock<Spec> = std::sync::LazyLock::new(Spec::full);
    FULL.assert_request(endpoint, request);
    FULL.assert_answer(endpoint, status, answer);
}
