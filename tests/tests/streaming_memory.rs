//! Streamed uploads and downloads far larger than the memory the process may grow by: 1 GiB
//! each way, generated on the fly, through a real server on 127.0.0.1. A memory bound, read
//! from `/proc/self/status`, not a timing. One test in its own binary, so that no other test
//! shares the process's peak.

use askui_runtime::{ByteStream, Client, Multipart, Part};
use askui_tests::streaming::{Files, TOTAL, generated, serve, status_kib};

const GROWTH_LIMIT_KIB: u64 = 64 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gibibyte_each_way_with_bounded_memory() {
    let (base_url, server) = serve().await;
    let client = Client::builder()
        .base_url(base_url)
        .timeout(None)
        .build()
        .unwrap();
    // Warm up the connection pool and the allocator before the baseline.
    let warm = client
        .upload(
            "warm-up",
            ByteStream::from_stream(futures_util::stream::iter([Ok::<_, std::io::Error>(
                vec![0u8; 1024],
            )])),
        )
        .await
        .unwrap();
    assert_eq!(warm["bytes"], 1024);
    let baseline = status_kib("VmRSS:");

    let uploaded = client
        .upload("big/file.bin", ByteStream::from_stream(generated()))
        .await
        .unwrap();
    assert_eq!(uploaded["bytes"], TOTAL);

    let form = Multipart::new().part(
        "file",
        Part::stream_with_length(ByteStream::from_stream(generated()), TOTAL).file_name("big.bin"),
    );
    let uploaded = client.upload_form(form).await.unwrap();
    assert!(uploaded["bytes"].as_u64().unwrap() > TOTAL, "{uploaded}");

    let mut download = client.download().await.unwrap();
    let mut received = 0u64;
    while let Some(chunk) = download.chunk().await.unwrap() {
        received += chunk.len() as u64;
    }
    assert_eq!(received, TOTAL);

    let peak = status_kib("VmHWM:");
    let growth = peak.saturating_sub(baseline);
    eprintln!("baseline RSS {baseline} KiB, peak {peak} KiB, growth {growth} KiB");
    assert!(
        growth < GROWTH_LIMIT_KIB,
        "the process grew by {growth} KiB (limit {GROWTH_LIMIT_KIB} KiB) while streaming 3 GiB"
    );
    server.abort();
}
