use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/items")]
    async fn f(#[query] &self, #[query] limit: u32) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
