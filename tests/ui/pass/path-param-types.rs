use std::fmt;

use askui_runtime::{Error, askui_endpoint};
use uuid::Uuid;

pub struct WorkspaceId(pub Uuid);

impl fmt::Display for WorkspaceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

pub trait Api {
    #[askui_endpoint(get, "/a/<id>")]
    async fn uuid(&self, id: Uuid) -> Result<(), Error>;

    #[askui_endpoint(get, "/b/<id>")]
    async fn number(&self, id: u64) -> Result<(), Error>;

    #[askui_endpoint(get, "/c/<id>")]
    async fn str_ref(&self, id: &str) -> Result<(), Error>;

    #[askui_endpoint(get, "/d/<id>")]
    async fn string(&self, id: String) -> Result<(), Error>;

    #[askui_endpoint(get, "/e/<id>")]
    async fn newtype(&self, id: WorkspaceId) -> Result<(), Error>;

    #[askui_endpoint(get, "/f/<id>")]
    async fn newtype_ref(&self, id: &WorkspaceId) -> Result<(), Error>;

    #[askui_endpoint(get, "/g/<id>")]
    async fn impl_display(&self, id: impl fmt::Display + Send) -> Result<(), Error>;

    #[askui_endpoint(get, "/h/<a>/<b>/<c>")]
    async fn several(&self, a: Uuid, b: &str, c: i32) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
