//! The log's writer: request threads append whole lines to a buffer that one thread writes out
//! in batches.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use tracing_subscriber::fmt::MakeWriter;

/// A batch this large is written at once, without waiting for more.
const BATCH: usize = 32 * 1024;
/// The longest a line waits to be written when the server is quiet.
const LINGER: Duration = Duration::from_millis(50);
/// Past this much unwritten text a request waits for the writer: lines are never dropped.
const HOLD: usize = 4 * 1024 * 1024;

/// Lines waiting to be written, and whether the writer is asleep or should stop.
#[derive(Default)]
struct Pending {
    text: Vec<u8>,
    writer_asleep: bool,
    stopping: bool,
}

/// The buffer the request threads append to and the writer thread empties.
///
/// Written here rather than taken from `tracing-appender`, whose writer wakes its thread for
/// every line: here the thread wakes once per batch (the numbers: `benches/RESULTS.md`, "Moved
/// from the code").
#[derive(Default)]
struct Shared {
    pending: Mutex<Pending>,
    /// Wakes the writer: a first line after a quiet spell, a full batch, or stopping.
    wake: Condvar,
    /// Wakes request threads held at [`HOLD`] once the writer has taken the text.
    taken: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        // A thread that panicked while appending left whole lines or none: keep logging.
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The [`MakeWriter`] the subscriber formats each line into.
#[derive(Clone)]
pub(super) struct Batched(Arc<Shared>);

impl Batched {
    pub(super) fn start(mut out: impl Write + Send + 'static) -> (Self, LogGuard) {
        let shared = Arc::new(Shared::default());
        let writer = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("log-writer".into())
            .spawn(move || {
                let mut batch = Vec::with_capacity(BATCH);
                loop {
                    let stop = {
                        let mut pending = writer.lock();
                        while pending.text.is_empty() && !pending.stopping {
                            pending.writer_asleep = true;
                            pending = writer
                                .wake
                                .wait(pending)
                                .unwrap_or_else(PoisonError::into_inner);
                        }
                        // Give a batch that has just begun a moment to fill.
                        if pending.text.len() < BATCH && !pending.stopping {
                            pending.writer_asleep = true;
                            pending = writer
                                .wake
                                .wait_timeout(pending, LINGER)
                                .unwrap_or_else(PoisonError::into_inner)
                                .0;
                        }
                        pending.writer_asleep = false;
                        std::mem::swap(&mut pending.text, &mut batch);
                        writer.taken.notify_all();
                        pending.stopping && batch.is_empty()
                    };
                    if stop {
                        break;
                    }
                    // Nowhere to report a failed write to but the log itself.
                    let _ = out.write_all(&batch).and_then(|()| out.flush());
                    batch.clear();
                }
            })
            .expect("the log writer thread starts");
        (
            Self(Arc::clone(&shared)),
            LogGuard {
                shared,
                thread: Some(thread),
            },
        )
    }
}

impl<'a> MakeWriter<'a> for Batched {
    type Writer = Line<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        Line(&self.0)
    }
}

/// One formatted line (the subscriber writes each whole line at once).
pub(super) struct Line<'a>(&'a Shared);

impl Write for Line<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut pending = self.0.lock();
        while pending.text.len() >= HOLD && !pending.stopping {
            pending = self
                .0
                .taken
                .wait(pending)
                .unwrap_or_else(PoisonError::into_inner);
        }
        let first = pending.text.is_empty();
        pending.text.extend_from_slice(bytes);
        // Waking a thread is a system call: only when it sleeps and has something to do now.
        if pending.writer_asleep && (first || pending.text.len() >= BATCH) {
            pending.writer_asleep = false;
            self.0.wake.notify_one();
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Stops the writer once it has written every line: keep it until the process ends.
pub struct LogGuard {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        self.shared.lock().stopping = true;
        self.shared.wake.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::super::Captured;
    use super::*;

    #[test]
    fn every_line_from_every_thread_is_written_whole_by_the_time_the_guard_is_dropped() {
        let out = Captured::default();
        let (writer, guard) = Batched::start(out.clone());
        std::thread::scope(|scope| {
            for t in 0..4 {
                let writer = writer.clone();
                scope.spawn(move || {
                    for i in 0..5_000 {
                        let line = format!("thread {t} line {i} {}\n", "x".repeat(i % 50));
                        writer.make_writer().write_all(line.as_bytes()).unwrap();
                    }
                });
            }
        });
        drop(guard);
        let text = out.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 20_000);
        for t in 0..4 {
            // Each thread's lines arrive whole and in the order it wrote them.
            let mine: Vec<&str> = lines
                .iter()
                .copied()
                .filter(|l| l.starts_with(&format!("thread {t} ")))
                .collect();
            assert_eq!(mine.len(), 5_000);
            for (i, line) in mine.iter().enumerate() {
                assert_eq!(*line, format!("thread {t} line {i} {}", "x".repeat(i % 50)));
            }
        }
    }

    #[test]
    fn a_line_on_a_quiet_server_is_written_without_waiting_for_more() {
        let out = Captured::default();
        let (writer, _guard) = Batched::start(out.clone());
        for round in 0..3 {
            writer.make_writer().write_all(b"one line\n").unwrap();
            let asked = Instant::now();
            while out.len() < 9 * (round + 1) {
                assert!(
                    asked.elapsed() < Duration::from_secs(2),
                    "the line was not written"
                );
                std::thread::sleep(Duration::from_millis(5));
            }
            // Written after the batch's short wait, not at once and not never.
            assert!(asked.elapsed() < LINGER * 20, "{:?}", asked.elapsed());
        }
    }
}
