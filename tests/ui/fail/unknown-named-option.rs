use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/items", retries = 3)]
    async fn f(&self) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
