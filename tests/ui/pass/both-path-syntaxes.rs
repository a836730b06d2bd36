use askui_runtime::{Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/workspaces/<workspace_id>/users/{user_id}/files/<name>.json")]
    async fn file(&self, workspace_id: u64, user_id: u64, name: &str) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {
    assert_eq!(
        <askui_runtime::Client as Api>::FILE.path_template(),
        "/workspaces/{workspace_id}/users/{user_id}/files/{name}.json"
    );
    assert_eq!(
        <askui_runtime::Client as Api>::FILE.path_params(),
        ["workspace_id", "user_id", "name"]
    );
}
