//! Reading documents: what loads (JSON, YAML, the vendored AskUI and Petstore documents, an
//! OpenAPI 3.0 document normalised for the 2020-12 validator) and each way a document fails,
//! named by a JSON pointer.

use std::path::PathBuf;

use askui_openapi::{Location, Spec, SpecError, SpecErrorKind};
use serde_json::{Value, json};

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

/// A 3.1 document with one `GET /pets/{petId}` answering `schema`, and `components`.
fn with_schema(schema: Value, components: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/pets/{petId}": {"get": {
            "parameters": [{"name": "petId", "in": "path", "required": true,
                            "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": schema}}}}
        }}},
        "components": {"schemas": components}
    })
}

fn load_error(document: Value) -> SpecError {
    match Spec::from_value(document) {
        Ok(_) => panic!("the document loaded"),
        Err(error) => error,
    }
}

#[test]
fn the_vendored_documents_load() {
    let askui = Spec::from_path(spec_dir().join("askui-workspaces-0.2.15.openapi.json")).unwrap();
    assert_eq!(askui.operations().len(), 46);
    let seed = Spec::from_path(spec_dir().join("customer-portal-session.openapi.yaml")).unwrap();
    assert_eq!(seed.operations().len(), 1);
    let petstore = Spec::from_path(spec_dir().join("petstore/openapi.yaml")).unwrap();
    assert_eq!(petstore.operations().len(), 19);
    let find = petstore
        .operation("GET", "/pet/{petId}")
        .expect("getPetById");
    assert_eq!(find.id(), "getPetById");
    assert_eq!(
        find.parameter(Location::Path, "petId")
            .map(|p| p.required()),
        Some(true)
    );
}

#[test]
fn yaml_and_json_texts_load_alike() {
    let yaml = "
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /ping:
    get:
      responses:
        204: {description: nothing}
";
    let json = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/ping": {"get": {"responses": {"204": {"description": "nothing"}}}}}}"#;
    for text in [yaml, json] {
        let spec = Spec::from_str(text).unwrap();
        let ping = spec.operation("get", "/ping").unwrap();
        assert!(ping.response(204).is_some(), "{text}");
    }
}

#[test]
fn text_that_is_not_a_document() {
    let error = Spec::from_str("{not json").err().unwrap();
    assert_eq!(error.kind(), SpecErrorKind::Syntax);
    assert!(error.to_string().starts_with("not JSON"), "{error}");
    let error = Spec::from_str("- a list").err().unwrap();
    assert_eq!(error.kind(), SpecErrorKind::Syntax);
    let error = Spec::from_path(spec_dir().join("no-such-file.yaml"))
        .err()
        .unwrap();
    assert_eq!(error.kind(), SpecErrorKind::Io);
    assert!(error.to_string().contains("no-such-file.yaml"), "{error}");
}

#[test]
fn the_version_must_be_3_0_or_3_1() {
    for (version, message) in [
        (json!("2.0"), "OpenAPI `2.0` is not supported"),
        (json!("3.2.0"), "OpenAPI `3.2.0` is not supported"),
        (json!(3.1), "must be a version string"),
    ] {
        let error = load_error(json!({"openapi": version, "paths": {}}));
        assert_eq!(error.kind(), SpecErrorKind::Version);
        assert_eq!(error.pointer(), "/openapi");
        assert!(error.to_string().contains(message), "{error}");
        assert!(error.to_string().ends_with("at `/openapi`"), "{error}");
    }
    let error = load_error(json!({"swagger": "2.0", "paths": {}}));
    assert!(error.to_string().contains("Swagger 2.0"), "{error}");
    assert!(Spec::from_value(json!({"openapi": "3.0.4", "paths": {}})).is_ok());
}

#[test]
fn paths_must_be_an_object() {
    let error = load_error(json!({"openapi": "3.1.0"}));
    assert_eq!(
        (error.kind(), error.pointer()),
        (SpecErrorKind::Paths, "/paths")
    );
    assert!(error.to_string().contains("`paths` is missing"), "{error}");
    let error = load_error(json!({"openapi": "3.1.0", "paths": []}));
    assert_eq!(error.to_string(), "`paths` is not an object at `/paths`");
    let error = load_error(json!({"openapi": "3.1.0", "paths": {"/a": {"get": 1}}}));
    assert_eq!(error.pointer(), "/paths/~1a/get");
}

#[test]
fn a_ref_that_does_not_resolve_is_named_where_it_is_written() {
    let error = load_error(with_schema(
        json!({"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/Owner"}}}),
        json!({}),
    ));
    assert_eq!(error.kind(), SpecErrorKind::UnresolvedRef);
    assert_eq!(
        error.pointer(),
        "/paths/~1pets~1{petId}/get/responses/200/content/application~1json/schema/properties/owner/$ref"
    );
    assert!(
        error
            .to_string()
            .starts_with("`#/components/schemas/Owner` does not resolve at `/paths/"),
        "{error}"
    );
    // A property named `$ref` is a name, not a reference; one named `value` is read.
    let error = load_error(with_schema(
        json!({"type": "object", "properties": {"$ref": {"type": "string"},
            "value": {"$ref": "#/components/schemas/Nothing"}}}),
        json!({}),
    ));
    assert!(
        error.pointer().ends_with("/properties/value/$ref"),
        "{error}"
    );
}

#[test]
fn an_external_ref_is_refused_as_unsupported() {
    let error = load_error(with_schema(json!({"$ref": "pets.yaml#/Pet"}), json!({})));
    assert_eq!(error.kind(), SpecErrorKind::ExternalRef);
    assert!(error.pointer().ends_with("/schema/$ref"), "{error}");
    assert!(error.to_string().contains("not supported"), "{error}");
}

#[test]
fn a_schema_that_requires_itself_has_no_finite_instance() {
    let node = |next: Value, required: Value| json!({"Node": {"type": "object", "properties": {"next": next}, "required": required}});
    let reference = json!({"$ref": "#/components/schemas/Node"});
    let root = json!({"$ref": "#/components/schemas/Node"});

    // Directly, through a required property.
    let error = load_error(with_schema(
        root.clone(),
        node(reference.clone(), json!(["next"])),
    ));
    assert_eq!(error.kind(), SpecErrorKind::Cycle);
    assert_eq!(
        error.pointer(),
        "/components/schemas/Node/properties/next/$ref"
    );
    assert!(
        error
            .to_string()
            .contains("`#/components/schemas/Node` requires `#/components/schemas/Node`"),
        "{error}"
    );
    // Through `allOf`, over two schemas.
    let error = load_error(with_schema(
        root.clone(),
        json!({
            "Node": {"allOf": [{"$ref": "#/components/schemas/Other"}]},
            "Other": {"type": "object", "required": ["node"],
                      "properties": {"node": {"$ref": "#/components/schemas/Node"}}}
        }),
    ));
    assert_eq!(error.kind(), SpecErrorKind::Cycle);
    assert!(error.to_string().contains("Other"), "{error}");
    // Through an array that must have an item.
    let error = load_error(with_schema(
        root.clone(),
        node(
            json!({"type": "array", "minItems": 1, "items": reference}),
            json!(["next"]),
        ),
    ));
    assert!(
        error.pointer().ends_with("/properties/next/items/$ref"),
        "{error}"
    );
    // A `$ref` to itself.
    let error = load_error(with_schema(
        root.clone(),
        json!({"Node": {"$ref": "#/components/schemas/Node"}}),
    ));
    assert_eq!(error.pointer(), "/components/schemas/Node/$ref");

    // Legal recursion: an optional property, a plain array, a nullable or a union branch.
    for legal in [
        node(reference.clone(), json!([])),
        node(
            json!({"type": "array", "items": reference}),
            json!(["next"]),
        ),
        node(
            json!({"anyOf": [reference, {"type": "null"}]}),
            json!(["next"]),
        ),
        node(
            json!({"oneOf": [reference, {"type": "string"}]}),
            json!(["next"]),
        ),
    ] {
        assert!(
            Spec::from_value(with_schema(root.clone(), legal.clone())).is_ok(),
            "{legal}"
        );
    }
    // OpenAPI 3.0's `nullable` makes it legal too.
    let mut nullable = with_schema(
        root,
        node(
            json!({"allOf": [reference], "nullable": true}),
            json!(["next"]),
        ),
    );
    nullable["openapi"] = json!("3.0.3");
    assert!(Spec::from_value(nullable).is_ok());
}

#[test]
fn a_template_parameter_must_be_declared() {
    let mut document = with_schema(json!({"type": "string"}), json!({}));
    document["paths"]["/pets/{petId}"]["get"]["parameters"] = json!([]);
    let error = load_error(document.clone());
    assert_eq!(error.kind(), SpecErrorKind::UndeclaredPathParameter);
    assert_eq!(error.pointer(), "/paths/~1pets~1{petId}/get");
    assert!(error.to_string().contains("`{petId}`"), "{error}");

    // Declared on the path item, it belongs to every operation there.
    document["paths"]["/pets/{petId}"]["parameters"] =
        json!([{"name": "petId", "in": "path", "required": true, "schema": {"type": "integer"}}]);
    let spec = Spec::from_value(document).unwrap();
    let get = spec.operation("GET", "/pets/{petId}").unwrap();
    assert!(get.parameter(Location::Path, "petId").is_some());
    // `parameters` of the path item is not an operation.
    assert_eq!(spec.operations().len(), 1);
}

#[test]
fn an_operation_overrides_a_path_item_parameter_and_refs_are_followed() {
    let spec = Spec::from_value(json!({
        "openapi": "3.1.0",
        "paths": {"/pets": {
            "parameters": [{"name": "limit", "in": "query", "schema": {"type": "string"}}],
            "get": {
                "parameters": [{"$ref": "#/components/parameters/Limit"}],
                "requestBody": {"$ref": "#/components/requestBodies/Pet"},
                "responses": {"200": {"$ref": "#/components/responses/Pets"}}
            }
        }},
        "components": {
            "parameters": {"Limit": {"name": "limit", "in": "query", "required": true,
                                     "schema": {"type": "integer"}}},
            "requestBodies": {"Pet": {"required": true,
                "content": {"application/json": {"schema": {"type": "object"}}}}},
            "responses": {"Pets": {"description": "pets",
                "content": {"application/json": {"schema": {"type": "array"}}}}}
        }
    }))
    .unwrap();
    let get = spec.operation("GET", "/pets").unwrap();
    assert_eq!(get.parameters().len(), 1);
    let limit = get.parameter(Location::Query, "limit").unwrap();
    assert!(limit.required());
    assert_eq!(limit.schema().value, json!({"type": "integer"}));
    assert_eq!(
        get.body().map(|body| body.media_type()),
        Some("application/json")
    );
    assert!(get.response(200).unwrap()["content"]["application/json"].is_object());
}

#[test]
fn openapi_3_0_schemas_are_read_as_2020_12() {
    let mut document = with_schema(
        json!({"$ref": "#/components/schemas/Pet"}),
        json!({"Pet": {"type": "object", "required": ["age", "name"], "properties": {
            "age": {"type": "integer", "minimum": 0, "exclusiveMinimum": true,
                    "maximum": 30, "exclusiveMaximum": false},
            "name": {"type": "string", "nullable": true}
        }}}),
    );
    document["openapi"] = json!("3.0.3");
    let spec = Spec::from_value(document).unwrap();
    let pet = json!({"$ref": "#/components/schemas/Pet"});
    assert!(spec.check(&pet, &json!({"age": 1, "name": null})).is_ok());
    assert!(spec.check(&pet, &json!({"age": 30, "name": "Rex"})).is_ok());
    // `exclusiveMinimum: true` excludes the minimum itself.
    assert!(spec.check(&pet, &json!({"age": 0, "name": "Rex"})).is_err());
    assert!(
        spec.check(&pet, &json!({"age": 31, "name": "Rex"}))
            .is_err()
    );
    // What the fake generates is valid too.
    let instance = spec.instance_of("Pet").unwrap();
    assert!(spec.check(&pet, &instance).is_ok(), "{instance}");
    assert_eq!(
        spec.schema("Pet").unwrap()["properties"]["name"],
        json!({"anyOf": [{"type": "string"}, {"type": "null"}]})
    );

    // A 3.1 document is read as written: `nullable` is no keyword of 2020-12.
    let mut document = with_schema(json!({"type": "string", "nullable": true}), json!({}));
    document["openapi"] = json!("3.1.0");
    let spec = Spec::from_value(document).unwrap();
    let get = spec.operation("GET", "/pets/{petId}").unwrap();
    let schema = &get.response(200).unwrap()["content"]["application/json"]["schema"];
    assert!(spec.check(schema, &Value::Null).is_err());
}
