use askui_runtime::{Error, askui_endpoint};

pub struct Filter {
    pub status: String,
}

pub trait Api {
    #[askui_endpoint(get, "/items")]
    async fn f(&self, #[query(flatten)] filter: &Filter) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
