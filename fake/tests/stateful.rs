//! The operations whose answers depend on earlier requests: files, access tokens, agents.

mod support;

use serde_json::{Value, json};
use support::*;

fn files_path(key: &str) -> String {
    format!("/api/v1/files/{key}")
}

async fn upload(server: &askui_fake::FakeServer, key: &str, bytes: &[u8]) -> RawResponse {
    let (content_type, body) = multipart(&[("file", Some("a.txt"), bytes)]);
    let authorization = bearer();
    send(
        server,
        "PUT",
        &files_path(key),
        &[
            ("Authorization", &authorization),
            ("Content-Type", &content_type),
        ],
        &body,
    )
    .await
}

fn paths(page: &Value) -> Vec<(String, String)> {
    page["data"]
        .as_array()
        .expect("data is a list")
        .iter()
        .map(|item| {
            (
                item["type"].as_str().unwrap_or_default().to_owned(),
                item["path"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn files_are_stored_listed_by_page_and_folder_downloaded_and_deleted() {
    let server = start().await;
    let root = format!("workspaces/{KNOWN_WORKSPACE}/");
    for (name, bytes) in [
        ("a.txt", &b"first"[..]),
        ("b.txt", b"second"),
        ("inbox/c.pdf", b"%PDF"),
        ("inbox/d.pdf", b"%PDF-2"),
        ("z.txt", b"last"),
    ] {
        let response = upload(&server, &format!("{root}{name}"), bytes).await;
        assert_eq!(response.status, 201, "{response:?}");
        assert_eq!(
            response.json(),
            json!({ "filePath": format!("{root}{name}"), "contentType": "text/plain" })
        );
    }
    assert_eq!(server.file_keys().len(), 5);

    // With a delimiter, the folder is one entry; two per page, then a continuation token.
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut query = format!("prefix={root}&delimiter=/&limit=2");
        if let Some(token) = &token {
            query.push_str(&format!("&continuation_token={token}"));
        }
        let response = call(&server, "GET", &format!("/api/v1/files?{query}"), "").await;
        assert_eq!(response.status, 200, "{response:?}");
        let page = response.json();
        seen.extend(paths(&page));
        pages += 1;
        match page["nextContinuationToken"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 2);
    // A token the fake never handed out is refused, not taken for the first page.
    let response = call(
        &server,
        "GET",
        &format!("/api/v1/files?prefix={root}&continuation_token=not%2Ba%2Btoken"),
        "",
    )
    .await;
    let problem = single_validation_error(&response);
    assert_eq!(problem["loc"], json!(["query", "continuation_token"]));
    let expected: Vec<(String, String)> = [
        ("file", "a.txt"),
        ("file", "b.txt"),
        ("folder", "inbox/"),
        ("file", "z.txt"),
    ]
    .iter()
    .map(|(kind, name)| ((*kind).to_owned(), format!("{root}{name}")))
    .collect();
    assert_eq!(seen, expected);

    // Without a delimiter every key is listed; with `expand=url`, each has a signed URL.
    let response = call(
        &server,
        "GET",
        &format!("/api/v1/files?prefix={root}inbox/&limit=1000&expand=url"),
        "",
    )
    .await;
    let page = response.json();
    assert_eq!(paths(&page).len(), 2);
    let url = page["data"][0]["url"]
        .as_str()
        .expect("a signed URL")
        .to_owned();
    assert_eq!(page["data"][0]["size"], 4);
    assert_eq!(page["data"][0]["name"], "c.pdf");
    let target = url
        .strip_prefix(&server.base_url())
        .expect("served by the fake");
    // The signature is the credential: no Authorization needed, a wrong one refused.
    let download = send(&server, "GET", target, &[], b"").await;
    assert_eq!(download.status, 200, "{download:?}");
    assert_eq!(download.body, b"%PDF");
    let forged = target.replace("signature=", "signature=x");
    assert_eq!(send(&server, "GET", &forged, &[], b"").await.status, 403);

    // Listing another workspace, or none, lists nothing.
    let response = call(
        &server,
        "GET",
        &format!("/api/v1/files?prefix=workspaces/{UNKNOWN_WORKSPACE}/"),
        "",
    )
    .await;
    assert_eq!(response.json()["data"], json!([]));

    // Deleting is idempotent: 204 whether the file exists or not.
    for _ in 0..2 {
        let response = call(&server, "DELETE", &files_path(&format!("{root}a.txt")), "").await;
        assert_eq!(response.status, 204, "{response:?}");
    }
    assert_eq!(server.file_keys().len(), 4);
}

#[tokio::test]
async fn uploads_outside_a_workspace_or_with_odd_paths_are_refused_or_cleaned() {
    let server = start().await;
    let response = upload(
        &server,
        &format!("workspaces/{UNKNOWN_WORKSPACE}/a.txt"),
        b"x",
    )
    .await;
    assert_eq!(response.status, 403, "{response:?}");
    assert!(response.json()["detail"].is_string());

    let odd = format!("workspaces/{KNOWN_WORKSPACE}/a%7Cb.txt");
    let response = upload(&server, &odd, b"x").await;
    assert_eq!(response.status, 201, "{response:?}");
    assert_eq!(
        response.json()["filePath"],
        format!("workspaces/{KNOWN_WORKSPACE}/a_b.txt")
    );
    let strict = format!("{}?strict=true", files_path(&odd));
    let (content_type, body) = multipart(&[("file", Some("a.txt"), b"x")]);
    let authorization = bearer();
    let response = send(
        &server,
        "PUT",
        &strict,
        &[
            ("Authorization", &authorization),
            ("Content-Type", &content_type),
        ],
        &body,
    )
    .await;
    assert_eq!(response.status, 422, "{response:?}");
    assert!(
        response.json()["detail"].is_string(),
        "documented as a string"
    );

    // No `file` part: the documented string 422.
    let (content_type, body) = multipart(&[("other", None, b"x")]);
    let response = send(
        &server,
        "PUT",
        &files_path(&format!("workspaces/{KNOWN_WORKSPACE}/b.txt")),
        &[
            ("Authorization", &authorization),
            ("Content-Type", &content_type),
        ],
        &body,
    )
    .await;
    assert_eq!(response.status, 422, "{response:?}");
    assert_eq!(
        response.json(),
        json!({ "detail": "body.file: Field required" })
    );
}

#[tokio::test]
async fn created_tokens_authenticate_until_deleted() {
    let server = start().await;
    let scope = format!("/api/v1/workspaces/{KNOWN_WORKSPACE}/access-tokens");
    let created = call(&server, "POST", &scope, r#"{"name":"ci","expiresAt":null}"#).await;
    assert_eq!(created.status, 201, "{created:?}");
    let created = created.json();
    let secret = created["tokenString"]
        .as_str()
        .expect("a secret")
        .to_owned();
    let id = created["privateToken"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();

    let listed = call(&server, "GET", &scope, "").await.json();
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["name"], "ci");

    // Looked up raw or base64-encoded.
    for sent in [secret.clone(), askui_base64(&secret)] {
        let body = json!({ "accessToken": sent }).to_string();
        let found = call(&server, "POST", &format!("{scope}/lookup"), &body).await;
        assert_eq!(found.json(), json!({ "accessTokenId": id }));
    }

    // The new token is a credential, in both schemes.
    let basic = format!("Basic {}", askui_base64(&secret));
    let bearer_new = format!("Bearer {secret}");
    for authorization in [&basic, &bearer_new] {
        let response = send(
            &server,
            "GET",
            &scope,
            &[("Authorization", authorization)],
            b"",
        )
        .await;
        assert_eq!(response.status, 200, "{response:?}");
    }
    let deleted = call(&server, "DELETE", &format!("{scope}/{id}"), "").await;
    assert_eq!(deleted.status, 204, "{deleted:?}");
    let response = send(&server, "GET", &scope, &[("Authorization", &basic)], b"").await;
    assert_eq!(
        response.status, 401,
        "a deleted token no longer authenticates"
    );
    let again = call(&server, "DELETE", &format!("{scope}/{id}"), "").await;
    assert_eq!(again.status, 404, "{again:?}");

    // The caller's own tokens are another list, paged.
    for name in ["one", "two", "three"] {
        let body = json!({ "name": name }).to_string();
        assert_eq!(
            call(&server, "POST", "/api/v1/access-tokens", &body)
                .await
                .status,
            201
        );
    }
    let page = call(&server, "GET", "/api/v1/access-tokens?skip=1&limit=1", "")
        .await
        .json();
    assert_eq!(page["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(page["data"][0]["name"], "two");
    assert!(page["data"][0]["expiresAt"].is_null() && page["data"][0].get("expiresAt").is_some());
}

fn askui_base64(text: &str) -> String {
    // A tiny standard-alphabet encoder, so the test does not share the fake's.
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn the_test_encoder_is_base64() {
    assert_eq!(askui_base64(TOKEN), TOKEN_BASE64);
}

#[tokio::test]
async fn agents_are_created_listed_with_filters_and_updated() {
    let server = start().await;
    let mut ids = Vec::new();
    for name in ["Invoices", "Receipts", "Contracts"] {
        let body = json!({
            "name": name,
            "workspaceId": KNOWN_WORKSPACE,
            "templateId": "blank",
            "dataDestinations": [{ "type": "WEBHOOK", "url": "https://hooks.askui.example/x" }],
            "emailTrigger": { "localPart": name.to_lowercase() },
        });
        let response = call(&server, "POST", "/api/v1/agents", &body.to_string()).await;
        assert_eq!(response.status, 201, "{response:?}");
        let agent = response.json();
        assert_eq!(agent["status"], "ACTIVE");
        assert_eq!(agent["dataDestinations"][0]["headers"], json!({}));
        assert_eq!(
            agent["emailTrigger"]["email"],
            format!("{}@agents.askui.example", name.to_lowercase())
        );
        ids.push(agent["id"].as_str().expect("an id").to_owned());
    }
    // The same name twice in a workspace: the documented bare 409.
    let duplicate =
        json!({ "name": "Invoices", "workspaceId": KNOWN_WORKSPACE, "templateId": "blank" });
    let response = call(&server, "POST", "/api/v1/agents", &duplicate.to_string()).await;
    assert_eq!(response.status, 409, "{response:?}");
    assert!(response.body.is_empty());

    // Newest first, paged, with the total on request.
    let page = call(
        &server,
        "GET",
        "/api/v1/agents?limit=2&expand=total_count",
        "",
    )
    .await
    .json();
    let names: Vec<&str> = page["data"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert_eq!(names, ["Contracts", "Receipts"]);
    assert_eq!(page["hasMore"], true);
    assert_eq!(page["totalCount"], 3);
    let page = call(&server, "GET", "/api/v1/agents?limit=2&skip=2", "")
        .await
        .json();
    assert_eq!(page["hasMore"], false);
    assert!(page["totalCount"].is_null());

    // Updating renames and archives it, and moves it to the front.
    let update = json!({ "name": "Old invoices", "status": "ARCHIVED", "emailTrigger": { "active": false } });
    let response = call(
        &server,
        "PATCH",
        &format!("/api/v1/agents/{}", ids[0]),
        &update.to_string(),
    )
    .await;
    assert_eq!(response.status, 200, "{response:?}");
    let agent = response.json();
    assert_eq!(
        (agent["name"].as_str(), agent["status"].as_str()),
        (Some("Old invoices"), Some("ARCHIVED"))
    );
    assert_eq!(agent["emailTrigger"]["active"], false);

    let filtered = call(
        &server,
        "GET",
        &format!("/api/v1/agents?status=ARCHIVED&workspace_id={KNOWN_WORKSPACE}"),
        "",
    )
    .await
    .json();
    assert_eq!(filtered["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(filtered["data"][0]["id"], ids[0].as_str());
    let by_id = call(
        &server,
        "GET",
        &format!("/api/v1/agents?agent_id={}&agent_id={}", ids[1], ids[2]),
        "",
    )
    .await
    .json();
    assert_eq!(by_id["data"].as_array().map(Vec::len), Some(2));

    let missing = call(
        &server,
        "PATCH",
        "/api/v1/agents/8e5f0c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6",
        "{}",
    )
    .await;
    assert_eq!(missing.status, 404, "{missing:?}");
}
