use askui_runtime::{Error, askui_endpoint};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Dto {
    pub name: String,
}

pub trait Api {
    #[askui_endpoint(delete, "/a")]
    async fn unit(&self) -> Result<(), Error>;

    #[askui_endpoint(get, "/b")]
    async fn dto(&self) -> Result<Dto, Error>;

    #[askui_endpoint(get, "/c")]
    async fn list(&self) -> Result<Vec<Dto>, Error>;

    #[askui_endpoint(get, "/d")]
    async fn optional(&self) -> Result<Option<Dto>, Error>;

    #[askui_endpoint(get, "/e")]
    async fn qualified(&self) -> std::result::Result<Dto, askui_runtime::Error>;

    #[askui_endpoint(get, "/f")]
    async fn core_qualified(
        &self,
    ) -> ::core::result::Result<serde_json::Value, askui_runtime::Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
