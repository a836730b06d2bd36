use askui_runtime::{Client, Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/items/<id>")]
    fn get_item(&self, id: u64, #[query] limit: Option<u32>) -> Result<(), Error>;

    #[askui_endpoint(get, "/items")]
    async fn list_items(&self) -> Result<(), Error>;
}

impl Api for Client {}

fn main() {}
