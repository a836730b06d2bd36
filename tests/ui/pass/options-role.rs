// `#[options]` takes `CallOptions`, `Option<CallOptions>`, or a reference to either; it is
// neither a query parameter, a header nor the body.
use std::time::Duration;

use askui_runtime::{BodyKind, CallOptions, Client, Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/a")]
    async fn owned(&self, #[options] options: CallOptions) -> Result<(), Error>;

    #[askui_endpoint(get, "/b")]
    async fn borrowed(&self, #[options] options: &CallOptions) -> Result<(), Error>;

    #[askui_endpoint(get, "/c")]
    async fn optional(&self, #[options] options: Option<CallOptions>) -> Result<(), Error>;

    #[askui_endpoint(get, "/d")]
    async fn optional_ref(&self, #[options] options: &Option<CallOptions>) -> Result<(), Error>;

    // Beside an implicit body, and before it.
    #[askui_endpoint(post, "/e/<id>")]
    async fn with_body(
        &self,
        id: u64,
        #[options] options: CallOptions,
        body: &serde_json::Value,
    ) -> Result<(), Error>;

    #[askui_endpoint(get, "/f")]
    fn blocking(&self, #[options] options: &CallOptions) -> Result<(), Error>;
}

impl Api for Client {}
impl Api for askui_runtime::blocking::Client {}

fn assert_send<F: Send>(f: F) -> F {
    f
}

fn check(client: &Client) {
    let options = CallOptions::new().timeout(Duration::from_secs(1));
    drop(assert_send(client.owned(options.clone())));
    drop(assert_send(client.borrowed(&options)));
    drop(assert_send(client.optional(None)));
    drop(assert_send(client.optional_ref(&Some(options.clone()))));
    drop(assert_send(client.with_body(1, options, &serde_json::Value::Null)));
}

fn main() {
    let _ = check;
    for endpoint in [
        <Client as Api>::OWNED,
        <Client as Api>::BORROWED,
        <Client as Api>::OPTIONAL,
        <Client as Api>::OPTIONAL_REF,
        <Client as Api>::BLOCKING,
    ] {
        assert!(endpoint.query().is_empty(), "{endpoint}");
        assert!(endpoint.headers().is_empty(), "{endpoint}");
        assert_eq!(endpoint.body(), BodyKind::None, "{endpoint}");
    }
    assert_eq!(<Client as Api>::WITH_BODY.body(), BodyKind::Json);
}
