//! A second API, with nothing of AskUI's: the Swagger Petstore (`spec/petstore/openapi.yaml`,
//! OpenAPI 3.0), declared by hand in `askui_examples::petstore`, checked against its
//! document by `askui_openapi::Conformance`, and called against the fake `askui_openapi`
//! serves from the same document (`petstore_on_the_fake.rs`).

use askui_examples::petstore::{self, Pets, Store, Users};
use askui_openapi::{Conformance, MismatchKind, Spec};
use askui_runtime::{Bytes, Client, Error, askui_endpoint, askui_endpoints};
use serde_json::Value;

fn document() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/petstore/openapi.yaml");
    std::fs::read_to_string(path).expect("the vendored Petstore document")
}

fn spec() -> Spec {
    Spec::from_str(&document()).expect("the Petstore document loads")
}

#[test]
fn the_petstore_client_declares_every_operation_and_conforms() {
    let spec = spec();
    let report = Conformance::new(&spec)
        .endpoints(<Client as Pets>::ENDPOINTS)
        .endpoints(<Client as Store>::ENDPOINTS)
        .endpoints(<Client as Users>::ENDPOINTS)
        .require_every_operation()
        .check();
    report.assert_ok();
    assert_eq!(report.coverage(), (19, 19));
    assert!(report.mismatches().is_empty());
    assert!(report.undeclared().is_empty());
    assert_eq!(petstore::endpoints().len(), 19);
}

/// Path parameters keep the document's names (`petId`, `orderId`) while the arguments are
/// snake_case.
#[test]
fn renamed_path_parameters_carry_the_documents_names() {
    let get = <Client as Pets>::GET_PET_BY_ID;
    assert_eq!(get.path_template(), "/pet/{petId}");
    assert_eq!(get.path_params(), ["petId"]);
    assert_eq!(
        <Client as Store>::GET_ORDER_BY_ID.path_params(),
        ["orderId"]
    );
}

/// Declarations gone wrong, one per kind of mismatch the document can show.
#[askui_endpoints]
pub trait Mutated {
    /// A path the document does not have.
    #[askui_endpoint(get, "/pet/{petId}/photos")]
    async fn list_photos(&self, #[path("petId")] pet_id: i64) -> Result<Value, Error>;

    /// A documented path, with a method it does not document.
    #[askui_endpoint(patch, "/pet")]
    async fn patch_pet(&self, pet: &petstore::Pet) -> Result<Value, Error>;

    /// The path in another case.
    #[askui_endpoint(get, "/Store/inventory")]
    async fn inventory_capitalised(&self) -> Result<Value, Error>;

    /// The path parameter under another name than the document's `petId`.
    #[askui_endpoint(get, "/pet/{id}")]
    async fn get_pet_by_id(&self, id: i64) -> Result<Value, Error>;

    /// A query parameter the operation does not have (`color`), beside one it has.
    #[askui_endpoint(get, "/pet/findByStatus")]
    async fn find_pets_by_status(
        &self,
        #[query] status: Option<&str>,
        #[query] color: Option<&str>,
    ) -> Result<Value, Error>;

    /// `tags` is a list in the document, a single value here.
    #[askui_endpoint(get, "/pet/findByTags")]
    async fn find_pets_by_tags(&self, #[query] tags: &str) -> Result<Value, Error>;

    /// A header the operation does not have.
    #[askui_endpoint(delete, "/pet/{petId}")]
    async fn delete_pet(
        &self,
        #[path("petId")] pet_id: i64,
        #[header("X-Reason")] reason: &str,
    ) -> Result<(), Error>;

    /// A form where the operation takes only JSON.
    #[askui_endpoint(post, "/user/createWithList")]
    async fn create_users_with_list_input(
        &self,
        #[form] user: &petstore::User,
    ) -> Result<Value, Error>;

    /// No body, where the document requires one.
    #[askui_endpoint(post, "/pet")]
    async fn add_pet(&self) -> Result<Value, Error>;

    /// The upload, declared as JSON rather than `application/octet-stream`.
    #[askui_endpoint(post, "/pet/{petId}/uploadImage")]
    async fn upload_file(
        &self,
        #[path("petId")] pet_id: i64,
        #[body] image: &Value,
    ) -> Result<Value, Error>;

    /// The same operation as `get_pet_by_id` above, once more (with the right name).
    #[askui_endpoint(get, "/pet/{petId}")]
    async fn get_pet_again(&self, #[path("petId")] pet_id: i64) -> Result<Bytes, Error>;
}

impl Mutated for Client {}

/// Every mismatch the checker reports for [`Mutated`], as (method name, kind, parameter).
fn found(spec: &Spec, endpoints: &[askui_runtime::Endpoint]) -> Vec<(String, MismatchKind)> {
    let report = Conformance::new(spec).endpoints(endpoints).check();
    assert!(!report.is_ok());
    let mut found: Vec<(String, MismatchKind)> = report
        .mismatches()
        .iter()
        .map(|mismatch| (mismatch.endpoint.clone(), mismatch.kind))
        .collect();
    found.sort_by_key(|(name, kind)| (name.clone(), format!("{kind:?}")));
    found
}

#[test]
fn each_kind_of_mismatch_is_reported_against_the_petstore_document() {
    let spec = spec();
    let found = found(&spec, <Client as Mutated>::ENDPOINTS);
    let expected = [
        ("add_pet", MismatchKind::BodyMissing),
        ("create_users_with_list_input", MismatchKind::BodyKind),
        ("delete_pet", MismatchKind::HeaderNotDocumented),
        ("find_pets_by_status", MismatchKind::QueryNotDocumented),
        ("find_pets_by_tags", MismatchKind::ArrayVsSingle),
        ("get_pet_again", MismatchKind::Duplicate),
        ("get_pet_by_id", MismatchKind::PathParameters),
        ("inventory_capitalised", MismatchKind::Path),
        ("list_photos", MismatchKind::NotInDocument),
        ("patch_pet", MismatchKind::Method),
        ("upload_file", MismatchKind::BodyKind),
    ];
    for (name, kind) in expected {
        assert!(
            found.iter().any(|(n, k)| n == name && *k == kind),
            "{name}: {kind:?} not reported; found {found:#?}"
        );
    }
    // Nothing else: each mutation is reported once, as what it is.
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    // The report names the operation, the method and both sides.
    let report = Conformance::new(&spec)
        .endpoints(<Client as Mutated>::ENDPOINTS)
        .check()
        .to_string();
    assert!(
        report.contains("GET /pet/findByTags (findPetsByTags)"),
        "{report}"
    );
    assert!(report.contains("`find_pets_by_tags`"), "{report}");
}

/// Declarations that leave out what the changed document below requires.
#[askui_endpoints]
pub trait Lacking {
    /// Without `status`.
    #[askui_endpoint(get, "/pet/findByStatus")]
    async fn find_pets_by_status(&self) -> Result<Value, Error>;

    /// Without the `api_key` header.
    #[askui_endpoint(delete, "/pet/{petId}")]
    async fn delete_pet(&self, #[path("petId")] pet_id: i64) -> Result<(), Error>;
}

impl Lacking for Client {}

/// The kinds the Petstore document cannot show as it is (it has no required query parameter
/// or header, and no success answer without JSON) are shown on the document changed to
/// have them.
#[test]
fn the_other_kinds_are_reported_against_a_changed_document() {
    let mut document: Value = serde_norway::from_str(&document()).expect("YAML");
    // `status` and the `api_key` header become required.
    for (path, method, name) in [
        ("/pet/findByStatus", "get", "status"),
        ("/pet/{petId}", "delete", "api_key"),
    ] {
        let parameters = &mut document["paths"][path][method]["parameters"];
        let parameter = parameters
            .as_array_mut()
            .and_then(|all| all.iter_mut().find(|p| p["name"] == name))
            .expect("a documented parameter");
        parameter["required"] = Value::Bool(true);
    }
    // `getInventory` answers XML only.
    let content = &mut document["paths"]["/store/inventory"]["get"]["responses"]["200"]["content"];
    let schema = content["application/json"].clone();
    *content = serde_json::json!({ "application/xml": schema });
    let spec = Spec::from_value(document).expect("the changed document loads");

    let mut found = found(&spec, <Client as Lacking>::ENDPOINTS);
    found.extend(
        Conformance::new(&spec)
            .endpoints(<Client as Store>::ENDPOINTS)
            .check()
            .mismatches()
            .iter()
            .map(|mismatch| (mismatch.endpoint.clone(), mismatch.kind)),
    );
    found.sort_by_key(|(name, _)| name.clone());
    assert_eq!(
        found,
        [
            ("delete_pet".to_owned(), MismatchKind::RequiredHeaderMissing),
            (
                "find_pets_by_status".to_owned(),
                MismatchKind::RequiredQueryMissing
            ),
            ("get_inventory".to_owned(), MismatchKind::ResponseKind),
        ]
    );
}
