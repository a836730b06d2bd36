use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/items")]
    fn f(&self) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {
    let client = askui_runtime::Client::builder().build().unwrap();
    let _ = client.f();
}
