use askui_runtime::{Client, Error, PathPiece, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/files/<rest..>")]
    async fn f(&self, rest: String) -> Result<(), Error>;

    #[askui_endpoint(delete, "/ws/{workspace_id}/files/{file_path..}")]
    async fn g(&self, workspace_id: u64, file_path: &str) -> Result<(), Error>;
}

impl Api for Client {}

fn main() {
    let endpoint = <Client as Api>::G;
    assert_eq!(endpoint.path_template(), "/ws/{workspace_id}/files/{file_path}");
    assert_eq!(endpoint.path_params(), ["workspace_id", "file_path"]);
    assert_eq!(endpoint.path().last(), Some(&PathPiece::Rest("file_path")));
}
