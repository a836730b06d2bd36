//! A client for the Swagger Petstore (`spec/petstore/openapi.yaml`, OpenAPI 3.0, 19
//! operations), declared by hand with `#[askui_endpoint]`: a second API, with nothing of
//! AskUI's, checked against its document by `askui_openapi::Conformance` and tested against
//! the fake `askui_openapi` serves from the same document.
//!
//! What it shows beside JSON calls: path parameters named as the document spells them
//! (`#[path("petId")] pet_id: i64`), a form body (`update_user`), a raw
//! `application/octet-stream` upload (`upload_file`), a header parameter (`api_key` on
//! `delete_pet`), response headers (`login_user`'s `X-Rate-Limit`), and two security
//! schemes: OAuth2 bearer tokens for the pets, an `api_key` header for the store's
//! inventory (one `Client` per credential, see [`connect`]).

use std::collections::BTreeMap;

use askui_runtime::{Auth, Bytes, Client, Error, Response, askui_endpoint, askui_endpoints};
use serde::{Deserialize, Serialize};

/// The pets (`tag: pet`). Secured by `petstore_auth` (OAuth2: a bearer token); `get_pet_by_id`
/// also accepts the `api_key` header.
#[askui_endpoints]
pub trait Pets: AsRef<Client> {
    /// Update an existing pet by id (`updatePet`).
    #[askui_endpoint(put, "/pet")]
    async fn update_pet(&self, pet: &Pet) -> Result<Pet, Error>;

    /// Add a new pet to the store (`addPet`).
    #[askui_endpoint(post, "/pet")]
    async fn add_pet(&self, pet: &Pet) -> Result<Pet, Error>;

    /// Pets with the given status (`findPetsByStatus`); the server's default is `available`.
    #[askui_endpoint(get, "/pet/findByStatus")]
    async fn find_pets_by_status(
        &self,
        #[query] status: Option<PetStatus>,
    ) -> Result<Vec<Pet>, Error>;

    /// Pets with any of the given tags (`findPetsByTags`): `?tags=a&tags=b`.
    #[askui_endpoint(get, "/pet/findByTags")]
    async fn find_pets_by_tags(&self, #[query] tags: &[&str]) -> Result<Vec<Pet>, Error>;

    /// One pet (`getPetById`).
    #[askui_endpoint(get, "/pet/{petId}")]
    async fn get_pet_by_id(&self, #[path("petId")] pet_id: i64) -> Result<Pet, Error>;

    /// Update a pet's name and status (`updatePetWithForm`; the document sends them in the
    /// query, despite the name).
    #[askui_endpoint(post, "/pet/{petId}")]
    async fn update_pet_with_form(
        &self,
        #[path("petId")] pet_id: i64,
        #[query] name: Option<&str>,
        #[query] status: Option<&str>,
    ) -> Result<Pet, Error>;

    /// Delete a pet (`deletePet`), optionally sending the `api_key` header the operation
    /// documents.
    #[askui_endpoint(delete, "/pet/{petId}")]
    async fn delete_pet(
        &self,
        #[path("petId")] pet_id: i64,
        #[header("api_key")] api_key: Option<&str>,
    ) -> Result<(), Error>;

    /// Upload an image of a pet (`uploadFile`): the bytes as they are,
    /// `application/octet-stream`.
    #[askui_endpoint(post, "/pet/{petId}/uploadImage")]
    async fn upload_file(
        &self,
        #[path("petId")] pet_id: i64,
        #[query("additionalMetadata")] additional_metadata: Option<&str>,
        #[body(content_type = "application/octet-stream")] image: Bytes,
    ) -> Result<ApiResponse, Error>;
}

impl Pets for Client {}

/// The store (`tag: store`): orders, open to anyone, and the inventory, behind the `api_key`
/// header.
#[askui_endpoints]
pub trait Store: AsRef<Client> {
    /// Pet counts by status (`getInventory`); needs the `api_key` scheme.
    #[askui_endpoint(get, "/store/inventory")]
    async fn get_inventory(&self) -> Result<BTreeMap<String, i32>, Error>;

    /// Place an order for a pet (`placeOrder`).
    #[askui_endpoint(post, "/store/order")]
    async fn place_order(&self, order: &Order) -> Result<Order, Error>;

    /// One order (`getOrderById`).
    #[askui_endpoint(get, "/store/order/{orderId}")]
    async fn get_order_by_id(&self, #[path("orderId")] order_id: i64) -> Result<Order, Error>;

    /// Delete an order (`deleteOrder`).
    #[askui_endpoint(delete, "/store/order/{orderId}")]
    async fn delete_order(&self, #[path("orderId")] order_id: i64) -> Result<(), Error>;
}

impl Store for Client {}

/// The users (`tag: user`), open to anyone.
#[askui_endpoints]
pub trait Users: AsRef<Client> {
    /// Create a user (`createUser`).
    #[askui_endpoint(post, "/user")]
    async fn create_user(&self, user: &User) -> Result<User, Error>;

    /// Create users from a list (`createUsersWithListInput`).
    #[askui_endpoint(post, "/user/createWithList")]
    async fn create_users_with_list_input(&self, users: &[User]) -> Result<User, Error>;

    /// Log a user in (`loginUser`): a session text, and the `X-Rate-Limit` and
    /// `X-Expires-After` headers, read from [`Response::headers`].
    #[askui_endpoint(get, "/user/login")]
    async fn login_user(
        &self,
        #[query] username: &str,
        #[query] password: &str,
    ) -> Result<Response<String>, Error>;

    /// Log the current session out (`logoutUser`).
    #[askui_endpoint(get, "/user/logout")]
    async fn logout_user(&self) -> Result<(), Error>;

    /// One user (`getUserByName`).
    #[askui_endpoint(get, "/user/{username}")]
    async fn get_user_by_name(&self, username: &str) -> Result<User, Error>;

    /// Update a user (`updateUser`), sent as a form (`application/x-www-form-urlencoded`),
    /// one of the three bodies the operation accepts.
    #[askui_endpoint(put, "/user/{username}")]
    async fn update_user(&self, username: &str, #[form] user: &User) -> Result<(), Error>;

    /// Delete a user (`deleteUser`).
    #[askui_endpoint(delete, "/user/{username}")]
    async fn delete_user(&self, username: &str) -> Result<(), Error>;
}

impl Users for Client {}

/// Every declared endpoint, for the conformance check.
pub fn endpoints() -> Vec<askui_runtime::Endpoint> {
    [
        <Client as Pets>::ENDPOINTS,
        <Client as Store>::ENDPOINTS,
        <Client as Users>::ENDPOINTS,
    ]
    .concat()
}

/// The two clients a Petstore user needs: one with an OAuth2 bearer token (`petstore_auth`:
/// the pets, orders and users) and one with the `api_key` header (the inventory).
///
/// # Errors
///
/// An invalid `base_url`, or a credential sent in cleartext to another machine.
pub fn connect(base_url: &str, token: &str, api_key: &str) -> Result<(Client, Client), Error> {
    let with_token = Client::builder()
        .base_url(base_url)
        .auth(Auth::bearer(token))
        .build()?;
    let with_key = Client::builder()
        .base_url(base_url)
        .auth(Auth::api_key_header("api_key", api_key))
        .build()?;
    Ok((with_token, with_key))
}

/// `Pet`: `name` and `photoUrls` are required, the rest optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pet {
    /// Its id, chosen by the store when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Its name.
    pub name: String,
    /// Its category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// Photos of it.
    pub photo_urls: Vec<String>,
    /// Its tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// Whether it can be bought.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<PetStatus>,
}

/// A pet's status in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PetStatus {
    /// For sale.
    Available,
    /// Reserved.
    Pending,
    /// Gone.
    Sold,
}

/// `Category`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Category {
    /// Its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `Tag`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    /// Its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `Order`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// Its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The pet ordered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pet_id: Option<i64>,
    /// How many.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i32>,
    /// When it ships (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_date: Option<String>,
    /// `placed`, `approved` or `delivered`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Whether it is complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complete: Option<bool>,
}

/// `User`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The login name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// User status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_status: Option<i32>,
}

/// `ApiResponse`: what an upload answers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ApiResponse {
    /// A code.
    #[serde(default)]
    pub code: Option<i32>,
    /// A kind.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// A message.
    #[serde(default)]
    pub message: Option<String>,
}
