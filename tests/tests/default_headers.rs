//! Fixed headers at three levels (the client, the trait, the endpoint), as the server sees
//! them: each level replaces the one before, a header argument replaces all three, and a
//! call's `CallOptions` wins over everything.

use askui_runtime::{CallOptions, Client, Error, ErrorKind, askui_endpoint, askui_endpoints};
use askui_tests::{RecordingServer, Reply};
use serde_json::{Value, json};

#[askui_endpoints(blocking, headers("X-Api-Version" = "2", "X-Trait" = "pets"))]
pub trait Pets {
    #[askui_endpoint(get, "/pets", headers("X-Api-Version" = "3", "Accept" = "application/vnd.pets+json"))]
    async fn own_headers(&self) -> Result<Value, Error>;

    #[askui_endpoint(get, "/pets")]
    async fn trait_headers(&self) -> Result<Value, Error>;

    #[askui_endpoint(get, "/pets")]
    async fn argument(&self, #[header("X-Api-Version")] version: &str) -> Result<Value, Error>;

    #[askui_endpoint(get, "/pets", headers("X-Api-Version" = "3"))]
    async fn options(&self, #[options] options: &CallOptions) -> Result<Value, Error>;
}
impl Pets for Client {}
impl BlockingPets for askui_runtime::blocking::Client {}

pub trait Plain {
    #[askui_endpoint(get, "/plain")]
    async fn plain(&self) -> Result<Value, Error>;
}
impl Plain for Client {}

fn builder(server: &RecordingServer) -> askui_runtime::ClientBuilder {
    Client::builder()
        .base_url(server.base_url())
        .default_header("X-Api-Version", "1")
        .default_header("X-Client", "tool")
        .default_header("User-Agent", "pets-cli/1.0")
}

#[tokio::test]
async fn each_level_replaces_the_one_before() {
    let server = RecordingServer::always(Reply::json(200, json!({}))).await;
    let client = builder(&server).build().unwrap();
    client.plain().await.unwrap();
    client.trait_headers().await.unwrap();
    client.own_headers().await.unwrap();
    client.argument("4").await.unwrap();
    client
        .options(&CallOptions::new().header("X-Api-Version", "5"))
        .await
        .unwrap();

    let seen = |i: usize, name: &str| server.requests()[i].header(name).map(str::to_owned);
    let versions: Vec<_> = (0..5).map(|i| seen(i, "x-api-version")).collect();
    assert_eq!(
        versions,
        ["1", "2", "3", "4", "5"].map(|v| Some(v.to_owned()))
    );
    // Every level's other headers are still there.
    for i in 0..5 {
        assert_eq!(seen(i, "x-client").as_deref(), Some("tool"));
        assert_eq!(seen(i, "user-agent").as_deref(), Some("pets-cli/1.0"));
        let from_trait = seen(i, "x-trait");
        assert_eq!(from_trait.as_deref(), (i > 0).then_some("pets"), "{i}");
    }
    // An endpoint's `Accept` replaces the one the response kind sets.
    assert_eq!(
        seen(2, "accept").as_deref(),
        Some("application/vnd.pets+json")
    );
    assert_eq!(seen(1, "accept").as_deref(), Some("application/json"));
    // Sent once each, not appended.
    assert_eq!(
        server.requests()[2]
            .headers
            .get_all("x-api-version")
            .iter()
            .count(),
        1
    );
}

#[test]
fn the_endpoint_lists_its_fixed_headers() {
    // The trait's, then the method's: a name given again moves to the method's place.
    assert_eq!(
        <Client as Pets>::OWN_HEADERS.default_headers(),
        [
            ("x-trait", "pets"),
            ("x-api-version", "3"),
            ("accept", "application/vnd.pets+json"),
        ]
    );
    assert_eq!(
        <Client as Pets>::TRAIT_HEADERS.default_headers(),
        [("x-api-version", "2"), ("x-trait", "pets")]
    );
    assert!(<Client as Plain>::PLAIN.default_headers().is_empty());
}

#[test]
fn the_blocking_twin_sends_them_too() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(RecordingServer::always(Reply::json(200, json!({}))));
    let client = builder(&server).build_blocking().unwrap();
    client.trait_headers().unwrap();
    let request = server.only_request();
    assert_eq!(request.header("x-api-version"), Some("2"));
    assert_eq!(request.header("x-trait"), Some("pets"));
    assert_eq!(request.header("x-client"), Some("tool"));
}

#[test]
fn a_bad_client_wide_header_is_an_error_from_build_that_does_not_repeat_its_value() {
    for (name, value) in [
        ("X Version", "1"),
        ("Authorization", "Bearer hunter2-secret"),
        ("content-type", "text/plain"),
        ("Host", "elsewhere.example"),
        ("X-Key", "hunter2-secret\r\nX-Evil: 1"),
    ] {
        let error = Client::builder()
            .base_url("https://api.example")
            .default_header(name, value)
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Builder, "{name}");
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains(name), "{shown}");
    }
    // Nor may one replace the header an API key is sent in.
    let error = Client::builder()
        .base_url("https://api.example")
        .auth(askui_runtime::Auth::api_key_header(
            "api_key",
            "hunter2-secret",
        ))
        .default_header("API_KEY", "other")
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Builder);
    assert!(!format!("{error:?}").contains("hunter2"));
    let builder = Client::builder().default_header("X-Key", "hunter2-secret");
    assert!(!format!("{builder:?}").contains("hunter2"));
}
