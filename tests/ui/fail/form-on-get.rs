use askui_runtime::{Error, askui_endpoint};
use serde::Serialize;

#[derive(Serialize)]
pub struct Fields {
    pub name: String,
}

pub trait Api {
    #[askui_endpoint(get, "/search")]
    async fn f(&self, #[form] fields: &Fields) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
