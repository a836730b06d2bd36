// A placeholder the document names `{pet-id}`, `{pet.id}` or `{type}` is no Rust identifier
// (or is a keyword): an argument renamed with `#[path("…")]` fills it, and the template, the
// endpoint's description and its `Display` keep the document's name. In a trait with
// `#[askui_endpoints]` (the nested call) and its blocking twin, and on a plain method.
use askui_runtime::{Client, Error, PathPiece, askui_endpoint, askui_endpoints, blocking};

#[askui_endpoints(blocking)]
pub trait Pets: AsRef<Client> {
    #[askui_endpoint(get, "/pets/{pet-id}")]
    async fn get_pet(&self, #[path("pet-id")] pet_id: i64) -> Result<(), Error>;

    #[askui_endpoint(get, "/kinds/<type>/pets/{pet.id}")]
    async fn get_by_kind(
        &self,
        #[path("pet.id")] pet_id: i64,
        #[path("type")] kind: &str,
    ) -> Result<(), Error>;

    #[askui_endpoint(delete, "/files/{file-path..}")]
    async fn delete_file(&self, #[path("file-path")] file_path: &str) -> Result<(), Error>;
}

impl Pets for Client {}
impl BlockingPets for blocking::Client {}

pub trait Plain {
    #[askui_endpoint(get, "/users/{self}/{type}")]
    async fn me(&self, #[path("self")] user: &str, #[path("type")] r#type: &str)
    -> Result<(), Error>;
}

impl Plain for Client {}

fn call(client: &blocking::Client) -> Result<(), Error> {
    client.get_pet(7)?;
    client.get_by_kind(7, "cat")?;
    client.delete_file("a/b")
}

fn main() {
    let _ = call;
    let get = <Client as Pets>::GET_PET;
    assert_eq!(get.path_template(), "/pets/{pet-id}");
    assert_eq!(get.path_params(), ["pet-id"]);
    assert_eq!(get.to_string(), "GET /pets/{pet-id}");
    assert_eq!(<blocking::Client as BlockingPets>::GET_PET.path_params(), ["pet-id"]);

    let by_kind = <Client as Pets>::GET_BY_KIND;
    assert_eq!(by_kind.path_template(), "/kinds/{type}/pets/{pet.id}");
    assert_eq!(by_kind.path_params(), ["type", "pet.id"]);

    let delete = <Client as Pets>::DELETE_FILE;
    assert_eq!(delete.path().last(), Some(&PathPiece::Rest("file-path")));

    assert_eq!(<Client as Plain>::ME.path_params(), ["self", "type"]);
}
