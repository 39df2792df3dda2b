//! Logging through `tracing`; the level comes from `VERSUS_LOG` (or `RUST_LOG`), `info` by default.

mod access;
mod batched;
mod request;

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// How the subscriber prints a field's name on a terminal: italic, then a dimmed `=`. The access
/// line and the request id's field, both written here rather than by the subscriber, use it too.
const FIELD_NAME_ON: &str = "\x1b[3m";
const FIELD_NAME_OFF: &str = "\x1b[0m\x1b[2m=\x1b[0m";

pub use access::Access;
use batched::Batched;
pub use batched::LogGuard;
use request::WithRequestId;
pub use request::{in_request, with_request_id};

/// Installs the global subscriber. Log lines go to stderr through a thread of their own, in
/// batches, so a request never waits for the terminal or a pipe: it appends its line to a
/// buffer and goes on. The returned guard writes out whatever is still buffered when it is
/// dropped: keep it until the process ends. Safe to call once per process.
#[must_use = "dropping the guard stops the log writer; keep it until the process ends"]
pub fn init() -> LogGuard {
    let (writer, guard) = Batched::start(std::io::stderr());
    let ansi = std::io::stderr().is_terminal();
    let filter = EnvFilter::try_from_env("VERSUS_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .event_format(WithRequestId(
            tracing_subscriber::fmt::format()
                .with_ansi(ansi)
                .with_target(false),
        ))
        .with_writer(writer.clone())
        .try_init();
    if installed.is_ok() {
        access::install(writer, ansi);
    }
    guard
}

/// A writer tests read back while a log thread writes to it.
#[cfg(test)]
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

#[cfg(test)]
impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }

    fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

#[cfg(test)]
impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
