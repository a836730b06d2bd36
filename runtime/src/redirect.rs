//! The redirect rule, in one place: redirects are followed within the origin only, and an
//! answer from another origin is never read (a user's own `reqwest::Client` may follow
//! redirects of its own policy; the attempt checks every answer's URL with [`same_origin`]).

use std::fmt;

use url::Url;

/// How many redirects within the origin are followed before giving up.
const MAX_REDIRECTS: usize = 10;

/// Redirects are followed within the origin only (scheme, host and port), so that neither
/// the credentials nor a request body (re-sent by a 307 or 308) ever leave it.
pub(crate) fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if !same_origin {
            let to = attempt.url().origin().ascii_serialization();
            attempt.error(RefusedRedirect(format!(
                "the server redirected to another origin ({to}); only redirects within the \
                 origin are followed"
            )))
        } else if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error(RefusedRedirect(format!(
                "more than {MAX_REDIRECTS} redirects"
            )))
        } else {
            attempt.follow()
        }
    })
}

/// Why a redirect was not followed; read back by `Error::transport`.
#[derive(Debug)]
pub(crate) struct RefusedRedirect(pub(crate) String);

impl fmt::Display for RefusedRedirect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RefusedRedirect {}

/// Whether `url` has the origin of `base` (scheme, host, port), compared without building
/// either origin, which would allocate.
pub(crate) fn same_origin(url: &Url, base: &Url) -> bool {
    // An answer's URL is its request's, made from the base URL, unless it was redirected.
    let before_path = ..url::Position::BeforePath;
    if url[before_path] == base[before_path] {
        return true;
    }
    url.scheme() == base.scheme()
        && url.host() == base.host()
        && url.port_or_known_default() == base.port_or_known_default()
}

/// The message of an answer refused for its origin.
pub(crate) fn refused_answer(url: &Url) -> String {
    // What `reqwest::Response::from(http::Response)` says when it was given no URL.
    if url.host_str() == Some("no.url.provided.local") {
        return "an answer made without the request's URL (a middleware's?) is not read: build \
                it with `reqwest::ResponseBuilderExt::url(request.url().clone())`"
            .to_owned();
    }
    format!(
        "the answer came from another origin ({}) after a redirect; only answers from the \
         request's origin are read",
        url.origin().ascii_serialization()
    )
}
