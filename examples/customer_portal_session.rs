//! Creates an AskUI customer-portal session.
//!
//! With `ASKUI_TOKEN` (or `ASKUI__AUTHORIZATION`) and `ASKUI_WORKSPACE_ID` set, it calls the
//! API at `ASKUI_WORKSPACES_ENDPOINT` (default: the real AskUI Workspaces API). With nothing
//! set, it starts an embedded AskUI-compatible server on 127.0.0.1 and shows every answer:
//! success, an unknown workspace, missing credentials, and an invalid URL caught before I/O.
//!
//! ```sh
//! cargo run -p askui-examples --example customer_portal_session
//! ```

use std::process::ExitCode;

use askui_examples::{EmbeddedServer, ServerConfig};
use askui_runtime::env;
use askui_workspaces::billing::{Billing, CreateCustomerPortalSessionRequestDto};
use askui_workspaces::{Auth, Client, Error, ErrorKind, StatusCode, Uuid};

/// The workspace to call the API for; `Client::from_env` reads the credentials.
const WORKSPACE_ID: &str = "ASKUI_WORKSPACE_ID";
/// Where the portal sends the user back to; `ASKUI_RETURN_URL` overrides it.
const DEFAULT_RETURN_URL: &str = "https://app.askui.com/";

/// Whether a variable is set to something, read the way the runtime reads its own.
fn is_set(name: &str) -> bool {
    std::env::var(name).is_ok_and(|value| !value.trim().is_empty())
}

#[tokio::main]
async fn main() -> ExitCode {
    let has_credentials = is_set(env::TOKEN) || is_set(env::AUTHORIZATION);
    let workspace_id = std::env::var(WORKSPACE_ID)
        .ok()
        .filter(|_| is_set(WORKSPACE_ID));
    let result = match (has_credentials, workspace_id) {
        (true, Some(workspace_id)) => against_the_api(&workspace_id).await,
        (false, None) => against_the_embedded_server().await,
        (true, None) => Err(
            "ASKUI_WORKSPACE_ID is not set: set it too, or unset the credentials to run offline"
                .into(),
        ),
        (false, Some(_)) => {
            Err("ASKUI_WORKSPACE_ID is set but no ASKUI_TOKEN or ASKUI__AUTHORIZATION".into())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn against_the_api(workspace_id: &str) -> Result<(), String> {
    let workspace_id: Uuid = workspace_id
        .parse()
        .map_err(|error| format!("{WORKSPACE_ID} is not a UUID: {error}"))?;
    let return_url =
        std::env::var("ASKUI_RETURN_URL").unwrap_or_else(|_| DEFAULT_RETURN_URL.to_owned());
    let client = Client::from_env().map_err(|error| error.to_string())?;
    println!(
        "POST {}/api/v1/workspaces/{workspace_id}/billing/customer-portal-session",
        client.base_url()
    );
    let body = CreateCustomerPortalSessionRequestDto::new(&return_url)
        .map_err(|error| error.to_string())?;
    match client
        .create_customer_portal_session(workspace_id, &body)
        .await
    {
        Ok(session) => {
            println!("customer portal: {}", session.session_url);
            Ok(())
        }
        Err(error) => Err(explain(&error)),
    }
}

async fn against_the_embedded_server() -> Result<(), String> {
    let token = "demo-token";
    let workspace_id = Uuid::new_v4();
    let server = EmbeddedServer::start(ServerConfig {
        token: token.to_owned(),
        workspaces: vec![workspace_id],
    })
    .await
    .map_err(|error| format!("could not start the embedded server: {error}"))?;
    println!(
        "No {}/{WORKSPACE_ID} set: using an embedded AskUI-compatible server at {}",
        env::TOKEN,
        server.base_url()
    );
    if is_set(env::ENDPOINT) {
        println!("({} is used only with credentials.)", env::ENDPOINT);
    }

    let client = Client::builder()
        .base_url(server.base_url())
        .auth(Auth::basic(token))
        .build()
        .map_err(|error| error.to_string())?;
    let body = CreateCustomerPortalSessionRequestDto::new(DEFAULT_RETURN_URL)
        .map_err(|error| error.to_string())?;

    println!("\n1. A workspace with billing details:");
    let session = client
        .create_customer_portal_session(workspace_id, &body)
        .await
        .map_err(|error| explain(&error))?;
    println!("   customer portal: {}", session.session_url);

    println!("\n2. A workspace without billing details:");
    expect_error(
        client
            .create_customer_portal_session(Uuid::new_v4(), &body)
            .await,
        |error| error.status() == Some(StatusCode::NOT_FOUND),
    )?;

    println!("\n3. No credentials:");
    let anonymous = Client::builder()
        .base_url(server.base_url())
        .build()
        .map_err(|error| error.to_string())?;
    expect_error(
        anonymous
            .create_customer_portal_session(workspace_id, &body)
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

/// Prints the expected error, or fails if the outcome was not that error.
fn expect_error<T>(
    result: Result<T, Error>,
    expected: impl Fn(&Error) -> bool,
) -> Result<(), String> {
    match result {
        Err(error) if expected(&error) => {
            println!("   {}", explain(&error));
            Ok(())
        }
        Err(error) => Err(format!("unexpected error: {error}")),
        Ok(_) => Err("the call succeeded, but it should have failed".to_owned()),
    }
}

fn explain(error: &Error) -> String {
    match (error.status(), error.validation()) {
        (_, Some(validation)) => format!("invalid request: {validation}"),
        (Some(StatusCode::NOT_FOUND), _) => {
            format!("not found: {}", error.detail().unwrap_or_default())
        }
        (Some(StatusCode::UNAUTHORIZED), _) => {
            "not authenticated: set ASKUI_TOKEN (or ASKUI__AUTHORIZATION) to a valid token"
                .to_owned()
        }
        _ => {
            // The cause (e.g. the OS error behind "could not connect") is in the source chain.
            let mut message = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            message
        }
    }
}
