//! Conformance with the vendored OpenAPI documents: the requests the client sends (method,
//! path, parameters, body schema, security) and the answers of the AskUI fake (`askui-fake`)
//! are checked against `spec/`, with a JSON Schema validator for the bodies.

use askui_fake::openapi::{Conformance, MismatchKind};
use askui_fake::{Config, FakeServer};
use askui_runtime::{
    Auth, Client, Endpoint, Error, Multipart, Part, askui_endpoint, askui_endpoints,
};
use askui_tests::spec::Spec;
use askui_tests::{RecordingServer, Reply};
use askui_workspaces::access_tokens::AccessTokens;
use askui_workspaces::billing::{Billing, CreateCustomerPortalSessionRequestDto};
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

/// Every endpoint of `askui-workspaces`, walked through the traits' `ENDPOINTS`.
fn endpoints() -> Vec<Endpoint> {
    askui_workspaces::endpoints()
}

fn valid_session() -> Value {
    json!({"sessionUrl": "https://billing.stripe.example/p/session/abc"})
}

/// The seed document describes only the customer-portal session: the one declaration of it
/// conforms, and covers it.
#[test]
fn the_seed_operation_is_declared() {
    let spec = Spec::seed();
    let report = Conformance::new(spec.openapi())
        .endpoints(&[<Client as Billing>::CREATE_CUSTOMER_PORTAL_SESSION])
        .require_every_operation()
        .check();
    report.assert_ok();
    assert_eq!(report.coverage(), (1, 1));
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
    for auth in [
        Auth::bearer("a-token"),
        askui_workspaces::access_token("a-token"),
    ] {
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

/// The AskUI fake answers the seed operation as its document says, for every documented status.
#[tokio::test]
async fn the_fake_conforms_to_the_seed_document() {
    let spec = Spec::seed();
    let endpoint = <Client as Billing>::CREATE_CUSTOMER_PORTAL_SESSION;
    let workspace = Uuid::new_v4();
    let server = FakeServer::start(Config::new("tok").workspace(workspace))
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

/// Each of the document's 46 operations is declared exactly once in `askui-workspaces`, and
/// every declaration matches its operation (method, path, query, headers, body, response),
/// by the public checker (`askui_openapi::Conformance`): the report names what is missing,
/// extra, declared twice or different.
#[test]
fn declarations_match_the_document() {
    let spec = Spec::full();
    let report = Conformance::new(spec.openapi())
        .endpoints(&endpoints())
        .require_every_operation()
        .check();
    report.assert_ok();
    assert_eq!(report.coverage(), (46, 46), "{report}");
    assert_eq!(endpoints().len(), 46);

    Conformance::new(spec.openapi())
        .endpoints(<Client as Sample>::ENDPOINTS)
        .check()
        .assert_ok();
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
    let report = Conformance::new(spec.openapi())
        .endpoints(&[
            <Client as Wrong>::MISNAMED,
            <Client as Wrong>::NOT_REPEATED,
            <Client as Wrong>::MISSING_REQUIRED,
            <Client as Wrong>::UNDECLARED_HEADER,
            <Client as Wrong>::JSON_INSTEAD_OF_MULTIPART,
        ])
        .check();
    // Three of them declare `GET /api/v1/agents`: duplicates, beside what is wrong.
    let found: Vec<(&str, MismatchKind, Option<&str>)> = report
        .mismatches()
        .iter()
        .filter(|m| m.kind != MismatchKind::Duplicate)
        .map(|m| (m.endpoint.as_str(), m.kind, m.parameter.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            ("misnamed", MismatchKind::QueryNotDocumented, Some("agent")),
            (
                "not_repeated",
                MismatchKind::ArrayVsSingle,
                Some("agent_id")
            ),
            (
                "missing_required",
                MismatchKind::RequiredQueryMissing,
                Some("runner_host")
            ),
            (
                "undeclared_header",
                MismatchKind::HeaderNotDocumented,
                Some("X-Tenant")
            ),
            ("json_instead_of_multipart", MismatchKind::BodyKind, None),
        ],
        "{report}"
    );
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
        let (server, client) = askui_tests::serve(
            Reply::json(200, reply),
            Some(askui_workspaces::access_token("a-token")),
        )
        .await;
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

/// The checker reads a request as the fake (and FastAPI) do, with the same code: a query
/// value is converted to the type its schema names, not guessed from its text, and a `uri`
/// is what pydantic's lenient URL parser accepts.
#[test]
fn the_checker_reads_values_as_the_fake_does() {
    let spec = Spec::full();
    let request = |method: &str, target: &str, body: &str| {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("authorization", "Bearer x".parse().unwrap());
        if !body.is_empty() {
            headers.insert("content-type", "application/json".parse().unwrap());
        }
        askui_tests::Recorded {
            method: method.into(),
            target: target.into(),
            headers,
            body: body.as_bytes().to_vec(),
            version: axum::http::Version::HTTP_11,
        }
    };
    let list = <Client as AccessTokens>::LIST_ACCESS_TOKENS;
    // `subject_id` is a string: `123` is its text, not a number.
    let digits = request("GET", "/api/v1/access-tokens?subject_id=123&limit=5", "");
    assert_eq!(spec.request_problems(&list, &digits), Vec::<String>::new());
    let not_a_number = request("GET", "/api/v1/access-tokens?limit=abc", "");
    let problems = spec.request_problems(&list, &not_a_number);
    assert!(
        problems.iter().any(|p| p.contains("`limit`")),
        "{problems:?}"
    );
    let portal = <Client as Billing>::CREATE_CUSTOMER_PORTAL_SESSION;
    let target = format!(
        "/api/v1/workspaces/{}/billing/customer-portal-session",
        Uuid::new_v4()
    );
    let spaced = request(
        "POST",
        &target,
        r#"{"returnUrl":"https://app.example/a b"}"#,
    );
    assert_eq!(
        spec.request_problems(&portal, &spaced),
        Vec::<String>::new()
    );
}
