//! `reqwest-tracing`, plugged in as it ships (`ClientBuilder::middleware`), propagates a W3C
//! `traceparent` that the loopback server sees, in the trace of the call's own span. Its own
//! binary: OpenTelemetry's propagator is process-global.
#![cfg(feature = "middleware")]

use askui_runtime::{Client, Error, askui_endpoint};
use askui_tests::{RecordingServer, Reply};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use serde_json::{Value, json};
use tracing::instrument::WithSubscriber as _;
use tracing_subscriber::layer::SubscriberExt as _;

trait Api {
    #[askui_endpoint(get, "/traced/<id>")]
    async fn traced(&self, id: u32) -> Result<Value, Error>;
}

impl Api for Client {}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len
        && text.bytes().all(|b| b.is_ascii_hexdigit())
        && text.bytes().any(|b| b != b'0')
}

#[tokio::test]
async fn reqwest_tracing_sends_a_traceparent_the_server_sees() {
    let server = RecordingServer::always(Reply::json(200, json!({"ok": true}))).await;
    opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
    // No exporter: the spans need only their OpenTelemetry context.
    let tracer = SdkTracerProvider::builder().build().tracer("askui-tests");
    let subscriber =
        tracing_subscriber::registry().with(tracing_opentelemetry::layer().with_tracer(tracer));
    let client = Client::builder()
        .base_url(server.base_url())
        .middleware(reqwest_tracing::TracingMiddleware::default())
        .build()
        .unwrap();
    let answer = client.traced(5).with_subscriber(subscriber).await.unwrap();
    assert_eq!(answer, json!({"ok": true}));

    let request = server.only_request();
    let traceparent = request.header("traceparent").expect("a traceparent header");
    let parts: Vec<&str> = traceparent.split('-').collect();
    assert_eq!(parts.len(), 4, "{traceparent}");
    assert_eq!((parts[0], parts[3]), ("00", "01"), "{traceparent}");
    assert!(is_hex(parts[1], 32), "trace id: {traceparent}");
    assert!(is_hex(parts[2], 16), "span id: {traceparent}");
}
