use askui_runtime::{Error, askui_endpoint, askui_endpoints};

#[askui_endpoints]
pub trait Api {
    #[askui_endpoint(get, "/ok/<id>")]
    async fn ok(&self, id: u64) -> Result<(), Error>;

    // Only this method's own error: ENDPOINTS still lists the valid one.
    #[askui_endpoint(get, "/bad/<id>")]
    async fn bad(&self, other: u64) -> Result<(), Error>;

    // The attribute is valid but the signature is not: its const still exists.
    #[askui_endpoint(get, "/sync")]
    fn not_async(&self) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {
    let _ = <askui_runtime::Client as Api>::ENDPOINTS;
}
