//! The conformance checker on a small document: each kind of mismatch found for a
//! hand-declared trait, what conforms left alone, the allow-list (reasons shown, stale and
//! unreasoned entries reported) and the undeclared operations (listed, failing on opt-in).

use askui_openapi::{Conformance, Mismatch, MismatchKind, Report, Spec};
use askui_runtime::{
    ByteStream, Bytes, Client, Error, JsonLines, Multipart, Sse, askui_endpoint, askui_endpoints,
};
use serde_json::{Value, json};

fn spec() -> Spec {
    let path = |name: &str| {
        json!({"name": name, "in": "path", "required": true,
                                  "schema": {"type": "integer"}})
    };
    let json_answer = json!({"description": "ok", "content": {"application/json": {
        "schema": {"type": "object"}}}});
    Spec::from_value(json!({
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "parameters": [
                        {"name": "limit", "in": "query", "required": true,
                         "schema": {"type": "integer"}},
                        {"name": "tags", "in": "query",
                         "schema": {"type": "array", "items": {"type": "string"}}},
                        {"name": "X-Request-Id", "in": "header", "required": true,
                         "schema": {"type": "string"}},
                        {"name": "X-Key", "in": "header", "required": true,
                         "schema": {"type": "string"}}
                    ],
                    "security": [{"key": []}],
                    "responses": {"200": json_answer}
                },
                "post": {
                    "operationId": "createPet",
                    "requestBody": {"required": true, "content": {
                        "application/json": {"schema": {"type": "object"}},
                        "application/x-www-form-urlencoded": {"schema": {"type": "object"}}
                    }},
                    "responses": {"201": {"description": "created"}}
                }
            },
            "/pets/{pet_id}": {
                "parameters": [path("pet_id")],
                "get": {"operationId": "getPet", "responses": {"200": json_answer}},
                "delete": {"operationId": "deletePet",
                           "responses": {"204": {"description": "gone"}}}
            },
            "/pets/{pet_id}/visits": {"post": {
                "operationId": "visit",
                "parameters": [path("pet_id")],
                "responses": {"204": {"description": "visited"}}
            }},
            "/pets/{pet_id}/photo": {
                "parameters": [path("pet_id")],
                "get": {"operationId": "getPhoto", "responses": {"200": {
                    "description": "the photo",
                    "content": {"image/png": {"schema": {"type": "string",
                                                         "format": "binary"}}}}}},
                "put": {"operationId": "putPhoto",
                        "requestBody": {"content": {"image/*": {}}},
                        "responses": {"204": {"description": "stored"}}}
            },
            "/Owners/": {"get": {"operationId": "listOwners", "responses": {"200": json_answer}}},
            "/stores": {"get": {"operationId": "listStores", "responses": {"200": json_answer}}}
        },
        "components": {"securitySchemes": {
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"}
        }}
    }))
    .unwrap()
}

/// Declarations that conform, one per documented operation but `GET /stores`.
#[askui_endpoints]
trait Good {
    #[askui_endpoint(get, "/pets", headers("X-Request-Id" = "fixed"))]
    async fn list_pets(&self, #[query] limit: u32, #[query] tags: &[&str]) -> Result<Value, Error>;

    #[askui_endpoint(post, "/pets")]
    async fn create_pet(&self, #[form] pet: &Value) -> Result<(), Error>;

    #[askui_endpoint(get, "/pets/<pet_id>")]
    async fn get_pet(&self, pet_id: u64) -> Result<Value, Error>;

    #[askui_endpoint(delete, "/pets/<pet_id>")]
    async fn delete_pet(&self, pet_id: u64) -> Result<(), Error>;

    #[askui_endpoint(get, "/pets/<pet_id>/photo")]
    async fn get_photo(&self, pet_id: u64) -> Result<Bytes, Error>;

    #[askui_endpoint(put, "/pets/<pet_id>/photo")]
    async fn put_photo(
        &self,
        pet_id: u64,
        #[body(content_type = "image/png")] photo: ByteStream,
    ) -> Result<(), Error>;

    #[askui_endpoint(get, "/Owners/")]
    async fn list_owners(&self) -> Result<Value, Error>;

    #[askui_endpoint(post, "/pets/<pet_id>/visits")]
    async fn visit(&self, pet_id: u64) -> Result<(), Error>;
}
impl Good for Client {}

/// One declaration per kind of mismatch (and what each brings along).
#[askui_endpoints]
trait Wrong {
    #[askui_endpoint(get, "/unknown")]
    async fn not_in_document(&self) -> Result<Value, Error>;

    #[askui_endpoint(patch, "/pets/<pet_id>")]
    async fn wrong_method(&self, pet_id: u64) -> Result<Value, Error>;

    #[askui_endpoint(get, "/owners")]
    async fn wrong_path(&self) -> Result<Value, Error>;

    #[askui_endpoint(get, "/pets/<id>")]
    async fn renamed(&self, id: u64) -> Result<Value, Error>;

    #[askui_endpoint(get, "/pets")]
    async fn list_pets(
        &self,
        #[query] page: u32,
        #[query] tags: &str,
        #[header("X-Trace")] trace: &str,
    ) -> Result<Value, Error>;

    #[askui_endpoint(post, "/pets")]
    async fn create_pet(&self, #[multipart] pet: Multipart) -> Result<(), Error>;

    #[askui_endpoint(post, "/pets/<pet_id>/visits")]
    async fn visit(&self, pet_id: u64, body: &Value) -> Result<(), Error>;

    #[askui_endpoint(get, "/pets/<pet_id>/photo")]
    async fn get_photo(&self, pet_id: u64) -> Result<Value, Error>;
}
impl Wrong for Client {}

#[askui_endpoints]
trait Missing {
    #[askui_endpoint(post, "/pets")]
    async fn create_pet(&self) -> Result<(), Error>;
}
impl Missing for Client {}

fn found(report: &Report) -> Vec<(&str, MismatchKind, Option<&str>)> {
    report
        .mismatches()
        .iter()
        .map(|m| (m.endpoint.as_str(), m.kind, m.parameter.as_deref()))
        .collect()
}

#[test]
fn conforming_declarations_pass_and_the_undeclared_operation_is_listed() {
    let spec = spec();
    let report = Conformance::new(&spec)
        .endpoints(<Client as Good>::ENDPOINTS)
        .check();
    assert!(report.mismatches().is_empty(), "{report}");
    assert!(report.is_ok());
    assert_eq!(report.coverage(), (8, 9));
    let undeclared: Vec<String> = report.undeclared().iter().map(|o| o.to_string()).collect();
    assert_eq!(undeclared, ["GET /stores (listStores)"]);
    assert!(
        report
            .to_string()
            .ends_with("1 operation no declaration covers:\n  GET /stores (listStores)\n"),
        "{report}"
    );

    // Failing on it is an opt-in.
    let required = Conformance::new(&spec)
        .endpoints(<Client as Good>::ENDPOINTS)
        .require_every_operation()
        .check();
    assert!(!required.is_ok());
    assert!(
        required
            .to_string()
            .contains("1 operation no declaration covers, required:"),
        "{required}"
    );
}

#[test]
fn every_kind_of_mismatch_is_found() {
    let spec = spec();
    let report = Conformance::new(&spec)
        .endpoints(<Client as Wrong>::ENDPOINTS)
        .endpoints(<Client as Missing>::ENDPOINTS)
        .check();
    use MismatchKind::*;
    assert_eq!(
        found(&report),
        [
            ("not_in_document", NotInDocument, None),
            ("wrong_method", Method, None),
            ("wrong_path", Path, None),
            ("renamed", PathParameters, None),
            ("list_pets", QueryNotDocumented, Some("page")),
            ("list_pets", ArrayVsSingle, Some("tags")),
            ("list_pets", RequiredQueryMissing, Some("limit")),
            ("list_pets", HeaderNotDocumented, Some("X-Trace")),
            // `X-Key` is the `apiKey` scheme's header: the client's `Auth` sends it.
            ("list_pets", RequiredHeaderMissing, Some("X-Request-Id")),
            ("create_pet", BodyKind, None),
            ("visit", BodyKind, None),
            ("get_photo", ResponseKind, None),
            ("create_pet", Duplicate, None),
            ("create_pet", BodyMissing, None),
        ],
        "{report}"
    );
    let by = |endpoint: &str, kind: MismatchKind| -> &Mismatch {
        report
            .mismatches()
            .iter()
            .find(|m| m.endpoint == endpoint && m.kind == kind)
            .unwrap()
    };
    let renamed = by("renamed", PathParameters);
    assert_eq!(renamed.operation.to_string(), "GET /pets/{pet_id} (getPet)");
    assert_eq!(
        (renamed.expected.as_str(), renamed.declared.as_str()),
        ("`/pets/{pet_id}`", "`/pets/{id}`")
    );
    let method = by("wrong_method", Method);
    assert_eq!(
        (method.expected.as_str(), method.declared.as_str()),
        ("DELETE or GET", "PATCH")
    );
    let body = by("create_pet", BodyKind);
    assert_eq!(
        body.expected,
        "`application/json`, `application/x-www-form-urlencoded`"
    );
    assert_eq!(
        body.declared,
        "a `#[multipart]` body (`multipart/form-data`)"
    );
    assert_eq!(by("visit", BodyKind).expected, "no body");
    assert_eq!(by("get_photo", ResponseKind).expected, "`image/png`");
    assert_eq!(by("not_in_document", NotInDocument).route, "GET /unknown");

    let text = report.to_string();
    assert!(text.starts_with("6/9 operations of the document declared; 14 mismatches\n"));
    assert!(
        text.contains(
            "GET /pets (listPets):\n  `list_pets`: query parameter not in the document \
             (`page`): document: `limit`, `tags`; declared: `page`\n"
        ),
        "{text}"
    );
    assert!(!report.is_ok());
}

#[test]
fn the_allow_list_takes_reviewed_differences_with_their_reasons() {
    let spec = spec();
    let report = Conformance::new(&spec)
        .endpoints(&[<Client as Wrong>::LIST_PETS])
        .allow_parameter(
            "list_pets",
            MismatchKind::QueryNotDocumented,
            "page",
            "the server pages, undocumented (ticket 7)",
        )
        .allow(
            "GET /pets",
            MismatchKind::ArrayVsSingle,
            "one tag is enough",
        )
        .allow_parameter(
            "get /pets",
            MismatchKind::RequiredQueryMissing,
            "limit",
            "the server defaults it",
        )
        .allow(
            "list_pets",
            MismatchKind::HeaderNotDocumented,
            "a tracing header every operation takes",
        )
        .allow(
            "list_pets",
            MismatchKind::RequiredHeaderMissing,
            "set by middleware",
        )
        .check();
    report.assert_ok();
    assert_eq!(report.allowed().count(), 5);
    let text = report.to_string();
    assert!(
        text.contains(
            "allowed, with their reasons:\nGET /pets (listPets):\n  `list_pets`: query parameter \
             not in the document (`page`): document: `limit`, `tags`; declared: `page` \
             (allowed: the server pages, undocumented (ticket 7))\n"
        ),
        "{text}"
    );

    // A stale entry, one for another parameter and one without a reason fail the check.
    let report = Conformance::new(&spec)
        .endpoints(&[<Client as Wrong>::RENAMED])
        .allow(
            "renamed",
            MismatchKind::PathParameters,
            "the document's name",
        )
        .allow("renamed", MismatchKind::BodyKind, "fixed long ago")
        .allow_parameter(
            "list_pets",
            MismatchKind::QueryNotDocumented,
            "other",
            "no such parameter",
        )
        .allow("get_pet", MismatchKind::Duplicate, " ")
        .check();
    assert!(!report.is_ok());
    assert!(report.mismatches().is_empty());
    let stale: Vec<String> = report
        .unused_allowances()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        stale,
        [
            "`renamed`: body kind: \"fixed long ago\"",
            "`list_pets`: query parameter not in the document (`other`): \"no such parameter\"",
        ]
    );
    assert_eq!(report.unreasoned_allowances().len(), 1);
    let text = report.to_string();
    assert!(
        text.contains("allow-list entries that match no mismatch:\n  `renamed`: body kind"),
        "{text}"
    );
    assert!(
        text.contains("allow-list entries without a reason (they allow nothing):\n  `get_pet`"),
        "{text}"
    );
    let panic = std::panic::catch_unwind(|| report.assert_ok()).unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(message.contains("match no mismatch"), "{message}");
}

/// The vendored Petstore document loads, and the checker reads its operations: its `api_key`
/// header is also a security scheme, its uploads are `application/octet-stream`.
#[test]
fn petstore_operations_are_read() {
    let spec = Spec::from_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/petstore/openapi.yaml"
    ))
    .unwrap();
    let report = Conformance::new(&spec).require_every_operation().check();
    assert_eq!(report.coverage(), (0, 19));
    assert_eq!(report.undeclared().len(), 19);
    assert!(!report.is_ok());
}

#[askui_endpoints]
trait Streams {
    #[askui_endpoint(get, "/events")]
    async fn events(&self) -> Result<Sse<Value>, Error>;

    #[askui_endpoint(get, "/pets/<pet_id>")]
    async fn pet_events(&self, pet_id: u64) -> Result<Sse<Value>, Error>;

    #[askui_endpoint(get, "/pets/<pet_id>/photo")]
    async fn photo_lines(&self, pet_id: u64) -> Result<JsonLines<Value>, Error>;
}
impl Streams for Client {}

#[test]
fn stream_responses_are_checked_against_the_success_content() {
    let mut document = spec().document().clone();
    document["paths"]["/events"] = json!({"get": {"operationId": "events", "responses": {
        "200": {"description": "events", "content": {"text/event-stream": {}}}}}});
    let spec = Spec::from_value(document).unwrap();
    let report = Conformance::new(&spec)
        .endpoints(<Client as Streams>::ENDPOINTS)
        .check();
    use MismatchKind::*;
    assert_eq!(
        found(&report),
        [
            ("pet_events", ResponseKind, None),
            ("photo_lines", ResponseKind, None),
        ],
        "{report}"
    );
    assert_eq!(
        report.mismatches()[0].declared,
        "server-sent events (`Sse`)"
    );
    assert_eq!(report.mismatches()[1].expected, "`image/png`");
}
