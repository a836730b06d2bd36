// Borrowed arguments, elided and named, in a trait with `#[askui_endpoints]`: the nested
// call encodes them before it returns, so the future holds no borrow of them, but the
// method's future still captures their lifetimes (as `impl Trait` in a trait does).
use askui_runtime::{
    CallOptions, Client, Error, Multipart, askui_endpoint, askui_endpoints,
};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
pub struct Dto {
    pub name: String,
}

#[derive(Serialize)]
pub struct Filter<'a> {
    pub name: Option<&'a str>,
    pub tags: Vec<&'a str>,
}

#[askui_endpoints]
pub trait Api: AsRef<Client> {
    #[askui_endpoint(post, "/a/<id>/<rest..>")]
    async fn elided(
        &self,
        id: &str,
        rest: &String,
        #[query] tags: &[&str],
        #[query(flatten)] filter: &Filter<'_>,
        #[header("X-Trace")] trace: Option<&str>,
        body: &Dto,
    ) -> Result<Dto, Error>;

    #[askui_endpoint(put, "/b/<id>")]
    async fn named<'a>(
        &self,
        id: &'a str,
        #[form] form: &'a Filter<'a>,
        #[options] options: &'a CallOptions,
    ) -> Result<(), Error>;

    #[askui_endpoint(post, "/c")]
    async fn upload(
        &self,
        #[multipart] form: Multipart,
        #[options] options: Option<CallOptions>,
    ) -> Result<(), Error>;

    #[askui_endpoint(put, "/d")]
    async fn raw(
        &self,
        #[body(content_type = "text/plain")] data: &'static [u8],
    ) -> Result<askui_runtime::Bytes, Error>;
}

impl Api for Client {}

fn assert_send<F: Send + 'static>(f: F) -> F {
    f
}

async fn call(client: &Client) -> Result<(), Error> {
    let id = String::from("a");
    let filter = Filter { name: Some("n"), tags: vec!["t"] };
    let dto = Dto { name: id.clone() };
    // The future may outlive a temporary argument in a `tokio::spawn`-like owner.
    let owned = client.clone();
    let future = async move { owned.upload(Multipart::new(), None).await };
    drop(assert_send(future));
    client
        .elided(&id, &id, &["x"], &filter, Some("t"), &dto)
        .await?;
    client.named(&id, &filter, &CallOptions::new()).await?;
    client.raw(b"bytes").await?;
    Ok(())
}

fn main() {
    let _ = call;
}
