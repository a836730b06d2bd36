//! Request validation from the document's schemas, reported the way FastAPI (pydantic v2)
//! reports it: `{"type", "loc", "msg", "input", "ctx"?}` per problem, every problem of the
//! path, query, headers and body in one answer.

use std::collections::{BTreeMap, HashSet};

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use jsonschema::{JsonType, ValidationError};
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::document::{Location, Operation, Schema};

/// One entry of `HTTPValidationError.detail`.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Problem {
    /// pydantic's error type (`missing`, `int_parsing`, `string_too_short`, …).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Where: `["query", "limit"]`, `["body", "items", 0, "name"]`.
    pub loc: Vec<Value>,
    /// What is wrong, in words.
    pub msg: String,
    /// The value found there (`null` where nothing was sent).
    pub input: Value,
    /// The limit or pattern the value broke, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ctx: Option<Value>,
}

impl Problem {
    /// A problem of type `kind` at `loc`.
    pub fn new(
        kind: &'static str,
        loc: Vec<Value>,
        msg: impl Into<String>,
        input: Value,
    ) -> Problem {
        Problem {
            kind,
            loc,
            msg: msg.into(),
            input,
            ctx: None,
        }
    }

    /// A required value not sent.
    pub fn missing(loc: Vec<Value>, input: Value) -> Problem {
        Problem::new("missing", loc, "Field required", input)
    }

    /// The problem in one line: `query.limit: Input should be less than or equal to 100`.
    pub fn summary(&self) -> String {
        let loc: Vec<String> = self
            .loc
            .iter()
            .map(|part| {
                part.as_str()
                    .map_or_else(|| part.to_string(), str::to_owned)
            })
            .collect();
        format!("{}: {}", loc.join("."), self.msg)
    }

    fn with_ctx(mut self, ctx: Value) -> Problem {
        self.ctx = Some(ctx);
        self
    }
}

/// The parameters of a request, decoded and converted to the JSON their schemas describe
/// (FastAPI's coercion: `"5"` is `5` for an integer, a repeated key is a list).
#[derive(Debug, Default)]
pub struct Parameters {
    values: BTreeMap<String, Value>,
}

impl Parameters {
    /// Each parameter sent or defaulted, by name, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.values
            .iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(name, value)| (name.as_str(), value))
    }

    /// The value of the parameter `name`, unless it was not sent and has no default.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name).filter(|value| !value.is_null())
    }

    /// The value of the parameter `name`, if it is a string.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Value::as_str)
    }

    /// The strings of the array parameter `name`.
    pub fn strings(&self, name: &str) -> Vec<&str> {
        self.get(name)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect()
    }
}

/// Reads and checks the path, query and header parameters of `operation`.
pub fn parameters(
    operation: &Operation,
    path: &[(String, String)],
    query: &[(String, String)],
    headers: &axum::http::HeaderMap,
    problems: &mut Vec<Problem>,
) -> Parameters {
    let mut parameters = Parameters::default();
    for parameter in &operation.parameters {
        let raw: Vec<&str> = match parameter.location {
            Location::Path => path
                .iter()
                .filter(|(name, _)| *name == parameter.name)
                .map(|(_, value)| value.as_str())
                .collect(),
            Location::Query => query
                .iter()
                .filter(|(name, _)| *name == parameter.name)
                .map(|(_, value)| value.as_str())
                .collect(),
            Location::Header => headers
                .get_all(parameter.name.as_str())
                .iter()
                .filter_map(|value| value.to_str().ok())
                .collect(),
        };
        let loc = vec![json!(parameter.location.as_str()), json!(parameter.name)];
        let value = if raw.is_empty() {
            match parameter.schema.value.get("default") {
                _ if parameter.required => {
                    problems.push(Problem::missing(loc, Value::Null));
                    continue;
                }
                Some(default) => default.clone(),
                // An optional parameter not sent has nothing to check, whether or not its
                // schema admits `null` (OpenAPI 3.0 documents rarely say so).
                None => {
                    parameters
                        .values
                        .insert(parameter.name.clone(), Value::Null);
                    continue;
                }
            }
        } else {
            parameter.value(&raw)
        };
        problems.extend(check(&parameter.schema, &value, &loc));
        parameters.values.insert(parameter.name.clone(), value);
    }
    parameters
}

/// Checks `value` against `schema`, each problem located under `loc`.
pub fn check(schema: &Schema, value: &Value, loc: &[Value]) -> Vec<Problem> {
    let Some(validator) = schema.validator() else {
        return Vec::new();
    };
    // Pydantic stops at a field's first failed constraint: one problem per location. A set
    // of the locations seen, not a scan of the problems so far, which would be quadratic in
    // a body of many bad items.
    let mut seen = HashSet::new();
    validator
        .iter_errors(value)
        .flat_map(|error| problems_of(&error, loc))
        .filter(|problem| seen.insert(Value::from(problem.loc.clone()).to_string()))
        .collect()
}

fn location(loc: &[Value], error: &ValidationError<'_>) -> Vec<Value> {
    let mut location = loc.to_vec();
    for segment in error.instance_path() {
        location.push(match segment {
            LocationSegment::Property(name) => json!(name),
            LocationSegment::Index(index) => json!(index),
        });
    }
    location
}

/// Pydantic's `type`, `msg` and `ctx` for one failed keyword.
fn problems_of(error: &ValidationError<'_>, loc: &[Value]) -> Vec<Problem> {
    let at = location(loc, error);
    let input = error.instance().clone().into_owned();
    let problem = match error.kind() {
        ValidationErrorKind::Required { property } => {
            let mut at = at;
            at.push(property.clone());
            Problem::missing(at, input)
        }
        ValidationErrorKind::Type { kind } => type_problem(kind, at, input),
        ValidationErrorKind::MinLength { limit } => Problem::new(
            "string_too_short",
            at,
            format!(
                "String should have at least {}",
                plural(*limit, "character")
            ),
            input,
        )
        .with_ctx(json!({ "min_length": limit })),
        ValidationErrorKind::MaxLength { limit } => Problem::new(
            "string_too_long",
            at,
            format!("String should have at most {}", plural(*limit, "character")),
            input,
        )
        .with_ctx(json!({ "max_length": limit })),
        ValidationErrorKind::Pattern { pattern } => Problem::new(
            "string_pattern_mismatch",
            at,
            format!("String should match pattern '{pattern}'"),
            input,
        )
        .with_ctx(json!({ "pattern": pattern })),
        ValidationErrorKind::Format { format } => format_problem(format, at, input),
        ValidationErrorKind::Enum { options } => Problem::new(
            "enum",
            at,
            format!("Input should be {}", alternatives(options)),
            input,
        )
        .with_ctx(json!({ "expected": alternatives(options) })),
        ValidationErrorKind::Constant { expected_value } => Problem::new(
            "literal_error",
            at,
            format!("Input should be {}", alternatives(&json!([expected_value]))),
            input,
        ),
        ValidationErrorKind::Minimum { limit } => Problem::new(
            "greater_than_equal",
            at,
            format!("Input should be greater than or equal to {limit}"),
            input,
        )
        .with_ctx(json!({ "ge": limit })),
        ValidationErrorKind::Maximum { limit } => Problem::new(
            "less_than_equal",
            at,
            format!("Input should be less than or equal to {limit}"),
            input,
        )
        .with_ctx(json!({ "le": limit })),
        ValidationErrorKind::ExclusiveMinimum { limit } => Problem::new(
            "greater_than",
            at,
            format!("Input should be greater than {limit}"),
            input,
        ),
        ValidationErrorKind::ExclusiveMaximum { limit } => Problem::new(
            "less_than",
            at,
            format!("Input should be less than {limit}"),
            input,
        ),
        ValidationErrorKind::MinItems { limit } => {
            let length = input.as_array().map_or(0, Vec::len);
            Problem::new(
                "too_short",
                at,
                format!(
                    "List should have at least {} after validation, not {length}",
                    plural(*limit, "item")
                ),
                input,
            )
        }
        ValidationErrorKind::MaxItems { limit } => Problem::new(
            "too_long",
            at,
            format!("List should have at most {}", plural(*limit, "item")),
            input,
        ),
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            return unexpected
                .iter()
                .map(|name| {
                    let mut at = at.clone();
                    at.push(json!(name));
                    Problem::new(
                        "extra_forbidden",
                        at,
                        "Extra inputs are not permitted",
                        input[name].clone(),
                    )
                })
                .collect();
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            // `anyOf [T, null]` is how the document writes "optional T": report what is
            // wrong with the T, not that the value is not null.
            if let Some(branch) = closest_branch(context, error) {
                return branch
                    .iter()
                    .flat_map(|inner| problems_of(inner, loc))
                    .collect();
            }
            Problem::new("union_tag_invalid", at, error.to_string(), input)
        }
        _ => Problem::new("value_error", at, error.to_string(), input),
    };
    vec![problem]
}

/// The branch of a failed union whose errors are about the value's content rather than
/// its type, i.e. the branch the value was meant for.
fn closest_branch<'a>(
    branches: &'a [Vec<ValidationError<'static>>],
    error: &ValidationError<'_>,
) -> Option<&'a Vec<ValidationError<'static>>> {
    let wrong_type = |inner: &ValidationError<'_>| {
        matches!(
            inner.kind(),
            ValidationErrorKind::Type { .. } | ValidationErrorKind::Constant { .. }
        ) && inner.instance_path() == error.instance_path()
    };
    let meant: Vec<_> = branches
        .iter()
        .filter(|errors| !errors.is_empty() && !errors.iter().any(wrong_type))
        .collect();
    match meant.as_slice() {
        [only] => Some(only),
        // No branch of the right type: the value's type is what is wrong, as the first.
        [] => branches.iter().find(|errors| !errors.is_empty()),
        _ => None,
    }
}

fn type_problem(kind: &TypeKind, at: Vec<Value>, input: Value) -> Problem {
    let expected = match kind {
        TypeKind::Single(single) => Some(*single),
        TypeKind::Multiple(set) => set.iter().find(|t| *t != JsonType::Null),
    };
    let from_text = input.is_string();
    let (kind, msg) = match expected {
        Some(JsonType::String) => ("string_type", "Input should be a valid string"),
        Some(JsonType::Integer) if from_text => (
            "int_parsing",
            "Input should be a valid integer, unable to parse string as an integer",
        ),
        Some(JsonType::Integer) => ("int_type", "Input should be a valid integer"),
        Some(JsonType::Number) if from_text => (
            "float_parsing",
            "Input should be a valid number, unable to parse string as a number",
        ),
        Some(JsonType::Number) => ("float_type", "Input should be a valid number"),
        Some(JsonType::Boolean) if from_text => (
            "bool_parsing",
            "Input should be a valid boolean, unable to interpret input",
        ),
        Some(JsonType::Boolean) => ("bool_type", "Input should be a valid boolean"),
        Some(JsonType::Array) => ("list_type", "Input should be a valid list"),
        Some(JsonType::Object) => (
            "model_attributes_type",
            "Input should be a valid dictionary or object to extract fields from",
        ),
        Some(JsonType::Null) | None => ("none_required", "Input should be None"),
    };
    Problem::new(kind, at, msg, input)
}

fn format_problem(format: &str, at: Vec<Value>, input: Value) -> Problem {
    let text = input.as_str().unwrap_or_default().to_owned();
    match format {
        "uuid" | "uuid4" => match Uuid::parse_str(&text) {
            Err(error) => Problem::new(
                "uuid_parsing",
                at,
                format!("Input should be a valid UUID, {error}"),
                input,
            )
            .with_ctx(json!({ "error": error.to_string() })),
            Ok(_) => Problem::new("uuid_version", at, "UUID version 4 expected", input)
                .with_ctx(json!({ "expected_version": 4 })),
        },
        "uri" => {
            let reason = url::Url::parse(&text)
                .err()
                .map_or_else(|| "invalid URL".to_owned(), |error| error.to_string());
            Problem::new(
                "url_parsing",
                at,
                format!("Input should be a valid URL, {reason}"),
                input,
            )
            .with_ctx(json!({ "error": reason }))
        }
        "date-time" => Problem::new(
            "datetime_from_date_parsing",
            at,
            "Input should be a valid datetime or date, invalid character in year",
            input,
        ),
        "email" => Problem::new(
            "value_error",
            at,
            "value is not a valid email address: An email address must have an @-sign.",
            input,
        ),
        other => Problem::new(
            "value_error",
            at,
            format!("Input should be a valid {other}"),
            input,
        ),
    }
}

fn plural(count: u64, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// `'A', 'B' or 'C'`, as pydantic lists the allowed values.
fn alternatives(options: &Value) -> String {
    let quoted: Vec<String> = options
        .as_array()
        .into_iter()
        .flatten()
        .map(|option| match option {
            Value::String(text) => format!("'{text}'"),
            other => other.to_string(),
        })
        .collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}
