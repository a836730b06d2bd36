// A `Result` alias and an error type of the user's, in a trait with `#[askui_endpoints]`.
use askui_runtime::{Client, askui_endpoint, askui_endpoints};
use serde::Deserialize;

pub type Result<T, E = askui_runtime::Error> = std::result::Result<T, E>;

mod other {
    pub type Result<T> = std::result::Result<T, super::MyError>;
}

#[derive(Deserialize)]
pub struct Dto {
    pub name: String,
}

#[derive(Debug)]
pub enum MyError {
    Api(askui_runtime::Error),
    #[allow(dead_code)]
    Other(String),
}

impl From<askui_runtime::Error> for MyError {
    fn from(error: askui_runtime::Error) -> Self {
        MyError::Api(error)
    }
}

#[askui_endpoints(blocking)]
pub trait Api: AsRef<Client> {
    #[askui_endpoint(get, "/a")]
    async fn a(&self) -> Result<Dto>;

    #[askui_endpoint(get, "/b")]
    async fn b(&self) -> other::Result<()>;

    #[askui_endpoint(get, "/c/<id>")]
    async fn c(&self, id: u64) -> Result<Vec<Dto>, MyError>;
}

impl Api for Client {}
impl BlockingApi for askui_runtime::blocking::Client {}

async fn call(client: &Client) -> std::result::Result<String, MyError> {
    client.b().await?;
    Ok(client.a().await?.name + &client.c(1).await?.len().to_string())
}

fn call_blocking(client: &askui_runtime::blocking::Client) -> std::result::Result<String, MyError> {
    client.b()?;
    Ok(client.a()?.name + &client.c(1)?.len().to_string())
}

fn main() {
    let _ = call;
    let _ = call_blocking;
}
