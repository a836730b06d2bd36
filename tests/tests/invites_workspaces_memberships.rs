//! The `invites`, `workspaces` and `workspace-memberships` operations of `askui-workspaces`
//! on the wire: the exact request, the documented success answer decoded (and checked
//! against the document, as is the request), and a documented error shape.

use askui_tests::serve_answer;
use askui_tests::spec::conforms;
use askui_workspaces::invites::{
    CreateInviteCommand, InviteAction, InviteStatus, Invites, ProcessWorkspaceInviteCommand,
};
use askui_workspaces::workspace_memberships::{
    CreateWorkspaceMembershipRequestDto, ListWorkspaceMembershipsQuery, MembershipExpand,
    UserMembershipsExpand, WorkspaceMemberships, WorkspacePrivilege,
};
use askui_workspaces::workspaces::{
    CreateWorkspaceRequestDto, UpdateWorkspaceNameRequestDto, WorkspaceExpand, WorkspaceName,
    Workspaces,
};
use askui_workspaces::{Client, Email};
use serde_json::{Value, json};
use uuid::Uuid;

const WORKSPACE: Uuid = Uuid::from_u128(0x3f0c_5a1e_9b7d_4c2a_8e61_0d4f_2b9a_7c15);
const OTHER: Uuid = Uuid::from_u128(0x9d2e_41c0_5b7a_4f3e_a1c2_7e8f_0b1d_2c3a);
const WS: &str = "3f0c5a1e-9b7d-4c2a-8e61-0d4f2b9a7c15";
const OT: &str = "9d2e41c0-5b7a-4f3e-a1c2-7e8f0b1d2c3a";

fn invite(status: &str) -> Value {
    json!({"id": OT, "email": "bob@example.com", "workspaceId": WS, "inviterId": "ann",
        "privileges": ["ROLE_WORKSPACE_MEMBER"], "status": status,
        "updatedAt": "2026-11-01T10:00:00Z", "expiresAt": "2026-11-08T10:00:00Z",
        "workspaceName": "QA"})
}

#[tokio::test]
async fn invites() {
    let list = json!({"invites": [invite("pending"), invite("superseded")]});
    let (server, client) = serve_answer(200, Some(&list)).await;
    let mine = client.list_user_invites().await.unwrap();
    assert_eq!(mine.invites[0].status, InviteStatus::Pending);
    assert_eq!(
        mine.invites[1].status,
        InviteStatus::Unknown,
        "a status added later"
    );
    let request = server.only_request();
    assert_eq!(request.target, "/api/v1/invites");
    conforms(
        &<Client as Invites>::LIST_USER_INVITES,
        &request,
        200,
        Some(&json!({"invites": [invite("pending")]})),
    );

    let list = json!({"invites": [invite("accepted")]});
    let (server, client) = serve_answer(200, Some(&list)).await;
    assert_eq!(
        client.list_invites(WORKSPACE).await.unwrap().invites.len(),
        1
    );
    let request = server.only_request();
    assert_eq!(request.target, format!("/api/v1/workspaces/{WS}/invites"));
    conforms(
        &<Client as Invites>::LIST_INVITES,
        &request,
        200,
        Some(&list),
    );

    let created = invite("pending");
    let (server, client) = serve_answer(201, Some(&created)).await;
    let body = CreateInviteCommand {
        email: Email::new("bob@example.com").unwrap(),
        privilege: WorkspacePrivilege::Member,
    };
    assert_eq!(
        client.create_invite(WORKSPACE, &body).await.unwrap().id,
        OTHER
    );
    let request = server.only_request();
    assert_eq!(
        request.json(),
        json!({"email": "bob@example.com", "privilege": "ROLE_WORKSPACE_MEMBER"})
    );
    conforms(
        &<Client as Invites>::CREATE_INVITE,
        &request,
        201,
        Some(&created),
    );

    let accepted = invite("accepted");
    let (server, client) = serve_answer(200, Some(&accepted)).await;
    let answer = client
        .process_invite(
            WORKSPACE,
            OTHER,
            &ProcessWorkspaceInviteCommand {
                action: InviteAction::Accept,
            },
        )
        .await
        .unwrap();
    assert_eq!(answer.status, InviteStatus::Accepted);
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("PUT", &*format!("/api/v1/workspaces/{WS}/invites/{OT}"))
    );
    assert_eq!(request.json(), json!({"action": "accept"}));
    conforms(
        &<Client as Invites>::PROCESS_INVITE,
        &request,
        200,
        Some(&accepted),
    );

    let revoked = invite("revoked");
    let (server, client) = serve_answer(200, Some(&revoked)).await;
    assert_eq!(
        client.revoke_invite(WORKSPACE, OTHER).await.unwrap().status,
        InviteStatus::Revoked
    );
    let request = server.only_request();
    assert_eq!(request.method, "DELETE");
    conforms(
        &<Client as Invites>::REVOKE_INVITE,
        &request,
        200,
        Some(&revoked),
    );

    let (_server, client) = serve_answer(500, None).await;
    let error = client.list_user_invites().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
}

fn member(tokens: bool) -> Value {
    let mut member = json!({"id": OT, "userId": "ann", "workspaceId": WS,
        "privileges": ["ROLE_WORKSPACE_OWNER"]});
    if tokens {
        member["accessTokens"] = json!([{"name": "ci", "hash": "h1", "expires_at": null}]);
    }
    member
}

#[tokio::test]
async fn workspaces() {
    let created = json!({"id": WS, "name": "QA", "memberships": [member(true)]});
    let (server, client) = serve_answer(201, Some(&created)).await;
    let body = CreateWorkspaceRequestDto {
        name: WorkspaceName::new("QA").unwrap(),
        first_member_id: Some("ann".into()),
        billing_account_email: Email::new("billing@example.com").unwrap(),
    };
    let workspace = client.create_workspace(&body).await.unwrap();
    assert_eq!(
        workspace.memberships[0].privileges,
        [WorkspacePrivilege::Owner]
    );
    assert_eq!(workspace.memberships[0].access_tokens[0].hash, "h1");
    let request = server.only_request();
    assert_eq!(
        request.json(),
        json!({"name": "QA", "firstMemberId": "ann", "billingAccountEmail": "billing@example.com"})
    );
    conforms(
        &<Client as Workspaces>::CREATE_WORKSPACE,
        &request,
        201,
        Some(&created),
    );

    let renamed = json!({"id": WS, "name": "QA 2", "memberships": [member(false)]});
    let (server, client) = serve_answer(200, Some(&renamed)).await;
    let body = UpdateWorkspaceNameRequestDto {
        name: WorkspaceName::new("QA 2").unwrap(),
    };
    let answer = client
        .update_workspace_name(
            WORKSPACE,
            &body,
            Some(WorkspaceExpand::WorkspaceMemberships),
        )
        .await
        .unwrap();
    assert_eq!(answer.memberships.unwrap().len(), 1);
    let request = server.only_request();
    assert_eq!(
        request.target,
        format!("/api/v1/workspaces/{WS}?expand=workspaceMemberships")
    );
    conforms(
        &<Client as Workspaces>::UPDATE_WORKSPACE_NAME,
        &request,
        200,
        Some(&renamed),
    );
    // Without `expand` the memberships are `null`, and still present.
    let plain = json!({"id": WS, "name": "QA 2", "memberships": null});
    let (_server, client) = serve_answer(200, Some(&plain)).await;
    assert_eq!(
        client
            .update_workspace_name(WORKSPACE, &body, None)
            .await
            .unwrap()
            .memberships,
        None
    );

    let (_server, client) = serve_answer(
        404,
        Some(&json!({"detail": [{"msg": "Workspace not found"}]})),
    )
    .await;
    let error = client
        .update_workspace_name(WORKSPACE, &body, None)
        .await
        .unwrap_err();
    assert_eq!(error.detail().as_deref(), Some("Workspace not found"));

    let (server, client) = serve_answer(204, None).await;
    client.delete_workspace(WORKSPACE).await.unwrap();
    let request = server.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("DELETE", &*format!("/api/v1/workspaces/{WS}"))
    );
    conforms(
        &<Client as Workspaces>::DELETE_WORKSPACE,
        &request,
        204,
        None,
    );
    assert!(WorkspaceName::new("").is_err());
}

#[tokio::test]
async fn workspace_memberships() {
    let listed = json!({"data": [{"id": OT, "privileges": ["ROLE_WORKSPACE_ADMIN"], "userId": "ann",
        "workspaceId": WS, "user": {"id": "ann", "email": "ann@example.com", "name": "Ann",
        "picture": "https://example.com/ann.png", "updatedAt": "2026-11-01T10:00:00Z",
        "createdAt": "2026-10-01T10:00:00Z", "emailVerified": true}, "workspace": null}]});
    let (server, client) = serve_answer(200, Some(&listed)).await;
    let query = ListWorkspaceMembershipsQuery {
        user_id: vec!["ann".into()],
        workspace_id: vec![WORKSPACE, OTHER],
        expand: vec![MembershipExpand::User, MembershipExpand::Workspace],
    };
    let memberships = client.list_workspace_memberships(&query).await.unwrap();
    assert_eq!(memberships.data[0].user.as_ref().unwrap().name, "Ann");
    let request = server.only_request();
    assert_eq!(
        request.target,
        format!(
            "/api/v1/workspace-memberships?user_id=ann&workspace_id={WS}&workspace_id={OT}&expand=user&expand=workspace"
        )
    );
    conforms(
        &<Client as WorkspaceMemberships>::LIST_WORKSPACE_MEMBERSHIPS,
        &request,
        200,
        Some(&listed),
    );

    let bare =
        json!([{"privileges": ["ROLE_WORKSPACE_MEMBER"], "userId": "ann", "workspaceId": WS}]);
    let (server, client) = serve_answer(200, Some(&bare)).await;
    #[allow(deprecated)]
    let memberships = client
        .list_user_workspace_memberships("ann", Some(UserMembershipsExpand::Workspace))
        .await
        .unwrap();
    assert_eq!(memberships[0].privileges, [WorkspacePrivilege::Member]);
    let request = server.only_request();
    assert_eq!(
        request.target,
        "/api/v1/users/ann/workspace-memberships?expand=workspace"
    );
    conforms(
        &<Client as WorkspaceMemberships>::LIST_USER_WORKSPACE_MEMBERSHIPS,
        &request,
        200,
        Some(&bare),
    );

    let created = json!({"id": OT, "userId": "bob", "workspaceId": WS, "privileges": ["ROLE_WORKSPACE_ADMIN"]});
    let (server, client) = serve_answer(200, Some(&created)).await;
    let body =
        CreateWorkspaceMembershipRequestDto::new("bob", WORKSPACE, Some(WorkspacePrivilege::Admin));
    let membership = client.create_workspace_membership(&body).await.unwrap();
    assert!(
        membership.access_tokens.is_empty(),
        "the document's default"
    );
    let request = server.only_request();
    assert_eq!(
        request.json(),
        json!({"userId": "bob", "workspaceId": WS, "privileges": ["ROLE_WORKSPACE_ADMIN"]})
    );
    conforms(
        &<Client as WorkspaceMemberships>::CREATE_WORKSPACE_MEMBERSHIP,
        &request,
        200,
        Some(&created),
    );

    let (server, client) = serve_answer(204, None).await;
    client.delete_workspace_membership(OTHER).await.unwrap();
    let request = server.only_request();
    assert_eq!(
        request.target,
        format!("/api/v1/workspace-memberships/{OT}")
    );
    conforms(
        &<Client as WorkspaceMemberships>::DELETE_WORKSPACE_MEMBERSHIP,
        &request,
        204,
        None,
    );

    let last_owner = json!({"detail": [{"msg": "Cannot delete the last ROLE_WORKSPACE_OWNER of the workspace. Please, delete the workspace instead."}]});
    let (_server, client) = serve_answer(409, Some(&last_owner)).await;
    let error = client.delete_workspace_membership(OTHER).await.unwrap_err();
    assert!(
        error
            .detail()
            .unwrap()
            .starts_with("Cannot delete the last")
    );
}
