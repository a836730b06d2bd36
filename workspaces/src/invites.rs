//! Operations tagged `invites`.

use askui_runtime::{Error, askui_endpoint, askui_endpoints};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Email;
use crate::workspace_memberships::WorkspacePrivilege;

/// Invitations to workspaces.
#[cfg_attr(feature = "blocking", askui_endpoints(blocking))]
#[cfg_attr(not(feature = "blocking"), askui_endpoints)]
pub trait Invites: AsRef<askui_runtime::Client> {
    /// List User Invites: every valid invite of the authenticated user.
    ///
    /// Operation `list_user_invites_api_v1_invites_get`.
    ///
    /// Errors: 500 (no body).
    #[askui_endpoint(get, "/api/v1/invites")]
    async fn list_user_invites(&self) -> Result<ListInvitesResponse, Error>;

    /// List Invites of a workspace.
    ///
    /// Operation `list_invites_api_v1_workspaces__workspace_id__invites_get`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(get, "/api/v1/workspaces/{workspace_id}/invites")]
    async fn list_invites(&self, workspace_id: Uuid) -> Result<ListInvitesResponse, Error>;

    /// Create Invite: invites an email address to a workspace (201).
    ///
    /// Operation `create_invite_api_v1_workspaces__workspace_id__invites_post`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(post, "/api/v1/workspaces/{workspace_id}/invites")]
    async fn create_invite(
        &self,
        workspace_id: Uuid,
        body: &CreateInviteCommand,
    ) -> Result<InviteResponse, Error>;

    /// Process Invite: accept or decline it.
    ///
    /// Operation `process_invite_api_v1_workspaces__workspace_id__invites__invitation_id__put`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(put, "/api/v1/workspaces/{workspace_id}/invites/{invitation_id}")]
    async fn process_invite(
        &self,
        workspace_id: Uuid,
        invitation_id: Uuid,
        body: &ProcessWorkspaceInviteCommand,
    ) -> Result<InviteResponse, Error>;

    /// Revoke Invite: answers the revoked invite (200, unlike the other deletes).
    ///
    /// Operation `revoke_invite_api_v1_workspaces__workspace_id__invites__invitation_id__delete`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(delete, "/api/v1/workspaces/{workspace_id}/invites/{invitation_id}")]
    async fn revoke_invite(
        &self,
        workspace_id: Uuid,
        invitation_id: Uuid,
    ) -> Result<InviteResponse, Error>;
}

impl Invites for askui_runtime::Client {}

#[cfg(feature = "blocking")]
impl BlockingInvites for askui_runtime::blocking::Client {}

/// The request of [`Invites::create_invite`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateInviteCommand {
    /// Who to invite.
    pub email: Email,
    /// Their role once they accept.
    pub privilege: WorkspacePrivilege,
}

/// How to answer an invite.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InviteAction {
    /// Join the workspace.
    Accept,
    /// Do not join.
    Decline,
}

/// The request of [`Invites::process_invite`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessWorkspaceInviteCommand {
    /// Accept or decline.
    pub action: InviteAction,
}

/// The state of an invite. Values the API adds later read as [`InviteStatus::Unknown`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum InviteStatus {
    /// Waiting for an answer.
    Pending,
    /// Accepted.
    Accepted,
    /// Declined.
    Declined,
    /// Revoked by the workspace.
    Revoked,
    /// Expired.
    Expired,
    /// A status this client does not know yet.
    #[serde(other, skip_serializing)]
    Unknown,
}

/// An invite.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InviteResponse {
    /// The invite's id.
    pub id: Uuid,
    /// Who is invited.
    pub email: String,
    /// To which workspace.
    pub workspace_id: Uuid,
    /// Who invited them.
    pub inviter_id: String,
    /// Their privileges once they accept.
    pub privileges: Vec<WorkspacePrivilege>,
    /// Its state.
    pub status: InviteStatus,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
    /// The workspace's name.
    pub workspace_name: String,
}

/// The response of [`Invites::list_invites`] and [`Invites::list_user_invites`] (the
/// document's `ListInvitesResponse` and `ListUserInvitesResponse`, which are alike).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListInvitesResponse {
    /// The invites.
    pub invites: Vec<InviteResponse>,
}
