use askui_runtime::askui_endpoint;

pub trait Api {
    #[askui_endpoint(get, "/x")]
    async fn f(&self) -> Option<String>;
}

impl Api for askui_runtime::Client {}

fn main() {}
