//! BENCHMARKS.md section 9: typed streams (issue 18) read from a loopback server in this
//! process, ours against what a reqwest user writes today, side by side in alternating rounds.
//!
//! - Server-sent events: `Sse<Tick>` through a declared `#[askui_endpoint(get, …)]` method
//!   (`generated`), against reqwest's `bytes_stream()` read by the `eventsource-stream` crate
//!   with each event's data decoded by serde_json into the same `Tick` (`handwritten`).
//! - JSON Lines: `JsonLines<Tick>` (`generated`) against `bytes_stream()` cut into lines by
//!   hand (a buffer, a search for LF, `serde_json::from_slice` per line) (`handwritten`).
//!
//! Each stream is 1M small items (`id: N\ndata: {"n":N}\n\n`, `{"n":N}\n`), precomputed and
//! written by a server on its own thread as fast as the socket takes them, in two shapes: one
//! HTTP chunk per item (what a server that flushes each event sends), and 8 KiB chunks (a
//! buffered writer's). Both sides use one `reqwest::Client`; ours does not reconnect at the
//! end (`reconnect(false)`: `eventsource-stream` never does). Every item is checked (count and
//! sum of `n`). The figures are items per second per side, the per-round ratio, and the
//! client thread's allocations per item. Nothing is asserted about time.
//!
//! `--only generated|handwritten --kind sse|lines --shape event|batched`: one side alone,
//! printing nothing: for callgrind (`scripts/bench stream-instructions`). With `--memory`, that
//! stream in a process that has streamed nothing before, and the process's peak RSS
//! (`VmHWM`, reset before it through `/proc/self/clear_refs`) over its RSS just before, as
//! `streaming_memory.rs` measures it (target for ours: < 32 MiB).
//!
//! Run: `scripts/bench streams` (release), or `cargo bench -p askui-tests --bench event_stream
//! -- [--events N] [--rounds N] [--only SIDE --kind KIND --shape SHAPE [--memory]]`.

mod support;

use std::net::SocketAddr;
use std::time::Instant;

use askui_runtime::reqwest::{self, header::ACCEPT};
use askui_runtime::{Client, Error, JsonLines, Sse, askui_endpoint};
use askui_tests::streaming::status_kib;
use eventsource_stream::Eventsource as _;
use futures_util::StreamExt as _;
use serde::Deserialize;
use support::CountingAlloc;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// What each item's data is read as, on both sides.
#[derive(Deserialize)]
struct Tick {
    n: u64,
}

trait Feeds {
    #[askui_endpoint(get, "/<shape>/events")]
    async fn events(&self, shape: &str) -> Result<Sse<Tick>, Error>;

    #[askui_endpoint(get, "/<shape>/rows")]
    async fn rows(&self, shape: &str) -> Result<JsonLines<Tick>, Error>;
}

impl Feeds for Client {}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Sse,
    Lines,
}

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    /// One HTTP chunk per item.
    Event,
    /// HTTP chunks of `BATCH` bytes, items cut anywhere.
    Batched,
}

const BATCH: usize = 8 * 1024;

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Sse => "sse",
            Kind::Lines => "lines",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Kind::Sse => "events",
            Kind::Lines => "rows",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Kind::Sse => "text/event-stream",
            Kind::Lines => "application/x-ndjson",
        }
    }

    fn item(self, n: u64) -> String {
        match self {
            Kind::Sse => format!("id: {n}\ndata: {{\"n\":{n}}}\n\n"),
            Kind::Lines => format!("{{\"n\":{n}}}\n"),
        }
    }

    fn sides(self) -> [&'static str; 2] {
        match self {
            Kind::Sse => ["askui Sse<T>", "eventsource-stream + serde_json"],
            Kind::Lines => ["askui JsonLines<T>", "bytes_stream + split + serde_json"],
        }
    }
}

impl Shape {
    fn name(self) -> &'static str {
        match self {
            Shape::Event => "event",
            Shape::Batched => "batched",
        }
    }

    fn describe(self) -> String {
        match self {
            Shape::Event => "one HTTP chunk per item".to_owned(),
            Shape::Batched => format!("{} KiB HTTP chunks", BATCH / 1024),
        }
    }
}

/// The whole answer (head and chunked body) of `events` items of `kind` cut as `shape` says.
fn answer(kind: Kind, shape: Shape, events: u64) -> &'static [u8] {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: {}\r\ntransfer-encoding: chunked\r\n\r\n",
        kind.content_type()
    )
    .into_bytes();
    let chunk = |out: &mut Vec<u8>, bytes: &[u8]| {
        out.extend_from_slice(format!("{:x}\r\n", bytes.len()).as_bytes());
        out.extend_from_slice(bytes);
        out.extend_from_slice(b"\r\n");
    };
    match shape {
        Shape::Event => {
            for n in 1..=events {
                chunk(&mut out, kind.item(n).as_bytes());
            }
        }
        Shape::Batched => {
            let mut body = Vec::new();
            for n in 1..=events {
                body.extend_from_slice(kind.item(n).as_bytes());
            }
            for piece in body.chunks(BATCH) {
                chunk(&mut out, piece);
            }
        }
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out.leak()
}

/// The answers the server gives, by path.
#[derive(Clone, Default)]
struct Answers(Vec<(String, &'static [u8])>);

impl Answers {
    fn new(events: u64, streams: &[(Kind, Shape)]) -> Answers {
        Answers(
            streams
                .iter()
                .map(|&(kind, shape)| {
                    let path = format!("/{}/{}", shape.name(), kind.path());
                    (path, answer(kind, shape, events))
                })
                .collect(),
        )
    }

    fn get(&self, path: &str) -> Option<&'static [u8]> {
        self.0
            .iter()
            .find_map(|(known, answer)| (known == path).then_some(*answer))
    }
}

/// Starts the server on its own thread and runtime; returns its address.
fn start_server(answers: Answers) -> SocketAddr {
    support::serve_on_own_thread(move |stream| connection(stream, answers.clone()))
}

/// Answers each request of a keep-alive connection with the answer of its path.
async fn connection(mut stream: TcpStream, answers: Answers) {
    let mut buffer = Vec::with_capacity(4096);
    loop {
        let end = loop {
            if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
        buffer.drain(..end);
        let path = head.split(' ').nth(1).unwrap_or_default();
        let answer = answers
            .get(path)
            .unwrap_or_else(|| panic!("no answer for {path}"));
        if stream.write_all(answer).await.is_err() {
            return;
        }
    }
}

/// Items read and the sum of their `n`: both sides must read every item once.
#[derive(Default, Debug, PartialEq)]
struct Tally {
    items: u64,
    sum: u64,
}

impl Tally {
    fn add(&mut self, n: u64) {
        self.items += 1;
        self.sum += n;
    }

    fn expected(events: u64) -> Tally {
        Tally {
            items: events,
            sum: events * (events + 1) / 2,
        }
    }
}

struct Sides {
    base_url: String,
    http: reqwest::Client,
    client: Client,
}

impl Sides {
    /// Ours: the declared method, its typed stream.
    async fn generated(&self, kind: Kind, shape: Shape) -> Tally {
        let mut tally = Tally::default();
        match kind {
            Kind::Sse => {
                let events = self.client.events(shape.name()).await.expect("the call");
                let mut events = events.reconnect(false);
                while let Some(event) = events.next().await {
                    tally.add(event.expect("an event").data.n);
                }
            }
            Kind::Lines => {
                let mut rows = self.client.rows(shape.name()).await.expect("the call");
                while let Some(row) = rows.next().await {
                    tally.add(row.expect("a row").n);
                }
            }
        }
        tally
    }

    /// What a reqwest user writes: `bytes_stream()`, then `eventsource-stream` or a line
    /// split, then serde_json.
    async fn handwritten(&self, kind: Kind, shape: Shape) -> Tally {
        let url = format!("{}/{}/{}", self.base_url, shape.name(), kind.path());
        let accept = match kind {
            Kind::Sse => "text/event-stream",
            Kind::Lines => "application/x-ndjson, application/jsonl",
        };
        let response = self
            .http
            .get(url)
            .header(ACCEPT, accept)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("the call");
        let mut tally = Tally::default();
        match kind {
            Kind::Sse => {
                let mut events = response.bytes_stream().eventsource();
                while let Some(event) = events.next().await {
                    let event = event.expect("an event");
                    let tick: Tick = serde_json::from_str(&event.data).expect("JSON");
                    tally.add(tick.n);
                }
            }
            Kind::Lines => {
                let mut chunks = response.bytes_stream();
                let mut buffer: Vec<u8> = Vec::new();
                let line = |line: &[u8], tally: &mut Tally| {
                    if !line.is_empty() {
                        let tick: Tick = serde_json::from_slice(line).expect("JSON");
                        tally.add(tick.n);
                    }
                };
                while let Some(chunk) = chunks.next().await {
                    buffer.extend_from_slice(&chunk.expect("a chunk"));
                    let mut start = 0;
                    while let Some(end) = buffer[start..].iter().position(|&b| b == b'\n') {
                        line(&buffer[start..start + end], &mut tally);
                        start += end + 1;
                    }
                    buffer.drain(..start);
                }
                line(&buffer, &mut tally);
            }
        }
        tally
    }
}

/// One side's rounds: items per second and allocations per item, per round.
#[derive(Default)]
struct Side {
    rates: Vec<f64>,
    allocations: Vec<f64>,
}

/// One stream of one side, checked, timed and counted.
fn one(
    runtime: &tokio::runtime::Runtime,
    sides: &Sides,
    generated: bool,
    (kind, shape): (Kind, Shape),
    events: u64,
    side: &mut Side,
) {
    let (allocations, _) = support::allocations();
    let start = Instant::now();
    // Boxed, so that each side's future is polled through its own function (never inlined
    // into the caller): what callgrind's `--toggle-collect` counts.
    let stream: std::pin::Pin<Box<dyn std::future::Future<Output = Tally> + '_>> = if generated {
        Box::pin(sides.generated(kind, shape))
    } else {
        Box::pin(sides.handwritten(kind, shape))
    };
    let tally = runtime.block_on(stream);
    let elapsed = start.elapsed();
    let (after, _) = support::allocations();
    assert_eq!(tally, Tally::expected(events), "every item once");
    side.rates.push(events as f64 / elapsed.as_secs_f64());
    side.allocations
        .push((after - allocations) as f64 / events as f64);
}

fn main() {
    let events = support::flag("--events", 1_000_000) as u64;
    let rounds = support::flag("--rounds", 5);
    let arg = |name: &str| std::env::args().skip_while(|arg| arg != name).nth(1);
    let only = arg("--only");
    let memory = std::env::args().any(|arg| arg == "--memory");

    let all = [
        (Kind::Sse, Shape::Event),
        (Kind::Sse, Shape::Batched),
        (Kind::Lines, Shape::Event),
        (Kind::Lines, Shape::Batched),
    ];
    let streams: Vec<(Kind, Shape)> = match &only {
        Some(_) => {
            let kind = match arg("--kind").as_deref() {
                Some("sse") => Kind::Sse,
                Some("lines") => Kind::Lines,
                other => panic!("--kind sse|lines, not {other:?}"),
            };
            let shape = match arg("--shape").as_deref() {
                Some("event") => Shape::Event,
                Some("batched") => Shape::Batched,
                other => panic!("--shape event|batched, not {other:?}"),
            };
            vec![(kind, shape)]
        }
        None => all.to_vec(),
    };

    let addr = start_server(Answers::new(events, &streams));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let base_url = format!("http://{addr}");
    let http = reqwest::Client::new();
    let client = Client::builder()
        .base_url(&base_url)
        .http_client(http.clone())
        .build()
        .expect("client");
    let sides = Sides {
        base_url,
        http,
        client,
    };

    // One side alone: nothing printed (for `valgrind --tool=callgrind` per side), or with
    // `--memory` its peak RSS, in a process that has streamed nothing before.
    if let Some(only) = only {
        let generated = match only.as_str() {
            "generated" => true,
            "handwritten" => false,
            other => panic!("--only generated|handwritten, not {other}"),
        };
        if memory {
            memory_reading(&runtime, &sides, generated, streams[0], events);
            return;
        }
        for _ in 0..rounds {
            one(
                &runtime,
                &sides,
                generated,
                streams[0],
                events,
                &mut Side::default(),
            );
        }
        return;
    }

    // Warm-up: the connection, the allocator, the server's pages.
    for &stream in &streams {
        for generated in [true, false] {
            one(
                &runtime,
                &sides,
                generated,
                stream,
                events,
                &mut Side::default(),
            );
        }
    }

    println!("machine: {}", support::machine());
    for &stream in &streams {
        let (mut ours, mut theirs) = (Side::default(), Side::default());
        for round in 0..rounds {
            let first = support::generated_first(round);
            for generated in [first, !first] {
                let side = if generated { &mut ours } else { &mut theirs };
                one(&runtime, &sides, generated, stream, events, side);
            }
        }
        report(stream, rounds, events, &ours, &theirs);
    }
}

fn report((kind, shape): (Kind, Shape), rounds: usize, events: u64, ours: &Side, theirs: &Side) {
    let [name, other] = kind.sides();
    println!(
        "{}, {}: {rounds} rounds x {events} items per side, alternating",
        kind.name(),
        shape.describe()
    );
    for (label, side) in [(name, ours), (other, theirs)] {
        println!(
            "  {label:<34} {:>6.3} M items/s (median; lowest {:.3}, highest {:.3}), \
             {:.2} allocations per item",
            support::median(&side.rates) / 1e6,
            support::quantile(&side.rates, 0.0) / 1e6,
            support::quantile(&side.rates, 1.0) / 1e6,
            support::median(&side.allocations)
        );
    }
    let paired = support::paired_ratios(&ours.rates, &theirs.rates);
    println!(
        "  throughput ratio askui/other: {:.3} (per-round median; lowest {:.3}, highest {:.3})",
        support::median(&paired),
        support::quantile(&paired, 0.0),
        support::quantile(&paired, 1.0)
    );
}

/// `--memory --only SIDE --kind KIND --shape SHAPE`: one stream of one side in a process
/// that has streamed nothing before (the server's answer is precomputed), its peak RSS over
/// the RSS just before it.
fn memory_reading(
    runtime: &tokio::runtime::Runtime,
    sides: &Sides,
    generated: bool,
    (kind, shape): (Kind, Shape),
    events: u64,
) {
    let label = kind.sides()[usize::from(!generated)];
    // Resets the peak to the current RSS (Linux 4.0+).
    std::fs::write("/proc/self/clear_refs", "5").expect("/proc/self/clear_refs");
    let before = status_kib("VmRSS:");
    one(
        runtime,
        sides,
        generated,
        (kind, shape),
        events,
        &mut Side::default(),
    );
    let peak = status_kib("VmHWM:");
    let growth = peak.saturating_sub(before) as f64 / 1024.0;
    println!(
        "memory, {} {}, {events} items: {label}: growth {growth:.1} MiB (peak {:.1} over {:.1} \
         MiB, the whole process){}",
        kind.name(),
        shape.describe(),
        peak as f64 / 1024.0,
        before as f64 / 1024.0,
        match (generated, growth < 32.0) {
            (true, true) => ", under the 32 MiB target",
            (true, false) => ", OVER the 32 MiB target",
            (false, _) => "",
        }
    );
}
