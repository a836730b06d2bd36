use askui_runtime::{Error, askui_endpoint, askui_endpoints};

// Reported once, at the trait's attribute, not again at each method.
#[askui_endpoints(headers("Host" = "elsewhere.example", "X-Ok" = "1"))]
pub trait Api {
    #[askui_endpoint(get, "/items")]
    async fn f(&self) -> Result<(), Error>;

    #[askui_endpoint(get, "/others")]
    async fn g(&self) -> Result<(), Error>;
}

#[askui_endpoints(blocking, headers("X-Ok" = "1"), colour)]
pub trait Other {}

impl Api for askui_runtime::Client {}

fn main() {}
