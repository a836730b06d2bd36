//! BENCHMARKS.md section 1: one call without I/O, generated against hand-written.
//!
//! - `generated`: `client.create_customer_portal_session(…)` through `#[askui_endpoint]`, the
//!   whole call: arguments, request, retry policy, timeout, span, status check, body, JSON;
//! - `hand-written`: the same request built with reqwest (same URL, headers in the same order,
//!   body), its status checked and its body decoded with serde_json.
//!
//! Neither is sent: both go to one in-memory handler that answers with a canned 200, the
//! generated side through the runtime's public in-memory transport
//! (`ClientBuilder::in_memory`), the hand-written side by converting its `reqwest::Request` to
//! the handler's `http::Request` and the handler's answer back to a `reqwest::Response`, as a
//! hand-written mock would. That both hand it the same request (method, URL, headers with
//! their order and sensitivity, body) is asserted once at startup.
//!
//! The two sides run in alternating batches in one process, so that noise hits both; the
//! figures are the median time per call of each side, their ratio, the median of the
//! per-round ratios, and allocations per call (this thread's, counted by the global
//! allocator). Nothing is asserted about time.
//!
//! `--subscriber` installs a `tracing` subscriber (fmt, INFO, written to nowhere) first, so
//! that the generated side pays for a recorded span; without it, the span is disabled, as in
//! a program that installs none. Built with `--features tracing/max_level_off`, the span
//! compiles to nothing, as without the runtime's `tracing` feature.
//!
//! `--middleware` adds one `reqwest_middleware::Middleware` that passes the request on (the
//! cost of the middleware stage itself); the bench built without askui-tests' default
//! `middleware` feature (`--no-default-features`) has none of it compiled in.
//!
//! Run: `scripts/bench request` (release), or `cargo bench -p askui-tests --bench
//! request_building -- [--rounds N] [--batch N] [--subscriber]`.

mod support;

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use askui_runtime::reqwest::header::{CONTENT_TYPE, HeaderValue};
use askui_runtime::reqwest::{self, ResponseBuilderExt as _};
use askui_runtime::{Bytes, http};
use askui_workspaces::billing::CreateCustomerPortalSessionResponseDto;
use support::{CountingAlloc, Sent};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// The AskUI API's own: a domain, as users call it (no connection is made).
const BASE_URL: &str = "https://workspaces.askui.com";

static CAPTURE: AtomicBool = AtomicBool::new(false);
static CAPTURED: Mutex<Option<Sent>> = Mutex::new(None);

/// The in-memory handler both sides hand their request to: a canned 200 with the JSON answer.
fn answer(request: http::Request<Bytes>) -> http::Response<Bytes> {
    if CAPTURE.load(Ordering::Relaxed) {
        *CAPTURED.lock().expect("not poisoned") = Some(Sent::of(&request));
    }
    let mut response = http::Response::new(Bytes::from(support::ANSWER));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// What a hand-written mock does with the handler: the request as `http`'s, the answer as
/// reqwest's, from the request's URL.
fn answer_by_hand(request: reqwest::Request) -> reqwest::Response {
    let url = request.url().clone();
    let request = http::Request::<reqwest::Body>::try_from(request).expect("an http request");
    let (parts, body) = request.into_parts();
    let body = Bytes::from(body.as_bytes().expect("a body of bytes").to_vec());
    let (parts, body) = answer(http::Request::from_parts(parts, body)).into_parts();
    let mut response = http::Response::builder()
        .status(parts.status)
        .url(url)
        .body(reqwest::Body::from(body.into_inner()))
        .expect("a response");
    *response.headers_mut() = parts.headers;
    reqwest::Response::from(response)
}

fn captured() -> Sent {
    CAPTURED
        .lock()
        .expect("not poisoned")
        .take()
        .expect("a request reached the transport")
}

struct Sides {
    call: support::Call,
    http: reqwest::Client,
    client: askui_runtime::Client,
}

impl Sides {
    async fn generated(&self) -> CreateCustomerPortalSessionResponseDto {
        self.call.generated(&self.client).await
    }

    async fn handwritten(&self) -> CreateCustomerPortalSessionResponseDto {
        let request = self.call.handwritten(&self.http, BASE_URL);
        support::handwritten_answer(answer_by_hand(request))
            .await
            .expect("the call succeeds")
    }
}

/// Passes every request on: what one middleware costs, whatever it then does.
#[cfg(feature = "middleware")]
struct PassThrough;

#[cfg(feature = "middleware")]
#[async_trait::async_trait]
impl askui_runtime::reqwest_middleware::Middleware for PassThrough {
    async fn handle(
        &self,
        request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: askui_runtime::reqwest_middleware::Next<'_>,
    ) -> askui_runtime::reqwest_middleware::Result<reqwest::Response> {
        next.run(request, extensions).await
    }
}

#[cfg(feature = "middleware")]
fn with_one_middleware(client: askui_runtime::ClientBuilder) -> askui_runtime::ClientBuilder {
    client.middleware(PassThrough)
}

#[cfg(not(feature = "middleware"))]
fn with_one_middleware(_: askui_runtime::ClientBuilder) -> askui_runtime::ClientBuilder {
    panic!("--middleware needs askui-tests' `middleware` feature")
}

/// One side's batch: time per call (µs) and allocations and bytes per call.
struct Batch {
    micros: f64,
    allocations: f64,
    bytes: f64,
}

fn main() {
    let rounds = support::flag("--rounds", 300);
    let batch = support::flag("--batch", 200);
    let subscriber = std::env::args().any(|arg| arg == "--subscriber");
    let middleware = std::env::args().any(|arg| arg == "--middleware");
    if subscriber {
        tracing_subscriber::fmt()
            .with_max_level(tracing_subscriber::filter::LevelFilter::INFO)
            .with_writer(std::io::sink)
            .init();
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let call = support::Call::new();
    let http = reqwest::Client::new();
    let mut client = call.client(BASE_URL, &http).in_memory(answer);
    if middleware {
        client = with_one_middleware(client);
    }
    let client = client.build().expect("client");
    let sides = Sides { call, http, client };

    // Both sides hand the transport the same request.
    CAPTURE.store(true, Ordering::Relaxed);
    let generated = runtime.block_on(sides.generated());
    let ours = captured();
    let handwritten = runtime.block_on(sides.handwritten());
    let theirs = captured();
    CAPTURE.store(false, Ordering::Relaxed);
    assert_eq!(ours, theirs, "both sides must build the same request");
    assert_eq!(generated, handwritten);
    println!(
        "request (identical on both sides): {} {}",
        ours.method, ours.url
    );
    for (name, value, sensitive) in &ours.headers {
        let value = if *sensitive { "<sensitive>" } else { value };
        println!("  {name}: {value}");
    }
    println!("  body: {}", String::from_utf8_lossy(&ours.body));

    let run = |generated: bool| -> Batch {
        let (allocations, bytes) = support::allocations();
        let start = Instant::now();
        runtime.block_on(async {
            for _ in 0..batch {
                let answer = if generated {
                    sides.generated().await
                } else {
                    sides.handwritten().await
                };
                std::hint::black_box(answer);
            }
        });
        let elapsed = start.elapsed();
        let (allocations_after, bytes_after) = support::allocations();
        Batch {
            micros: support::micros(elapsed) / batch as f64,
            allocations: (allocations_after - allocations) as f64 / batch as f64,
            bytes: (bytes_after - bytes) as f64 / batch as f64,
        }
    };
    // Warm-up: pools, caches, lazily made statics.
    for _ in 0..10 {
        run(true);
        run(false);
    }
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        if support::generated_first(round) {
            ours.push(run(true));
            theirs.push(run(false));
        } else {
            theirs.push(run(false));
            ours.push(run(true));
        }
    }
    let tracing = if middleware {
        "one pass-through middleware, no tracing subscriber"
    } else if !cfg!(feature = "middleware") {
        "the runtime's `middleware` feature off, no tracing subscriber"
    } else if cfg!(feature = "tracing-off") {
        "tracing compiled out"
    } else if subscriber {
        "a tracing subscriber recording the span"
    } else {
        "no tracing subscriber"
    };
    report(&ours, &theirs, rounds, batch, tracing);
}

fn report(ours: &[Batch], theirs: &[Batch], rounds: usize, batch: usize, tracing: &str) {
    let field = |batches: &[Batch], f: fn(&Batch) -> f64| batches.iter().map(f).collect();
    let (ours_time, theirs_time): (Vec<f64>, Vec<f64>) =
        (field(ours, |b| b.micros), field(theirs, |b| b.micros));
    let paired = support::paired_ratios(&ours_time, &theirs_time);
    let (g, h) = (support::median(&ours_time), support::median(&theirs_time));
    let (ga, ha) = (
        support::median(&field(ours, |b| b.allocations)),
        support::median(&field(theirs, |b| b.allocations)),
    );
    let (gb, hb) = (
        support::median(&field(ours, |b| b.bytes)),
        support::median(&field(theirs, |b| b.bytes)),
    );
    println!();
    println!("machine: {}", support::machine());
    println!(
        "request building, no I/O ({tracing}): {rounds} rounds x {batch} calls per side, \
         alternating batches"
    );
    println!("  time per call, median of batches: generated {g:.2} µs, hand-written {h:.2} µs");
    println!(
        "  ratio generated/hand-written (medians):          {:.3}",
        g / h
    );
    println!(
        "  ratio generated/hand-written (per round, median): {:.3} (p25 {:.3}, p75 {:.3})",
        support::median(&paired),
        support::quantile(&paired, 0.25),
        support::quantile(&paired, 0.75)
    );
    println!(
        "  allocations per call: generated {ga:.1} ({gb:.0} B), hand-written {ha:.1} ({hb:.0} B)"
    );
}
