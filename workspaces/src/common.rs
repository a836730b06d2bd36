//! Types several tags share.

use serde::{Deserialize, Serialize};

use askui_runtime::Error;

/// An email address, checked when built: `local@domain.tld` without spaces (the document's
/// `format: email`).
///
/// ```
/// use askui_workspaces::Email;
///
/// assert_eq!(Email::new("ann@example.com")?.as_str(), "ann@example.com");
/// assert!(Email::new("ann").is_err());
/// # Ok::<(), askui_workspaces::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Checks `email`.
    pub fn new(email: impl Into<String>) -> Result<Self, Error> {
        let email = email.into();
        let valid = email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
        }) && !email.chars().any(char::is_whitespace);
        if !valid {
            return Err(Error::invalid_argument("email", "not an email address"));
        }
        Ok(Email(email))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = Error;
    fn try_from(email: String) -> Result<Self, Error> {
        Email::new(email)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.0
    }
}

/// A name of 1 to `MAX` characters, as several commands require; checked when built.
pub(crate) fn check_name(field: &'static str, name: &str, max: usize) -> Result<(), Error> {
    let length = name.chars().count();
    if !(1..=max).contains(&length) {
        return Err(Error::invalid_argument(
            field,
            format!("must be 1 to {max} characters, not {length}"),
        ));
    }
    Ok(())
}

/// A page size of 1 to `max`, as the list operations require.
pub(crate) fn check_limit(limit: u32, max: u32) -> Result<u32, Error> {
    if !(1..=max).contains(&limit) {
        return Err(Error::invalid_argument(
            "limit",
            format!("must be 1 to {max}, not {limit}"),
        ));
    }
    Ok(limit)
}
