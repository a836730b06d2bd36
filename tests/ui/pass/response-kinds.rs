// The method's `Ok` type decides how the response is read, and the description says so.
use askui_runtime::{ByteStream, Bytes, Client, Error, Response, ResponseKind, askui_endpoint};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Dto {
    pub name: String,
}

pub trait Api {
    #[askui_endpoint(delete, "/unit")]
    async fn unit(&self) -> Result<(), Error>;

    #[askui_endpoint(get, "/optional")]
    async fn optional(&self) -> Result<Option<Dto>, Error>;

    #[askui_endpoint(get, "/bytes")]
    async fn bytes(&self) -> Result<Bytes, Error>;

    #[askui_endpoint(get, "/stream")]
    async fn stream(&self) -> Result<ByteStream, Error>;

    #[askui_endpoint(post, "/created")]
    async fn created(&self, body: &serde_json::Value) -> Result<Response<Dto>, Error>;

    #[askui_endpoint(get, "/download")]
    async fn download(&self) -> Result<Response<ByteStream>, Error>;

    #[askui_endpoint(get, "/qualified")]
    async fn qualified(&self) -> Result<askui_runtime::Response<askui_runtime::Bytes>, Error>;

    #[askui_endpoint(get, "/generic")]
    async fn generic<T: serde::de::DeserializeOwned + Send>(&self) -> Result<T, Error>;

    #[askui_endpoint(get, "/blocking")]
    fn blocking_bytes(&self) -> Result<Bytes, Error>;
}

impl Api for Client {}
impl Api for askui_runtime::blocking::Client {}

fn assert_send<F: Send>(f: F) -> F {
    f
}

fn check(client: &Client) {
    drop(assert_send(client.stream()));
    drop(assert_send(client.download()));
    drop(assert_send(client.created(&serde_json::Value::Null)));
}

fn main() {
    let _ = check;
    assert_eq!(<Client as Api>::UNIT.response(), ResponseKind::Json);
    assert_eq!(<Client as Api>::OPTIONAL.response(), ResponseKind::Json);
    assert_eq!(<Client as Api>::BYTES.response(), ResponseKind::Bytes);
    assert_eq!(<Client as Api>::STREAM.response(), ResponseKind::Stream);
    assert_eq!(<Client as Api>::CREATED.response(), ResponseKind::Json);
    assert_eq!(<Client as Api>::DOWNLOAD.response(), ResponseKind::Stream);
    assert_eq!(<Client as Api>::QUALIFIED.response(), ResponseKind::Bytes);
    assert_eq!(<Client as Api>::GENERIC.response(), ResponseKind::Generic);
    assert_eq!(<Client as Api>::BLOCKING_BYTES.response(), ResponseKind::Bytes);
}
