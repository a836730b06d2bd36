use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(put, "/files")]
    async fn f(
        &self,
        #[body(content_type = "image/png", content_type = "image/jpeg")] bytes: Vec<u8>,
    ) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
