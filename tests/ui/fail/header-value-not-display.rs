use askui_runtime::{Error, askui_endpoint};

pub struct TraceId(pub u64);

pub trait Api {
    #[askui_endpoint(get, "/items")]
    async fn f(&self, #[header("X-Trace-Id")] trace: TraceId) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
