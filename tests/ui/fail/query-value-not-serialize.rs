use askui_runtime::{Error, askui_endpoint};

pub struct Cursor(pub u64);

pub trait Api {
    #[askui_endpoint(get, "/items")]
    async fn f(&self, #[query] cursor: Cursor) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
