// A method declared without `async` is a blocking call through `blocking::Client`, with
// every role an async method has.
use askui_runtime::{CallOptions, Error, askui_endpoint, blocking};

pub trait Api {
    #[askui_endpoint(get, "/x/<id>")]
    fn get(&self, id: u64, #[query] limit: Option<u32>) -> Result<serde_json::Value, Error>;

    #[askui_endpoint(put, "/files/<path..>", timeout = "5m")]
    fn upload(
        &self,
        path: &str,
        #[body(content_type = "application/octet-stream")] bytes: Vec<u8>,
        #[options] options: &CallOptions,
    ) -> Result<(), Error>;
}

impl Api for blocking::Client {}

fn main() {
    let client = askui_runtime::Client::builder()
        .base_url("http://127.0.0.1:9")
        .build_blocking()
        .unwrap();
    let _ = || client.get(1, Some(2));
}
