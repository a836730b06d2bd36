//! The credentials stage: what each attempt's request carries. Fixed credentials are checked
//! once, when the client is built; a provider's are fetched when there are none or they
//! expire, one fetch at a time, and dropped when the server rejects them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::Error;
use crate::auth::{Credential, Provider};
use crate::{Auth, Token};

/// The client's credentials, as every attempt reads them.
pub(crate) enum Credentials {
    Fixed(Credential),
    Provider(Refreshing),
}

impl Credentials {
    /// Checks fixed credentials now; a provider's are checked as they come.
    pub(crate) fn new(auth: &Auth) -> Result<Credentials, Error> {
        Ok(match auth.provider_of() {
            Some(provider) => Credentials::Provider(Refreshing {
                provider: Arc::clone(provider),
                current: Mutex::new(None),
                fetching: tokio::sync::Mutex::new(()),
                fetched: AtomicU64::new(0),
            }),
            None => Credentials::Fixed(auth.credential()?),
        })
    }

    /// The header a fixed credential is sent in, which no default header may replace.
    pub(crate) fn fixed_header(&self) -> Option<&http::HeaderName> {
        match self {
            Credentials::Fixed(credential) => credential.header_name(),
            Credentials::Provider(_) => None,
        }
    }
}

/// A provider's credential, cached, with the one fetch in flight.
pub(crate) struct Refreshing {
    provider: Arc<Provider>,
    /// Locked only to read or replace it, never across an `.await`.
    current: Mutex<Option<Cached>>,
    /// Held across the provider's fetch, so that calls which find the credential stale
    /// wait for that one fetch instead of starting their own.
    fetching: tokio::sync::Mutex<()>,
    /// How many fetches have succeeded: a call that waited for another's fetch takes its
    /// credential even if it is already due (a token that came expired, a skewed clock),
    /// rather than fetching again, one caller after another.
    fetched: AtomicU64,
}

struct Cached {
    credential: Arc<Credential>,
    /// When to fetch the next one: `refresh_before` its expiry.
    refresh_at: Option<Instant>,
}

impl Refreshing {
    /// The credential for the next attempt: the current one, fetched first if there is none
    /// or it is about to expire. `timeout` bounds the fetch.
    pub(crate) async fn current(
        &self,
        timeout: Option<Duration>,
    ) -> Result<Arc<Credential>, Error> {
        match self.fresh() {
            Some(credential) => Ok(credential),
            // Boxed: only the first call, and those around an expiry, need this future.
            None => Box::pin(self.fetch(timeout)).await,
        }
    }

    /// The server answered 401 to `rejected`: the next attempt fetches a new credential,
    /// unless another call already has.
    pub(crate) fn reject(&self, rejected: &Arc<Credential>) {
        let mut current = self.lock();
        if current
            .as_ref()
            .is_some_and(|cached| Arc::ptr_eq(&cached.credential, rejected))
        {
            *current = None;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Cached>> {
        // The guarded value is replaced whole, so a panic elsewhere cannot leave it half-made.
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cached credential, if it is not due for a refresh.
    fn fresh(&self) -> Option<Arc<Credential>> {
        let current = self.lock();
        let cached = current.as_ref()?;
        match cached.refresh_at {
            Some(at) if Instant::now() >= at => None,
            _ => Some(Arc::clone(&cached.credential)),
        }
    }

    /// Waits for the fetch in flight, or makes it. `timeout` bounds the two together: the
    /// wait for another call's fetch, and this one's.
    ///
    /// The provider's future belongs to the call that started it: if that call is dropped
    /// (cancelled, or its own timeout hit), so is the fetch, and the next call starts again.
    async fn fetch(&self, timeout: Option<Duration>) -> Result<Arc<Credential>, Error> {
        let deadline = timeout.map(|timeout| (tokio::time::Instant::now() + timeout, timeout));
        let seen = self.fetched.load(Ordering::Acquire);
        let _fetching = within(deadline, self.fetching.lock()).await?;
        // Another call's fetch, which this one waited for, may have made it fresh.
        if let Some(credential) = self.fresh() {
            return Ok(credential);
        }
        if self.fetched.load(Ordering::Acquire) != seen
            && let Some(cached) = self.lock().as_ref()
        {
            return Ok(Arc::clone(&cached.credential));
        }
        let token = within(deadline, (self.provider.fetch)())
            .await?
            .map_err(|source| {
                Error::credentials("the credential provider failed").with_source(source)
            })?;
        let (credential, refresh_at) = self.check(token)?;
        let credential = Arc::new(credential);
        *self.lock() = Some(Cached {
            credential: Arc::clone(&credential),
            refresh_at,
        });
        self.fetched.fetch_add(1, Ordering::Release);
        Ok(credential)
    }

    fn check(&self, token: Token) -> Result<(Credential, Option<Instant>), Error> {
        let credential = token.auth.credential().map_err(|error| {
            Error::credentials(format!(
                "the credential provider's token is unusable: {error}"
            ))
        })?;
        let now = Instant::now();
        // Never later than half-way through the token's life, so that a token shorter-lived
        // than the margin is not stale the moment it arrives.
        let refresh_at = token.expires_at.map(|expires_at| {
            let lifetime = expires_at.saturating_duration_since(now);
            expires_at
                .checked_sub(self.provider.refresh_before.min(lifetime / 2))
                .unwrap_or(now)
        });
        Ok((credential, refresh_at))
    }
}

/// `future`, unless `deadline` (with the timeout it ends) comes first.
async fn within<F: std::future::Future>(
    deadline: Option<(tokio::time::Instant, Duration)>,
    future: F,
) -> Result<F::Output, Error> {
    match deadline {
        Some((at, timeout)) => tokio::time::timeout_at(at, future).await.map_err(|_| {
            Error::credentials(format!(
                "the credential provider did not answer within the call's timeout ({timeout:?})"
            ))
        }),
        None => Ok(future.await),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn counting(lifetime: Option<Duration>) -> (Refreshing, Arc<AtomicUsize>) {
        let fetches = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&fetches);
        let auth = Auth::provider(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            async move {
                let token = Token::bearer(format!("token-{n}"));
                Ok::<_, std::io::Error>(match lifetime {
                    Some(lifetime) => token.expires_in(lifetime),
                    None => token,
                })
            }
        });
        let Ok(Credentials::Provider(refreshing)) = Credentials::new(&auth) else {
            panic!("a provider");
        };
        (refreshing, fetches)
    }

    #[tokio::test]
    async fn a_token_is_kept_until_rejected() {
        let (credentials, fetches) = counting(None);
        let first = credentials.current(None).await.unwrap();
        let again = credentials.current(None).await.unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        credentials.reject(&first);
        // A second rejection of the same token does not drop its successor.
        let second = credentials.current(None).await.unwrap();
        credentials.reject(&first);
        let third = credentials.current(None).await.unwrap();
        assert!(Arc::ptr_eq(&second, &third));
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_short_lived_token_is_refreshed_half_way() {
        let (credentials, fetches) = counting(Some(Duration::ZERO));
        credentials.current(None).await.unwrap();
        credentials.current(None).await.unwrap();
        assert_eq!(fetches.load(Ordering::SeqCst), 2);

        let (credentials, fetches) = counting(Some(Duration::from_secs(3600)));
        credentials.current(None).await.unwrap();
        credentials.current(None).await.unwrap();
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_provider_of_providers_is_refused() {
        let auth = Auth::provider(|| async {
            Ok::<_, std::io::Error>(Token::new(Auth::provider(|| async {
                Ok::<_, std::io::Error>(Token::bearer("x"))
            })))
        });
        let Ok(Credentials::Provider(refreshing)) = Credentials::new(&auth) else {
            panic!("a provider");
        };
        let error = refreshing.current(None).await.err().unwrap();
        assert_eq!(error.kind(), crate::ErrorKind::Credentials);
    }
}
