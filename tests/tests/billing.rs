//! The billing operations of `askui-workspaces` on the wire: the exact request, the
//! documented success answer decoded, and the documented error shapes. The customer-portal
//! session has its own file (`customer_portal_session.rs`).

use askui_runtime::{Auth, Client, ErrorKind};
use askui_tests::{Reply, serve};
use askui_workspaces::billing::{
    Billing, BlockingBilling, CreateCheckoutSessionCommand, ReturnUrl,
};
use askui_workspaces::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

const WORKSPACE: Uuid = Uuid::from_u128(0x3f0c_5a1e_9b7d_4c2a_8e61_0d4f_2b9a_7c15);

fn checkout() -> CreateCheckoutSessionCommand {
    CreateCheckoutSessionCommand {
        price_id: "price_1Q".into(),
        return_url: ReturnUrl::new("https://app.example/billing?tab=plan").unwrap(),
    }
}

#[tokio::test]
async fn create_checkout_session() {
    let (server, client) = serve(
        Reply::json(
            200,
            json!({"sessionUrl": "https://checkout.stripe.example/c/s1"}),
        ),
        Some(Auth::bearer("tok")),
    )
    .await;
    let session = client
        .create_checkout_session(WORKSPACE, &checkout())
        .await
        .unwrap();
    assert_eq!(
        session.session_url.as_str(),
        "https://checkout.stripe.example/c/s1"
    );
    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.target,
        "/api/v1/workspaces/3f0c5a1e-9b7d-4c2a-8e61-0d4f2b9a7c15/billing/checkout"
    );
    assert_eq!(request.header("authorization"), Some("Bearer tok"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.json(),
        json!({"priceId": "price_1Q", "returnUrl": "https://app.example/billing?tab=plan"})
    );

    // 409 has no body in the document: a status error without detail.
    let (_server, client) = serve(Reply::empty(409), None).await;
    let error = client
        .create_checkout_session(WORKSPACE, &checkout())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
    assert_eq!(error.detail(), None);
    // 404 in the list shape with only `msg`.
    let (_server, client) = serve(
        Reply::json(
            404,
            json!({"detail": [{"msg": "Billing details not found"}]}),
        ),
        None,
    )
    .await;
    let error = client
        .create_checkout_session(WORKSPACE, &checkout())
        .await
        .unwrap_err();
    assert_eq!(error.detail().as_deref(), Some("Billing details not found"));
}

#[tokio::test]
async fn list_prices() {
    let (server, client) = serve(
        Reply::json(
            200,
            json!({"prices": [{"id": "price_1", "productName": "Team", "unitAmount": 4900,
                "currency": "eur", "recurringInterval": "month", "recurringIntervalCount": 1,
                "productAllowedUsage": 1000}]}),
        ),
        None,
    )
    .await;
    let prices = client.list_prices(WORKSPACE).await.unwrap();
    assert_eq!(prices.prices.len(), 1);
    assert_eq!(prices.prices[0].product_name, "Team");
    assert_eq!(prices.prices[0].unit_amount, 4900);
    let request = server.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.target,
        "/api/v1/workspaces/3f0c5a1e-9b7d-4c2a-8e61-0d4f2b9a7c15/billing/prices"
    );
    assert!(request.body.is_empty());

    let (_server, client) = serve(
        Reply::json(
            422,
            json!({"detail": [{"loc": ["path", "workspace_id"], "msg": "Input should be a valid UUID", "type": "uuid_parsing"}]}),
        ),
        None,
    )
    .await;
    let error = client.list_prices(WORKSPACE).await.unwrap_err();
    let validation = error.validation().expect("a validation error");
    assert_eq!(validation.detail[0].error_type, "uuid_parsing");
}

#[tokio::test]
async fn get_subscription() {
    let (server, client) = serve(
        Reply::json(
            200,
            json!({"currentPeriodStart": "2026-11-01T00:00:00Z",
                "currentPeriodEnd": "2026-12-01T00:00:00+01:00"}),
        ),
        None,
    )
    .await;
    let subscription = client.get_subscription(WORKSPACE).await.unwrap();
    let start: DateTime<Utc> = "2026-11-01T00:00:00Z".parse().unwrap();
    assert_eq!(subscription.current_period_start, start);
    assert_eq!(
        subscription.current_period_end.to_rfc3339(),
        "2026-11-30T23:00:00+00:00"
    );
    // Defaults of the document: no items, not a trial.
    assert!(subscription.items.is_empty());
    assert!(!subscription.is_trial);
    assert_eq!(
        server.only_request().target,
        "/api/v1/workspaces/3f0c5a1e-9b7d-4c2a-8e61-0d4f2b9a7c15/billing/subscription"
    );

    for (reply, detail) in [
        (
            Reply::json(404, json!({"detail": [{"msg": "Subscription not found"}]})),
            Some("Subscription not found"),
        ),
        (Reply::empty(500), None),
    ] {
        let (_server, client) = serve(reply, None).await;
        let error = client.get_subscription(WORKSPACE).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Status);
        assert_eq!(error.detail().as_deref(), detail);
    }
    // A date that is not RFC 3339 is a decode error naming the type.
    let (_server, client) = serve(
        Reply::json(
            200,
            json!({"currentPeriodStart": "yesterday", "currentPeriodEnd": "2026-12-01T00:00:00Z"}),
        ),
        None,
    )
    .await;
    let error = client.get_subscription(WORKSPACE).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert!(
        error.to_string().contains("GetSubscriptionResponseDto"),
        "{error}"
    );
}

#[test]
fn the_blocking_twin_sends_the_same_requests() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (server, client) = runtime.block_on(serve(
        Reply::json(200, json!({"prices": []})),
        Some(askui_workspaces::access_token("tok")),
    ));
    let blocking = askui_runtime::blocking::Client::new(client).unwrap();
    assert!(blocking.list_prices(WORKSPACE).unwrap().prices.is_empty());
    let request = server.only_request();
    assert_eq!(
        request.target,
        "/api/v1/workspaces/3f0c5a1e-9b7d-4c2a-8e61-0d4f2b9a7c15/billing/prices"
    );
    assert_eq!(request.header("authorization"), Some("Basic dG9r"));
    assert_eq!(
        <askui_runtime::blocking::Client as BlockingBilling>::ENDPOINTS,
        <Client as Billing>::ENDPOINTS
    );
}
