//! Credentials, held so that no `Debug`, `Display` or error ever shows them: the schemes an
//! OpenAPI document declares (`http` bearer and basic, `apiKey` in a header or the query),
//! a ready `Authorization` value, and tokens from a provider that are refreshed.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use http::{HeaderName, HeaderValue};
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretBox, SecretString};

use crate::Error;

/// How a [`Client`](crate::Client) authenticates every request.
///
/// One constructor per security scheme an OpenAPI document declares; each is checked by
/// [`ClientBuilder::build`](crate::ClientBuilder::build) (an empty credential, a control
/// character such as CR or LF, bytes a header cannot carry), refused over plain `http://` to
/// another machine, marked sensitive so that HTTP logging layers leave it out, and scrubbed
/// from whatever a server sends back. `Debug` never shows it:
///
/// ```
/// let auth = askui_runtime::Auth::bearer("s3cr3t");
/// assert_eq!(format!("{auth:?}"), "Auth::Bearer(<redacted>)");
/// ```
#[derive(Clone)]
pub struct Auth {
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    Fixed(Scheme, SecretString),
    Provider(Arc<Provider>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Scheme {
    Bearer,
    Basic { username: String },
    Authorization,
    ApiKeyHeader(String),
    ApiKeyQuery(String),
}

type BoxError = Box<dyn StdError + Send + Sync + 'static>;
type Fetch =
    dyn Fn() -> Pin<Box<dyn Future<Output = Result<Token, BoxError>> + Send>> + Send + Sync;

/// The source of tokens behind [`Auth::provider`].
pub(crate) struct Provider {
    pub(crate) fetch: Arc<Fetch>,
    pub(crate) refresh_before: Duration,
}

/// How long before its expiry a provider's token is replaced, unless
/// [`Auth::refresh_before`] says otherwise.
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(30);

impl Auth {
    /// `Authorization: Bearer <token>` (OpenAPI `type: http, scheme: bearer`).
    pub fn bearer(token: impl Into<String>) -> Self {
        Self::fixed(Scheme::Bearer, token.into())
    }

    /// `Authorization: Basic <base64(username:password)>` (OpenAPI `type: http, scheme:
    /// basic`, RFC 7617).
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self::fixed(
            Scheme::Basic {
                username: username.into(),
            },
            password.into(),
        )
    }

    /// A ready `Authorization` header value, sent as it is. A `Basic` value's decoded
    /// credentials are scrubbed from server text too.
    pub fn header(value: impl Into<String>) -> Self {
        Self::fixed(Scheme::Authorization, value.into())
    }

    /// An API key in the header `name` (OpenAPI `type: apiKey, in: header`), such as
    /// the Petstore's `api_key: <key>`.
    pub fn api_key_header(name: impl Into<String>, key: impl Into<String>) -> Self {
        Self::fixed(Scheme::ApiKeyHeader(name.into()), key.into())
    }

    /// An API key in the query parameter `name` (OpenAPI `type: apiKey, in: query`),
    /// appended to every request's URL.
    ///
    /// A URL is seen by more than headers are, so the key is kept out of what the client
    /// shows: errors name the route template and never the URL, the tracing span records the
    /// template, and a server's text that repeats the key (as it is or percent-encoded) is
    /// scrubbed. A redirect's target is requested without it. The transport does see it:
    /// a middleware that logs URLs, or the [`in_memory`](crate::ClientBuilder::in_memory)
    /// handler, gets the URL as it goes over the wire.
    pub fn api_key_query(name: impl Into<String>, key: impl Into<String>) -> Self {
        Self::fixed(Scheme::ApiKeyQuery(name.into()), key.into())
    }

    /// Credentials asked of `fetch` when needed: for OAuth2 and other short-lived tokens.
    ///
    /// ```
    /// use std::time::Duration;
    /// use askui_runtime::{Auth, Token};
    ///
    /// # async fn exchange() -> Result<(String, u64), std::io::Error> { Ok(("t".into(), 3600)) }
    /// let auth = Auth::provider(|| async {
    ///     let (access_token, expires_in) = exchange().await?; // your OAuth2 crate here
    ///     Ok::<_, std::io::Error>(Token::bearer(access_token).expires_in(Duration::from_secs(expires_in)))
    /// });
    /// ```
    ///
    /// - The token is cached and shared by every clone of the client. It is fetched by the
    ///   first call, and again [`refresh_before`](Self::refresh_before) it expires (30 s by
    ///   default, or at half its lifetime if that is shorter). A token without an expiry is
    ///   kept until the server rejects it.
    /// - **One fetch at a time**: however many calls find the token expired, `fetch` runs once
    ///   and they all wait for its token.
    /// - **A 401** answer makes the token stale: the call fetches a new one (unless another
    ///   call already has) and is sent once more, if its body can be sent again (none, or
    ///   bytes: not a stream or a multipart upload). A second 401 is the call's error: it
    ///   never loops.
    /// - A failed `fetch` is an [`ErrorKind::Credentials`](crate::ErrorKind::Credentials)
    ///   error with `fetch`'s error as its source, and nothing is sent. The call's timeout
    ///   bounds the wait for it (for another call's fetch, then its own), apart from the
    ///   request's. A fetch belongs to the call that started it: if that call is dropped,
    ///   so is the fetch, and the next call starts again.
    /// - A call whose options replace the credential's header
    ///   ([`CallOptions::header`](crate::CallOptions::header)) is not re-sent after a 401,
    ///   and the token is kept: the answer was not about it.
    ///
    /// The token can be in any of the fixed schemes ([`Token::new`]), checked as they are.
    /// `fetch` runs on the runtime of the call that needs it (with the blocking client, the
    /// client's own).
    pub fn provider<F, Fut, E>(fetch: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Token, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        let fetch: Arc<Fetch> = Arc::new(move || {
            let token = fetch();
            Box::pin(async move { token.await.map_err(Into::into) })
        });
        Self {
            kind: Kind::Provider(Arc::new(Provider {
                fetch,
                refresh_before: DEFAULT_REFRESH_BEFORE,
            })),
        }
    }

    /// How long before its expiry a [`provider`](Self::provider)'s token is replaced
    /// (default [`DEFAULT_REFRESH_BEFORE`]; never more than half the token's lifetime). No
    /// effect on fixed credentials.
    pub fn refresh_before(self, margin: Duration) -> Self {
        match self.kind {
            // A new provider with the same fetch: a clone of this `Auth` keeps its own margin.
            Kind::Provider(provider) => Self {
                kind: Kind::Provider(Arc::new(Provider {
                    fetch: Arc::clone(&provider.fetch),
                    refresh_before: margin,
                })),
            },
            fixed => Self { kind: fixed },
        }
    }

    fn fixed(scheme: Scheme, secret: String) -> Self {
        Self {
            kind: Kind::Fixed(scheme, SecretString::from(secret)),
        }
    }

    /// The provider behind [`Auth::provider`], if that is what this is.
    pub(crate) fn provider_of(&self) -> Option<&Arc<Provider>> {
        match &self.kind {
            Kind::Provider(provider) => Some(provider),
            Kind::Fixed(..) => None,
        }
    }

    /// The credential as a request carries it, checked.
    ///
    /// Checked here rather than in the constructors so that they stay infallible; the
    /// builder reports the error from `build()`, a provider's token from the call. The error
    /// never repeats the secret.
    pub(crate) fn credential(&self) -> Result<Credential, Error> {
        let Kind::Fixed(scheme, secret) = &self.kind else {
            return Err(Error::builder(
                "a provider's token must be a fixed credential, not another provider",
            ));
        };
        scheme.check(secret.expose_secret())
    }
}

impl Scheme {
    fn name(&self) -> &'static str {
        match self {
            Scheme::Bearer => "bearer",
            Scheme::Basic { .. } => "basic",
            Scheme::Authorization => "authorization header",
            Scheme::ApiKeyHeader(_) => "API key header",
            Scheme::ApiKeyQuery(_) => "API key query parameter",
        }
    }

    fn check(&self, secret: &str) -> Result<Credential, Error> {
        let name = self.name();
        if secret.trim().is_empty() {
            return Err(Error::builder(format!("the {name} credential is empty")));
        }
        let basic = match self {
            Scheme::Basic { username } => {
                if username.contains(':') {
                    return Err(Error::builder(
                        "the basic credential's user name contains `:`, which RFC 7617 forbids",
                    ));
                }
                Some(Zeroizing::new(format!("{username}:{secret}")))
            }
            _ => None,
        };
        let checked = basic.as_deref().map_or(secret, String::as_str);
        if checked.chars().any(char::is_control) {
            return Err(Error::builder(format!(
                "the {name} credential contains a control character (such as CR or LF), \
                 which cannot be sent in an HTTP request"
            )));
        }
        if let Scheme::Authorization = self
            && decoded_basic(secret).is_some_and(|decoded| decoded.chars().any(char::is_control))
        {
            return Err(Error::builder(format!(
                "the {name} credential's Basic credentials contain a control character"
            )));
        }
        if basic.is_none() && !secret.is_ascii() {
            // Basic base64-encodes its credentials; the other schemes send them as they are.
            return Err(Error::builder(format!(
                "the {name} credential contains a non-ASCII character"
            )));
        }
        // What a server might echo: the secret as it is, encoded, and the header.
        let mut shown = vec![secret.to_owned()];
        let place = match self {
            Scheme::ApiKeyQuery(parameter) => {
                if parameter.is_empty() {
                    return Err(Error::builder("the API key query parameter has no name"));
                }
                let encoded: String =
                    url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
                shown.push(encoded);
                Place::Query(parameter.clone(), SecretString::from(secret.to_owned()))
            }
            Scheme::ApiKeyHeader(header) => {
                // Not a header the client or the body sets, as for a default header.
                let name =
                    crate::options::header_name(header, crate::options::is_reserved_for_defaults)
                        .map_err(|_| {
                        Error::builder(format!(
                            "the API key header name `{}` is not a valid header name, or one the \
                         client or the body sets",
                            crate::error::clean(header, 64)
                        ))
                    })?;
                Place::Header(name, sensitive(secret)?)
            }
            Scheme::Bearer | Scheme::Basic { .. } | Scheme::Authorization => {
                let value = Zeroizing::new(match (self, &basic) {
                    (Scheme::Bearer, _) => format!("Bearer {secret}"),
                    (_, Some(basic)) => {
                        let encoded = base64::engine::general_purpose::STANDARD.encode(basic);
                        shown.push(encoded.clone());
                        shown.push(basic.to_string());
                        format!("Basic {encoded}")
                    }
                    _ => {
                        // `Scheme credentials`: the credentials alone, and decoded if Basic.
                        shown.extend(secret.split_once(' ').map(|(_, c)| c.trim().to_owned()));
                        shown.extend(decoded_basic(secret));
                        secret.to_owned()
                    }
                });
                shown.push(value.to_string());
                Place::Header(http::header::AUTHORIZATION, sensitive(&value)?)
            }
        };
        Ok(Credential {
            place,
            redactions: SecretBox::new(Box::new(crate::redact::secrets(shown))),
        })
    }
}

/// The credentials of a ready `Basic …` value, which a server may echo decoded.
fn decoded_basic(value: &str) -> Option<String> {
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    String::from_utf8(bytes).ok()
}

/// One copy for every request, shared, marked sensitive, zeroed when the client and the last
/// request holding it are gone.
fn sensitive(value: &str) -> Result<HeaderValue, Error> {
    let shared = bytes::Bytes::from_owner(Zeroizing::new(value.as_bytes().to_vec()));
    let mut header = HeaderValue::from_maybe_shared(shared).map_err(|_| {
        Error::builder("the credential contains bytes that cannot be sent in an HTTP header")
    })?;
    header.set_sensitive(true);
    Ok(header)
}

/// A checked credential as a request carries it: zeroed when dropped, never shown.
pub(crate) struct Credential {
    place: Place,
    /// Longest first, for scrubbing server text that repeats them.
    redactions: SecretBox<Vec<String>>,
}

enum Place {
    /// Marked sensitive; its bytes are zeroed when the last clone is dropped.
    Header(HeaderName, HeaderValue),
    /// A query parameter's name and value.
    Query(String, SecretString),
}

impl Credential {
    /// The credentials stage of an attempt: sets the header, or appends the query parameter.
    /// A header is a reference to the client's one copy, not a copy: no per-request
    /// allocation, and no copy left behind unzeroed when the request is dropped.
    pub(crate) fn apply(&self, request: &mut reqwest::Request) {
        match &self.place {
            Place::Header(name, value) => {
                request.headers_mut().insert(name.clone(), value.clone());
            }
            Place::Query(name, value) => {
                request
                    .url_mut()
                    .query_pairs_mut()
                    .append_pair(name, value.expose_secret());
            }
        }
    }

    /// Whether `request` carries this credential: a call's options may have replaced its
    /// header, and then a 401 says nothing about it.
    pub(crate) fn carried_by(&self, request: &reqwest::Request) -> bool {
        match &self.place {
            Place::Header(name, value) => request.headers().get(name) == Some(value),
            Place::Query(..) => true,
        }
    }

    /// The header it is sent in, if it is sent in one.
    pub(crate) fn header_name(&self) -> Option<&HeaderName> {
        match &self.place {
            Place::Header(name, _) => Some(name),
            Place::Query(..) => None,
        }
    }

    /// The texts an error answer must not repeat: the secret, its encoded forms, the header.
    pub(crate) fn redactions(&self) -> &[String] {
        self.redactions.expose_secret()
    }

    #[cfg(test)]
    pub(crate) fn header(&self) -> Option<&HeaderValue> {
        match &self.place {
            Place::Header(_, value) => Some(value),
            Place::Query(..) => None,
        }
    }
}

/// What an answer to a request that carried this credential must not repeat.
impl crate::redact::Secrets for Credential {
    fn with_secrets(&self, scrub: &mut dyn FnMut(&[String])) {
        scrub(self.redactions());
    }
}

/// A credential from a [provider](Auth::provider), with when it expires.
#[must_use]
pub struct Token {
    pub(crate) auth: Auth,
    pub(crate) expires_at: Option<Instant>,
}

impl Token {
    /// A token sent in any fixed scheme: `Token::new(Auth::api_key_header("api_key", key))`.
    pub fn new(auth: Auth) -> Token {
        Token {
            auth,
            expires_at: None,
        }
    }

    /// `Authorization: Bearer <token>`, the common case of OAuth2.
    pub fn bearer(token: impl Into<String>) -> Token {
        Token::new(Auth::bearer(token))
    }

    /// Expires `lifetime` from now (an OAuth2 answer's `expires_in`). A lifetime too long
    /// for the clock to count to is no expiry.
    pub fn expires_in(mut self, lifetime: Duration) -> Token {
        self.expires_at = Instant::now().checked_add(lifetime);
        self
    }

    /// Expires at `at`.
    pub fn expires_at(mut self, at: Instant) -> Token {
        self.expires_at = Some(at);
        self
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("auth", &self.auth)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match &self.kind {
            Kind::Provider(_) => return f.write_str("Auth::Provider(..)"),
            Kind::Fixed(scheme, _) => match scheme {
                Scheme::Bearer => "Bearer",
                Scheme::Basic { .. } => "Basic",
                Scheme::Authorization => "Header",
                Scheme::ApiKeyHeader(_) => "ApiKeyHeader",
                Scheme::ApiKeyQuery(_) => "ApiKeyQuery",
            },
        };
        write!(f, "Auth::{name}(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(auth: Auth) -> HeaderValue {
        auth.credential().unwrap().header().unwrap().clone()
    }

    #[test]
    fn header_values() {
        let bearer = header(Auth::bearer("tok"));
        assert_eq!(bearer, "Bearer tok");
        assert!(bearer.is_sensitive());
        // base64("Aladdin:open sesame"), RFC 7617's example.
        let basic = header(Auth::basic("Aladdin", "open sesame"));
        assert_eq!(basic, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert!(basic.is_sensitive());
        assert_eq!(header(Auth::header("Basic abc=")), "Basic abc=");
        let key = Auth::api_key_header("api_key", "k3y").credential().unwrap();
        assert!(matches!(&key.place, Place::Header(name, value)
            if name == "api_key" && value == "k3y" && value.is_sensitive()));
    }

    #[test]
    fn a_query_key_is_appended_to_the_url() {
        let credential = Auth::api_key_query("key", "a b&c").credential().unwrap();
        let mut request = reqwest::Request::new(
            http::Method::GET,
            "https://api.example/pets?status=sold".parse().unwrap(),
        );
        credential.apply(&mut request);
        assert_eq!(request.url().query(), Some("status=sold&key=a+b%26c"));
        assert!(request.headers().is_empty());
        assert!(credential.redactions().contains(&"a+b%26c".to_owned()));
    }

    #[test]
    fn invalid_credentials_are_errors_that_do_not_repeat_the_secret() {
        for auth in [
            Auth::bearer("hun\r\nter2"),
            Auth::basic("user", "hun\nter2"),
            Auth::basic("hun:ter2", "pw"),
            Auth::header("hun\u{7f}ter2"),
            Auth::bearer("hun\u{0}ter2"),
            Auth::header("Bearer hun\u{e9}ter2"),
            Auth::api_key_header("x-key", "hun\u{e9}ter2"),
            Auth::api_key_header("bad name", "hunter2"),
            Auth::api_key_header("Content-Type", "hunter2"),
            Auth::api_key_query("", "hunter2"),
            Auth::api_key_query("key", "hun\rter2"),
            Auth::bearer(" "),
        ] {
            let err = auth.credential().err().expect("rejected");
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains("ter2"), "{shown}");
            assert_eq!(err.kind(), crate::ErrorKind::Builder);
        }
    }

    #[test]
    fn redactions_cover_every_form_of_the_secret() {
        let credential = Auth::basic("user", "topsecret").credential().unwrap();
        assert_eq!(
            credential.redactions(),
            [
                "Basic dXNlcjp0b3BzZWNyZXQ=",
                "dXNlcjp0b3BzZWNyZXQ=",
                "user:topsecret",
                "topsecret"
            ]
        );
        // A ready Basic value: its decoded credentials too (AskUI's base64 of a token).
        let credential = Auth::header("Basic dG9wc2VjcmV0").credential().unwrap();
        assert_eq!(
            credential.redactions(),
            ["Basic dG9wc2VjcmV0", "dG9wc2VjcmV0", "topsecret"]
        );
    }

    #[test]
    fn debug_redacts() {
        for auth in [
            Auth::bearer("topsecret"),
            Auth::basic("me", "topsecret"),
            Auth::header("topsecret"),
            Auth::api_key_header("topsecret", "topsecret"),
            Auth::api_key_query("key", "topsecret"),
            Auth::provider(|| async { Ok::<_, std::io::Error>(Token::bearer("topsecret")) }),
        ] {
            let shown = format!("{auth:?}");
            assert!(!shown.contains("topsecret"), "{shown}");
        }
        let token = Token::bearer("topsecret");
        assert!(!format!("{token:?}").contains("topsecret"));
    }
}
