use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/items", headers("Accept" = "text/csv", "Authorization" = "Bearer x"))]
    async fn f(&self) -> Result<(), Error>;

    #[askui_endpoint(post, "/items", headers("Content-Type" = "text/csv"))]
    async fn g(&self, body: String) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
