use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/files/<filePath..>")]
    async fn f(&self, #[path("filePath..")] file_path: &str) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
