//! Credentials from a provider: a client whose tokens are minted when needed, here
//! short-lived AskUI workspace access tokens created with the main credentials (an OAuth2
//! token endpoint plugs in the same way). Three calls at once share one mint; when the
//! token is revoked behind the client's back, the next call's 401 mints a new one and the
//! call is sent again, once.
//!
//! Offline against the AskUI fake by default; against the real API (or the server at
//! `ASKUI_WORKSPACES_ENDPOINT`) with `ASKUI_TOKEN` and `ASKUI_WORKSPACE_ID` set, where every
//! token it mints is revoked at the end.
//!
//! ```sh
//! cargo run -p askui-examples --example token_provider
//! ```

use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use askui_examples::{Failure, Target, exit};
use askui_runtime::{Auth, Token};
use askui_workspaces::access_tokens::{
    AccessTokens, CreateWorkspaceAccessTokenRequestDto, TokenName,
};
use askui_workspaces::chrono::{SubsecRound, TimeDelta};
use askui_workspaces::{Client, Utc, Uuid};

/// How long each minted token lives.
const LIFETIME: Duration = Duration::from_secs(15 * 60);

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
    let minted = Arc::new(Mutex::new(Vec::new()));
    let result = demo(&client, workspace_id, &minted).await;
    // Never leave a live credential behind.
    let ids = std::mem::take(&mut *minted.lock().unwrap_or_else(PoisonError::into_inner));
    for id in ids {
        let _ = client.delete_workspace_access_token(workspace_id, id).await;
    }
    result
}

async fn demo(
    client: &Client,
    workspace_id: Uuid,
    minted: &Arc<Mutex<Vec<Uuid>>>,
) -> Result<(), Failure> {
    // The provider: mints a workspace token with the main client, sent in AskUI's scheme.
    let minter = client.clone();
    let record = Arc::clone(minted);
    let auth = Auth::provider(move || {
        let (minter, record) = (minter.clone(), Arc::clone(&record));
        async move {
            let expires_at = (Utc::now() + TimeDelta::from_std(LIFETIME)?).trunc_subsecs(0);
            let body = CreateWorkspaceAccessTokenRequestDto {
                name: TokenName::new("askui-endpoint token_provider example")?,
                expires_at: Some(expires_at),
            };
            let created = minter
                .create_workspace_access_token(workspace_id, &body)
                .await?;
            let id = created.private_token.id;
            record
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(id);
            println!("   (minted token {id})");
            let secret = created.token_string.expose_secret();
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(
                Token::new(askui_workspaces::access_token(secret)).expires_in(LIFETIME),
            )
        }
    });
    let short_lived = Client::builder()
        .base_url(client.base_url())
        .auth(auth)
        .build()?;

    println!("1. Three calls at once with the minted credentials: one mint for all three");
    let (a, b, c) = tokio::join!(
        short_lived.list_workspace_access_tokens(workspace_id),
        short_lived.list_workspace_access_tokens(workspace_id),
        short_lived.list_workspace_access_tokens(workspace_id),
    );
    println!(
        "   listed {} tokens, three times",
        a?.len().min(b?.len()).min(c?.len())
    );

    println!("\n2. The token is revoked behind the client's back");
    let revoked = minted.lock().unwrap_or_else(PoisonError::into_inner)[0];
    client
        .delete_workspace_access_token(workspace_id, revoked)
        .await?;

    println!("\n3. The next call gets a 401, mints a new token, and is sent again, once");
    let tokens = short_lived
        .list_workspace_access_tokens(workspace_id)
        .await?;
    println!("   listed {} tokens", tokens.len());
    let count = minted.lock().unwrap_or_else(PoisonError::into_inner).len();
    println!("\n{count} token(s) minted in all (revoked when this example ends)");
    Ok(())
}
