use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/pets/<kind>")]
    async fn f(&self, #[path("type")] kind: &str) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
