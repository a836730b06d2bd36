use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/pets/{pet id}")]
    async fn f(&self, pet_id: i64) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
