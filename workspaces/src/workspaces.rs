//! Operations tagged `workspaces`.

use askui_runtime::{Error, askui_endpoint, askui_endpoints};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Email;
use crate::workspace_memberships::WorkspaceMemberDto;

/// Workspaces: create, rename, delete.
#[cfg_attr(feature = "blocking", askui_endpoints(blocking))]
#[cfg_attr(not(feature = "blocking"), askui_endpoints)]
pub trait Workspaces: AsRef<askui_runtime::Client> {
    /// Create Workspace (201), with its first member and billing account.
    ///
    /// Operation `create_workspace_api_v1_workspaces_post`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(post, "/api/v1/workspaces")]
    async fn create_workspace(
        &self,
        body: &CreateWorkspaceRequestDto,
    ) -> Result<CreateWorkspaceResponseDto, Error>;

    /// Update Workspace Name; `expand` adds the memberships to the answer.
    ///
    /// Operation `update_workspace_name_api_v1_workspaces__workspace_id__patch`.
    ///
    /// Errors: 404 when the workspace does not exist (list-shaped `detail()`); 422 for an
    /// invalid request.
    #[askui_endpoint(patch, "/api/v1/workspaces/{workspace_id}")]
    async fn update_workspace_name(
        &self,
        workspace_id: Uuid,
        body: &UpdateWorkspaceNameRequestDto,
        #[query] expand: Option<WorkspaceExpand>,
    ) -> Result<UpdateWorkspaceNameResponseDto, Error>;

    /// Delete Workspace (204).
    ///
    /// Operation `delete_workspace_api_v1_workspaces__workspace_id__delete`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(delete, "/api/v1/workspaces/{workspace_id}")]
    async fn delete_workspace(&self, workspace_id: Uuid) -> Result<(), Error>;
}

impl Workspaces for askui_runtime::Client {}

#[cfg(feature = "blocking")]
impl BlockingWorkspaces for askui_runtime::blocking::Client {}

crate::common::bounded_name!(
/// A workspace's name: 1 to 128 characters.
    WorkspaceName,
    128
);

/// The request of [`Workspaces::create_workspace`].
///
/// ```
/// use askui_workspaces::workspaces::{CreateWorkspaceRequestDto, WorkspaceName};
/// use askui_workspaces::Email;
///
/// let body = CreateWorkspaceRequestDto {
///     name: WorkspaceName::new("QA")?,
///     first_member_id: None,
///     billing_account_email: Email::new("billing@example.com")?,
/// };
/// assert_eq!(
///     serde_json::to_string(&body).unwrap(),
///     r#"{"name":"QA","billingAccountEmail":"billing@example.com"}"#
/// );
/// # Ok::<(), askui_workspaces::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateWorkspaceRequestDto {
    /// The workspace's name.
    pub name: WorkspaceName,
    /// Its first member, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_member_id: Option<String>,
    /// Who receives the bills.
    pub billing_account_email: Email,
}

/// The response of [`Workspaces::create_workspace`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateWorkspaceResponseDto {
    /// The workspace's id.
    #[serde(default)]
    pub id: Option<Uuid>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When it last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    /// Its name.
    pub name: String,
    /// Its members, with their tokens.
    pub memberships: Vec<WorkspaceMemberDto>,
}

/// What [`Workspaces::update_workspace_name`] can expand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum WorkspaceExpand {
    /// Include the memberships (`workspaceMemberships`).
    #[serde(rename = "workspaceMemberships")]
    WorkspaceMemberships,
}

/// The request of [`Workspaces::update_workspace_name`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateWorkspaceNameRequestDto {
    /// The new name.
    pub name: WorkspaceName,
}

/// The response of [`Workspaces::update_workspace_name`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateWorkspaceNameResponseDto {
    /// The workspace's id.
    #[serde(default)]
    pub id: Option<Uuid>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When it last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    /// Its name.
    pub name: String,
    /// Its members when expanded, `null` otherwise (always sent).
    pub memberships: Option<Vec<WorkspaceMemberDto>>,
}
