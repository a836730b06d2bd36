//! The `files` and `runner-jobs` operations of `askui-workspaces` on the wire: the exact
//! request (query, multi-segment paths, multipart parts), the documented answers decoded and
//! checked against the document, and the documented error shapes.

use askui_runtime::Auth;
use askui_tests::spec::conforms;
use askui_tests::{Reply, serve_answer, with_header};
use askui_workspaces::Client;
use askui_workspaces::files::{
    FileListItem, Files, GenerateSignedCookiesCommand, ListFilesQuery, UploadFile,
};
use askui_workspaces::runner_jobs::{
    CompleteRunnerJobRequestDto, CompletedStatus, RunnerJobStatus, RunnerJobs,
};
use askui_workspaces::schedules::RunnerHost;
use serde_json::{Value, json};
use uuid::Uuid;

const WORKSPACE: Uuid = Uuid::from_u128(0x3f0c_5a1e_9b7d_4c2a_8e61_0d4f_2b9a_7c15);
const WS: &str = "3f0c5a1e-9b7d-4c2a-8e61-0d4f2b9a7c15";

#[tokio::test]
async fn list_files_pages_files_and_folders() {
    let page = json!({"data": [
        {"type": "file", "name": "a.png", "path": format!("workspaces/{WS}/runs/a.png"),
         "url": "https://cdn.example/a.png?sig=1", "size": 1234, "lastModified": "2026-11-01T10:00:00Z"},
        {"type": "folder", "name": "old", "path": format!("workspaces/{WS}/runs/old/")},
    ], "nextContinuationToken": "t2"});
    let (server, client) = serve_answer(200, Some(&page)).await;
    let query = ListFilesQuery::new(format!("workspaces/{WS}/runs/"))
        .folders()
        .limit(2)
        .unwrap()
        .continuation_token("t1")
        .with_urls();
    let listed = client.list_files(&query).await.unwrap();
    assert!(matches!(&listed.data[0], FileListItem::File(file) if file.size == 1234));
    assert!(matches!(&listed.data[1], FileListItem::Folder(folder) if folder.name == "old"));
    assert_eq!(listed.next_continuation_token.as_deref(), Some("t2"));
    let request = server.only_request();
    assert_eq!(
        request.target,
        format!(
            "/api/v1/files?prefix=workspaces%2F{WS}%2Fruns%2F&delimiter=%2F&limit=2&continuation_token=t1&expand=url"
        )
    );
    conforms(&<Client as Files>::LIST_FILES, &request, 200, Some(&page));
    // The discriminator is always sent, and read also when missing; a tagged entry that does
    // not fit its variant is an error, not a folder.
    let untagged: askui_workspaces::files::FilesListResponseDto =
        serde_json::from_value(json!({"data": [
        {"name": "b", "path": "b/"},
        {"name": "c.txt", "path": "c.txt", "size": 1, "lastModified": "2026-11-01T10:00:00Z"}]}))
        .unwrap();
    assert!(matches!(&untagged.data[0], FileListItem::Folder(_)));
    assert!(matches!(&untagged.data[1], FileListItem::File(_)));
    assert_eq!(
        serde_json::to_value(&untagged.data[0]).unwrap()["type"],
        "folder"
    );
    let broken = serde_json::from_value::<askui_workspaces::files::FilesListResponseDto>(
        json!({"data": [{"type": "file", "name": "d", "path": "d", "size": null}]}),
    );
    assert!(broken.is_err());

    let (_server, client) = serve_answer(401, Some(&json!({"detail": "Not authenticated"}))).await;
    let error = client
        .list_files(&ListFilesQuery::new(""))
        .await
        .unwrap_err();
    assert_eq!(error.detail().as_deref(), Some("Not authenticated"));
}

#[tokio::test]
async fn upload_and_delete_files_by_multi_segment_path() {
    let answer =
        json!({"filePath": format!("workspaces/{WS}/runs/shot 1.png"), "contentType": "image/png"});
    let (server, client) = serve_answer(201, Some(&answer)).await;
    let dir = std::env::temp_dir().join(format!("askui-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let local = dir.join("shot 1.png");
    std::fs::write(&local, b"\x89PNG fake").unwrap();
    let uploaded = client
        .upload_file(
            &format!("workspaces/{WS}/runs/shot 1.png"),
            Some(true),
            UploadFile::path(&local),
            None,
        )
        .await
        .unwrap();
    assert_eq!(uploaded.content_type, "image/png");
    let request = server.only_request();
    assert_eq!(request.method, "PUT");
    assert_eq!(
        request.target,
        format!("/api/v1/files/workspaces/{WS}/runs/shot%201.png?strict=true")
    );
    let parts = request.multipart();
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].name, "file");
    assert_eq!(parts[0].file_name.as_deref(), Some("shot 1.png"));
    assert_eq!(parts[0].content_type.as_deref(), Some("image/png"));
    assert_eq!(parts[0].body, b"\x89PNG fake");
    conforms(
        &<Client as Files>::UPLOAD_FILE,
        &request,
        201,
        Some(&answer),
    );
    std::fs::remove_dir_all(&dir).unwrap();

    for (status, detail) in [(413, "File too large"), (422, "Invalid file path")] {
        let (_server, client) = serve_answer(status, Some(&json!({"detail": detail}))).await;
        let error = client
            .upload_file(
                "workspaces/w/a.txt",
                None,
                UploadFile::bytes(b"x".to_vec(), "a.txt", "text/plain"),
                None,
            )
            .await
            .unwrap_err();
        assert_eq!(error.detail().as_deref(), Some(detail));
        assert!(error.validation().is_none());
    }

    let (server, client) = serve_answer(204, None).await;
    client
        .delete_file(&format!("workspaces/{WS}/runs/shot 1.png"))
        .await
        .unwrap();
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        (
            "DELETE",
            &*format!("/api/v1/files/workspaces/{WS}/runs/shot%201.png")
        )
    );
    conforms(&<Client as Files>::DELETE_FILE, &request, 204, None);
    let error = client
        .delete_file("workspaces/../secrets")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), askui_runtime::ErrorKind::InvalidArgument);
}

#[tokio::test]
async fn signed_cookies_come_back_as_headers() {
    let server = askui_tests::RecordingServer::always(with_header(
        Reply::json(200, json!({})),
        "set-cookie",
        "CloudFront-Policy=abc; Secure; HttpOnly",
    ))
    .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .auth(Auth::bearer("tok"))
        .build()
        .unwrap();
    let answer = client
        .set_signed_cookies(&GenerateSignedCookiesCommand {
            workspace_id: Some(WORKSPACE),
        })
        .await
        .unwrap();
    assert_eq!(
        answer.headers["set-cookie"],
        "CloudFront-Policy=abc; Secure; HttpOnly"
    );
    let request = server.only_request();
    assert_eq!(request.json(), json!({"workspaceId": WS}));
    conforms(
        &<Client as Files>::SET_SIGNED_COOKIES,
        &request,
        200,
        Some(&json!({})),
    );
    // Required but nullable: `null` is sent, not left out.
    let (server, client) = serve_answer(200, Some(&Value::Null)).await;
    client
        .set_signed_cookies(&GenerateSignedCookiesCommand { workspace_id: None })
        .await
        .unwrap();
    let request = server.only_request();
    assert_eq!(request.json(), json!({"workspaceId": null}));
    conforms(
        &<Client as Files>::SET_SIGNED_COOKIES,
        &request,
        200,
        Some(&Value::Null),
    );
}

fn leased() -> Value {
    json!({"id": "j1", "ack": "ack-1", "status": "RUNNING", "visible": "2026-11-01T10:05:00Z",
        "runner_id": "r1", "tries": 1, "data": {"credentials": {"workspace_id": WS,
        "access_token": "run-secret"}, "workflows": null, "schedule_results_api_url": "https://a",
        "results_api_url": "https://b", "workflows_api_url": "https://c",
        "inference_api_url": "https://d", "data": {"k": 1}}})
}

#[tokio::test]
async fn runner_jobs_lease_ping_complete() {
    let (server, client) = serve_answer(200, Some(&leased())).await;
    let job = client
        .lease(
            RunnerHost::SelfHosted,
            "r 1",
            Some(WORKSPACE),
            &["gpu", "linux"],
        )
        .await
        .unwrap()
        .expect("a job");
    assert_eq!(job.status, RunnerJobStatus::Running);
    assert_eq!(
        job.data.credentials.access_token.expose_secret(),
        "run-secret"
    );
    assert!(
        !format!("{job:?}").contains("run-secret"),
        "the job's token is redacted"
    );
    let request = server.only_request();
    assert_eq!(
        request.target,
        format!(
            "/api/v1/runner-jobs/lease?runner_host=SELF&runner_id=r+1&workspace_id={WS}&tags=gpu&tags=linux"
        )
    );
    conforms(
        &<Client as RunnerJobs>::LEASE,
        &request,
        200,
        Some(&leased()),
    );

    // No job: JSON `null`.
    let (server, client) = serve_answer(200, Some(&Value::Null)).await;
    assert!(
        client
            .lease(RunnerHost::Askui, "r1", None, &[])
            .await
            .unwrap()
            .is_none()
    );
    let request = server.only_request();
    assert_eq!(
        request.target,
        "/api/v1/runner-jobs/lease?runner_host=ASKUI&runner_id=r1"
    );
    conforms(
        &<Client as RunnerJobs>::LEASE,
        &request,
        200,
        Some(&Value::Null),
    );

    let pinged = json!({"visible": "2026-11-01T10:10:00Z", "cancel_job": false});
    let (server, client) = serve_answer(200, Some(&pinged)).await;
    assert!(!client.ping("ack-1").await.unwrap().cancel_job);
    let request = server.only_request();
    assert_eq!(request.target, "/api/v1/runner-jobs/ping?ack=ack-1");
    conforms(&<Client as RunnerJobs>::PING, &request, 200, Some(&pinged));

    let (server, client) = serve_answer(204, None).await;
    client
        .complete(
            "ack-1",
            &CompleteRunnerJobRequestDto {
                status: CompletedStatus::Passed,
            },
        )
        .await
        .unwrap();
    let request = server.only_request();
    assert_eq!(request.target, "/api/v1/runner-jobs/complete?ack=ack-1");
    assert_eq!(request.json(), json!({"status": "PASSED"}));
    conforms(&<Client as RunnerJobs>::COMPLETE, &request, 204, None);

    let (_server, client) = serve_answer(422, Some(&json!({"detail": [{"loc": ["query", "ack"], "msg": "Field required", "type": "missing"}]}))).await;
    let error = client.ping("").await.unwrap_err();
    assert_eq!(error.validation().unwrap().detail[0].error_type, "missing");
}

#[tokio::test]
async fn all_files_follows_continuation_tokens() {
    use futures_util::TryStreamExt;
    let server = askui_tests::RecordingServer::start(|request| {
        let body = if request.target.contains("continuation_token=t2") {
            json!({"data": [{"type": "folder", "name": "c", "path": "w/c/"}]})
        } else {
            json!({"data": [{"type": "folder", "name": "a", "path": "w/a/"},
                {"type": "folder", "name": "b", "path": "w/b/"}], "nextContinuationToken": "t2"})
        };
        Reply::json(200, body)
    })
    .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap();
    let items: Vec<FileListItem> = client
        .all_files(ListFilesQuery::new("w/").folders())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 3);
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/api/v1/files?prefix=w%2F&delimiter=%2F",
            "/api/v1/files?prefix=w%2F&delimiter=%2F&continuation_token=t2"
        ]
    );
}

/// Folders `a`, `b` then `c` by continuation token; the second page repeats its own token,
/// which ends the walk. With `fail`, the second page is a 500 instead.
fn file_pages(fail: bool) -> impl Fn(&askui_tests::Recorded) -> Reply + Send + Sync {
    move |request| {
        if !request.target.contains("continuation_token=t2") {
            return Reply::json(
                200,
                json!({"data": [{"type": "folder", "name": "a", "path": "w/a/"},
                    {"type": "folder", "name": "b", "path": "w/b/"}], "nextContinuationToken": "t2"}),
            );
        }
        if fail {
            return Reply::json(500, json!({"detail": "boom"}));
        }
        Reply::json(
            200,
            json!({"data": [{"type": "folder", "name": "c", "path": "w/c/"}],
                "nextContinuationToken": "t2"}),
        )
    }
}

#[tokio::test]
async fn all_files_fetches_a_page_only_once_the_last_is_read_and_ends_after_an_error() {
    use askui_tests::paging::read_counting_requests;
    for fail in [false, true] {
        let server = askui_tests::RecordingServer::start(file_pages(fail)).await;
        let client = Client::builder()
            .base_url(server.base_url())
            .build()
            .unwrap();
        let (results, seen) = read_counting_requests(
            client.all_files(ListFilesQuery::new("w/").folders()),
            &server,
        )
        .await;
        assert_eq!(results.len(), 3);
        assert!(results[..2].iter().all(Result::is_ok));
        // Page 2 only once `a` and `b` are read; its token repeats, so it is the last.
        assert_eq!(results[2].is_err(), fail);
        assert_eq!(seen, [0, 1, 1, 2, 2]);
    }
}

#[test]
fn blocking_all_files_follows_continuation_tokens_and_stops_after_an_error() {
    use askui_workspaces::files::BlockingFilesExt;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(askui_tests::RecordingServer::start(file_pages(false)));
    let client = Client::builder()
        .base_url(server.base_url())
        .auth(Auth::bearer("tok"))
        .build_blocking()
        .unwrap();
    let mut items = client.all_files(ListFilesQuery::new("w/").folders());
    assert!(server.requests().is_empty(), "nothing is fetched up front");
    let mut names = Vec::new();
    for item in &mut items {
        match item.unwrap() {
            FileListItem::Folder(folder) => names.push(folder.name),
            FileListItem::File(file) => panic!("unexpected {file:?}"),
        }
    }
    assert_eq!(names, ["a", "b", "c"]);
    assert!(items.next().is_none());
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/api/v1/files?prefix=w%2F&delimiter=%2F",
            "/api/v1/files?prefix=w%2F&delimiter=%2F&continuation_token=t2"
        ]
    );

    let server = runtime.block_on(askui_tests::RecordingServer::start(file_pages(true)));
    let client = Client::builder()
        .base_url(server.base_url())
        .build_blocking()
        .unwrap();
    let mut items = client.all_files(ListFilesQuery::new("w/").folders());
    assert!(items.next().unwrap().is_ok());
    assert!(items.next().unwrap().is_ok());
    let error = items.next().unwrap().unwrap_err();
    assert_eq!(error.detail().as_deref(), Some("boom"));
    assert!(items.next().is_none());
    assert_eq!(server.requests().len(), 2);
}
