// Every form of `#[query]`, and what the endpoint's description says about it.
use askui_runtime::{Client, Error, QueryParam, askui_endpoint};
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    pub status: Option<String>,
    pub created_after: Option<u64>,
}

pub trait Api {
    #[askui_endpoint(get, "/workspaces/<workspace_id>/items")]
    async fn list(
        &self,
        workspace_id: u64,
        #[query] limit: u32,
        #[query] cursor: Option<String>,
        #[query] tags: Vec<String>,
        #[query] ids: &[u64],
        #[query] states: Option<Vec<String>>,
        #[query("pageSize")] page_size: Option<u32>,
        #[query] r#type: &str,
        #[query(flatten)] filter: &Filter,
    ) -> Result<(), Error>;

    // On a method with a body, a `#[query]` argument is not a body candidate.
    #[askui_endpoint(post, "/items")]
    async fn create(&self, #[query] dry_run: bool, body: &Filter) -> Result<(), Error>;
}

impl Api for Client {}

fn main() {
    let list = <Client as Api>::LIST;
    let named = |name, repeated| QueryParam::Named { name, repeated };
    assert_eq!(
        list.query()[..7],
        [
            named("limit", false),
            named("cursor", false),
            named("tags", true),
            named("ids", true),
            named("states", true),
            named("pageSize", false),
            named("type", false),
        ]
    );
    assert_eq!(list.query().len(), 8);
    match list.query()[7] {
        QueryParam::Flatten { type_name } => assert!(type_name.contains("Filter"), "{type_name}"),
        other => panic!("expected a flattened parameter, found {other:?}"),
    }
    assert_eq!(list.query()[7].name(), None);
    assert_eq!(list.path_params(), ["workspace_id"]);
    assert_eq!(list.body(), askui_runtime::BodyKind::None);

    let create = <Client as Api>::CREATE;
    assert_eq!(create.query(), [named("dry_run", false)]);
    assert_eq!(create.body(), askui_runtime::BodyKind::Json);
}
