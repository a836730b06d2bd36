use askui_runtime::{Client, Error, askui_endpoint};

pub trait Api {
    // Trailing comma, and the attribute over several lines, as rustfmt writes long ones.
    #[askui_endpoint(
        get,
        "/api/v1/workspaces/{workspace_id}/billing/customer-portal-session",
    )]
    async fn long(&self, workspace_id: u64) -> Result<(), Error>;

    // A raw string.
    #[askui_endpoint(get, r"/raw/<id>")]
    async fn raw(&self, id: u64) -> Result<(), Error>;

    // The root, and escapes and punctuation allowed in a path.
    #[askui_endpoint(get, "/")]
    async fn root(&self) -> Result<(), Error>;

    #[askui_endpoint(get, "/a%2Fb/:x@y/~v-1.0/<id>.json")]
    async fn punctuation(&self, id: u64) -> Result<(), Error>;

    // Square brackets and braces around the arguments work too.
    #[askui_endpoint[get, "/brackets"]]
    async fn brackets(&self) -> Result<(), Error>;

    // Raw identifiers as method and argument names.
    #[askui_endpoint(post, "/r/<kind>")]
    async fn r#match(&self, kind: &str, r#ref: &str) -> Result<(), Error>;
}

impl Api for Client {}

fn main() {
    assert_eq!(
        <Client as Api>::PUNCTUATION.path_template(),
        "/a%2Fb/:x@y/~v-1.0/{id}.json"
    );
    assert_eq!(<Client as Api>::ROOT.path_template(), "/");
    assert_eq!(<Client as Api>::MATCH.name(), "match");
}
