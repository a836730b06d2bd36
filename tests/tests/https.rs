//! HTTPS for real: a loopback server with a certificate from a CA made for the test, and
//! clients that refuse it (unknown CA, wrong host name) before any request is sent, or trust
//! it through `ClientBuilder::tls_certs_merge`/`tls_certs_only` and speak HTTP/2 to it.

use askui_runtime::{Auth, Client, Error, ErrorKind, reqwest};
use askui_tests::tls::{Handshake, TestCa};
use askui_tests::{RecordingServer, Reply};
use axum::http::Version;
use serde_json::{Value, json};

const TOKEN: &str = "tok-https-123";

trait Api {
    #[askui_runtime::askui_endpoint(get, "/items")]
    async fn list(&self) -> Result<Value, Error>;
}

impl Api for Client {}

/// A TLS server with a certificate for `names` from `ca`, answering `{"ok": true}`.
async fn server(ca: &TestCa, names: &[&str]) -> RecordingServer {
    let identity = ca.issue(names);
    RecordingServer::start_tls(&identity, |_| Reply::json(200, json!({ "ok": true }))).await
}

/// An error and its causes, one per line: what a user would read.
fn chain(error: &Error) -> String {
    let mut shown = format!("{error}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        shown.push_str(&format!("\n  caused by: {cause}"));
        source = cause.source();
    }
    shown
}

/// The call reached the server (one TLS handshake per attempt) and was refused before any
/// request: every handshake failed, on the alert the client sent, and no request arrived.
async fn refused_before_any_request(server: &RecordingServer, error: &Error, alert: &str) {
    assert_eq!(error.kind(), ErrorKind::Connect, "{}", chain(error));
    assert_eq!(
        error.to_string(),
        "GET /items: the TLS handshake with the server failed"
    );
    assert!(chain(error).contains("certificate"), "{}", chain(error));
    // A GET is retried after a failed connection, but not after a refused certificate: the
    // next attempt would be refused the same way.
    assert_eq!(error.attempts(), 1, "{}", chain(error));
    let handshakes = server.handshakes_at_least(1).await;
    assert!(
        matches!(&handshakes[..], [Handshake::Failed(why)] if why.contains(alert)),
        "{handshakes:?}"
    );
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

#[tokio::test]
async fn the_default_client_refuses_a_certificate_from_an_unknown_ca() {
    let ca = TestCa::new();
    let server = server(&ca, &["localhost", "127.0.0.1"]).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .auth(Auth::bearer(TOKEN))
        .build()
        .unwrap();

    let error = client.list().await.unwrap_err();

    refused_before_any_request(&server, &error, "UnknownCA").await;
}

#[tokio::test]
async fn a_certificate_for_another_host_name_is_refused() {
    let ca = TestCa::new();
    let server = server(&ca, &["other.example"]).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .auth(Auth::bearer(TOKEN))
        .tls_certs_merge([ca.certificate()])
        .build()
        .unwrap();

    let error = client.list().await.unwrap_err();

    refused_before_any_request(&server, &error, "BadCertificate").await;
}

#[tokio::test]
async fn a_ca_added_with_tls_certs_merge_is_trusted() {
    let ca = TestCa::new();
    let server = server(&ca, &["localhost", "127.0.0.1"]).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .auth(Auth::bearer(TOKEN))
        .tls_certs_merge([ca.certificate()])
        .build()
        .unwrap();

    assert_eq!(client.list().await.unwrap(), json!({ "ok": true }));

    let request = server.only_request();
    let expected = format!("Bearer {TOKEN}");
    assert_eq!(request.header("authorization"), Some(expected.as_str()));
}

#[tokio::test]
async fn a_ca_given_to_tls_certs_only_is_trusted() {
    let ca = TestCa::new();
    let server = server(&ca, &["localhost", "127.0.0.1"]).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .tls_certs_only([ca.certificate()])
        .build()
        .unwrap();

    assert_eq!(client.list().await.unwrap(), json!({ "ok": true }));
    server.only_request();
}

#[tokio::test]
async fn tls_certs_only_trusts_no_other_ca() {
    let (ca, other) = (TestCa::new(), TestCa::new());
    let server = server(&ca, &["localhost", "127.0.0.1"]).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .tls_certs_only([other.certificate()])
        .build()
        .unwrap();

    let error = client.list().await.unwrap_err();

    refused_before_any_request(&server, &error, "UnknownCA").await;
}

/// The certificates configure the client the builder makes; with one of your own they would
/// be silently unused, so `build()` says so.
#[test]
fn certificates_with_your_own_http_client_are_a_builder_error() {
    let ca = TestCa::new();
    let own = || {
        Client::builder()
            .base_url("https://api.example")
            .http_client(reqwest::Client::new())
    };
    for builder in [
        own().tls_certs_merge([ca.certificate()]),
        own().tls_certs_only([ca.certificate()]),
    ] {
        let error = builder.build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Builder);
        let shown = error.to_string();
        for named in ["tls_certs_merge", "tls_certs_only", "http_client"] {
            assert!(shown.contains(named), "{shown}");
        }
    }
}

/// The server saw one handshake, which chose `alpn`, and one request in `version`.
fn assert_served_over(server: &RecordingServer, version: Version, alpn: &str) {
    assert_eq!(server.only_request().version, version);
    assert_eq!(
        server.handshakes(),
        [Handshake::Done {
            alpn: Some(alpn.into())
        }]
    );
}

#[tokio::test]
async fn http2_is_chosen_over_alpn() {
    let ca = TestCa::new();
    let server = server(&ca, &["localhost", "127.0.0.1"]).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .tls_certs_merge([ca.certificate()])
        .build()
        .unwrap();

    client.list().await.unwrap();

    assert_served_over(&server, Version::HTTP_2, "h2");
}

/// The server tells the versions apart: a client limited to HTTP/1.1 is seen as one.
#[tokio::test]
async fn an_http1_only_client_is_seen_as_http1() {
    let ca = TestCa::new();
    let server = server(&ca, &["localhost", "127.0.0.1"]).await;
    let http1 = reqwest::Client::builder()
        .http1_only()
        .tls_certs_only([ca.certificate()])
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(server.base_url())
        .http_client(http1)
        .build()
        .unwrap();

    client.list().await.unwrap();

    assert_served_over(&server, Version::HTTP_11, "http/1.1");
}

/// The cleartext guard is about `http://`: credentials go over `https://` to another machine
/// without `allow_plain_http`. The host is a name that is not loopback to the guard, which
/// reqwest's `resolve` sends to the test server; that needs a reqwest client of our own.
#[tokio::test]
async fn credentials_go_over_https_to_another_host_without_allow_plain_http() {
    let ca = TestCa::new();
    let server = server(&ca, &["workspaces.test"]).await;
    let port = url::Url::parse(&server.base_url()).unwrap().port().unwrap();
    let builder = |base_url: String| {
        let http = reqwest::Client::builder()
            .resolve("workspaces.test", ([127, 0, 0, 1], port).into())
            .tls_certs_only([ca.certificate()])
            .build()
            .unwrap();
        Client::builder()
            .base_url(base_url)
            .auth(Auth::bearer(TOKEN))
            .http_client(http)
    };

    let refused = builder(format!("http://workspaces.test:{port}"))
        .build()
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Builder);
    assert!(refused.to_string().contains("cleartext"), "{refused}");

    let client = builder(format!("https://workspaces.test:{port}"))
        .build()
        .unwrap();
    client.list().await.unwrap();
    let request = server.only_request();
    let expected = format!("Bearer {TOKEN}");
    assert_eq!(request.header("authorization"), Some(expected.as_str()));
}
