// Types naming `Self` (associated types here) keep the call in the method.
use askui_runtime::{Client, Error, askui_endpoint, askui_endpoints};
use serde::Deserialize;
use serde::de::DeserializeOwned;

#[derive(Deserialize)]
pub struct Dto {
    pub name: String,
}

#[askui_endpoints]
pub trait Api: AsRef<Client> {
    type Id: std::fmt::Display + Sync;
    type Item: DeserializeOwned;

    #[askui_endpoint(get, "/items/<id>")]
    async fn get(&self, id: &Self::Id) -> Result<Self::Item, Error>;

    #[askui_endpoint(get, "/items")]
    async fn list(&self) -> Result<Vec<<Self as Api>::Item>, Error>;

    #[askui_endpoint(get, "/other")]
    async fn other(&self) -> Result<Dto, Error>;
}

impl Api for Client {
    type Id = u64;
    type Item = Dto;
}

async fn call(client: &Client) -> Result<String, Error> {
    let one: Dto = client.get(&1).await?;
    let all: Vec<Dto> = client.list().await?;
    Ok(one.name + &all.len().to_string() + &client.other().await?.name)
}

fn main() {
    let _ = call;
}
