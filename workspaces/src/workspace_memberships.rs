//! Operations tagged `workspace-memberships`, and the membership types workspaces share.

use askui_runtime::{Error, askui_endpoint, askui_endpoints};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;
use uuid::Uuid;

/// Who belongs to which workspace, with which privileges.
#[cfg_attr(feature = "blocking", askui_endpoints(blocking))]
#[cfg_attr(not(feature = "blocking"), askui_endpoints)]
pub trait WorkspaceMemberships: AsRef<askui_runtime::Client> {
    /// List Workspace Membership of a user. **Deprecated** by the API: use
    /// [`list_workspace_memberships`](Self::list_workspace_memberships) with a `user_id`
    /// filter. The answer is a bare JSON array.
    ///
    /// Operation `list_workspace_membership_api_v1_users__user_id__workspace_memberships_get`.
    ///
    /// Errors: 422 for an invalid request.
    #[deprecated(
        note = "deprecated by the API: use `list_workspace_memberships` with a user filter"
    )]
    #[askui_endpoint(get, "/api/v1/users/{user_id}/workspace-memberships")]
    async fn list_user_workspace_memberships(
        &self,
        user_id: &str,
        #[query] expand: Option<UserMembershipsExpand>,
    ) -> Result<Vec<WorkspaceMembershipDto>, Error>;

    /// List Workspace Memberships, filtered by users and workspaces.
    ///
    /// Operation `list_workspace_memberships_api_v1_workspace_memberships_get`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(get, "/api/v1/workspace-memberships")]
    async fn list_workspace_memberships(
        &self,
        #[query(flatten)] query: &ListWorkspaceMembershipsQuery,
    ) -> Result<WorkspaceMembershipsListResponse, Error>;

    /// Create Workspace Membership: adds a user to a workspace (answers 200).
    ///
    /// Operation `create_workspace_membership_api_v1_workspace_memberships_post`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(post, "/api/v1/workspace-memberships")]
    async fn create_workspace_membership(
        &self,
        body: &CreateWorkspaceMembershipRequestDto,
    ) -> Result<CreateWorkspaceMembershipResponseDto, Error>;

    /// Delete Workspace Membership (204).
    ///
    /// Operation `delete_workspace_membership_api_v1_workspace_memberships__workspace_membership_id__delete`.
    ///
    /// Errors: 409 when it is the workspace's last owner (list-shaped `detail()`: delete the
    /// workspace instead); 422 for an invalid request.
    #[askui_endpoint(delete, "/api/v1/workspace-memberships/{workspace_membership_id}")]
    async fn delete_workspace_membership(&self, workspace_membership_id: Uuid)
    -> Result<(), Error>;
}

impl WorkspaceMemberships for askui_runtime::Client {}

#[cfg(feature = "blocking")]
impl BlockingWorkspaceMemberships for askui_runtime::blocking::Client {}

/// A member's role in a workspace. Values the API adds later read as
/// [`WorkspacePrivilege::Unknown`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum WorkspacePrivilege {
    /// `ROLE_WORKSPACE_OWNER`.
    #[serde(rename = "ROLE_WORKSPACE_OWNER")]
    Owner,
    /// `ROLE_WORKSPACE_ADMIN`.
    #[serde(rename = "ROLE_WORKSPACE_ADMIN")]
    Admin,
    /// `ROLE_WORKSPACE_MEMBER`.
    #[serde(rename = "ROLE_WORKSPACE_MEMBER")]
    Member,
    /// A privilege this client does not know yet (never send it).
    #[serde(other, skip_serializing)]
    Unknown,
}

/// What [`WorkspaceMemberships::list_user_workspace_memberships`] can expand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum UserMembershipsExpand {
    /// Include each membership's workspace.
    Workspace,
}

/// What [`WorkspaceMemberships::list_workspace_memberships`] can expand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum MembershipExpand {
    /// Include each membership's user.
    User,
    /// Include each membership's workspace.
    Workspace,
}

/// The query of [`WorkspaceMemberships::list_workspace_memberships`]: filters that combine
/// (none for all the caller may see), and what to expand.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ListWorkspaceMembershipsQuery {
    /// Only memberships of these users.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub user_id: Vec<String>,
    /// Only memberships of these workspaces.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub workspace_id: Vec<Uuid>,
    /// What to include with each membership.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expand: Vec<MembershipExpand>,
}

/// The request of [`WorkspaceMemberships::create_workspace_membership`].
///
/// ```
/// use askui_workspaces::workspace_memberships::{CreateWorkspaceMembershipRequestDto, WorkspacePrivilege};
/// use askui_workspaces::Uuid;
///
/// let body = CreateWorkspaceMembershipRequestDto::new("user-1", Uuid::nil(), Some(WorkspacePrivilege::Admin));
/// assert_eq!(
///     serde_json::to_string(&body).unwrap(),
///     r#"{"userId":"user-1","workspaceId":"00000000-0000-0000-0000-000000000000","privileges":["ROLE_WORKSPACE_ADMIN"]}"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateWorkspaceMembershipRequestDto {
    user_id: String,
    workspace_id: Uuid,
    /// At most one, as the document says (`maxItems: 1`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    privileges: Vec<WorkspacePrivilege>,
}

impl CreateWorkspaceMembershipRequestDto {
    /// Adds `user_id` to `workspace_id`, with `privilege` or the server's default.
    pub fn new(
        user_id: impl Into<String>,
        workspace_id: Uuid,
        privilege: Option<WorkspacePrivilege>,
    ) -> Self {
        Self {
            user_id: user_id.into(),
            workspace_id,
            privileges: privilege.into_iter().collect(),
        }
    }
}

/// A workspace token as part of a membership (snake_case on the wire).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceAccessToken {
    /// The token's id.
    #[serde(default)]
    pub id: Option<Uuid>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// Its name.
    pub name: String,
    /// A hash of the token (not the token).
    pub hash: String,
    /// When it stops working; `null` for never (always sent).
    pub expires_at: Option<DateTime<Utc>>,
}

/// The response of [`WorkspaceMemberships::create_workspace_membership`]: a membership
/// with its tokens, as [`WorkspaceMemberDto`].
pub type CreateWorkspaceMembershipResponseDto = WorkspaceMemberDto;

/// A membership as created with a workspace or returned with a renamed one (the document's
/// two `WorkspaceMembershipDto`s of the `workspaces` routes; the second has no tokens).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceMemberDto {
    /// The membership's id.
    #[serde(default)]
    pub id: Option<Uuid>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When it last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    /// The member.
    pub user_id: String,
    /// The workspace.
    pub workspace_id: Uuid,
    /// The member's privileges.
    pub privileges: Vec<WorkspacePrivilege>,
    /// The member's workspace tokens (empty when not sent).
    #[serde(default)]
    pub access_tokens: Vec<WorkspaceAccessToken>,
}

/// A membership as listed, with its user and workspace when expanded (the document's
/// `WorkspaceMembershipDto` of the `workspace-memberships` routes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceMembershipDto {
    /// The membership's id.
    #[serde(default)]
    pub id: Option<Uuid>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When it last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    /// The member's privileges.
    pub privileges: Vec<WorkspacePrivilege>,
    /// The member, when expanded.
    #[serde(default)]
    pub user: Option<UserDto>,
    /// The member's id.
    pub user_id: String,
    /// The workspace, when expanded.
    #[serde(default)]
    pub workspace: Option<WorkspaceDto>,
    /// The workspace's id.
    pub workspace_id: Uuid,
}

/// The response of [`WorkspaceMemberships::list_workspace_memberships`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceMembershipsListResponse {
    /// The memberships.
    pub data: Vec<WorkspaceMembershipDto>,
}

/// A user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserDto {
    /// The user's id.
    pub id: String,
    /// Their email address.
    pub email: String,
    /// Their name.
    pub name: String,
    /// Their picture.
    pub picture: Url,
    /// When the user last changed.
    pub updated_at: DateTime<Utc>,
    /// When the user was created.
    pub created_at: DateTime<Utc>,
    /// Whether the email address is verified.
    pub email_verified: bool,
}

/// A workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceDto {
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
}
