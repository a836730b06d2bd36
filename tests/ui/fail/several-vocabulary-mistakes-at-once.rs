use askui_runtime::{CallOptions, Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(post, "/files/%2E/<p..>", retries = 3, timeout = "soon")]
    async fn f(
        #[header("X-Client")] &self,
        p: String,
        #[query(flat)] filter: u32,
        #[header("Authorization")] token: String,
        #[body(content_type = "octet")] bytes: Vec<u8>,
        #[options(timeout)] options: CallOptions,
    ) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
