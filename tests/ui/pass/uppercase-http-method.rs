use askui_runtime::{Error, Method, askui_endpoint};

pub trait Api {
    #[askui_endpoint(GET, "/x")]
    async fn get(&self) -> Result<(), Error>;

    #[askui_endpoint(DELETE, "/x/<id>")]
    async fn delete(&self, id: u64) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

fn main() {
    assert_eq!(<askui_runtime::Client as Api>::GET.method(), Method::GET);
    assert_eq!(
        <askui_runtime::Client as Api>::DELETE.method(),
        Method::DELETE
    );
}
