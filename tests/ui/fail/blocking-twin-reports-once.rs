// A mistake in a trait with a blocking twin is reported once, by the async original, and
// both traits can still be implemented.
use askui_runtime::{Client, Error, askui_endpoint, askui_endpoints, blocking};

#[askui_endpoints(blocking)]
pub trait Api: AsRef<Client> {
    #[askui_endpoint(get, "/items/<id>")]
    async fn get(&self, id: u64, limit: u32) -> Result<(), Error>;

    #[askui_endpoint(get, "/items")]
    async fn list(&self) -> Result<(), Error>;
}

impl Api for Client {}
impl BlockingApi for blocking::Client {}

fn main() {
    let _ = <blocking::Client as BlockingApi>::ENDPOINTS;
}
