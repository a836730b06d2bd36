use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/items")]
    async fn f(&self, #[options] options: std::time::Duration) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
