//! The document's schemas, and valid instances generated from them: what the fake answers
//! where no behaviour is written by hand, and what tests feed to their DTOs to see that
//! they round-trip.
//!
//! Generation is deterministic and fills every property, optional ones included, so an
//! instance exercises the whole shape: the first non-null branch of a union (its
//! discriminator set from the member's `const`), one item per array (more if `minItems`
//! asks), one entry per free-form map, a value of the right format for strings, and a
//! string that matches the `pattern` where there is one.

use serde_json::{Map, Value, json};

use crate::document::Spec;

/// Deeper than any schema of the document nests; stops a recursive schema from looping.
const MAX_DEPTH: usize = 12;

/// Strings tried, in order, against a string schema with a `pattern` or length limits.
const STRING_CANDIDATES: &[&str] = &[
    "example",
    "Example Agent",
    "DataToExtract",
    "user@askui.example",
    "user",
    "a",
    "1",
    "example-1.0",
];

impl Spec {
    /// A valid instance of the component schema `name` (e.g. `"Pet"`), or `None` if the
    /// document has no such schema.
    pub fn instance_of(&self, name: &str) -> Option<Value> {
        let schema = self.schema(name)?;
        Some(self.instance(schema))
    }

    /// The names of every component schema in the document.
    pub fn schema_names(&self) -> Vec<&str> {
        self.document()["components"]["schemas"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// A valid instance of `schema`, whose `$ref`s point into the document's components.
    pub fn instance(&self, schema: &Value) -> Value {
        generate(self, schema, 0)
    }
}

fn generate(spec: &Spec, schema: &Value, depth: usize) -> Value {
    let schema = spec.resolve(schema);
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    if let Some(value) = schema.get("const") {
        return value.clone();
    }
    if let Some(value) = schema.get("example").or_else(|| {
        schema
            .get("examples")
            .and_then(Value::as_array)
            .and_then(|examples| examples.first())
    }) {
        return value.clone();
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|values| values.first())
    {
        return first.clone();
    }
    if let Some(members) = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array)
    {
        let chosen = members
            .iter()
            .find(|member| spec.resolve(member)["type"] != "null")
            .or_else(|| members.first());
        return chosen.map_or(Value::Null, |member| generate(spec, member, depth + 1));
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in parts {
            if let Value::Object(fields) = generate(spec, part, depth + 1) {
                merged.extend(fields);
            }
        }
        return Value::Object(merged);
    }
    match schema["type"].as_str() {
        Some("object") => object(spec, schema, depth),
        Some("array") => {
            let count = schema["minItems"].as_u64().unwrap_or(1).max(1);
            let item = generate(spec, &schema["items"], depth + 1);
            Value::Array((0..count).map(|_| item.clone()).collect())
        }
        Some("string") => string(spec, schema),
        Some("integer") => json!(schema["minimum"].as_i64().unwrap_or(0).max(1)),
        Some("number") => json!(schema["minimum"].as_f64().unwrap_or(0.0).max(1.5)),
        Some("boolean") => Value::Bool(true),
        Some("null") => Value::Null,
        // `{}`: any JSON at all.
        _ if schema.get("properties").is_some() => object(spec, schema, depth),
        _ => json!({}),
    }
}

fn object(spec: &Spec, schema: &Value, depth: usize) -> Value {
    let mut fields = Map::new();
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        fields.insert(name.clone(), generate(spec, property, depth + 1));
    }
    match schema.get("additionalProperties") {
        Some(Value::Bool(true)) => {
            fields.insert("key".into(), json!("value"));
        }
        Some(extra @ Value::Object(_)) => {
            fields.insert("key".into(), generate(spec, extra, depth + 1));
        }
        _ => {}
    }
    let minimum = schema["minProperties"].as_u64().unwrap_or(0) as usize;
    while fields.len() < minimum {
        fields.insert(format!("key{}", fields.len()), json!({"type": "string"}));
    }
    Value::Object(fields)
}

fn string(spec: &Spec, schema: &Value) -> Value {
    let formatted = match schema["format"].as_str() {
        Some("uuid4" | "uuid") => Some("7c2f3b8a-5d1e-4f6a-9b0c-1d2e3f4a5b6c"),
        Some("date-time") => Some("2025-01-01T12:00:00Z"),
        Some("date") => Some("2025-01-01"),
        Some("uri") => Some("https://askui.example/"),
        Some("email") => Some("user@askui.example"),
        Some("binary") => Some(""),
        _ => None,
    };
    if let Some(value) = formatted {
        return json!(value);
    }
    // A date the document describes in words only ("Date in YYYY-MM-DD format").
    if schema["description"]
        .as_str()
        .is_some_and(|description| description.contains("YYYY-MM-DD"))
    {
        return json!("2025-01-01");
    }
    let constrained = ["pattern", "minLength", "maxLength"]
        .iter()
        .any(|keyword| schema.get(keyword).is_some());
    if !constrained {
        return json!("example");
    }
    let validator = spec.validator(schema);
    let fits = |candidate: &str| {
        validator
            .as_ref()
            .is_some_and(|validator| validator.is_valid(&json!(candidate)))
    };
    let found = STRING_CANDIDATES
        .iter()
        .copied()
        .find(|candidate| fits(candidate))
        .map(str::to_owned);
    let padded = || {
        let length = schema["minLength"].as_u64().unwrap_or(1) as usize;
        Some("a".repeat(length)).filter(|candidate| fits(candidate))
    };
    json!(
        found
            .or_else(padded)
            .unwrap_or_else(|| "example".to_owned())
    )
}
