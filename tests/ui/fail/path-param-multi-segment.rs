use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/files/<rest..>")]
    async fn f(&self, rest: String) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
