//! One global `tracing` subscriber that records every level, span closings included, in
//! memory: what the secrets and observability tests search. Each test binary installs its own
//! on first use.

use std::io::Write;
use std::sync::{Mutex, OnceLock};

use tracing_subscriber::fmt::format::FmtSpan;

static LOG: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Everything recorded so far, as text; the first call installs the subscriber.
pub fn captured() -> String {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        tracing_subscriber::fmt()
            .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
            .with_ansi(false)
            .with_span_events(FmtSpan::CLOSE)
            .with_writer(|| Recorder)
            .init();
    });
    let log = LOG.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    String::from_utf8_lossy(&log).into_owned()
}

/// Writes to [`LOG`].
struct Recorder;

impl Write for Recorder {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut log = LOG.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        log.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
