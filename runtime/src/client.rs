//! The client every generated method runs on.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderValue;
use url::Url;

use crate::config::Settings;
use crate::credentials::Credentials;
use crate::download::Download;
use crate::redirect::same_origin_redirects;
use crate::transport::{Handler, Middlewares, Transport};
use crate::{Auth, ByteStream, Bytes, Error, RetryPolicy};

/// The whole-call timeout unless [`ClientBuilder::timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest success body read unless [`ClientBuilder::max_response_bytes`] says otherwise.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest wait for the next bytes of a response body unless
/// [`ClientBuilder::read_timeout`] says otherwise.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_USER_AGENT: &str = concat!("askui-runtime/", env!("CARGO_PKG_VERSION"));

/// An HTTP client for endpoints declared with `#[askui_endpoint]`.
///
/// Cheap to clone (one `Arc`), `Send + Sync`: share one per process, as with `reqwest::Client`.
/// Implement your `#[askui_endpoint]` traits for it: `impl Billing for Client {}`.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Settings>,
}

impl Client {
    /// A builder with the defaults: no credentials, a 60 s timeout, two retries. It has no
    /// base URL: [`ClientBuilder::base_url`] is required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL the endpoint paths are appended to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Downloads `url`, an absolute link an API handed out (a signed, time-limited URL of
    /// another origin, such as `FileDto.url` of AskUI's file listing), as a [`ByteStream`]:
    /// streamed, not bounded in size.
    ///
    /// ```no_run
    /// # async fn run(client: askui_runtime::Client, url: &str) -> Result<(), askui_runtime::Error> {
    /// let written = client.download_url(url).await?.save("report.pdf").await?;
    /// # Ok(()) }
    /// ```
    ///
    /// The `GET` carries `Accept: */*` and the client's `User-Agent`, and **no credentials**:
    /// the client's [`Auth`] is never sent, since the URL's signature is its credential and the
    /// link leads elsewhere. It goes through the client's HTTP client (proxies, TLS roots,
    /// redirects), so any `default_headers` of your own
    /// [`http_client`](ClientBuilder::http_client) are sent too: keep credentials in `Auth`.
    /// The client's timeout bounds the wait for the answer's headers and then the wait for
    /// each chunk, as for any `ByteStream` answer.
    ///
    /// The URL is checked when this is called: one that is not an absolute `http://` or
    /// `https://` URL, or that has a user name or password, is an
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) before any I/O (the
    /// future returns it). A non-2xx answer is an [`ErrorKind::Status`](crate::ErrorKind::Status)
    /// error with [`Error::status`] (an expired signed URL answers 403: list again for a new
    /// one). The URL's query, where its signature is, is never shown: errors name the call as
    /// `GET https://host/path?<redacted>` ([`Error::endpoint`]), and the query's values are
    /// removed from an error answer's body.
    ///
    /// The future owns what it needs (`'static`), so it can be spawned.
    pub fn download_url(
        &self,
        url: &str,
    ) -> impl Future<Output = Result<ByteStream, Error>> + Send + 'static {
        let download = Download::new(self.settings_arc(), url);
        async move { download?.send(None).await }
    }

    pub(crate) fn settings(&self) -> &Settings {
        &self.inner
    }

    /// The settings, shared: for what outlives the borrow of the client (a download).
    pub(crate) fn settings_arc(&self) -> &Arc<Settings> {
        &self.inner
    }

    /// The settings, taken: a moved reference count, not a new one.
    pub(crate) fn into_settings(self) -> Arc<Settings> {
        self.inner
    }
}

/// Lets `impl Trait for Client {}` work: generated methods reach the client through
/// `AsRef<Client>`, so a type of yours that holds a `Client` can implement the traits too.
impl AsRef<Client> for Client {
    fn as_ref(&self) -> &Client {
        self
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let settings = &*self.inner;
        f.debug_struct("Client")
            .field("base_url", &settings.base_url)
            .field("auth", &settings.auth.as_ref().map(|_| "<redacted>"))
            .field("timeout", &settings.timeout)
            .field("max_response_bytes", &settings.max_response_bytes)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]. Every setter is infallible; [`build`](ClientBuilder::build)
/// reports the first problem.
#[derive(Default)]
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    auth: Option<Auth>,
    http_client: Option<reqwest::Client>,
    tls: Tls,
    user_agent: Option<String>,
    default_headers: Vec<(String, String)>,
    timeout: Option<Option<Duration>>,
    read_timeout: Option<Duration>,
    max_response_bytes: Option<usize>,
    max_error_body_bytes: Option<usize>,
    retry: Option<RetryPolicy>,
    allow_plain_http: bool,
    in_memory: Option<Handler>,
    middlewares: Middlewares,
    error: Option<Error>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The base URL may carry credentials until `build()` rejects them.
        let base_url = self
            .base_url
            .as_deref()
            .map(|raw| match Url::parse(raw.trim()) {
                Ok(url) => redact_credentials(&url),
                Err(_) => "<invalid>".to_owned(),
            });
        f.debug_struct("ClientBuilder")
            .field("base_url", &base_url)
            .field("auth", &self.auth)
            .field("http_client", &self.http_client.is_some())
            .field("tls", &self.tls)
            .field("user_agent", &self.user_agent)
            .field(
                "default_headers",
                // Names only: a value may be a credential of the user's.
                &self
                    .default_headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .field("timeout", &self.timeout)
            .field("read_timeout", &self.read_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry", &self.retry)
            .field("allow_plain_http", &self.allow_plain_http)
            .field("in_memory", &self.in_memory.is_some())
            .field("error", &self.error)
            .finish()
    }
}

impl ClientBuilder {
    /// The scheme, host and optional path prefix, e.g. `http://127.0.0.1:8080` or
    /// `https://proxy.example/askui`. Required: there is no default host, so that
    /// credentials never go to a server nobody named.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The credentials sent with every request (see [`Auth`]). Without them requests carry
    /// none.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Your own `reqwest::Client` (proxies, default headers, TLS roots, connection pools).
    /// [`timeout`](Self::timeout), [`read_timeout`](Self::read_timeout), retries and
    /// [`user_agent`](Self::user_agent) still apply per request, and an answer that
    /// arrives from another origin after your client's redirects is refused
    /// ([`ErrorKind::Redirect`](crate::ErrorKind::Redirect)). Build it with
    /// `redirect(reqwest::redirect::Policy::none())` to not follow redirects at all.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Trusts `certs` as root certificates besides the platform's own (reqwest's
    /// `tls_certs_merge`): a company's CA, or a test server's. Calls add up.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use askui_runtime::{reqwest::Certificate, Client};
    ///
    /// let ca = Certificate::from_pem(&std::fs::read("company-ca.pem")?)?;
    /// let client = Client::builder()
    ///     .base_url("https://api.internal.example")
    ///     .tls_certs_merge([ca])
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    ///
    /// It configures the HTTP client the builder makes: with your own
    /// [`http_client`](Self::http_client), give the certificates to that one instead;
    /// `build()` refuses both together
    /// ([`ErrorKind::Builder`](crate::ErrorKind::Builder)).
    #[cfg(any(
        feature = "default-tls",
        feature = "native-tls",
        feature = "rustls-no-provider"
    ))]
    pub fn tls_certs_merge(
        mut self,
        certs: impl IntoIterator<Item = reqwest::Certificate>,
    ) -> Self {
        self.tls.certs.extend(certs);
        self
    }

    /// Trusts only `certs` (and those of [`tls_certs_merge`](Self::tls_certs_merge)), not
    /// the platform's roots (reqwest's `tls_certs_only`): to pin a private CA. As with
    /// `tls_certs_merge`, `build()` refuses it together with your own
    /// [`http_client`](Self::http_client).
    #[cfg(any(
        feature = "default-tls",
        feature = "native-tls",
        feature = "rustls-no-provider"
    ))]
    pub fn tls_certs_only(mut self, certs: impl IntoIterator<Item = reqwest::Certificate>) -> Self {
        self.tls.certs.extend(certs);
        self.tls.only = true;
        self
    }

    /// The `User-Agent` header. Default: `askui-runtime/<version>` (none with your own
    /// [`http_client`](Self::http_client), whose own default then applies).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// A header sent with every request, e.g. `default_header("X-Api-Version", "2")`. Later
    /// ones of the same name replace earlier ones. An endpoint's `headers(…)` (on the method
    /// or its trait), its header arguments and a call's [`CallOptions`](crate::CallOptions)
    /// replace it in turn. The headers the client or the body sets (`Authorization`: use
    /// [`Auth`]; `Content-Type`, `Content-Length`, `Transfer-Encoding`, `Host`) are refused,
    /// as are invalid names and values, and the header an [`Auth::api_key_header`] is sent
    /// in: errors from `build()`. Values are sent as they are and shown by no `Debug`, but
    /// they are not scrubbed from server text: a secret belongs in [`Auth`].
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// The limit for each attempt of a call, from connecting to the end of the response body
    /// (a retried call's attempts each get it afresh). `None` waits forever. Default:
    /// [`DEFAULT_TIMEOUT`].
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = Some(timeout.into());
        self
    }

    /// The longest wait for the next bytes of a response body (a success read whole, an
    /// error's body, each chunk of a [`ByteStream`]), also when [`timeout`](Self::timeout)
    /// is `None`. A body that stalls longer is [`ErrorKind::Timeout`](crate::ErrorKind::Timeout);
    /// for an error answer, what arrived is kept. Default: [`DEFAULT_READ_TIMEOUT`].
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// When failed calls are sent again. Default: [`RetryPolicy::default`] (two retries of
    /// calls that are safe to repeat, after connection failures, 429 and 502/503/504);
    /// [`RetryPolicy::none`] to send every call once.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Allows credentials over plain `http://` to a host other than this machine. Without
    /// it, `build()` refuses a client whose [`Auth`] would travel in cleartext to
    /// `http://workspaces.example`, as a mistyped endpoint would; `http://127.0.0.1`,
    /// `http://[::1]` and `http://localhost` are always allowed.
    pub fn allow_plain_http(mut self, allow: bool) -> Self {
        self.allow_plain_http = allow;
        self
    }

    /// The largest success body read into memory; larger ones are
    /// [`ErrorKind::ResponseTooLarge`](crate::ErrorKind::ResponseTooLarge).
    /// Default: [`DEFAULT_MAX_RESPONSE_BYTES`].
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// How much of an error answer's body is read and kept in its
    /// [`ErrorKind::Status`](crate::ErrorKind::Status) error
    /// ([`Error::body_bytes`](crate::Error::body_bytes), [`Error::json`](crate::Error::json));
    /// `detail()` and `validation()` are read from those bytes too. A longer body is cut
    /// there and the error says so ([`Error::body_truncated`](crate::Error::body_truncated)):
    /// an error costs at most this much memory, whatever the server sends.
    /// Default: [`DEFAULT_MAX_ERROR_BODY_BYTES`](crate::DEFAULT_MAX_ERROR_BODY_BYTES).
    pub fn max_error_body_bytes(mut self, limit: usize) -> Self {
        self.max_error_body_bytes = Some(limit);
        self
    }

    /// Answers every request in memory with `handler`, with no socket: for unit tests of
    /// code that calls your endpoints. The handler sees each request as it would go over
    /// the wire (method, URL with its query, headers with `Authorization` and `User-Agent`,
    /// the body, a stream or multipart upload read whole) and returns the answer, which the
    /// call then reads as any other: status check, retries, timeouts, decoding.
    ///
    /// ```
    /// use askui_runtime::{askui_endpoint, http, Client, Error};
    ///
    /// pub trait Prices {
    ///     #[askui_endpoint(get, "/api/v1/workspaces/<workspace_id>/billing/prices")]
    ///     async fn list_prices(&self, workspace_id: &str) -> Result<Vec<String>, Error>;
    /// }
    /// impl Prices for Client {}
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Error> {
    /// let client = Client::builder()
    ///     .base_url("https://api.example")
    ///     .in_memory(|request: http::Request<askui_runtime::Bytes>| {
    ///         assert_eq!(request.uri().path(), "/api/v1/workspaces/w1/billing/prices");
    ///         http::Response::new(r#"["basic","pro"]"#)
    ///     })
    ///     .build()?;
    /// assert_eq!(client.list_prices("w1").await?, ["basic", "pro"]);
    /// # Ok(()) }
    /// ```
    ///
    /// With middlewares (`ClientBuilder::middleware`, feature `middleware`), the handler
    /// answers after the last of them, in place of the network. Needs a Tokio runtime with
    /// time enabled, as any call. [`Client::download_url`] goes through it too.
    pub fn in_memory<B: Into<Bytes>>(
        mut self,
        handler: impl Fn(http::Request<Bytes>) -> http::Response<B> + Send + Sync + 'static,
    ) -> Self {
        self.in_memory = Some(Arc::new(move |request| handler(request).map(Into::into)));
        self
    }

    /// Adds a [`reqwest_middleware::Middleware`] (feature `middleware`): request signing,
    /// caching, OpenTelemetry propagation (`reqwest-tracing`), logging, rate limits, each as
    /// its crate ships it. Middlewares run in the order added, the first outermost.
    ///
    /// Where they run: once per attempt, inside the retry loop (a retried call passes through
    /// them again, and a middleware's error is never retried by the client), after the
    /// client's credentials and headers are set on the request, and inside the call's
    /// `askui.call` tracing span (so a span a middleware opens is its child). The client's
    /// timeout bounds them as it bounds the network: an attempt that a middleware holds up
    /// past it is a [`Timeout`](crate::ErrorKind::Timeout). What they answer is read as the
    /// server's answer: an answer made by a middleware must carry the request's URL
    /// (`reqwest::ResponseBuilderExt::url`), as only answers from the base URL's origin are
    /// read. A middleware's own error is an [`ErrorKind::Middleware`](crate::ErrorKind::Middleware)
    /// error with it as the source, with the client's credentials scrubbed from its text.
    #[cfg(feature = "middleware")]
    pub fn middleware(mut self, middleware: impl reqwest_middleware::Middleware) -> Self {
        self.middlewares.push(Arc::new(middleware));
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let Some(base_url) = self.base_url.as_deref() else {
            return Err(Error::builder(
                "no base URL: set it with `ClientBuilder::base_url` (e.g. `https://api.example`)",
            ));
        };
        let base_url = parse_base_url(base_url)?;
        let auth = self.auth.as_ref().map(Credentials::new).transpose()?;
        if auth.is_some() && !self.allow_plain_http {
            refuse_cleartext_credentials(&base_url)?;
        }
        let user_agent = match (self.user_agent, &self.http_client) {
            (Some(user_agent), _) => Some(HeaderValue::try_from(user_agent).map_err(|_| {
                Error::builder("the user agent contains bytes not allowed in an HTTP header")
            })?),
            (None, Some(_)) => None,
            (None, None) => Some(HeaderValue::from_static(DEFAULT_USER_AGENT)),
        };
        let default_headers = default_headers(self.default_headers)?;
        if let Some(name) = auth.as_ref().and_then(Credentials::fixed_header)
            && default_headers.contains_key(name)
        {
            return Err(Error::builder(format!(
                "the default header `{name}` would replace the credential `Auth` sends in it"
            )));
        }
        let http = match self.http_client {
            // Silently dropping the certificates would leave the user's own client refusing
            // the server they meant to trust, far from the line that set them.
            Some(_) if self.tls.is_set() => {
                return Err(Error::builder(
                    "`tls_certs_merge`/`tls_certs_only` configure the HTTP client the builder \
                     makes, and have no effect with your own `http_client`: give the \
                     certificates to that client instead",
                ));
            }
            Some(client) => client,
            None => self
                .tls
                .apply(
                    reqwest::Client::builder()
                        .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
                        .redirect(same_origin_redirects()),
                )
                .build()
                .map_err(|error| {
                    Error::builder("the HTTP client could not be created").with_source(error)
                })?,
        };
        let base = Url::parse(&base_url).map_err(|error| {
            Error::builder("the base URL is not a valid URL").with_source(error)
        })?;
        Ok(Client {
            inner: Arc::new(Settings {
                transport: Transport::new(http, self.in_memory, self.middlewares),
                base_with_path_capacity: crate::url::with_path_capacity(&base),
                base_url,
                base,
                auth,
                user_agent,
                default_headers,
                timeout: self.timeout.unwrap_or(Some(DEFAULT_TIMEOUT)),
                read_timeout: self.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT),
                max_response_bytes: self
                    .max_response_bytes
                    .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                max_error_body_bytes: self
                    .max_error_body_bytes
                    .unwrap_or(crate::DEFAULT_MAX_ERROR_BODY_BYTES),
                retry: self.retry.unwrap_or_default(),
            }),
        })
    }
}

/// The client-wide headers, checked: names neither invalid nor reserved, values that a
/// header can carry. Messages name the header, never its value.
fn default_headers(headers: Vec<(String, String)>) -> Result<http::HeaderMap, Error> {
    let mut map = http::HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        use crate::options::{HeaderProblem, header_pair, is_reserved_for_defaults};
        let (name, value) = header_pair(&name, &value, is_reserved_for_defaults).map_err(|problem| {
            let shown = crate::error::clean(&name, 64);
            Error::builder(match problem {
                HeaderProblem::Name => {
                    format!("the default header name `{shown}` is not a valid header name")
                }
                HeaderProblem::Reserved => format!(
                    "the default header `{shown}` is set by the client or the body (credentials: \
                     use `Auth`)"
                ),
                HeaderProblem::Value => format!(
                    "the default header `{shown}` has a value with bytes not allowed in an HTTP \
                     header (such as CR or LF)"
                ),
            })
        })?;
        map.insert(name, value);
    }
    Ok(map)
}

/// The root certificates of `ClientBuilder::tls_certs_merge` and `tls_certs_only`.
#[derive(Default)]
struct Tls {
    #[cfg(any(
        feature = "default-tls",
        feature = "native-tls",
        feature = "rustls-no-provider"
    ))]
    certs: Vec<reqwest::Certificate>,
    only: bool,
}

/// Without a TLS backend (an `http://`-only client) there are no certificates to trust.
#[cfg(not(any(
    feature = "default-tls",
    feature = "native-tls",
    feature = "rustls-no-provider"
)))]
impl Tls {
    fn is_set(&self) -> bool {
        self.only
    }

    fn apply(self, builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
        builder
    }
}

#[cfg(any(
    feature = "default-tls",
    feature = "native-tls",
    feature = "rustls-no-provider"
))]
impl Tls {
    fn is_set(&self) -> bool {
        !self.certs.is_empty() || self.only
    }

    fn apply(self, builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
        if self.only {
            builder.tls_certs_only(self.certs)
        } else {
            builder.tls_certs_merge(self.certs)
        }
    }
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut tls = f.debug_struct("Tls");
        #[cfg(any(
            feature = "default-tls",
            feature = "native-tls",
            feature = "rustls-no-provider"
        ))]
        tls.field("certs", &self.certs.len());
        tls.field("only", &self.only).finish()
    }
}

/// Accepts `http(s)://host[:port][/prefix]`, returned without a trailing `/`. Messages show
/// the URL only once parsed, with any credentials removed.
fn parse_base_url(raw: &str) -> Result<String, Error> {
    let url = Url::parse(raw.trim())
        .map_err(|error| Error::builder("the base URL is not a valid URL").with_source(error))?;
    let shown = redact_credentials(&url);
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(Error::builder(format!(
            "the base URL `{shown}` must be an http:// or https:// URL with a host"
        )));
    }
    if url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(Error::builder(format!(
            "the base URL `{shown}` must not have a query, a fragment or credentials (use `Auth`)"
        )));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Refuses an `http://` base URL to another machine: the credentials would cross the network
/// in cleartext.
fn refuse_cleartext_credentials(base_url: &str) -> Result<(), Error> {
    let Ok(url) = Url::parse(base_url) else {
        return Ok(());
    };
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    if url.scheme() == "http" && !loopback {
        return Err(Error::builder(format!(
            "credentials would be sent in cleartext to `{}`: use https://, or \
             `allow_plain_http(true)` for a network you trust",
            redact_credentials(&url)
        )));
    }
    Ok(())
}

fn redact_credentials(url: &Url) -> String {
    let mut url = url.clone();
    // Both only fail for URLs that cannot have credentials, which is then fine as it is.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn client_is_cheap_to_clone_and_shareable() {
        fn assert_bounds<T: Clone + Send + Sync + 'static>() {}
        assert_bounds::<Client>();
        assert_eq!(size_of::<Client>(), size_of::<usize>());
    }

    #[test]
    fn base_urls() {
        assert_eq!(
            parse_base_url("https://workspaces.askui.com").unwrap(),
            "https://workspaces.askui.com"
        );
        assert_eq!(
            parse_base_url("http://127.0.0.1:9/").unwrap(),
            "http://127.0.0.1:9"
        );
        assert_eq!(
            parse_base_url("https://proxy.example/askui/").unwrap(),
            "https://proxy.example/askui"
        );
        for bad in [
            "",
            "workspaces.askui.com",
            "ftp://x",
            "https://x/?a=1",
            "https://x/#f",
            "mailto:a@b",
        ] {
            assert_eq!(
                parse_base_url(bad).unwrap_err().kind(),
                ErrorKind::Builder,
                "{bad}"
            );
        }
        for leaky in [
            "https://user:hunter2@x/",
            "ftp://user:hunter2@x/",
            "https://user:hunter2@bad host/",
        ] {
            let error = parse_base_url(leaky).unwrap_err();
            assert!(!format!("{error} {error:?}").contains("hunter2"), "{leaky}");
            let builder = Client::builder().base_url(leaky);
            assert!(!format!("{builder:?}").contains("hunter2"), "{leaky}");
        }
    }

    #[test]
    fn a_client_needs_a_base_url() {
        let error = Client::builder()
            .auth(Auth::bearer("hunter2"))
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Builder);
        assert!(error.to_string().contains("base_url"), "{error}");
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let builder = Client::builder()
            .base_url("https://api.example")
            .auth(Auth::bearer("hunter2"));
        assert!(!format!("{builder:?}").contains("hunter2"));
        assert!(format!("{builder:?}").contains("<redacted>"));
        let client = builder.build().unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }

    #[test]
    fn bad_credentials_fail_build_without_repeating_them() {
        let error = Client::builder()
            .base_url("https://api.example")
            .auth(Auth::basic("me", "hunter2\r\nX-Evil: 1"))
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Builder);
        assert!(!format!("{error} {error:?}").contains("hunter2"));
    }
}
