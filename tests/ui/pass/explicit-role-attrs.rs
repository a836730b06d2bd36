use askui_runtime::{Error, askui_endpoint};
use serde::Serialize;

#[derive(Serialize)]
pub struct Dto {
    pub name: String,
}

pub trait Api {
    #[askui_endpoint(post, "/workspaces/<workspace_id>/items")]
    async fn create(&self, #[path] workspace_id: u64, #[body] item: &Dto) -> Result<(), Error>;

    // The body need not come last, nor be named `body`.
    #[askui_endpoint(put, "/workspaces/{workspace_id}/items/{item_id}")]
    async fn replace(
        &self,
        #[body] item: Dto,
        #[path] item_id: u64,
        workspace_id: u64,
    ) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
