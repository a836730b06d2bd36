//! The last stage of an attempt: what puts a finished request on the wire, or answers it
//! without one. With the `middleware` feature, the user's `reqwest_middleware` stack runs
//! here, once per attempt: inside the retry loop, after the credentials are applied, inside
//! the call's tracing span.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use http_body::Body as _;
use reqwest::ResponseBuilderExt as _;

use crate::response::Collected;
use crate::{Bytes, Error};

/// The handler of an in-memory transport
/// ([`ClientBuilder::in_memory`](crate::ClientBuilder::in_memory)).
pub(crate) type Handler =
    Arc<dyn Fn(http::Request<Bytes>) -> http::Response<Bytes> + Send + Sync + 'static>;

/// Where a client's requests go.
pub(crate) struct Transport {
    /// The HTTP client: the network, and what builds a multipart body.
    pub(crate) http: reqwest::Client,
    route: Route,
}

enum Route {
    Network,
    InMemory(Handler),
    #[cfg(feature = "middleware")]
    Middleware(reqwest_middleware::ClientWithMiddleware),
}

/// The user's middlewares, outermost first.
#[cfg(feature = "middleware")]
pub(crate) type Middlewares = Vec<Arc<dyn reqwest_middleware::Middleware>>;
/// Without the feature: none, ever.
#[cfg(not(feature = "middleware"))]
pub(crate) type Middlewares = Vec<std::convert::Infallible>;

impl Transport {
    /// `middlewares` run in the order given, the first outermost; the in-memory handler, if
    /// any, answers after the last of them, in place of the network.
    pub(crate) fn new(
        http: reqwest::Client,
        in_memory: Option<Handler>,
        middlewares: Middlewares,
    ) -> Self {
        #[cfg(feature = "middleware")]
        if !middlewares.is_empty() {
            let mut stack = reqwest_middleware::ClientBuilder::new(http.clone());
            for middleware in middlewares {
                stack = stack.with_arc(middleware);
            }
            if let Some(handler) = in_memory {
                stack = stack.with(AnswerInMemory(handler));
            }
            return Transport {
                http,
                route: Route::Middleware(stack.build()),
            };
        }
        #[cfg(not(feature = "middleware"))]
        let _: Middlewares = middlewares;
        let route = match in_memory {
            Some(handler) => Route::InMemory(handler),
            None => Route::Network,
        };
        Transport { http, route }
    }

    /// Sends a finished request. Not an `async fn`, which would hold the request beside the
    /// future sending it.
    pub(crate) fn execute(
        &self,
        request: reqwest::Request,
    ) -> Sending<'_, impl Future<Output = Result<reqwest::Response, reqwest::Error>> + Unpin + use<>>
    {
        match &self.route {
            Route::Network => Sending::Network(self.http.execute(request)),
            Route::InMemory(handler) => {
                // A body of bytes is there at once, and so is the handler's answer: only a
                // streamed body needs a future kept (boxed, as it is large).
                let mut answering = InMemory::new(handler, request);
                let mut now = Context::from_waker(std::task::Waker::noop());
                match Pin::new(&mut answering).poll(&mut now) {
                    Poll::Ready(answer) => Sending::Answered(Some(answer)),
                    Poll::Pending => Sending::InMemory(Box::new(answering), PhantomData),
                }
            }
            #[cfg(feature = "middleware")]
            Route::Middleware(stack) => Sending::Middleware(Box::pin(stack.execute(request))),
        }
    }
}

/// A request on its way: the answer, or the transport's error.
pub(crate) enum Sending<'a, N> {
    Network(N),
    Answered(Option<Result<reqwest::Response, Error>>),
    InMemory(Box<InMemory>, PhantomData<&'a ()>),
    /// Boxed: `execute` is an `async fn` of `reqwest_middleware`.
    #[cfg(feature = "middleware")]
    Middleware(
        Pin<Box<dyn Future<Output = reqwest_middleware::Result<reqwest::Response>> + Send + 'a>>,
    ),
}

impl<N> Future for Sending<'_, N>
where
    N: Future<Output = Result<reqwest::Response, reqwest::Error>> + Unpin,
{
    type Output = Result<reqwest::Response, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            Sending::Network(sent) => Pin::new(sent).poll(cx).map_err(Error::transport),
            Sending::Answered(answer) => {
                Poll::Ready(answer.take().unwrap_or_else(|| {
                    Err(Error::builder("the in-memory answer was already taken"))
                }))
            }
            Sending::InMemory(answer, _) => Pin::new(&mut **answer).poll(cx),
            #[cfg(feature = "middleware")]
            Sending::Middleware(sent) => sent.as_mut().poll(cx).map_err(|error| match error {
                reqwest_middleware::Error::Reqwest(error) => Error::transport(error),
                reqwest_middleware::Error::Middleware(error) => {
                    Error::middleware(error.reallocate_into_boxed_dyn_error_without_backtrace())
                }
            }),
        }
    }
}

/// A request answered by an in-memory handler: its body read (at once, unless it is a
/// stream), then the handler called, with no socket.
pub(crate) struct InMemory {
    handler: Handler,
    /// The request as `http`'s with the URL its answer carries, or why it could not be
    /// made; `None` once answered.
    request: Option<Result<(http::request::Parts, reqwest::Body, url::Url), Error>>,
    /// The body read so far: one chunk kept as it came (most bodies), or several joined.
    body: Collected,
}

impl InMemory {
    fn new(handler: &Handler, request: reqwest::Request) -> Self {
        let url = request.url().clone();
        let request = http::Request::<reqwest::Body>::try_from(request)
            .map(|request| {
                let (parts, body) = request.into_parts();
                (parts, body, url)
            })
            .map_err(Error::transport);
        InMemory {
            handler: Arc::clone(handler),
            request: Some(request),
            body: Collected::Empty,
        }
    }
}

impl Future for InMemory {
    type Output = Result<reqwest::Response, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let body = match &mut this.request {
            Some(Ok((_, body, _))) => body,
            Some(Err(_)) | None => {
                let failed = this.request.take().and_then(Result::err);
                return Poll::Ready(Err(failed.unwrap_or_else(answered)));
            }
        };
        while let Some(frame) = ready!(Pin::new(&mut *body).poll_frame(cx)) {
            let frame = frame.map_err(Error::transport)?;
            let Ok(data) = frame.into_data() else {
                continue; // trailers
            };
            let read = std::mem::replace(&mut this.body, Collected::Empty);
            this.body = read.append(data, None, usize::MAX);
        }
        let Some(Ok((parts, _, url))) = this.request.take() else {
            return Poll::Ready(Err(answered()));
        };
        let body = std::mem::replace(&mut this.body, Collected::Empty).into_bytes();
        let answer = (this.handler)(http::Request::from_parts(parts, Bytes::from(body)));
        Poll::Ready(into_reqwest(answer, url))
    }
}

/// What polling an answered in-memory request again gives.
fn answered() -> Error {
    Error::builder("the in-memory request was already answered")
}

/// The handler's answer as the HTTP client's, from the request's URL (so that it passes the
/// origin check, as a real answer without redirects does).
fn into_reqwest(answer: http::Response<Bytes>, url: url::Url) -> Result<reqwest::Response, Error> {
    let (parts, body) = answer.into_parts();
    let mut response = http::Response::builder()
        .status(parts.status)
        .version(parts.version)
        .url(url)
        .body(reqwest::Body::from(body.into_inner()))
        .map_err(|error| Error::builder("the in-memory answer is not valid").with_source(error))?;
    *response.headers_mut() = parts.headers;
    response.extensions_mut().extend(parts.extensions);
    Ok(reqwest::Response::from(response))
}

/// The in-memory handler as the innermost middleware: it answers, in place of the network.
#[cfg(feature = "middleware")]
struct AnswerInMemory(Handler);

#[cfg(feature = "middleware")]
#[async_trait::async_trait]
impl reqwest_middleware::Middleware for AnswerInMemory {
    async fn handle(
        &self,
        request: reqwest::Request,
        _: &mut http::Extensions,
        _: reqwest_middleware::Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        InMemory::new(&self.0, request)
            .await
            .map_err(reqwest_middleware::Error::middleware)
    }
}
