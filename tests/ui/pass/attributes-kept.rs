#![deny(missing_docs, warnings, unused)]
//! Lints on the generated code stay quiet.

use askui_runtime::{Error, askui_endpoint};

/// An API.
pub trait Api {
    /// Gets it.
    #[askui_endpoint(get, "/x/<id>")]
    #[must_use = "a future does nothing unless awaited"]
    async fn get(&self, id: u64) -> Result<(), Error>;

    /// Deprecated.
    #[deprecated = "use get"]
    #[askui_endpoint(delete, "/x/<id>")]
    async fn old(&self, id: u64) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {}
