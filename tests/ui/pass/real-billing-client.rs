use askui_runtime::Client;
use askui_workspaces::billing::{Billing, CreateCustomerPortalSessionRequestDto};

fn assert_send<F: Send>(f: F) -> F {
    f
}

fn call(client: &Client) {
    let body = CreateCustomerPortalSessionRequestDto::new("https://example.com/back").unwrap();
    drop(assert_send(
        client.create_customer_portal_session(uuid::Uuid::nil(), &body),
    ));
}

fn main() {
    let _ = call;
    let _ = <Client as Billing>::CREATE_CUSTOMER_PORTAL_SESSION;
}
