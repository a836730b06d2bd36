//! The vendored OpenAPI documents (`spec/`) as a checker: whether a request the client sent,
//! or an answer a server gave, departs from the operation it belongs to. Used by the
//! conformance test and by every wire test of `askui-workspaces`.
//!
//! The rules of the document (operations, path templates, parameter decoding, schemas and
//! their formats, documented answers) are the fake's, `askui_fake::openapi`: the fake
//! validates requests by them, so the checker and the fake cannot disagree. What is added
//! here is what a client, not a server, must get right: nothing undeclared is sent, a
//! scalar is not repeated, `Accept` names a documented media type, and a credential of a
//! documented scheme is sent. Whether a declaration (`Endpoint`) matches its operation is
//! the public checker's question (`askui_openapi::Conformance`, through [`Spec::openapi`]).

use std::path::Path;

use askui_fake::openapi::{self, Location, Operation};
use askui_runtime::Endpoint;
use serde_json::Value;

use crate::Recorded;

/// An OpenAPI document of `spec/`, and the checks of requests and answers against it.
pub struct Spec {
    spec: openapi::Spec,
}

impl Spec {
    /// `spec/customer-portal-session.openapi.yaml`: the one operation the project began with.
    pub fn seed() -> Spec {
        Spec::load("customer-portal-session.openapi.yaml")
    }

    /// `spec/askui-workspaces-0.2.15.openapi.json`: the whole API.
    pub fn full() -> Spec {
        Spec::load("askui-workspaces-0.2.15.openapi.json")
    }

    fn load(file: &str) -> Spec {
        let spec = openapi::Spec::from_path(spec_dir().join(file))
            .unwrap_or_else(|error| panic!("{error}"));
        Spec {
            spec: spec.rest_of_path(["file_path"]),
        }
    }

    /// The document, read by `askui-openapi`: what the conformance checker takes.
    pub fn openapi(&self) -> &openapi::Spec {
        &self.spec
    }

    pub fn document(&self) -> &Value {
        self.spec.document()
    }

    /// The operation `endpoint` declares; panics if the document has none.
    pub fn operation(&self, endpoint: &Endpoint) -> &Operation {
        self.spec
            .operation(endpoint.method().as_str(), endpoint.path_template())
            .unwrap_or_else(|| panic!("the document has no operation {endpoint}"))
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

        // The path as the server routes it: decoded, then matched against the template.
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        match operation.match_path(&decoded) {
            None => problems.push(format!(
                "path `{path}` does not have the shape of `{}`",
                operation.template()
            )),
            Some(values) => {
                for (name, value) in values {
                    match operation.parameter(Location::Path, &name) {
                        None => problems.push(format!("path parameter `{name}` is not declared")),
                        Some(declared) => problems.extend(
                            declared
                                .schema()
                                .errors(&declared.value(&[&value]))
                                .into_iter()
                                .map(|e| format!("path parameter `{name}`: {e}")),
                        ),
                    }
                }
            }
        }

        let mut sent_query: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        sent_query.sort();
        let mut keys: Vec<&String> = sent_query.iter().map(|(key, _)| key).collect();
        keys.dedup();
        for key in keys {
            let values: Vec<&str> = sent_query
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
                .collect();
            let Some(declared) = operation.parameter(Location::Query, key) else {
                problems.push(format!("query parameter `{key}` is not declared"));
                continue;
            };
            // The server would take the last value; a client that repeats a scalar has
            // misread the document.
            if values.len() > 1 && !declared.schema().is_array() {
                problems.push(format!(
                    "query parameter `{key}` is repeated but not an array"
                ));
                continue;
            }
            problems.extend(
                declared
                    .schema()
                    .errors(&declared.value(&values))
                    .into_iter()
                    .map(|e| format!("query parameter `{key}`: {e}")),
            );
        }
        for parameter in operation.parameters() {
            let name = parameter.name();
            let sent = match parameter.location() {
                Location::Query => sent_query.iter().any(|(key, _)| key == name),
                Location::Header => match request.header(name) {
                    Some(value) => {
                        problems.extend(
                            parameter
                                .schema()
                                .errors(&parameter.value(&[value]))
                                .into_iter()
                                .map(|e| format!("header `{name}`: {e}")),
                        );
                        true
                    }
                    None => false,
                },
                // Path parameters are matched by routing; a kind this checker does not read
                // is not its to report.
                _ => true,
            };
            if parameter.required() && !sent {
                problems.push(format!(
                    "required {} parameter `{name}` not sent",
                    parameter.location().as_str()
                ));
            }
        }

        let content_type = request
            .header("content-type")
            .map(|ct| ct.split(';').next().unwrap_or("").trim());
        match operation.object().get("requestBody") {
            Some(body) => {
                match content_type.and_then(|ct| body["content"].get(ct).map(|media| (ct, media))) {
                    Some(("application/json", media)) => {
                        match serde_json::from_slice::<Value>(&request.body) {
                            Ok(json) => problems.extend(
                                self.spec
                                    .check(&media["schema"], &json)
                                    .err()
                                    .into_iter()
                                    .flatten()
                                    .map(|e| format!("body: {e}")),
                            ),
                            Err(error) => problems.push(format!("body is not JSON: {error}")),
                        }
                    }
                    Some(("multipart/form-data", media)) => {
                        let schema = &media["schema"];
                        let parts = request.multipart();
                        for part in &parts {
                            if self.spec.resolve(schema)["properties"]
                                .get(&part.name)
                                .is_none()
                            {
                                problems.push(format!(
                                    "multipart part `{}` is not declared",
                                    part.name
                                ));
                            }
                        }
                        let instance = self.spec.multipart_instance(
                            schema,
                            parts.iter().map(|part| {
                                let text = match part.file_name {
                                    Some(_) => None,
                                    None => Some(String::from_utf8_lossy(&part.body).into_owned()),
                                };
                                (part.name.as_str(), text)
                            }),
                        );
                        problems.extend(
                            self.spec
                                .check(schema, &instance)
                                .err()
                                .into_iter()
                                .flatten()
                                .map(|e| format!("multipart body: {e}")),
                        );
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
            let produces: Vec<&str> = operation.object()["responses"]
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
                "no security requirement of {:?} is met",
                operation.security()
            ));
        }
        problems
    }

    /// Whether the request carries a credential of one of the operation's security
    /// requirements: `Authorization: <scheme> <credentials>` for an `http` scheme, a
    /// non-empty header for an `apiKey` one. (The fake checks the credential itself.)
    fn security_satisfied(&self, operation: &Operation, request: &Recorded) -> bool {
        if !operation.secured() {
            return true;
        }
        operation.security().iter().any(|requirement| {
            requirement
                .as_object()
                .into_iter()
                .flatten()
                .all(|(name, _)| {
                    let scheme = &self.document()["components"]["securitySchemes"][name];
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
        self.spec
            .response_problems(self.operation(endpoint), status, content_type, body)
    }

    /// Fails the test, listing every problem, when `request` departs from `endpoint`'s
    /// operation.
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

fn spec_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec"))
}

/// Checks a request a wire test sent, and the answer its server gave, against the full
/// document (read once per test binary): what every `askui-workspaces` wire test asserts.
pub fn conforms(endpoint: &Endpoint, request: &Recorded, status: u16, answer: Option<&Value>) {
    static FULL: std::sync::LazyLock<Spec> = std::sync::LazyLock::new(Spec::full);
    FULL.assert_request(endpoint, request);
    FULL.assert_answer(endpoint, status, answer);
}
