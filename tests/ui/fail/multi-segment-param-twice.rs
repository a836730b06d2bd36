use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/files/{a..}/{b..}")]
    async fn f(&self, a: String, b: String) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
