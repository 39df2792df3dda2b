//! Logging through `tracing`; the level comes from `VERSUS_LOG` (or `RUST_LOG`), `info` by default.

use std::io::IsTerminal;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber, writing to stderr through a background thread, so a request
/// never waits for the terminal or a pipe: it hands its line over and goes on. The writer is
/// not lossy (a full buffer makes the logger wait rather than drop lines), and the returned
/// guard writes out whatever is still buffered when it is dropped: keep it until the process
/// ends. Safe to call once per process.
#[must_use = "dropping the guard stops the log writer; keep it until the process ends"]
pub fn init() -> WorkerGuard {
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("log-writer")
        .finish(std::io::stderr());
    let filter = EnvFilter::try_from_env("VERSUS_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
    guard
}
