use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/x/<id>")]
    async fn f(id: u64) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
