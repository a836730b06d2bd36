use askui_runtime::askui_endpoint;
use serde::Deserialize;

pub type Result<T, E = askui_runtime::Error> = std::result::Result<T, E>;

mod other {
    pub type Result<T> = std::result::Result<T, askui_runtime::Error>;
}

#[derive(Deserialize)]
pub struct Dto {
    pub name: String,
}

pub trait Api {
    #[askui_endpoint(get, "/a")]
    async fn a(&self) -> Result<Dto>;

    #[askui_endpoint(get, "/b")]
    async fn b(&self) -> other::Result<()>;

    #[askui_endpoint(get, "/c")]
    async fn c(&self) -> Result<Vec<Dto>, askui_runtime::Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
