//! Progress of uploads and downloads, against what a server on 127.0.0.1 saw: the bytes
//! reported are the bytes that went over the wire, the total is the body's length when it
//! is known and `None` when it is not, and a retried upload starts again from 0 with the
//! next attempt. Async and blocking clients.

use std::io::Read as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use askui_runtime::{
    ByteStream, CallOptions, Client, Error, Multipart, Part, Progress, RetryPolicy, Transferred,
    askui_endpoint, blocking,
};
use askui_tests::{RawServer, RecordingServer, Reply, read_request_head};
use tokio::io::AsyncWriteExt as _;

trait Uploads {
    #[askui_endpoint(put, "/files/<name>")]
    async fn upload_form(
        &self,
        name: &str,
        #[multipart] form: Multipart,
        #[options] options: Option<&CallOptions>,
    ) -> Result<(), Error>;

    #[askui_endpoint(put, "/blobs/<name>")]
    async fn upload_bytes(
        &self,
        name: &str,
        #[body(content_type = "application/octet-stream")] body: Vec<u8>,
        #[options] options: Option<&CallOptions>,
    ) -> Result<(), Error>;

    #[askui_endpoint(post, "/blobs")]
    async fn upload_stream(
        &self,
        #[body(content_type = "application/octet-stream")] body: ByteStream,
        #[options] options: Option<&CallOptions>,
    ) -> Result<(), Error>;

    #[askui_endpoint(get, "/blobs/<name>")]
    async fn download(&self, name: &str) -> Result<ByteStream, Error>;
}

impl Uploads for Client {}

trait BlockingUploads {
    #[askui_endpoint(put, "/blobs/<name>")]
    fn upload_bytes(
        &self,
        name: &str,
        #[body(content_type = "application/octet-stream")] body: Vec<u8>,
        #[options] options: Option<&CallOptions>,
    ) -> Result<(), Error>;

    #[askui_endpoint(get, "/blobs/<name>")]
    fn download(&self, name: &str) -> Result<ByteStream, Error>;
}

impl BlockingUploads for blocking::Client {}

/// `n` bytes that are not all alike.
fn payload(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 7 % 251) as u8).collect()
}

/// A progress that keeps every report, and a reader of them.
fn recorded() -> (Progress, Arc<Mutex<Vec<Transferred>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let progress = Progress::with_callback(move |now| {
        log.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(*now)
    });
    (progress, seen)
}

fn reports(seen: &Mutex<Vec<Transferred>>) -> Vec<Transferred> {
    seen.lock().unwrap_or_else(PoisonError::into_inner).clone()
}

/// Within each attempt the bytes only grow, never past the total; each attempt starts at 0.
fn assert_steady(reports: &[Transferred]) {
    for pair in reports.windows(2) {
        let (before, after) = (pair[0], pair[1]);
        if after.attempt == before.attempt {
            assert!(after.bytes >= before.bytes, "{reports:#?}");
        } else {
            assert_eq!(after.attempt, before.attempt + 1, "{reports:#?}");
            assert_eq!(after.bytes, 0, "{reports:#?}");
        }
        if let Some(total) = after.total {
            assert!(after.bytes <= total, "{reports:#?}");
        }
    }
}

fn client(server: &str) -> Client {
    Client::builder()
        .base_url(server)
        .retry(RetryPolicy::default().delays(Duration::from_millis(5), Duration::from_millis(20)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_multipart_upload_reports_the_whole_body_as_sent() {
    let server = RecordingServer::always(Reply::empty(204)).await;
    let file = std::env::temp_dir().join(format!("askui-progress-{}.bin", std::process::id()));
    std::fs::write(&file, payload(150_000)).unwrap();
    let (progress, seen) = recorded();
    let watch = progress.watch();
    let form = Multipart::new()
        .text("description", "two parts and a field")
        .part("a", Part::bytes(payload(200_000)).file_name("a.bin"))
        .file("b", &file);
    let options = CallOptions::new().upload_progress(&progress);
    client(&server.base_url())
        .upload_form("a.bin", form, Some(&options))
        .await
        .unwrap();
    let _ = std::fs::remove_file(&file);

    let request = server.only_request();
    let sent = request.body.len() as u64;
    assert!(sent > 350_000);
    // The total is the form's `Content-Length`: parts, headers and boundaries.
    assert_eq!(request.header("content-length"), Some(&*sent.to_string()));
    let now = watch.get();
    assert_eq!((now.bytes, now.total, now.attempt), (sent, Some(sent), 1));
    assert!(now.done);
    let reports = reports(&seen);
    assert_steady(&reports);
    // Reported as it went: the bytes part in pieces, the file in chunks.
    assert!(reports.len() > 5, "{reports:#?}");
    assert_eq!(request.multipart().len(), 3);
}

#[tokio::test]
async fn a_raw_body_upload_reports_its_bytes_piece_by_piece() {
    let server = RecordingServer::always(Reply::empty(204)).await;
    let body = payload(1_000_000);
    let (progress, seen) = recorded();
    let options = CallOptions::new().upload_progress(&progress);
    client(&server.base_url())
        .upload_bytes("b.bin", body.clone(), Some(&options))
        .await
        .unwrap();

    let request = server.only_request();
    assert_eq!(request.body, body);
    let now = progress.get();
    assert_eq!(
        (now.bytes, now.total, now.attempt, now.done),
        (body.len() as u64, Some(body.len() as u64), 1, true)
    );
    assert_eq!(now.fraction(), Some(1.0));
    let reports = reports(&seen);
    assert_steady(&reports);
    // The start, then 64 KiB pieces, then the end.
    let pieces = reports.iter().filter(|now| !now.done).count();
    assert!(pieces > 10, "{reports:#?}");
}

#[tokio::test]
async fn a_stream_of_unknown_length_has_no_total() {
    let server = RecordingServer::always(Reply::empty(204)).await;
    let chunks: Vec<Vec<u8>> = (0..20).map(|i| payload(10_000 + i)).collect();
    let expected: Vec<u8> = chunks.concat();
    let stream = futures_util::stream::iter(chunks.into_iter().map(Ok::<_, std::io::Error>));
    let (progress, seen) = recorded();
    let options = CallOptions::new().upload_progress(&progress);
    client(&server.base_url())
        .upload_stream(ByteStream::from_stream(stream), Some(&options))
        .await
        .unwrap();

    let request = server.only_request();
    assert_eq!(request.body, expected);
    assert_eq!(request.header("transfer-encoding"), Some("chunked"));
    let now = progress.get();
    assert_eq!(
        (now.bytes, now.total, now.attempt, now.done),
        (expected.len() as u64, None, 1, true)
    );
    assert_eq!(now.fraction(), None);
    let reports = reports(&seen);
    assert_steady(&reports);
    assert!(reports.iter().all(|now| now.total.is_none()));
    assert!(reports.len() >= 20, "{reports:#?}");
}

#[tokio::test]
async fn a_retried_upload_starts_again_from_zero() {
    // The first attempt is answered 503 after the server read the whole body.
    let count = AtomicUsize::new(0);
    let server = RecordingServer::start(move |_| match count.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::empty(503),
        _ => Reply::empty(204),
    })
    .await;
    let body = payload(300_000);
    let (progress, seen) = recorded();
    let watch = progress.watch();
    let options = CallOptions::new().upload_progress(&progress);
    client(&server.base_url())
        .upload_bytes("c.bin", body.clone(), Some(&options))
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|request| request.body == body));
    let total = body.len() as u64;
    let reports = reports(&seen);
    assert_steady(&reports);
    for attempt in [1, 2] {
        let of_attempt: Vec<_> = reports
            .iter()
            .filter(|now| now.attempt == attempt)
            .collect();
        assert_eq!(of_attempt.first().map(|now| now.bytes), Some(0));
        let last = of_attempt.last().unwrap();
        assert_eq!(
            (last.bytes, last.total, last.done),
            (total, Some(total), true)
        );
    }
    // A watcher sees the second attempt, whole.
    assert_eq!(
        (watch.attempt(), watch.bytes(), watch.total()),
        (2, total, Some(total))
    );
}

#[tokio::test]
async fn a_download_with_a_content_length_has_a_total() {
    let body = payload(500_000);
    let server =
        RecordingServer::always(Reply::raw(200, "application/octet-stream", body.clone())).await;
    let (progress, seen) = recorded();
    let path = std::env::temp_dir().join(format!("askui-progress-dl-{}.bin", std::process::id()));
    let download = client(&server.base_url()).download("d.bin").await.unwrap();
    assert_eq!(download.content_length(), Some(body.len() as u64));
    let written = download.progress(&progress).save(&path).await.unwrap();
    let saved = std::fs::read(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(saved, body);
    assert_eq!(written, body.len() as u64);
    let now = progress.get();
    assert_eq!(
        (now.bytes, now.total, now.attempt, now.done),
        (written, Some(written), 1, true)
    );
    assert_steady(&reports(&seen));
}

#[tokio::test]
async fn a_download_without_a_content_length_has_none() {
    let chunks: Vec<Vec<u8>> = (0..8).map(|i| payload(30_000 + i)).collect();
    let expected = chunks.concat();
    let server = RawServer::start(move |mut stream| {
        let chunks = chunks.clone();
        async move {
            read_request_head(&mut stream).await;
            let mut answer = b"HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n\
                               transfer-encoding: chunked\r\n\r\n"
                .to_vec();
            for chunk in &chunks {
                answer.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                answer.extend_from_slice(chunk);
                answer.extend_from_slice(b"\r\n");
            }
            answer.extend_from_slice(b"0\r\n\r\n");
            let _ = stream.write_all(&answer).await;
            let _ = stream.flush().await;
        }
    })
    .await;
    let progress = Progress::new();
    let mut watch = progress.watch();
    let download = client(&server.base_url()).download("e.bin").await.unwrap();
    assert_eq!(download.content_length(), None);
    let mut received = Vec::new();
    download
        .progress(&progress)
        .write_to(&mut received)
        .await
        .unwrap();
    drop(progress);
    assert_eq!(received, expected);
    // The last change is there for the watch, then it closes: nothing reports any more.
    let last = watch.changed().await.unwrap();
    assert_eq!(
        (last.bytes, last.total, last.done),
        (expected.len() as u64, None, true)
    );
    assert_eq!(watch.changed().await, None);
}

#[tokio::test]
async fn an_async_read_of_a_download_is_counted_too() {
    use tokio::io::AsyncReadExt as _;
    let body = payload(200_000);
    let server =
        RecordingServer::always(Reply::raw(200, "application/octet-stream", body.clone())).await;
    let progress = Progress::new();
    let download = client(&server.base_url()).download("f.bin").await.unwrap();
    let mut reader = download.progress(&progress).into_async_read();
    let mut received = Vec::new();
    reader.read_to_end(&mut received).await.unwrap();
    assert_eq!(received, body);
    let now = progress.get();
    assert_eq!(
        (now.bytes, now.total, now.done),
        (200_000, Some(200_000), true)
    );
}

#[test]
fn the_blocking_client_reports_uploads_and_downloads() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let count = AtomicUsize::new(0);
    let body = payload(250_000);
    let answer = body.clone();
    let server = runtime.block_on(RecordingServer::start(move |request| {
        match (
            request.method.as_str(),
            count.fetch_add(1, Ordering::SeqCst),
        ) {
            (_, 0) => Reply::empty(503),
            ("PUT", _) => Reply::empty(204),
            _ => Reply::raw(200, "application/octet-stream", answer.clone()),
        }
    }));
    let client = Client::builder()
        .base_url(server.base_url())
        .retry(RetryPolicy::default().delays(Duration::from_millis(5), Duration::from_millis(20)))
        .build_blocking()
        .unwrap();

    let (progress, seen) = recorded();
    let options = CallOptions::new().upload_progress(&progress);
    client
        .upload_bytes("g.bin", body.clone(), Some(&options))
        .unwrap();
    let total = body.len() as u64;
    let reports = reports(&seen);
    assert_steady(&reports);
    let last = reports.last().copied().unwrap();
    assert_eq!(
        (last.bytes, last.total, last.attempt, last.done),
        (total, Some(total), 2, true)
    );
    assert_eq!(server.requests().len(), 2);

    let progress = Progress::new();
    let mut received = Vec::new();
    client
        .download("g.bin")
        .unwrap()
        .progress(&progress)
        .into_blocking_read()
        .read_to_end(&mut received)
        .unwrap();
    assert_eq!(received, body);
    let now = progress.get();
    assert_eq!(
        (now.bytes, now.total, now.attempt, now.done),
        (total, Some(total), 1, true)
    );
}
