//! Writes that are acknowledged only once they are durably committed, on connections that are
//! never reused after a failed `COMMIT` or `ROLLBACK`, and whether writes can commit at all
//! (for `/readyz`).
//!
//! The transaction is driven with plain `BEGIN`/`COMMIT` on a pooled connection rather than
//! sqlx's `Transaction`: when SQLite's `COMMIT` fails (a full disk, an I/O error) SQLite may
//! already have rolled back, sqlx's own `ROLLBACK` then fails too, and sqlx keeps counting the
//! connection as inside a transaction, so the next `begin()` on it became a savepoint inside a
//! transaction that never ended and answers were acknowledged without being committed. Here a
//! connection goes back to the pool only after a `COMMIT` or `ROLLBACK` that succeeded; any
//! other ending (an error, a cancelled request) closes it, and closing rolls back.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Executor};
use tokio::sync::{Mutex, MutexGuard};

use super::views::{Changes, Views};
use super::StoreError;

/// A write transaction, with this process's turn to write on SQLite.
pub(super) struct Write<'s> {
    conn: PoolConnection<Any>,
    /// Set once `COMMIT` succeeded: only then is the connection fit for reuse.
    finished: bool,
    health: &'s WriteHealth,
    views: Option<&'s Views>,
    changes: Changes<'s>,
    _turn: Option<MutexGuard<'s, ()>>,
}

impl<'s> Write<'s> {
    /// `sqlite` is the turn to write and the teams last read, on SQLite. Waits for the turn,
    /// checks that the database file is still the one opened, and
    /// begins. SQLite's `BEGIN IMMEDIATE` takes the write lock at once, so a write never fails
    /// half-way for want of it.
    pub(super) async fn begin(
        pool: &AnyPool,
        sqlite: Option<(&'s Mutex<()>, &'s Views)>,
        health: &'s WriteHealth,
        changes: Changes<'s>,
    ) -> Result<Write<'s>, StoreError> {
        let turn = match sqlite {
            Some((writing, _)) => Some(writing.lock().await),
            None => None,
        };
        health.check_file()?;
        let mut conn = pool.acquire().await.map_err(|err| health.failed(err))?;
        let begin = if sqlite.is_some() {
            "BEGIN IMMEDIATE"
        } else {
            "BEGIN"
        };
        if let Err(err) = conn.as_mut().execute(begin).await {
            conn.close_on_drop();
            return Err(health.failed(err));
        }
        Ok(Write {
            conn,
            finished: false,
            health,
            views: sqlite.map(|(_, views)| views),
            changes,
            _turn: turn,
        })
    }

    /// The connection, inside the transaction.
    pub(super) fn conn(&mut self) -> &mut AnyConnection {
        self.conn.as_mut()
    }

    /// Commits: `Ok` means durably committed (SQLite syncs its log at every commit).
    pub(super) async fn commit(mut self) -> Result<(), StoreError> {
        self.health.check_file()?;
        match self.conn.as_mut().execute("COMMIT").await {
            Ok(_) => {
                self.finished = true;
                self.health.succeeded();
                Ok(())
            }
            Err(err) => Err(self.health.failed(err)),
        }
    }
}

impl Drop for Write<'_> {
    fn drop(&mut self) {
        if !self.finished {
            // Closing the connection rolls back whatever it had begun.
            self.conn.close_on_drop();
        }
        // Committed or not, what was read of the changed teams before is not kept.
        if let Some(views) = self.views {
            views.forget(&self.changes);
        }
    }
}

/// Whether writes can commit now: set by a write that failed for the database's sake, cleared
/// by the next commit that succeeds; and, on SQLite, the file the store opened, so a database
/// removed or replaced under a running server is noticed instead of written into deleted files.
#[derive(Debug, Default)]
pub(super) struct WriteHealth {
    failing: AtomicBool,
    file: Option<FileIdentity>,
    /// One write check at a time, however many `/readyz` requests arrive.
    checking: tokio::sync::Mutex<()>,
}

#[derive(Debug)]
struct FileIdentity {
    path: PathBuf,
    /// Device and inode once the schema is applied (the file exists from then on).
    opened: std::sync::OnceLock<(u64, u64)>,
}

fn identity(path: &Path) -> std::io::Result<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path)?;
    Ok((meta.dev(), meta.ino()))
}

impl WriteHealth {
    pub(super) fn for_file(path: Option<PathBuf>) -> Self {
        Self {
            file: path.map(|path| FileIdentity {
                path,
                opened: std::sync::OnceLock::new(),
            }),
            ..Self::default()
        }
    }

    /// Remembers which file the store opened (after the migrations created it).
    pub(super) fn opened(&self) {
        if let Some(file) = &self.file {
            if let Ok(id) = identity(&file.path) {
                let _ = file.opened.set(id);
            }
        }
    }

    fn check_file(&self) -> Result<(), StoreError> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let Some(&opened) = file.opened.get() else {
            return Ok(());
        };
        match identity(&file.path) {
            Ok(now) if now == opened => Ok(()),
            _ => {
                self.failing.store(true, Ordering::Release);
                Err(StoreError::from(sqlx::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!(
                        "the database file {} was removed or replaced while the server ran",
                        file.path.display()
                    ),
                ))))
            }
        }
    }

    fn failed(&self, err: sqlx::Error) -> StoreError {
        self.failing.store(true, Ordering::Release);
        StoreError::Unavailable(Arc::new(err))
    }

    fn succeeded(&self) {
        self.failing.store(false, Ordering::Release);
    }

    /// Whether the last write failed (and no commit has succeeded since).
    pub(super) fn failing(&self) -> bool {
        self.failing.load(Ordering::Acquire)
    }

    /// A real write, to learn whether writes commit again: `Ok` clears the failure.
    pub(super) async fn probe(
        &self,
        pool: &AnyPool,
        sqlite: Option<(&Mutex<()>, &Views)>,
    ) -> Result<(), StoreError> {
        let _one = self.checking.lock().await;
        if !self.failing() {
            return Ok(());
        }
        let mut write = Write::begin(pool, sqlite, self, Changes::Nothing).await?;
        sqlx::query("UPDATE write_checks SET checked_at = $1 WHERE id = 1")
            .bind(chrono::Utc::now().timestamp())
            .execute(write.conn())
            .await
            .map_err(|err| self.failed(err))?;
        write.commit().await
    }
}
