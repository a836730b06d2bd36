use askui_runtime::{Client, Error, askui_endpoint, askui_endpoints};

#[askui_endpoints(blocking)]
pub trait Api: AsRef<Client> {
    #[askui_endpoint(get, "/items")]
    async fn list_items(&self) -> Result<(), Error>;

    #[askui_endpoint(delete, "/items/<id>")]
    async fn delete_item(&self, id: u64) -> Result<(), Error>;
}

impl Api for Client {}

fn main() {}
