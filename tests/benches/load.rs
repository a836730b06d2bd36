//! Load through one `Client`: 10,000 calls (three GETs to one POST with a JSON body), 256 in
//! flight, to an axum server on 127.0.0.1 in this process, and the same again in a second
//! round. Prints the time, throughput, latency percentiles and errors of each round, the TCP
//! connections the server accepted (reused connections: about one per call in flight, not one
//! per call), and the process's open file descriptors, RSS and heap in use before, after each
//! round and after the client is dropped.
//!
//! Figures, not limits: nothing here is timed against a bound. It exits non-zero when a call
//! fails, when the server saw another number of requests than were made (a hidden retry),
//! or when file descriptors or server connections outlive the dropped client.
//!
//! Run: `scripts/load` (release), or `cargo bench -p askui-tests --bench load -- [--requests N]
//! [--in-flight N] [--rounds N] [--no-retry] [--pool-max-idle N]`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::net::SocketAddr;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use askui_runtime::{Auth, Client, Error, RetryPolicy, askui_endpoint, reqwest};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};
use axum::serve::Listener;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// Counts the bytes the heap holds, so that growth between rounds is read exactly rather
/// than through RSS, which the allocator keeps high after a peak.
struct CountingAlloc;

static HEAP: AtomicI64 = AtomicI64::new(0);

// SAFETY: every call is forwarded to `System` unchanged; only a counter is updated.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            HEAP.fetch_add(layout.size() as i64, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            HEAP.fetch_add(layout.size() as i64, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        HEAP.fetch_sub(layout.size() as i64, Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            HEAP.fetch_add(new_size as i64 - layout.size() as i64, Ordering::Relaxed);
        }
        new
    }
}

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const TOKEN: &str = "load-token";
/// The pause after a round, and after dropping the client, before counting.
const SETTLE: Duration = Duration::from_millis(500);

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    id: u64,
    name: String,
    tags: Vec<String>,
    price_cents: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewItem {
    name: String,
    tags: Vec<String>,
    price_cents: u64,
}

trait Items {
    #[askui_endpoint(get, "/items/<id>")]
    async fn get_item(&self, id: u64) -> Result<Item, Error>;

    #[askui_endpoint(post, "/items")]
    async fn create_item(&self, body: &NewItem) -> Result<Item, Error>;
}

impl Items for Client {}

// The server: counts accepted connections, connections still open, and requests.

#[derive(Default)]
struct Counters {
    accepted: AtomicU64,
    open: AtomicI64,
    requests: AtomicU64,
}

struct CountingListener {
    inner: TcpListener,
    counters: Arc<Counters>,
}

impl Listener for CountingListener {
    type Io = CountedStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (CountedStream, SocketAddr) {
        // axum's own accept loop, which retries failed accepts.
        let (io, addr) = Listener::accept(&mut self.inner).await;
        let _ = io.set_nodelay(true);
        self.counters.accepted.fetch_add(1, Ordering::Relaxed);
        self.counters.open.fetch_add(1, Ordering::Relaxed);
        let counters = self.counters.clone();
        (CountedStream { io, counters }, addr)
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// A server-side connection; dropped when the server closes it.
struct CountedStream {
    io: TcpStream,
    counters: Arc<Counters>,
}

impl Drop for CountedStream {
    fn drop(&mut self) {
        self.counters.open.fetch_sub(1, Ordering::Relaxed);
    }
}

impl AsyncRead for CountedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl AsyncWrite for CountedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

fn authorized(headers: &HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .is_some_and(|value| value.as_bytes() == format!("Bearer {TOKEN}").as_bytes())
}

async fn get_item(
    State(counters): State<Arc<Counters>>,
    headers: HeaderMap,
    Path(id): Path<u64>,
) -> Result<Json<Item>, StatusCode> {
    counters.requests.fetch_add(1, Ordering::Relaxed);
    if !authorized(&headers) {
        return Err(StatusCode::UNAUTHORIZED);
    }
    Ok(Json(Item {
        id,
        name: format!("item-{id}"),
        tags: vec!["load".to_owned(), "get".to_owned()],
        price_cents: id * 7,
    }))
}

async fn create_item(
    State(counters): State<Arc<Counters>>,
    headers: HeaderMap,
    Json(new): Json<NewItem>,
) -> Result<(StatusCode, Json<Item>), StatusCode> {
    let id = counters.requests.fetch_add(1, Ordering::Relaxed);
    if !authorized(&headers) {
        return Err(StatusCode::UNAUTHORIZED);
    }
    let item = Item {
        id,
        name: new.name,
        tags: new.tags,
        price_cents: new.price_cents,
    };
    Ok((StatusCode::CREATED, Json(item)))
}

async fn start_server(counters: Arc<Counters>) -> SocketAddr {
    let app = Router::new()
        .route("/items/{id}", get(get_item))
        .route("/items", post(create_item))
        .with_state(counters.clone());
    let inner = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = inner.local_addr().expect("local address");
    let listener = CountingListener { inner, counters };
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

// The calls.

/// Call `i`: every fourth a POST, the others a GET; the answer is checked, not just read.
async fn call(client: Client, i: u64) -> Result<(), String> {
    if i % 4 == 3 {
        let body = NewItem {
            name: format!("new-{i}"),
            tags: vec!["load".to_owned(), "post".to_owned()],
            price_cents: i,
        };
        let item = client.create_item(&body).await.map_err(describe)?;
        if item.name != body.name || item.price_cents != i {
            return Err(format!("POST {i}: another item came back"));
        }
    } else {
        let item = client.get_item(i).await.map_err(describe)?;
        if item.id != i || item.price_cents != i * 7 {
            return Err(format!("GET {i}: another item came back"));
        }
    }
    Ok(())
}

/// The error and its causes on one line.
fn describe(error: Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

struct Round {
    elapsed: Duration,
    latencies: Vec<Duration>,
    errors: Vec<String>,
}

/// `requests` calls, `in_flight` at a time, each its own task sharing the one client.
async fn round(client: &Client, requests: u64, in_flight: u64) -> Round {
    let start = Instant::now();
    let mut tasks = JoinSet::new();
    let spawn = |tasks: &mut JoinSet<_>, i: u64| {
        let client = client.clone();
        tasks.spawn(async move {
            let started = Instant::now();
            let result = call(client, i).await;
            (started.elapsed(), result)
        });
    };
    let mut next = 0;
    while next < requests.min(in_flight) {
        spawn(&mut tasks, next);
        next += 1;
    }
    let mut latencies = Vec::with_capacity(requests as usize);
    let mut errors = Vec::new();
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok((latency, result)) => {
                latencies.push(latency);
                if let Err(error) = result {
                    errors.push(error);
                }
            }
            Err(panicked) => errors.push(format!("task failed: {panicked}")),
        }
        if next < requests {
            spawn(&mut tasks, next);
            next += 1;
        }
    }
    Round {
        elapsed: start.elapsed(),
        latencies,
        errors,
    }
}

// The process's resources.

struct Snapshot {
    fds: usize,
    rss_kib: u64,
    heap_kib: i64,
    accepted: u64,
    open: i64,
}

fn snapshot(counters: &Counters) -> Snapshot {
    // The directory handle itself is one of the entries.
    let fds = std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .count()
        - 1;
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let rss_kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status");
    Snapshot {
        fds,
        rss_kib,
        heap_kib: HEAP.load(Ordering::Relaxed) / 1024,
        accepted: counters.accepted.load(Ordering::Relaxed),
        open: counters.open.load(Ordering::Relaxed),
    }
}

fn print_snapshot(label: &str, s: &Snapshot) {
    println!(
        "{label:<26} {:>6} {:>10} {:>10} {:>10} {:>10}",
        s.fds, s.rss_kib, s.heap_kib, s.accepted, s.open
    );
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

struct Args {
    requests: u64,
    in_flight: u64,
    rounds: u32,
    retry: bool,
    pool_max_idle: Option<usize>,
}

fn parse_args() -> Args {
    let mut args = Args {
        requests: 10_000,
        in_flight: 256,
        rounds: 2,
        retry: true,
        pool_max_idle: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut number = |name: &str| -> u64 {
            it.next()
                .and_then(|n| n.parse().ok())
                .filter(|&n| n > 0)
                .unwrap_or_else(|| panic!("{name} takes a positive number"))
        };
        match arg.as_str() {
            "--requests" => args.requests = number("--requests"),
            "--in-flight" => args.in_flight = number("--in-flight"),
            "--rounds" => args.rounds = number("--rounds") as u32,
            "--no-retry" => args.retry = false,
            "--pool-max-idle" => args.pool_max_idle = Some(number("--pool-max-idle") as usize),
            // Passed by `cargo bench`.
            "--bench" => {}
            other => panic!(
                "unknown argument `{other}`; expected --requests N, --in-flight N, --rounds N, \
                 --no-retry, --pool-max-idle N"
            ),
        }
    }
    args
}

fn main() -> ExitCode {
    let args = parse_args();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run(args))
}

async fn run(args: Args) -> ExitCode {
    let counters = Arc::new(Counters::default());
    let addr = start_server(counters.clone()).await;
    let mut builder = Client::builder()
        .base_url(format!("http://{addr}"))
        .auth(Auth::bearer(TOKEN));
    if !args.retry {
        builder = builder.retry(RetryPolicy::none());
    }
    if let Some(max_idle) = args.pool_max_idle {
        // reqwest's pool keeps any number of idle connections by default.
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(max_idle)
            .build()
            .expect("reqwest client");
        builder = builder.http_client(http);
    }
    let client = builder.build().expect("client");

    println!(
        "load: {} calls per round (3 GET : 1 POST), {} in flight, {} rounds, one Client \
         (retry: {}, idle connections kept: {}), {} worker threads, axum server in-process \
         on {addr}",
        args.requests,
        args.in_flight,
        args.rounds,
        if args.retry { "default" } else { "none" },
        args.pool_max_idle
            .map_or_else(|| "any number".to_owned(), |n| format!("at most {n}")),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    );
    println!();
    println!(
        "{:<10} {:>9} {:>11} {:>10} {:>10} {:>10} {:>7} {:>9} {:>9}",
        "round", "time", "calls/s", "p50", "p99", "max", "errors", "requests", "accepted"
    );
    let before = snapshot(&counters);
    let mut after_rounds = Vec::new();
    let mut failures = Vec::new();
    for n in 1..=args.rounds {
        let requests_before = counters.requests.load(Ordering::Relaxed);
        let accepted_before = counters.accepted.load(Ordering::Relaxed);
        let mut r = round(&client, args.requests, args.in_flight).await;
        r.latencies.sort_unstable();
        // Connections the pool started near the end of the round are still reaching the
        // server's accept loop: count them with the round that opened them.
        tokio::time::sleep(SETTLE).await;
        let seen = counters.requests.load(Ordering::Relaxed) - requests_before;
        let accepted = counters.accepted.load(Ordering::Relaxed) - accepted_before;
        println!(
            "{:<10} {:>9} {:>11.0} {:>10} {:>10} {:>10} {:>7} {:>9} {:>9}",
            n,
            format!("{:.2} s", r.elapsed.as_secs_f64()),
            args.requests as f64 / r.elapsed.as_secs_f64(),
            ms(percentile(&r.latencies, 0.50)),
            ms(percentile(&r.latencies, 0.99)),
            ms(percentile(&r.latencies, 1.0)),
            r.errors.len(),
            seen,
            accepted,
        );
        if !r.errors.is_empty() {
            for error in r.errors.iter().take(5) {
                println!("  error: {error}");
            }
            failures.push(format!("round {n}: {} calls failed", r.errors.len()));
        }
        if seen != args.requests {
            failures.push(format!(
                "round {n}: the server saw {seen} requests for {} calls",
                args.requests
            ));
        }
        after_rounds.push(snapshot(&counters));
    }

    drop(client);
    tokio::time::sleep(SETTLE).await;
    let after_drop = snapshot(&counters);

    println!();
    println!(
        "{:<26} {:>6} {:>10} {:>10} {:>10} {:>10}",
        "process (0.5 s after)", "fds", "RSS KiB", "heap KiB", "accepted", "open conns"
    );
    print_snapshot("before", &before);
    for (n, s) in after_rounds.iter().enumerate() {
        print_snapshot(&format!("after round {}", n + 1), s);
    }
    print_snapshot("client dropped", &after_drop);

    if after_drop.fds > before.fds {
        failures.push(format!(
            "{} file descriptors more after the client was dropped than before",
            after_drop.fds - before.fds
        ));
    }
    if after_drop.open != 0 {
        failures.push(format!(
            "{} server connections still open after the client was dropped",
            after_drop.open
        ));
    }
    if failures.is_empty() {
        println!("\nok: no errors; fds and server connections back to the baseline");
        ExitCode::SUCCESS
    } else {
        for failure in &failures {
            println!("\nFAILED: {failure}");
        }
        ExitCode::FAILURE
    }
}
