//! Reading a paged `all_*` stream item by item, to tell a page fetched as the stream is read
//! from one fetched up front.

use futures_util::{Stream, StreamExt};

use crate::RecordingServer;

/// Reads `stream` to its end. Gives its items, and how many requests `server` had seen
/// before the first read, after each item, and after the end.
pub async fn read_counting_requests<T>(
    stream: impl Stream<Item = T>,
    server: &RecordingServer,
) -> (Vec<T>, Vec<usize>) {
    let mut stream = std::pin::pin!(stream);
    let mut items = Vec::new();
    let mut seen = vec![server.requests().len()];
    while let Some(item) = stream.next().await {
        items.push(item);
        seen.push(server.requests().len());
    }
    seen.push(server.requests().len());
    (items, seen)
}
