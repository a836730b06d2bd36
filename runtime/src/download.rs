//! Downloads of URLs an API handed out (signed links of another origin): the attempt's
//! sending and status check, without the client's credentials, the URL's query kept out of
//! every error.

use std::sync::Arc;

use http::header::{ACCEPT, USER_AGENT};
use url::Url;

use crate::attempt::send;
use crate::body::{ANY, KeepAlive};
use crate::config::Settings;
use crate::deadline::Deadline;
use crate::trace::CallTrace;
use crate::{ByteStream, Error};

/// A `GET` of an absolute URL that an API handed out, such as a signed download link
/// (`FileDto.url`): checked when made, sent without the client's credentials, read as a
/// [`ByteStream`]. The URL's query (the signature) is never shown: errors name the call
/// as `GET https://host/path?<redacted>`, and the query's values are scrubbed from an
/// error answer's body (S3 repeats the signature it was given).
pub(crate) struct Download {
    settings: Arc<Settings>,
    url: Url,
    shown: Box<str>,
    /// The query's values, encoded and decoded, longest first.
    secrets: Vec<String>,
}

impl Download {
    /// Checks `url` before any I/O. Its text is never repeated in an error.
    pub(crate) fn new(settings: &Arc<Settings>, url: &str) -> Result<Download, Error> {
        let mut url = Url::parse(url.trim()).map_err(|error| {
            Error::invalid_argument("url", "not an absolute URL").with_source(error)
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::invalid_argument(
                "url",
                "only http:// and https:// URLs can be downloaded",
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            // reqwest would send them as `Authorization: Basic`; a signed URL has none.
            return Err(Error::invalid_argument(
                "url",
                "the URL must not carry a user name or password",
            ));
        }
        url.set_fragment(None);
        let mut shown = url.clone();
        shown.set_query(None);
        let mut shown = format!("GET {shown}");
        if url.query().is_some() {
            shown.push_str("?<redacted>");
        }
        Ok(Download {
            settings: Arc::clone(settings),
            secrets: query_secrets(&url),
            url,
            shown: shown.into_boxed_str(),
        })
    }

    /// Sends the `GET` with `Accept: */*` and the client's `User-Agent`, nothing else: no
    /// `Authorization`, whichever `Auth` the client has. The client's timeout bounds the wait
    /// for the headers and then for each chunk, as for any `ByteStream` answer.
    pub(crate) async fn send(self, keep_alive: Option<KeepAlive>) -> Result<ByteStream, Error> {
        let settings = &*self.settings;
        let mut request = reqwest::Request::new(http::Method::GET, self.url.clone());
        let headers = request.headers_mut();
        headers.insert(ACCEPT, ANY);
        if let Some(user_agent) = &settings.user_agent {
            headers.insert(USER_AGENT, user_agent.clone());
        }
        let timeout = settings.timeout;
        let mut deadline = Deadline::new(timeout);
        // The URL is someone else's, signed: the span names the kind of call only.
        let trace = CallTrace::start("download_url", "GET", "<signed URL>");
        let sent = trace.instrument(send(
            settings,
            request,
            &mut deadline,
            true,
            &self.secrets,
            &self.url,
        ));
        match sent.await {
            Ok(response) => {
                trace.finish(Some(response.status()), 1, None);
                Ok(ByteStream::from_response(
                    response,
                    self.shown,
                    settings.idle_timeout(timeout),
                    keep_alive,
                ))
            }
            Err(error) => {
                trace.finish(None, 1, Some(&error));
                Err(error.with_call(&self.shown))
            }
        }
    }
}

/// The values of `url`'s query as sent and as decoded, and the query whole: what an error
/// body must not repeat (short values are left alone, as `redact::secrets` says).
fn query_secrets(url: &Url) -> Vec<String> {
    let Some(query) = url.query() else {
        return Vec::new();
    };
    crate::redact::secrets(
        query
            .split('&')
            .filter_map(|pair| pair.split_once('=').map(|(_, value)| value.to_owned()))
            .chain(url.query_pairs().map(|(_, value)| value.into_owned()))
            .chain([query.to_owned()]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Client;

    #[test]
    fn download_urls_are_checked_and_never_shown() {
        let client = Client::builder()
            .base_url("https://api.example")
            .build()
            .unwrap();
        for bad in [
            "",
            "/api/v1/files/a.png?Signature=hunter2hunter2",
            "cdn.example/a.png?Signature=hunter2hunter2",
            "ftp://cdn.example/a.png?Signature=hunter2hunter2",
            "file:///etc/passwd?Signature=hunter2hunter2",
            "https://user:hunter2hunter2@cdn.example/a.png",
            "https://bad host/a.png?Signature=hunter2hunter2",
        ] {
            let Err(error) = Download::new(client.settings_arc(), bad) else {
                panic!("accepted {bad:?}");
            };
            assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument, "{bad}");
            assert!(
                !format!("{error} {error:?}").contains("hunter2"),
                "{error:?}"
            );
        }
        let Ok(download) = Download::new(
            client.settings_arc(),
            " https://cdn.example/w/a%20b.png?Expires=1&Signature=ab%2Bcd~hunter2#frag ",
        ) else {
            panic!("rejected a signed URL");
        };
        assert_eq!(
            &*download.shown,
            "GET https://cdn.example/w/a%20b.png?<redacted>"
        );
        assert_eq!(download.url.fragment(), None);
        assert_eq!(
            download.secrets,
            [
                "Expires=1&Signature=ab%2Bcd~hunter2",
                "ab%2Bcd~hunter2",
                "ab+cd~hunter2"
            ]
        );
        let scrubbed = crate::redact::redact(
            b"<SignatureProvided>ab+cd~hunter2</SignatureProvided>",
            &download.secrets,
        );
        assert_eq!(
            scrubbed,
            b"<SignatureProvided><redacted></SignatureProvided>"
        );
        let plain = Download::new(client.settings_arc(), "http://127.0.0.1:9/a.png").unwrap();
        assert_eq!(&*plain.shown, "GET http://127.0.0.1:9/a.png");
        assert!(plain.secrets.is_empty());
    }
}
