use askui_runtime::{Error, askui_endpoint};

pub struct Dto {
    pub name: String,
}

pub trait Api {
    #[askui_endpoint(post, "/x")]
    async fn f(&self, body: &Dto) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
