use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(head, "/files")]
    async fn f(&self, #[body(content_type = "application/octet-stream")] bytes: Vec<u8>) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
