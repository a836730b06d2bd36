use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/items", headers("X Version" = "2", "X-Ok" = "line\nbreak"))]
    async fn f(&self) -> Result<(), Error>;

    #[askui_endpoint(get, "/items", headers("X-Api-Version" = "1", "x-api-version" = "2"))]
    async fn g(&self) -> Result<(), Error>;

    #[askui_endpoint(get, "/items", headers())]
    async fn h(&self) -> Result<(), Error>;

    #[askui_endpoint(get, "/items", headers = "X-A: 1")]
    async fn i(&self) -> Result<(), Error>;

    #[askui_endpoint(get, "/items", headers("X-A" = 1))]
    async fn j(&self) -> Result<(), Error>;

    #[askui_endpoint(get, "/items", headers("X-A" = "1"), headers("X-B" = "2"))]
    async fn k(&self) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
