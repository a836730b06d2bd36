//! What the side-by-side benchmarks share: one call written twice (generated and by hand,
//! the same bytes on the wire), an allocation counter, interleaved sampling and the
//! statistics they print. Every figure is a ratio of two sides measured in one process.

#![allow(dead_code)] // Each benchmark uses its own part.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::{Duration, Instant};

use askui_runtime::reqwest;
use askui_runtime::reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT,
};
use askui_runtime::{Auth, Client, ClientBuilder};
use askui_workspaces::billing::{
    Billing, CreateCustomerPortalSessionRequestDto, CreateCustomerPortalSessionResponseDto,
};
use uuid::Uuid;

pub const TOKEN: &str = "bench-token-0123456789";
pub const USER_AGENT_VALUE: &str = "askui-bench/1";
/// What the server (or the stand-in transport) answers: the call's response DTO.
pub const ANSWER: &[u8] =
    br#"{"sessionUrl":"https://billing.example/session/cs_test_a1b2c3d4e5f6"}"#;

/// Counts the allocations of the thread that makes them, so that a server on another thread
/// is not counted.
pub struct CountingAlloc;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static ALLOCATED_BYTES: Cell<u64> = const { Cell::new(0) };
}

fn count(size: usize) {
    // `try_with`: a thread being torn down has no counters left, and needs none.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
    let _ = ALLOCATED_BYTES.try_with(|n| n.set(n.get() + size as u64));
}

// SAFETY: every call is forwarded to `System` unchanged; only thread-local counters change.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// This thread's allocations (a `realloc` counts as one) and bytes requested so far.
pub fn allocations() -> (u64, u64) {
    (ALLOCATIONS.with(Cell::get), ALLOCATED_BYTES.with(Cell::get))
}

/// The call both sides make: `POST /api/v1/workspaces/{id}/billing/customer-portal-session`
/// with a JSON body, answered with a JSON body.
pub struct Call {
    pub workspace_id: Uuid,
    pub body: CreateCustomerPortalSessionRequestDto,
    /// The hand-written side's headers, made once as a careful hand-written client would.
    pub authorization: HeaderValue,
    pub user_agent: HeaderValue,
}

impl Call {
    pub fn new() -> Call {
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {TOKEN}")).expect("a header value");
        authorization.set_sensitive(true);
        Call {
            workspace_id: Uuid::from_u128(0x3f0c_1d2e_4b5a_4c6d_8e7f_9a0b_1c2d_3e4f),
            body: CreateCustomerPortalSessionRequestDto::new("https://app.example/back")
                .expect("valid URL"),
            authorization,
            user_agent: HeaderValue::from_static(USER_AGENT_VALUE),
        }
    }

    /// The generated side's client: same credentials and User-Agent, on `http` (one pool).
    pub fn client(&self, base_url: &str, http: &reqwest::Client) -> ClientBuilder {
        Client::builder()
            .base_url(base_url)
            .auth(Auth::bearer(TOKEN))
            .user_agent(USER_AGENT_VALUE)
            .http_client(http.clone())
    }

    /// The generated call, through `client`.
    pub async fn generated(&self, client: &Client) -> CreateCustomerPortalSessionResponseDto {
        client
            .create_customer_portal_session(self.workspace_id, &self.body)
            .await
            .expect("the call succeeds")
    }

    /// The hand-written request: the same method, URL, headers (in the same order) and body
    /// as the generated call's.
    pub fn handwritten(&self, http: &reqwest::Client, base_url: &str) -> reqwest::Request {
        const JSON: HeaderValue = HeaderValue::from_static("application/json");
        http.post(format!(
            "{base_url}/api/v1/workspaces/{}/billing/customer-portal-session",
            self.workspace_id
        ))
        .header(ACCEPT, JSON)
        .header(AUTHORIZATION, self.authorization.clone())
        .header(USER_AGENT, self.user_agent.clone())
        .header(CONTENT_TYPE, JSON)
        .body(serde_json::to_vec(&self.body).expect("serializable"))
        .build()
        .expect("a valid request")
    }
}

/// Reads a hand-written call's answer as the generated one does: status, body, JSON.
pub async fn handwritten_answer(
    response: reqwest::Response,
) -> Result<CreateCustomerPortalSessionResponseDto, reqwest::Error> {
    let bytes = response.error_for_status()?.bytes().await?;
    Ok(serde_json::from_slice(&bytes).expect("the answer decodes"))
}

/// What identifies a request on the wire, to check that both sides send the same one.
#[derive(Debug, PartialEq, Eq)]
pub struct Sent {
    pub method: String,
    pub url: String,
    /// In order, with sensitivity.
    pub headers: Vec<(String, String, bool)>,
    pub body: Vec<u8>,
}

impl Sent {
    /// A request as an in-memory handler sees it.
    pub fn of(request: &askui_runtime::http::Request<askui_runtime::Bytes>) -> Sent {
        Sent {
            method: request.method().to_string(),
            url: request.uri().to_string(),
            headers: headers(request.headers()),
            body: request.body().to_vec(),
        }
    }
}

fn headers(map: &HeaderMap) -> Vec<(String, String, bool)> {
    map.iter()
        .map(|(name, value)| {
            (
                name.to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
                value.is_sensitive(),
            )
        })
        .collect()
}

/// Which side runs first in round `round`: alternating, so that neither always gets the
/// warmer (or the noisier) half.
pub fn generated_first(round: usize) -> bool {
    round % 2 == 0
}

/// Sorted copy's `p`-quantile (0.0..=1.0), nearest rank.
pub fn quantile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[rank]
}

pub fn median(values: &[f64]) -> f64 {
    quantile(values, 0.5)
}

/// Per-round ratios `a[i] / b[i]`: each compares two batches run back to back.
pub fn paired_ratios(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(a, b)| a / b).collect()
}

pub fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

/// Times `f` once.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

/// The machine, as BENCHMARKS.md names it.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("model name"))
                .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu}, {cores} cores available (nproc), shared")
}

/// Command-line flags `--name value` with defaults.
pub fn flag(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|arg| arg == name)
        .and_then(|i| args.get(i + 1))
        .map(|value| value.parse().expect("a number"))
        .unwrap_or(default)
}

/// Starts a loopback server on a thread and current-thread runtime of its own (so that its
/// work is not counted as the client's), and hands each accepted connection, `TCP_NODELAY`
/// set, to `connection` on a task. Returns the address once the server listens.
pub fn serve_on_own_thread<F, Fut>(connection: F) -> std::net::SocketAddr
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("address"))
                .expect("main thread waits");
            loop {
                let (stream, _) = listener.accept().await.expect("accept");
                stream.set_nodelay(true).expect("nodelay");
                tokio::spawn(connection(stream));
            }
        });
    });
    rx.recv().expect("the server started")
}
