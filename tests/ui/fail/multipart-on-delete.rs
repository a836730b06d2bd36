use askui_runtime::{Error, Multipart, askui_endpoint};

pub trait Api {
    #[askui_endpoint(delete, "/files")]
    async fn f(&self, #[multipart] parts: Multipart) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
