use askui_runtime::{Bytes, http};
use askui_workspaces::billing::{
    Billing, CreateCustomerPortalSessionRequestDto, CreateCustomerPortalSessionResponseDto,
};
use askui_workspaces::{Client, Error, Uuid};

/// The code under test: it takes any `Billing`, as code that is to be tested should.
async fn portal_link(billing: &impl Billing, workspace: Uuid) -> Result<String, Error> {
    let body = CreateCustomerPortalSessionRequestDto::new("https://app.example/account")?;
    let session = billing
        .create_customer_portal_session(workspace, &body)
        .await?;
    Ok(session.session_url.to_string())
}

#[tokio::test]
async fn the_portal_link_comes_from_the_api() -> Result<(), Error> {
    // The real client, answered in memory: no server, no socket.
    let client = Client::builder()
        .base_url("https://workspaces.askui.com")
        .in_memory(|request: http::Request<Bytes>| {
            assert_eq!(request.method(), http::Method::POST);
            assert!(
                request
                    .uri()
                    .path()
                    .ends_with("/billing/customer-portal-session")
            );
            assert!(request.body().starts_with(br#"{"returnUrl":"#));
            http::Response::new(r#"{"sessionUrl":"https://billing.example/s/1"}"#)
        })
        .build()?;
    let link = portal_link(&client, Uuid::nil()).await?;
    assert_eq!(link, "https://billing.example/s/1");
    Ok(())
}

/// Or the trait implemented by hand: each method a test needs, overridden. The client it
/// holds is never called.
struct FakeBilling(Client);

impl AsRef<Client> for FakeBilling {
    fn as_ref(&self) -> &Client {
        &self.0
    }
}

impl Billing for FakeBilling {
    async fn create_customer_portal_session(
        &self,
        _workspace_id: Uuid,
        _body: &CreateCustomerPortalSessionRequestDto,
    ) -> Result<CreateCustomerPortalSessionResponseDto, Error> {
        Err(Error::invalid_argument(
            "workspace_id",
            "no billing in this test",
        ))
    }
}

#[tokio::test]
async fn a_failure_of_the_api_is_passed_on() {
    let fake = FakeBilling(
        Client::builder()
            .base_url("https://workspaces.askui.com")
            .build()
            .expect("a client"),
    );
    let error = portal_link(&fake, Uuid::nil()).await.unwrap_err();
    assert!(
        error.to_string().contains("no billing in this test"),
        "{error}"
    );
}
