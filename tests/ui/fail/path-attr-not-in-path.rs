use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/workspaces/<workspace_id>")]
    async fn f(&self, workspace_id: u64, #[path] user_id: u64) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
