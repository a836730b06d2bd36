use askui_runtime::{Client, Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/x/<id>")]
    async fn get(&self, id: u64) -> Result<serde_json::Value, Error>;
}

pub struct App {
    client: Client,
}

impl AsRef<Client> for App {
    fn as_ref(&self) -> &Client {
        &self.client
    }
}

impl Api for App {}
impl Api for Client {}

// A generic wrapper too.
pub struct Shared<C>(std::sync::Arc<C>);

impl<C: AsRef<Client>> AsRef<Client> for Shared<C> {
    fn as_ref(&self) -> &Client {
        (*self.0).as_ref()
    }
}

impl<C: AsRef<Client> + Send + Sync> Api for Shared<C> {}

fn main() {
    let client = Client::builder().base_url("https://api.example").build().unwrap();
    let app = App { client };
    drop(app.get(1));
    let shared = Shared(std::sync::Arc::new(app));
    drop(shared.get(2));
}
