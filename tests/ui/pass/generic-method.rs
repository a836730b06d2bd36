use askui_runtime::{Error, askui_endpoint};
use serde::Serialize;

pub trait Api {
    #[askui_endpoint(post, "/a")]
    async fn create<B: Serialize + Sync>(&self, body: &B) -> Result<(), Error>;

    // Not `Sync`: the body is serialized before the future is returned.
    #[askui_endpoint(post, "/b")]
    async fn create_unsync<B>(&self, body: &B) -> Result<(), Error>
    where
        B: Serialize + ?Sized;

    #[askui_endpoint(get, "/c/<id>")]
    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        id: impl std::fmt::Display,
    ) -> Result<T, Error>;

    #[askui_endpoint(get, "/d/<id>")]
    async fn with_lifetime<'a>(&self, id: &'a str) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn assert_send<F: Send>(f: F) -> F {
    f
}

fn check(client: &askui_runtime::Client) {
    let unsync = std::cell::Cell::new(1);
    drop(assert_send(client.create(&1u8)));
    drop(assert_send(client.create_unsync(&unsync)));
    drop(assert_send(client.create_unsync("str")));
    drop(assert_send(client.get::<serde_json::Value>(1)));
    drop(assert_send(client.with_lifetime("x")));
}

fn main() {
    let _ = check;
}
