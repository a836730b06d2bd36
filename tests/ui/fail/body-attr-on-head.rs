use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(head, "/x/<id>")]
    async fn f(&self, id: u64, #[body] body: String) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
