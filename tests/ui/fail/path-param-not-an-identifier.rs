use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/x/<foo-bar>")]
    async fn f(&self, foo_bar: u64) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
