use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/items")]
    async fn f(
        &self,
        #[header("X-Trace-Id")] trace: String,
        #[header("x-trace-id")] again: String,
    ) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
