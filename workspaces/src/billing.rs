//! Operations tagged `billing`.

use askui_runtime::{Error, askui_endpoint, askui_endpoints};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;
use uuid::Uuid;

/// Billing of a workspace: its Stripe subscription, prices, checkout and customer portal.
///
/// Implemented for [`Client`](askui_runtime::Client); a type of yours that holds a client
/// implements it with `impl AsRef<Client>` and `impl Billing for MyType {}`. The supertrait
/// lets generic code (`fn f(api: &impl Billing)`) call the methods. With the `blocking`
/// feature, [`BlockingBilling`] has the same methods for `askui_runtime::blocking::Client`.
#[cfg_attr(feature = "blocking", askui_endpoints(blocking))]
#[cfg_attr(not(feature = "blocking"), askui_endpoints)]
pub trait Billing: AsRef<askui_runtime::Client> {
    /// Create Customer Portal Session: a Stripe customer-portal URL for the workspace, which
    /// sends the user back to `returnUrl` when done.
    ///
    /// Operation `create_customer_portal_session_api_v1_workspaces__workspace_id__billing_customer_portal_session_post`.
    ///
    /// Errors: 404 when the workspace has no billing details (`detail()` says so), 422 for an
    /// invalid request (`validation()`).
    #[askui_endpoint(
        post,
        "/api/v1/workspaces/{workspace_id}/billing/customer-portal-session"
    )]
    async fn create_customer_portal_session(
        &self,
        workspace_id: Uuid,
        body: &CreateCustomerPortalSessionRequestDto,
    ) -> Result<CreateCustomerPortalSessionResponseDto, Error>;

    /// Create a Stripe Checkout Session: a checkout page where a trial-only workspace buys a
    /// subscription plan. The workspace must not already have an active Stripe subscription.
    ///
    /// Operation `create_checkout_session_api_v1_workspaces__workspace_id__billing_checkout_post`.
    ///
    /// Errors: 404 when the workspace has no billing details, 409 (no body) when it already
    /// has a subscription, 422 for an invalid request.
    #[askui_endpoint(post, "/api/v1/workspaces/{workspace_id}/billing/checkout")]
    async fn create_checkout_session(
        &self,
        workspace_id: Uuid,
        body: &CreateCheckoutSessionCommand,
    ) -> Result<CreateCheckoutSessionResponseDto, Error>;

    /// List available subscription prices: the prices configured for checkout, fetched from
    /// Stripe.
    ///
    /// Operation `list_prices_api_v1_workspaces__workspace_id__billing_prices_get`.
    ///
    /// Errors: 422 for an invalid request.
    #[askui_endpoint(get, "/api/v1/workspaces/{workspace_id}/billing/prices")]
    async fn list_prices(&self, workspace_id: Uuid) -> Result<ListPricesResponseDto, Error>;

    /// Get workspace subscription details, including Stripe product information.
    ///
    /// Operation `get_workspace_subscription_api_v1_workspaces__workspace_id__billing_subscription_get`.
    ///
    /// Errors: 404 when the workspace has no subscription, 500 (no body), 422 for an invalid
    /// request.
    #[askui_endpoint(get, "/api/v1/workspaces/{workspace_id}/billing/subscription")]
    async fn get_subscription(
        &self,
        workspace_id: Uuid,
    ) -> Result<GetSubscriptionResponseDto, Error>;
}

impl Billing for askui_runtime::Client {}

#[cfg(feature = "blocking")]
impl BlockingBilling for askui_runtime::blocking::Client {}

// The calls must stay usable in `tokio::spawn`: this fails to compile if a future is not `Send`.
const _: () = {
    fn assert_send<T: Send>(_: &T) {}
    #[allow(dead_code)]
    fn billing_futures_are_send(
        client: &askui_runtime::Client,
        body: &CreateCustomerPortalSessionRequestDto,
        checkout: &CreateCheckoutSessionCommand,
    ) {
        assert_send(&client.create_customer_portal_session(Uuid::nil(), body));
        assert_send(&client.create_checkout_session(Uuid::nil(), checkout));
        assert_send(&client.list_prices(Uuid::nil()));
        assert_send(&client.get_subscription(Uuid::nil()));
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

/// A URL Stripe sends the user back to: an absolute URI of 1 to 2083 characters, as the
/// document requires of `returnUrl`. Checked when built, so an invalid one is an error before
/// any I/O.
///
/// ```
/// use askui_workspaces::billing::ReturnUrl;
///
/// let url = ReturnUrl::new("https://example.com/back")?;
/// assert_eq!(url.as_str(), "https://example.com/back");
/// assert!(ReturnUrl::new("not a url").is_err());
/// # Ok::<(), askui_workspaces::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Url", into = "Url")]
pub struct ReturnUrl(Url);

impl ReturnUrl {
    /// Parses and checks `url`.
    pub fn new(url: impl AsRef<str>) -> Result<Self, Error> {
        let url = Url::parse(url.as_ref()).map_err(|error| {
            Error::invalid_argument("returnUrl", format!("not an absolute URL: {error}"))
        })?;
        Self::try_from(url)
    }

    /// The URL as sent.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The parsed URL.
    pub fn as_url(&self) -> &Url {
        &self.0
    }
}

impl TryFrom<Url> for ReturnUrl {
    type Error = Error;

    fn try_from(url: Url) -> Result<Self, Error> {
        check_length("returnUrl", &url)?;
        Ok(ReturnUrl(url))
    }
}

impl From<ReturnUrl> for Url {
    fn from(url: ReturnUrl) -> Url {
        url.0
    }
}

/// The request of [`Billing::create_customer_portal_session`]: `{"returnUrl": "…"}`.
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
#[serde(rename_all = "camelCase")]
pub struct CreateCustomerPortalSessionRequestDto {
    /// Where the portal sends the user back to.
    pub return_url: ReturnUrl,
}

impl CreateCustomerPortalSessionRequestDto {
    /// Parses and checks `return_url`.
    pub fn new(return_url: impl AsRef<str>) -> Result<Self, Error> {
        Ok(Self {
            return_url: ReturnUrl::new(return_url)?,
        })
    }

    /// Checks an already parsed `return_url`.
    pub fn from_url(return_url: Url) -> Result<Self, Error> {
        Ok(Self {
            return_url: ReturnUrl::try_from(return_url)?,
        })
    }

    /// Where the portal sends the user back to.
    pub fn return_url(&self) -> &Url {
        self.return_url.as_url()
    }
}

/// The response of [`Billing::create_customer_portal_session`]: `{"sessionUrl": "…"}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateCustomerPortalSessionResponseDto {
    /// The portal page to open.
    pub session_url: Url,
}

/// The request of [`Billing::create_checkout_session`]: which price to buy, and where to
/// come back to.
///
/// ```
/// use askui_workspaces::billing::{CreateCheckoutSessionCommand, ReturnUrl};
///
/// let body = CreateCheckoutSessionCommand {
///     price_id: "price_123".into(),
///     return_url: ReturnUrl::new("https://example.com/back")?,
/// };
/// assert_eq!(
///     serde_json::to_string(&body).unwrap(),
///     r#"{"priceId":"price_123","returnUrl":"https://example.com/back"}"#
/// );
/// # Ok::<(), askui_workspaces::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateCheckoutSessionCommand {
    /// The Stripe price, an [`PriceItemDto::id`] of [`Billing::list_prices`].
    pub price_id: String,
    /// Where checkout sends the user back to.
    pub return_url: ReturnUrl,
}

/// The response of [`Billing::create_checkout_session`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateCheckoutSessionResponseDto {
    /// The checkout page to open.
    pub session_url: Url,
}

/// The response of [`Billing::list_prices`]: every price available at checkout.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListPricesResponseDto {
    /// The prices.
    pub prices: Vec<PriceItemDto>,
}

/// One price of [`ListPricesResponseDto`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceItemDto {
    /// The Stripe price id, for [`CreateCheckoutSessionCommand::price_id`].
    pub id: String,
    /// The product's name.
    pub product_name: String,
    /// The amount per interval, in the currency's smallest unit (cents).
    pub unit_amount: i64,
    /// The ISO currency code, e.g. `eur`.
    pub currency: String,
    /// The billing interval, e.g. `month` or `year`.
    pub recurring_interval: String,
    /// How many intervals one billing period spans.
    pub recurring_interval_count: i64,
    /// The usage the product allows.
    pub product_allowed_usage: i64,
}

/// The response of [`Billing::get_subscription`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetSubscriptionResponseDto {
    /// When the current billing period started.
    pub current_period_start: DateTime<Utc>,
    /// When the current billing period ends.
    pub current_period_end: DateTime<Utc>,
    /// The subscribed items.
    #[serde(default)]
    pub items: Vec<SubscriptionItemDto>,
    /// Whether the subscription is a trial.
    #[serde(default)]
    pub is_trial: bool,
}

/// One item of [`GetSubscriptionResponseDto`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionItemDto {
    /// The usage the item allows.
    pub product_allowed_usage: i64,
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
        assert!(serde_json::from_str::<CreateCheckoutSessionCommand>(&long).is_err());
        let ok: CreateCustomerPortalSessionRequestDto =
            serde_json::from_str(r#"{"returnUrl":"https://a.example/x"}"#).unwrap();
        assert_eq!(ok.return_url().as_str(), "https://a.example/x");
    }
}
