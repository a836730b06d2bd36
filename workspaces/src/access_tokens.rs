//! Operations tagged `access-tokens`: the caller's own (subject) tokens and workspace tokens.

use std::fmt;

use askui_runtime::paging::{self, More, Offset};
use askui_runtime::{Error, askui_endpoint, askui_endpoints};
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

/// Access tokens: create, list, look up and delete the caller's tokens and a workspace's.
///
/// Implemented for [`Client`](askui_runtime::Client); with the `blocking` feature,
/// [`BlockingAccessTokens`] has the same methods for `askui_runtime::blocking::Client`.
#[cfg_attr(feature = "blocking", askui_endpoints(blocking))]
#[cfg_attr(not(feature = "blocking"), askui_endpoints)]
pub trait AccessTokens: AsRef<askui_runtime::Client> {
    /// Create Access Token: a token of the caller's own (subject), answered with its secret
    /// once.
    ///
    /// Operation `create_access_token_api_v1_access_tokens_post`.
    ///
    /// Errors: 401, 403, 500 with a string `detail()`; 422 for an invalid request.
    #[askui_endpoint(post, "/api/v1/access-tokens")]
    async fn create_access_token(
        &self,
        body: &CreateSubjectAccessTokenCommand,
    ) -> Result<CreateSubjectAccessTokenResponseDto, Error>;

    /// List Access Tokens: the caller's tokens, or a subject's, a page at a time.
    ///
    /// Operation `list_access_tokens_api_v1_access_tokens_get`.
    ///
    /// Errors: 401, 500 with a string `detail()`; 422 for an invalid request.
    #[askui_endpoint(get, "/api/v1/access-tokens")]
    async fn list_access_tokens(
        &self,
        #[query(flatten)] query: &ListAccessTokensQuery,
    ) -> Result<ListSubjectAccessTokensResponseDto, Error>;

    /// Lookup Global Access Token ID: converts a sensitive global-level access token into
    /// its stable identifier, so that clients can refer to a token (to delete it, or to get
    /// its usage) without sending its value. The token may be base64-encoded (as in an
    /// `Authorization` header) or raw.
    ///
    /// Operation `lookup_access_token_api_v1_access_tokens_lookup_post`.
    ///
    /// Errors: 401, 404, 500 with a string `detail()`; 422 for an invalid request.
    #[askui_endpoint(post, "/api/v1/access-tokens/lookup")]
    async fn lookup_access_token(
        &self,
        body: &LookupAccessTokenCommand,
    ) -> Result<LookupAccessTokenResponseDto, Error>;

    /// Delete Access Token: one of the caller's tokens (204).
    ///
    /// Operation `delete_access_token_api_v1_access_tokens__token_id__delete`.
    ///
    /// Errors: 401, 403, 404, 500 with a string `detail()`; 422 for an invalid request.
    #[askui_endpoint(delete, "/api/v1/access-tokens/{token_id}")]
    async fn delete_access_token(&self, token_id: Uuid) -> Result<(), Error>;

    /// Create Access Token for a workspace, answered with its secret once.
    ///
    /// Operation `create_access_token_api_v1_workspaces__workspace_id__access_tokens_post`.
    ///
    /// Errors: 404 when the caller is not a member of the workspace (list-shaped
    /// `detail()`); 422 for an invalid request.
    #[askui_endpoint(post, "/api/v1/workspaces/{workspace_id}/access-tokens")]
    async fn create_workspace_access_token(
        &self,
        workspace_id: Uuid,
        body: &CreateWorkspaceAccessTokenRequestDto,
    ) -> Result<CreateWorkspaceAccessTokenResponseDto, Error>;

    /// List Access Tokens of a workspace (the answer is a bare JSON array).
    ///
    /// Operation `list_access_tokens_api_v1_workspaces__workspace_id__access_tokens_get`.
    ///
    /// Errors: 404 when the caller is not a member of the workspace (list-shaped
    /// `detail()`); 422 for an invalid request.
    #[askui_endpoint(get, "/api/v1/workspaces/{workspace_id}/access-tokens")]
    async fn list_workspace_access_tokens(
        &self,
        workspace_id: Uuid,
    ) -> Result<Vec<ListAccessTokenResponseDto>, Error>;

    /// Lookup Workspace Access Token ID: converts a sensitive workspace-level access token
    /// into its stable identifier within the workspace (see
    /// [`lookup_access_token`](Self::lookup_access_token)).
    ///
    /// Operation `lookup_workspace_access_token_api_v1_workspaces__workspace_id__access_tokens_lookup_post`.
    ///
    /// Errors: 401, 403, 404, 500 with a string `detail()`; 422 for an invalid request.
    #[askui_endpoint(post, "/api/v1/workspaces/{workspace_id}/access-tokens/lookup")]
    async fn lookup_workspace_access_token(
        &self,
        workspace_id: Uuid,
        body: &LookupWorkspaceAccessTokenCommand,
    ) -> Result<LookupWorkspaceAccessTokenResponseDto, Error>;

    /// Delete Access Token of a workspace (204).
    ///
    /// Operation `delete_access_token_api_v1_workspaces__workspace_id__access_tokens__token_id__delete`.
    ///
    /// Errors: 404 when the caller is not a member of the workspace (list-shaped
    /// `detail()`); 422 for an invalid request.
    #[askui_endpoint(delete, "/api/v1/workspaces/{workspace_id}/access-tokens/{token_id}")]
    async fn delete_workspace_access_token(
        &self,
        workspace_id: Uuid,
        token_id: Uuid,
    ) -> Result<(), Error>;

    /// Every token matching `query`, page after page
    /// ([`list_access_tokens`](Self::list_access_tokens) with `skip` advanced until a page
    /// comes back short, as this list has no `hasMore`).
    fn all_access_tokens(
        &self,
        query: ListAccessTokensQuery,
    ) -> impl futures_core::Stream<Item = Result<SubjectAccessTokenResponseDto, Error>> + Send + '_
    where
        Self: Sync,
    {
        paging::stream(
            ListAccessTokensQuery::PAGING,
            query,
            move |page| async move { self.list_access_tokens(&page).await },
        )
    }
}

impl AccessTokens for askui_runtime::Client {}

#[cfg(feature = "blocking")]
impl BlockingAccessTokens for askui_runtime::blocking::Client {}

/// The paging helper of [`AccessTokens`] for blocking clients: implemented for every
/// [`BlockingAccessTokens`] (`askui_runtime::blocking::Client` among them).
#[cfg(feature = "blocking")]
pub trait BlockingAccessTokensExt: BlockingAccessTokens {
    /// [`AccessTokens::all_access_tokens`] for blocking code: every token matching `query`,
    /// page after page, as an `Iterator` that calls
    /// [`list_access_tokens`](BlockingAccessTokens::list_access_tokens) for the next page as
    /// it is advanced, until a page comes back short. It ends after the first error.
    fn all_access_tokens(
        &self,
        query: ListAccessTokensQuery,
    ) -> impl Iterator<Item = Result<SubjectAccessTokenResponseDto, Error>> + Send + '_
    where
        Self: Sync,
    {
        paging::iter(ListAccessTokensQuery::PAGING, query, |page| {
            self.list_access_tokens(page)
        })
    }
}

#[cfg(feature = "blocking")]
impl<T: BlockingAccessTokens + ?Sized> BlockingAccessTokensExt for T {}

/// The secret value of an access token: never shown by `Debug`, sent and read as a plain
/// string on the wire.
///
/// ```
/// use askui_workspaces::access_tokens::TokenSecret;
///
/// let secret = TokenSecret::new("s3cr3t");
/// assert_eq!(format!("{secret:?}"), "TokenSecret(<redacted>)");
/// assert_eq!(secret.expose_secret(), "s3cr3t");
/// ```
#[derive(Clone)]
pub struct TokenSecret(SecretString);

impl TokenSecret {
    /// Wraps a token value.
    pub fn new(secret: impl Into<String>) -> Self {
        TokenSecret(SecretString::from(secret.into()))
    }

    /// The token value, e.g. for `askui_runtime::Auth::basic`.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for TokenSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenSecret(<redacted>)")
    }
}

impl Serialize for TokenSecret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose_secret())
    }
}

impl<'de> Deserialize<'de> for TokenSecret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(TokenSecret::new)
    }
}

fn non_empty(token: String) -> Result<TokenSecret, Error> {
    if token.is_empty() {
        return Err(Error::invalid_argument("accessToken", "must not be empty"));
    }
    Ok(TokenSecret::new(token))
}

crate::common::bounded_name!(
/// A token's name: 1 to 128 characters, as the document requires. Checked when built, so
/// an invalid name is an error before any I/O.
    TokenName,
    128
);

/// The request of [`AccessTokens::create_access_token`].
///
/// ```
/// use askui_workspaces::access_tokens::{CreateSubjectAccessTokenCommand, TokenName};
///
/// let body = CreateSubjectAccessTokenCommand { name: TokenName::new("ci")?, expires_at: None };
/// // An optional field left out is not sent.
/// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"name":"ci"}"#);
/// assert!(TokenName::new("").is_err());
/// # Ok::<(), askui_workspaces::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateSubjectAccessTokenCommand {
    /// The token's name.
    pub name: TokenName,
    /// When the token stops working; never if `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

/// The request of [`AccessTokens::create_workspace_access_token`]: the same fields as
/// [`CreateSubjectAccessTokenCommand`].
pub type CreateWorkspaceAccessTokenRequestDto = CreateSubjectAccessTokenCommand;

/// A subject's token as listed and created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubjectAccessTokenResponseDto {
    /// The token's id.
    #[serde(default)]
    pub id: Option<Uuid>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// The token's name.
    pub name: String,
    /// When it stops working; `null` for never (always sent).
    pub expires_at: Option<DateTime<Utc>>,
    /// Who created it.
    pub creator_id: String,
}

/// The response of [`AccessTokens::create_access_token`]: the token and, once, its secret.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateSubjectAccessTokenResponseDto {
    /// The new token.
    pub token: SubjectAccessTokenResponseDto,
    /// Its secret value, shown only in this answer.
    pub token_string: TokenSecret,
}

/// Query parameters of [`AccessTokens::list_access_tokens`], checked when set.
///
/// ```
/// use askui_workspaces::access_tokens::ListAccessTokensQuery;
///
/// let query = ListAccessTokensQuery::new().skip(100).limit(50)?;
/// assert!(ListAccessTokensQuery::new().limit(0).is_err());
/// # Ok::<(), askui_workspaces::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ListAccessTokensQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    subject_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
}

impl ListAccessTokensQuery {
    /// No filter, the server's paging (the first 100).
    pub fn new() -> Self {
        Self::default()
    }

    /// Only the tokens of this subject.
    pub fn subject_id(mut self, subject_id: impl Into<String>) -> Self {
        self.subject_id = Some(subject_id.into());
        self
    }

    /// Skips this many tokens.
    pub fn skip(mut self, skip: u64) -> Self {
        self.skip = Some(skip);
        self
    }

    /// At most this many tokens, 1 to 100.
    pub fn limit(mut self, limit: u32) -> Result<Self, Error> {
        self.limit = Some(crate::common::check_limit(limit, 100)?);
        Ok(self)
    }
}

impl ListAccessTokensQuery {
    /// `skip` advanced past the tokens seen, while pages come back full: this list has no
    /// `hasMore`.
    const PAGING: Offset<Self, ListSubjectAccessTokensResponseDto, SubjectAccessTokenResponseDto> =
        Offset::new(
            |query| query.skip,
            Self::skip,
            |page| page.data,
            More::WhileFull(|query| query.limit.unwrap_or(100).into()),
        );
}

/// The response of [`AccessTokens::list_access_tokens`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListSubjectAccessTokensResponseDto {
    /// One page of tokens.
    pub data: Vec<SubjectAccessTokenResponseDto>,
}

/// The request of [`AccessTokens::lookup_access_token`]: the sensitive token value.
///
/// ```
/// use askui_workspaces::access_tokens::LookupAccessTokenCommand;
///
/// let body = LookupAccessTokenCommand::new("s3cr3t")?;
/// assert!(!format!("{body:?}").contains("s3cr3t"));
/// assert!(LookupAccessTokenCommand::new("").is_err());
/// # Ok::<(), askui_workspaces::Error>(())
/// ```
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LookupAccessTokenCommand {
    access_token: TokenSecret,
}

impl LookupAccessTokenCommand {
    /// The token to look up, raw or base64-encoded; an empty one is an error before any I/O.
    pub fn new(access_token: impl Into<String>) -> Result<Self, Error> {
        Ok(Self {
            access_token: non_empty(access_token.into())?,
        })
    }

    /// The token to look up.
    pub fn access_token(&self) -> &TokenSecret {
        &self.access_token
    }
}

/// The response of [`AccessTokens::lookup_access_token`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LookupAccessTokenResponseDto {
    /// The token's stable, non-sensitive id.
    pub access_token_id: Uuid,
}

/// The request of [`AccessTokens::lookup_workspace_access_token`]: the same as
/// [`LookupAccessTokenCommand`].
pub type LookupWorkspaceAccessTokenCommand = LookupAccessTokenCommand;

/// The response of [`AccessTokens::lookup_workspace_access_token`]: the same as
/// [`LookupAccessTokenResponseDto`].
pub type LookupWorkspaceAccessTokenResponseDto = LookupAccessTokenResponseDto;

/// A workspace token as created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessTokenResponseDto {
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// The token's id.
    pub id: Uuid,
    /// The token's name.
    pub name: String,
    /// When it stops working; never if `None`.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// The response of [`AccessTokens::create_workspace_access_token`]: the token and, once,
/// its secret.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateWorkspaceAccessTokenResponseDto {
    /// The new token.
    pub private_token: AccessTokenResponseDto,
    /// Its secret value, shown only in this answer.
    pub token_string: TokenSecret,
}

/// One token of [`AccessTokens::list_workspace_access_tokens`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListAccessTokenResponseDto {
    /// The token's id.
    pub id: Uuid,
    /// The token's name.
    pub name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it stops working; never if `None`.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

// The calls must stay usable in `tokio::spawn`: this fails to compile if a future is not `Send`.
const _: () = {
    fn assert_send<T: Send>(_: &T) {}
    #[allow(dead_code)]
    fn access_token_futures_are_send(
        client: &askui_runtime::Client,
        query: &ListAccessTokensQuery,
    ) {
        assert_send(&client.list_access_tokens(query));
        assert_send(&client.delete_workspace_access_token(Uuid::nil(), Uuid::nil()));
    }
};
