//! What generated methods put on the wire for every HTTP method and argument role, checked
//! against a real server on 127.0.0.1.

use askui_runtime::{Client, Error, ErrorKind, askui_endpoint, askui_endpoints};
use askui_tests::{RecordingServer, Reply};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Serialize)]
struct Rename {
    name: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: u64,
}

/// A newtype path parameter renders through its own `Display`.
struct Slug(&'static str);

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "slug-{}", self.0)
    }
}

/// A user's error type: generated methods convert with `From`.
#[derive(Debug)]
struct AppError(Error);

impl From<Error> for AppError {
    fn from(error: Error) -> Self {
        AppError(error)
    }
}

#[askui_endpoints]
trait Items {
    #[askui_endpoint(get, "/items/<id>")]
    async fn get_item(&self, id: u64) -> Result<Item, Error>;

    #[askui_endpoint(GET, "/files/{name}")]
    async fn get_file(&self, name: &str) -> Result<Value, Error>;

    #[askui_endpoint(put, "/ws/<workspace>/items/{id}")]
    async fn put_item(
        &self,
        #[path] id: u64,
        workspace: String,
        #[body] body: Rename,
    ) -> Result<Item, Error>;

    #[askui_endpoint(patch, "/slugs/<slug>")]
    async fn patch_slug(&self, slug: Slug, body: &Rename) -> Result<(), Error>;

    #[askui_endpoint(delete, "/items/<id>")]
    async fn delete_item(&self, id: u64) -> Result<(), AppError>;

    #[askui_endpoint(head, "/items")]
    async fn head_items(&self) -> Result<(), Error>;

    #[askui_endpoint(options, "/items")]
    async fn options_items(&self) -> Result<(), Error>;

    #[askui_endpoint(post, "/items/ping")]
    async fn ping(&self) -> Result<Option<Item>, Error>;
}

impl Items for Client {}

/// A type of the user's own, reaching the client through `AsRef`.
struct App {
    client: Client,
}

impl AsRef<Client> for App {
    fn as_ref(&self) -> &Client {
        &self.client
    }
}

impl Items for App {}

async fn server(reply: Reply) -> (RecordingServer, Client) {
    askui_tests::serve(reply, None).await
}

#[tokio::test]
async fn get_with_an_integer_path_param() {
    let (server, client) = server(Reply::json(200, json!({"id": 7}))).await;
    assert_eq!(client.get_item(7).await.unwrap(), Item { id: 7 });
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("GET", "/items/7")
    );
    assert_eq!(request.header("content-type"), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn a_value_is_always_exactly_one_segment() {
    let (server, client) = server(Reply::json(200, json!(null))).await;
    for name in ["a/b", "../x", "q?x=1", "h#f", "100%", "a b", "ünï", "..."] {
        client.get_file(name).await.unwrap();
    }
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/files/a%2Fb",
            "/files/..%2Fx",
            "/files/q%3Fx%3D1",
            "/files/h%23f",
            "/files/100%25",
            "/files/a%20b",
            "/files/%C3%BCn%C3%AF",
            "/files/...",
        ]
    );
}

#[tokio::test]
async fn empty_dot_and_dot_dot_are_rejected_before_any_io() {
    let (server, client) = server(Reply::json(200, json!(null))).await;
    for bad in ["", ".", ".."] {
        let error = client.get_file(bad).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        assert!(
            error.to_string().contains("invalid argument `name`"),
            "{error}"
        );
    }
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn put_with_explicit_roles_and_a_body_by_value() {
    let (server, client) = server(Reply::json(200, json!({"id": 1}))).await;
    let body = Rename { name: "new".into() };
    client.put_item(1, "w s".into(), body).await.unwrap();
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("PUT", "/ws/w%20s/items/1")
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.json(), json!({"name": "new"}));
}

#[tokio::test]
async fn patch_with_a_newtype_and_an_empty_success() {
    let (server, client) = server(Reply::empty(204)).await;
    client
        .patch_slug(Slug("x"), &Rename { name: "n".into() })
        .await
        .unwrap();
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("PATCH", "/slugs/slug-x")
    );
}

#[tokio::test]
async fn delete_into_a_users_error_type() {
    let (server, client) = server(Reply::empty(204)).await;
    client.delete_item(3).await.unwrap();
    assert_eq!(server.only_request().method, "DELETE");

    let (_server, client) = self::server(Reply::json(409, json!({"detail": "in use"}))).await;
    let AppError(error) = client.delete_item(3).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
    assert_eq!(error.detail().as_deref(), Some("in use"));
}

#[tokio::test]
async fn head_and_options() {
    let (server, client) = server(Reply::empty(200)).await;
    client.head_items().await.unwrap();
    client.options_items().await.unwrap();
    let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["HEAD", "OPTIONS"]);
}

#[tokio::test]
async fn post_without_a_body_and_a_null_answer() {
    let (server, client) = server(Reply::json(200, Value::Null)).await;
    assert_eq!(client.ping().await.unwrap(), None);
    let request = server.only_request();
    assert_eq!(request.method, "POST");
    assert!(request.body.is_empty());
    assert_eq!(request.header("content-type"), None);
}

#[tokio::test]
async fn a_204_for_a_typed_answer_is_a_decode_error() {
    let (_server, client) = server(Reply::empty(204)).await;
    let error = client.get_item(1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert!(error.to_string().contains("Item"), "{error}");
}

#[tokio::test]
async fn a_wrapper_type_works_through_as_ref() {
    let (server, client) = server(Reply::json(200, json!({"id": 2}))).await;
    let app = App { client };
    assert_eq!(app.get_item(2).await.unwrap(), Item { id: 2 });
    assert_eq!(server.only_request().target, "/items/2");
}

/// An impl may override the associated const, but the route is the attribute's.
struct Overriding(Client);

impl AsRef<Client> for Overriding {
    fn as_ref(&self) -> &Client {
        &self.0
    }
}

impl Items for Overriding {
    // Another endpoint's description: `DELETE /items/{id}`.
    const GET_ITEM: askui_runtime::Endpoint = <Client as Items>::DELETE_ITEM;
}

#[tokio::test]
async fn overriding_the_const_does_not_change_the_route() {
    let (server, client) = server(Reply::json(200, json!({"id": 7}))).await;
    Overriding(client).get_item(7).await.unwrap();
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("GET", "/items/7")
    );
}

#[test]
fn every_method_describes_its_endpoint() {
    let endpoints = [
        <Client as Items>::GET_ITEM,
        <Client as Items>::GET_FILE,
        <Client as Items>::PUT_ITEM,
        <Client as Items>::PATCH_SLUG,
        <Client as Items>::DELETE_ITEM,
        <Client as Items>::HEAD_ITEMS,
        <Client as Items>::OPTIONS_ITEMS,
        <Client as Items>::PING,
    ];
    let shown: Vec<String> = endpoints.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "GET /items/{id}",
            "GET /files/{name}",
            "PUT /ws/{workspace}/items/{id}",
            "PATCH /slugs/{slug}",
            "DELETE /items/{id}",
            "HEAD /items",
            "OPTIONS /items",
            "POST /items/ping",
        ]
    );
    assert_eq!(endpoints[2].path_params(), ["workspace", "id"]);
    assert_eq!(
        <Client as Items>::ENDPOINTS,
        endpoints,
        "#[askui_endpoints] lists them all, in order"
    );
    assert_eq!(endpoints[2].name(), "put_item");
}
