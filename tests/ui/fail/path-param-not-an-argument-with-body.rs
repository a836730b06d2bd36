use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(post, "/workspaces/<workspace_id>/items")]
    async fn f(&self, workspace: u64, body: &str) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
