use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/items/{type}")]
    async fn f(&self, r#type: &str) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
