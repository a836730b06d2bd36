use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(post, "/workspaces/<workspace_id>")]
    async fn f(&self, #[body] workspace_id: u64) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
