//! Creates an AskUI customer-portal session.
//!
//! With `ASKUI_TOKEN` (or `ASKUI__AUTHORIZATION`) and `ASKUI_WORKSPACE_ID` set, it calls the
//! API at `ASKUI_WORKSPACES_ENDPOINT` (default: the real AskUI Workspaces API). With nothing
//! set, it runs against the AskUI fake on 127.0.0.1 and shows every answer: success, an
//! unknown workspace, missing credentials, and an invalid URL caught before I/O.
//!
//! ```sh
//! cargo run -p askui-examples --example customer_portal_session
//! ```

use std::process::ExitCode;

use askui_examples::{Failure, Target, exit, expect_error};
use askui_workspaces::billing::{Billing, CreateCustomerPortalSessionRequestDto};
use askui_workspaces::{Client, ErrorKind, StatusCode, Uuid};

/// Where the portal sends the user back to; `ASKUI_RETURN_URL` overrides it.
const DEFAULT_RETURN_URL: &str = "https://app.askui.com/";

#[tokio::main]
async fn main() -> ExitCode {
    exit(run().await)
}

async fn run() -> Result<(), Failure> {
    let target = Target::from_env().await?;
    let client = &target.client;
    let return_url =
        std::env::var("ASKUI_RETURN_URL").unwrap_or_else(|_| DEFAULT_RETURN_URL.to_owned());
    let body = CreateCustomerPortalSessionRequestDto::new(&return_url)?;

    println!("\n1. A workspace with billing details:");
    let session = client
        .create_customer_portal_session(target.workspace_id, &body)
        .await?;
    println!("   customer portal: {}", session.session_url);

    let Some(fake) = &target.fake else {
        // Against the real API, the rest would only repeat documented failures.
        return Ok(());
    };

    println!("\n2. A workspace without billing details:");
    expect_error(
        client
            .create_customer_portal_session(Uuid::new_v4(), &body)
            .await,
        |error| error.status() == Some(StatusCode::NOT_FOUND),
    )?;

    println!("\n3. No credentials:");
    let anonymous = Client::builder().base_url(fake.base_url()).build()?;
    expect_error(
        anonymous
            .create_customer_portal_session(target.workspace_id, &body)
            .await,
        |error| error.status() == Some(StatusCode::UNAUTHORIZED),
    )?;

    println!("\n4. A return URL that is not a URL (rejected before any request is sent):");
    expect_error(
        CreateCustomerPortalSessionRequestDto::new("not a url"),
        |error| error.kind() == ErrorKind::InvalidArgument,
    )?;
    Ok(())
}
