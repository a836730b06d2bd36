//! The fake served from the Swagger Petstore document and from small inline documents,
//! driven over real HTTP on 127.0.0.1.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use askui_openapi::Spec;
use askui_openapi::fake::{Answer, FakeApi, LimitKind, ProblemJson, StartError};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn petstore() -> Spec {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/petstore/openapi.yaml");
    Spec::from_path(path).expect("the vendored Petstore document")
}

fn yaml(text: &str) -> Spec {
    Spec::from_str(text).expect("a valid document")
}

/// `send().await`, a request that cannot be sent failing the test.
trait Sent {
    async fn sent(self) -> reqwest::Response;
}

impl Sent for reqwest::RequestBuilder {
    async fn sent(self) -> reqwest::Response {
        self.send().await.expect("sent")
    }
}

/// Asserts that the refusal's `detail` text names each of `words`.
#[track_caller]
fn assert_detail_mentions(body: &Value, words: &[&str]) {
    let detail = body["detail"].as_str().unwrap_or_default();
    for word in words {
        assert!(detail.contains(word), "`{word}` not in {body}");
    }
}

/// The `loc` of each problem of a FastAPI 422.
fn locs(body: &Value) -> Vec<&Value> {
    body["detail"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|problem| &problem["loc"])
        .collect()
}

async fn json_of(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let body = response.json().await.expect("a JSON body");
    (status, body)
}

#[tokio::test]
async fn routing_follows_the_document() {
    let fake = FakeApi::new(petstore()).start().await.expect("starts");
    let client = reqwest::Client::new();
    let response = client.get(format!("{}/nope", fake.base_url())).sent().await;
    assert_eq!(
        json_of(response).await,
        (StatusCode::NOT_FOUND, json!({"detail": "Not Found"}))
    );

    let response = client
        .delete(format!("{}/store/inventory", fake.base_url()))
        .sent()
        .await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "GET, HEAD");

    // A literal segment wins over `{username}`.
    let response = client
        .get(format!("{}/user/logout", fake.base_url()))
        .sent()
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        fake.requests()
            .last()
            .and_then(|r| r.operation_id.clone())
            .as_deref(),
        Some("logoutUser")
    );

    // HEAD is answered by the GET operation, without its body.
    let response = client
        .head(format!("{}/pet/1", fake.base_url()))
        .header("api_key", "k")
        .sent()
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.expect("read").is_empty());
}

#[tokio::test]
async fn every_scheme_is_enforced() {
    let fake = FakeApi::new(petstore()).start().await.expect("starts");
    let client = reqwest::Client::new();
    let inventory = format!("{}/store/inventory", fake.base_url());

    // `api_key`, an apiKey header.
    let response = client.get(&inventory).sent().await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.headers().get("www-authenticate").is_none());
    assert_eq!(
        json_of(response).await.1,
        json!({"detail": "Not authenticated"})
    );
    let response = client.get(&inventory).header("api_key", "").sent().await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = client.get(&inventory).header("api_key", "any").sent().await;
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::OK);
    let schema = &fake
        .spec()
        .operation("GET", "/store/inventory")
        .expect("documented")
        .object()["responses"]["200"]["content"]["application/json"]["schema"];
    fake.spec()
        .check(schema, &body)
        .expect("the answer fits its schema");

    // `petstore_auth`, OAuth 2: a bearer token.
    let pet = format!("{}/pet/findByStatus", fake.base_url());
    let response = client.get(&pet).sent().await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let response = client.get(&pet).header("api_key", "k").sent().await;
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "api_key is not one of its schemes"
    );
    let response = client.get(&pet).bearer_auth("t").sent().await;
    assert_eq!(response.status(), StatusCode::OK);

    // `getPetById` takes either.
    for (name, value) in [("api_key", "k"), ("authorization", "bearer t")] {
        let response = client
            .get(format!("{}/pet/1", fake.base_url()))
            .header(name, value)
            .sent()
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{name}");
    }
}

#[tokio::test]
async fn configured_credentials_are_the_only_ones_accepted() {
    let fake = FakeApi::new(petstore())
        .accept_credential("api_key", "special-key")
        .start()
        .await
        .expect("starts");
    let client = reqwest::Client::new();
    let inventory = format!("{}/store/inventory", fake.base_url());
    let wrong = client
        .get(&inventory)
        .header("api_key", "guess")
        .sent()
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let right = client
        .get(&inventory)
        .header("api_key", "special-key")
        .sent()
        .await;
    assert_eq!(right.status(), StatusCode::OK);
    // Other schemes keep accepting any credential of their shape.
    let pets = client
        .get(format!("{}/pet/findByStatus", fake.base_url()))
        .bearer_auth("whatever")
        .sent()
        .await;
    assert_eq!(pets.status(), StatusCode::OK);
}

#[tokio::test]
async fn basic_and_query_keys_and_a_check_of_ones_own() {
    let spec = yaml(
        r#"
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /basic:
    get:
      operationId: basic
      security: [{basic: []}]
      responses: {"204": {description: ok}}
  /query:
    get:
      operationId: query
      security: [{key: []}]
      responses: {"204": {description: ok}}
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
    key: {type: apiKey, in: query, name: key}
"#,
    );
    let fake = FakeApi::new(spec)
        .accept_credential("basic", "ada:secret")
        .authenticate(|credential| {
            credential.scheme() == "key" && credential.value().starts_with("issued-")
        })
        .start()
        .await
        .expect("starts");
    let client = reqwest::Client::new();
    let basic = format!("{}/basic", fake.base_url());
    let response = client
        .get(&basic)
        .basic_auth("ada", Some("wrong"))
        .sent()
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        response.headers()["www-authenticate"],
        "Basic realm=\"fake\""
    );
    let response = client
        .get(&basic)
        .basic_auth("ada", Some("secret"))
        .sent()
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    let query = format!("{}/query", fake.base_url());
    let response = client.get(format!("{query}?key=guess")).sent().await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = client.get(format!("{query}?key=issued-1")).sent().await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn invalid_input_is_reported_in_either_shape() {
    for problem_json in [false, true] {
        let fake = FakeApi::new(petstore());
        let fake = if problem_json {
            fake.errors(ProblemJson)
        } else {
            fake
        };
        let fake = fake.start().await.expect("starts");
        let client = reqwest::Client::new();
        let response = client
            .get(format!("{}/pet/abc", fake.base_url()))
            .header("api_key", "k")
            .sent()
            .await;
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .to_owned();
        let (status, body) = json_of(response).await;
        if problem_json {
            assert_eq!(status, StatusCode::BAD_REQUEST);
            assert_eq!(content_type, "application/problem+json");
            assert_eq!(body["status"], 400);
            assert_eq!(body["errors"][0]["loc"], json!(["path", "petId"]));
            assert_detail_mentions(&body, &["getPetById", "path.petId"]);
        } else {
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(content_type, "application/json");
            let problem = &body["detail"][0];
            assert_eq!(problem["type"], "int_parsing");
            assert_eq!(problem["loc"], json!(["path", "petId"]));
            assert_eq!(problem["input"], "abc");
        }
    }
}

#[tokio::test]
async fn json_and_form_bodies_are_validated() {
    let fake = FakeApi::new(petstore()).start().await.expect("starts");
    let client = reqwest::Client::new();
    let url = format!("{}/pet", fake.base_url());
    let response = client
        .post(&url)
        .bearer_auth("t")
        .json(&json!({"name": 5}))
        .sent()
        .await;
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let locs = locs(&body);
    assert!(locs.contains(&&json!(["body", "photoUrls"])), "{body}");
    assert!(locs.contains(&&json!(["body", "name"])), "{body}");

    // A form: values converted to their properties' types, repeated keys an array.
    let response = client
        .post(&url)
        .bearer_auth("t")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=doggie&photoUrls=a&photoUrls=b&id=abc")
        .sent()
        .await;
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["loc"], json!(["body", "id"]), "{body}");
    let response = client
        .post(&url)
        .bearer_auth("t")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=doggie&photoUrls=a&photoUrls=b&id=7")
        .sent()
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_undeclared_content_type_is_a_415() {
    let fake = FakeApi::new(petstore()).start().await.expect("starts");
    let response = reqwest::Client::new()
        .post(format!("{}/pet", fake.base_url()))
        .bearer_auth("t")
        .header("content-type", "text/csv")
        .body("name,doggie")
        .sent()
        .await;
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_detail_mentions(&body, &["`text/csv`", "application/x-www-form-urlencoded"]);
}

#[tokio::test]
async fn generated_answers_fit_their_schemas_and_carry_documented_headers() {
    let fake = FakeApi::new(petstore()).start().await.expect("starts");
    let client = reqwest::Client::new();
    let response = client
        .get(format!("{}/pet/10", fake.base_url()))
        .header("api_key", "k")
        .header("accept", "application/xml, application/json")
        .sent()
        .await;
    assert_eq!(response.headers()["content-type"], "application/json");
    let (status, pet) = json_of(response).await;
    assert_eq!(status, StatusCode::OK);
    let spec = fake.spec();
    spec.check(&json!({"$ref": "#/components/schemas/Pet"}), &pet)
        .expect("a valid Pet");
    assert_eq!(pet["name"], "doggie", "the schema's example is used");

    let response = client
        .get(format!(
            "{}/user/login?username=a&password=b",
            fake.base_url()
        ))
        .sent()
        .await;
    let rate_limit = response.headers()["x-rate-limit"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    let expires = response.headers()["x-expires-after"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(rate_limit.parse::<i32>().is_ok(), "{rate_limit}");
    assert!(expires.contains('T'), "{expires}");
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.is_string(), "{body}");
}

#[tokio::test]
async fn raw_uploads_reach_a_stateful_handler() {
    let pets: Arc<Mutex<HashMap<i64, Value>>> = Arc::default();
    let (added, found) = (Arc::clone(&pets), Arc::clone(&pets));
    let fake = FakeApi::new(petstore())
        .handler("addPet", move |call| {
            let pet = call.json().clone();
            let id = pet["id"].as_i64().unwrap_or(1);
            added
                .lock()
                .map(|mut pets| pets.insert(id, pet.clone()))
                .ok();
            Answer::json(200, pet)
        })
        .async_handler("getPetById", move |call| {
            let pets = Arc::clone(&found);
            async move {
                let id = call
                    .param("petId")
                    .and_then(Value::as_i64)
                    .unwrap_or_default();
                let pet = pets.lock().ok().and_then(|pets| pets.get(&id).cloned());
                match pet {
                    Some(pet) => Answer::json(200, pet),
                    None => Answer::empty(404),
                }
            }
        })
        .handler("uploadFile", |call| {
            let length = call.request().body.len();
            let mut answer = call.generated();
            if let Some(mut body) = answer.body_json() {
                body["message"] = json!(format!("{length} bytes"));
                answer = Answer::json(answer.status(), body);
            }
            answer
        })
        .start()
        .await
        .expect("starts");
    let client = reqwest::Client::new();
    let base = fake.base_url();
    let missing = client
        .get(format!("{base}/pet/3"))
        .header("api_key", "k")
        .sent()
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let pet = json!({"id": 3, "name": "Rex", "photoUrls": []});
    let response = client
        .post(format!("{base}/pet"))
        .bearer_auth("t")
        .json(&pet)
        .sent()
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = client
        .get(format!("{base}/pet/3"))
        .header("api_key", "k")
        .sent()
        .await;
    assert_eq!(json_of(response).await, (StatusCode::OK, pet.clone()));

    let response = client
        .post(format!("{base}/pet/3/uploadImage?additionalMetadata=x"))
        .bearer_auth("t")
        .header("content-type", "application/octet-stream")
        .body(vec![0u8, 1, 2, 255])
        .sent()
        .await;
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["message"], "4 bytes");

    let requests = fake.take_requests();
    let operations: Vec<Option<&str>> =
        requests.iter().map(|r| r.operation_id.as_deref()).collect();
    assert_eq!(
        operations,
        [
            Some("getPetById"),
            Some("addPet"),
            Some("getPetById"),
            Some("uploadFile")
        ]
    );
    let upload = &requests[3];
    assert_eq!(upload.method, "POST");
    assert_eq!(upload.path, "/pet/3/uploadImage");
    assert_eq!(upload.query.as_deref(), Some("additionalMetadata=x"));
    assert_eq!(
        upload.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(upload.body.as_ref(), [0u8, 1, 2, 255]);
    assert_eq!(requests[1].json(), Some(pet));
    assert_eq!(requests[0].status, 404);
    assert!(fake.requests().is_empty(), "taken");
}

const ODD: &str = r#"
openapi: 3.1.0
info: {title: odd, version: "1"}
paths:
  /xml:
    get:
      operationId: xmlOnly
      responses:
        "200":
          description: ok
          content: {application/xml: {schema: {type: string}}}
  /session:
    get:
      operationId: withCookie
      security: [{session: []}]
      parameters:
        - {name: theme, in: cookie, schema: {type: string}}
      responses: {"204": {description: ok}}
  /hooks:
    post:
      operationId: subscribe
      callbacks:
        event:
          "{$request.body#/url}":
            post:
              responses: {"200": {description: ok}}
      responses: {"201": {description: ok}}
  /example:
    get:
      operationId: example
      responses:
        default:
          description: whatever
          content:
            application/json:
              schema: {type: object, properties: {n: {type: integer}}}
              examples:
                first: {value: {n: 42}}
  /upload:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file, count]
              properties:
                file: {type: string, format: binary}
                count: {type: integer}
      responses: {"200": {description: ok, content: {text/plain: {schema: {type: string}, example: stored}}}}
components:
  securitySchemes:
    session: {type: apiKey, in: cookie, name: session}
"#;

#[tokio::test]
async fn what_cannot_be_served_faithfully_is_reported_and_refused() {
    let api = FakeApi::new(yaml(ODD));
    let limits = api.limits();
    let kinds: Vec<(&str, LimitKind)> = limits
        .iter()
        .map(|l| (l.operation.as_str(), l.kind))
        .collect();
    assert!(
        kinds.contains(&("xmlOnly", LimitKind::Answer)),
        "{limits:#?}"
    );
    assert!(
        kinds.contains(&("withCookie", LimitKind::Security)),
        "{limits:#?}"
    );
    assert!(
        kinds.contains(&("withCookie", LimitKind::CookieParameter)),
        "{limits:#?}"
    );
    assert!(
        kinds.contains(&("subscribe", LimitKind::Callbacks)),
        "{limits:#?}"
    );
    assert_eq!(limits.len(), 4, "{limits:#?}");
    let fake = api.start().await.expect("starts");
    let client = reqwest::Client::new();

    let (status, body) = json_of(client.get(format!("{}/xml", fake.base_url())).sent().await).await;
    assert_eq!(status, StatusCode::NOT_IMPLEMENTED);
    assert_detail_mentions(&body, &["`xmlOnly`", "application/xml"]);

    let response = client
        .get(format!("{}/session", fake.base_url()))
        .header("cookie", "session=abc")
        .sent()
        .await;
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::NOT_IMPLEMENTED);
    assert_detail_mentions(&body, &["cookie"]);

    // `default` only: answered as 200, with the first of its examples.
    let response = client
        .get(format!("{}/example", fake.base_url()))
        .sent()
        .await;
    assert_eq!(json_of(response).await, (StatusCode::OK, json!({"n": 42})));
}

#[tokio::test]
async fn multipart_bodies_are_read_and_validated() {
    let fake = FakeApi::new(yaml(ODD))
        .handler("upload", |call| match call.body() {
            askui_openapi::fake::Body::Multipart(parts) => {
                let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
                Answer::text(200, names.join(","))
            }
            _ => Answer::empty(500),
        })
        .start()
        .await
        .expect("starts");
    let client = reqwest::Client::new();
    let url = format!("{}/upload", fake.base_url());
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"hi".to_vec()).file_name("a.txt"),
        )
        .text("count", "x");
    let (status, body) = json_of(client.post(&url).multipart(form).sent().await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["loc"], json!(["body", "count"]), "{body}");
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"hi".to_vec()).file_name("a.txt"),
        )
        .text("count", "2");
    let response = client.post(&url).multipart(form).sent().await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.expect("text"), "file,count");
}

#[tokio::test]
async fn text_answers_and_handler_panics() {
    let fake = FakeApi::new(yaml(ODD))
        .handler("example", |_| panic!("on purpose"))
        .start()
        .await
        .expect("starts");
    let client = reqwest::Client::new();
    let (status, body) = json_of(
        client
            .get(format!("{}/example", fake.base_url()))
            .sent()
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_detail_mentions(&body, &["on purpose"]);
    // The server keeps serving.
    let response = client
        .get(format!("{}/nowhere", fake.base_url()))
        .sent()
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn mistakes_in_the_configuration_are_start_errors() {
    let error = FakeApi::new(petstore())
        .handler("getPetByID", |call| call.generated())
        .start()
        .await
        .expect_err("no such operation");
    assert!(matches!(error, StartError::UnknownOperation { .. }));
    assert!(error.to_string().contains("`getPetByID`"), "{error}");
    let error = FakeApi::new(petstore())
        .accept_credential("apiKey", "x")
        .start()
        .await
        .expect_err("no such scheme");
    assert!(matches!(error, StartError::UnknownScheme { .. }));
    // Every mistake at once, in order.
    let error = FakeApi::new(petstore())
        .handler("getPetByID", |call| call.generated())
        .accept_credential("apiKey", "x")
        .start()
        .await
        .expect_err("two mistakes");
    let StartError::Several(mistakes) = &error else {
        panic!("{error:?}")
    };
    assert!(matches!(
        mistakes[..],
        [
            StartError::UnknownOperation { .. },
            StartError::UnknownScheme { .. }
        ]
    ));
    let shown = error.to_string();
    assert!(
        shown.starts_with("2 mistakes:")
            && shown.contains("`getPetByID`")
            && shown.contains("`apiKey`"),
        "{shown}"
    );
    // `METHOD /template` names an operation too.
    FakeApi::new(petstore())
        .handler("GET /pet/{petId}", |call| call.generated())
        .start()
        .await
        .expect("a known operation");
}

#[test]
fn a_blocking_test_can_use_the_fake() {
    let fake = FakeApi::new(petstore()).start_blocking().expect("starts");
    let client = reqwest::blocking::Client::new();
    let response = client
        .get(format!("{}/store/order/5", fake.base_url()))
        .send()
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let order: Value = response.json().expect("JSON");
    fake.spec()
        .check(&json!({"$ref": "#/components/schemas/Order"}), &order)
        .expect("a valid Order");
    let addr = fake.addr();
    drop(fake);
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "stopped on drop"
    );
}

#[test]
fn the_petstore_is_served_except_for_xml_request_bodies() {
    let limits = FakeApi::new(petstore()).limits();
    assert!(
        limits
            .iter()
            .all(|limit| limit.kind == LimitKind::UnvalidatedBody),
        "{limits:#?}"
    );
    assert_eq!(limits.len(), 5, "{limits:#?}");
}

#[test]
fn the_askui_document_is_served_without_limits() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/askui-workspaces-0.2.15.openapi.json"
    );
    let spec = Spec::from_path(path).expect("the vendored AskUI document");
    assert_eq!(FakeApi::new(spec).limits(), []);
}

const PARAMETERS: &str = r#"
openapi: 3.1.0
info: {title: parameters, version: "1"}
security: [{bearer: []}]
paths:
  /items:
    parameters:
      - {name: tags, in: query, explode: false, schema: {type: array, items: {type: integer}}}
    get:
      operationId: listItems
      parameters:
        - {name: X-Request-Id, in: header, required: true, schema: {type: string, minLength: 3}}
        - {name: ids, in: query, explode: false, schema: {type: array, items: {type: integer}}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: array, items: {type: integer}}}}
    post:
      operationId: addItem
      requestBody:
        content: {application/json: {schema: {type: object}}}
      responses: {"201": {description: created}}
  /health:
    get:
      operationId: health
      security: []
      responses: {"204": {description: up}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
"#;

#[tokio::test]
async fn headers_and_comma_separated_queries_are_validated() {
    let fake = FakeApi::new(yaml(PARAMETERS))
        .start()
        .await
        .expect("starts");
    let client = reqwest::Client::new();
    let items = format!("{}/items", fake.base_url());
    let response = client
        .get(format!("{items}?ids=1,x"))
        .bearer_auth("t")
        .sent()
        .await;
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let locs = locs(&body);
    assert_eq!(
        locs,
        [
            &json!(["header", "X-Request-Id"]),
            &json!(["query", "ids", 1])
        ],
        "{body}"
    );
    let response = client
        .get(format!("{items}?ids=1,2"))
        .bearer_auth("t")
        .header("x-request-id", "abc")
        .sent()
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // A path item's `explode: false` parameter is read comma-separated too.
    let response = client
        .get(format!("{items}?tags=3,y"))
        .bearer_auth("t")
        .header("x-request-id", "abc")
        .sent()
        .await;
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(crate::locs(&body), [&json!(["query", "tags", 1])], "{body}");
    // An optional parameter not sent is not checked, though its schema does not admit null.
    let response = client
        .get(&items)
        .bearer_auth("t")
        .header("x-request-id", "abc")
        .sent()
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // `security: []` on an operation lifts the document's requirement.
    let response = client
        .get(format!("{}/health", fake.base_url()))
        .sent()
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn refusals_in_problem_json_and_the_body_limit() {
    let fake = FakeApi::new(yaml(PARAMETERS))
        .errors(ProblemJson)
        .max_body_bytes(16)
        .start()
        .await
        .expect("starts");
    let client = reqwest::Client::new();
    let response = client
        .get(format!("{}/items", fake.base_url()))
        .sent()
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let (_, body) = json_of(response).await;
    assert_eq!(body["title"], "Unauthorized");
    assert_eq!(body["status"], 401);

    let response = client
        .post(format!("{}/items", fake.base_url()))
        .bearer_auth("t")
        .json(&json!({"name": "far too long for the limit"}))
        .sent()
        .await;
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_detail_mentions(&body, &["16 bytes"]);
}

#[tokio::test]
async fn intercepts_and_extra_routes() {
    let fake = FakeApi::new(yaml(PARAMETERS))
        .intercept(|call| {
            (call.headers().get("x-fail").is_some())
                .then(|| Answer::json(503, json!({"down": true})))
        })
        .extra_route("/_links/", |request| {
            Answer::text(200, request.decoded_path()).header("x-extra", "yes")
        })
        .start()
        .await
        .expect("starts");
    let client = reqwest::Client::new();
    let response = client
        .get(format!("{}/health", fake.base_url()))
        .header("x-fail", "1")
        .sent()
        .await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    // Extra routes need no credentials and skip the document.
    let response = client
        .get(format!("{}/_links/a%20b", fake.base_url()))
        .sent()
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["x-extra"], "yes");
    assert_eq!(response.text().await.expect("text"), "/_links/a b");
    // A prefix is matched at a segment boundary: `/_links` is not `/_linksmore`.
    let fake = FakeApi::new(yaml(PARAMETERS))
        .extra_route("/_links", |_| Answer::text(200, "extra"))
        .start()
        .await
        .expect("starts");
    for (path, extra) in [
        ("/_links", true),
        ("/_links/a", true),
        ("/_linksmore", false),
    ] {
        let response = client
            .get(format!("{}{path}", fake.base_url()))
            .sent()
            .await;
        assert_eq!(response.status() == StatusCode::OK, extra, "{path}");
    }
}
