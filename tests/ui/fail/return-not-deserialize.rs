use askui_runtime::{Error, askui_endpoint};

pub struct Dto {
    pub name: String,
}

pub trait Api {
    #[askui_endpoint(get, "/x")]
    async fn f(&self) -> Result<Dto, Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
