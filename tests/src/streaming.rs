//! What the streaming-memory test and benchmark share: endpoints that move 1 GiB, a body
//! generated on the fly, and a server on 127.0.0.1 that counts what it receives.

use askui_runtime::{ByteStream, Client, Error, Multipart, askui_endpoint};
use axum::body::Body;
use axum::extract::Request;
use axum::routing::{get, post, put};
use futures_util::StreamExt as _;
use serde_json::{Value, json};
use tokio::net::TcpListener;

/// Bytes moved each way.
pub const TOTAL: u64 = 1 << 30;
const CHUNK: usize = 64 * 1024;
static BYTES: [u8; CHUNK] = [0x5a; CHUNK];

pub trait Files {
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

/// `TOTAL` bytes in 64 KiB chunks sharing one static buffer: nothing allocated per chunk.
pub fn generated() -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send
{
    futures_util::stream::iter(0..TOTAL / CHUNK as u64)
        .map(|_| Ok(bytes::Bytes::from_static(&BYTES)))
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

/// A server for [`Files`] on 127.0.0.1: uploads are counted (`{"bytes": n}`), a download is
/// [`generated`]. Returns its base URL and its task.
pub async fn serve() -> (String, tokio::task::JoinHandle<std::io::Result<()>>) {
    let app = axum::Router::new()
        .route("/upload/{*name}", put(count))
        .route("/upload-form", post(count))
        .route(
            "/download",
            get(|| async { Body::from_stream(generated()) }),
        );
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local address");
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), server)
}

/// A field of `/proc/self/status` in KiB (`VmRSS:`, `VmHWM:`).
pub fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}
