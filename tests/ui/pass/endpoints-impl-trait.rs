// `impl Trait` arguments keep the call in the method (a nested `fn` would be generic).
use askui_runtime::{Client, Error, IntoBody, IntoMultipart, askui_endpoint, askui_endpoints};

#[askui_endpoints]
pub trait Api: AsRef<Client> {
    #[askui_endpoint(put, "/raw")]
    async fn raw(
        &self,
        #[body(content_type = "text/plain")] data: impl IntoBody + Send,
    ) -> Result<(), Error>;

    #[askui_endpoint(post, "/form")]
    async fn form(&self, #[multipart] form: impl IntoMultipart + Send) -> Result<(), Error>;

    #[askui_endpoint(get, "/items/<id>")]
    async fn get(&self, id: impl std::fmt::Display + Sync) -> Result<serde_json::Value, Error>;

    #[askui_endpoint(put, "/bytes")]
    async fn bytes(
        &self,
        #[body(content_type = "application/octet-stream")] data: Vec<u8>,
    ) -> Result<(), Error>;
}

impl Api for Client {}

fn main() {
    let client = Client::builder().base_url("https://api.example").build().unwrap();
    drop(client.raw(vec![1u8]));
    drop(client.form(askui_runtime::Multipart::new()));
    drop(client.get(1));
    drop(client.bytes(vec![1u8]));
}
