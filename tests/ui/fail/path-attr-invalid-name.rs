use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/pet/<pet_id>")]
    async fn f(&self, #[path("pet id")] id: i64) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
