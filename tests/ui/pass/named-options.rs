// `timeout = "…"` and `idempotent = …` after the path.
use std::time::Duration;

use askui_runtime::{Client, Error, askui_endpoint};

pub trait Api {
    #[askui_endpoint(get, "/a", timeout = "5m")]
    async fn five_minutes(&self) -> Result<(), Error>;

    #[askui_endpoint(get, "/b", timeout = "1m30s")]
    async fn sum(&self) -> Result<(), Error>;

    #[askui_endpoint(get, "/c", timeout = "500ms")]
    async fn millis(&self) -> Result<(), Error>;

    #[askui_endpoint(post, "/d", idempotent = true)]
    async fn idempotent_post(&self) -> Result<(), Error>;

    #[askui_endpoint(post, "/e")]
    async fn plain_post(&self) -> Result<(), Error>;

    // Both, in either order, with a trailing comma.
    #[askui_endpoint(
        patch,
        "/f/<id>",
        idempotent = true,
        timeout = "1h",
    )]
    async fn both(&self, id: u64, body: &serde_json::Value) -> Result<(), Error>;

    // GET is idempotent by definition, unless the attribute says otherwise.
    #[askui_endpoint(get, "/g", idempotent = false)]
    async fn get(&self) -> Result<(), Error>;

    #[askui_endpoint(get, "/g2")]
    async fn plain_get(&self) -> Result<(), Error>;

    #[askui_endpoint(post, "/h", timeout = "2s", idempotent = false)]
    fn blocking(&self) -> Result<(), Error>;
}

impl Api for Client {}
impl Api for askui_runtime::blocking::Client {}

fn main() {
    assert_eq!(
        <Client as Api>::FIVE_MINUTES.timeout(),
        Some(Duration::from_secs(300))
    );
    assert_eq!(<Client as Api>::SUM.timeout(), Some(Duration::from_secs(90)));
    assert_eq!(
        <Client as Api>::MILLIS.timeout(),
        Some(Duration::from_millis(500))
    );
    assert_eq!(<Client as Api>::IDEMPOTENT_POST.timeout(), None);
    assert!(<Client as Api>::IDEMPOTENT_POST.is_idempotent());
    assert!(!<Client as Api>::PLAIN_POST.is_idempotent());
    assert_eq!(
        <Client as Api>::BOTH.timeout(),
        Some(Duration::from_secs(3600))
    );
    assert!(<Client as Api>::BOTH.is_idempotent());
    assert!(!<Client as Api>::GET.is_idempotent());
    assert!(<Client as Api>::PLAIN_GET.is_idempotent());
    assert_eq!(<Client as Api>::BLOCKING.timeout(), Some(Duration::from_secs(2)));
    assert!(!<Client as Api>::BLOCKING.is_idempotent());
}
