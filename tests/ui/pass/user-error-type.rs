use askui_runtime::askui_endpoint;
use serde::Deserialize;

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

pub trait Api {
    #[askui_endpoint(get, "/x/<id>")]
    async fn get(&self, id: u64) -> Result<Dto, MyError>;
}

impl Api for askui_runtime::Client {}

async fn call(client: &askui_runtime::Client) -> Result<String, MyError> {
    Ok(client.get(1).await?.name)
}

fn main() {
    let _ = call;
}
