use askui_runtime::{Client, Error, askui_endpoint};
use serde::Serialize;
use uuid::Uuid;

#[derive(Serialize)]
pub struct Dto {
    pub name: String,
}

pub trait Api {
    #[askui_endpoint(post, "/workspaces/<workspace_id>")]
    async fn create(&self, workspace_id: Uuid, body: &Dto) -> Result<serde_json::Value, Error>;

    #[askui_endpoint(get, "/workspaces/<workspace_id>")]
    async fn get(&self, workspace_id: &str) -> Result<(), Error>;
}

impl Api for Client {}

fn assert_send<F: Send>(f: F) -> F {
    f
}

fn assert_static<F: 'static>(f: F) -> F {
    f
}

fn concrete(client: &Client) {
    let body = Dto {
        name: "x".to_owned(),
    };
    drop(assert_send(client.create(Uuid::nil(), &body)));
    drop(assert_send(client.get("x")));
}

// With a `'static` client and `'static` arguments, the future can be spawned.
fn spawnable(client: &'static Client) {
    static BODY: Dto = Dto {
        name: String::new(),
    };
    drop(assert_static(assert_send(
        client.create(Uuid::nil(), &BODY),
    )));
    drop(assert_static(assert_send(client.get("x"))));
}

// A generic caller, through the trait: the trait's signature promises `Send`, whatever the
// implementing type (even one that is not `Sync`).
fn generic<A: Api + AsRef<Client>>(api: &A) {
    drop(assert_send(api.get("x")));
}

fn main() {
    let _ = concrete;
    let _ = spawnable;
    generic(&Client::builder().base_url("https://api.example").build().unwrap());
}
