use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(post, "/upload")]
    async fn f(&self, #[multipart] parts: String) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
