use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/files/x<p..>")]
    async fn f(&self, p: String) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
