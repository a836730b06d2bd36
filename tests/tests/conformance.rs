//! Conformance with the vendored OpenAPI documents: the requests the client sends (method,
//! path, parameters, body schema, security) and the answers of the embedded example server
//! are checked against `spec/`, with a JSON Schema validator for the bodies.

use std::path::Path;

use askui_examples::{EmbeddedServer, ServerConfig};
use askui_runtime::{
    Auth, Client, Endpoint, Error, Multipart, Part, PathPiece, QueryParam, askui_endpoint,
    askui_endpoints,
};
use askui_tests::{Recorded, RecordingServer, Reply};
use askui_workspaces::access_tokens::AccessTokens;
use askui_workspaces::billing::{Billing, CreateCustomerPortalSessionRequestDto};
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

/// Every endpoint of `askui-workspaces`, walked through the traits' `ENDPOINTS`.
fn endpoints() -> Vec<Endpoint> {
    [
        <Client as Billing>::ENDPOINTS,
        <Client as AccessTokens>::ENDPOINTS,
    ]
    .concat()
}

struct Spec {
    document: Value,
}

impl Spec {
    fn seed() -> Spec {
        let text = std::fs::read_to_string(spec_dir().join("customer-portal-session.openapi.yaml"))
            .unwrap();
        Spec {
            document: serde_norway::from_str(&text).unwrap(),
        }
    }

    fn full() -> Spec {
        let text = std::fs::read_to_string(spec_dir().join("askui-workspaces-0.2.15.openapi.json"))
            .unwrap();
        Spec {
            document: serde_json::from_str(&text).unwrap(),
        }
    }

    fn operation(&self, endpoint: &Endpoint) -> &Value {
        let operation = &self.document["paths"][endpoint.path_template()]
            [endpoint.method().as_str().to_lowercase()];
        assert!(
            operation.is_object(),
            "the document has no operation {endpoint}"
        );
        operation
    }

    /// A validator for a schema of this document: `$ref`s resolve against its components.
    fn validator(&self, schema: &Value) -> jsonschema::Validator {
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

    fn schema_errors(&self, schema: &Value, instance: &Value) -> Vec<String> {
        self.validator(schema)
            .iter_errors(instance)
            .map(|error| format!("{error} at {}", error.instance_path()))
            .collect()
    }

    /// Everything in which a request the client sent departs from the operation.
    fn request_problems(&self, endpoint: &Endpoint, request: &Recorded) -> Vec<String> {
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
    fn declaration_problems(&self, endpoint: &Endpoint) -> Vec<String> {
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

    fn security_satisfied(&self, operation: &Value, request: &Recorded) -> bool {
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
    fn response_problems(
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
fn is_array_schema(schema: &Value) -> bool {
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

fn spec_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec"))
}

fn percent_decode(segment: &str) -> String {
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

fn valid_session() -> Value {
    json!({"sessionUrl": "https://billing.stripe.example/p/session/abc"})
}

#[test]
fn every_endpoint_is_an_operation_of_the_documents() {
    // The seed document describes only the customer-portal session; the full one all.
    let seed = [<Client as Billing>::CREATE_CUSTOMER_PORTAL_SESSION];
    let all = endpoints();
    for (spec, endpoints) in [(Spec::seed(), &seed[..]), (Spec::full(), &all[..])] {
        assert!(!endpoints.is_empty());
        for endpoint in endpoints {
            let operation = spec.operation(endpoint);
            let mut declared: Vec<&str> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            declared.sort_unstable();
            let mut ours = endpoint.path_params().to_vec();
            ours.sort_unstable();
            assert_eq!(declared, ours, "path parameters of {endpoint}");
        }
    }
}

#[tokio::test]
async fn requests_conform_with_either_auth_scheme() {
    let spec = Spec::seed();
    let endpoint = <Client as Billing>::CREATE_CUSTOMER_PORTAL_SESSION;
    assert_eq!(
        spec.response_problems(
            &endpoint,
            200,
            Some("application/json"),
            valid_session().to_string().as_bytes()
        ),
        Vec::<String>::new(),
        "the test's own reply must conform"
    );
    for auth in [Auth::bearer("a-token"), Auth::basic("a-token")] {
        let server = RecordingServer::always(Reply::json(200, valid_session())).await;
        let client = Client::builder()
            .base_url(server.base_url())
            .auth(auth)
            .build()
            .unwrap();
        let body =
            CreateCustomerPortalSessionRequestDto::new("https://app.example/a b?x=ü#frag").unwrap();
        client
            .create_customer_portal_session(Uuid::new_v4(), &body)
            .await
            .unwrap();
        let request = server.only_request();
        assert_eq!(
            spec.request_problems(&endpoint, &request),
            Vec::<String>::new(),
            "{request:#?}"
        );
    }
}

/// The checks above would catch a departure: each mutation of a conforming request is found.
#[tokio::test]
async fn the_checker_finds_departures() {
    let spec = Spec::seed();
    let endpoint = <Client as Billing>::CREATE_CUSTOMER_PORTAL_SESSION;
    let server = RecordingServer::always(Reply::json(200, valid_session())).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap();
    let body = CreateCustomerPortalSessionRequestDto::new("https://app.example/").unwrap();
    client
        .create_customer_portal_session(Uuid::new_v4(), &body)
        .await
        .unwrap();
    let sent = server.only_request();

    let problems = spec.request_problems(&endpoint, &sent);
    assert_eq!(problems.len(), 1, "without credentials: {problems:?}");
    assert!(problems[0].contains("security"));

    let mut authed = sent.clone();
    authed
        .headers
        .insert("authorization", "Bearer x".parse().unwrap());
    assert!(spec.request_problems(&endpoint, &authed).is_empty());

    let mut snake = authed.clone();
    snake.body = br#"{"return_url":"https://app.example/"}"#.to_vec();
    assert!(
        spec.request_problems(&endpoint, &snake)
            .iter()
            .any(|p| p.starts_with("body:"))
    );

    let mut not_uri = authed.clone();
    not_uri.body = br#"{"returnUrl":"not a uri"}"#.to_vec();
    assert!(
        spec.request_problems(&endpoint, &not_uri)
            .iter()
            .any(|p| p.starts_with("body:"))
    );

    let mut not_uuid = authed.clone();
    not_uuid.target = "/api/v1/workspaces/abc/billing/customer-portal-session".into();
    assert!(
        spec.request_problems(&endpoint, &not_uuid)
            .iter()
            .any(|p| p.contains("workspace_id"))
    );

    let mut no_content_type = authed.clone();
    no_content_type.headers.remove("content-type");
    assert!(
        !spec
            .request_problems(&endpoint, &no_content_type)
            .is_empty()
    );

    assert!(
        !spec
            .response_problems(&endpoint, 200, Some("application/json"), br#"{"url":"x"}"#)
            .is_empty()
    );
    assert!(
        !spec
            .response_problems(&endpoint, 500, Some("text/html"), b"<html>")
            .is_empty()
    );
    assert!(
        !spec
            .response_problems(
                &endpoint,
                404,
                Some("application/json"),
                br#"{"detail":[{"message":"x"}]}"#
            )
            .is_empty()
    );
}

/// The example's embedded server answers as the document says, for every documented status.
#[tokio::test]
async fn the_embedded_server_conforms() {
    let spec = Spec::seed();
    let endpoint = <Client as Billing>::CREATE_CUSTOMER_PORTAL_SESSION;
    let workspace = Uuid::new_v4();
    let server = EmbeddedServer::start(ServerConfig {
        token: "tok".into(),
        workspaces: vec![workspace],
    })
    .await
    .unwrap();
    let http = askui_runtime::reqwest::Client::new();
    let cases: [(String, Value, u16); 5] = [
        (
            workspace.to_string(),
            json!({"returnUrl": "https://app.example/back"}),
            200,
        ),
        (
            Uuid::new_v4().to_string(),
            json!({"returnUrl": "https://app.example/back"}),
            404,
        ),
        (
            workspace.to_string(),
            json!({"returnUrl": "not a url"}),
            422,
        ),
        (workspace.to_string(), json!({}), 422),
        (
            "not-a-uuid".into(),
            json!({"returnUrl": "https://app.example/back"}),
            422,
        ),
    ];
    for (workspace_id, body, expected) in cases {
        let response = http
            .post(format!(
                "{}/api/v1/workspaces/{workspace_id}/billing/customer-portal-session",
                server.base_url()
            ))
            .header("authorization", "Bearer tok")
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned());
        let bytes = response.bytes().await.unwrap();
        assert_eq!(
            status,
            expected,
            "{workspace_id} {body}: {}",
            String::from_utf8_lossy(&bytes)
        );
        assert_eq!(
            spec.response_problems(&endpoint, status, content_type.as_deref(), &bytes),
            Vec::<String>::new(),
            "{workspace_id} {body}: {}",
            String::from_utf8_lossy(&bytes)
        );
    }
}

/// Operations of the full document that need the roles beyond JSON: query arrays and enums,
/// flattened filters, multipart uploads, a multi-segment file path, a nullable answer.
#[derive(Serialize, Default)]
struct ListAgentsQuery {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    agent_id: Vec<Uuid>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    status: Vec<AgentStatus>,
    skip: Option<u32>,
    limit: Option<u32>,
}

#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum AgentStatus {
    Active,
    Archived,
}

#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum RunnerHost {
    #[serde(rename = "SELF")]
    SelfHosted,
    Askui,
}

#[askui_endpoints]
trait Sample {
    #[askui_endpoint(get, "/api/v1/agents")]
    async fn list_agents(&self, #[query(flatten)] query: &ListAgentsQuery) -> Result<Value, Error>;

    #[askui_endpoint(post, "/api/v1/agent-executions")]
    async fn create_agent_execution(
        &self,
        #[query] agent_id: Uuid,
        #[multipart] input_files: Multipart,
    ) -> Result<Value, Error>;

    #[askui_endpoint(put, "/api/v1/files/<file_path..>")]
    async fn upload_file(
        &self,
        file_path: &str,
        #[query] strict: Option<bool>,
        #[multipart] file: Multipart,
    ) -> Result<Value, Error>;

    #[askui_endpoint(delete, "/api/v1/files/<file_path..>")]
    async fn delete_file(&self, file_path: &str) -> Result<(), Error>;

    #[askui_endpoint(post, "/api/v1/runner-jobs/lease")]
    async fn lease(
        &self,
        #[query] runner_host: RunnerHost,
        #[query] runner_id: &str,
        #[query] workspace_id: Option<Uuid>,
        #[query] tags: &[&str],
    ) -> Result<Option<Value>, Error>;

    #[askui_endpoint(get, "/api/v1/dashboard/usage")]
    async fn aggregate_usage(
        &self,
        #[query] workspace_ids: &[Uuid],
        #[query] start_time: &str,
        #[query] end_time: &str,
        #[query] user_ids: Option<Vec<String>>,
    ) -> Result<Value, Error>;
}

impl Sample for Client {}

#[test]
fn declarations_match_the_document() {
    let spec = Spec::full();
    let declared = endpoints();
    let all = declared.iter().chain(<Client as Sample>::ENDPOINTS);
    for endpoint in all {
        assert_eq!(
            spec.declaration_problems(endpoint),
            Vec::<String>::new(),
            "{endpoint}"
        );
    }
}

#[tokio::test]
async fn requests_with_query_multipart_and_file_paths_conform() {
    let spec = Spec::full();
    let (server, client) =
        askui_tests::serve(Reply::json(200, json!({})), Some(Auth::bearer("a-token"))).await;
    let ids = [Uuid::new_v4(), Uuid::new_v4()];
    client
        .list_agents(&ListAgentsQuery {
            agent_id: ids.to_vec(),
            status: vec![AgentStatus::Active, AgentStatus::Archived],
            skip: Some(0),
            limit: Some(100),
        })
        .await
        .unwrap();
    client
        .create_agent_execution(
            ids[0],
            Multipart::new()
                .part("input_files", Part::bytes(b"a".to_vec()).file_name("a.pdf"))
                .part("input_files", Part::bytes(b"b".to_vec()).file_name("b.pdf")),
        )
        .await
        .unwrap();
    client
        .upload_file(
            &format!("workspaces/{}/runs/shot 1.png", ids[0]),
            Some(true),
            Multipart::new().part("file", Part::bytes(b"png".to_vec()).file_name("shot 1.png")),
        )
        .await
        .unwrap();
    client.delete_file("workspaces/w/a.png").await.unwrap();
    client
        .lease(
            RunnerHost::SelfHosted,
            "runner-1",
            Some(ids[1]),
            &["gpu", "linux"],
        )
        .await
        .unwrap();
    client
        .lease(RunnerHost::Askui, "runner-2", None, &[])
        .await
        .unwrap();
    client
        .aggregate_usage(
            &ids,
            "2026-11-01T00:00:00Z",
            "2026-11-29T12:00:00+01:00",
            None,
        )
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 7);
    let endpoints = <Client as Sample>::ENDPOINTS;
    let order = [0, 1, 2, 3, 4, 4, 5];
    for (request, index) in requests.iter().zip(order) {
        assert_eq!(
            spec.request_problems(&endpoints[index], request),
            Vec::<String>::new(),
            "{request:#?}"
        );
    }
}

/// The declaration and query checks above catch departures.
#[tokio::test]
async fn the_checker_finds_vocabulary_departures() {
    trait Wrong {
        #[askui_endpoint(get, "/api/v1/agents")]
        async fn misnamed(&self, #[query] agent: &[Uuid]) -> Result<Value, Error>;

        #[askui_endpoint(get, "/api/v1/agents")]
        async fn not_repeated(&self, #[query] agent_id: Uuid) -> Result<Value, Error>;

        #[askui_endpoint(post, "/api/v1/runner-jobs/lease")]
        async fn missing_required(&self, #[query] runner_id: &str) -> Result<Value, Error>;

        #[askui_endpoint(get, "/api/v1/agents")]
        async fn undeclared_header(
            &self,
            #[header("X-Tenant")] tenant: &str,
        ) -> Result<Value, Error>;

        #[askui_endpoint(post, "/api/v1/agent-executions")]
        async fn json_instead_of_multipart(
            &self,
            #[query] agent_id: Uuid,
            body: &Value,
        ) -> Result<Value, Error>;

        #[askui_endpoint(get, "/api/v1/agents")]
        async fn bad_value(&self, #[query] status: &[&str]) -> Result<Value, Error>;
    }
    impl Wrong for Client {}

    let spec = Spec::full();
    for endpoint in [
        <Client as Wrong>::MISNAMED,
        <Client as Wrong>::NOT_REPEATED,
        <Client as Wrong>::MISSING_REQUIRED,
        <Client as Wrong>::UNDECLARED_HEADER,
        <Client as Wrong>::JSON_INSTEAD_OF_MULTIPART,
    ] {
        assert_ne!(
            spec.declaration_problems(&endpoint),
            Vec::<String>::new(),
            "{}",
            endpoint.name()
        );
    }
    let (server, client) =
        askui_tests::serve(Reply::json(200, json!({})), Some(Auth::bearer("a-token"))).await;
    client.bad_value(&["RUNNING"]).await.unwrap();
    client.misnamed(&[Uuid::new_v4()]).await.unwrap();
    let requests = server.requests();
    let problems = spec.request_problems(&<Client as Wrong>::BAD_VALUE, &requests[0]);
    assert!(
        problems.iter().any(|p| p.contains("`status`")),
        "{problems:?}"
    );
    let problems = spec.request_problems(&<Client as Wrong>::MISNAMED, &requests[1]);
    assert!(
        problems.iter().any(|p| p.contains("`agent`")),
        "{problems:?}"
    );
}

/// Every billing call, sent with the replies the wire tests use: the requests conform to
/// the document, and so do the replies.
#[tokio::test]
async fn every_billing_request_and_reply_conforms() {
    use askui_workspaces::billing::{CreateCheckoutSessionCommand, ReturnUrl};
    let spec = Spec::full();
    let replies = [
        (
            <Client as Billing>::CREATE_CUSTOMER_PORTAL_SESSION,
            valid_session(),
        ),
        (
            <Client as Billing>::CREATE_CHECKOUT_SESSION,
            valid_session(),
        ),
        (
            <Client as Billing>::LIST_PRICES,
            json!({"prices": [{"id": "price_1", "productName": "Team", "unitAmount": 4900,
                "currency": "eur", "recurringInterval": "month", "recurringIntervalCount": 1,
                "productAllowedUsage": 1000}]}),
        ),
        (
            <Client as Billing>::GET_SUBSCRIPTION,
            json!({"currentPeriodStart": "2026-11-01T00:00:00Z",
                "currentPeriodEnd": "2026-12-01T00:00:00Z",
                "items": [{"productAllowedUsage": 1000}], "isTrial": false}),
        ),
    ];
    assert_eq!(
        replies.len(),
        <Client as Billing>::ENDPOINTS.len(),
        "a billing endpoint is not covered"
    );
    let workspace_id = Uuid::new_v4();
    for (endpoint, reply) in replies {
        assert_eq!(
            spec.response_problems(
                &endpoint,
                200,
                Some("application/json"),
                reply.to_string().as_bytes()
            ),
            Vec::<String>::new(),
            "the reply used for {endpoint}"
        );
        let (server, client) =
            askui_tests::serve(Reply::json(200, reply), Some(Auth::basic("a-token"))).await;
        let return_url = ReturnUrl::new("https://app.example/back").unwrap();
        match endpoint.name() {
            "create_customer_portal_session" => drop(
                client
                    .create_customer_portal_session(
                        workspace_id,
                        &CreateCustomerPortalSessionRequestDto::new("https://app.example/back")
                            .unwrap(),
                    )
                    .await
                    .unwrap(),
            ),
            "create_checkout_session" => drop(
                client
                    .create_checkout_session(
                        workspace_id,
                        &CreateCheckoutSessionCommand {
                            price_id: "price_1".into(),
                            return_url,
                        },
                    )
                    .await
                    .unwrap(),
            ),
            "list_prices" => drop(client.list_prices(workspace_id).await.unwrap()),
            "get_subscription" => drop(client.get_subscription(workspace_id).await.unwrap()),
            other => panic!("no call for {other}"),
        }
        assert_eq!(
            spec.request_problems(&endpoint, &server.only_request()),
            Vec::<String>::new(),
            "{endpoint}"
        );
    }
}

/// Every access-token call, sent with replies of the documented shapes: the requests and the
/// replies conform to the document.
#[tokio::test]
async fn every_access_token_request_and_reply_conforms() {
    use askui_workspaces::access_tokens::{
        CreateSubjectAccessTokenCommand, CreateWorkspaceAccessTokenRequestDto,
        ListAccessTokensQuery, LookupAccessTokenCommand, LookupWorkspaceAccessTokenCommand,
        TokenName,
    };
    let spec = Spec::full();
    let token_id = Uuid::new_v4();
    let subject_token = json!({"id": token_id, "createdAt": "2026-11-01T10:00:00Z", "name": "ci",
        "expiresAt": null, "creatorId": "user-1"});
    let ws_token = json!({"id": token_id, "name": "deploy", "createdAt": "2026-11-01T10:00:00Z",
        "expiresAt": "2027-01-01T00:00:00Z"});
    let lookup = json!({"accessTokenId": token_id});
    let cases: Vec<(Endpoint, u16, Option<Value>)> = vec![
        (
            <Client as AccessTokens>::CREATE_ACCESS_TOKEN,
            201,
            Some(json!({"token": subject_token, "tokenString": "secret"})),
        ),
        (
            <Client as AccessTokens>::LIST_ACCESS_TOKENS,
            200,
            Some(json!({"data": [subject_token]})),
        ),
        (
            <Client as AccessTokens>::LOOKUP_ACCESS_TOKEN,
            200,
            Some(lookup.clone()),
        ),
        (<Client as AccessTokens>::DELETE_ACCESS_TOKEN, 204, None),
        (
            <Client as AccessTokens>::CREATE_WORKSPACE_ACCESS_TOKEN,
            201,
            Some(json!({"privateToken": ws_token, "tokenString": "secret"})),
        ),
        (
            <Client as AccessTokens>::LIST_WORKSPACE_ACCESS_TOKENS,
            200,
            Some(json!([ws_token])),
        ),
        (
            <Client as AccessTokens>::LOOKUP_WORKSPACE_ACCESS_TOKEN,
            200,
            Some(lookup),
        ),
        (
            <Client as AccessTokens>::DELETE_WORKSPACE_ACCESS_TOKEN,
            204,
            None,
        ),
    ];
    assert_eq!(
        cases.len(),
        <Client as AccessTokens>::ENDPOINTS.len(),
        "an endpoint is not covered"
    );
    let workspace_id = Uuid::new_v4();
    for (endpoint, status, body) in cases {
        let (reply, bytes) = match &body {
            Some(body) => (
                Reply::json(status, body.clone()),
                body.to_string().into_bytes(),
            ),
            None => (Reply::empty(status), Vec::new()),
        };
        let content_type = body.as_ref().map(|_| "application/json");
        assert_eq!(
            spec.response_problems(&endpoint, status, content_type, &bytes),
            Vec::<String>::new(),
            "the reply used for {endpoint}"
        );
        let (server, client) = askui_tests::serve(reply, Some(Auth::bearer("a-token"))).await;
        let name = || TokenName::new("ci").unwrap();
        let result = match endpoint.name() {
            "create_access_token" => client
                .create_access_token(&CreateSubjectAccessTokenCommand {
                    name: name(),
                    expires_at: Some("2027-01-01T00:00:00Z".parse().unwrap()),
                })
                .await
                .map(drop),
            "list_access_tokens" => client
                .list_access_tokens(
                    &ListAccessTokensQuery::new()
                        .subject_id("user-1")
                        .skip(0)
                        .limit(100)
                        .unwrap(),
                )
                .await
                .map(drop),
            "lookup_access_token" => client
                .lookup_access_token(&LookupAccessTokenCommand::new("tok").unwrap())
                .await
                .map(drop),
            "delete_access_token" => client.delete_access_token(token_id).await,
            "create_workspace_access_token" => client
                .create_workspace_access_token(
                    workspace_id,
                    &CreateWorkspaceAccessTokenRequestDto {
                        name: name(),
                        expires_at: None,
                    },
                )
                .await
                .map(drop),
            "list_workspace_access_tokens" => client
                .list_workspace_access_tokens(workspace_id)
                .await
                .map(drop),
            "lookup_workspace_access_token" => client
                .lookup_workspace_access_token(
                    workspace_id,
                    &LookupWorkspaceAccessTokenCommand::new("tok").unwrap(),
                )
                .await
                .map(drop),
            "delete_workspace_access_token" => {
                client
                    .delete_workspace_access_token(workspace_id, token_id)
                    .await
            }
            other => panic!("no call for {other}"),
        };
        result.unwrap();
        assert_eq!(
            spec.request_problems(&endpoint, &server.only_request()),
            Vec::<String>::new(),
            "{endpoint}"
        );
    }
}
