use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(post, "/items", timeout = "5m" idempotent = true)]
    async fn f(&self) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
