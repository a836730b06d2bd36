// Methods of a trait with `#[askui_endpoints]` may have generic parameters of their own:
// types and consts keep the call in the method; lifetimes, with their bounds, are declared
// again on the nested call.
use std::fmt;

use askui_runtime::{CallOptions, Client, Error, askui_endpoint, askui_endpoints};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub struct Page<const N: usize>;

impl<const N: usize> fmt::Display for Page<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{N}")
    }
}

#[askui_endpoints]
pub trait Api: AsRef<Client> {
    #[askui_endpoint(post, "/a")]
    async fn create<B: Serialize + Sync>(&self, body: &B) -> Result<(), Error>;

    #[askui_endpoint(post, "/b")]
    async fn create_unsync<B>(&self, body: &B) -> Result<(), Error>
    where
        B: Serialize + ?Sized;

    #[askui_endpoint(get, "/c/<id>")]
    async fn get<T: DeserializeOwned>(&self, id: u64) -> Result<T, Error>;

    #[askui_endpoint(get, "/d")]
    async fn page<const N: usize>(&self, #[header("X-Page")] page: Page<N>) -> Result<(), Error>;

    #[askui_endpoint(get, "/e/<id>")]
    async fn with_lifetimes<'a, 'b: 'a>(
        &self,
        id: &'a str,
        #[query] tags: &'b [&'a str],
        #[options] options: Option<&'b CallOptions>,
    ) -> Result<serde_json::Value, Error>
    where
        'a: 'b;
}

impl Api for Client {}

fn assert_send<F: Send>(f: F) -> F {
    f
}

fn check(client: &Client) {
    let unsync = std::cell::Cell::new(1);
    drop(assert_send(client.create(&1u8)));
    drop(assert_send(client.create_unsync(&unsync)));
    drop(assert_send(client.create_unsync("str")));
    drop(assert_send(client.get::<serde_json::Value>(1)));
    drop(assert_send(client.page(Page::<3>)));
    let options = CallOptions::new();
    drop(assert_send(client.with_lifetimes("x", &["a", "b"], Some(&options))));
}

fn main() {
    let _ = check;
}
