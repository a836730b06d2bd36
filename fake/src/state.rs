//! What the fake remembers between requests: files, access tokens and agents. Everything
//! else is answered from the document alone.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Mutex, MutexGuard, PoisonError};

use base64::Engine as _;
use serde_json::Value;
use uuid::Uuid;

pub(crate) struct StoredFile {
    pub(crate) bytes: Vec<u8>,
    pub(crate) content_type: String,
    pub(crate) last_modified: String,
}

/// An access token the fake issued: a workspace's, or the caller's own (`workspace: None`).
pub(crate) struct IssuedToken {
    pub(crate) id: Uuid,
    pub(crate) workspace: Option<Uuid>,
    pub(crate) name: String,
    pub(crate) created_at: String,
    pub(crate) expires_at: Value,
    pub(crate) secret: String,
}

pub(crate) struct Store {
    token: String,
    /// `base64(token)`, so Basic credentials are compared without decoding.
    basic: String,
    pub(crate) workspaces: HashSet<Uuid>,
    /// The signature of the fake's signed download URLs.
    pub(crate) download_secret: String,
    pub(crate) files: Mutex<BTreeMap<String, StoredFile>>,
    pub(crate) tokens: Mutex<Vec<IssuedToken>>,
    /// Agents as the API returns them (`Agent` objects), newest first.
    pub(crate) agents: Mutex<Vec<Value>>,
}

impl Store {
    pub(crate) fn new(token: String, workspaces: impl IntoIterator<Item = Uuid>) -> Store {
        Store {
            basic: encode(&token),
            token,
            workspaces: workspaces.into_iter().collect(),
            download_secret: Uuid::new_v4().simple().to_string(),
            files: Mutex::default(),
            tokens: Mutex::default(),
            agents: Mutex::default(),
        }
    }

    /// Accepts `Bearer <token>` or `Basic <base64(token)>` for the configured token and for
    /// every token issued and not deleted; the scheme name is case-insensitive (RFC 9110),
    /// the credential is not.
    pub(crate) fn is_authorized(&self, authorization: Option<&str>) -> bool {
        let Some((scheme, credentials)) =
            authorization.and_then(|value| value.trim().split_once(' '))
        else {
            return false;
        };
        let credentials = credentials.trim_start();
        let basic = scheme.eq_ignore_ascii_case("basic");
        if credentials.is_empty() || !(basic || scheme.eq_ignore_ascii_case("bearer")) {
            return false;
        }
        let expected = |secret: &str, encoded: &str| {
            let expected = if basic { encoded } else { secret };
            constant_time_eq(credentials.as_bytes(), expected.as_bytes())
        };
        expected(&self.token, &self.basic)
            || lock(&self.tokens)
                .iter()
                .any(|token| expected(&token.secret, &encode(&token.secret)))
    }
}

pub(crate) fn encode(token: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(token)
}

/// A poisoned lock only means another request panicked mid-update; the maps stay usable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Compares without an early exit, so response timing does not reveal how much of a
/// guessed token was right.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
