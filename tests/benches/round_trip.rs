//! BENCHMARKS.md section 2: the call on loopback, generated against hand-written, through one
//! `reqwest::Client` (one connection pool) to a minimal HTTP/1.1 server in this process.
//!
//! - `generated`: `client.create_customer_portal_session(…)` through `#[askui_endpoint]`;
//! - `hand-written`: the same request with reqwest (same URL, headers in the same order, body),
//!   status checked, body decoded with serde_json.
//!
//! The server runs on its own thread and answers every request with the same canned 200
//! without parsing more than the head's end and `Content-Length`, so that its time is small
//! and equal for both sides. That both sides put the same bytes on the wire is asserted once
//! at startup, on the bytes the server received.
//!
//! Two modes, each in alternating batches of the two sides in one process: `sequential` (one
//! call at a time) and `64 in flight` (64 calls in flight at once through one client). The
//! figures are median latency per call and its ratio, throughput per side and its ratio,
//! and the client thread's allocations per call; the latency distributions of both sides
//! are drawn to an SVG (`--plot PATH`). Nothing is asserted about time.
//!
//! The generated side's client has the default 60 s timeout, which costs a timer per call;
//! `--no-timeout` builds it with `timeout(None)`, and `--handwritten-timeout` gives the
//! hand-written requests the same 60 s (`reqwest::Request::timeout_mut`), to show that cost.
//!
//! `--phases` splits each sequential call's latency in three, by when the server read the
//! request and wrote the answer: before the server has the request (building, sending), the
//! server, and after it wrote the answer (receiving, reading, decoding); medians per side.
//!
//! Run: `scripts/bench round-trip` (release), or `cargo bench -p askui-tests --bench round_trip
//! -- [--rounds N] [--batch N] [--concurrent-rounds N] [--concurrent-batch N] [--plot PATH]
//! [--no-timeout] [--handwritten-timeout] [--phases] [--only generated|handwritten]`; `--only`
//! runs one side alone, sequentially, printing nothing: for `strace -c -f` per side.

mod support;

use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use askui_runtime::reqwest;
use askui_workspaces::billing::CreateCustomerPortalSessionResponseDto;
use futures_util::StreamExt as _;
use plotters::prelude::*;
use support::CountingAlloc;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const IN_FLIGHT: usize = 64;

static CAPTURE: AtomicBool = AtomicBool::new(false);
static CAPTURED: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());

/// `--phases`: when the server had the last request and wrote its answer (ns since `EPOCH`),
/// and each timed sequential call's phases (µs), by side.
static PHASES_ON: AtomicBool = AtomicBool::new(false);
static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
static SERVER_READ: AtomicU64 = AtomicU64::new(0);
static SERVER_WROTE: AtomicU64 = AtomicU64::new(0);
static PHASES: Mutex<Vec<(bool, [f64; 3])>> = Mutex::new(Vec::new());

fn since_epoch() -> u64 {
    u64::try_from(EPOCH.get_or_init(Instant::now).elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// Starts the server on its own thread and runtime; returns its address.
fn start_server() -> SocketAddr {
    let mut head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        support::ANSWER.len()
    )
    .into_bytes();
    head.extend_from_slice(support::ANSWER);
    let reply: &'static [u8] = head.leak();
    support::serve_on_own_thread(move |stream| connection(stream, reply))
}

/// Answers each request of a keep-alive connection with `reply`.
async fn connection(mut stream: TcpStream, reply: &'static [u8]) {
    let mut buffer = Vec::with_capacity(8 * 1024);
    loop {
        let length = loop {
            if let Some(length) = request_length(&buffer) {
                break length;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        if CAPTURE.load(Ordering::Relaxed) {
            CAPTURED
                .lock()
                .expect("not poisoned")
                .push(buffer[..length].to_vec());
        }
        buffer.drain(..length);
        let phases = PHASES_ON.load(Ordering::Relaxed);
        if phases {
            SERVER_READ.store(since_epoch(), Ordering::SeqCst);
        }
        if stream.write_all(reply).await.is_err() {
            return;
        }
        if phases {
            SERVER_WROTE.store(since_epoch(), Ordering::SeqCst);
        }
    }
}

/// The length of the first complete request in `buffer` (head and `Content-Length` body).
fn request_length(buffer: &[u8]) -> Option<usize> {
    let head_end = buffer.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(&buffer[..head_end]).ok()?;
    let body = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    (buffer.len() >= head_end + body).then_some(head_end + body)
}

struct Sides {
    call: support::Call,
    base_url: String,
    http: reqwest::Client,
    client: askui_runtime::Client,
    /// The hand-written requests' timeout, if any.
    timeout: Option<Duration>,
}

impl Sides {
    async fn generated(&self) -> CreateCustomerPortalSessionResponseDto {
        self.call.generated(&self.client).await
    }

    async fn handwritten(&self) -> CreateCustomerPortalSessionResponseDto {
        let mut request = self.call.handwritten(&self.http, &self.base_url);
        if self.timeout.is_some() {
            *request.timeout_mut() = self.timeout;
        }
        let response = self.http.execute(request).await.expect("sent");
        support::handwritten_answer(response)
            .await
            .expect("the call succeeds")
    }

    /// One call of one side, timed.
    async fn timed(&self, generated: bool) -> f64 {
        let phases = PHASES_ON.load(Ordering::Relaxed);
        let started = if phases { since_epoch() } else { 0 };
        let start = Instant::now();
        let answer = if generated {
            self.generated().await
        } else {
            self.handwritten().await
        };
        std::hint::black_box(answer);
        let latency = support::micros(start.elapsed());
        if phases {
            let ended = since_epoch();
            let read = SERVER_READ.load(Ordering::SeqCst);
            let wrote = SERVER_WROTE.load(Ordering::SeqCst);
            if started < read && read <= wrote && wrote <= ended {
                let micros = |from: u64, to: u64| (to - from) as f64 / 1_000.0;
                let split = [
                    micros(started, read),
                    micros(read, wrote),
                    micros(wrote, ended),
                ];
                PHASES
                    .lock()
                    .expect("not poisoned")
                    .push((generated, split));
            }
        }
        latency
    }
}

/// One side's results in one mode.
#[derive(Default)]
struct Side {
    /// Every call's latency, µs.
    latencies: Vec<f64>,
    /// Per batch: calls per second.
    throughputs: Vec<f64>,
    calls: usize,
    elapsed: Duration,
    /// Per batch: allocations per call.
    allocations: Vec<f64>,
}

fn main() {
    let rounds = support::flag("--rounds", 200);
    let batch = support::flag("--batch", 250);
    let concurrent_rounds = support::flag("--concurrent-rounds", 40);
    let concurrent_batch = support::flag("--concurrent-batch", 2_000);
    let plot = std::env::args()
        .skip_while(|arg| arg != "--plot")
        .nth(1)
        .unwrap_or_else(|| "round-trip-latency.svg".to_owned());

    let addr = start_server();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let call = support::Call::new();
    let base_url = format!("http://{addr}");
    let http = reqwest::Client::new();
    let flag = |name: &str| std::env::args().any(|arg| arg == name);
    let mut client = call.client(&base_url, &http);
    if flag("--no-timeout") {
        client = client.timeout(None);
    }
    let client = client.build().expect("client");
    let sides = Sides {
        call,
        base_url,
        http,
        client,
        timeout: flag("--handwritten-timeout").then_some(askui_runtime::DEFAULT_TIMEOUT),
    };

    // Both sides put the same bytes on the wire.
    CAPTURE.store(true, Ordering::Relaxed);
    runtime.block_on(sides.generated());
    runtime.block_on(sides.handwritten());
    CAPTURE.store(false, Ordering::Relaxed);
    let captured = std::mem::take(&mut *CAPTURED.lock().expect("not poisoned"));
    assert_eq!(captured.len(), 2, "one request per side");
    assert_eq!(
        String::from_utf8_lossy(&captured[0]).replace(support::TOKEN, "<token>"),
        String::from_utf8_lossy(&captured[1]).replace(support::TOKEN, "<token>"),
        "both sides must send the same bytes"
    );
    println!("request (the same bytes from both sides):");
    for line in String::from_utf8_lossy(&captured[0]).split("\r\n") {
        println!("  {}", line.replace(support::TOKEN, "<token>"));
    }

    let sequential_batch = |generated: bool, side: &mut Side| {
        let (allocations, _) = support::allocations();
        let start = Instant::now();
        runtime.block_on(async {
            for _ in 0..batch {
                side.latencies.push(sides.timed(generated).await);
            }
        });
        record(side, batch, start.elapsed(), allocations);
    };
    let concurrent_batch_of = |generated: bool, side: &mut Side| {
        let (allocations, _) = support::allocations();
        let start = Instant::now();
        let latencies: Vec<f64> = runtime.block_on(
            futures_util::stream::iter(0..concurrent_batch)
                .map(|_| sides.timed(generated))
                .buffer_unordered(IN_FLIGHT)
                .collect(),
        );
        record(side, concurrent_batch, start.elapsed(), allocations);
        side.latencies.extend(latencies);
    };

    // Warm-up: the pool opens its connections, caches fill.
    for generated in [true, false] {
        concurrent_batch_of(generated, &mut Side::default());
        sequential_batch(generated, &mut Side::default());
    }

    // One side alone, sequentially, and nothing printed: for counting what a call costs in
    // syscalls and wake-ups (`strace -c -f`, `perf stat -e context-switches`) per side.
    if let Some(only) = std::env::args().skip_while(|arg| arg != "--only").nth(1) {
        let generated = match only.as_str() {
            "generated" => true,
            "handwritten" => false,
            other => panic!("--only generated|handwritten, not {other}"),
        };
        for _ in 0..rounds {
            sequential_batch(generated, &mut Side::default());
        }
        return;
    }

    // Both sides, batch by batch; which goes first alternates by round.
    let alternate = |rounds: usize, batch: &dyn Fn(bool, &mut Side)| {
        let (mut ours, mut theirs) = (Side::default(), Side::default());
        for round in 0..rounds {
            let first = support::generated_first(round);
            for generated in [first, !first] {
                batch(generated, if generated { &mut ours } else { &mut theirs });
            }
        }
        (ours, theirs)
    };
    PHASES_ON.store(flag("--phases"), Ordering::Relaxed);
    let (ours, theirs) = alternate(rounds, &sequential_batch);
    PHASES_ON.store(false, Ordering::Relaxed);
    let (ours_concurrent, theirs_concurrent) = alternate(concurrent_rounds, &concurrent_batch_of);

    println!();
    println!("machine: {}", support::machine());
    println!(
        "timeouts: generated {}, hand-written {}",
        if flag("--no-timeout") {
            "none"
        } else {
            "60 s (the default)"
        },
        if sides.timeout.is_some() {
            "60 s"
        } else {
            "none"
        }
    );
    report(
        &format!("sequential: {rounds} rounds x {batch} calls per side, alternating batches"),
        &ours,
        &theirs,
    );
    report_phases();
    report(
        &format!(
            "{IN_FLIGHT} in flight: {concurrent_rounds} rounds x {concurrent_batch} calls per \
             side, alternating batches"
        ),
        &ours_concurrent,
        &theirs_concurrent,
    );
    draw(
        &plot,
        [
            ("sequential", &ours, &theirs),
            ("64 in flight", &ours_concurrent, &theirs_concurrent),
        ],
    )
    .expect("the plot is drawn");
    println!("plot: {plot}");
}

fn record(side: &mut Side, calls: usize, elapsed: Duration, allocations_before: u64) {
    let (allocations, _) = support::allocations();
    side.calls += calls;
    side.elapsed += elapsed;
    side.throughputs.push(calls as f64 / elapsed.as_secs_f64());
    side.allocations
        .push((allocations - allocations_before) as f64 / calls as f64);
}

/// `--phases`: the median of each phase of the sequential calls, per side.
fn report_phases() {
    let phases = PHASES.lock().expect("not poisoned");
    if phases.is_empty() {
        return;
    }
    println!(
        "  phases (median µs): before the server has the request / the server / after it wrote the answer"
    );
    for (generated, name) in [(true, "generated"), (false, "hand-written")] {
        let mut columns: [Vec<f64>; 3] = Default::default();
        for (_, split) in phases.iter().filter(|(side, _)| *side == generated) {
            for (column, value) in columns.iter_mut().zip(split) {
                column.push(*value);
            }
        }
        let [before, server, after] = columns.map(|column| support::median(&column));
        println!(
            "    {name:<12} {before:.2} / {server:.2} / {after:.2} ({} calls)",
            phases.iter().filter(|(side, _)| *side == generated).count()
        );
    }
}

fn report(title: &str, ours: &Side, theirs: &Side) {
    let (g, h) = (
        support::median(&ours.latencies),
        support::median(&theirs.latencies),
    );
    let throughput = |side: &Side| side.calls as f64 / side.elapsed.as_secs_f64();
    let paired = support::paired_ratios(&ours.throughputs, &theirs.throughputs);
    println!("{title}");
    println!("  latency median: generated {g:.1} µs, hand-written {h:.1} µs");
    println!(
        "  ratio generated/hand-written (median latency): {:.3}",
        g / h
    );
    for p in [0.9, 0.99] {
        println!(
            "  latency p{:.0}: generated {:.1} µs, hand-written {:.1} µs",
            p * 100.0,
            support::quantile(&ours.latencies, p),
            support::quantile(&theirs.latencies, p)
        );
    }
    println!(
        "  throughput: generated {:.0}/s, hand-written {:.0}/s, ratio {:.3} \
         (per round, median {:.3}, p25 {:.3}, p75 {:.3})",
        throughput(ours),
        throughput(theirs),
        throughput(ours) / throughput(theirs),
        support::median(&paired),
        support::quantile(&paired, 0.25),
        support::quantile(&paired, 0.75)
    );
    println!(
        "  allocations per call (client thread): generated {:.1}, hand-written {:.1}",
        support::median(&ours.allocations),
        support::median(&theirs.allocations)
    );
}

/// The latency distribution of both sides (empirical CDF), one panel per mode.
fn draw(path: &str, modes: [(&str, &Side, &Side); 2]) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (1000, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let panels = root.split_evenly((1, 2));
    for (panel, (title, ours, theirs)) in panels.iter().zip(modes) {
        // Up to the larger p98: the far tail of a shared machine would flatten the rest.
        let high = support::quantile(&ours.latencies, 0.98)
            .max(support::quantile(&theirs.latencies, 0.98));
        let low =
            support::quantile(&ours.latencies, 0.0).min(support::quantile(&theirs.latencies, 0.0));
        let mut chart = ChartBuilder::on(panel)
            .caption(
                format!("round trip on loopback, {title}"),
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(low..high, 0.0..1.0)?;
        chart
            .configure_mesh()
            .x_desc("latency per call (µs)")
            .y_desc("fraction of calls")
            .draw()?;
        for (name, side, color) in [
            ("generated (#[askui_endpoint])", ours, RED),
            ("hand-written reqwest", theirs, BLUE),
        ] {
            let mut sorted = side.latencies.clone();
            sorted.sort_by(f64::total_cmp);
            let n = sorted.len() as f64;
            let step = (sorted.len() / 2_000).max(1);
            let points = sorted
                .iter()
                .enumerate()
                .step_by(step)
                .filter(|(_, latency)| **latency <= high)
                .map(|(i, latency)| (*latency, (i + 1) as f64 / n));
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(2)))?
                .label(format!(
                    "{name}: median {:.1} µs",
                    support::median(&side.latencies)
                ))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::MiddleRight)
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
    }
    root.present()?;
    Ok(())
}
