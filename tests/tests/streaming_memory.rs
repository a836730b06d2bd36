//! Streamed uploads and downloads far larger than the memory the process may grow by: 1 GiB
//! each way, generated on the fly, through a real server on 127.0.0.1. A memory bound, read
//! from `/proc/self/status`, not a timing. One test in its own binary, so that no other test
//! shares the process's peak.

use askui_runtime::{ByteStream, Client, Error, Multipart, Part, askui_endpoint};
use axum::body::Body;
use axum::extract::Request;
use axum::routing::{get, put};
use futures_util::StreamExt as _;
use serde_json::{Value, json};
use tokio::net::TcpListener;

const TOTAL: u64 = 1 << 30;
const CHUNK: usize = 64 * 1024;
static ZEROS: [u8; CHUNK] = [0x5a; CHUNK];
const GROWTH_LIMIT_KIB: u64 = 64 * 1024;

trait Files {
    #[askui_endpoint(put, "/upload/<name..>")]
    async fn upload(
        &self,
        name: &str,
        #[body(content_type = "application/octet-stream")] body: ByteStream,
    ) -> Result<Value, Error>;

    #[askui_endpoint(post, "/upload-form")]
    async fn upload_form(&self, #[multipart] form: Multipart) -> Result<Value, Error>;

    #[askui_endpoint(get, "/download")]
    async fn download(&self) -> Result<ByteStream, Error>;
}

impl Files for Client {}

/// `TOTAL` bytes in 64 KiB chunks that share one static buffer: the generator itself
/// allocates nothing per chunk.
fn generated() -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send {
    futures_util::stream::iter(0..TOTAL / CHUNK as u64)
        .map(|_| Ok(bytes::Bytes::from_static(&ZEROS)))
}

/// Counts a request body without keeping it.
async fn count(request: Request) -> axum::Json<Value> {
    let mut stream = request.into_body().into_data_stream();
    let mut bytes = 0u64;
    while let Some(Ok(chunk)) = stream.next().await {
        bytes += chunk.len() as u64;
    }
    axum::Json(json!({ "bytes": bytes }))
}

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gibibyte_each_way_with_bounded_memory() {
    let app = axum::Router::new()
        .route("/upload/{*name}", put(count))
        .route("/upload-form", axum::routing::post(count))
        .route(
            "/download",
            get(|| async { Body::from_stream(generated()) }),
        );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let client = Client::builder()
        .base_url(format!("http://{addr}"))
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
