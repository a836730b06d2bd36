use askui_runtime::askui_endpoint;

#[derive(Debug)]
pub struct MyError;

pub trait Api {
    #[askui_endpoint(get, "/x")]
    async fn f(&self) -> Result<(), MyError>;
}

impl Api for askui_runtime::Client {}

fn main() {}
