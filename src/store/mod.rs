//! The team store: the only state the site keeps, and the only I/O behind a request. One
//! interface over two real databases, SQLite (a file, the default) and PostgreSQL (several
//! replicas), through sqlx's Any driver: the queries are written once in SQL both accept, and
//! the migrations in `migrations/` are embedded and applied at start.

pub mod fields;
mod migrations;
mod sql;
mod sqlite;
mod views;
mod write;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub use fields::Rationale;
use fields::{key_hash, random_id};
pub use fields::{Comment, Name, Title, MAX_MEMBERS};
use sql::{add_member, member_of, now, team_of, touch_open, MEMBER_COLUMNS, TEAM_COLUMNS};
use sqlite::Sqlite;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor, Row};
use views::Changes;
use write::{Write, WriteHealth};

/// Why the store could not do what was asked.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// The database did not answer, or failed: try again later.
    /// Shared, because one failed commit fails every answer it carried (SQLite commits answers in
    /// groups).
    #[error("the database is unavailable: {0}")]
    Unavailable(Arc<sqlx::Error>),
    /// The random source failed, so no safe id could be made.
    #[error("no random id could be made: {0}")]
    Random(#[from] getrandom::Error),
    /// No team (or member) with that id and key.
    #[error("there is no such team decision")]
    NotFound,
    /// The organiser closed the decision.
    #[error("this decision is closed")]
    Closed,
    #[error("this decision already has {MAX_MEMBERS} members")]
    Full,
    #[error("someone in this team already uses that name")]
    NameTaken,
    /// The decision's state does not allow the action; the text says what would.
    #[error("{0}")]
    NotNow(&'static str),
    /// The database is not ready yet (its schema is being applied).
    #[error("the database is starting")]
    Starting,
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        Self::Unavailable(Arc::new(err))
    }
}

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A decision as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub id: String,
    pub title: String,
    /// Members see the others' answers only once they have answered (against anchoring).
    pub hidden: bool,
    /// Unix seconds.
    pub created_at: i64,
    pub touched_at: i64,
    pub closed_at: Option<i64>,
    /// What the organiser stated when closing: a framework's slug, or [`NO_DECISION`]; `None`
    /// while open (and for decisions closed before outcomes were stated).
    pub outcome: Option<String>,
    /// Why, when the stated outcome differs from the team's result (may be empty otherwise).
    pub rationale: String,
    /// The read-only link's key (`None` only before the store's start-up gave old decisions one).
    pub view_key: Option<String>,
    /// When the accepted decision was marked deprecated (unix seconds).
    pub deprecated_at: Option<i64>,
    /// What the decision relied on when it was closed, as [`Pin`] wrote it; `None` while open.
    pub evidence: Option<String>,
}

/// The stated outcome of a decision closed without choosing a framework (MADR's `rejected`).
pub const NO_DECISION: &str = "none";

/// A member's answers as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// A public id (for the organiser's "remove"); not the edit key.
    pub id: String,
    pub name: String,
    pub comment: String,
    /// The answers in the form's encoding (the permalink's query string).
    pub answers: String,
    /// Unix milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
}

/// A team with its members, in the order they joined, and the decisions it is linked to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamView {
    pub team: Team,
    pub members: Vec<Member>,
    /// The newer decisions that replace this one (MADR's `superseded by`).
    pub superseded_by: Vec<Linked>,
    /// The older decisions this one replaces.
    pub supersedes: Vec<Linked>,
}

/// Another decision a decision links to: shown by its title and read-only link only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    pub title: String,
    pub view_key: Option<String>,
}

/// What creating a team hands back once: the id and the organiser's key (and the read-only
/// link's key, which grants nothing).
#[derive(Debug, Clone)]
pub struct Created {
    pub team: String,
    pub organiser_key: String,
    pub view_key: String,
}

/// What joining hands back once: the member's id and edit key.
#[derive(Debug, Clone)]
pub struct Joined {
    pub member: String,
    pub edit_key: String,
}

/// The store: a pool, and whether the schema has been applied.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    ready: Arc<AtomicBool>,
    /// What only SQLite has: the turn to write, the teams last read, the group commit.
    sqlite: Option<Arc<Sqlite>>,
    /// Whether writes commit now (see [`WriteHealth`]).
    health: Arc<WriteHealth>,
}

impl Store {
    /// A store for `url` (`sqlite:PATH` or `postgres://…`). Nothing is connected yet: the pool
    /// connects on first use, so the site starts (and serves its pages) while a database is
    /// down; [`Store::migrate`] applies the schema. Call it inside a Tokio runtime: SQLite's
    /// group commit runs as a task on it.
    pub fn open(url: &str) -> Result<Self, String> {
        sqlx::any::install_default_drivers();
        let mut file_path = None;
        let (backend, url) = if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.trim_start_matches("//");
            let (file, query) = path.split_once('?').unwrap_or((path, ""));
            if file.is_empty() {
                return Err("`sqlite:` needs a file path, e.g. sqlite:versus.db".to_owned());
            }
            if let Some(parent) = Path::new(file)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
            {
                std::fs::create_dir_all(parent)
                    .map_err(|err| format!("cannot create {}: {err}", parent.display()))?;
            }
            if file != ":memory:" {
                file_path = Some(std::path::PathBuf::from(file));
            }
            // `mode=rwc` creates the file on first start.
            let query = if query.is_empty() { "mode=rwc" } else { query };
            (Backend::Sqlite, format!("sqlite://{file}?{query}"))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            return Err(format!(
                "`{url}` is not a database URL: use sqlite:PATH or postgres://user@host/db"
            ));
        };
        let pool = AnyPoolOptions::new()
            // SQLite writes one transaction at a time whatever the pool; a few connections
            // let readers run beside the writer (WAL), and more only wait on the lock
            // (benches/RESULTS.md). PostgreSQL takes more.
            .max_connections(if backend == Backend::Sqlite { 4 } else { 10 })
            .min_connections(0)
            // An unreachable database fails a request in 2 s, not after the default 30.
            .acquire_timeout(Duration::from_secs(2))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; `synchronous = FULL` syncs
                        // the log at every commit, so an acknowledged answer survives a crash
                        // of the server and of the machine; writers wait up to 5 s for the lock.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_lazy(&url)
            .map_err(|err| format!("cannot use the database `{url}`: {err}"))?;
        let health = Arc::new(WriteHealth::for_file(file_path));
        let sqlite =
            (backend == Backend::Sqlite).then(|| Sqlite::start(pool.clone(), Arc::clone(&health)));
        Ok(Self {
            pool,
            backend,
            ready: Arc::new(AtomicBool::new(false)),
            sqlite,
            health,
        })
    }

    /// Begins a write transaction once it is this process's turn to write (SQLite; PostgreSQL
    /// takes row locks itself). The turn is held until the transaction ends, so no write can
    /// forget to take it.
    async fn begin_write<'s>(&'s self, changes: Changes<'s>) -> Result<Write<'s>, StoreError> {
        Write::begin(&self.pool, self.turn_and_views(), &self.health, changes).await
    }

    /// SQLite's turn to write and its teams last read, for a write.
    fn turn_and_views(&self) -> Option<(&tokio::sync::Mutex<()>, &views::Views)> {
        self.sqlite
            .as_deref()
            .map(|sqlite| (&sqlite.writing, &sqlite.views))
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies the embedded migrations. Safe when two replicas start at once: sqlx takes an
    /// advisory lock on PostgreSQL, and SQLite's write lock serialises them.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrate = |err| StoreError::from(sqlx::Error::Migrate(Box::new(err)));
        sqlx::migrate::Migrator::new(migrations::Embedded)
            .await
            .map_err(migrate)?
            .run(&self.pool)
            .await
            .map_err(migrate)?;
        self.give_view_keys().await?;
        self.health.opened();
        self.ready.store(true, Ordering::Release);
        Ok(())
    }

    /// Gives every decision made before read-only links existed a view key of its own (made
    /// here rather than in SQL, which has no portable strong random source).
    async fn give_view_keys(&self) -> Result<(), StoreError> {
        let missing = sqlx::query("SELECT id FROM teams WHERE view_key IS NULL")
            .fetch_all(&self.pool)
            .await?;
        for row in missing {
            let id: String = row.try_get("id")?;
            sqlx::query("UPDATE teams SET view_key = $1 WHERE id = $2 AND view_key IS NULL")
                .bind(random_id()?)
                .bind(&id)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Keeps trying [`Store::migrate`] until it succeeds, so a database that is down at start
    /// is picked up when it comes back.
    pub async fn migrate_until_ready(self) {
        let mut wait = Duration::from_millis(250);
        loop {
            match self.migrate().await {
                Ok(()) => {
                    tracing::info!(backend = ?self.backend, "team store ready");
                    return;
                }
                Err(err) => {
                    tracing::warn!(error = %err, "team store not ready; retrying");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(5));
                }
            }
        }
    }

    fn check_ready(&self) -> Result<(), StoreError> {
        if self.ready.load(Ordering::Acquire) {
            Ok(())
        } else {
            Err(StoreError::Starting)
        }
    }

    /// Whether the database answers now and, after a write failed, whether a write commits
    /// again (for `/readyz`).
    pub async fn ping(&self) -> bool {
        if self.check_ready().is_err() {
            return false;
        }
        let check = async {
            sqlx::query("SELECT 1").execute(&self.pool).await?;
            self.health.probe(&self.pool, self.turn_and_views()).await
        };
        match tokio::time::timeout(Duration::from_secs(2), check).await {
            Ok(Ok(())) => true,
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "team store not ready");
                false
            }
            Err(_) => false,
        }
    }

    pub async fn create_team(&self, title: &Title, hidden: bool) -> Result<Created, StoreError> {
        self.check_ready()?;
        let created = Created {
            team: random_id()?,
            organiser_key: random_id()?,
            view_key: random_id()?,
        };
        let at = now();
        let mut write = self.begin_write(Changes::Nothing).await?;
        sqlx::query(
            "INSERT INTO teams (id, organiser_key_hash, title, hidden, created_at, touched_at, closed_at, view_key) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)",
        )
        .bind(&created.team)
        .bind(key_hash(&created.organiser_key))
        .bind(title.as_str())
        .bind(i64::from(hidden))
        .bind(at)
        .bind(at)
        .bind(&created.view_key)
        .execute(write.conn())
        .await?;
        write.commit().await?;
        Ok(created)
    }

    /// A team and its members.
    pub async fn team(&self, team: &str) -> Result<Arc<TeamView>, StoreError> {
        self.check_ready()?;
        if !fields::is_id(team) {
            return Err(StoreError::NotFound);
        }
        let views = self.sqlite.as_deref().map(|sqlite| &sqlite.views);
        let writes = match views.map(|views| views.get(team)) {
            Some(Ok(view)) => return Ok(view),
            Some(Err(writes)) => Some(writes),
            None => None,
        };
        let view = Arc::new(self.read_team(team).await?);
        if let (Some(views), Some(writes)) = (views, writes) {
            views.keep(team, writes, &view);
        }
        Ok(view)
    }

    /// The decision whose read-only link has `key`.
    pub async fn team_by_view_key(&self, key: &str) -> Result<Arc<TeamView>, StoreError> {
        self.check_ready()?;
        if !fields::is_id(key) {
            return Err(StoreError::NotFound);
        }
        let row = sqlx::query("SELECT id FROM teams WHERE view_key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let id: String = row.try_get("id")?;
        self.team(&id).await
    }

    async fn read_team(&self, team: &str) -> Result<TeamView, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let row = sqlx::query(&format!("SELECT {TEAM_COLUMNS} FROM teams WHERE id = $1"))
            .bind(team)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let rows = sqlx::query(&format!(
            "SELECT {MEMBER_COLUMNS} FROM members WHERE team_id = $1 ORDER BY created_at, name_key"
        ))
        .bind(team)
        .fetch_all(&mut *conn)
        .await?;
        let linked = |sql: &'static str| {
            let query = sqlx::query(sql).bind(team);
            async move {
                let rows = query.fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|r| {
                        Ok(Linked {
                            title: r.try_get("title")?,
                            view_key: r.try_get("view_key")?,
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()
            }
        };
        let superseded_by = linked(
            "SELECT t.title, t.view_key FROM supersessions s JOIN teams t ON t.id = s.new_id \
             WHERE s.old_id = $1 ORDER BY s.created_at, t.id",
        )
        .await?;
        let supersedes = linked(
            "SELECT t.title, t.view_key FROM supersessions s JOIN teams t ON t.id = s.old_id \
             WHERE s.new_id = $1 ORDER BY s.created_at, t.id",
        )
        .await?;
        Ok(TeamView {
            team: team_of(&row)?,
            members: rows.iter().map(member_of).collect::<Result<_, _>>()?,
            superseded_by,
            supersedes,
        })
    }

    /// The team, if `key` is its organiser key.
    pub async fn team_as_organiser(
        &self,
        team: &str,
        key: &str,
    ) -> Result<Arc<TeamView>, StoreError> {
        self.check_ready()?;
        self.organiser_check(team, key).await?;
        self.team(team).await
    }

    async fn organiser_check(&self, team: &str, key: &str) -> Result<(), StoreError> {
        if !fields::is_id(team) || !fields::is_id(key) {
            return Err(StoreError::NotFound);
        }
        let found = sqlx::query("SELECT id FROM teams WHERE id = $1 AND organiser_key_hash = $2")
            .bind(team)
            .bind(key_hash(key))
            .fetch_optional(&self.pool)
            .await?;
        found.map(|_| ()).ok_or(StoreError::NotFound)
    }

    /// Adds a member's answers. Committed before it returns: the caller may acknowledge it.
    pub async fn join(
        &self,
        team: &str,
        name: &Name,
        comment: &Comment,
        answers: &str,
    ) -> Result<Joined, StoreError> {
        self.check_ready()?;
        if !fields::is_id(team) {
            return Err(StoreError::NotFound);
        }
        let joined = Joined {
            member: random_id()?,
            edit_key: random_id()?,
        };
        if let Some(sqlite) = &self.sqlite {
            return sqlite.join(team, name, comment, answers, joined).await;
        }
        let mut write = self.begin_write(Changes::Team(team)).await?;
        add_member(write.conn(), team, name, comment, answers, &joined).await?;
        write.commit().await?;
        Ok(joined)
    }

    /// The member whose edit key is `key`, with their team.
    pub async fn member(
        &self,
        team: &str,
        key: &str,
    ) -> Result<(Arc<TeamView>, Member), StoreError> {
        self.check_ready()?;
        if !fields::is_id(team) || !fields::is_id(key) {
            return Err(StoreError::NotFound);
        }
        let row = sqlx::query(&format!(
            "SELECT {MEMBER_COLUMNS} FROM members WHERE team_id = $1 AND edit_key_hash = $2"
        ))
        .bind(team)
        .bind(key_hash(key))
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let member = member_of(&row)?;
        Ok((self.team(team).await?, member))
    }

    /// Changes a member's comment and answers (not while the decision is closed).
    pub async fn update_answers(
        &self,
        team: &str,
        key: &str,
        comment: &Comment,
        answers: &str,
    ) -> Result<(), StoreError> {
        self.check_ready()?;
        if !fields::is_id(team) || !fields::is_id(key) {
            return Err(StoreError::NotFound);
        }
        let at = now();
        let mut write = self.begin_write(Changes::Team(team)).await?;
        // Checked inside the write, so an organiser closing meanwhile is seen, never overtaken.
        touch_open(write.conn(), team, at).await?;
        let done = sqlx::query(
            "UPDATE members SET comment = $1, answers = $2, updated_at = $3 WHERE team_id = $4 AND edit_key_hash = $5",
        )
        .bind(comment.as_str())
        .bind(answers)
        .bind(at)
        .bind(team)
        .bind(key_hash(key))
        .execute(write.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        write.commit().await?;
        Ok(())
    }

    /// Withdraws a member's answers (removes the member), not while the decision is closed.
    pub async fn withdraw(&self, team: &str, key: &str) -> Result<(), StoreError> {
        self.check_ready()?;
        if !fields::is_id(team) || !fields::is_id(key) {
            return Err(StoreError::NotFound);
        }
        let mut write = self.begin_write(Changes::Team(team)).await?;
        touch_open(write.conn(), team, now()).await?;
        let done = sqlx::query("DELETE FROM members WHERE team_id = $1 AND edit_key_hash = $2")
            .bind(team)
            .bind(key_hash(key))
            .execute(write.conn())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        write.commit().await?;
        Ok(())
    }

    /// What an organiser can do, each checked against the organiser key.
    pub async fn organise(
        &self,
        team: &str,
        key: &str,
        action: Organise<'_>,
    ) -> Result<(), StoreError> {
        self.check_ready()?;
        self.organiser_check(team, key).await?;
        let at = now();
        // Renaming or deleting changes what linked decisions show of this one (its title, or
        // the link itself): their kept views go too (rare actions, so every kept view does).
        let changes = match action {
            Organise::Delete | Organise::Rename(_) => Changes::Every,
            _ => Changes::Team(team),
        };
        let mut write = self.begin_write(changes).await?;
        let query = match action {
            Organise::Rename(title) => {
                sqlx::query("UPDATE teams SET title = $1, touched_at = $2 WHERE id = $3")
                    .bind(title.as_str())
                    .bind(at)
                    .bind(team)
            }
            // Closing reveals hidden answers (nobody is locked out of the result); reopening
            // keeps them revealed.
            // The evidence is pinned from the members as this transaction reads them after the
            // team row is written (which a member's change must also write first), so no answer
            // changed in between goes unpinned.
            Organise::Close {
                outcome,
                rationale,
                pin,
            } => {
                sqlx::query(
                    "UPDATE teams SET closed_at = $1, hidden = 0, touched_at = $2, outcome = $3, rationale = $4 WHERE id = $5",
                )
                .bind(at)
                .bind(at)
                .bind(outcome)
                .bind(rationale)
                .bind(team)
                .execute(write.conn())
                .await?;
                let rows = sqlx::query(&format!(
                    "SELECT {MEMBER_COLUMNS} FROM members WHERE team_id = $1 ORDER BY created_at, name_key"
                ))
                .bind(team)
                .fetch_all(write.conn())
                .await?;
                let members: Vec<Member> = rows.iter().map(member_of).collect::<Result<_, _>>()?;
                sqlx::query("UPDATE teams SET evidence = $1 WHERE id = $2")
                    .bind((pin.0)(&members, at))
                    .bind(team)
                    .execute(write.conn())
                    .await?;
                write.commit().await?;
                return Ok(());
            }
            // Reopening clears what was stated and pinned: the decision is proposed again.
            Organise::Reopen => sqlx::query(
                "UPDATE teams SET closed_at = NULL, outcome = NULL, rationale = '', deprecated_at = NULL, evidence = NULL, touched_at = $1 WHERE id = $2",
            )
            .bind(at)
            .bind(team),
            // Only an accepted decision (closed with a framework) can be deprecated, once; the
            // state is checked in the same statement, so no other action slips in between.
            Organise::Deprecate => {
                let done = sqlx::query(
                    "UPDATE teams SET deprecated_at = $1, touched_at = $2 WHERE id = $3 \
                     AND closed_at IS NOT NULL AND outcome IS NOT NULL AND outcome <> $4 AND deprecated_at IS NULL",
                )
                .bind(at)
                .bind(at)
                .bind(team)
                .bind(NO_DECISION)
                .execute(write.conn())
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotNow(
                        "Only an accepted decision (closed with a framework) can be deprecated, once",
                    ));
                }
                write.commit().await?;
                return Ok(());
            }
            Organise::Hide | Organise::Reveal => {
                sqlx::query("UPDATE teams SET hidden = $1, touched_at = $2 WHERE id = $3")
                    .bind(i64::from(matches!(action, Organise::Hide)))
                    .bind(at)
                    .bind(team)
            }
            Organise::Remove(member) => {
                let done = sqlx::query("DELETE FROM members WHERE team_id = $1 AND id = $2")
                    .bind(team)
                    .bind(member)
                    .execute(write.conn())
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                sqlx::query("UPDATE teams SET touched_at = $1 WHERE id = $2")
                    .bind(at)
                    .bind(team)
            }
            Organise::Delete => {
                sqlx::query("DELETE FROM members WHERE team_id = $1")
                    .bind(team)
                    .execute(write.conn())
                    .await?;
                sqlx::query("DELETE FROM supersessions WHERE old_id = $1 OR new_id = $1")
                    .bind(team)
                    .execute(write.conn())
                    .await?;
                sqlx::query("DELETE FROM teams WHERE id = $1").bind(team)
            }
        };
        query.execute(write.conn()).await?;
        write.commit().await?;
        Ok(())
    }

    /// Marks `team` (organised with `key`) as superseded by each of `by`, given as (id,
    /// organiser key) pairs: only someone who organises every one of them can link them. The
    /// older decision must be closed with a stated outcome; a decision cannot supersede itself.
    pub async fn supersede(
        &self,
        team: &str,
        key: &str,
        by: &[(String, String)],
    ) -> Result<(), StoreError> {
        self.check_ready()?;
        self.organiser_check(team, key).await?;
        for (newer, newer_key) in by {
            self.organiser_check(newer, newer_key).await?;
            if newer == team {
                return Err(StoreError::NotNow("A decision cannot supersede itself"));
            }
        }
        let at = now();
        let mut changed: Vec<&str> = by.iter().map(|(id, _)| id.as_str()).collect();
        changed.push(team);
        let mut write = self.begin_write(Changes::Teams(changed)).await?;
        let decided = sqlx::query(
            "UPDATE teams SET touched_at = $1 WHERE id = $2 AND closed_at IS NOT NULL AND outcome IS NOT NULL",
        )
        .bind(at)
        .bind(team)
        .execute(write.conn())
        .await?;
        if decided.rows_affected() == 0 {
            return Err(StoreError::NotNow(
                "Only a decision closed with a stated outcome can be superseded",
            ));
        }
        for (newer, _) in by {
            // Linking twice is no change (and would abort PostgreSQL's transaction as an error).
            sqlx::query(
                "INSERT INTO supersessions (old_id, new_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (old_id, new_id) DO NOTHING",
            )
            .bind(team)
            .bind(newer)
            .bind(at)
            .execute(write.conn())
            .await?;
        }
        write.commit().await?;
        Ok(())
    }

    /// Deletes every undecided decision untouched since `before` (unix seconds), with its
    /// members. A decided one (closed with a stated outcome) is kept: records and links to it
    /// must not go dead.
    pub async fn sweep(&self, before: i64) -> Result<u64, StoreError> {
        self.check_ready()?;
        let mut write = self.begin_write(Changes::Every).await?;
        sqlx::query(
            "DELETE FROM members WHERE team_id IN \
             (SELECT id FROM teams WHERE touched_at < $1 AND outcome IS NULL)",
        )
        .bind(before)
        .execute(write.conn())
        .await?;
        let done = sqlx::query("DELETE FROM teams WHERE touched_at < $1 AND outcome IS NULL")
            .bind(before)
            .execute(write.conn())
            .await?;
        write.commit().await?;
        Ok(done.rows_affected())
    }

    /// A consistent copy of an SQLite database at `out`, taken while the server runs
    /// (`VACUUM INTO` reads one snapshot). PostgreSQL is backed up with `pg_dump`.
    pub async fn backup(&self, out: &Path) -> Result<(), String> {
        if self.backend != Backend::Sqlite {
            return Err(
                "backup copies an SQLite database; back up PostgreSQL with pg_dump".to_owned(),
            );
        }
        if out.exists() {
            return Err(format!(
                "{} exists already; choose a new file",
                out.display()
            ));
        }
        let target = out
            .to_str()
            .ok_or("the output path is not UTF-8")?
            .replace('\'', "''");
        sqlx::query(&format!("VACUUM INTO '{target}'"))
            .execute(&self.pool)
            .await
            .map_err(|err| format!("the backup failed: {err}"))?;
        Ok(())
    }

    /// Closes the pool (at shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// What closing keeps of the evidence: made from the members (and the closing time, unix
/// seconds) by the caller, which knows the content; the store keeps the text as it is.
#[derive(Clone, Copy)]
pub struct Pin<'a>(pub &'a (dyn Fn(&[Member], i64) -> String + Sync));

impl std::fmt::Debug for Pin<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin")
    }
}

/// One of the organiser's changes.
#[derive(Debug, Clone, Copy)]
pub enum Organise<'a> {
    Rename(&'a Title),
    /// Take a member's answers out of the decision, by the member's public id.
    Remove(&'a str),
    /// Close with the outcome a person states (a framework's slug or [`NO_DECISION`]) and why,
    /// pinning the evidence.
    Close {
        outcome: &'a str,
        rationale: &'a str,
        pin: Pin<'a>,
    },
    Reopen,
    /// Hide members' answers from outsiders until the decision is closed (or revealed).
    Hide,
    /// Show them again.
    Reveal,
    /// Mark an accepted decision as no longer followed (MADR's `deprecated`).
    Deprecate,
    Delete,
}
