//! Types several tags share.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

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

/// A name newtype of 1 to `$max` characters, checked when built (and when read), so an
/// invalid one is an error before any I/O.
macro_rules! bounded_name {
    ($(#[$doc:meta])* $name:ident, $max:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Checks `name`.
            pub fn new(name: impl Into<String>) -> Result<Self, askui_runtime::Error> {
                let name = name.into();
                $crate::common::check_name("name", &name, $max)?;
                Ok($name(name))
            }

            /// The name.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = askui_runtime::Error;
            fn try_from(name: String) -> Result<Self, askui_runtime::Error> {
                $name::new(name)
            }
        }

        impl From<$name> for String {
            fn from(name: $name) -> String {
                name.0
            }
        }
    };
}
pub(crate) use bounded_name;

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

/// Gives a JSON object that lacks it its discriminator `tag`, picked by `infer` from its
/// fields: the document gives every discriminator a default but requires none, so a valid
/// answer may leave it out. An object that has the tag is left as it is (and fails to decode
/// if it does not fit that variant, rather than passing for another).
fn fill_tag(value: &mut Value, tag: &str, infer: fn(&Map<String, Value>) -> &'static str) {
    if let Value::Object(object) = value {
        if !object.contains_key(tag) {
            let inferred = infer(object);
            object.insert(tag.to_owned(), Value::from(inferred));
        }
    }
}

/// A list of tagged enums, each read with [`fill_tag`].
pub(crate) fn tagged_list<'de, D, T>(
    deserializer: D,
    tag: &str,
    infer: fn(&Map<String, Value>) -> &'static str,
) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Vec::<Value>::deserialize(deserializer)?
        .into_iter()
        .map(|mut value| {
            fill_tag(&mut value, tag, infer);
            serde_json::from_value(value).map_err(D::Error::custom)
        })
        .collect()
}

/// One tagged enum, read with [`fill_tag`].
pub(crate) fn tagged_one<'de, D, T>(
    deserializer: D,
    tag: &str,
    infer: fn(&Map<String, Value>) -> &'static str,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let mut value = Value::deserialize(deserializer)?;
    fill_tag(&mut value, tag, infer);
    serde_json::from_value(value).map_err(D::Error::custom)
}

/// One page of a `skip`/`limit` list (agents, agent executions): the document's
/// `AgentsListResponse` and `AgentExecutionsListResponse`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListResponse<T> {
    /// The items of this page.
    pub data: Vec<T>,
    /// Whether more items match.
    #[serde(default)]
    pub has_more: bool,
    /// How many match, when asked for (accurate up to 100).
    #[serde(default)]
    pub total_count: Option<i64>,
}
