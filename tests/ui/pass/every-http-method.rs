use askui_runtime::{Error, Method, askui_endpoint};
use serde::Serialize;

#[derive(Serialize)]
pub struct Dto {
    pub name: String,
}

pub trait Api {
    #[askui_endpoint(get, "/items/<id>")]
    async fn get_item(&self, id: u64) -> Result<serde_json::Value, Error>;

    #[askui_endpoint(post, "/items")]
    async fn create_item(&self, body: &Dto) -> Result<serde_json::Value, Error>;

    #[askui_endpoint(put, "/items/<id>")]
    async fn replace_item(&self, id: u64, body: &Dto) -> Result<serde_json::Value, Error>;

    #[askui_endpoint(patch, "/items/<id>")]
    async fn update_item(
        &self,
        id: u64,
        body: serde_json::Value,
    ) -> Result<serde_json::Value, Error>;

    #[askui_endpoint(delete, "/items/<id>")]
    async fn delete_item(&self, id: u64) -> Result<(), Error>;

    #[askui_endpoint(head, "/items/<id>")]
    async fn item_exists(&self, id: u64) -> Result<(), Error>;

    #[askui_endpoint(options, "/items")]
    async fn item_options(&self) -> Result<(), Error>;

    // A POST without a body is fine: an action.
    #[askui_endpoint(post, "/items/<id>/archive")]
    async fn archive_item(&self, id: u64) -> Result<(), Error>;
}

impl Api for askui_runtime::Client {}

type C = askui_runtime::Client;

fn main() {
    assert_eq!(<C as Api>::GET_ITEM.method(), Method::GET);
    assert_eq!(<C as Api>::CREATE_ITEM.method(), Method::POST);
    assert_eq!(<C as Api>::REPLACE_ITEM.method(), Method::PUT);
    assert_eq!(<C as Api>::UPDATE_ITEM.method(), Method::PATCH);
    assert_eq!(<C as Api>::DELETE_ITEM.method(), Method::DELETE);
    assert_eq!(<C as Api>::ITEM_EXISTS.method(), Method::HEAD);
    assert_eq!(<C as Api>::ITEM_OPTIONS.method(), Method::OPTIONS);
    assert_eq!(<C as Api>::ARCHIVE_ITEM.method(), Method::POST);
    assert_eq!(<C as Api>::GET_ITEM.name(), "get_item");
}
