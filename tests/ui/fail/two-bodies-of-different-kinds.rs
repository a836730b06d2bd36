use askui_runtime::{Error, Multipart, askui_endpoint};
use serde::Serialize;

#[derive(Serialize)]
pub struct Fields {
    pub name: String,
}

pub trait Api {
    #[askui_endpoint(post, "/upload")]
    async fn f(&self, #[form] fields: &Fields, #[multipart] parts: Multipart) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
