//! One request through the fake: routing, security, body, validation, then a handler or
//! the generated answer; every step's refusal worded by the [`ErrorShape`](crate::fake::ErrorShape).

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use axum::body::{Body as RawBody, Bytes};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::document::{Operation, Route, branches, coerce};
use crate::fake::answer::{Answer, Body, Call, Part};
use crate::fake::errors::Refusal;
use crate::fake::plan::{Accepted, MediaKind};
use crate::fake::record::Recorded;
use crate::fake::security::{self, Outcome};
use crate::fake::{Handler, Shared, lock};
use crate::validate::{self, Problem};

pub(crate) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let mut recorded = Recorded {
        method: parts.method.clone(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers.clone(),
        body: Bytes::new(),
        operation_id: None,
        status: 0,
    };
    let answer = answer(&shared, parts, body, &mut recorded).await;
    recorded.status = answer.status();
    lock(&shared.requests).push(recorded);
    answer.into_response()
}

async fn answer(
    shared: &Arc<Shared>,
    parts: Parts,
    body: RawBody,
    recorded: &mut Recorded,
) -> Answer {
    let path = recorded.decoded_path();
    let limit = shared.max_body_bytes;
    if let Some((_, route)) = shared
        .extra_routes
        .iter()
        .find(|(prefix, _)| is_under(&path, prefix))
    {
        recorded.body = read(&parts.headers, body, limit).await.unwrap_or_default();
        return route(recorded);
    }
    let (operation, path_values) = match shared.spec.route(&parts.method, &path) {
        Route::Found(operation, values) => (operation, values),
        Route::NotFound => {
            recorded.body = read(&parts.headers, body, limit).await.unwrap_or_default();
            return shared.errors.refuse(None, &Refusal::NotFound { path });
        }
        Route::MethodNotAllowed(allowed) => {
            recorded.body = read(&parts.headers, body, limit).await.unwrap_or_default();
            let allowed: Vec<String> = allowed.iter().map(|m| m.as_str().to_owned()).collect();
            let allow = allowed.join(", ");
            return shared
                .errors
                .refuse(None, &Refusal::MethodNotAllowed { allowed })
                .header("allow", allow);
        }
    };
    let Some(index) = shared
        .spec
        .operations()
        .iter()
        .position(|candidate| std::ptr::eq(candidate, operation))
    else {
        return Answer::json(
            500,
            json!({ "detail": "routing found an unknown operation" }),
        );
    };
    let plan = &shared.plans[index];
    if !operation.id().is_empty() {
        recorded.operation_id = Some(operation.id().to_owned());
    }
    let mut query = recorded.query_pairs();
    if !plan.comma_separated.is_empty() {
        query = query
            .into_iter()
            .flat_map(|(name, value)| {
                if plan.comma_separated.contains(&name) {
                    value
                        .split(',')
                        .map(|item| (name.clone(), item.to_owned()))
                        .collect()
                } else {
                    vec![(name, value)]
                }
            })
            .collect();
    }

    // Security before validation, as FastAPI's dependencies run.
    let refusal = match security::check(shared, operation, &parts.headers, &query) {
        Outcome::Allowed => None,
        Outcome::Refused(schemes, challenges) => {
            Some((Refusal::Unauthenticated { schemes }, challenges))
        }
        Outcome::Unsupported(reason) => Some((
            Refusal::NotImplemented {
                operation: plan.name.clone(),
                reason,
            },
            Vec::new(),
        )),
    };
    if let Some((refusal, challenges)) = refusal {
        recorded.body = read(&parts.headers, body, limit).await.unwrap_or_default();
        let answer = shared.errors.refuse(Some(operation), &refusal);
        return challenges.into_iter().fold(answer, |answer, challenge| {
            answer.header("www-authenticate", challenge)
        });
    }

    let bytes = match read(&parts.headers, body, limit).await {
        Ok(bytes) => bytes,
        Err(refusal) => return shared.errors.refuse(Some(operation), &refusal),
    };
    recorded.body = bytes.clone();
    let mut problems = Vec::new();
    let parameters = validate::parameters(
        operation,
        &path_values,
        &query,
        &parts.headers,
        &mut problems,
    );
    let body = match read_body(shared, index, operation, &parts, bytes, &mut problems).await {
        Ok(body) => body,
        Err(answer) => return answer,
    };
    if !problems.is_empty() {
        return shared.errors.invalid(operation, &problems);
    }
    let call = Call {
        shared: Arc::clone(shared),
        index,
        parameters,
        body,
        request: recorded.clone(),
    };
    for intercept in &shared.intercepts {
        match std::panic::catch_unwind(AssertUnwindSafe(|| intercept(&call))) {
            Ok(Some(answer)) => return answer,
            Ok(None) => {}
            Err(panic) => return panicked(&plan.name, panic.as_ref()),
        }
    }
    match shared.handlers.get(&index) {
        Some(Handler::Sync(handler)) => {
            std::panic::catch_unwind(AssertUnwindSafe(|| handler(&call)))
                .unwrap_or_else(|panic| panicked(&plan.name, panic.as_ref()))
        }
        // On a task of its own, so that a panic in it is an answer, not a dropped connection.
        Some(Handler::Async(handler)) => match tokio::spawn(handler(call)).await {
            Ok(answer) => answer,
            Err(error) if error.is_panic() => panicked(&plan.name, error.into_panic().as_ref()),
            Err(_) => Answer::json(500, json!({ "detail": "the handler was cancelled" })),
        },
        None => call.generated(),
    }
}

fn panicked(operation: &str, panic: &(dyn std::any::Any + Send)) -> Answer {
    let message = panic
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    Answer::json(
        500,
        json!({ "detail": format!("the handler of `{operation}` panicked: {message}") }),
    )
}

/// The whole body, unless it is larger than `limit`.
async fn read(headers: &HeaderMap, body: RawBody, limit: usize) -> Result<Bytes, Refusal> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(Refusal::BodyTooLarge { limit });
    }
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| Refusal::BodyTooLarge { limit })
}

/// The media type of `Content-Type`, lower case, without parameters.
fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    Some(crate::document::essence(value))
}

/// Reads the body as the operation's `requestBody` describes it and checks it against its
/// schema. An answer is returned for what cannot be read at all.
async fn read_body(
    shared: &Shared,
    index: usize,
    operation: &Operation,
    parts: &Parts,
    bytes: Bytes,
    problems: &mut Vec<Problem>,
) -> Result<Body, Answer> {
    let plan = &shared.plans[index];
    // An operation without a `requestBody` ignores what is sent, as most servers do.
    if plan.accepts.is_empty() {
        return Ok(Body::Empty);
    }
    let loc = [json!("body")];
    // An empty body is no body, whatever its type (FastAPI's reading).
    if bytes.is_empty() {
        if plan.body_required {
            problems.push(Problem::missing(loc.to_vec(), Value::Null));
        }
        return Ok(Body::Empty);
    }
    let sent = media_type(&parts.headers);
    let Some(accepted) = plan.accept(sent.as_deref()) else {
        let refusal = Refusal::UnsupportedMediaType {
            sent,
            accepted: plan.accepts.iter().map(|a| a.media_type.clone()).collect(),
        };
        return Err(shared.errors.refuse(Some(operation), &refusal));
    };
    match accepted.kind {
        MediaKind::Json => {
            let value: Value = match serde_json::from_slice(&bytes) {
                Ok(value) => value,
                Err(error) => {
                    let mut problem =
                        Problem::new("json_invalid", loc.to_vec(), "JSON decode error", json!({}));
                    problem.ctx = Some(json!({ "error": error.to_string() }));
                    return Err(shared.errors.invalid(operation, &[problem]));
                }
            };
            if value.is_null() && plan.body_required {
                problems.push(Problem::missing(loc.to_vec(), Value::Null));
                return Ok(Body::Empty);
            }
            problems.extend(validate::check(&accepted.schema, &value, &loc));
            Ok(Body::Json(value))
        }
        MediaKind::Form => {
            let value = form(shared, accepted, &bytes);
            problems.extend(validate::check(&accepted.schema, &value, &loc));
            Ok(Body::Form(value))
        }
        MediaKind::Multipart => {
            let parts_read = multipart(parts, bytes, shared.max_body_bytes)
                .await
                .map_err(|refusal| shared.errors.refuse(Some(operation), &refusal))?;
            let instance = shared.spec.multipart_instance(
                &accepted.schema.value,
                parts_read.iter().map(|part| {
                    let text = match part.file_name {
                        Some(_) => None,
                        None => Some(String::from_utf8_lossy(&part.bytes).into_owned()),
                    };
                    (part.name.as_str(), text)
                }),
            );
            let instance = typed_fields(shared, accepted, instance);
            problems.extend(validate::check(&accepted.schema, &instance, &loc));
            Ok(Body::Multipart(parts_read))
        }
        MediaKind::Raw | MediaKind::Unvalidated => Ok(Body::Bytes {
            content_type: sent.unwrap_or_else(|| accepted.media_type.clone()),
            bytes,
        }),
    }
}

/// A form body as the JSON object its schema describes: each value converted to its
/// property's type, repeated keys of an array property collected.
fn form(shared: &Shared, accepted: &Accepted, bytes: &[u8]) -> Value {
    let spec = &shared.spec;
    let schema = spec.resolve(&accepted.schema.value);
    let mut object = Map::new();
    for (name, text) in url::form_urlencoded::parse(bytes) {
        let property = spec.resolve(&schema["properties"][name.as_ref()]);
        let array = branches(property).find(|branch| branch["type"] == "array");
        match array {
            Some(array) => {
                let item = coerce(spec.resolve(&array["items"]), &text);
                match object.get_mut(name.as_ref()) {
                    Some(Value::Array(items)) => items.push(item),
                    _ => {
                        object.insert(name.into_owned(), json!([item]));
                    }
                }
            }
            None => {
                object.insert(name.into_owned(), coerce(property, &text));
            }
        }
    }
    Value::Object(object)
}

/// A multipart body's text fields converted to the types their properties name (`"2"` is
/// 2 for an integer), as form fields are read.
fn typed_fields(shared: &Shared, accepted: &Accepted, instance: Value) -> Value {
    let spec = &shared.spec;
    let schema = spec.resolve(&accepted.schema.value);
    let Value::Object(fields) = instance else {
        return instance;
    };
    let typed = fields
        .into_iter()
        .map(|(name, value)| {
            let property = spec.resolve(&schema["properties"][name.as_str()]);
            let value = match value {
                Value::String(text) => coerce(property, &text),
                Value::Array(items) => {
                    let item_schema = branches(property)
                        .find(|branch| branch["type"] == "array")
                        .map_or(&Value::Null, |array| spec.resolve(&array["items"]));
                    Value::Array(
                        items
                            .into_iter()
                            .map(|item| match item {
                                Value::String(text) => coerce(item_schema, &text),
                                other => other,
                            })
                            .collect(),
                    )
                }
                other => other,
            };
            (name, value)
        })
        .collect();
    Value::Object(typed)
}

async fn multipart(parts: &Parts, bytes: Bytes, limit: usize) -> Result<Vec<Part>, Refusal> {
    let unreadable = |reason: String| Refusal::UnreadableBody { reason };
    let mut request = Request::new(RawBody::from(bytes));
    *request.headers_mut() = parts.headers.clone();
    // The body limit travels in the extensions.
    *request.extensions_mut() = parts.extensions.clone();
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|error| unreadable(error.body_text()))?;
    let mut read = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_owned();
                let file_name = field.file_name().map(str::to_owned);
                let content_type = field.content_type().map(str::to_owned);
                let bytes = field.bytes().await.map_err(|error| {
                    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        Refusal::BodyTooLarge { limit }
                    } else {
                        unreadable(error.body_text())
                    }
                })?;
                read.push(Part {
                    name,
                    file_name,
                    content_type,
                    bytes,
                });
            }
            Ok(None) => return Ok(read),
            Err(error) => return Err(unreadable(error.body_text())),
        }
    }
}

/// Whether `path` is `prefix` or a path below it, at a segment boundary.
fn is_under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || prefix.ends_with('/') || rest.starts_with('/'))
}
