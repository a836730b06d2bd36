// `#[path("petId")]`: the argument keeps a Rust name, the template and the endpoint's
// description keep the document's. In a trait with `#[askui_endpoints]` (the nested call) and
// its blocking twin, and on a plain `#[askui_endpoint]` method.
use askui_runtime::{Client, Error, PathPiece, askui_endpoint, askui_endpoints, blocking};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Pet {
    pub name: String,
}

#[askui_endpoints(blocking)]
pub trait Pets: AsRef<Client> {
    #[askui_endpoint(get, "/pet/<petId>")]
    async fn get_pet(&self, #[path("petId")] pet_id: i64) -> Result<Pet, Error>;

    // The rest of the path, renamed; the name of another argument's is still its own.
    #[askui_endpoint(delete, "/stores/<store_id>/files/{filePath..}")]
    async fn delete_file(
        &self,
        store_id: u64,
        #[path("filePath")] file_path: &str,
    ) -> Result<(), Error>;

    // A renamed argument fills `<id>`, so an argument named `id` can have another role.
    #[askui_endpoint(get, "/owners/<id>/pets")]
    async fn owner_pets(
        &self,
        #[path("id")] owner_id: u64,
        #[query] id: Option<u64>,
    ) -> Result<Vec<Pet>, Error>;
}

impl Pets for Client {}
impl BlockingPets for blocking::Client {}

pub trait Plain {
    #[askui_endpoint(put, "/pet/<petId>/tags/<tagName>")]
    async fn tag(
        &self,
        #[path("tagName")] tag_name: &str,
        #[path("petId")] pet_id: i64,
    ) -> Result<(), Error>;
}

impl Plain for Client {}

fn call(client: &blocking::Client) -> Result<String, Error> {
    client.delete_file(1, "a/b")?;
    let pets = client.owner_pets(1, Some(2))?;
    Ok(client.get_pet(42)?.name + &pets.len().to_string())
}

fn main() {
    let _ = call;
    let get = <Client as Pets>::GET_PET;
    assert_eq!(get.path_template(), "/pet/{petId}");
    assert_eq!(get.path_params(), ["petId"]);
    assert_eq!(get.to_string(), "GET /pet/{petId}");
    assert_eq!(<blocking::Client as BlockingPets>::GET_PET.path_params(), ["petId"]);

    let delete = <Client as Pets>::DELETE_FILE;
    assert_eq!(delete.path_template(), "/stores/{store_id}/files/{filePath}");
    assert_eq!(delete.path_params(), ["store_id", "filePath"]);
    assert_eq!(delete.path().last(), Some(&PathPiece::Rest("filePath")));

    let owner_pets = <Client as Pets>::OWNER_PETS;
    assert_eq!(owner_pets.path_params(), ["id"]);
    assert_eq!(owner_pets.query()[0].name(), Some("id"));

    // In the template's order, whatever the arguments' order.
    assert_eq!(<Client as Plain>::TAG.path_params(), ["petId", "tagName"]);
}
