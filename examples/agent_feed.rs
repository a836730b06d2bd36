//! An agent execution's progress as server-sent events, printed as they arrive: a loopback
//! server this example starts plays the API, streaming one execution's steps (a
//! `text/event-stream` answer, one event every 300 ms), and drops the connection halfway; the
//! client reconnects with `Last-Event-ID` and the feed goes on where it stopped.
//!
//!     cargo run -p askui-examples --example agent_feed

use std::time::Duration;

use askui_runtime::{Client, Error, RetryPolicy, Sse, askui_endpoint};
use futures_util::StreamExt as _;
use serde::Deserialize;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// One step of an agent execution, as the feed's `data` carries it (JSON).
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Step {
    Started { agent: String },
    Action { description: String },
    Screenshot { url: String },
    Finished { status: String },
}

trait Executions {
    #[askui_endpoint(get, "/api/v1/agent-executions/<execution_id>/events")]
    async fn follow(&self, execution_id: &str) -> Result<Sse<Step>, Error>;
}
impl Executions for Client {}

const STEPS: [&str; 6] = [
    r#"{"type": "started", "agent": "invoice-checker"}"#,
    r#"{"type": "action", "description": "open the billing page"}"#,
    r#"{"type": "screenshot", "url": "https://files.example/s/1.png"}"#,
    r#"{"type": "action", "description": "read the invoice total"}"#,
    r#"{"type": "action", "description": "compare with the order"}"#,
    r#"{"type": "finished", "status": "PASSED"}"#,
];

/// The API's part: each connection resumes after its `Last-Event-ID`; the first one breaks
/// off after three steps; after the last step the stream ends, and a reconnection gets 204.
async fn serve(listener: tokio::net::TcpListener) {
    let mut connection = 0;
    while let Ok((mut stream, _)) = listener.accept().await {
        connection += 1;
        let mut head = Vec::new();
        let mut buffer = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => head.extend_from_slice(&buffer[..n]),
            }
        }
        let head = String::from_utf8_lossy(&head).to_lowercase();
        let after: usize = head
            .lines()
            .find_map(|line| line.strip_prefix("last-event-id:"))
            .and_then(|id| id.trim().parse().ok())
            .unwrap_or(0);
        if after >= STEPS.len() {
            let _ = stream
                .write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                .await;
            continue;
        }
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n")
            .await;
        let mut events = vec![": agent feed\nretry: 500\n\n".to_owned()];
        events.extend(
            STEPS
                .iter()
                .enumerate()
                .skip(after)
                .map(|(i, step)| format!("id: {}\ndata: {step}\n\n", i + 1)),
        );
        for (sent, event) in events.iter().enumerate() {
            let chunk = format!("{:x}\r\n{event}\r\n", event.len());
            if stream.write_all(chunk.as_bytes()).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
            // The first connection breaks off after three steps.
            if connection == 1 && sent == 3 {
                break;
            }
        }
        if connection > 1 {
            let _ = stream.write_all(b"0\r\n\r\n").await;
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|error| Error::invalid_argument("listener", error))?;
    let base_url = format!(
        "http://{}",
        listener
            .local_addr()
            .map_err(|error| Error::invalid_argument("listener", error))?
    );
    tokio::spawn(serve(listener));

    let client = Client::builder()
        .base_url(base_url)
        .retry(RetryPolicy::default().delays(Duration::from_millis(200), Duration::from_secs(2)))
        .build()?;
    let mut steps = client.follow("3f0c2a9e").await?;
    while let Some(event) = steps.next().await {
        let event = event?;
        let id = event.id.as_deref().unwrap_or("-");
        match event.data {
            Step::Started { agent } => println!("[{id}] started {agent}"),
            Step::Action { description } => println!("[{id}] {description}"),
            Step::Screenshot { url } => println!("[{id}] screenshot {url}"),
            Step::Finished { status } => println!("[{id}] finished: {status}"),
        }
    }
    println!("the feed ended (last event id {:?})", steps.last_event_id());
    Ok(())
}
