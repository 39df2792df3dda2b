//! The teams an SQLite store last read, and what each write changed of them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::TeamView;
use crate::bounded::BoundedMap;

/// What a write changes, so the teams kept from earlier reads (SQLite) are forgotten when it
/// ends, by the write itself.
#[derive(Debug)]
pub(super) enum Changes<'a> {
    Nothing,
    Team(&'a str),
    Teams(Vec<&'a str>),
    Every,
}

/// The teams last read, so a team page that many people open is not read again until it
/// changes (the two queries behind a page were most of its cost). Every write forgets the teams
/// it changed when it ends, committed or not (`Write`), so no caller has to remember.
#[derive(Debug)]
pub(super) struct Views {
    /// Counts writes, so a read that began before a write never stores what it read after it.
    /// Only changed under the lock of `teams`.
    writes: AtomicU64,
    teams: BoundedMap<Arc<TeamView>>,
}

/// At most this many teams are kept (a team of 50 is about 30 KB); past it, all are forgotten.
const MAX_CACHED_TEAMS: usize = 256;

impl Default for Views {
    fn default() -> Self {
        Self {
            writes: AtomicU64::new(0),
            teams: BoundedMap::new(MAX_CACHED_TEAMS),
        }
    }
}

impl Views {
    /// The team as last read, or the count of writes to pass to [`Views::keep`].
    pub(super) fn get(&self, team: &str) -> Result<Arc<TeamView>, u64> {
        let teams = self.teams.lock();
        teams
            .get(team)
            .cloned()
            .ok_or_else(|| self.writes.load(Ordering::Relaxed))
    }

    /// Keeps `view`, read when `writes` writes had been made, unless one was made since.
    pub(super) fn keep(&self, team: &str, writes: u64, view: &Arc<TeamView>) {
        let mut teams = self.teams.lock();
        if self.writes.load(Ordering::Relaxed) == writes {
            teams.insert(team, Arc::clone(view));
        }
    }

    /// Forgets what a write changed.
    pub(super) fn forget(&self, changes: &Changes<'_>) {
        let mut teams = self.teams.lock();
        self.writes.fetch_add(1, Ordering::Relaxed);
        match changes {
            Changes::Nothing => {}
            Changes::Team(team) => teams.remove(team),
            Changes::Teams(list) => list.iter().for_each(|team| teams.remove(team)),
            Changes::Every => teams.clear(),
        }
    }
}
