//! What the examples share: where they run, and how they report errors.
//!
//! With `ASKUI_TOKEN` (or `ASKUI__AUTHORIZATION`) and `ASKUI_WORKSPACE_ID` set, an example
//! calls the real AskUI Workspaces API (or the server at `ASKUI_WORKSPACES_ENDPOINT`). With
//! neither set, it starts [`askui_fake::FakeServer`], an AskUI-compatible fake on 127.0.0.1,
//! and runs against that. One set without the other is a mistake, reported as such.

use askui_fake::{Config, FakeServer};
use askui_workspaces::{Client, Error, StatusCode, Uuid, env};

pub mod petstore;

/// The variable naming the workspace to work in; `askui_workspaces::from_env` reads the
/// credentials.
pub const WORKSPACE_ID: &str = "ASKUI_WORKSPACE_ID";

/// Where an example runs.
pub struct Target {
    /// A client for the real API or for the fake.
    pub client: Client,
    /// The workspace to work in.
    pub workspace_id: Uuid,
    /// The fake, when running offline; dropping it stops it.
    pub fake: Option<FakeServer>,
}

impl Target {
    /// The real API when the environment names it, the fake otherwise.
    ///
    /// # Errors
    ///
    /// For the user: half-set variables, a workspace id that is not a UUID, a
    /// fake that could not start.
    pub async fn from_env() -> Result<Target, Failure> {
        let has_credentials = is_set(env::TOKEN) || is_set(env::AUTHORIZATION);
        match (has_credentials, is_set(WORKSPACE_ID)) {
            (true, true) => {
                let workspace_id = std::env::var(WORKSPACE_ID)
                    .unwrap_or_default()
                    .trim()
                    .parse()
                    .map_err(|error| format!("{WORKSPACE_ID} is not a UUID: {error}"))?;
                let client = askui_workspaces::from_env()?;
                println!("Calling the AskUI API at {}", client.base_url());
                Ok(Target {
                    client,
                    workspace_id,
                    fake: None,
                })
            }
            (false, false) => Target::offline().await,
            (true, false) => Err(format!(
                "{WORKSPACE_ID} is not set: set it too, or unset the credentials to run offline"
            )
            .into()),
            (false, true) => Err(format!(
                "{WORKSPACE_ID} is set but no {} or {}",
                env::TOKEN,
                env::AUTHORIZATION
            )
            .into()),
        }
    }

    /// A fresh fake on 127.0.0.1 with one workspace, and a client for it.
    ///
    /// # Errors
    ///
    /// A message for the user if the fake cannot start.
    pub async fn offline() -> Result<Target, Failure> {
        let token = "demo-token";
        let workspace_id = Uuid::new_v4();
        let fake = FakeServer::start(Config::new(token).workspace(workspace_id))
            .await
            .map_err(|error| format!("could not start the AskUI fake: {error}"))?;
        println!(
            "No {}/{WORKSPACE_ID} set: using an AskUI-compatible fake at {}",
            env::TOKEN,
            fake.base_url()
        );
        if is_set(env::ENDPOINT) {
            println!("({} is used only with credentials.)", env::ENDPOINT);
        }
        let client = Client::builder()
            .base_url(fake.base_url())
            .auth(askui_workspaces::access_token(token))
            .build()?;
        Ok(Target {
            client,
            workspace_id,
            fake: Some(fake),
        })
    }
}

/// Whether a variable is set to something, read the way the runtime reads its own.
pub fn is_set(name: &str) -> bool {
    std::env::var(name).is_ok_and(|value| !value.trim().is_empty())
}

/// A one-line explanation of an error for the user, with its causes.
pub fn explain(error: &Error) -> String {
    match (error.status(), error.validation()) {
        (_, Some(validation)) => format!("invalid request: {validation}"),
        (Some(StatusCode::NOT_FOUND), _) => {
            format!("not found: {}", error.detail().unwrap_or_default())
        }
        (Some(StatusCode::UNAUTHORIZED), _) => format!(
            "not authenticated: set {} (or {}) to a valid token",
            env::TOKEN,
            env::AUTHORIZATION
        ),
        _ => {
            // The cause (e.g. the OS error behind "could not connect") is in the chain.
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

/// Prints the expected error, or fails if the outcome was something else.
///
/// # Errors
///
/// The unexpected error, or a message if the call succeeded.
pub fn expect_error<T>(
    result: Result<T, Error>,
    expected: impl Fn(&Error) -> bool,
) -> Result<(), Failure> {
    match result {
        Err(error) if expected(&error) => {
            println!("   {}", explain(&error));
            Ok(())
        }
        Err(error) => Err(error.into()),
        Ok(_) => Err("the call succeeded, but it should have failed".into()),
    }
}

/// What an example's steps fail with: an API [`Error`] or a message.
pub type Failure = Box<dyn std::error::Error>;

/// The process's exit: the error and its causes on stderr, and a failure status.
pub fn exit(result: Result<(), Failure>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(failure) => {
            let message = match failure.downcast_ref::<Error>() {
                Some(error) => explain(error),
                None => failure.to_string(),
            };
            eprintln!("error: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
