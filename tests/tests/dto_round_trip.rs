//! A DTO round-trips every example or schema-generated instance of its schema.
//!
//! For every component schema of the AskUI Workspaces document that `askui-workspaces` has a
//! type for, the instance `askui_fake::schemas::instance_of(name)` generates (every optional
//! property filled, the first non-null branch of a union, one item per array, every value of
//! an `enum`) is decoded into that type, encoded again and compared with the instance as
//! JSON. Any property the type drops, changes or adds is a failure, except the few listed in
//! [`ADDED`] with their reason. Known, reported mismatches are listed in [`KNOWN_MISMATCHES`]
//! and must keep failing, so that an entry is removed once its cause is fixed.
//!
//! Normalization, kept minimal: two strings that both parse as RFC 3339 date-times compare
//! as instants (`2025-01-01T12:00:00Z` and `2025-01-01T12:00:00+00:00` are the same value).
//! Nothing else is normalized.
//!
//! Types that are only serialized (request DTOs that check their input in constructors and
//! implement no `Deserialize`) are built from the instance through their constructors and
//! public fields, then serialized; types that are only deserialized (the runtime's
//! `HttpValidationError`) are compared through a JSON view of their fields.
//!
//! Two more shapes per schema: the *minimal* instance (only required properties, plus the
//! `const` discriminators a union member needs to be told apart) and the *nulls* instance
//! (every nullable property `null`). Every type decodes both, and a type the client sends
//! encodes them into JSON valid under its schema (the minimal one exactly as it came).
//!
//! `every_schema_is_mapped_or_skipped` walks `askui_fake::schemas::names()`, so a schema
//! added to the document fails until it is mapped here or skipped with a reason.
//! `documented_error_examples_decode` serves every `example` of the document's responses
//! (and the two error schemas' instances) and checks what `askui_runtime::Error` makes of it.

use std::collections::{BTreeMap, BTreeSet};

use askui_fake::schemas;
use askui_runtime::{
    Client, Error, ErrorKind, HttpValidationError, LocItem, StatusCode, ValidationError,
    askui_endpoint, askui_endpoints,
};
use askui_tests::serve_answer;
use askui_workspaces::agent_executions::{AgentExecutionUpdateCommand, Delivery};
use askui_workspaces::agents::{AgentCreateCommand, AgentUpdateCommand};
use askui_workspaces::chrono::DateTime;
use askui_workspaces::{
    access_tokens, agent_executions, agents, analytics, auth, billing, dashboard, files, invites,
    runner_jobs, runs, schedules, tools, workspace_memberships, workspaces,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// Decodes an instance and encodes it again (or builds the DTO from it and encodes that).
type Codec = fn(&Value) -> Result<Value, String>;

/// Whether the client sends the type (then what it encodes must be valid under the schema,
/// whatever it decoded) or only reads it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Role {
    /// Only in answers.
    Read,
    /// In requests (or in both).
    Sent,
}

use Role::{Read, Sent};

/// `table! { Role "Schema" => codec; … }`: the rows of [`dtos`].
macro_rules! table {
    ($($role:ident $name:literal => $codec:expr;)*) => {
        vec![$(($name, $role, $codec as Codec)),*]
    };
}

/// Schema name → the type of `askui-workspaces` (or `askui-runtime`) that stands for it.
/// Several schemas share one type where the document repeats a shape under another name.
fn dtos() -> Vec<(&'static str, Role, Codec)> {
    use access_tokens as at;
    use agent_executions as ae;
    use workspace_memberships as wm;
    table! {
        // access-tokens
        Read "AccessTokenResponseDto" => both::<at::AccessTokenResponseDto>;
        Sent "CreateSubjectAccessTokenCommand" => both::<at::CreateSubjectAccessTokenCommand>;
        Read "CreateSubjectAccessTokenResponseDto" => both::<at::CreateSubjectAccessTokenResponseDto>;
        Sent "CreateWorkspaceAccessTokenRequestDto" => both::<at::CreateWorkspaceAccessTokenRequestDto>;
        Read "CreateWorkspaceAccessTokenResponseDto" => both::<at::CreateWorkspaceAccessTokenResponseDto>;
        Read "ListAccessTokenResponseDto" => both::<at::ListAccessTokenResponseDto>;
        Read "ListSubjectAccessTokensResponseDto" => both::<at::ListSubjectAccessTokensResponseDto>;
        Sent "LookupAccessTokenCommand" => lookup_access_token_command;
        Read "LookupAccessTokenResponseDto" => both::<at::LookupAccessTokenResponseDto>;
        Sent "LookupWorkspaceAccessTokenCommand" => lookup_access_token_command;
        Read "LookupWorkspaceAccessTokenResponseDto" => both::<at::LookupWorkspaceAccessTokenResponseDto>;
        Read "SubjectAccessTokenResponseDto" => both::<at::SubjectAccessTokenResponseDto>;
        // agents
        Read "Agent" => both::<agents::Agent>;
        Sent "AgentCreateCommand" => agent_create_command;
        Read "AgentTemplate" => both::<agents::AgentTemplate>;
        Sent "AgentUpdateCommand" => agent_update_command;
        Read "AgentsListResponse" => both::<agents::AgentsListResponse>;
        Read "DataDestinationAskUiWorkflow" => both::<agents::DataDestination>;
        Sent "DataDestinationAskUiWorkflowCreate" => both::<agents::DataDestinationCreate>;
        Read "DataDestinationWebhook" => both::<agents::DataDestination>;
        Sent "DataDestinationWebhookCreate" => both::<agents::DataDestinationCreate>;
        Read "EmailAgentTrigger" => both::<agents::EmailAgentTrigger>;
        Sent "EmailAgentTriggerCreate" => both::<agents::EmailAgentTriggerCreate>;
        Sent "EmailAgentTriggerUpdate" => both::<agents::EmailAgentTriggerUpdate>;
        Read "ListAgentTemplatesResponse" => both::<agents::ListAgentTemplatesResponse>;
        // agent-executions: the states of an execution are the variants of one enum; the
        // states an update sets are built through the command's constructors.
        Read "AgentExecution" => both::<ae::AgentExecution>;
        Read "AgentExecutionsListResponse" => both::<ae::AgentExecutionsListResponse>;
        Read "AgentExecutionStatePendingInputs" => both::<ae::AgentExecutionState>;
        Read "AgentExecutionStatePendingDataExtraction" => both::<ae::AgentExecutionState>;
        Read "AgentExecutionStatePendingReview" => both::<ae::AgentExecutionState>;
        Read "AgentExecutionStateCanceled" => both::<ae::AgentExecutionState>;
        Read "AgentExecutionStateConfirmed" => both::<ae::AgentExecutionState>;
        Read "workspaces__domain__entities__AgentExecutionStateDeliveredToDestination"
            => both::<ae::AgentExecutionState>;
        Sent "AgentExecutionUpdateCommand" => agent_execution_update_command;
        Sent "AgentExecutionPendingReview" => update_state;
        Sent "AgentExecutionCancel" => update_state;
        Sent "AgentExecutionConfirm" => update_state;
        Sent "workspaces__use_cases__agent_executions__update_agent_execution__AgentExecutionStateDeliveredToDestination"
            => update_state;
        // Deliveries are read in a delivered state and sent in a delivered update.
        Sent "DataDestinationDeliveryAskUiWorkflow" => both::<Delivery>;
        Sent "DataDestinationDeliveryWebhook" => both::<Delivery>;
        Sent "WebhookResponse" => both::<ae::WebhookResponse>;
        // analytics (`IdentifyCommand.traits` is the free-form `UserTraits`), auth, billing,
        // dashboard
        Sent "IdentifyCommand" => both::<analytics::IdentifyCommand>;
        Sent "UserTraits" => both::<Map<String, Value>>;
        Sent "SendVerificationEmailCommand" => send_verification_email_command;
        Read "SendVerificationEmailResponse" => both::<auth::SendVerificationEmailResponse>;
        Read "GetJobResponse" => both::<auth::GetJobResponse>;
        Sent "CreateCheckoutSessionCommand" => both::<billing::CreateCheckoutSessionCommand>;
        Read "CreateCheckoutSessionResponseDto" => both::<billing::CreateCheckoutSessionResponseDto>;
        Sent "CreateCustomerPortalSessionRequestDto" => both::<billing::CreateCustomerPortalSessionRequestDto>;
        Read "CreateCustomerPortalSessionResponseDto" => both::<billing::CreateCustomerPortalSessionResponseDto>;
        Read "GetSubscriptionResponseDto" => both::<billing::GetSubscriptionResponseDto>;
        Read "ListPricesResponseDto" => both::<billing::ListPricesResponseDto>;
        Read "PriceItemDto" => both::<billing::PriceItemDto>;
        Read "SubscriptionItemDto" => both::<billing::SubscriptionItemDto>;
        Read "AggregationResult" => both::<dashboard::AggregationResult>;
        Read "UsageEventsAggregateResponse" => both::<dashboard::UsageEventsAggregateResponse>;
        // files: a listed file or folder is a variant of `FileListItem`, which keeps `type`.
        Read "FileDto" => both::<files::FileListItem>;
        Read "FolderDto" => both::<files::FileListItem>;
        Read "FilesListResponseDto" => both::<files::FilesListResponseDto>;
        Sent "GenerateSignedCookiesCommand" => both::<files::GenerateSignedCookiesCommand>;
        Read "UploadFileResponse" => both::<files::UploadFileResponse>;
        // invites
        Sent "CreateInviteCommand" => both::<invites::CreateInviteCommand>;
        Sent "InviteActionEnum" => both::<invites::InviteAction>;
        Read "InviteResponse" => both::<invites::InviteResponse>;
        Read "InviteStatus" => both::<invites::InviteStatus>;
        Read "ListInvitesResponse" => both::<invites::ListInvitesResponse>;
        Read "ListUserInvitesResponse" => both::<invites::ListInvitesResponse>;
        Sent "ProcessWorkspaceInviteCommand" => both::<invites::ProcessWorkspaceInviteCommand>;
        // runner-jobs
        Sent "CompleteRunnerJobRequestDto" => both::<runner_jobs::CompleteRunnerJobRequestDto>;
        Read "LeaseRunnerJobResponseDto" => both::<runner_jobs::LeaseRunnerJobResponseDto>;
        Read "LeaseRunnerJobResponseDtoData" => both::<runner_jobs::LeaseRunnerJobResponseDtoData>;
        Read "LeaseRunnerJobResponseDtoDataCredentials"
            => both::<runner_jobs::LeaseRunnerJobResponseDtoDataCredentials>;
        Read "PingRunnerJobResponseDto" => both::<runner_jobs::PingRunnerJobResponseDto>;
        Read "RunnerJobStatus" => both::<runner_jobs::RunnerJobStatus>;
        // runs, schedules; `RunnerHost` is sent by the lease query and data destinations.
        Read "ListRunsResponseDto" => both::<runs::ListRunsResponseDto>;
        Read "RunResponseDto" => both::<runs::RunResponseDto>;
        Read "RunStatus" => both::<runs::RunStatus>;
        Sent "CreateScheduleRequestDto" => both::<schedules::CreateScheduleRequestDto>;
        Read "CreateScheduleResponseDto" => both::<schedules::CreateScheduleResponseDto>;
        Read "ScheduleReponseDto" => both::<schedules::ScheduleResponseDto>;
        Read "ScheduleStatus" => both::<schedules::ScheduleStatus>;
        Read "RunTemplate" => both::<schedules::RunTemplate>;
        Read "RunnerAssignment" => both::<schedules::RunnerAssignment>;
        Sent "RunnerHost" => both::<schedules::RunnerHost>;
        Sent "AskUiRunnerHost" => both::<schedules::RunnerHost>;
        // tools: `JsonSchema` is sent (agents, extraction) and read (agents).
        Sent "ExtractDataCommand" => extract_data_command;
        Read "ExtractDataResponse" => both::<tools::ExtractDataResponse>;
        Sent "JsonSchema" => both::<tools::JsonSchema>;
        // workspace-memberships, workspaces: the three `WorkspaceMembershipDto`s.
        Sent "CreateWorkspaceMembershipRequestDto" => create_workspace_membership_request;
        Read "CreateWorkspaceMembershipResponseDto" => both::<wm::CreateWorkspaceMembershipResponseDto>;
        Read "workspaces__entrypoints__http__routers__workspaces__main__CreateWorkspaceResponseDto__WorkspaceMembershipDto"
            => both::<wm::WorkspaceMemberDto>;
        Read "workspaces__entrypoints__http__routers__workspaces__main__UpdateWorkspaceNameResponseDto__WorkspaceMembershipDto"
            => both::<wm::WorkspaceMemberDto>;
        Read "workspaces__use_cases__workspace_memberships__list_workspace_memberships__WorkspaceMembershipDto"
            => both::<wm::WorkspaceMembershipDto>;
        Read "WorkspaceMembershipsListResponse" => both::<wm::WorkspaceMembershipsListResponse>;
        Read "WorkspaceAccessToken" => both::<wm::WorkspaceAccessToken>;
        Read "UserDto" => both::<wm::UserDto>;
        Read "WorkspaceDto" => both::<wm::WorkspaceDto>;
        Sent "WorkspacePrivilege" => both::<wm::WorkspacePrivilege>;
        Sent "CreateWorkspaceRequestDto" => both::<workspaces::CreateWorkspaceRequestDto>;
        Read "CreateWorkspaceResponseDto" => both::<workspaces::CreateWorkspaceResponseDto>;
        Sent "UpdateWorkspaceNameRequestDto" => both::<workspaces::UpdateWorkspaceNameRequestDto>;
        Read "UpdateWorkspaceNameResponseDto" => both::<workspaces::UpdateWorkspaceNameResponseDto>;
        // The runtime's error types (`Deserialize` only), compared through a view.
        Read "HTTPValidationError" => http_validation_error;
        Read "ValidationError" => validation_error;
    }
}

/// Schemas without a JSON DTO, and why.
const SKIPPED: &[(&str, &str)] = &[
    (
        "Body_create_agent_execution_api_v1_agent_executions_post",
        "multipart/form-data body: `agent_executions::InputFiles` builds its `input_files` parts",
    ),
    (
        "Body_upload_file_api_v1_files__file_path__put",
        "multipart/form-data body: `files::UploadFile` builds its `file` part",
    ),
    (
        "StringErrorResponse",
        "an error body, read by `askui_runtime::Error` (`detail()`), not a DTO: checked by \
         `documented_error_examples_decode`",
    ),
];

/// Properties a type encodes although the schema it stands for does not declare them,
/// because one Rust type serves several schemas of the document that differ only in
/// optional properties (the type writes them as `null` or `[]`): `(schema, JSON pointer of
/// the property, reason)`. Only answer-only (`Read`) types may appear here, and each entry
/// must still be needed (`every_added_property_is_needed`).
const ADDED: &[(&str, &str, &str)] = &[
    (
        "CreateScheduleResponseDto",
        "/version",
        "`ScheduleResponseDto` also stands for `ScheduleReponseDto`, which has `version`",
    ),
    (
        "CreateScheduleResponseDto",
        "/next_run_to_be_started_at",
        "`ScheduleResponseDto` also stands for `ScheduleReponseDto`, which has it",
    ),
    (
        "workspaces__entrypoints__http__routers__workspaces__main__UpdateWorkspaceNameResponseDto__WorkspaceMembershipDto",
        "/accessTokens",
        "`WorkspaceMemberDto` also stands for the create-workspace membership, which has it",
    ),
    (
        "UpdateWorkspaceNameResponseDto",
        "/memberships/0/accessTokens",
        "`WorkspaceMemberDto` also stands for the create-workspace membership, which has it",
    ),
];

/// The shapes of an instance each type is fed (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Shape {
    /// As generated: every property.
    Generated,
    /// Only the required properties and the discriminators.
    Minimal,
    /// Every nullable property `null`.
    Nulls,
}

use Shape::{Generated, Minimal, Nulls};

/// Known, reported mismatches between a type and the document: `(schema, shapes, reason)`.
/// These shapes of these schemas are left out of the checks, and must still FAIL them
/// (`known_mismatches_still_fail`), so an entry cannot outlive its cause.
const KNOWN_MISMATCHES: &[(&str, &[Shape], &str)] = &[];

// ---------------------------------------------------------------------------------------
// Codecs.
// ---------------------------------------------------------------------------------------

fn de<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    serde_json::from_value(value.clone()).map_err(|error| format!("decoding: {error}"))
}

fn ser<T: Serialize>(dto: &T) -> Result<Value, String> {
    serde_json::to_value(dto).map_err(|error| format!("encoding: {error}"))
}

/// A property of `object` decoded as `T`; `None` if absent or `null`.
fn field<T: DeserializeOwned>(object: &Value, name: &str) -> Result<Option<T>, String> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => de(value)
            .map(Some)
            .map_err(|error| format!("`{name}`: {error}")),
    }
}

fn required<T: DeserializeOwned>(object: &Value, name: &str) -> Result<T, String> {
    field(object, name)?.ok_or_else(|| format!("`{name}` is missing"))
}

fn invalid(error: Error) -> String {
    format!("constructor: {error}")
}

/// A type that implements both `Deserialize` and `Serialize`.
fn both<T: Serialize + DeserializeOwned>(value: &Value) -> Result<Value, String> {
    ser(&de::<T>(value)?)
}

fn lookup_access_token_command(value: &Value) -> Result<Value, String> {
    let token: String = required(value, "accessToken")?;
    ser(&access_tokens::LookupAccessTokenCommand::new(token).map_err(invalid)?)
}

fn send_verification_email_command(value: &Value) -> Result<Value, String> {
    let email: String = required(value, "email")?;
    ser(&auth::SendVerificationEmailCommand::new(email).map_err(invalid)?)
}

fn extract_data_command(value: &Value) -> Result<Value, String> {
    let paths: Vec<String> = required(value, "filePaths")?;
    let schema: tools::JsonSchema = required(value, "dataSchema")?;
    ser(&tools::ExtractDataCommand::new(paths, schema).map_err(invalid)?)
}

fn create_workspace_membership_request(value: &Value) -> Result<Value, String> {
    let privileges: Vec<workspace_memberships::WorkspacePrivilege> =
        field(value, "privileges")?.unwrap_or_default();
    if privileges.len() > 1 {
        return Err("more than one privilege (the document allows one)".into());
    }
    ser(
        &workspace_memberships::CreateWorkspaceMembershipRequestDto::new(
            required::<String>(value, "userId")?,
            required(value, "workspaceId")?,
            privileges.first().copied(),
        ),
    )
}

fn agent_create_command(value: &Value) -> Result<Value, String> {
    let mut command = AgentCreateCommand::new(
        required(value, "name")?,
        required(value, "workspaceId")?,
        required::<String>(value, "templateId")?,
    )
    .map_err(invalid)?;
    command.description = field(value, "description")?;
    command.data_schema = field(value, "dataSchema")?;
    command.auto_confirm = field(value, "autoConfirm")?;
    command.data_destinations = field(value, "dataDestinations")?.unwrap_or_default();
    command.parent_id = field(value, "parentId")?;
    command.email_trigger = field(value, "emailTrigger")?;
    ser(&command)
}

fn agent_update_command(value: &Value) -> Result<Value, String> {
    ser(&AgentUpdateCommand {
        name: field(value, "name")?,
        description: field(value, "description")?,
        status: field(value, "status")?,
        email_trigger: field(value, "emailTrigger")?,
        auto_confirm: field(value, "autoConfirm")?,
    })
}

/// The update command that sets `state`, through the constructor for its `status`.
fn update_command(state: &Value) -> Result<AgentExecutionUpdateCommand, String> {
    match state["status"].as_str() {
        Some("PENDING_REVIEW") => {
            AgentExecutionUpdateCommand::review(required(state, "dataExtracted")?).map_err(invalid)
        }
        Some("CANCELED") => Ok(AgentExecutionUpdateCommand::cancel()),
        Some("CONFIRMED") => {
            AgentExecutionUpdateCommand::confirm(required(state, "dataConfirmed")?).map_err(invalid)
        }
        Some("DELIVERED_TO_DESTINATION") => Ok(AgentExecutionUpdateCommand::delivered(
            field::<Vec<Delivery>>(state, "deliveries")?.unwrap_or_default(),
        )),
        other => Err(format!("no constructor for the state {other:?}")),
    }
}

fn agent_execution_update_command(value: &Value) -> Result<Value, String> {
    ser(&update_command(&value["state"])?)
}

/// A member of `AgentExecutionUpdateCommand.state`: the `state` of the command built for it.
fn update_state(state: &Value) -> Result<Value, String> {
    let command = ser(&update_command(state)?)?;
    Ok(command["state"].clone())
}

fn validation_error_view(error: &ValidationError) -> Value {
    let loc: Vec<Value> = error
        .loc
        .iter()
        .map(|item| match item {
            LocItem::Name(name) => json!(name),
            LocItem::Index(index) => json!(index),
        })
        .collect();
    json!({"loc": loc, "msg": error.msg, "type": error.error_type})
}

fn validation_error(value: &Value) -> Result<Value, String> {
    Ok(validation_error_view(&de::<ValidationError>(value)?))
}

fn http_validation_error(value: &Value) -> Result<Value, String> {
    let error: HttpValidationError = de(value)?;
    let detail: Vec<Value> = error.detail.iter().map(validation_error_view).collect();
    Ok(json!({ "detail": detail }))
}

// ---------------------------------------------------------------------------------------
// Instances and comparison.
// ---------------------------------------------------------------------------------------

fn schema_of(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn resolve(schema: &Value) -> &Value {
    askui_fake::spec().resolve(schema)
}

/// The instances of schema `name`: the generated one, or each value of an `enum`.
fn instances(name: &str) -> Vec<Value> {
    let schema = resolve(&schema_of(name)).clone();
    match schema.get("enum").and_then(Value::as_array) {
        Some(values) => values.clone(),
        None => vec![schemas::instance_of(name).expect("a schema of the document")],
    }
}

fn members(schema: &Value) -> Option<&Vec<Value>> {
    schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array)
}

/// `value` with only the required properties of `schema` (recursively), plus the `const`
/// ones: those are discriminators, and without them a member of a `oneOf` matches several
/// branches (spec/operations.md, oddity 5). Free-form entries are kept.
fn minimal(schema: &Value, value: &Value) -> Value {
    let schema = resolve(schema);
    if let Some(members) = members(schema) {
        return members
            .iter()
            .find(|member| schemas::check(member, value).is_ok())
            .map_or_else(|| value.clone(), |member| minimal(member, value));
    }
    match value {
        Value::Object(object) => {
            let Some(properties) = schema["properties"].as_object() else {
                return value.clone();
            };
            let required: Vec<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            object
                .iter()
                .filter_map(|(key, item)| match properties.get(key) {
                    Some(property)
                        if required.contains(&key.as_str())
                            || resolve(property).get("const").is_some() =>
                    {
                        Some((key.clone(), minimal(property, item)))
                    }
                    Some(_) => None,
                    None => Some((key.clone(), item.clone())),
                })
                .collect()
        }
        Value::Array(items) => items
            .iter()
            .map(|item| minimal(&schema["items"], item))
            .collect(),
        _ => value.clone(),
    }
}

fn is_nullable(schema: &Value) -> bool {
    let schema = resolve(schema);
    schema["type"] == "null"
        || members(schema).is_some_and(|members| members.iter().any(is_nullable))
}

/// `value` with every property whose schema allows `null` set to `null` (recursively).
fn nulls(schema: &Value, value: &Value) -> Value {
    let schema = resolve(schema);
    if let Some(members) = members(schema) {
        return members
            .iter()
            .find(|member| {
                resolve(member)["type"] != "null" && schemas::check(member, value).is_ok()
            })
            .map_or_else(|| value.clone(), |member| nulls(member, value));
    }
    match value {
        Value::Object(object) => object
            .iter()
            .map(|(key, item)| match schema["properties"].get(key) {
                Some(property) if is_nullable(property) => (key.clone(), Value::Null),
                Some(property) => (key.clone(), nulls(property, item)),
                None => (key.clone(), item.clone()),
            })
            .collect(),
        Value::Array(items) => items
            .iter()
            .map(|item| nulls(&schema["items"], item))
            .collect(),
        _ => value.clone(),
    }
}

/// Two strings that both parse as RFC 3339 date-times compare as instants; everything else
/// compares as it is.
fn same_scalar(expected: &Value, actual: &Value) -> bool {
    if let (Some(expected), Some(actual)) = (expected.as_str(), actual.as_str()) {
        if let (Ok(expected), Ok(actual)) = (
            DateTime::parse_from_rfc3339(expected),
            DateTime::parse_from_rfc3339(actual),
        ) {
            return expected == actual;
        }
    }
    expected == actual
}

/// How `actual` departs from `expected`, one line per property, by JSON pointer.
fn differences(pointer: &str, expected: &Value, actual: &Value, found: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(expected), Value::Object(actual)) => {
            for (key, value) in expected {
                let inner = format!("{pointer}/{key}");
                match actual.get(key) {
                    Some(other) => differences(&inner, value, other, found),
                    None => found.push(format!("dropped {inner} (was {value})")),
                }
            }
            for (key, value) in actual {
                if !expected.contains_key(key) {
                    found.push(format!("added {pointer}/{key} = {value}"));
                }
            }
        }
        (Value::Array(expected), Value::Array(actual)) if expected.len() == actual.len() => {
            for (index, (value, other)) in expected.iter().zip(actual).enumerate() {
                differences(&format!("{pointer}/{index}"), value, other, found);
            }
        }
        _ if same_scalar(expected, actual) => {}
        _ => found.push(format!("changed {pointer}: {expected} became {actual}")),
    }
}

/// The departures of `actual` from `expected` that [`ADDED`] does not allow for `name`.
fn unexpected(name: &str, expected: &Value, actual: &Value) -> Vec<String> {
    let mut found = Vec::new();
    differences("", expected, actual, &mut found);
    found.retain(|line| {
        !ADDED.iter().any(|(schema, pointer, _)| {
            *schema == name
                && line
                    .strip_prefix("added ")
                    .and_then(|rest| rest.split_once(" = "))
                    .is_some_and(|(added, _)| added == *pointer)
        })
    });
    found
}

fn shaped(name: &str, shape: Shape, instance: &Value) -> Value {
    let schema = schema_of(name);
    match shape {
        Generated => instance.clone(),
        Minimal => minimal(&schema, instance),
        Nulls => nulls(&schema, instance),
    }
}

/// What is wrong with `codec` on `value`, the `shape` of an instance of schema `name`: every
/// shape must decode; the generated one must encode back to itself (but for [`ADDED`]) as
/// JSON valid under the schema; a type the client sends must encode every shape as valid
/// JSON, and the minimal one back to itself.
fn problems(name: &str, role: Role, codec: Codec, shape: Shape, value: &Value) -> Vec<String> {
    let encoded = match codec(value) {
        Ok(encoded) => encoded,
        Err(error) => return vec![error],
    };
    let mut problems = Vec::new();
    if shape == Generated || (role == Sent && shape == Minimal) {
        problems.extend(unexpected(name, value, &encoded));
    }
    if shape == Generated || role == Sent {
        if let Err(invalid) = schemas::check(&schema_of(name), &encoded) {
            problems.push(format!(
                "encodes {encoded}, which is not valid: {invalid:?}"
            ));
        }
    }
    problems
}

fn is_known(name: &str, shape: Shape) -> bool {
    KNOWN_MISMATCHES
        .iter()
        .any(|(schema, shapes, _)| *schema == name && shapes.contains(&shape))
}

/// [`problems`] of `shapes` of every mapped schema, but the known mismatches.
fn check_all(shapes: &[Shape]) -> Vec<String> {
    let mut failures = Vec::new();
    for (name, role, codec) in dtos() {
        for instance in instances(name) {
            for &shape in shapes {
                if is_known(name, shape) {
                    continue;
                }
                let value = shaped(name, shape, &instance);
                for problem in problems(name, role, codec, shape, &value) {
                    failures.push(format!("{name} ({shape:?}): {problem}; instance {value}"));
                }
            }
        }
    }
    failures
}

// ---------------------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------------------

#[test]
fn every_schema_is_mapped_or_skipped() {
    let names: BTreeSet<&str> = schemas::names().into_iter().collect();
    assert_eq!(names.len(), 107, "the document has 107 component schemas");
    let mapped: Vec<&str> = dtos().iter().map(|(name, _, _)| *name).collect();
    let skipped: Vec<&str> = SKIPPED.iter().map(|(name, _)| *name).collect();

    let mut seen = BTreeMap::new();
    for name in mapped.iter().chain(&skipped) {
        *seen.entry(*name).or_insert(0) += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, count)| **count > 1).collect();
    assert!(
        twice.is_empty(),
        "mapped or skipped more than once: {twice:?}"
    );

    let uncovered: Vec<&&str> = names
        .iter()
        .filter(|name| !seen.contains_key(*name))
        .collect();
    assert!(
        uncovered.is_empty(),
        "schemas of the document with no DTO mapped in `dtos()` and not in `SKIPPED`: \
         {uncovered:#?}"
    );
    let stale: Vec<&&str> = seen.keys().filter(|name| !names.contains(*name)).collect();
    assert!(stale.is_empty(), "not schemas of the document: {stale:?}");
    for (name, _, _) in ADDED {
        assert!(
            mapped.contains(name),
            "ADDED names an unmapped schema: {name}"
        );
        let role = dtos().into_iter().find(|(n, _, _)| n == name).unwrap().1;
        assert_eq!(
            role, Read,
            "a type the client sends may not add properties: {name}"
        );
    }
    for (name, _, _) in KNOWN_MISMATCHES {
        assert!(
            mapped.contains(name),
            "KNOWN_MISMATCHES names an unmapped schema: {name}"
        );
    }
}

#[test]
fn generated_instances_are_valid() {
    // The instances fed to the DTOs are valid under their schemas, whole and reduced.
    let mut failures = Vec::new();
    for name in schemas::names() {
        let schema = schema_of(name);
        for instance in instances(name) {
            for (shape, value) in [
                ("generated", instance.clone()),
                ("minimal", minimal(&schema, &instance)),
                ("nulls", nulls(&schema, &instance)),
            ] {
                if let Err(problems) = schemas::check(&schema, &value) {
                    failures.push(format!("{name} ({shape}) {value}: {problems:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn every_dto_round_trips_its_generated_instance() {
    let failures = check_all(&[Generated]);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn every_dto_reads_its_minimal_and_null_instances() {
    let failures = check_all(&[Minimal, Nulls]);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn every_added_property_is_needed() {
    for (name, pointer, reason) in ADDED {
        let codec = dtos().into_iter().find(|(n, _, _)| n == name).unwrap().2;
        let instance = schemas::instance_of(name).unwrap();
        let mut found = Vec::new();
        differences("", &instance, &codec(&instance).unwrap(), &mut found);
        assert!(
            found
                .iter()
                .any(|line| line.starts_with(&format!("added {pointer} = "))),
            "{name} no longer adds {pointer}: remove it from ADDED ({reason})"
        );
    }
}

#[test]
fn known_mismatches_still_fail() {
    for (name, shapes, reason) in KNOWN_MISMATCHES {
        let (_, role, codec) = dtos().into_iter().find(|(n, _, _)| n == name).unwrap();
        for instance in instances(name) {
            for &shape in *shapes {
                let value = shaped(name, shape, &instance);
                assert!(
                    !problems(name, role, codec, shape, &value).is_empty(),
                    "{name} ({shape:?}) passes now: remove it from KNOWN_MISMATCHES ({reason})"
                );
            }
        }
    }
}

/// Mismatches this test found once, fixed: they stay fixed.
#[test]
fn fixed_mismatches_stay_fixed() {
    // `AggregationResult.date` is described (not formatted) as `YYYY-MM-DD`: the generator
    // reads the description, and the DTO's `NaiveDate` round-trips it.
    let row = schemas::instance_of("AggregationResult").unwrap();
    assert_eq!(row["date"], "2025-01-01");
    assert_eq!(both::<dashboard::AggregationResult>(&row).unwrap(), row);

    // An ASKUI_WORKFLOW destination without workflows is valid: read, and sent without them.
    let schema = schema_of("DataDestinationAskUiWorkflowCreate");
    let bare = json!({"type": "ASKUI_WORKFLOW"});
    assert_eq!(schemas::check(&schema, &bare), Ok(()));
    assert_eq!(both::<agents::DataDestinationCreate>(&bare).unwrap(), bare);
    let mut command = AgentCreateCommand::new(
        agents::AgentName::new("a").unwrap(),
        askui_workspaces::Uuid::nil(),
        "t",
    )
    .unwrap();
    command.data_destinations = vec![agents::DataDestinationCreate::AskuiWorkflow {
        host: None,
        runner_tags: Vec::new(),
        workflows: Vec::new(),
    }];
    let sent = serde_json::to_value(&command).unwrap();
    assert_eq!(sent["dataDestinations"], json!([bare]));
}

#[askui_endpoints]
trait Probe {
    #[askui_endpoint(get, "/probe")]
    async fn probe(&self) -> Result<Value, Error>;
}

impl Probe for Client {}

/// The error of a call answered with `status` and `body`.
async fn error_of(status: u16, body: &Value) -> Error {
    let (_server, client) = serve_answer(status, Some(body)).await;
    let error = client.probe().await.expect_err("an error status");
    assert_eq!(error.kind(), ErrorKind::Status);
    assert_eq!(error.status(), StatusCode::from_u16(status).ok());
    error
}

/// Every `example` (and `examples` entry) of the document's responses.
fn response_examples() -> Vec<(String, u16, Value)> {
    let mut found = Vec::new();
    for (path, item) in schemas::document()["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                for (_, media) in response["content"].as_object().into_iter().flatten() {
                    let examples = media.get("example").cloned().into_iter().chain(
                        media["examples"]
                            .as_object()
                            .into_iter()
                            .flatten()
                            .map(|(_, example)| example["value"].clone()),
                    );
                    for example in examples {
                        found.push((
                            format!("{method} {path} {status}"),
                            status.parse().unwrap(),
                            example,
                        ));
                    }
                }
            }
        }
    }
    found
}

#[tokio::test]
async fn documented_error_examples_decode() {
    let examples = response_examples();
    assert_eq!(examples.len(), 8, "{examples:#?}");
    for (operation, status, example) in examples {
        // All list-shaped `detail`s of `msg`s only (spec/operations.md, oddity 11c).
        let messages: Vec<&str> = example["detail"]
            .as_array()
            .unwrap_or_else(|| panic!("{operation}: {example}"))
            .iter()
            .map(|item| item["msg"].as_str().unwrap())
            .collect();
        let error = error_of(status, &example).await;
        assert_eq!(
            error.detail().as_deref(),
            Some(messages.join("; ").as_str()),
            "{operation}"
        );
        assert!(error.validation().is_none(), "{operation}");
    }

    // The two error schemas, as generated.
    let string_error = schemas::instance_of("StringErrorResponse").unwrap();
    for status in [400, 401, 403, 404, 409, 413, 422, 500] {
        let error = error_of(status, &string_error).await;
        assert_eq!(error.detail().as_deref(), string_error["detail"].as_str());
    }
    let validation = schemas::instance_of("HTTPValidationError").unwrap();
    let error = error_of(422, &validation).await;
    let decoded = error.validation().expect("a 422 HTTPValidationError");
    let view: Vec<Value> = decoded.detail.iter().map(validation_error_view).collect();
    assert_eq!(json!({ "detail": view }), validation);
    assert_eq!(error.detail().as_deref(), Some("example: example"));
}
