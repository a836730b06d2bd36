// In a generic trait, a method whose types name a generic parameter of the trait keeps its
// call in the method (generated where it is called); the others get a nested call,
// generated once, here. Type, const and lifetime parameters.
use std::fmt;

use askui_runtime::{Client, Error, askui_endpoint, askui_endpoints};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
pub struct Dto {
    pub name: String,
}

#[askui_endpoints]
pub trait Api<T: Serialize + Send + Sync>: AsRef<Client> {
    #[askui_endpoint(post, "/a")]
    async fn create(&self, body: &T) -> Result<(), Error>;

    #[askui_endpoint(post, "/b")]
    async fn create_many(&self, body: &[T]) -> Result<Vec<Dto>, Error>;

    #[askui_endpoint(get, "/c")]
    async fn plain(&self, #[query] limit: Option<u32>) -> Result<Dto, Error>;
}

impl Api<Dto> for Client {}
impl Api<u32> for Client {}

/// `Tag<V>` is a path parameter that names the trait's const parameter.
pub struct Tag<const V: u8>;

impl<const V: u8> fmt::Display for Tag<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{V}")
    }
}

#[askui_endpoints]
pub trait Versioned<const V: u8>: AsRef<Client> {
    #[askui_endpoint(get, "/<tag>/items")]
    async fn items(&self, tag: Tag<V>) -> Result<Vec<Dto>, Error>;

    #[askui_endpoint(get, "/health")]
    async fn health(&self) -> Result<(), Error>;
}

impl Versioned<2> for Client {}

#[askui_endpoints]
pub trait Scoped<'s>: AsRef<Client> {
    #[askui_endpoint(get, "/scoped/<id>")]
    async fn scoped(&self, id: &'s str) -> Result<Dto, Error>;

    #[askui_endpoint(get, "/free/<id>")]
    async fn free(&self, id: &str) -> Result<Dto, Error>;
}

impl<'s> Scoped<'s> for Client {}

fn assert_send<F: Send>(f: F) -> F {
    f
}

fn check(client: &Client) {
    let dto = Dto { name: "x".into() };
    drop(assert_send(Api::<Dto>::create(client, &dto)));
    drop(assert_send(Api::<u32>::create(client, &1)));
    drop(assert_send(Api::<u32>::create_many(client, &[1, 2])));
    drop(assert_send(Api::<Dto>::plain(client, Some(1))));
    drop(assert_send(client.items(Tag::<2>)));
    drop(assert_send(client.health()));
    let id = String::from("a");
    drop(assert_send(client.scoped(&id)));
    drop(assert_send(client.free(&id)));
    assert_eq!(<Client as Api<Dto>>::ENDPOINTS.len(), 3);
}

fn main() {
    let _ = check;
}
