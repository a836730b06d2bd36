//! The `agents` and `agent-executions` operations of `askui-workspaces` on the wire: the
//! discriminated unions (data destinations, execution states, deliveries) sent with their
//! discriminator and read by it, multipart input files, and every request and answer checked
//! against the document.

use askui_runtime::{Auth, Part};
use askui_tests::spec::conforms;
use askui_tests::{Reply, serve_answer};
use askui_workspaces::Client;
use askui_workspaces::agent_executions::{
    AgentExecutionState, AgentExecutionStatus, AgentExecutionUpdateCommand, AgentExecutions,
    Delivery, InputFiles, ListAgentExecutionsQuery,
};
use askui_workspaces::agents::{
    AgentCreateCommand, AgentName, AgentStatus, AgentUpdateCommand, Agents, DataDestination,
    DataDestinationCreate, EmailAgentTriggerCreate, ListAgentsQuery,
};
use askui_workspaces::schedules::RunnerHost;
use askui_workspaces::tools::JsonSchema;
use serde_json::{Value, json};
use uuid::Uuid;

const WORKSPACE: Uuid = Uuid::from_u128(0x3f0c_5a1e_9b7d_4c2a_8e61_0d4f_2b9a_7c15);
const AGENT: Uuid = Uuid::from_u128(0x9d2e_41c0_5b7a_4f3e_a1c2_7e8f_0b1d_2c3a);
const WS: &str = "3f0c5a1e-9b7d-4c2a-8e61-0d4f2b9a7c15";
const AG: &str = "9d2e41c0-5b7a-4f3e-a1c2-7e8f0b1d2c3a";

fn agent() -> Value {
    json!({"id": AG, "name": "Invoices", "status": "ACTIVE", "autoConfirm": false,
        "emailTrigger": {"active": true, "allowedSenders": ["ann@example.com"], "email": "invoices+1@agents.example"},
        "dataSchema": {"type": "object", "properties": {"total": {"type": "number"}}},
        "dataDestinations": [
            {"type": "ASKUI_WORKFLOW", "host": "ASKUI", "runnerTags": [], "workflows": ["wf/book"]},
            {"type": "WEBHOOK", "url": "https://hooks.example/in", "headers": {"X-Key": "k"}}],
        "workspaceId": WS})
}

#[tokio::test]
async fn agents() {
    let page = json!({"data": [agent()], "hasMore": true, "totalCount": 3});
    let (server, client) = serve_answer(200, Some(&page)).await;
    let query = ListAgentsQuery::new()
        .workspaces([WORKSPACE])
        .statuses([AgentStatus::Active])
        .skip(1)
        .limit(1)
        .unwrap()
        .with_total_count();
    let listed = client.list_agents(&query).await.unwrap();
    assert!(listed.has_more);
    assert!(
        matches!(&listed.data[0].data_destinations[1], DataDestination::Webhook { url, .. } if url.as_str() == "https://hooks.example/in")
    );
    let request = server.only_request();
    assert_eq!(
        request.target,
        format!("/api/v1/agents?workspace_id={WS}&status=ACTIVE&skip=1&limit=1&expand=total_count")
    );
    conforms(&<Client as Agents>::LIST_AGENTS, &request, 200, Some(&page));

    let (server, client) = serve_answer(201, Some(&agent())).await;
    let mut body =
        AgentCreateCommand::new(AgentName::new("Invoices").unwrap(), WORKSPACE, "invoice-v1")
            .unwrap();
    body.data_schema =
        Some(JsonSchema::new([("total".to_owned(), json!({"type": "number"}))]).unwrap());
    body.data_destinations = vec![DataDestinationCreate::AskuiWorkflow {
        host: Some(RunnerHost::SelfHosted),
        runner_tags: vec!["gpu".into()],
        workflows: vec!["wf/book".into()],
    }];
    body.email_trigger = Some(EmailAgentTriggerCreate {
        local_part: Some("invoices".into()),
        ..Default::default()
    });
    assert_eq!(client.create_agent(&body).await.unwrap().id, Some(AGENT));
    let request = server.only_request();
    assert_eq!(
        request.json(),
        json!({"name": "Invoices", "dataSchema": {"type": "object", "properties": {"total": {"type": "number"}}},
            "dataDestinations": [{"type": "ASKUI_WORKFLOW", "host": "SELF", "runnerTags": ["gpu"], "workflows": ["wf/book"]}],
            "emailTrigger": {"localPart": "invoices"}, "workspaceId": WS, "templateId": "invoice-v1"})
    );
    conforms(
        &<Client as Agents>::CREATE_AGENT,
        &request,
        201,
        Some(&agent()),
    );
    // A constraint of an optional field is checked when the call is made, before any I/O.
    body.email_trigger = Some(EmailAgentTriggerCreate {
        local_part: Some("not valid!".into()),
        ..Default::default()
    });
    let error = client.create_agent(&body).await.unwrap_err();
    assert_eq!(error.kind(), askui_runtime::ErrorKind::InvalidArgument);
    assert_eq!(server.requests().len(), 1);
    let (_server, client) = serve_answer(409, None).await;
    body.email_trigger = None;
    assert_eq!(
        client
            .create_agent(&body)
            .await
            .unwrap_err()
            .status()
            .map(|s| s.as_u16()),
        Some(409)
    );

    let templates = json!({"data": [{"id": "invoice-v1", "name": "Invoice", "url": "https://docs.example/t",
        "lastModified": "2026-11-01T10:00:00Z"}]});
    let (server, client) = serve_answer(200, Some(&templates)).await;
    assert_eq!(
        client.list_agent_templates().await.unwrap().data[0].id,
        "invoice-v1"
    );
    conforms(
        &<Client as Agents>::LIST_AGENT_TEMPLATES,
        &server.only_request(),
        200,
        Some(&templates),
    );

    let (server, client) = serve_answer(200, Some(&agent())).await;
    let update = AgentUpdateCommand {
        status: Some(AgentStatus::Archived),
        auto_confirm: Some(true),
        ..Default::default()
    };
    client.update_agent(AGENT, &update).await.unwrap();
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("PATCH", &*format!("/api/v1/agents/{AG}"))
    );
    assert_eq!(
        request.json(),
        json!({"status": "ARCHIVED", "autoConfirm": true})
    );
    conforms(
        &<Client as Agents>::UPDATE_AGENT,
        &request,
        200,
        Some(&agent()),
    );
    assert!(AgentName::new(" leading space").is_err());
    // Destinations without their `type` are told apart by their fields.
    let mut untagged = agent();
    untagged["dataDestinations"] = json!([{"host": "SELF", "runnerTags": [], "workflows": ["w"]},
        {"url": "https://hooks.example/x", "headers": {}}]);
    let decoded: askui_workspaces::agents::Agent = serde_json::from_value(untagged).unwrap();
    assert!(matches!(
        decoded.data_destinations[0],
        DataDestination::AskuiWorkflow { .. }
    ));
    assert!(matches!(
        decoded.data_destinations[1],
        DataDestination::Webhook { .. }
    ));
    // A value read as `Unknown` cannot be sent back: an error before any request.
    let (server, client) = serve_answer(200, Some(&agent())).await;
    let update = AgentUpdateCommand {
        status: Some(AgentStatus::Unknown),
        ..Default::default()
    };
    let error = client.update_agent(AGENT, &update).await.unwrap_err();
    assert_eq!(error.kind(), askui_runtime::ErrorKind::InvalidArgument);
    assert!(server.requests().is_empty());
    assert!(AgentName::new("x".repeat(65)).is_err());
}

fn execution(state: Value) -> Value {
    json!({"id": AG, "agentId": AG, "workspaceId": WS, "state": state})
}

#[tokio::test]
async fn agent_executions() {
    let page = json!({"data": [
        execution(json!({"status": "PENDING_REVIEW", "dataExtracted": {"total": 12.5}})),
        execution(json!({"status": "DELIVERED_TO_DESTINATION", "dataExtracted": {"total": 12.5},
            "dataConfirmed": {"total": 12.5}, "deliveries": [{"type": "ASKUI_WORKFLOW", "scheduleId": "s1"},
            {"type": "WEBHOOK", "response": {"statusCode": 200, "headers": {}, "body": "ok"}}]})),
    ]});
    let (server, client) = serve_answer(200, Some(&page)).await;
    let query = ListAgentExecutionsQuery::new().agents([AGENT]).statuses([
        AgentExecutionStatus::PendingReview,
        AgentExecutionStatus::DeliveredToDestination,
    ]);
    let listed = client.list_agent_executions(&query).await.unwrap();
    assert!(
        matches!(&listed.data[0].state, AgentExecutionState::PendingReview { data_extracted } if data_extracted["total"] == 12.5)
    );
    assert!(
        matches!(&listed.data[1].state, AgentExecutionState::DeliveredToDestination { deliveries, .. }
        if matches!(&deliveries[1], Delivery::Webhook { response } if response.body == "ok"))
    );
    let request = server.only_request();
    assert_eq!(
        request.target,
        format!(
            "/api/v1/agent-executions?agent_id={AG}&status=PENDING_REVIEW&status=DELIVERED_TO_DESTINATION"
        )
    );
    conforms(
        &<Client as AgentExecutions>::LIST_AGENT_EXECUTIONS,
        &request,
        200,
        Some(&page),
    );
    // A state added later does not break the listing.
    let later = json!({"data": [execution(json!({"status": "ARCHIVED_BY_POLICY"}))]});
    let (_server, client) = serve_answer(200, Some(&later)).await;
    let listed = client
        .list_agent_executions(&ListAgentExecutionsQuery::default())
        .await
        .unwrap();
    assert_eq!(listed.data[0].state, AgentExecutionState::Unknown);
    // A state without its `status` reads as `Unknown` too; deliveries without `type` by fields.
    let untagged = json!({"data": [execution(json!({"dataExtracted": {"a": 1}})),
        execution(json!({"status": "DELIVERED_TO_DESTINATION", "dataExtracted": {"a": 1},
            "dataConfirmed": {"a": 1}, "deliveries": [{"scheduleId": "s1"},
            {"response": {"statusCode": 204, "headers": {}, "body": ""}}]}))]});
    let (_server, client) = serve_answer(200, Some(&untagged)).await;
    let listed = client
        .list_agent_executions(&ListAgentExecutionsQuery::default())
        .await
        .unwrap();
    assert_eq!(listed.data[0].state, AgentExecutionState::Unknown);
    assert!(
        matches!(&listed.data[1].state, AgentExecutionState::DeliveredToDestination { deliveries, .. }
        if matches!(deliveries[..], [Delivery::AskuiWorkflow { .. }, Delivery::Webhook { .. }]))
    );

    let created = execution(json!({"status": "PENDING_DATA_EXTRACTION"}));
    let (server, client) = serve_answer(201, Some(&created)).await;
    let files = InputFiles::part(
        Part::bytes(b"%PDF-1".to_vec())
            .file_name("a.pdf")
            .content_type("application/pdf"),
    )
    .and(
        Part::bytes(b"%PDF-2".to_vec())
            .file_name("b.pdf")
            .content_type("application/pdf"),
    );
    let execution_answer = client.create_agent_execution(AGENT, files).await.unwrap();
    assert_eq!(
        execution_answer.state,
        AgentExecutionState::PendingDataExtraction
    );
    let request = server.only_request();
    assert_eq!(
        request.target,
        format!("/api/v1/agent-executions?agent_id={AG}")
    );
    let parts = request.multipart();
    assert_eq!(
        parts
            .iter()
            .map(|p| (p.name.as_str(), p.body.as_slice()))
            .collect::<Vec<_>>(),
        [
            ("input_files", &b"%PDF-1"[..]),
            ("input_files", &b"%PDF-2"[..])
        ]
    );
    conforms(
        &<Client as AgentExecutions>::CREATE_AGENT_EXECUTION,
        &request,
        201,
        Some(&created),
    );

    let confirmed = execution(
        json!({"status": "CONFIRMED", "dataExtracted": {"total": 12.5}, "dataConfirmed": {"total": 13}}),
    );
    let (server, client) = serve_answer(200, Some(&confirmed)).await;
    let command =
        AgentExecutionUpdateCommand::confirm(json!({"total": 13}).as_object().unwrap().clone())
            .unwrap();
    client
        .update_agent_execution(AGENT, &command)
        .await
        .unwrap();
    let request = server.only_request();
    assert_eq!(
        request.json(),
        json!({"state": {"status": "CONFIRMED", "dataConfirmed": {"total": 13}}})
    );
    conforms(
        &<Client as AgentExecutions>::UPDATE_AGENT_EXECUTION,
        &request,
        200,
        Some(&confirmed),
    );

    let canceled = execution(json!({"status": "CANCELED", "dataExtracted": null}));
    let (server, client) = serve_answer(200, Some(&canceled)).await;
    client
        .update_agent_execution(AGENT, &AgentExecutionUpdateCommand::cancel())
        .await
        .unwrap();
    let request = server.only_request();
    assert_eq!(request.json(), json!({"state": {"status": "CANCELED"}}));
    conforms(
        &<Client as AgentExecutions>::UPDATE_AGENT_EXECUTION,
        &request,
        200,
        Some(&canceled),
    );

    for status in [400, 404, 409, 422] {
        let (_server, client) = serve_answer(status, None).await;
        let error = client
            .update_agent_execution(AGENT, &AgentExecutionUpdateCommand::cancel())
            .await
            .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.body(), Some(&askui_runtime::ErrorBody::Empty));
    }
}

#[tokio::test]
async fn all_agents_walks_every_page() {
    use futures_util::TryStreamExt;
    // Three agents in pages of two: `skip` advances while `hasMore`.
    let server = askui_tests::RecordingServer::start(|request| {
        let skip = if request.target.contains("skip=2") {
            2
        } else {
            0
        };
        let names: Vec<Value> = ["A1", "A2", "A3"]
            .iter()
            .skip(skip)
            .take(2)
            .map(|name| {
                let mut agent = agent();
                agent["name"] = json!(name);
                agent
            })
            .collect();
        Reply::json(200, json!({"data": names, "hasMore": skip == 0}))
    })
    .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .auth(Auth::bearer("tok"))
        .build()
        .unwrap();
    let agents: Vec<_> = client
        .all_agents(ListAgentsQuery::new().limit(2).unwrap())
        .try_collect()
        .await
        .unwrap();
    let names: Vec<&str> = agents.iter().map(|agent| agent.name.as_str()).collect();
    assert_eq!(names, ["A1", "A2", "A3"]);
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/api/v1/agents?skip=0&limit=2",
            "/api/v1/agents?skip=2&limit=2"
        ]
    );

    // An error ends the stream after it is yielded.
    let (_server, client) = serve_answer(500, None).await;
    let results: Vec<_> =
        futures_util::StreamExt::collect::<Vec<_>>(client.all_agents(ListAgentsQuery::new())).await;
    assert_eq!(results.len(), 1);
    assert!(results[0].is_err());
}

/// A blocking client of `server`, with Bearer auth.
fn blocking_client(server: &askui_tests::RecordingServer) -> askui_runtime::blocking::Client {
    Client::builder()
        .base_url(server.base_url())
        .auth(Auth::bearer("tok"))
        .build_blocking()
        .unwrap()
}

fn targets(server: &askui_tests::RecordingServer) -> Vec<String> {
    server.requests().into_iter().map(|r| r.target).collect()
}

/// Agents `A1`…`A3` in pages of two by `skip`, `hasMore` on the first; with `fail`, the
/// page at `skip=2` is a 500 instead.
fn agent_pages(fail: bool) -> impl Fn(&askui_tests::Recorded) -> Reply + Send + Sync {
    move |request| {
        let skip = if request.target.contains("skip=2") {
            2
        } else {
            0
        };
        if fail && skip == 2 {
            return Reply::json(500, json!({"detail": "boom"}));
        }
        let agents: Vec<Value> = ["A1", "A2", "A3"]
            .iter()
            .skip(skip)
            .take(2)
            .map(|name| {
                let mut agent = agent();
                agent["name"] = json!(name);
                agent
            })
            .collect();
        Reply::json(200, json!({"data": agents, "hasMore": skip == 0}))
    }
}

#[tokio::test]
async fn all_agents_fetches_a_page_only_once_the_last_is_read_and_ends_after_an_error() {
    use askui_tests::paging::read_counting_requests;
    let server = askui_tests::RecordingServer::start(agent_pages(false)).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap();
    let query = ListAgentsQuery::new().limit(2).unwrap();
    let (agents, seen) = read_counting_requests(client.all_agents(query.clone()), &server).await;
    let names: Vec<String> = agents
        .into_iter()
        .map(|agent| agent.unwrap().name)
        .collect();
    assert_eq!(names, ["A1", "A2", "A3"]);
    // Nothing up front; page 2 only once A1 and A2 are read; nothing after the last page.
    assert_eq!(seen, [0, 1, 1, 2, 2]);

    let server = askui_tests::RecordingServer::start(agent_pages(true)).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap();
    let (results, seen) = read_counting_requests(client.all_agents(query), &server).await;
    assert_eq!(results.len(), 3);
    assert!(results[..2].iter().all(Result::is_ok));
    assert_eq!(
        results[2].as_ref().unwrap_err().detail().as_deref(),
        Some("boom")
    );
    assert_eq!(seen, [0, 1, 1, 2, 2]);
}

#[test]
fn blocking_all_agents_fetches_each_page_as_the_iterator_advances() {
    use askui_workspaces::agents::BlockingAgentsExt;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(askui_tests::RecordingServer::start(agent_pages(false)));
    let client = blocking_client(&server);
    let query = ListAgentsQuery::new()
        .statuses([AgentStatus::Active])
        .limit(2)
        .unwrap();
    let mut agents = client.all_agents(query);
    assert!(server.requests().is_empty(), "nothing is fetched up front");
    let mut names = Vec::new();
    let mut requests_seen = Vec::new();
    for agent in &mut agents {
        names.push(agent.unwrap().name);
        requests_seen.push(server.requests().len());
    }
    assert_eq!(names, ["A1", "A2", "A3"]);
    // The second page is asked for only once the first is used up.
    assert_eq!(requests_seen, [1, 1, 2]);
    assert!(agents.next().is_none());
    assert_eq!(
        targets(&server),
        [
            "/api/v1/agents?status=ACTIVE&skip=0&limit=2",
            "/api/v1/agents?status=ACTIVE&skip=2&limit=2"
        ]
    );

    // An error is yielded once, and ends the walk.
    let server = runtime.block_on(askui_tests::RecordingServer::start(agent_pages(true)));
    let client = blocking_client(&server);
    let mut agents = client.all_agents(ListAgentsQuery::new().limit(2).unwrap());
    assert_eq!(agents.next().unwrap().unwrap().name, "A1");
    assert_eq!(agents.next().unwrap().unwrap().name, "A2");
    let error = agents.next().unwrap().unwrap_err();
    assert_eq!(
        error.status(),
        Some(askui_runtime::StatusCode::INTERNAL_SERVER_ERROR)
    );
    assert_eq!(error.detail().as_deref(), Some("boom"));
    assert!(agents.next().is_none());
    assert!(agents.next().is_none());
    assert_eq!(
        targets(&server),
        [
            "/api/v1/agents?skip=0&limit=2",
            "/api/v1/agents?skip=2&limit=2"
        ]
    );
}

/// Executions `1`…`3` in pages of two by `skip`, `hasMore` on the first; with `fail`, the
/// page at `skip=2` is a 500 instead.
fn execution_pages(fail: bool) -> impl Fn(&askui_tests::Recorded) -> Reply + Send + Sync {
    move |request| {
        let skip = if request.target.contains("skip=2") {
            2
        } else {
            0
        };
        if fail && skip == 2 {
            return Reply::empty(500);
        }
        let executions: Vec<Value> = (1..=3u128)
            .skip(skip)
            .take(2)
            .map(|n| {
                let mut execution = execution(json!({"status": "PENDING_DATA_EXTRACTION"}));
                execution["id"] = json!(Uuid::from_u128(n));
                execution
            })
            .collect();
        Reply::json(200, json!({"data": executions, "hasMore": skip == 0}))
    }
}

const EXECUTION_PAGES: [&str; 2] = [
    "/api/v1/agent-executions?agent_id=9d2e41c0-5b7a-4f3e-a1c2-7e8f0b1d2c3a&skip=0&limit=2",
    "/api/v1/agent-executions?agent_id=9d2e41c0-5b7a-4f3e-a1c2-7e8f0b1d2c3a&skip=2&limit=2",
];

#[tokio::test]
async fn all_agent_executions_walks_every_page() {
    use futures_util::TryStreamExt;
    let server = askui_tests::RecordingServer::start(execution_pages(false)).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap();
    let query = ListAgentExecutionsQuery::new()
        .agents([AGENT])
        .limit(2)
        .unwrap();
    let executions: Vec<_> = client
        .all_agent_executions(query.clone())
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<Option<Uuid>> = executions.iter().map(|execution| execution.id).collect();
    assert_eq!(
        ids,
        (1..=3)
            .map(|n| Some(Uuid::from_u128(n)))
            .collect::<Vec<_>>()
    );
    assert_eq!(targets(&server), EXECUTION_PAGES);

    let server = askui_tests::RecordingServer::start(execution_pages(true)).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap();
    let results: Vec<_> =
        futures_util::StreamExt::collect::<Vec<_>>(client.all_agent_executions(query)).await;
    assert_eq!(results.len(), 3);
    assert!(results[..2].iter().all(Result::is_ok));
    assert_eq!(
        results[2].as_ref().unwrap_err().status(),
        Some(askui_runtime::StatusCode::INTERNAL_SERVER_ERROR)
    );
    assert_eq!(targets(&server), EXECUTION_PAGES);
}

#[tokio::test]
async fn all_agent_executions_fetches_a_page_only_once_the_last_is_read_and_ends_after_an_error() {
    use askui_tests::paging::read_counting_requests;
    let query = ListAgentExecutionsQuery::new()
        .agents([AGENT])
        .limit(2)
        .unwrap();
    for fail in [false, true] {
        let server = askui_tests::RecordingServer::start(execution_pages(fail)).await;
        let client = Client::builder()
            .base_url(server.base_url())
            .build()
            .unwrap();
        let (results, seen) =
            read_counting_requests(client.all_agent_executions(query.clone()), &server).await;
        assert_eq!(results.len(), 3);
        assert!(results[..2].iter().all(Result::is_ok));
        assert_eq!(results[2].is_err(), fail);
        assert_eq!(seen, [0, 1, 1, 2, 2]);
        assert_eq!(targets(&server), EXECUTION_PAGES);
    }
}

#[test]
fn blocking_all_agent_executions_walks_every_page_and_stops_after_an_error() {
    use askui_workspaces::agent_executions::BlockingAgentExecutionsExt;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(askui_tests::RecordingServer::start(execution_pages(false)));
    let client = blocking_client(&server);
    let query = ListAgentExecutionsQuery::new()
        .agents([AGENT])
        .limit(2)
        .unwrap();
    let executions: Vec<_> = client
        .all_agent_executions(query.clone())
        .collect::<Result<_, _>>()
        .unwrap();
    let ids: Vec<Option<Uuid>> = executions.iter().map(|execution| execution.id).collect();
    assert_eq!(
        ids,
        (1..=3)
            .map(|n| Some(Uuid::from_u128(n)))
            .collect::<Vec<_>>()
    );
    assert_eq!(targets(&server), EXECUTION_PAGES);

    let server = runtime.block_on(askui_tests::RecordingServer::start(execution_pages(true)));
    let client = blocking_client(&server);
    let results: Vec<_> = client.all_agent_executions(query).collect();
    assert_eq!(results.len(), 3);
    assert!(results[..2].iter().all(Result::is_ok));
    assert_eq!(
        results[2].as_ref().unwrap_err().status(),
        Some(askui_runtime::StatusCode::INTERNAL_SERVER_ERROR)
    );
    assert_eq!(targets(&server), EXECUTION_PAGES);
}
