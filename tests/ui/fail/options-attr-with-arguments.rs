use askui_runtime::{CallOptions, Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/items")]
    async fn f(&self, #[options(timeout)] options: CallOptions) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
