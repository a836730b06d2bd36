//! The access-token operations of `askui-workspaces` on the wire: the exact request, the
//! documented success answer decoded, and the documented error shapes.

use askui_runtime::{Auth, ErrorKind};
use askui_tests::{Reply, serve};
use askui_workspaces::access_tokens::{
    AccessTokens, BlockingAccessTokens, CreateSubjectAccessTokenCommand,
    CreateWorkspaceAccessTokenRequestDto, ListAccessTokensQuery, LookupAccessTokenCommand,
    LookupWorkspaceAccessTokenCommand, TokenName,
};
use askui_workspaces::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

const WORKSPACE: Uuid = Uuid::from_u128(0x3f0c_5a1e_9b7d_4c2a_8e61_0d4f_2b9a_7c15);
const TOKEN: Uuid = Uuid::from_u128(0x9d2e_41c0_5b7a_4f3e_a1c2_7e8f_0b1d_2c3a);
const WS: &str = "3f0c5a1e-9b7d-4c2a-8e61-0d4f2b9a7c15";
const TK: &str = "9d2e41c0-5b7a-4f3e-a1c2-7e8f0b1d2c3a";

fn subject_token() -> serde_json::Value {
    json!({"id": TK, "createdAt": "2026-11-01T10:00:00Z", "name": "ci",
        "expiresAt": null, "creatorId": "user-1"})
}

#[tokio::test]
async fn create_access_token() {
    let (server, client) = serve(
        Reply::json(
            201,
            json!({"token": subject_token(), "tokenString": "s3cr3t-value"}),
        ),
        Some(Auth::bearer("tok")),
    )
    .await;
    let expires: DateTime<Utc> = "2027-01-01T00:00:00Z".parse().unwrap();
    let created = client
        .create_access_token(&CreateSubjectAccessTokenCommand {
            name: TokenName::new("ci").unwrap(),
            expires_at: Some(expires),
        })
        .await
        .unwrap();
    assert_eq!(created.token.name, "ci");
    assert_eq!(created.token.expires_at, None);
    assert_eq!(created.token_string.expose_secret(), "s3cr3t-value");
    assert!(
        !format!("{created:?}").contains("s3cr3t-value"),
        "the secret is redacted"
    );
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("POST", "/api/v1/access-tokens")
    );
    assert_eq!(
        request.json(),
        json!({"name": "ci", "expiresAt": "2027-01-01T00:00:00Z"})
    );

    let (_server, client) = serve(
        Reply::json(403, json!({"detail": "Permission denied"})),
        None,
    )
    .await;
    let error = client
        .create_access_token(&CreateSubjectAccessTokenCommand {
            name: TokenName::new("ci").unwrap(),
            expires_at: None,
        })
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
    assert_eq!(error.detail().as_deref(), Some("Permission denied"));
    // The document's constraint, checked before any request.
    assert_eq!(
        TokenName::new("x".repeat(129)).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
}

#[tokio::test]
async fn list_access_tokens() {
    let (server, client) = serve(Reply::json(200, json!({"data": [subject_token()]})), None).await;
    let page = client
        .list_access_tokens(
            &ListAccessTokensQuery::new()
                .subject_id("user 1")
                .skip(100)
                .limit(50)
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    assert_eq!(page.data[0].id, Some(TOKEN));
    assert_eq!(
        server.only_request().target,
        "/api/v1/access-tokens?subject_id=user+1&skip=100&limit=50"
    );
    let (server, client) = serve(Reply::json(200, json!({"data": []})), None).await;
    client
        .list_access_tokens(&ListAccessTokensQuery::new())
        .await
        .unwrap();
    assert_eq!(server.only_request().target, "/api/v1/access-tokens");

    let (_server, client) = serve(
        Reply::json(401, json!({"detail": "Not authenticated"})),
        None,
    )
    .await;
    let error = client
        .list_access_tokens(&ListAccessTokensQuery::new())
        .await
        .unwrap_err();
    assert_eq!(error.detail().as_deref(), Some("Not authenticated"));
}

#[tokio::test]
async fn lookup_access_tokens() {
    let (server, client) = serve(Reply::json(200, json!({"accessTokenId": TK})), None).await;
    let found = client
        .lookup_access_token(&LookupAccessTokenCommand::new("raw-token").unwrap())
        .await
        .unwrap();
    assert_eq!(found.access_token_id, TOKEN);
    let found = client
        .lookup_workspace_access_token(
            WORKSPACE,
            &LookupWorkspaceAccessTokenCommand::new("ws-token").unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(found.access_token_id, TOKEN);
    let requests = server.requests();
    assert_eq!(requests[0].target, "/api/v1/access-tokens/lookup");
    assert_eq!(requests[0].json(), json!({"accessToken": "raw-token"}));
    assert_eq!(
        requests[1].target,
        format!("/api/v1/workspaces/{WS}/access-tokens/lookup")
    );
    assert_eq!(requests[1].json(), json!({"accessToken": "ws-token"}));

    let (_server, client) = serve(
        Reply::json(404, json!({"detail": "Access token not found"})),
        None,
    )
    .await;
    let error = client
        .lookup_access_token(&LookupAccessTokenCommand::new("raw-token").unwrap())
        .await
        .unwrap_err();
    assert_eq!(error.detail().as_deref(), Some("Access token not found"));
    assert!(LookupAccessTokenCommand::new("").is_err());
}

#[tokio::test]
async fn delete_access_tokens() {
    let (server, client) = serve(Reply::empty(204), None).await;
    client.delete_access_token(TOKEN).await.unwrap();
    client
        .delete_workspace_access_token(WORKSPACE, TOKEN)
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(
        (requests[0].method.as_str(), requests[0].target.as_str()),
        ("DELETE", &*format!("/api/v1/access-tokens/{TK}"))
    );
    assert_eq!(
        requests[1].target,
        format!("/api/v1/workspaces/{WS}/access-tokens/{TK}")
    );

    let (_server, client) = serve(
        Reply::json(
            404,
            json!({"detail": [{"msg": "Workspace membership not found"}]}),
        ),
        None,
    )
    .await;
    let error = client
        .delete_workspace_access_token(WORKSPACE, TOKEN)
        .await
        .unwrap_err();
    assert_eq!(
        error.detail().as_deref(),
        Some("Workspace membership not found")
    );
}

#[tokio::test]
async fn workspace_tokens_create_and_list() {
    let (server, client) = serve(
        Reply::json(
            201,
            json!({"privateToken": {"id": TK, "name": "deploy", "createdAt": "2026-11-01T10:00:00Z"},
                "tokenString": "ws-secret"}),
        ),
        None,
    )
    .await;
    let created = client
        .create_workspace_access_token(
            WORKSPACE,
            &CreateWorkspaceAccessTokenRequestDto {
                name: TokenName::new("deploy").unwrap(),
                expires_at: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(created.private_token.id, TOKEN);
    assert_eq!(created.token_string.expose_secret(), "ws-secret");
    let request = server.only_request();
    assert_eq!(
        request.target,
        format!("/api/v1/workspaces/{WS}/access-tokens")
    );
    assert_eq!(request.json(), json!({"name": "deploy"}));

    // A bare JSON array, not wrapped in `data`.
    let (server, client) = serve(
        Reply::json(200, json!([{"id": TK, "name": "deploy", "createdAt": "2026-11-01T10:00:00Z", "expiresAt": null}])),
        None,
    )
    .await;
    let tokens = client
        .list_workspace_access_tokens(WORKSPACE)
        .await
        .unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].name, "deploy");
    assert_eq!(
        server.only_request().target,
        format!("/api/v1/workspaces/{WS}/access-tokens")
    );

    let (_server, client) = serve(
        Reply::json(422, json!({"detail": [{"loc": ["path", "workspace_id"], "msg": "bad", "type": "uuid_parsing"}]})),
        None,
    )
    .await;
    let error = client
        .list_workspace_access_tokens(WORKSPACE)
        .await
        .unwrap_err();
    assert!(error.validation().is_some());
}

#[test]
fn the_blocking_twin_lists_and_deletes() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (server, client) = runtime.block_on(serve(Reply::json(200, json!([])), None));
    let blocking = askui_runtime::blocking::Client::new(client).unwrap();
    assert!(
        blocking
            .list_workspace_access_tokens(WORKSPACE)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        server.only_request().target,
        format!("/api/v1/workspaces/{WS}/access-tokens")
    );
}

#[tokio::test]
async fn all_access_tokens_stops_at_a_short_page() {
    use futures_util::TryStreamExt;
    let server = askui_tests::RecordingServer::start(|request| {
        let count = if request.target.contains("skip=2") {
            1
        } else {
            2
        };
        Reply::json(200, json!({"data": vec![subject_token(); count]}))
    })
    .await;
    let client = askui_runtime::Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap();
    let tokens: Vec<_> = client
        .all_access_tokens(ListAccessTokensQuery::new().limit(2).unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(tokens.len(), 3);
    assert_eq!(server.requests().len(), 2);
}

/// Tokens in pages of two by `skip`: two, then one (a short page, the end); with `fail`, the
/// page at `skip=2` is a 500 instead.
fn token_pages(fail: bool) -> impl Fn(&askui_tests::Recorded) -> Reply + Send + Sync {
    move |request| {
        let second = request.target.contains("skip=2");
        if fail && second {
            return Reply::json(500, json!({"detail": "boom"}));
        }
        let names: &[&str] = if second { &["c"] } else { &["a", "b"] };
        let tokens: Vec<_> = names
            .iter()
            .map(|name| {
                let mut token = subject_token();
                token["name"] = json!(name);
                token
            })
            .collect();
        Reply::json(200, json!({ "data": tokens }))
    }
}

#[tokio::test]
async fn all_access_tokens_fetches_a_page_only_once_the_last_is_read_and_ends_after_an_error() {
    use askui_tests::paging::read_counting_requests;
    let query = ListAccessTokensQuery::new().limit(2).unwrap();
    for fail in [false, true] {
        let server = askui_tests::RecordingServer::start(token_pages(fail)).await;
        let client = askui_runtime::Client::builder()
            .base_url(server.base_url())
            .build()
            .unwrap();
        let (results, seen) =
            read_counting_requests(client.all_access_tokens(query.clone()), &server).await;
        assert_eq!(results.len(), 3);
        assert!(results[..2].iter().all(Result::is_ok));
        match &results[2] {
            Ok(token) => assert!(!fail && token.name == "c"),
            Err(error) => assert!(fail && error.detail().as_deref() == Some("boom")),
        }
        // Page 2 only once the first two are read; the short page 2 is the last.
        assert_eq!(seen, [0, 1, 1, 2, 2]);
    }
}

#[test]
fn blocking_all_access_tokens_stops_at_a_short_page_or_an_error() {
    use askui_workspaces::access_tokens::BlockingAccessTokensExt;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(askui_tests::RecordingServer::start(token_pages(false)));
    let client = askui_runtime::Client::builder()
        .base_url(server.base_url())
        .auth(askui_workspaces::access_token("tok"))
        .build_blocking()
        .unwrap();
    let query = ListAccessTokensQuery::new()
        .subject_id("user 1")
        .limit(2)
        .unwrap();
    let mut tokens = client.all_access_tokens(query.clone());
    assert!(server.requests().is_empty(), "nothing is fetched up front");
    let names: Vec<String> = (&mut tokens).map(|token| token.unwrap().name).collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert!(tokens.next().is_none());
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/api/v1/access-tokens?subject_id=user+1&skip=0&limit=2",
            "/api/v1/access-tokens?subject_id=user+1&skip=2&limit=2"
        ]
    );

    let server = runtime.block_on(askui_tests::RecordingServer::start(token_pages(true)));
    let client = askui_runtime::Client::builder()
        .base_url(server.base_url())
        .build_blocking()
        .unwrap();
    let results: Vec<_> = client.all_access_tokens(query).collect();
    assert_eq!(results.len(), 3);
    assert!(results[..2].iter().all(Result::is_ok));
    let error = results[2].as_ref().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Status);
    assert_eq!(error.detail().as_deref(), Some("boom"));
    assert_eq!(server.requests().len(), 2);
}
