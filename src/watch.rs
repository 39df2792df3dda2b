//! `serve --watch`: reload the content when a file under it changes. A reload that finds problems
//! logs them (file and line) and keeps the last good site serving; the next save tries again.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{new_debouncer, DebounceEventResult, Debouncer};

use crate::site::{SharedSite, Site};

/// How long the files must be quiet before a reload: an editor's save is often several writes.
pub const DEBOUNCE: Duration = Duration::from_millis(250);

/// What the watcher has done so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReloadStatus {
    /// Reloads that replaced the site.
    pub reloads: u64,
    /// Reloads refused because the content had problems (or failed to render).
    pub failures: u64,
    /// The problems of the last refused reload, until a reload succeeds.
    pub last_error: Option<String>,
}

/// A running watcher; it stops when dropped.
pub struct Watcher {
    _debouncer: Debouncer<RecommendedWatcher>,
    status: Arc<Mutex<ReloadStatus>>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

impl Watcher {
    /// Watches `dir` and swaps a freshly built site into `shared` after each change.
    pub fn start(
        dir: PathBuf,
        base_url: Option<String>,
        shared: SharedSite,
    ) -> Result<Self, notify_debouncer_mini::notify::Error> {
        let status = Arc::new(Mutex::new(ReloadStatus::default()));
        let recorded = Arc::clone(&status);
        let watched = dir.clone();
        let mut debouncer =
            new_debouncer(DEBOUNCE, move |events: DebounceEventResult| match events {
                Ok(events) if !events.is_empty() => {
                    let outcome = reload(&watched, base_url.as_deref(), &shared);
                    let mut status = recorded.lock().unwrap_or_else(|p| p.into_inner());
                    match outcome {
                        Ok(()) => {
                            status.reloads += 1;
                            status.last_error = None;
                        }
                        Err(problems) => {
                            status.failures += 1;
                            status.last_error = Some(problems);
                        }
                    }
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "watching the content failed"),
            })?;
        debouncer.watcher().watch(&dir, RecursiveMode::Recursive)?;
        tracing::info!(dir = %dir.display(), "watching the content for changes");
        Ok(Self {
            _debouncer: debouncer,
            status,
        })
    }

    /// A copy of what the watcher has done so far.
    pub fn status(&self) -> ReloadStatus {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// A handle that reads the status while the server owns the watcher.
    pub fn status_handle(&self) -> StatusHandle {
        StatusHandle(Arc::clone(&self.status))
    }
}

/// Reads a watcher's [`ReloadStatus`] from elsewhere (tests, health checks).
#[derive(Debug, Clone)]
pub struct StatusHandle(Arc<Mutex<ReloadStatus>>);

impl StatusHandle {
    pub fn get(&self) -> ReloadStatus {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// Loads and renders the content again; the site is replaced only when both succeed.
fn reload(
    dir: &std::path::Path,
    base_url: Option<&str>,
    shared: &SharedSite,
) -> Result<(), String> {
    let started = Instant::now();
    match Site::load(dir, base_url).map_err(|err| err.to_string()) {
        Ok(site) => {
            let topics = site.content.topics.len();
            shared.replace(site);
            tracing::info!(
                topics,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "content reloaded"
            );
            Ok(())
        }
        Err(problems) => {
            tracing::error!(
                "content reload refused; the last good content is still being served:\n{problems}"
            );
            Err(problems)
        }
    }
}
