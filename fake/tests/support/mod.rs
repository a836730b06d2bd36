//! A raw HTTP/1.1 client for the fake's tests: what goes over the wire is exactly what the
//! test wrote, so malformed requests can be sent too.

#![allow(dead_code)]

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::time::Duration;

use askui_fake::{Config, FakeServer};
use serde_json::Value;
use tokio::net::TcpStream;
use uuid::Uuid;

pub const TOKEN: &str = "test-token-123";
/// `base64("test-token-123")`.
pub const TOKEN_BASE64: &str = "dGVzdC10b2tlbi0xMjM=";
pub const KNOWN_WORKSPACE: &str = "6f1c2b4e-8d3a-4f5b-9c7d-0e1f2a3b4c5d";
pub const UNKNOWN_WORKSPACE: &str = "0b9e8f7a-6c5d-4e3f-8a1b-2c3d4e5f6a7b";

/// A response as read off the wire.
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl std::fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let body = String::from_utf8_lossy(&self.body);
        let shown: String = body.chars().take(600).collect();
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &shown)
            .finish()
    }
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "{self:?}"
        );
        serde_json::from_slice(&self.body).expect("response body is JSON")
    }
}

pub async fn start() -> FakeServer {
    FakeServer::start(Config::new(TOKEN).workspace(known_workspace()))
        .await
        .expect("server starts")
}

pub fn known_workspace() -> Uuid {
    Uuid::parse_str(KNOWN_WORKSPACE).expect("valid test UUID")
}

pub fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

/// Sends raw bytes and reads the response until the server closes the connection.
pub async fn exchange(addr: SocketAddr, request: &[u8]) -> Vec<u8> {
    let io = async {
        let stream = TcpStream::connect(addr).await.expect("connect");
        let mut written = 0;
        while written < request.len() {
            stream.writable().await.expect("writable");
            match stream.try_write(&request[written..]) {
                Ok(n) => written += n,
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(e) => panic!("write failed: {e}"),
            }
        }
        let mut response = Vec::new();
        let mut buffer = [0u8; 8192];
        loop {
            stream.readable().await.expect("readable");
            match stream.try_read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => response.extend_from_slice(&buffer[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                // The server may close without reading a body it refused.
                Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
                Err(e) => panic!("read failed: {e}"),
            }
        }
        response
    };
    tokio::time::timeout(Duration::from_secs(10), io)
        .await
        .expect("server answered and closed the connection in time")
}

fn parse_response(raw: &[u8]) -> RawResponse {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response has a header section");
    let head = std::str::from_utf8(&raw[..split]).expect("ASCII head");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    RawResponse {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

pub async fn send(
    server: &FakeServer,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> RawResponse {
    let mut request = format!(
        "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
        server.addr(),
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(body);
    parse_response(&exchange(server.addr(), &bytes).await)
}

/// An authorized request with a JSON body (or none, if `body` is empty).
pub async fn call(server: &FakeServer, method: &str, target: &str, body: &str) -> RawResponse {
    let authorization = bearer();
    let mut headers = vec![("Authorization", authorization.as_str())];
    if !body.is_empty() {
        headers.push(("Content-Type", "application/json"));
    }
    send(server, method, target, &headers, body.as_bytes()).await
}

/// A multipart body of `(name, file name, bytes)` parts, and its content type.
pub fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "fake-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, file_name, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let disposition = match file_name {
            Some(file) => format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: text/plain\r\n\r\n"
            ),
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
        };
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Asserts a 422 with exactly one error and returns it.
pub fn single_validation_error(response: &RawResponse) -> Value {
    assert_eq!(response.status, 422, "{response:?}");
    let body = response.json();
    let errors = body["detail"].as_array().expect("detail is a list");
    assert_eq!(errors.len(), 1, "{body}");
    let error = errors[0].clone();
    for field in ["type", "loc", "msg"] {
        assert!(
            error.get(field).is_some(),
            "ValidationError requires {field}: {error}"
        );
    }
    error
}
