use askui_runtime::{CallOptions, Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/items")]
    async fn f(
        &self,
        #[options] first: CallOptions,
        #[options] second: Option<CallOptions>,
    ) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
