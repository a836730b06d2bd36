//! BENCHMARKS.md section 6: the process's peak RSS while streaming 1 GiB up and 1 GiB down
//! through the generated methods, in release, next to the same transfers written by hand
//! with reqwest (one `reqwest::Client` under both), against an axum server in this process
//! on 127.0.0.1 (which counts too: the figures are an upper bound for the client).
//!
//! Each transfer runs alone between two readings: the peak (`VmHWM`) is reset before it by
//! writing `5` to `/proc/self/clear_refs`, so each figure is that transfer's own peak, and its
//! growth over the RSS just before. `tests/tests/streaming_memory.rs` asserts the same bound
//! (64 MiB of growth) in a debug build; this reports the figures. Nothing is asserted here
//! but the bytes counted.
//!
//! Run: `scripts/bench memory` (release), or `cargo bench -p askui-tests --bench
//! streaming_memory`.

mod support;

use std::time::Instant;

use askui_runtime::{ByteStream, Client, Multipart, Part, reqwest};
use askui_tests::streaming::{Files, TOTAL, generated, serve, status_kib};
use serde_json::Value;

/// One transfer's memory: RSS before, its own peak, and the time it took.
struct Reading {
    before_kib: u64,
    peak_kib: u64,
    seconds: f64,
}

async fn measure<F: std::future::Future<Output = u64>>(transfer: F) -> Reading {
    // Resets the peak to the current RSS (Linux 4.0+).
    std::fs::write("/proc/self/clear_refs", "5").expect("/proc/self/clear_refs");
    let before_kib = status_kib("VmRSS:");
    let start = Instant::now();
    let bytes = transfer.await;
    let seconds = start.elapsed().as_secs_f64();
    assert!(bytes >= TOTAL, "{bytes} bytes moved, fewer than {TOTAL}");
    Reading {
        before_kib,
        peak_kib: status_kib("VmHWM:"),
        seconds,
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (base_url, server) = serve().await;
    let http = reqwest::Client::new();
    let client = Client::builder()
        .base_url(&base_url)
        .http_client(http.clone())
        .timeout(None)
        .build()
        .expect("client");

    // Warm up the pool and the allocator before the first reading.
    let body = ByteStream::from_stream(futures_util::stream::iter([Ok::<_, std::io::Error>(
        vec![0u8; 1024],
    )]));
    client.upload("warm-up", body).await.expect("warm-up");

    let uploaded = |answer: Value| answer["bytes"].as_u64().expect("a count");
    let readings = [
        (
            "upload, generated (ByteStream body)",
            measure(async {
                let body = ByteStream::from_stream(generated());
                uploaded(client.upload("big/file.bin", body).await.expect("upload"))
            })
            .await,
        ),
        (
            "upload, hand-written (reqwest::Body::wrap_stream)",
            measure(async {
                let response = http
                    .put(format!("{base_url}/upload/big/file.bin"))
                    .header("content-type", "application/octet-stream")
                    .body(reqwest::Body::wrap_stream(generated()))
                    .send()
                    .await
                    .and_then(reqwest::Response::error_for_status)
                    .expect("upload");
                let bytes = response.bytes().await.expect("the answer");
                uploaded(serde_json::from_slice(&bytes).expect("JSON"))
            })
            .await,
        ),
        (
            "upload, generated (multipart, streamed part)",
            measure(async {
                let part = Part::stream_with_length(ByteStream::from_stream(generated()), TOTAL)
                    .file_name("big.bin");
                let form = Multipart::new().part("file", part);
                uploaded(client.upload_form(form).await.expect("upload"))
            })
            .await,
        ),
        (
            "download, generated (ByteStream answer)",
            measure(async {
                let mut download = client.download().await.expect("download");
                let mut received = 0u64;
                while let Some(chunk) = download.chunk().await.expect("a chunk") {
                    received += chunk.len() as u64;
                }
                received
            })
            .await,
        ),
        (
            "download, hand-written (Response::chunk)",
            measure(async {
                let mut response = http
                    .get(format!("{base_url}/download"))
                    .send()
                    .await
                    .and_then(reqwest::Response::error_for_status)
                    .expect("download");
                let mut received = 0u64;
                while let Some(chunk) = response.chunk().await.expect("a chunk") {
                    received += chunk.len() as u64;
                }
                received
            })
            .await,
        ),
    ];
    server.abort();

    println!("machine: {}", support::machine());
    println!("1 GiB each, streamed; peak RSS of the whole process (client and server):");
    for (name, reading) in &readings {
        println!(
            "  {name:<52} peak {:>6.1} MiB, growth {:>5.1} MiB over {:.1} MiB, {:.2} GiB/s",
            reading.peak_kib as f64 / 1024.0,
            reading.peak_kib.saturating_sub(reading.before_kib) as f64 / 1024.0,
            reading.before_kib as f64 / 1024.0,
            TOTAL as f64 / (1u64 << 30) as f64 / reading.seconds
        );
    }
    let peak = |i: usize| readings[i].1.peak_kib as f64;
    println!(
        "  peak ratio generated/hand-written: upload {:.3}, download {:.3}",
        peak(0) / peak(1),
        peak(3) / peak(4)
    );
}
