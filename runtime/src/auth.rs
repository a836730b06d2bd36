//! Credentials, held so that no `Debug`, `Display` or error ever shows them.

use std::fmt;

use base64::Engine as _;
use http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::Error;

/// How a [`Client`](crate::Client) authenticates: the value of its `Authorization` header.
///
/// The AskUI Workspaces API accepts either scheme. `Debug` never shows the token:
///
/// ```
/// let auth = askui_runtime::Auth::bearer("s3cr3t");
/// assert_eq!(format!("{auth:?}"), "Auth::Bearer(<redacted>)");
/// ```
#[derive(Clone)]
pub struct Auth {
    scheme: Scheme,
    secret: SecretString,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scheme {
    Bearer,
    Basic,
    Header,
}

impl Auth {
    /// `Authorization: Bearer <token>`.
    pub fn bearer(token: impl Into<String>) -> Self {
        Self::new(Scheme::Bearer, token.into())
    }

    /// AskUI's access-token scheme: `Authorization: Basic <base64(token)>`.
    ///
    /// This is what `ASKUI_TOKEN` means to AskUI's own tools: the token is base64-encoded
    /// as a whole (it is not a `user:password` pair).
    pub fn basic(token: impl Into<String>) -> Self {
        Self::new(Scheme::Basic, token.into())
    }

    /// A ready `Authorization` header value, sent as it is (e.g. `ASKUI__AUTHORIZATION`).
    pub fn header(value: impl Into<String>) -> Self {
        Self::new(Scheme::Header, value.into())
    }

    fn new(scheme: Scheme, secret: String) -> Self {
        Self {
            scheme,
            secret: SecretString::from(secret),
        }
    }

    /// The header value, marked sensitive so that HTTP logging layers leave it out.
    ///
    /// Checked here rather than in the constructors so that they stay infallible; the
    /// builder reports the error from `build()`. The error never repeats the secret.
    pub(crate) fn header_value(&self) -> Result<HeaderValue, Error> {
        let secret = self.secret.expose_secret();
        if secret.trim().is_empty() {
            return Err(Error::builder(format!(
                "the {} credential is empty",
                self.scheme_name()
            )));
        }
        if secret.chars().any(char::is_control) {
            return Err(Error::builder(format!(
                "the {} credential contains a control character (such as CR or LF), \
                 which cannot be sent in an HTTP header",
                self.scheme_name()
            )));
        }
        if self.scheme != Scheme::Basic && !secret.is_ascii() {
            // Basic base64-encodes the token; the other schemes send it as it is.
            return Err(Error::builder(format!(
                "the {} credential contains a non-ASCII character",
                self.scheme_name()
            )));
        }
        let value = match self.scheme {
            Scheme::Bearer => format!("Bearer {secret}"),
            Scheme::Basic => format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(secret)
            ),
            Scheme::Header => secret.to_owned(),
        };
        let mut value = HeaderValue::try_from(value).map_err(|_| {
            Error::builder(format!(
                "the {} credential contains bytes that cannot be sent in an HTTP header",
                self.scheme_name()
            ))
        })?;
        value.set_sensitive(true);
        Ok(value)
    }

    fn scheme_name(&self) -> &'static str {
        match self.scheme {
            Scheme::Bearer => "bearer",
            Scheme::Basic => "basic",
            Scheme::Header => "authorization header",
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.scheme {
            Scheme::Bearer => "Bearer",
            Scheme::Basic => "Basic",
            Scheme::Header => "Header",
        };
        write!(f, "Auth::{name}(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_and_basic_header_values() {
        let bearer = Auth::bearer("tok").header_value().unwrap();
        assert_eq!(bearer, "Bearer tok");
        assert!(bearer.is_sensitive());
        // base64("tok") == "dG9r"
        let basic = Auth::basic("tok").header_value().unwrap();
        assert_eq!(basic, "Basic dG9r");
        assert!(basic.is_sensitive());
        let raw = Auth::header("Basic abc=").header_value().unwrap();
        assert_eq!(raw, "Basic abc=");
    }

    #[test]
    fn invalid_tokens_are_errors_that_do_not_repeat_the_secret() {
        for auth in [
            Auth::bearer("hun\r\nter2"),
            Auth::basic("hun\nter2"),
            Auth::header("hun\u{7f}ter2"),
            Auth::bearer("hun\u{0}ter2"),
            Auth::header("Bearer hun\u{e9}ter2"),
            Auth::bearer(" "),
        ] {
            let err = auth.header_value().unwrap_err();
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains("hun"), "{shown}");
            assert!(!shown.contains("ter2"), "{shown}");
            assert_eq!(err.kind(), crate::ErrorKind::Builder);
        }
    }

    #[test]
    fn debug_redacts() {
        for auth in [
            Auth::bearer("topsecret"),
            Auth::basic("topsecret"),
            Auth::header("topsecret"),
        ] {
            assert!(!format!("{auth:?}").contains("topsecret"));
        }
    }
}
