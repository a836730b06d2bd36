//! Credentials, held so that no `Debug`, `Display` or error ever shows them.

use std::fmt;

use base64::Engine as _;
use http::HeaderValue;
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretBox, SecretString};

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

    /// The credential as the client keeps it, checked.
    ///
    /// Checked here rather than in the constructors so that they stay infallible; the
    /// builder reports the error from `build()`. The error never repeats the secret.
    pub(crate) fn credential(&self) -> Result<Credential, Error> {
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
        let encoded = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(secret));
        let value = Zeroizing::new(match self.scheme {
            Scheme::Bearer => format!("Bearer {secret}"),
            Scheme::Basic => format!("Basic {}", encoded.as_str()),
            Scheme::Header => secret.to_owned(),
        });
        if HeaderValue::from_str(&value).is_err() {
            return Err(Error::builder(format!(
                "the {} credential contains bytes that cannot be sent in an HTTP header",
                self.scheme_name()
            )));
        }
        // What a server might echo: the token as it is, base64-encoded, and the header.
        let redactions =
            crate::redact::secrets([secret, encoded.as_str(), value.as_str()].map(str::to_owned));
        // One copy for every request, shared, zeroed when the client and the last request
        // holding it are gone.
        let shared = bytes::Bytes::from_owner(Zeroizing::new(value.as_bytes().to_vec()));
        let mut header = HeaderValue::from_maybe_shared(shared).map_err(|_| {
            Error::builder("the credential cannot be sent in an HTTP header".to_owned())
        })?;
        header.set_sensitive(true);
        Ok(Credential {
            header,
            redactions: SecretBox::new(Box::new(redactions)),
        })
    }

    fn scheme_name(&self) -> &'static str {
        match self.scheme {
            Scheme::Bearer => "bearer",
            Scheme::Basic => "basic",
            Scheme::Header => "authorization header",
        }
    }
}

/// A checked credential as a client holds it: zeroed when dropped, never shown.
pub(crate) struct Credential {
    /// Marked sensitive; its bytes are zeroed when the last clone is dropped.
    header: HeaderValue,
    /// Longest first, for scrubbing server text that repeats them.
    redactions: SecretBox<Vec<String>>,
}

impl Credential {
    /// The `Authorization` value for one request, marked sensitive so that HTTP logging
    /// layers leave it out. A reference to the client's one copy, not a copy: no per-request
    /// allocation, and no copy left behind unzeroed when the request is dropped.
    pub(crate) fn header(&self) -> HeaderValue {
        self.header.clone()
    }

    /// The credentials stage of an attempt: sets the request's `Authorization`.
    pub(crate) fn apply(&self, headers: &mut http::HeaderMap) {
        headers.insert(http::header::AUTHORIZATION, self.header());
    }

    /// The texts an error answer must not repeat: the token, its base64 form, the header.
    pub(crate) fn redactions(&self) -> &[String] {
        self.redactions.expose_secret()
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
        let bearer = Auth::bearer("tok").credential().unwrap().header();
        assert_eq!(bearer, "Bearer tok");
        assert!(bearer.is_sensitive());
        // base64("tok") == "dG9r"
        let basic = Auth::basic("tok").credential().unwrap().header();
        assert_eq!(basic, "Basic dG9r");
        assert!(basic.is_sensitive());
        let raw = Auth::header("Basic abc=").credential().unwrap().header();
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
            let err = auth.credential().err().expect("rejected");
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains("hun"), "{shown}");
            assert!(!shown.contains("ter2"), "{shown}");
            assert_eq!(err.kind(), crate::ErrorKind::Builder);
        }
    }

    #[test]
    fn redactions_cover_every_form_of_the_token() {
        let credential = Auth::basic("topsecret").credential().unwrap();
        assert_eq!(
            credential.redactions(),
            ["Basic dG9wc2VjcmV0", "dG9wc2VjcmV0", "topsecret"]
        );
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
