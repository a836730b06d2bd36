use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(post, "/workspaces")]
    async fn f(&self, name: String, #[body] body: &str) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
