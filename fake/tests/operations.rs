//! Every operation of the document, walked from the document itself: each answers a minimal
//! valid request with its documented success status and a body valid under its documented
//! schema, needs credentials exactly where the document says, and rejects a request missing
//! what it requires with a 422 in the documented shape.

mod support;

use askui_fake::FakeServer;
use askui_fake::schemas::{check, document, instance};
use serde_json::{Value, json};
use support::*;

/// One operation of the document.
struct Operation {
    method: String,
    template: String,
    spec: Value,
}

fn operations() -> Vec<Operation> {
    let mut operations = Vec::new();
    for (template, item) in document()["paths"].as_object().into_iter().flatten() {
        for (method, spec) in item.as_object().into_iter().flatten() {
            operations.push(Operation {
                method: method.to_uppercase(),
                template: template.clone(),
                spec: spec.clone(),
            });
        }
    }
    operations
}

/// Ids and secrets created before the walk, for operations that act on existing things.
struct Existing {
    agent: String,
    subject_token: (String, String),
    workspace_token: (String, String),
}

impl Operation {
    fn id(&self) -> &str {
        self.spec["operationId"].as_str().unwrap_or_default()
    }

    fn parameters(&self, place: &str) -> Vec<Value> {
        self.spec["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == place)
            .cloned()
            .collect()
    }

    fn path(&self, existing: &Existing) -> String {
        let mut path = self.template.clone();
        for parameter in self.parameters("path") {
            let name = parameter["name"].as_str().unwrap_or_default();
            let value = match name {
                "workspace_id" => KNOWN_WORKSPACE.to_owned(),
                "file_path" => format!("workspaces/{KNOWN_WORKSPACE}/docs/a.txt"),
                "agent_id" => existing.agent.clone(),
                "token_id" if self.template.starts_with("/api/v1/workspaces/") => {
                    existing.workspace_token.0.clone()
                }
                "token_id" => existing.subject_token.0.clone(),
                _ => text(&instance(&parameter["schema"])),
            };
            path = path.replace(&format!("{{{name}}}"), &value);
        }
        path
    }

    /// The required query parameters, with valid values.
    fn query(&self) -> String {
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        for parameter in self.parameters("query") {
            if parameter["required"] != true {
                continue;
            }
            let name = parameter["name"].as_str().unwrap_or_default();
            match instance(&parameter["schema"]) {
                Value::Array(values) => {
                    for value in values {
                        pairs.append_pair(name, &text(&value));
                    }
                }
                value => {
                    pairs.append_pair(name, &text(&value));
                }
            }
        }
        pairs.finish()
    }

    fn body(&self, existing: &Existing) -> Option<(String, Vec<u8>)> {
        let content = self.spec["requestBody"]["content"].as_object()?;
        let (media_type, media) = content.iter().next()?;
        if media_type == "multipart/form-data" {
            let properties = instance(&media["schema"]);
            let names: Vec<&String> = properties.as_object()?.keys().collect();
            let parts: Vec<(&str, Option<&str>, &[u8])> = names
                .iter()
                .map(|name| (name.as_str(), Some("a.txt"), &b"hello"[..]))
                .collect();
            return Some(multipart(&parts));
        }
        let mut body = instance(&media["schema"]);
        if self.id().starts_with("lookup_workspace_access_token") {
            body["accessToken"] = json!(existing.workspace_token.1);
        } else if self.id().starts_with("lookup_access_token") {
            body["accessToken"] = json!(existing.subject_token.1);
        }
        Some((media_type.clone(), body.to_string().into_bytes()))
    }

    fn success(&self) -> (u16, Option<Value>) {
        let responses = self.spec["responses"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let (status, response) = responses
            .iter()
            .find(|(status, _)| status.starts_with('2'))
            .expect("every operation documents a success");
        (
            status.parse().expect("numeric status"),
            response["content"]["application/json"]
                .get("schema")
                .cloned(),
        )
    }
}

fn text(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

async fn send_operation(
    server: &FakeServer,
    operation: &Operation,
    existing: &Existing,
    authorization: Option<&str>,
) -> RawResponse {
    let query = operation.query();
    let target = if query.is_empty() {
        operation.path(existing)
    } else {
        format!("{}?{query}", operation.path(existing))
    };
    let body = operation.body(existing);
    let mut headers = Vec::new();
    if let Some((content_type, _)) = &body {
        headers.push(("Content-Type", content_type.as_str()));
    }
    if let Some(authorization) = authorization {
        headers.push(("Authorization", authorization));
    }
    let bytes = body.as_ref().map_or(&[][..], |(_, bytes)| bytes.as_slice());
    send(server, &operation.method, &target, &headers, bytes).await
}

async fn existing(server: &FakeServer) -> Existing {
    let mut command = askui_fake::schemas::instance_of("AgentCreateCommand").expect("schema");
    command["workspaceId"] = json!(KNOWN_WORKSPACE);
    let agent = call(server, "POST", "/api/v1/agents", &command.to_string()).await;
    assert_eq!(agent.status, 201, "{agent:?}");
    let subject = call(server, "POST", "/api/v1/access-tokens", r#"{"name":"ci"}"#).await;
    assert_eq!(subject.status, 201, "{subject:?}");
    let workspace = call(
        server,
        "POST",
        &format!("/api/v1/workspaces/{KNOWN_WORKSPACE}/access-tokens"),
        r#"{"name":"ci"}"#,
    )
    .await;
    assert_eq!(workspace.status, 201, "{workspace:?}");
    let (subject, workspace) = (subject.json(), workspace.json());
    Existing {
        agent: text(&agent.json()["id"]),
        subject_token: (text(&subject["token"]["id"]), text(&subject["tokenString"])),
        workspace_token: (
            text(&workspace["privateToken"]["id"]),
            text(&workspace["tokenString"]),
        ),
    }
}

#[tokio::test]
async fn every_operation_answers_its_documented_success() {
    let server = start().await;
    let existing = existing(&server).await;
    let mut operations = operations();
    assert_eq!(operations.len(), 46);
    // Deletions last: the look-ups need the tokens they delete.
    operations.sort_by_key(|operation| operation.method == "DELETE");
    let mut failures = Vec::new();
    for operation in &operations {
        let response = send_operation(&server, operation, &existing, Some(&bearer())).await;
        let (status, schema) = operation.success();
        if response.status != status {
            failures.push(format!("{}: {response:?}", operation.id()));
            continue;
        }
        match schema {
            Some(schema) => {
                if let Err(problems) = check(&schema, &response.json()) {
                    failures.push(format!("{}: answer invalid: {problems:?}", operation.id()));
                }
            }
            None => assert!(response.body.is_empty(), "{}", operation.id()),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn credentials_are_required_where_the_document_says() {
    let server = start().await;
    let existing = existing(&server).await;
    let mut open = Vec::new();
    for operation in &operations() {
        let response = send_operation(&server, operation, &existing, None).await;
        if operation.spec.get("security").is_some() {
            assert_eq!(response.status, 401, "{}: {response:?}", operation.id());
            assert_eq!(response.json(), json!({ "detail": "Not authenticated" }));
            assert_eq!(response.header("www-authenticate"), Some("Bearer"));
        } else {
            assert_eq!(response.status, operation.success().0, "{}", operation.id());
            open.push(operation.id().to_owned());
        }
    }
    assert_eq!(open.len(), 2, "{open:?}");
}

#[tokio::test]
async fn a_request_missing_what_is_required_gets_the_documented_422() {
    let server = start().await;
    let mut checked = 0;
    for operation in &operations() {
        let required_query = operation
            .parameters("query")
            .iter()
            .any(|p| p["required"] == true);
        let has_body = operation.spec.get("requestBody").is_some();
        if !required_query && !has_body {
            continue;
        }
        // The path is valid; the query and body are left out.
        let target = operation.path(&Existing {
            agent: "8e5f0c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6".into(),
            subject_token: ("8e5f0c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6".into(), String::new()),
            workspace_token: ("8e5f0c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6".into(), String::new()),
        });
        let response = call(&server, &operation.method, &target, "").await;
        let optional_body = operation.spec["requestBody"]["required"] != true;
        if !required_query && optional_body {
            continue;
        }
        assert_eq!(response.status, 422, "{}: {response:?}", operation.id());
        let documented =
            &operation.spec["responses"]["422"]["content"]["application/json"]["schema"];
        if documented.is_object() {
            check(documented, &response.json())
                .unwrap_or_else(|problems| panic!("{}: {problems:?}", operation.id()));
        }
        checked += 1;
    }
    assert!(checked > 20, "only {checked} operations checked");
}

/// Asserts a 422 whose `detail` lists each `(type, loc)` of `expected`.
fn assert_reports(response: &RawResponse, expected: &[(&str, Value)]) {
    assert_eq!(response.status, 422, "{response:?}");
    let detail = response.json()["detail"].clone();
    let reported: Vec<(String, Value)> = detail
        .as_array()
        .expect("a list")
        .iter()
        .map(|problem| (text(&problem["type"]), problem["loc"].clone()))
        .collect();
    for (kind, loc) in expected {
        assert!(
            reported.contains(&((*kind).to_owned(), loc.clone())),
            "{kind} at {loc} in {detail}"
        );
    }
}

#[tokio::test]
async fn validation_reports_every_problem_in_fastapi_shape() {
    let server = start().await;
    // Bad query values, reported together.
    let response = call(
        &server,
        "GET",
        "/api/v1/agents?limit=0&skip=x&status=GONE",
        "",
    )
    .await;
    assert_reports(
        &response,
        &[
            ("int_parsing", json!(["query", "skip"])),
            ("greater_than_equal", json!(["query", "limit"])),
            ("enum", json!(["query", "status", 0])),
        ],
    );

    // Bad and missing body fields, reported together.
    let body = json!({ "name": "-bad name-", "workspaceId": "not-a-uuid" });
    let response = call(&server, "POST", "/api/v1/agents", &body.to_string()).await;
    assert_reports(
        &response,
        &[
            ("string_pattern_mismatch", json!(["body", "name"])),
            ("uuid_parsing", json!(["body", "workspaceId"])),
            ("missing", json!(["body", "templateId"])),
        ],
    );

    // Where the document says the 422 is a string, it is one.
    let response = call(&server, "POST", "/api/v1/tools/extract-data", "{}").await;
    assert_eq!(response.status, 422, "{response:?}");
    assert!(response.json()["detail"].is_string(), "{response:?}");
}

#[tokio::test]
async fn routing_follows_the_document() {
    let server = start().await;
    // A literal segment wins over a parameter: `lookup` is not a token id.
    let response = call(
        &server,
        "POST",
        "/api/v1/access-tokens/lookup",
        r#"{"accessToken":"x"}"#,
    )
    .await;
    assert_eq!(response.status, 404, "{response:?}");
    assert_eq!(
        response.json(),
        json!({ "detail": "Access token not found" })
    );
    // Another method of a known path is a 405 listing the path's methods.
    let response = call(&server, "PUT", "/api/v1/access-tokens", "").await;
    assert_eq!(response.status, 405, "{response:?}");
    let mut allowed: Vec<&str> = response
        .header("allow")
        .unwrap_or_default()
        .split(", ")
        .collect();
    allowed.sort();
    assert_eq!(allowed, ["GET", "HEAD", "POST"]);
    // A workspace the caller is no member of gets the operation's documented 404 example.
    let response = call(
        &server,
        "GET",
        &format!("/api/v1/workspaces/{UNKNOWN_WORKSPACE}/billing/subscription"),
        "",
    )
    .await;
    assert_eq!(response.status, 404, "{response:?}");
    assert_eq!(
        response.json(),
        json!({ "detail": [{ "msg": "Subscription not found" }] })
    );
}

#[test]
fn every_schema_of_the_document_has_a_valid_generated_instance() {
    let names = askui_fake::schemas::names();
    assert_eq!(names.len(), 107);
    let mut failures = Vec::new();
    for name in names {
        let instance = askui_fake::schemas::instance_of(name).expect("named schema");
        let schema = json!({ "$ref": format!("#/components/schemas/{name}") });
        if let Err(problems) = check(&schema, &instance) {
            failures.push(format!("{name}: {problems:?} in {instance}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn many_problems_are_reported_without_quadratic_work() {
    let server = start().await;
    // 40 000 invalid items, each its own problem: reported at once, not after minutes of
    // comparing every problem with every other one (the exchange times out after 10 s).
    let senders: Vec<u32> = (0..40_000).collect();
    let body = json!({
        "name": "Invoices",
        "workspaceId": KNOWN_WORKSPACE,
        "templateId": "blank",
        "emailTrigger": { "allowedSenders": senders },
    });
    let response = call(&server, "POST", "/api/v1/agents", &body.to_string()).await;
    assert_eq!(response.status, 422);
    let detail = response.json()["detail"].clone();
    let problems = detail.as_array().expect("a list");
    assert_eq!(problems.len(), 40_000);
    assert_eq!(
        problems[7]["loc"],
        json!(["body", "emailTrigger", "allowedSenders", 7])
    );
    assert_eq!(problems[7]["type"], "string_type");
}
