//! What the declarative layer costs per call, measured side by side in one run against the
//! same AskUI fake (askui-fake) on 127.0.0.1:
//!
//! - `generated`: `client.create_customer_portal_session(…)` through `#[askui_endpoint]`;
//! - `handwritten`: the same request written directly with reqwest and serde_json.
//!
//! Compare the two rows' times and allocation counts (divan's `AllocProfiler`); absolute
//! numbers depend on the machine, the ratio is the result. Run:
//! `cargo bench -p askui-tests --bench call_overhead`.

use std::sync::LazyLock;

use askui_fake::{Config, FakeServer};
use askui_runtime::reqwest;
use askui_runtime::{Auth, Client};
use askui_workspaces::billing::{
    Billing, CreateCustomerPortalSessionRequestDto, CreateCustomerPortalSessionResponseDto,
};
use divan::AllocProfiler;
use uuid::Uuid;

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

const TOKEN: &str = "bench-token";

struct Fixture {
    runtime: tokio::runtime::Runtime,
    // Kept alive for the whole run.
    _server: FakeServer,
    base_url: String,
    workspace_id: Uuid,
    client: Client,
    http: reqwest::Client,
    body: CreateCustomerPortalSessionRequestDto,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let workspace_id = Uuid::new_v4();
    let server = runtime
        .block_on(FakeServer::start(
            Config::new(TOKEN).workspace(workspace_id),
        ))
        .expect("AskUI fake");
    let base_url = server.base_url();
    let http = reqwest::Client::new();
    let client = Client::builder()
        .base_url(&base_url)
        .auth(Auth::bearer(TOKEN))
        .http_client(http.clone())
        .build()
        .expect("client");
    Fixture {
        runtime,
        _server: server,
        base_url,
        workspace_id,
        client,
        http,
        body: CreateCustomerPortalSessionRequestDto::new("https://app.example/back")
            .expect("valid URL"),
    }
});

fn main() {
    divan::main();
}

#[divan::bench]
fn generated() -> CreateCustomerPortalSessionResponseDto {
    let f = &*FIXTURE;
    f.runtime
        .block_on(
            f.client
                .create_customer_portal_session(f.workspace_id, &f.body),
        )
        .expect("call succeeds")
}

#[divan::bench]
fn handwritten() -> CreateCustomerPortalSessionResponseDto {
    let f = &*FIXTURE;
    f.runtime.block_on(async {
        let response = f
            .http
            .post(format!(
                "{}/api/v1/workspaces/{}/billing/customer-portal-session",
                f.base_url, f.workspace_id
            ))
            .header("authorization", format!("Bearer {TOKEN}"))
            .header("accept", "application/json")
            .header("content-type", "application/json")
            .body(serde_json::to_vec(&f.body).expect("serializable"))
            .send()
            .await
            .expect("sent")
            .error_for_status()
            .expect("success");
        let bytes = response.bytes().await.expect("body");
        serde_json::from_slice(&bytes).expect("decodes")
    })
}
