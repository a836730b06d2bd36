//! The last stage: what puts a finished request on the wire, or answers it without one.

use std::future::Future;

use futures_util::future::Either;

/// Answers requests instead of the network (`ClientBuilder::__transport`).
pub(crate) type StandIn = Box<dyn Fn(reqwest::Request) -> reqwest::Response + Send + Sync>;

/// Where a client's requests go: its HTTP client, unless a stand-in answers them.
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) stand_in: Option<StandIn>,
}

impl Transport {
    /// Sends a finished request. Not an `async fn`, which would hold the request beside the
    /// future sending it.
    pub(crate) fn execute(
        &self,
        request: reqwest::Request,
    ) -> impl Future<Output = Result<reqwest::Response, reqwest::Error>> + Send + use<> {
        match &self.stand_in {
            Some(answer) => Either::Left(std::future::ready(Ok(answer(request)))),
            None => Either::Right(self.http.execute(request)),
        }
    }
}
