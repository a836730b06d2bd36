use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/search")]
    async fn search(&self, #[qeury] q: &str, #[header("X-Id")] id: &str) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
