use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/x")]
    async fn f(&self) -> Result<(), Error>;
}

pub struct App {
    pub client: askui_runtime::Client,
}

impl Api for App {}

fn main() {
    let app = App {
        client: askui_runtime::Client::builder().build().unwrap(),
    };
    let _ = app.f();
}
