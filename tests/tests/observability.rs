//! The span of a call: what it records (operation, method, route template, status,
//! attempts, latency, error kind) and what it never does (ids, query values, bodies).

use std::time::Duration;

use askui_runtime::{Client, Error, RetryPolicy, askui_endpoint};
use askui_tests::traces::captured;
use askui_tests::{RecordingServer, Reply};
use serde_json::{Value, json};

trait Api {
    #[askui_endpoint(post, "/workspaces/<workspace_id>/items")]
    async fn add_item(
        &self,
        workspace_id: &str,
        #[query] label: &str,
        body: &Value,
    ) -> Result<Value, Error>;

    #[askui_endpoint(get, "/workspaces/<workspace_id>/items")]
    async fn list_items(&self, workspace_id: &str) -> Result<Value, Error>;
}

impl Api for Client {}

#[tokio::test(flavor = "multi_thread")]
async fn a_call_is_one_span_with_its_route_template_status_and_attempts() {
    let _ = captured();
    let ok = RecordingServer::always(Reply::json(201, json!({ "id": 1 }))).await;
    let client = Client::builder().base_url(ok.base_url()).build().unwrap();
    client
        .add_item(
            "ws-private-7f3a",
            "label-private-91c2",
            &json!({ "body": "private-b0dy" }),
        )
        .await
        .unwrap();

    let busy = RecordingServer::always(Reply::empty(503)).await;
    let client = Client::builder()
        .base_url(busy.base_url())
        .retry(RetryPolicy::default().delays(Duration::from_millis(1), Duration::from_millis(2)))
        .build()
        .unwrap();
    client.list_items("ws-private-7f3a").await.unwrap_err();

    let traced = captured();
    let spans: Vec<&str> = traced
        .lines()
        .filter(|line| line.contains("askui.call") && line.contains("close"))
        .collect();
    assert_eq!(spans.len(), 2, "{traced}");
    let added = spans[0];
    for field in [
        "operation=\"add_item\"",
        "http.request.method=\"POST\"",
        "url.template=\"/workspaces/{workspace_id}/items\"",
        "http.response.status_code=201",
        "attempts=1",
        "latency_ms=",
    ] {
        assert!(added.contains(field), "{field} in {added}");
    }
    let listed = spans[1];
    for field in [
        "operation=\"list_items\"",
        "http.response.status_code=503",
        "attempts=3",
        "error.kind=Status",
    ] {
        assert!(listed.contains(field), "{field} in {listed}");
    }
    assert_eq!(traced.matches("retrying").count(), 2, "{traced}");
    for private in ["ws-private", "label-private", "private-b0dy"] {
        assert!(!traced.contains(private), "{private} was traced:\n{traced}");
    }
}
