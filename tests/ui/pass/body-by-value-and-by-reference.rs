use askui_runtime::{Error, askui_endpoint};
use serde::Serialize;

#[derive(Serialize)]
pub struct Dto {
    pub name: String,
}

pub trait Api {
    #[askui_endpoint(post, "/by-value")]
    async fn by_value(&self, body: Dto) -> Result<(), Error>;

    #[askui_endpoint(post, "/by-reference")]
    async fn by_reference(&self, body: &Dto) -> Result<(), Error>;

    #[askui_endpoint(post, "/str")]
    async fn str_body(&self, body: &str) -> Result<(), Error>;

    #[askui_endpoint(post, "/slice")]
    async fn slice_body(&self, body: &[Dto]) -> Result<(), Error>;

    #[askui_endpoint(post, "/vec")]
    async fn vec_body(&self, body: Vec<Dto>) -> Result<(), Error>;

    #[askui_endpoint(patch, "/json")]
    async fn json_body(&self, body: serde_json::Value) -> Result<(), Error>;

    #[askui_endpoint(post, "/impl")]
    async fn impl_body(&self, body: impl Serialize) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
