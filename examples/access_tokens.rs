//! Workspace access tokens: create one (its secret is shown once, and never by `Debug`),
//! list the workspace's tokens, look the secret up, and revoke the token.
//!
//! Offline against the AskUI fake by default; against the real API (or the server at
//! `ASKUI_WORKSPACES_ENDPOINT`) with `ASKUI_TOKEN` and `ASKUI_WORKSPACE_ID` set, where the
//! token it creates is deleted at the end.
//!
//! ```sh
//! cargo run -p askui-examples --example access_tokens
//! ```

use std::process::ExitCode;

use askui_examples::{Failure, Target, exit};
use askui_workspaces::access_tokens::{
    AccessTokens, CreateWorkspaceAccessTokenRequestDto, CreateWorkspaceAccessTokenResponseDto,
    LookupWorkspaceAccessTokenCommand, TokenName,
};
use askui_workspaces::chrono::{SubsecRound, TimeDelta};
use askui_workspaces::{Client, Utc, Uuid};

#[tokio::main]
async fn main() -> ExitCode {
    exit(run().await)
}

async fn run() -> Result<(), Failure> {
    let Target {
        client,
        workspace_id,
        fake: _fake,
    } = Target::from_env().await?;

    println!("\n1. Create a workspace token that expires in 30 days:");
    // Whole seconds: the API's timestamps need no nanoseconds.
    let expires_at = (Utc::now() + TimeDelta::days(30)).trunc_subsecs(0);
    let body = CreateWorkspaceAccessTokenRequestDto {
        name: TokenName::new("askui-endpoint example")?,
        expires_at: Some(expires_at),
    };
    let created = client
        .create_workspace_access_token(workspace_id, &body)
        .await?;
    let token = &created.private_token;
    println!(
        "   {} ({}), expires {:?}",
        token.name, token.id, token.expires_at
    );
    // The secret is a `TokenSecret`: `Debug` redacts it; use `expose_secret()` deliberately.
    println!("   secret: {:?}", created.token_string);

    let result = list_look_up_and_revoke(&client, workspace_id, &created).await;
    if result.is_err() {
        // Never leave a live credential behind: revoke it even if a step failed.
        let _ = client
            .delete_workspace_access_token(workspace_id, token.id)
            .await;
    }
    result
}

async fn list_look_up_and_revoke(
    client: &Client,
    workspace_id: Uuid,
    created: &CreateWorkspaceAccessTokenResponseDto,
) -> Result<(), Failure> {
    let token = &created.private_token;
    println!("\n2. The workspace's tokens:");
    for listed in client.list_workspace_access_tokens(workspace_id).await? {
        println!(
            "   {} {} (created {})",
            listed.id, listed.name, listed.created_at
        );
    }

    println!("\n3. Which token is this secret? (sent in the body, never in a URL)");
    let lookup = LookupWorkspaceAccessTokenCommand::new(created.token_string.expose_secret())?;
    let found = client
        .lookup_workspace_access_token(workspace_id, &lookup)
        .await?;
    println!("   {}", found.access_token_id);

    println!("\n4. Revoke it:");
    client
        .delete_workspace_access_token(workspace_id, token.id)
        .await?;
    let left = client.list_workspace_access_tokens(workspace_id).await?;
    println!(
        "   deleted; {} token(s) left, the new one {}",
        left.len(),
        if left.iter().any(|t| t.id == token.id) {
            "still listed"
        } else {
            "gone"
        }
    );
    Ok(())
}
