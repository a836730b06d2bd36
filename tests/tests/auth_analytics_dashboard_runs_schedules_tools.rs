//! The `auth`, `analytics`, `dashboard`, `runs`, `schedules` and `tools` operations of
//! `askui-workspaces` on the wire: the exact request, the documented success answer decoded,
//! and a documented error shape each.

use std::time::Duration;

use askui_runtime::{Auth, CallOptions, ErrorKind};
use askui_tests::spec::conforms;
use askui_tests::{Reply, serve};
use askui_workspaces::analytics::{Analytics, IdentifyCommand};
use askui_workspaces::auth::{Authentication, SendVerificationEmailCommand};
use askui_workspaces::chrono::{NaiveDate, TimeZone};
use askui_workspaces::dashboard::{Dashboard, UsageQuery};
use askui_workspaces::runs::{RunStatus, Runs};
use askui_workspaces::schedules::{
    CreateScheduleRequestDto, RunnerHost, ScheduleName, ScheduleStatus, Schedules,
};
use askui_workspaces::tools::{ExtractDataCommand, JsonSchema, Tools};
use askui_workspaces::{Client, Utc};
use serde_json::json;
use uuid::Uuid;

const WORKSPACE: Uuid = Uuid::from_u128(0x3f0c_5a1e_9b7d_4c2a_8e61_0d4f_2b9a_7c15);
const OTHER_WORKSPACE: Uuid = Uuid::from_u128(0x9d2e_41c0_5b7a_4f3e_a1c2_7e8f_0b1d_2c3a);
const WS: &str = "3f0c5a1e-9b7d-4c2a-8e61-0d4f2b9a7c15";

#[tokio::test]
async fn email_verification_needs_no_credentials() {
    let (server, client) = serve(
        Reply::json(200, json!({"jobId": "job-1", "jobStatus": "pending"})),
        None,
    )
    .await;
    let job = client
        .send_verification_email(&SendVerificationEmailCommand::new("ann@example.com").unwrap())
        .await
        .unwrap();
    assert_eq!(
        (job.job_id.as_str(), job.job_status.as_str()),
        ("job-1", "pending")
    );
    let request = server.only_request();
    assert_eq!(request.target, "/api/v1/auth/verification-email");
    assert_eq!(request.header("authorization"), None);
    assert_eq!(request.json(), json!({"email": "ann@example.com"}));
    conforms(
        &<Client as Authentication>::SEND_VERIFICATION_EMAIL,
        &request,
        200,
        Some(&json!({"jobId": "job-1", "jobStatus": "pending"})),
    );

    let (server, client) = serve(
        Reply::json(200, json!({"id": "job 1/2", "status": "completed"})),
        None,
    )
    .await;
    let status = client.get_job_status("job 1/2").await.unwrap();
    assert_eq!(status.status, "completed");
    assert_eq!(
        server.only_request().target,
        "/api/v1/auth/jobs/job%201%2F2"
    );

    let (_server, client) = serve(Reply::json(404, json!({"detail": "Job not found"})), None).await;
    let error = client.get_job_status("x").await.unwrap_err();
    assert_eq!(error.detail().as_deref(), Some("Job not found"));
    assert_eq!(
        SendVerificationEmailCommand::new("no-at-sign")
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidArgument
    );
}

#[tokio::test]
async fn identify() {
    let (server, client) = serve(Reply::empty(204), Some(Auth::bearer("tok"))).await;
    let traits = json!({"plan": "team", "seats": 5});
    client
        .identify(&IdentifyCommand {
            anonymous_id: WORKSPACE,
            traits: traits.as_object().unwrap().clone(),
        })
        .await
        .unwrap();
    let request = server.only_request();
    assert_eq!(request.target, "/api/v1/analytics/identify");
    assert_eq!(request.json(), json!({"anonymousId": WS, "traits": traits}));
    conforms(&<Client as Analytics>::IDENTIFY, &request, 204, None);
}

#[tokio::test]
async fn aggregate_usage_events() {
    let (server, client) = serve(
        Reply::json(
            200,
            json!({"data": [{"workspaceId": WS, "userId": "u1", "date": "2026-11-03",
            "count": 12, "userEmail": "ann@example.com"}]}),
        ),
        Some(Auth::bearer("tok")),
    )
    .await;
    let start = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    let usage = client
        .aggregate_usage_events(
            &UsageQuery::new([WORKSPACE, OTHER_WORKSPACE], start, end)
                .unwrap()
                .user_ids(["u1", "u2"]),
        )
        .await
        .unwrap();
    assert_eq!(
        usage.data[0].date,
        NaiveDate::from_ymd_opt(2026, 11, 3).unwrap()
    );
    assert_eq!(usage.data[0].count, 12);
    let request = server.only_request();
    conforms(
        &<Client as Dashboard>::AGGREGATE_USAGE_EVENTS,
        &request,
        200,
        Some(
            &json!({"data": [{"workspaceId": WS, "userId": "u1", "date": "2026-11-03",
            "count": 12, "userEmail": "ann@example.com"}]}),
        ),
    );
    assert_eq!(
        request.target,
        format!(
            "/api/v1/dashboard/usage?workspace_ids={WS}&workspace_ids=9d2e41c0-5b7a-4f3e-a1c2-7e8f0b1d2c3a\
             &start_time=2026-11-01T00%3A00%3A00Z&end_time=2026-12-01T00%3A00%3A00Z&user_ids=u1&user_ids=u2"
        )
    );
    let (_server, client) = serve(
        Reply::json(403, json!({"detail": "Forbidden"})),
        Some(Auth::bearer("tok")),
    )
    .await;
    let error = client
        .aggregate_usage_events(&UsageQuery::new([WORKSPACE], start, end).unwrap())
        .await
        .unwrap_err();
    assert_eq!(error.detail().as_deref(), Some("Forbidden"));
}

fn run_template() -> serde_json::Value {
    json!({"workspace_id": WS, "workflows": ["workflows/login"],
        "runner_assignment": {"ids": [], "host": "ASKUI", "tags": []}, "data": {"k": 1}})
}

#[tokio::test]
async fn list_runs_reads_snake_case_and_unknown_statuses() {
    let schedule = json!({"name": "nightly", "started_at": "2026-11-01T02:00:00Z",
        "run_template": run_template(), "status": "ACTIVE"});
    let (server, client) = serve(
        Reply::json(
            200,
            json!({"data": [
                {"name": "run 1", "to_be_started_at": "2026-11-02T02:00:00Z", "schedule_id": "s1",
                 "template": run_template(), "no": 1, "schedule": schedule, "status": "PASSED"},
                {"name": "run 2", "to_be_started_at": "2026-11-03T02:00:00Z", "schedule_id": "s1",
                 "template": run_template(), "no": 2, "schedule": schedule, "status": "TELEPORTED"},
            ]}),
        ),
        Some(Auth::bearer("tok")),
    )
    .await;
    let runs = client.list_runs(WORKSPACE).await.unwrap();
    assert_eq!(runs.data[0].status, RunStatus::Passed);
    assert_eq!(
        runs.data[1].status,
        RunStatus::Unknown,
        "a status added later"
    );
    assert_eq!(
        runs.data[0].template.runner_assignment.host,
        RunnerHost::Askui
    );
    assert_eq!(runs.data[0].schedule.status, ScheduleStatus::Active);
    assert_eq!(
        server.only_request().target,
        format!("/api/v1/workspaces/{WS}/runs")
    );
}

#[tokio::test]
async fn create_and_suspend_schedules() {
    let (server, client) = serve(
        Reply::json(
            201,
            json!({"id": "s1", "name": "nightly", "started_at": "2026-11-01T02:00:00Z",
            "run_template": run_template(), "runs_count": 0}),
        ),
        Some(Auth::bearer("tok")),
    )
    .await;
    let created = client
        .create_schedule(
            WORKSPACE,
            &CreateScheduleRequestDto {
                name: Some(ScheduleName::new("nightly").unwrap()),
                host: Some(RunnerHost::SelfHosted),
                schedule: Some("0 2 * * *".into()),
                ended_after: Some(10),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        created.status,
        ScheduleStatus::Active,
        "the document's default"
    );
    let request = server.only_request();
    assert_eq!(request.target, format!("/api/v1/workspaces/{WS}/schedules"));
    assert_eq!(
        request.json(),
        json!({"name": "nightly", "host": "SELF", "ended_after": 10, "schedule": "0 2 * * *"})
    );
    conforms(
        &<Client as Schedules>::CREATE_SCHEDULE,
        &request,
        201,
        Some(
            &json!({"id": "s1", "name": "nightly", "started_at": "2026-11-01T02:00:00Z",
            "run_template": run_template(), "runs_count": 0}),
        ),
    );

    let (server, client) = serve(Reply::empty(204), Some(Auth::bearer("tok"))).await;
    client.suspend_schedule(WORKSPACE, "s1").await.unwrap();
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        (
            "POST",
            &*format!("/api/v1/workspaces/{WS}/schedules/s1/suspend")
        )
    );
    assert!(request.body.is_empty());
    conforms(
        &<Client as Schedules>::SUSPEND_SCHEDULE,
        &request,
        204,
        None,
    );
    assert!(ScheduleName::new("x".repeat(64)).is_err());
}

#[tokio::test]
async fn extract_data_waits_long_and_reads_string_422s() {
    assert_eq!(
        <Client as Tools>::EXTRACT_DATA.timeout(),
        Some(Duration::from_secs(600))
    );
    let (server, client) = serve(
        Reply::json(200, json!({"data": {"total": 12.5}})),
        Some(Auth::bearer("tok")),
    )
    .await;
    let schema = JsonSchema::new([("total".to_owned(), json!({"type": "number"}))])
        .unwrap()
        .title("Invoice")
        .unwrap()
        .required(["total"]);
    let command = ExtractDataCommand::new(["invoices/"], schema).unwrap();
    let answer = client.extract_data(&command, None).await.unwrap();
    assert_eq!(answer.data["total"], 12.5);
    let request = server.only_request();
    assert_eq!(request.target, "/api/v1/tools/extract-data");
    assert_eq!(
        request.json(),
        json!({"filePaths": ["invoices/"], "dataSchema": {"title": "Invoice", "type": "object",
            "properties": {"total": {"type": "number"}}, "required": ["total"]}})
    );
    conforms(
        &<Client as Tools>::EXTRACT_DATA,
        &request,
        200,
        Some(&json!({"data": {"total": 12.5}})),
    );

    let (_server, client) = serve(
        Reply::json(422, json!({"detail": "No supported files"})).after(Duration::from_millis(300)),
        Some(Auth::bearer("tok")),
    )
    .await;
    let error = client.extract_data(&command, None).await.unwrap_err();
    assert_eq!(error.detail().as_deref(), Some("No supported files"));
    assert!(error.validation().is_none());
    // A per-call limit replaces the endpoint's ten minutes.
    let options = CallOptions::new().timeout(Duration::from_millis(50));
    let error = client
        .extract_data(&command, Some(&options))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(JsonSchema::new([]).is_err());
    assert!(
        ExtractDataCommand::new(
            Vec::<String>::new(),
            JsonSchema::new([("a".to_owned(), json!({}))]).unwrap()
        )
        .is_err()
    );
}
