use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(post, "/x")]
    async fn f(&self, #[header] token: String, body: String) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
