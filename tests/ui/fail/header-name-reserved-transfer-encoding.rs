use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(post, "/items")]
    async fn f(
        &self,
        #[header("Transfer-Encoding")] framing: String,
        body: &serde_json::Value,
    ) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
