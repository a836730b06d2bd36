use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/a/%2e%2e/b")]
    async fn f(&self) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
