// Every kind of body, and the `BodyKind` the endpoint's description reports.
use askui_runtime::{BodyKind, ByteStream, Bytes, Client, Error, Multipart, askui_endpoint};
use serde::Serialize;

#[derive(Serialize)]
pub struct Dto {
    pub name: String,
}

pub trait Api {
    #[askui_endpoint(post, "/json")]
    async fn json(&self, #[body] dto: &Dto) -> Result<(), Error>;

    #[askui_endpoint(post, "/implicit")]
    async fn implicit(&self, dto: Dto) -> Result<(), Error>;

    #[askui_endpoint(post, "/form")]
    async fn form(&self, #[form] fields: &Dto) -> Result<(), Error>;

    #[askui_endpoint(put, "/multipart")]
    async fn multipart(&self, #[multipart] parts: Multipart) -> Result<(), Error>;

    #[askui_endpoint(put, "/files/<path..>")]
    async fn vec(
        &self,
        path: &str,
        #[body(content_type = "application/octet-stream")] bytes: Vec<u8>,
    ) -> Result<(), Error>;

    #[askui_endpoint(patch, "/bytes")]
    async fn bytes(&self, #[body(content_type = "image/png")] bytes: Bytes) -> Result<(), Error>;

    #[askui_endpoint(post, "/slice")]
    async fn slice(&self, #[body(content_type = "text/csv")] bytes: &[u8]) -> Result<(), Error>;

    #[askui_endpoint(post, "/stream")]
    async fn stream(
        &self,
        #[body(content_type = "video/mp4")] stream: ByteStream,
    ) -> Result<(), Error>;

    #[askui_endpoint(get, "/none")]
    async fn none(&self) -> Result<(), Error>;
}

impl Api for Client {}

fn assert_send<F: Send>(f: F) -> F {
    f
}

fn check(client: &Client) {
    drop(assert_send(client.multipart(Multipart::new().text("a", "b"))));
    drop(assert_send(client.vec("a/b", vec![1, 2])));
    drop(assert_send(client.slice(b"a,b")));
}

fn main() {
    let _ = check;
    assert_eq!(<Client as Api>::JSON.body(), BodyKind::Json);
    assert_eq!(<Client as Api>::IMPLICIT.body(), BodyKind::Json);
    assert_eq!(<Client as Api>::FORM.body(), BodyKind::Form);
    assert_eq!(<Client as Api>::MULTIPART.body(), BodyKind::Multipart);
    assert_eq!(
        <Client as Api>::VEC.body(),
        BodyKind::Raw {
            content_type: "application/octet-stream"
        }
    );
    assert_eq!(
        <Client as Api>::BYTES.body(),
        BodyKind::Raw {
            content_type: "image/png"
        }
    );
    assert_eq!(<Client as Api>::SLICE.body().content_type(), Some("text/csv"));
    assert_eq!(
        <Client as Api>::STREAM.body(),
        BodyKind::Raw {
            content_type: "video/mp4"
        }
    );
    assert_eq!(<Client as Api>::NONE.body(), BodyKind::None);
}
