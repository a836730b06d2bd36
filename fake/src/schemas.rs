//! The AskUI document's schemas, and valid instances generated from them
//! ([`askui_openapi::Spec::instance`]): what the fake answers where no behaviour is written
//! by hand, and what tests feed to their DTOs to see that they round-trip.

use serde_json::Value;

use crate::spec;

/// A valid instance of the component schema `name` (e.g. `"Agent"`), or `None` if the
/// document has no such schema.
pub fn instance_of(name: &str) -> Option<Value> {
    spec().instance_of(name)
}

/// The names of every component schema in the document.
pub fn names() -> Vec<&'static str> {
    spec().schema_names()
}

/// A valid instance of `schema`, whose `$ref`s point into the document's components.
pub fn instance(schema: &Value) -> Value {
    spec().instance(schema)
}

/// The vendored OpenAPI document (AskUI Workspaces API 0.2.15), as JSON.
pub fn document() -> &'static Value {
    spec().document()
}

/// Whether `instance` is valid under `schema` (whose `$ref`s point into the document's
/// components), and if not, why: one message per problem.
pub fn check(schema: &Value, instance: &Value) -> Result<(), Vec<String>> {
    spec().check(schema, instance)
}
