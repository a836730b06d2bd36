// `#[header("…")]` with `Display` values and `Option`s of them (`None` sends no header).
use askui_runtime::{Client, Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/items/<id>")]
    async fn get(
        &self,
        id: u64,
        #[header("X-Request-Id")] request_id: &str,
        #[header("X-Attempt")] attempt: u32,
        #[header("If-None-Match")] etag: Option<String>,
        #[header("x-trace")] trace: &Option<String>,
        #[header("X-Tenant")] tenant: Option<&str>,
    ) -> Result<(), Error>;

    // Beside an implicit body: a header argument is not a body candidate.
    #[askui_endpoint(post, "/items")]
    async fn create(
        &self,
        #[header("Idempotency-Key")] key: String,
        body: &serde_json::Value,
    ) -> Result<(), Error>;

    #[askui_endpoint(get, "/x")]
    fn blocking_get(&self, #[header("X-Request-Id")] request_id: Option<u64>) -> Result<(), Error>;
}

impl Api for Client {}
impl Api for askui_runtime::blocking::Client {}

fn assert_send<F: Send>(f: F) -> F {
    f
}

fn check(client: &Client) {
    let trace = Some("t".to_owned());
    drop(assert_send(client.get(1, "r", 2, None, &trace, Some("acme"))));
}

fn main() {
    let _ = check;
    assert_eq!(
        <Client as Api>::GET.headers(),
        ["X-Request-Id", "X-Attempt", "If-None-Match", "x-trace", "X-Tenant"]
    );
    assert!(<Client as Api>::GET.query().is_empty());
    assert_eq!(<Client as Api>::CREATE.headers(), ["Idempotency-Key"]);
    assert_eq!(<Client as Api>::CREATE.body(), askui_runtime::BodyKind::Json);
    assert_eq!(<Client as Api>::BLOCKING_GET.headers(), ["X-Request-Id"]);
}
