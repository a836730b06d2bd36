// Bodies by value may be `impl Trait` arguments.
use askui_runtime::{Client, Error, IntoBody, IntoMultipart, askui_endpoint};

pub trait Api {
    #[askui_endpoint(put, "/raw")]
    async fn raw(
        &self,
        #[body(content_type = "text/plain")] data: impl IntoBody + Send,
    ) -> Result<(), Error>;

    #[askui_endpoint(post, "/form")]
    async fn form(&self, #[multipart] form: impl IntoMultipart + Send) -> Result<(), Error>;
}

impl Api for Client {}

fn main() {
    let client = Client::builder().base_url("https://api.example").build().unwrap();
    drop(client.raw(vec![1u8]));
    drop(client.form(askui_runtime::Multipart::new()));
}
