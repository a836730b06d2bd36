//! Operations tagged `billing`.

use askui_runtime::{Error, askui_endpoint, askui_endpoints};
use serde::{Deserialize, Serialize};
use url::Url;
use uuid::Uuid;

/// Billing of a workspace.
///
/// Implemented for [`Client`](askui_runtime::Client); a type of yours that holds a client
/// implements it with `impl AsRef<Client>` and `impl Billing for MyType {}`. The supertrait
/// lets generic code (`fn f(api: &impl Billing)`) call the methods.
#[askui_endpoints]
pub trait Billing: AsRef<askui_runtime::Client> {
    /// Create Customer Portal Session: a Stripe customer-portal URL for the workspace, which
    /// sends the user back to `returnUrl` when done.
    ///
    /// Errors: 404 when the workspace has no billing details, 422 for an invalid request.
    #[askui_endpoint(
        post,
        "/api/v1/workspaces/{workspace_id}/billing/customer-portal-session"
    )]
    async fn create_customer_portal_session(
        &self,
        workspace_id: Uuid,
        body: &CreateCustomerPortalSessionRequestDto,
    ) -> Result<CreateCustomerPortalSessionResponseDto, Error>;
}

impl Billing for askui_runtime::Client {}

// The calls must stay usable in `tokio::spawn`: this fails to compile if a future is not `Send`.
const _: () = {
    fn assert_send<T: Send>(_: &T) {}
    #[allow(dead_code)]
    fn billing_futures_are_send(
        client: &askui_runtime::Client,
        body: &CreateCustomerPortalSessionRequestDto,
    ) {
        assert_send(&client.create_customer_portal_session(Uuid::nil(), body));
    }
    // And generic code can call the methods through the supertrait.
    #[allow(dead_code)]
    async fn generic_callers_work(
        api: &impl Billing,
        body: &CreateCustomerPortalSessionRequestDto,
    ) {
        let _ = api.create_customer_portal_session(Uuid::nil(), body).await;
    }
};

/// The spec's `maxLength` of `returnUrl` and `sessionUrl`.
pub const URL_MAX_LENGTH: usize = 2083;

/// The request of [`Billing::create_customer_portal_session`]: `{"returnUrl": "…"}`.
///
/// Built only through [`new`](Self::new) (or deserialization), which enforces the spec: an
/// absolute URI of 1 to 2083 characters. An invalid URL is an error before any I/O.
///
/// ```
/// use askui_workspaces::billing::CreateCustomerPortalSessionRequestDto;
///
/// let body = CreateCustomerPortalSessionRequestDto::new("https://example.com/back")?;
/// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"returnUrl":"https://example.com/back"}"#);
/// assert!(CreateCustomerPortalSessionRequestDto::new("not a url").is_err());
/// # Ok::<(), askui_workspaces::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "UncheckedRequest")]
pub struct CreateCustomerPortalSessionRequestDto {
    return_url: Url,
}

impl CreateCustomerPortalSessionRequestDto {
    /// Parses and checks `return_url`.
    pub fn new(return_url: impl AsRef<str>) -> Result<Self, Error> {
        let return_url = Url::parse(return_url.as_ref()).map_err(|error| {
            Error::invalid_argument("returnUrl", format!("not an absolute URL: {error}"))
        })?;
        Self::from_url(return_url)
    }

    /// Checks an already parsed `return_url`.
    pub fn from_url(return_url: Url) -> Result<Self, Error> {
        check_length("returnUrl", &return_url)?;
        Ok(Self { return_url })
    }

    /// Where the portal sends the user back to.
    pub fn return_url(&self) -> &Url {
        &self.return_url
    }
}

/// The response of [`Billing::create_customer_portal_session`]: `{"sessionUrl": "…"}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateCustomerPortalSessionResponseDto {
    /// The portal page to open.
    pub session_url: Url,
}

fn check_length(field: &'static str, url: &Url) -> Result<(), Error> {
    // The spec counts characters of the string sent, which is the normalized URL.
    let length = url.as_str().chars().count();
    if length > URL_MAX_LENGTH {
        return Err(Error::invalid_argument(
            field,
            format!("{length} characters is longer than the maximum of {URL_MAX_LENGTH}"),
        ));
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UncheckedRequest {
    return_url: Url,
}

impl TryFrom<UncheckedRequest> for CreateCustomerPortalSessionRequestDto {
    type Error = Error;

    fn try_from(unchecked: UncheckedRequest) -> Result<Self, Error> {
        Self::from_url(unchecked.return_url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use askui_runtime::ErrorKind;

    #[test]
    fn return_url_limits() {
        let base = "https://a.example/";
        let longest = format!("{base}{}", "x".repeat(URL_MAX_LENGTH - base.len()));
        assert!(CreateCustomerPortalSessionRequestDto::new(&longest).is_ok());
        let error = CreateCustomerPortalSessionRequestDto::new(format!("{longest}x")).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        assert!(error.to_string().contains("2084 characters"), "{error}");
        for bad in ["", "relative/path", "https://"] {
            let error = CreateCustomerPortalSessionRequestDto::new(bad).unwrap_err();
            assert!(
                error
                    .to_string()
                    .starts_with("invalid argument `returnUrl`"),
                "{error}"
            );
        }
    }

    #[test]
    fn deserialization_checks_too() {
        let long = format!(
            r#"{{"returnUrl":"https://a.example/{}"}}"#,
            "x".repeat(URL_MAX_LENGTH)
        );
        assert!(serde_json::from_str::<CreateCustomerPortalSessionRequestDto>(&long).is_err());
        let ok: CreateCustomerPortalSessionRequestDto =
            serde_json::from_str(r#"{"returnUrl":"https://a.example/x"}"#).unwrap();
        assert_eq!(ok.return_url().as_str(), "https://a.example/x");
    }
}
