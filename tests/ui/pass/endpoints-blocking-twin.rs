// The blocking twin of a trait gets the same treatment: a nested call where the types allow
// it, the method's own otherwise.
use askui_runtime::{Client, Error, askui_endpoint, askui_endpoints, blocking};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
pub struct Dto {
    pub name: String,
}

#[askui_endpoints(blocking)]
pub trait Api<T: Serialize + Send + Sync>: AsRef<Client> {
    #[askui_endpoint(post, "/a")]
    async fn create(&self, body: &T) -> Result<(), Error>;

    #[askui_endpoint(get, "/b/<id>")]
    async fn get<R: DeserializeOwned + Send + 'static>(&self, id: u64) -> Result<R, Error>;

    #[askui_endpoint(get, "/c/<id>")]
    async fn plain<'a>(&self, id: &'a str, #[query] tags: &[&'a str]) -> Result<Dto, Error>;

    #[askui_endpoint(get, "/d")]
    async fn download(&self) -> Result<askui_runtime::ByteStream, Error>;
}

impl Api<Dto> for Client {}
impl BlockingApi<Dto> for blocking::Client {}

fn call(client: &blocking::Client) -> Result<usize, Error> {
    client.create(&Dto { name: "x".into() })?;
    let value: serde_json::Value = client.get(1)?;
    let dto = client.plain("a", &["t"])?;
    let _stream = client.download()?;
    Ok(dto.name.len() + value.as_array().map_or(0, Vec::len))
}

fn main() {
    let _ = call;
    assert_eq!(<blocking::Client as BlockingApi<Dto>>::ENDPOINTS.len(), 4);
}
