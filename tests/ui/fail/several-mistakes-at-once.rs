use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(fetch, "x/<id>")]
    fn f(id: u64, limit: u32) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
