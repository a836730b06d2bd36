//! Every method of `askui-workspaces` called through a real `Client` against the AskUI fake
//! (`askui-fake`), one group per trait.
//!
//! The fake validates each request against the OpenAPI document (a request that does not
//! conform is a 422, so `unwrap` fails) and answers the documented success: files, access
//! tokens and agents keep state, so those groups check that state round-trips; every other
//! operation answers an instance generated from its success schema with every optional
//! property filled, so decoding it proves the DTOs read the whole documented shape. The
//! generator's values are fixed (`"example"`, [`GENERATED_ID`], [`generated_time`], `1`,
//! `true`), which the assertions below look for.
//!
//! `the_walk_calls_every_endpoint` runs all groups against one fake and fails, naming the
//! method, if any endpoint listed in a trait's `ENDPOINTS` was not called successfully.
//! `blocking_twins_work_against_the_fake` makes a handful of the same calls with the
//! blocking client, from a thread outside any async runtime.

use std::collections::BTreeSet;
use std::sync::Mutex;

use askui_fake::{Config, FakeServer};
use askui_runtime::{Auth, Client, Endpoint, ErrorKind, Part, StatusCode};
use askui_workspaces::access_tokens::{
    AccessTokens, CreateSubjectAccessTokenCommand, CreateWorkspaceAccessTokenRequestDto,
    ListAccessTokensQuery, LookupAccessTokenCommand, TokenName,
};
use askui_workspaces::agent_executions::{
    AgentExecutionState, AgentExecutionUpdateCommand, AgentExecutions, InputFiles,
    ListAgentExecutionsQuery,
};
use askui_workspaces::agents::{
    AgentCreateCommand, AgentName, AgentStatus, AgentUpdateCommand, Agents, DataDestination,
    DataDestinationCreate, EmailAgentTriggerCreate, ListAgentsQuery,
};
use askui_workspaces::analytics::{Analytics, IdentifyCommand};
use askui_workspaces::auth::{Authentication, SendVerificationEmailCommand};
use askui_workspaces::billing::{
    Billing, CreateCheckoutSessionCommand, CreateCustomerPortalSessionRequestDto, ReturnUrl,
};
use askui_workspaces::chrono::{DateTime, TimeZone, Utc};
use askui_workspaces::dashboard::{Dashboard, UsageQuery};
use askui_workspaces::files::{
    FileListItem, Files, GenerateSignedCookiesCommand, ListFilesQuery, UploadFile,
};
use askui_workspaces::invites::{
    CreateInviteCommand, InviteAction, InviteStatus, Invites, ProcessWorkspaceInviteCommand,
};
use askui_workspaces::runner_jobs::{
    CompleteRunnerJobRequestDto, CompletedStatus, RunnerJobStatus, RunnerJobs,
};
use askui_workspaces::runs::{RunStatus, Runs};
use askui_workspaces::schedules::{
    CreateScheduleRequestDto, RunnerHost, ScheduleName, ScheduleStatus, Schedules,
};
use askui_workspaces::tools::{ExtractDataCommand, JsonSchema, Tools};
use askui_workspaces::workspace_memberships::{
    CreateWorkspaceMembershipRequestDto, ListWorkspaceMembershipsQuery, MembershipExpand,
    UserMembershipsExpand, WorkspaceMemberships, WorkspacePrivilege,
};
use askui_workspaces::workspaces::{
    CreateWorkspaceRequestDto, UpdateWorkspaceNameRequestDto, WorkspaceExpand, WorkspaceName,
    Workspaces,
};
use askui_workspaces::{Email, Uuid};
use futures_util::TryStreamExt;
use serde_json::{Map, json};

const TOKEN: &str = "fake-token-of-the-walk";
const WORKSPACE: Uuid = Uuid::from_u128(0x3f0c_5a1e_9b7d_4c2a_8e61_0d4f_2b9a_7c15);
/// The id the fake's generator puts in every `format: uuid4` string.
const GENERATED_ID: Uuid = Uuid::from_u128(0x7c2f_3b8a_5d1e_4f6a_9b0c_1d2e_3f4a_5b6c);

/// The time the fake's generator puts in every `format: date-time` string.
fn generated_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap()
}

/// A fake with one workspace, a client of it (Basic auth, as AskUI tokens are sent), and
/// the names of the methods called successfully so far.
struct Walk {
    fake: FakeServer,
    client: Client,
    called: Mutex<BTreeSet<&'static str>>,
}

impl Walk {
    async fn start() -> Walk {
        let fake = FakeServer::start(Config::new(TOKEN).workspace(WORKSPACE))
            .await
            .expect("the fake starts");
        let client = client_of(&fake, Some(askui_workspaces::access_token(TOKEN)));
        Walk {
            fake,
            client,
            called: Mutex::new(BTreeSet::new()),
        }
    }

    fn record(&self, method: &'static str) {
        self.called.lock().unwrap().insert(method);
    }

    fn called(&self) -> BTreeSet<&'static str> {
        self.called.lock().unwrap().clone()
    }
}

fn client_of(fake: &FakeServer, auth: Option<Auth>) -> Client {
    let mut builder = Client::builder().base_url(fake.base_url());
    if let Some(auth) = auth {
        builder = builder.auth(auth);
    }
    builder.build().expect("a client of the fake")
}

/// `call!(walk, method(args…))` awaits `walk.client.method(args…)` and records `method`
/// once it succeeded; `call!(walk, other_client => method(args…))` calls through another
/// client. The name recorded is the method actually called, so the completeness check
/// cannot be satisfied by a list kept apart from the calls.
macro_rules! call {
    ($walk:expr, $client:expr => $method:ident($($arg:expr),* $(,)?)) => {{
        let result = $client.$method($($arg),*).await;
        if result.is_ok() {
            $walk.record(stringify!($method));
        }
        result
    }};
    ($walk:expr, $method:ident($($arg:expr),* $(,)?)) => {
        call!($walk, $walk.client => $method($($arg),*))
    };
}

// ---------------------------------------------------------------------------------------
// The groups, one per trait.
// ---------------------------------------------------------------------------------------

async fn billing(walk: &Walk) {
    let body = CreateCustomerPortalSessionRequestDto::new("https://app.example/account").unwrap();
    let session = call!(walk, create_customer_portal_session(WORKSPACE, &body)).unwrap();
    // A behaviour of the fake: the session URL carries the return URL.
    assert!(
        session
            .session_url
            .as_str()
            .starts_with("https://billing.askui.example/session/"),
        "{}",
        session.session_url
    );
    assert_eq!(
        session
            .session_url
            .query_pairs()
            .find(|(key, _)| key == "return")
            .map(|(_, value)| value.into_owned())
            .as_deref(),
        Some("https://app.example/account")
    );

    let checkout = CreateCheckoutSessionCommand {
        price_id: "price_123".into(),
        return_url: ReturnUrl::new("https://app.example/back").unwrap(),
    };
    let checkout = call!(walk, create_checkout_session(WORKSPACE, &checkout)).unwrap();
    assert_eq!(checkout.session_url.as_str(), "https://askui.example/");

    let prices = call!(walk, list_prices(WORKSPACE)).unwrap();
    let price = &prices.prices[0];
    assert_eq!(
        (
            price.id.as_str(),
            price.unit_amount,
            price.recurring_interval_count
        ),
        ("example", 1, 1)
    );

    let subscription = call!(walk, get_subscription(WORKSPACE)).unwrap();
    assert_eq!(subscription.current_period_start, generated_time());
    // Both optional (with defaults `[]` and `false`): filled by the fake, so read.
    assert_eq!(subscription.items[0].product_allowed_usage, 1);
    assert!(subscription.is_trial);
}

async fn access_tokens(walk: &Walk) {
    let expires = Utc.with_ymd_and_hms(2031, 6, 1, 0, 0, 0).unwrap();

    // The caller's own token: create, list, look up, use, delete.
    let body = CreateSubjectAccessTokenCommand {
        name: TokenName::new("ci").unwrap(),
        expires_at: Some(expires),
    };
    let created = call!(walk, create_access_token(&body)).unwrap();
    let id = created.token.id.expect("the fake gives the token an id");
    assert_eq!(created.token.name, "ci");
    assert_eq!(created.token.expires_at, Some(expires));
    assert!(created.token.created_at.is_some());
    let secret = created.token_string.expose_secret().to_owned();

    let listed = call!(walk, list_access_tokens(&ListAccessTokensQuery::new())).unwrap();
    assert!(
        listed.data.iter().any(|token| token.id == Some(id)),
        "{listed:?}"
    );
    let streamed: Vec<_> = walk
        .client
        .all_access_tokens(ListAccessTokensQuery::new().limit(1).unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        streamed.iter().map(|token| token.id).collect::<Vec<_>>(),
        [Some(id)]
    );

    let lookup = LookupAccessTokenCommand::new(secret.clone()).unwrap();
    let found = call!(walk, lookup_access_token(&lookup)).unwrap();
    assert_eq!(found.access_token_id, id);

    // The new token authenticates on its own, as Bearer.
    let as_token = client_of(&walk.fake, Some(Auth::bearer(secret.clone())));
    as_token
        .list_access_tokens(&ListAccessTokensQuery::new())
        .await
        .unwrap();

    call!(walk, delete_access_token(id)).unwrap();
    let listed = walk
        .client
        .list_access_tokens(&ListAccessTokensQuery::new())
        .await
        .unwrap();
    assert!(listed.data.iter().all(|token| token.id != Some(id)));
    let gone = walk.client.lookup_access_token(&lookup).await.unwrap_err();
    assert_eq!(gone.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(gone.detail().as_deref(), Some("Access token not found"));
    let refused = as_token
        .list_access_tokens(&ListAccessTokensQuery::new())
        .await
        .unwrap_err();
    assert_eq!(refused.status(), Some(StatusCode::UNAUTHORIZED));

    // A workspace token: create, list, look up, delete; kept apart from the caller's.
    let body = CreateWorkspaceAccessTokenRequestDto {
        name: TokenName::new("runner").unwrap(),
        expires_at: None,
    };
    let created = call!(walk, create_workspace_access_token(WORKSPACE, &body)).unwrap();
    let id = created.private_token.id;
    assert_eq!(created.private_token.name, "runner");
    assert_eq!(created.private_token.expires_at, None);
    let secret = created.token_string.expose_secret().to_owned();

    let listed = call!(walk, list_workspace_access_tokens(WORKSPACE)).unwrap();
    assert_eq!(
        listed.iter().map(|token| token.id).collect::<Vec<_>>(),
        [id]
    );
    assert!(
        walk.client
            .list_access_tokens(&ListAccessTokensQuery::new())
            .await
            .unwrap()
            .data
            .is_empty(),
        "a workspace token is not one of the caller's"
    );

    let lookup = LookupAccessTokenCommand::new(secret).unwrap();
    let found = call!(walk, lookup_workspace_access_token(WORKSPACE, &lookup)).unwrap();
    assert_eq!(found.access_token_id, id);

    call!(walk, delete_workspace_access_token(WORKSPACE, id)).unwrap();
    assert!(
        walk.client
            .list_workspace_access_tokens(WORKSPACE)
            .await
            .unwrap()
            .is_empty()
    );
    let again = walk
        .client
        .delete_workspace_access_token(WORKSPACE, id)
        .await
        .unwrap_err();
    assert_eq!(again.status(), Some(StatusCode::NOT_FOUND));
}

async fn auth(walk: &Walk) {
    // Neither operation needs credentials: called without any.
    let anonymous = client_of(&walk.fake, None);
    let body = SendVerificationEmailCommand::new("ann@example.com").unwrap();
    let sent = call!(walk, anonymous => send_verification_email(&body)).unwrap();
    assert_eq!(
        (sent.job_id.as_str(), sent.job_status.as_str()),
        ("example", "example")
    );
    let job = call!(walk, anonymous => get_job_status("job-1")).unwrap();
    assert_eq!(
        (job.id.as_str(), job.status.as_str()),
        ("example", "example")
    );
}

async fn analytics(walk: &Walk) {
    let mut traits = Map::new();
    traits.insert("plan".into(), json!("trial"));
    let body = IdentifyCommand {
        anonymous_id: Uuid::new_v4(),
        traits,
    };
    call!(walk, identify(&body)).unwrap();
}

async fn dashboard(walk: &Walk) {
    let query = UsageQuery::new(
        [WORKSPACE],
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2025, 2, 1, 0, 0, 0).unwrap(),
    )
    .unwrap()
    .user_ids(["user-1"]);
    let usage = call!(walk, aggregate_usage_events(&query)).unwrap();
    let row = &usage.data[0];
    assert_eq!(
        (row.workspace_id.as_str(), row.user_id.as_str(), row.count),
        ("example", "example", 1)
    );
    assert_eq!(row.user_email, "user@askui.example");
}

async fn runs(walk: &Walk) {
    let runs = call!(walk, list_runs(WORKSPACE)).unwrap();
    let run = &runs.data[0];
    // Every optional field of the run and of its schedule is read.
    assert_eq!(run.status, RunStatus::Upcoming);
    assert_eq!(run.version.as_deref(), Some("example"));
    assert_eq!(run.started_at, Some(generated_time()));
    assert_eq!(run.ended_at, Some(generated_time()));
    assert_eq!(
        run.template.workflows.as_deref(),
        Some(&["example".to_owned()][..])
    );
    assert_eq!(run.template.runner_assignment.host, RunnerHost::SelfHosted);
    assert_eq!(run.template.data["key"], "value");
    assert_eq!(run.schedule.runs_count, 1);
    assert_eq!(
        run.schedule.next_run_to_be_started_at,
        Some(generated_time())
    );
}

async fn schedules(walk: &Walk) {
    let body = CreateScheduleRequestDto {
        name: Some(ScheduleName::new("nightly").unwrap()),
        host: Some(RunnerHost::Askui),
        tags: Some(vec!["gpu".into()]),
        schedule: Some("0 2 * * *".into()),
        workflows: Some(vec!["workflows/book.ts".into()]),
        data: Some(Map::from_iter([("customer".to_owned(), json!("acme"))])),
        ..Default::default()
    };
    let schedule = call!(walk, create_schedule(WORKSPACE, &body)).unwrap();
    assert_eq!(schedule.status, ScheduleStatus::Active);
    assert_eq!(schedule.id.as_deref(), Some("example"));
    assert_eq!(schedule.ended_after, Some(1));
    assert_eq!(schedule.run_template.runner_assignment.ids, ["example"]);
    call!(walk, suspend_schedule(WORKSPACE, "schedule-1")).unwrap();
}

async fn tools(walk: &Walk) {
    let schema = JsonSchema::new([("total".to_owned(), json!({"type": "number"}))])
        .unwrap()
        .title("Invoice")
        .unwrap()
        .required(["total"]);
    let body = ExtractDataCommand::new([format!("workspaces/{WORKSPACE}/in/invoice.pdf")], schema)
        .unwrap();
    let extracted = call!(walk, extract_data(&body, None)).unwrap();
    assert_eq!(extracted.data["key"], "value");
}

async fn invites(walk: &Walk) {
    let mine = call!(walk, list_user_invites()).unwrap();
    assert_eq!(mine.invites[0].status, InviteStatus::Pending);
    let listed = call!(walk, list_invites(WORKSPACE)).unwrap();
    let invite = &listed.invites[0];
    assert_eq!(invite.id, GENERATED_ID);
    assert_eq!(invite.privileges, [WorkspacePrivilege::Owner]);
    assert_eq!(invite.expires_at, generated_time());

    let body = CreateInviteCommand {
        email: Email::new("bob@example.com").unwrap(),
        privilege: WorkspacePrivilege::Member,
    };
    let created = call!(walk, create_invite(WORKSPACE, &body)).unwrap();
    assert_eq!(created.workspace_name, "example");
    let body = ProcessWorkspaceInviteCommand {
        action: InviteAction::Decline,
    };
    call!(walk, process_invite(WORKSPACE, created.id, &body)).unwrap();
    let revoked = call!(walk, revoke_invite(WORKSPACE, created.id)).unwrap();
    assert_eq!(revoked.inviter_id, "example");
}

async fn workspaces(walk: &Walk) {
    let body = CreateWorkspaceRequestDto {
        name: WorkspaceName::new("Team A").unwrap(),
        first_member_id: Some("user-1".into()),
        billing_account_email: Email::new("billing@example.com").unwrap(),
    };
    let created = call!(walk, create_workspace(&body)).unwrap();
    assert_eq!(created.id, Some(GENERATED_ID));
    let member = &created.memberships[0];
    assert_eq!(member.privileges, [WorkspacePrivilege::Owner]);
    // The snake_case token inside the camelCase membership.
    assert_eq!(member.access_tokens[0].hash, "example");
    assert_eq!(member.access_tokens[0].expires_at, Some(generated_time()));

    let body = UpdateWorkspaceNameRequestDto {
        name: WorkspaceName::new("Team B").unwrap(),
    };
    let updated = call!(
        walk,
        update_workspace_name(
            WORKSPACE,
            &body,
            Some(WorkspaceExpand::WorkspaceMemberships)
        )
    )
    .unwrap();
    let memberships = updated.memberships.expect("filled by the fake");
    assert_eq!(memberships[0].user_id, "example");
    assert!(memberships[0].access_tokens.is_empty(), "not in this shape");

    call!(walk, delete_workspace(WORKSPACE)).unwrap();
}

#[allow(deprecated)]
async fn workspace_memberships(walk: &Walk) {
    let listed = call!(
        walk,
        list_user_workspace_memberships("user-1", Some(UserMembershipsExpand::Workspace))
    )
    .unwrap();
    assert_eq!(listed[0].workspace_id, GENERATED_ID);
    assert_eq!(
        listed[0].workspace.as_ref().map(|w| w.name.as_str()),
        Some("example")
    );

    let query = ListWorkspaceMembershipsQuery {
        user_id: vec!["user-1".into()],
        workspace_id: vec![WORKSPACE],
        expand: vec![MembershipExpand::User, MembershipExpand::Workspace],
    };
    let listed = call!(walk, list_workspace_memberships(&query)).unwrap();
    let membership = &listed.data[0];
    let user = membership.user.as_ref().expect("filled by the fake");
    assert!(user.email_verified);
    assert_eq!(user.picture.as_str(), "https://askui.example/");
    assert!(membership.workspace.is_some());

    let body = CreateWorkspaceMembershipRequestDto::new(
        "user-2",
        WORKSPACE,
        Some(WorkspacePrivilege::Admin),
    );
    let created = call!(walk, create_workspace_membership(&body)).unwrap();
    assert_eq!(created.access_tokens.len(), 1);
    call!(walk, delete_workspace_membership(GENERATED_ID)).unwrap();
}

async fn files(walk: &Walk) {
    let prefix = format!("workspaces/{WORKSPACE}/docs/");
    let a = format!("{prefix}a.txt");
    let b = format!("{prefix}sub/b.json");

    let uploaded = call!(
        walk,
        upload_file(
            &a,
            Some(true),
            UploadFile::bytes(b"hello".to_vec(), "a.txt", "text/plain"),
            None
        )
    )
    .unwrap();
    assert_eq!(uploaded.file_path, a);
    assert_eq!(uploaded.content_type, "text/plain");
    walk.client
        .upload_file(
            &b,
            None,
            UploadFile::bytes(b"{}".to_vec(), "b.json", "application/json"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(walk.fake.file_keys(), [a.clone(), b.clone()]);

    // One page with a folder, then every file, a page of one at a time.
    let page = call!(walk, list_files(&ListFilesQuery::new(&prefix).folders())).unwrap();
    assert_eq!(page.next_continuation_token, None);
    match &page.data[..] {
        [FileListItem::File(file), FileListItem::Folder(folder)] => {
            assert_eq!((file.path.as_str(), file.size), (a.as_str(), 5));
            assert_eq!(file.url, None, "asked without URLs");
            assert_eq!(folder.path, format!("{prefix}sub/"));
        }
        other => panic!("{other:?}"),
    }
    let every: Vec<FileListItem> = walk
        .client
        .all_files(ListFilesQuery::new(&prefix).limit(1).unwrap().with_urls())
        .try_collect()
        .await
        .unwrap();
    let paths: Vec<&str> = every
        .iter()
        .map(|item| match item {
            FileListItem::File(file) => {
                assert!(file.url.is_some(), "asked with URLs");
                file.path.as_str()
            }
            FileListItem::Folder(folder) => panic!("no delimiter, no folder: {folder:?}"),
        })
        .collect();
    assert_eq!(paths, [a.as_str(), b.as_str()]);

    call!(walk, delete_file(&a)).unwrap();
    let left = walk
        .client
        .list_files(&ListFilesQuery::new(&prefix))
        .await
        .unwrap();
    assert_eq!(left.data.len(), 1);
    assert!(matches!(&left.data[0], FileListItem::File(file) if file.path == b));
    assert_eq!(walk.fake.file_keys(), [b]);

    let body = GenerateSignedCookiesCommand {
        workspace_id: Some(WORKSPACE),
    };
    let cookies = call!(walk, set_signed_cookies(&body)).unwrap();
    assert_eq!(cookies.status, StatusCode::OK);
    assert_eq!(cookies.into_value(), json!({}));
}

async fn runner_jobs(walk: &Walk) {
    let job = call!(
        walk,
        lease(
            RunnerHost::SelfHosted,
            "runner-1",
            Some(WORKSPACE),
            &["gpu"]
        )
    )
    .unwrap()
    .expect("the first branch of `anyOf [dto, null]` is generated");
    assert_eq!(job.status, RunnerJobStatus::Pending);
    assert_eq!(job.visible, generated_time());
    assert_eq!(
        job.data.workflows.as_deref(),
        Some(&["example".to_owned()][..])
    );
    assert_eq!(job.data.credentials.access_token.expose_secret(), "example");
    assert_eq!(job.data.data["key"], "value");

    let ping = call!(walk, ping(&job.ack)).unwrap();
    assert!(ping.cancel_job);
    let body = CompleteRunnerJobRequestDto {
        status: CompletedStatus::Passed,
    };
    call!(walk, complete(&job.ack, &body)).unwrap();
}

async fn agents(walk: &Walk) {
    let templates = call!(walk, list_agent_templates()).unwrap();
    let template = &templates.data[0];
    assert_eq!(template.last_modified, generated_time());

    let mut body = AgentCreateCommand::new(
        AgentName::new("Invoices").unwrap(),
        WORKSPACE,
        template.id.as_str(),
    )
    .unwrap();
    body.description = Some("reads invoices".into());
    body.data_schema =
        Some(JsonSchema::new([("total".to_owned(), json!({"type": "number"}))]).unwrap());
    body.data_destinations = vec![DataDestinationCreate::Webhook {
        url: "https://hooks.example/in".parse().unwrap(),
        headers: [("X-Key".to_owned(), "k".to_owned())].into(),
    }];
    body.email_trigger = Some(EmailAgentTriggerCreate {
        local_part: Some("invoices".into()),
        ..Default::default()
    });
    let agent = call!(walk, create_agent(&body)).unwrap();
    let id = agent.id.expect("the fake gives the agent an id");
    assert_eq!(agent.status, AgentStatus::Active);
    assert_eq!(agent.description, "reads invoices");
    assert_eq!(agent.email_trigger.email, "invoices@agents.askui.example");
    assert!(matches!(
        &agent.data_destinations[..],
        [DataDestination::Webhook { url, headers }]
            if url.as_str() == "https://hooks.example/in" && headers["X-Key"] == "k"
    ));

    let query = ListAgentsQuery::new()
        .workspaces([WORKSPACE])
        .with_total_count();
    let listed = call!(walk, list_agents(&query)).unwrap();
    assert_eq!(listed.data, std::slice::from_ref(&agent));
    assert_eq!(listed.total_count, Some(1));
    assert!(!listed.has_more);

    let update = AgentUpdateCommand {
        description: Some("reads invoices, v2".into()),
        status: Some(AgentStatus::Archived),
        auto_confirm: Some(true),
        ..Default::default()
    };
    let updated = call!(walk, update_agent(id, &update)).unwrap();
    assert_eq!(updated.id, Some(id));
    assert_eq!(updated.description, "reads invoices, v2");
    assert_eq!(updated.status, AgentStatus::Archived);
    assert!(updated.auto_confirm);
    assert_eq!(updated.name, "Invoices");

    let archived: Vec<_> = walk
        .client
        .all_agents(ListAgentsQuery::new().statuses([AgentStatus::Archived]))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(archived, [updated]);
    let active = walk
        .client
        .list_agents(&ListAgentsQuery::new().statuses([AgentStatus::Active]))
        .await
        .unwrap();
    assert!(active.data.is_empty());
}

async fn agent_executions(walk: &Walk) {
    let query = ListAgentExecutionsQuery::new()
        .agents([GENERATED_ID])
        .with_total_count();
    let listed = call!(walk, list_agent_executions(&query)).unwrap();
    assert_eq!(listed.total_count, Some(1));
    assert_eq!(listed.data[0].state, AgentExecutionState::PendingInputs);

    let files = InputFiles::part(
        Part::bytes(b"%PDF-1.4".to_vec())
            .file_name("invoice.pdf")
            .content_type("application/pdf"),
    )
    .and(
        Part::bytes(b"second".to_vec())
            .file_name("notes.txt")
            .content_type("text/plain"),
    );
    let execution = call!(walk, create_agent_execution(GENERATED_ID, files)).unwrap();
    assert_eq!(execution.agent_id, GENERATED_ID);
    assert_eq!(execution.created_at, Some(generated_time()));

    let update =
        AgentExecutionUpdateCommand::confirm(Map::from_iter([("total".to_owned(), json!(12.5))]))
            .unwrap();
    let updated = call!(walk, update_agent_execution(GENERATED_ID, &update)).unwrap();
    assert_eq!(updated.workspace_id, GENERATED_ID);
    call!(
        walk,
        update_agent_execution(GENERATED_ID, &AgentExecutionUpdateCommand::cancel())
    )
    .unwrap();
}

// ---------------------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------------------

macro_rules! group_tests {
    ($($group:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $group() {
                let walk = Walk::start().await;
                super::$group(&walk).await;
            }
        )*

        /// Every group, in order, against one fake.
        async fn every_group(walk: &Walk) {
            $( super::$group(walk).await; )*
        }
    };
}

mod per_trait {
    use super::Walk;

    group_tests!(
        billing,
        access_tokens,
        auth,
        analytics,
        dashboard,
        runs,
        schedules,
        tools,
        invites,
        workspace_memberships,
        files,
        runner_jobs,
        agents,
        agent_executions,
        workspaces,
    );

    pub(super) async fn walk_everything(walk: &Walk) {
        every_group(walk).await;
    }
}

/// Every endpoint of `askui-workspaces`, walked through the traits' `ENDPOINTS`.
fn endpoints() -> Vec<Endpoint> {
    askui_workspaces::endpoints()
}

#[tokio::test]
async fn the_walk_calls_every_endpoint() {
    let endpoints = endpoints();
    // Method names identify endpoints only if they are unique across the traits.
    let names: BTreeSet<&str> = endpoints.iter().map(Endpoint::name).collect();
    assert_eq!(names.len(), endpoints.len(), "a method name is used twice");
    assert_eq!(endpoints.len(), 46, "the document has 46 operations");

    let walk = Walk::start().await;
    per_trait::walk_everything(&walk).await;
    let called = walk.called();

    let missing: Vec<String> = endpoints
        .iter()
        .filter(|endpoint| !called.contains(endpoint.name()))
        .map(|endpoint| format!("{} ({endpoint})", endpoint.name()))
        .collect();
    assert!(
        missing.is_empty(),
        "not called against the fake: {missing:#?}"
    );
    let unknown: Vec<&&str> = called
        .iter()
        .filter(|name| !names.contains(*name))
        .collect();
    assert!(unknown.is_empty(), "recorded but no endpoint: {unknown:?}");
}

/// Workspace-scoped operations that document a 404 example answer it for a workspace the
/// caller is no member of, and the caller reads its list-shaped `detail`.
#[tokio::test]
async fn unknown_workspaces_get_the_documented_404() {
    let walk = Walk::start().await;
    let client = &walk.client;
    let other = Uuid::new_v4();
    let name = UpdateWorkspaceNameRequestDto {
        name: WorkspaceName::new("Team").unwrap(),
    };
    let token = CreateWorkspaceAccessTokenRequestDto {
        name: TokenName::new("t").unwrap(),
        expires_at: None,
    };
    let portal = CreateCustomerPortalSessionRequestDto::new("https://app.example/").unwrap();
    let checkout = CreateCheckoutSessionCommand {
        price_id: "price_1".into(),
        return_url: ReturnUrl::new("https://app.example/").unwrap(),
    };
    let answers = [
        (
            "Workspace not found",
            client.update_workspace_name(other, &name, None).await.err(),
        ),
        (
            "Workspace membership not found",
            client
                .create_workspace_access_token(other, &token)
                .await
                .err(),
        ),
        (
            "Workspace membership not found",
            client.list_workspace_access_tokens(other).await.err(),
        ),
        (
            "Workspace membership not found",
            client
                .delete_workspace_access_token(other, GENERATED_ID)
                .await
                .err(),
        ),
        (
            "Billing details not found",
            client
                .create_customer_portal_session(other, &portal)
                .await
                .err(),
        ),
        (
            "Billing details not found",
            client.create_checkout_session(other, &checkout).await.err(),
        ),
        (
            "Subscription not found",
            client.get_subscription(other).await.err(),
        ),
    ];
    for (detail, error) in answers {
        let error = error.unwrap_or_else(|| panic!("no error for {detail:?}"));
        assert_eq!(error.status(), Some(StatusCode::NOT_FOUND), "{error:?}");
        assert_eq!(error.detail().as_deref(), Some(detail), "{error:?}");
    }
}

/// The blocking twins against the fake, called from a plain thread: the fake runs on a
/// runtime of its own, and the blocking client on the one it owns.
#[test]
fn blocking_twins_work_against_the_fake() {
    use askui_runtime::blocking;
    use askui_workspaces::access_tokens::BlockingAccessTokens;
    use askui_workspaces::agents::{BlockingAgents, BlockingAgentsExt};
    use askui_workspaces::auth::BlockingAuthentication;
    use askui_workspaces::billing::BlockingBilling;
    use askui_workspaces::files::{BlockingFiles, BlockingFilesExt};
    use askui_workspaces::runner_jobs::BlockingRunnerJobs;

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fake = runtime
        .block_on(FakeServer::start(Config::new(TOKEN).workspace(WORKSPACE)))
        .unwrap();
    let client: blocking::Client = Client::builder()
        .base_url(fake.base_url())
        .auth(askui_workspaces::access_token(TOKEN))
        .build_blocking()
        .unwrap();

    let prices = client.list_prices(WORKSPACE).unwrap();
    assert_eq!(prices.prices[0].product_name, "example");
    let job = client.get_job_status("job-1").unwrap();
    assert_eq!(job.status, "example");
    let lease = client
        .lease(RunnerHost::Askui, "runner-1", None, &[])
        .unwrap();
    assert!(lease.is_some());

    let body = CreateSubjectAccessTokenCommand {
        name: TokenName::new("blocking").unwrap(),
        expires_at: None,
    };
    let created = client.create_access_token(&body).unwrap();
    let lookup = LookupAccessTokenCommand::new(created.token_string.expose_secret()).unwrap();
    let found = client.lookup_access_token(&lookup).unwrap();
    assert_eq!(Some(found.access_token_id), created.token.id);
    client.delete_access_token(found.access_token_id).unwrap();
    let gone = client.lookup_access_token(&lookup).unwrap_err();
    assert_eq!(gone.kind(), ErrorKind::Status);
    assert_eq!(gone.status(), Some(StatusCode::NOT_FOUND));

    let key = format!("workspaces/{WORKSPACE}/blocking/report.csv");
    let uploaded = client
        .upload_file(
            &key,
            None,
            UploadFile::bytes(b"a,b\n1,2\n".to_vec(), "report.csv", "text/csv"),
            None,
        )
        .unwrap();
    assert_eq!(uploaded.file_path, key);
    let listed: Vec<FileListItem> = client
        .all_files(ListFilesQuery::new(format!("workspaces/{WORKSPACE}/")))
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        matches!(&listed[..], [FileListItem::File(file)] if file.path == key && file.size == 8)
    );
    client.delete_file(&key).unwrap();
    assert!(fake.file_keys().is_empty());

    let body =
        AgentCreateCommand::new(AgentName::new("Blocking").unwrap(), WORKSPACE, "t1").unwrap();
    let agent = client.create_agent(&body).unwrap();
    let agents: Vec<_> = client
        .all_agents(ListAgentsQuery::new())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(agents, [agent]);

    drop(client);
    drop(fake);
}
