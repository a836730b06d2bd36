//! AskUI's conventions, which the runtime (made for any API) does not know: the production
//! host, the environment variables AskUI's own tools read, and the access-token scheme.

use askui_runtime::{Auth, Client, ClientBuilder, Error};
use base64::Engine as _;

/// The AskUI Workspaces API.
pub const BASE_URL: &str = "https://workspaces.askui.com";

/// The environment variables [`from_env`](crate::from_env) reads, the names AskUI's own
/// tools use.
pub mod env {
    /// The base URL (optional; default [`BASE_URL`](crate::BASE_URL)).
    pub const ENDPOINT: &str = "ASKUI_WORKSPACES_ENDPOINT";
    /// An access token, sent as AskUI's `Authorization: Basic <base64(token)>`
    /// ([`access_token`](crate::access_token)).
    pub const TOKEN: &str = "ASKUI_TOKEN";
    /// A ready `Authorization` header value; takes precedence over [`TOKEN`].
    pub const AUTHORIZATION: &str = "ASKUI__AUTHORIZATION";
}

/// AskUI's access-token scheme: `Authorization: Basic <base64(token)>`.
///
/// This is what `ASKUI_TOKEN` means to AskUI's own tools: the token is base64-encoded as a
/// whole (it is not RFC 7617's `user:password` pair, so not `Auth::basic`). The token, its
/// base64 form and the header are all scrubbed from server text, as for any [`Auth`];
/// a token with a control character (CR, LF) is refused by `build()`.
///
/// ```
/// let client = askui_workspaces::Client::builder()
///     .base_url(askui_workspaces::BASE_URL)
///     .auth(askui_workspaces::access_token("my-token"))
///     .build()?;
/// # Ok::<(), askui_workspaces::Error>(())
/// ```
pub fn access_token(token: impl AsRef<str>) -> Auth {
    let encoded = base64::engine::general_purpose::STANDARD.encode(token.as_ref());
    Auth::header(format!("Basic {encoded}"))
}

/// A client for the AskUI Workspaces API configured from the environment (see [`env`]):
/// `ASKUI_WORKSPACES_ENDPOINT` or [`BASE_URL`], and `ASKUI__AUTHORIZATION` or `ASKUI_TOKEN`.
///
/// ```no_run
/// let client = askui_workspaces::from_env()?;
/// # Ok::<(), askui_workspaces::Error>(())
/// ```
pub fn from_env() -> Result<Client, Error> {
    builder_from_env()?.build()
}

/// [`from_env`]'s builder, to adjust further (a timeout, `build_blocking()` with the
/// `blocking` feature). Empty variables count as unset.
///
/// # Errors
///
/// An [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) error naming a
/// variable that is not UTF-8.
pub fn builder_from_env() -> Result<ClientBuilder, Error> {
    builder_from_lookup(|name| match std::env::var(name) {
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(()),
    })
}

fn builder_from_lookup(
    lookup: impl Fn(&str) -> Result<Option<String>, ()>,
) -> Result<ClientBuilder, Error> {
    let mut not_unicode = None;
    let mut read = |name: &'static str| match lookup(name) {
        Ok(value) => value.filter(|value| !value.trim().is_empty()),
        Err(()) => {
            not_unicode.get_or_insert(name);
            None
        }
    };
    let base_url = read(env::ENDPOINT);
    let authorization = read(env::AUTHORIZATION);
    let token = read(env::TOKEN);
    if let Some(name) = not_unicode {
        return Err(Error::invalid_argument(
            name,
            "the environment variable is not valid UTF-8",
        ));
    }
    let builder = Client::builder().base_url(base_url.unwrap_or_else(|| BASE_URL.to_owned()));
    Ok(match (authorization, token) {
        (Some(authorization), _) => builder.auth(Auth::header(authorization)),
        (None, Some(token)) => builder.auth(access_token(token)),
        (None, None) => builder,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use askui_runtime::http;

    use super::*;

    trait Probe {
        #[askui_runtime::askui_endpoint(get, "/probe")]
        async fn probe(&self) -> Result<(), Error>;
    }
    impl Probe for Client {}

    fn lookup<'a>(
        vars: &'a [(&'a str, &'a str)],
    ) -> impl Fn(&str) -> Result<Option<String>, ()> + 'a {
        move |name| {
            Ok(vars
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned()))
        }
    }

    /// The base URL and `Authorization` a client from `vars` sends.
    async fn sent(vars: &[(&str, &str)]) -> (String, Option<String>) {
        let seen = Arc::new(Mutex::new(None));
        let record = Arc::clone(&seen);
        let client = builder_from_lookup(lookup(vars))
            .unwrap()
            .in_memory(move |request: http::Request<askui_runtime::Bytes>| {
                let authorization = request
                    .headers()
                    .get(http::header::AUTHORIZATION)
                    .map(|value| value.to_str().unwrap().to_owned());
                *record.lock().unwrap() = Some(authorization);
                http::Response::new("{}")
            })
            .build()
            .unwrap();
        client.probe().await.unwrap();
        let base_url = client.base_url().to_owned();
        (base_url, seen.lock().unwrap().take().unwrap())
    }

    #[tokio::test]
    async fn the_token_is_basic_and_authorization_wins() {
        assert_eq!(
            sent(&[(env::TOKEN, "tok")]).await,
            (BASE_URL.to_owned(), Some("Basic dG9r".to_owned()))
        );
        let vars = [
            (env::TOKEN, "tok"),
            (env::AUTHORIZATION, "Bearer abc"),
            (env::ENDPOINT, "http://127.0.0.1:1234/"),
        ];
        assert_eq!(
            sent(&vars).await,
            (
                "http://127.0.0.1:1234".to_owned(),
                Some("Bearer abc".to_owned())
            )
        );
        assert_eq!(
            sent(&[(env::TOKEN, " ")]).await,
            (BASE_URL.to_owned(), None)
        );
    }

    #[test]
    fn a_token_with_a_line_break_is_refused() {
        let error = Client::builder()
            .base_url(BASE_URL)
            .auth(access_token("hunter2\r\nX-Evil: 1"))
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), askui_runtime::ErrorKind::Builder);
        assert!(!format!("{error} {error:?}").contains("hunter2"));
    }

    #[test]
    fn not_unicode_is_an_error_naming_the_variable() {
        let error = builder_from_lookup(|_| Err(())).err().unwrap();
        assert_eq!(error.kind(), askui_runtime::ErrorKind::InvalidArgument);
        assert!(error.to_string().contains(env::ENDPOINT), "{error}");
    }
}
