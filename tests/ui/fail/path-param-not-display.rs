use askui_runtime::{Error, askui_endpoint};

pub struct WorkspaceId(pub u64);

pub trait Api {
    #[askui_endpoint(get, "/workspaces/<workspace_id>")]
    async fn f(&self, workspace_id: WorkspaceId) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
