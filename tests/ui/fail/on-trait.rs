use askui_runtime::{Error, askui_endpoint};

#[askui_endpoint(get, "/x")]
pub trait Api {
    async fn f(&self) -> Result<(), Error>;
}

fn main() {}
