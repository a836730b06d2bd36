use askui_runtime::{Client, Endpoint, Error, Method, askui_endpoint};

pub trait Api {
    /// Gets one workspace.
    #[askui_endpoint(get, "/api/v1/workspaces/<workspace_id>")]
    async fn get_workspace(&self, workspace_id: u64) -> Result<(), Error>;

    #[askui_endpoint(
        post,
        "/api/v1/workspaces/{workspace_id}/billing/customer-portal-session"
    )]
    async fn r#create(&self, workspace_id: u64) -> Result<(), Error>;
}

impl Api for Client {}

const GET: Endpoint = <Client as Api>::GET_WORKSPACE;

fn main() {
    assert_eq!(GET.name(), "get_workspace");
    assert_eq!(GET.method(), Method::GET);
    assert_eq!(GET.path_template(), "/api/v1/workspaces/{workspace_id}");
    assert_eq!(GET.path_params(), ["workspace_id"]);
    let create = <Client as Api>::CREATE;
    assert_eq!(create.name(), "create");
    assert_eq!(create.method(), Method::POST);
}
