//! The only hand-written answers: operations whose result depends on what earlier requests
//! did (files, access tokens, agents) and the customer-portal session. Every other operation
//! answers a valid instance of its documented success schema.

use std::sync::Arc;

use askui_openapi::fake::{Answer, Body, Call, FakeApi, Recorded};
use askui_openapi::validate::{Parameters, Problem};
use base64::Engine as _;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::state::{IssuedToken, Store, StoredFile, lock};

/// Where the fake serves the signed URLs it hands out for files.
const DOWNLOAD_PREFIX: &str = "/_fake/files/";
/// Base of the fake billing-portal URLs.
const SESSION_URL_BASE: &str = "https://billing.askui.example/session/";
/// `maxLength` of `sessionUrl` in the document.
const MAX_URL_LENGTH: usize = 2083;
/// Longer file keys are shortened, or refused with `strict=true`, as the upload describes.
const MAX_KEY_LENGTH: usize = 1024;

type Behaviour = fn(&Store, &Call) -> Answer;

/// The operation behind each AskUI handler, by the name its `operationId` starts with
/// (the same name is shared by the caller's and a workspace's token operations).
const BEHAVIOURS: &[(&str, Behaviour)] = &[
    ("create_customer_portal_session", customer_portal_session),
    ("upload_file", upload_file),
    ("list_files", list_files),
    ("delete_file", delete_file),
    ("create_access_token", create_token),
    ("list_access_tokens", list_tokens),
    ("delete_access_token", delete_token),
    ("lookup_access_token", lookup_token),
    ("lookup_workspace_access_token", lookup_token),
    ("create_agent", create_agent),
    ("list_agents", list_agents),
    ("update_agent", update_agent),
];

/// AskUI's behaviour on the generic fake: its credentials (the configured token and those
/// issued since, as `Bearer` or AskUI's `Basic`), the documented 404 of a workspace the
/// caller is no member of, the signed download URLs, and a handler per stateful operation.
pub(crate) fn install(mut api: FakeApi, store: &Arc<Store>) -> FakeApi {
    let credentials = Arc::clone(store);
    let workspaces = Arc::clone(store);
    let downloads = Arc::clone(store);
    api = api
        .authenticate(move |credential| match credential.scheme() {
            // `Bearer` is `http` bearer: the token alone.
            "Bearer" => credentials.is_authorized(Some(&format!("Bearer {}", credential.value()))),
            // `Basic` is an `apiKey` header named `Authorization`: the whole header.
            _ => credentials.is_authorized(Some(credential.value())),
        })
        .intercept(move |call| unknown_workspace(&workspaces, call))
        .extra_route(DOWNLOAD_PREFIX, move |request| {
            download(&downloads, request)
        });
    let operations: Vec<String> = api
        .spec()
        .operations()
        .iter()
        .map(|operation| operation.id().to_owned())
        .collect();
    for id in operations {
        let name = id.split("_api_v1_").next().unwrap_or_default();
        if let Some((_, behaviour)) = BEHAVIOURS.iter().find(|(known, _)| *known == name) {
            let behaviour = *behaviour;
            let store = Arc::clone(store);
            api = api.handler(&id, move |call| behaviour(&store, call));
        }
    }
    api
}

/// FastAPI's `{"detail": "<text>"}`.
fn detail(status: u16, text: &str) -> Answer {
    Answer::json(status, json!({ "detail": text }))
}

/// A workspace the caller is no member of: the operation's documented 404, where it
/// documents one (`{"detail":[{"msg":"Workspace membership not found"}]}` and the like).
fn unknown_workspace(store: &Store, call: &Call) -> Option<Answer> {
    let workspace = call.parameters().str("workspace_id")?;
    let known = Uuid::parse_str(workspace).is_ok_and(|id| store.workspaces.contains(&id));
    let example = call.operation().example(404).filter(|_| !known)?;
    Some(Answer::json(404, example.clone()))
}

/// The JSON body, or `null`.
fn json_body(call: &Call) -> &Value {
    call.json()
}

/// Token operations act on a workspace's tokens, or on the caller's own (no workspace).
fn tokens_of(call: &Call) -> Option<Uuid> {
    call.operation()
        .template()
        .starts_with("/api/v1/workspaces/{workspace_id}")
        .then(|| workspace_of(call))
        .flatten()
}

fn delete_file(store: &Store, call: &Call) -> Answer {
    if let Some(key) = call.parameters().str("file_path") {
        lock(&store.files).remove(key);
    }
    Answer::empty(204)
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn workspace_of(call: &Call) -> Option<Uuid> {
    call.parameters()
        .str("workspace_id")
        .and_then(|id| Uuid::parse_str(id).ok())
}

fn customer_portal_session(_store: &Store, call: &Call) -> Answer {
    let return_url = json_body(call)["returnUrl"].as_str().unwrap_or_default();
    // The return URL travels in the session URL's query, shortened if needed so that the
    // session URL still fits the documented `maxLength`.
    let mut session = url::Url::parse(SESSION_URL_BASE)
        .map(|base| base.join(&Uuid::new_v4().simple().to_string()))
        .ok()
        .and_then(Result::ok);
    let Some(session) = session.as_mut() else {
        return detail(500, "Internal Server Error");
    };
    let mut kept: String = return_url.to_owned();
    loop {
        session
            .query_pairs_mut()
            .clear()
            .append_pair("return", &kept);
        if session.as_str().len() <= MAX_URL_LENGTH || kept.is_empty() {
            break;
        }
        kept.pop();
    }
    Answer::json(200, json!({ "sessionUrl": session.as_str() }))
}

/// The workspace a file key belongs to (`workspaces/<id>/…`), if the caller is a member.
fn key_workspace(store: &Store, key: &str) -> Option<Uuid> {
    let id = key.strip_prefix("workspaces/")?.split('/').next()?;
    Uuid::parse_str(id)
        .ok()
        .filter(|id| store.workspaces.contains(id))
}

fn upload_file(store: &Store, call: &Call) -> Answer {
    let Some(key) = call.parameters().str("file_path") else {
        return detail(422, "file_path: Field required");
    };
    let strict = call.parameters().get("strict") == Some(&Value::Bool(true));
    let cleaned: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "/!-_.*'() ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(MAX_KEY_LENGTH)
        .collect();
    if strict && cleaned != key {
        return detail(
            422,
            "The file path contains unsupported characters or is longer than 1024 characters",
        );
    }
    if key_workspace(store, &cleaned).is_none() {
        return detail(403, "Not allowed to write to this path");
    }
    let Body::Multipart(parts) = call.body() else {
        return detail(422, "file: Field required");
    };
    let Some(file) = parts.iter().find(|part| part.name == "file") else {
        return detail(422, "file: Field required");
    };
    let content_type = file
        .content_type
        .clone()
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    lock(&store.files).insert(
        cleaned.clone(),
        StoredFile {
            bytes: file.bytes.to_vec(),
            content_type: content_type.clone(),
            last_modified: now(),
        },
    );
    Answer::json(
        201,
        json!({ "filePath": cleaned, "contentType": content_type }),
    )
}

/// S3's listing: keys under `prefix` in order; with a delimiter, keys below the next
/// delimiter collapse into one folder. A page ends after `limit` entries, and the
/// continuation token is the path of its last entry.
fn list_files(store: &Store, call: &Call) -> Answer {
    let parameters = call.parameters();
    let prefix = parameters.str("prefix").unwrap_or_default();
    let delimiter = parameters.str("delimiter").filter(|d| !d.is_empty());
    let limit = parameters
        .get("limit")
        .and_then(Value::as_u64)
        .unwrap_or(10) as usize;
    let after = match parameters.str("continuation_token") {
        None => None,
        // A token the fake did not hand out is an error, not the first page again: a client
        // that mangles tokens would otherwise page forever.
        Some(token) => match base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
        {
            Some(after) => Some(after),
            None => {
                let problem = Problem::new(
                    "value_error",
                    vec![json!("query"), json!("continuation_token")],
                    "Value error, not a continuation token of this listing",
                    json!(token),
                );
                return Answer::json(422, json!({ "detail": [problem] }));
            }
        },
    };
    let with_urls = parameters.strings("expand").contains(&"url");
    // Listing across workspaces is not possible: anything else lists nothing.
    if key_workspace(store, prefix).is_none() {
        return Answer::json(200, json!({ "data": [], "nextContinuationToken": null }));
    }

    let files = lock(&store.files);
    let mut entries: Vec<(String, Value)> = Vec::new();
    for (key, file) in files.range(prefix.to_owned()..) {
        let Some(rest) = key.strip_prefix(prefix) else {
            break;
        };
        if let Some(folder) = delimiter.and_then(|d| rest.find(d).map(|at| &rest[..at + d.len()])) {
            let path = format!("{prefix}{folder}");
            if entries.last().is_some_and(|(last, _)| *last == path) {
                continue;
            }
            let name = folder.trim_end_matches(delimiter.unwrap_or("/"));
            entries.push((
                path.clone(),
                json!({ "type": "folder", "name": name, "path": path }),
            ));
            continue;
        }
        let name = key.rsplit('/').next().unwrap_or(key);
        let url = with_urls.then(|| download_url(store, call.base_url(), key));
        entries.push((
            key.clone(),
            json!({
                "type": "file",
                "name": name,
                "path": key,
                "url": url,
                "size": file.bytes.len(),
                "lastModified": file.last_modified,
            }),
        ));
    }
    let start = after.map_or(0, |after| {
        entries.partition_point(|(path, _)| *path <= after)
    });
    let page: Vec<&(String, Value)> = entries.iter().skip(start).take(limit).collect();
    let next = (start + page.len() < entries.len())
        .then(|| page.last())
        .flatten()
        .map(|(path, _)| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(path));
    let data: Vec<&Value> = page.iter().map(|(_, item)| item).collect();
    Answer::json(200, json!({ "data": data, "nextContinuationToken": next }))
}

fn download_url(store: &Store, base_url: &str, key: &str) -> String {
    let encoded: Vec<String> = key
        .split('/')
        .map(|segment| {
            percent_encoding::utf8_percent_encode(segment, percent_encoding::NON_ALPHANUMERIC)
                .to_string()
        })
        .collect();
    format!(
        "{}{DOWNLOAD_PREFIX}{}?signature={}",
        base_url,
        encoded.join("/"),
        store.download_secret
    )
}

/// `GET /_fake/files/<key>?signature=…`: the file behind a signed URL. The signature is
/// the credential, as with CloudFront; an `Authorization` header is not needed.
fn download(store: &Store, request: &Recorded) -> Answer {
    let path = request.decoded_path();
    let key = path.strip_prefix(DOWNLOAD_PREFIX).unwrap_or_default();
    let signed = request.query_pairs().iter().any(|(name, value)| {
        name == "signature"
            && crate::state::constant_time_eq(value.as_bytes(), store.download_secret.as_bytes())
    });
    if !signed {
        return detail(403, "Forbidden");
    }
    let files = lock(&store.files);
    match files.get(key) {
        Some(file) => Answer::bytes(200, &file.content_type, file.bytes.clone()),
        None => detail(404, "Not Found"),
    }
}

fn create_token(store: &Store, call: &Call) -> Answer {
    let scope = tokens_of(call);
    let body = json_body(call);
    let token = IssuedToken {
        id: Uuid::new_v4(),
        workspace: scope,
        name: body["name"].as_str().unwrap_or_default().to_owned(),
        created_at: now(),
        expires_at: body.get("expiresAt").cloned().unwrap_or(Value::Null),
        secret: format!("askui-fake-{}", Uuid::new_v4().simple()),
    };
    let answer = if scope.is_some() {
        json!({ "privateToken": token_json(&token), "tokenString": token.secret })
    } else {
        json!({ "token": token_json(&token), "tokenString": token.secret })
    };
    lock(&store.tokens).push(token);
    Answer::json(201, answer)
}

fn token_json(token: &IssuedToken) -> Value {
    let mut json = json!({
        "id": token.id,
        "name": token.name,
        "createdAt": token.created_at,
        "expiresAt": token.expires_at,
    });
    if token.workspace.is_none() {
        json["creatorId"] = json!("fake-user");
    }
    json
}

fn list_tokens(store: &Store, call: &Call) -> Answer {
    let scope = tokens_of(call);
    let tokens = lock(&store.tokens);
    let mine = tokens.iter().filter(|token| token.workspace == scope);
    if scope.is_some() {
        // A bare array, as documented (oddity 8).
        return Answer::json(200, Value::Array(mine.map(token_json).collect()));
    }
    let (skip, limit) = skip_and_limit(call.parameters());
    let data: Vec<Value> = mine.skip(skip).take(limit).map(token_json).collect();
    Answer::json(200, json!({ "data": data }))
}

fn delete_token(store: &Store, call: &Call) -> Answer {
    let scope = tokens_of(call);
    let id = call
        .parameters()
        .str("token_id")
        .and_then(|id| Uuid::parse_str(id).ok());
    let mut tokens = lock(&store.tokens);
    let before = tokens.len();
    tokens.retain(|token| !(Some(token.id) == id && token.workspace == scope));
    match (tokens.len() < before, scope.is_some()) {
        (true, _) => Answer::empty(204),
        (false, true) => Answer::json(
            404,
            json!({ "detail": [{ "msg": "Access token not found" }] }),
        ),
        (false, false) => detail(404, "Access token not found"),
    }
}

/// The token is sent raw or base64-encoded, "similar to the Authorization header".
fn lookup_token(store: &Store, call: &Call) -> Answer {
    let scope = tokens_of(call);
    let sent = json_body(call)["accessToken"].as_str().unwrap_or_default();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(sent)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let tokens = lock(&store.tokens);
    let found = tokens.iter().find(|token| {
        token.workspace == scope
            && (token.secret == sent || decoded.as_deref() == Some(token.secret.as_str()))
    });
    match found {
        Some(token) => Answer::json(200, json!({ "accessTokenId": token.id })),
        None => detail(404, "Access token not found"),
    }
}

fn create_agent(store: &Store, call: &Call) -> Answer {
    let command = json_body(call);
    let mut agents = lock(&store.agents);
    let same_name = agents.iter().any(|agent| {
        agent["workspaceId"] == command["workspaceId"] && agent["name"] == command["name"]
    });
    if same_name {
        return Answer::empty(409);
    }
    let trigger = &command["emailTrigger"];
    let local_part = trigger["localPart"]
        .as_str()
        .map_or_else(|| Uuid::new_v4().simple().to_string(), str::to_owned);
    let destinations: Vec<Value> = command["dataDestinations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|destination| {
            let mut stored = destination.clone();
            if destination["type"] == "WEBHOOK" {
                stored["headers"] = destination.get("headers").cloned().unwrap_or(json!({}));
            } else {
                stored["type"] = json!("ASKUI_WORKFLOW");
                stored["host"] = destination.get("host").cloned().unwrap_or(json!("ASKUI"));
                stored["runnerTags"] = destination.get("runnerTags").cloned().unwrap_or(json!([]));
            }
            stored
        })
        .collect();
    let time = now();
    let agent = json!({
        "id": Uuid::new_v4(),
        "createdAt": time,
        "updatedAt": time,
        "name": command["name"],
        "status": "ACTIVE",
        "autoConfirm": command.get("autoConfirm").cloned().unwrap_or(json!(false)),
        "description": command.get("description").cloned().unwrap_or(json!("")),
        "emailTrigger": {
            "active": trigger.get("active").cloned().unwrap_or(json!(true)),
            "allowedSenders": trigger.get("allowedSenders").cloned().unwrap_or(json!([])),
            "email": format!("{local_part}@agents.askui.example"),
        },
        "dataSchema": command.get("dataSchema").cloned().unwrap_or(Value::Null),
        "dataDestinations": destinations,
        "workspaceId": command["workspaceId"],
        "folderPath": format!("workspaces/{}/agents/{}", command["workspaceId"].as_str().unwrap_or_default(), command["name"].as_str().unwrap_or_default()),
    });
    agents.insert(0, agent.clone());
    Answer::json(201, agent)
}

fn list_agents(store: &Store, call: &Call) -> Answer {
    let parameters = call.parameters();
    let filter = |name: &str, field: &str, agent: &Value| {
        let wanted = parameters.strings(name);
        wanted.is_empty()
            || agent[field]
                .as_str()
                .is_some_and(|value| wanted.contains(&value))
    };
    let agents = lock(&store.agents);
    let matching: Vec<&Value> = agents
        .iter()
        .filter(|agent| {
            filter("agent_id", "id", agent)
                && filter("workspace_id", "workspaceId", agent)
                && filter("status", "status", agent)
        })
        .collect();
    let (skip, limit) = skip_and_limit(parameters);
    let page: Vec<&Value> = matching.iter().copied().skip(skip).take(limit).collect();
    let total = parameters
        .strings("expand")
        .contains(&"total_count")
        .then(|| matching.len().min(100));
    Answer::json(
        200,
        json!({
            "data": page,
            "hasMore": skip + page.len() < matching.len(),
            "totalCount": total,
        }),
    )
}

fn update_agent(store: &Store, call: &Call) -> Answer {
    let id = call.parameters().str("agent_id").unwrap_or_default();
    let update = json_body(call);
    let mut agents = lock(&store.agents);
    let Some(index) = agents.iter().position(|agent| agent["id"] == id) else {
        return detail(404, "Agent not found");
    };
    let mut agent = agents.remove(index);
    for field in ["name", "description", "status", "autoConfirm"] {
        if let Some(value) = update.get(field).filter(|value| !value.is_null()) {
            agent[field] = value.clone();
        }
    }
    let trigger = &update["emailTrigger"];
    for field in ["active", "allowedSenders"] {
        if let Some(value) = trigger.get(field).filter(|value| !value.is_null()) {
            agent["emailTrigger"][field] = value.clone();
        }
    }
    if let Some(local_part) = trigger["localPart"].as_str() {
        agent["emailTrigger"]["email"] = json!(format!("{local_part}@agents.askui.example"));
    }
    agent["updatedAt"] = json!(now());
    // Sorted by when they were last updated, newest first.
    agents.insert(0, agent.clone());
    Answer::json(200, agent)
}

/// The `skip`/`limit` paging of an AskUI list, with the document's defaults.
fn skip_and_limit(parameters: &Parameters) -> (usize, usize) {
    let number = |name: &str, default: u64| {
        let value = parameters
            .get(name)
            .and_then(Value::as_u64)
            .unwrap_or(default);
        usize::try_from(value).unwrap_or(usize::MAX)
    };
    (number("skip", 0), number("limit", 100))
}
