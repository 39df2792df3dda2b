//! The team store: the only state the site keeps, and the only I/O behind a request. One
//! interface over two real databases, SQLite (a file, the default) and PostgreSQL (several
//! replicas), through sqlx's Any driver: the queries are written once in SQL both accept, and
//! the migrations in `migrations/` are embedded and applied at start.

pub mod fields;

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Acquire, AnyConnection, AnyPool, Executor, Row};
use tokio::sync::{mpsc, oneshot};

use crate::bounded::BoundedMap;
use fields::{key_hash, random_id};
pub use fields::{Comment, Name, Title, MAX_MEMBERS};

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

/// A write transaction with this process's turn to write (see [`Store::begin_write`]). The
/// turn is a field, not a guard kept by each caller, so a write cannot begin without it.
struct Write<'s> {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<tokio::sync::MutexGuard<'s, ()>>,
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
}

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

/// A team with its members, in the order they joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamView {
    pub team: Team,
    pub members: Vec<Member>,
}

/// What creating a team hands back once: the id and the organiser's key.
#[derive(Debug, Clone)]
pub struct Created {
    pub team: String,
    pub organiser_key: String,
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
    /// Teams as last read, on SQLite only (see [`Views`]).
    views: Option<Arc<Views>>,
    /// SQLite only: held by every write, so writers of this process queue here instead of
    /// in SQLite's busy handler, which sleeps for whole milliseconds between tries.
    writing: Option<Arc<tokio::sync::Mutex<()>>>,
    /// SQLite only: where answers wait to be committed together (see [`Join`]).
    joins: Option<mpsc::Sender<Join>>,
}

/// Answers joining an SQLite store are committed in groups: one task takes every answer that
/// is waiting (up to [`MAX_GROUP`]), writes each in its own savepoint of one transaction, and
/// commits once, so one sync of the log acknowledges them all. Each answer still gets its own
/// outcome (a taken name or a full team rolls back only its savepoint), and none is
/// acknowledged before the commit that holds it has returned. Measured (`benches/teams.sh`,
/// 2026-12-02, alternately on one VM): one transaction per answer stored 2,292–2,346 answers a
/// second with a p99 of 286–342 ms, its writers sleeping in SQLite's busy handler; in groups,
/// 3,547–4,627 with a p99 of 17–21 ms.
struct Join {
    team: String,
    name: Name,
    comment: Comment,
    answers: String,
    joined: Joined,
    reply: oneshot::Sender<Result<Joined, StoreError>>,
}

/// The most answers one commit carries.
const MAX_GROUP: usize = 64;

/// The teams last read from an SQLite store, so a team page that many people open is not read
/// again until it changes: measured (`benches/teams.sh`), the two queries behind a page were
/// most of its cost. Only SQLite has it: its file belongs to one server, and every change goes
/// through this store, which forgets a team whenever it writes to it. PostgreSQL serves
/// several replicas, whose writes this process would not see, so there it reads every time.
#[derive(Debug)]
struct Views {
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
    fn get(&self, team: &str) -> Result<Arc<TeamView>, u64> {
        let teams = self.teams.lock();
        teams
            .get(team)
            .cloned()
            .ok_or_else(|| self.writes.load(Ordering::Relaxed))
    }

    /// Keeps `view`, read when `writes` writes had been made, unless one was made since.
    fn keep(&self, team: &str, writes: u64, view: &Arc<TeamView>) {
        let mut teams = self.teams.lock();
        if self.writes.load(Ordering::Relaxed) == writes {
            teams.insert(team, Arc::clone(view));
        }
    }

    /// Forgets `team` (every team for `None`): called after each write, whether it succeeded.
    fn forget(&self, team: Option<&str>) {
        let mut teams = self.teams.lock();
        self.writes.fetch_add(1, Ordering::Relaxed);
        match team {
            Some(team) => teams.remove(team),
            None => teams.clear(),
        }
    }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn team_of(row: &AnyRow) -> Result<Team, sqlx::Error> {
    Ok(Team {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        hidden: row.try_get::<i64, _>("hidden")? != 0,
        created_at: row.try_get("created_at")?,
        touched_at: row.try_get("touched_at")?,
        closed_at: row.try_get("closed_at")?,
    })
}

fn member_of(row: &AnyRow) -> Result<Member, sqlx::Error> {
    Ok(Member {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        comment: row.try_get("comment")?,
        answers: row.try_get("answers")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

const TEAM_COLUMNS: &str = "id, title, hidden, created_at, touched_at, closed_at";
const MEMBER_COLUMNS: &str = "id, name, comment, answers, created_at, updated_at";

impl Store {
    /// A store for `url` (`sqlite:PATH` or `postgres://…`). Nothing is connected yet: the pool
    /// connects on first use, so the site starts (and serves its pages) while a database is
    /// down; [`Store::migrate`] applies the schema. Call it inside a Tokio runtime: SQLite's
    /// group commit runs as a task on it.
    pub fn open(url: &str) -> Result<Self, String> {
        sqlx::any::install_default_drivers();
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
            // let readers run beside the writer (WAL). Measured (benches/teams.sh): 4 beats 8,
            // where more writers only wait on the lock. PostgreSQL takes more.
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
        let sqlite = backend == Backend::Sqlite;
        let writing = sqlite.then(|| Arc::new(tokio::sync::Mutex::new(())));
        let joins = writing.as_ref().map(|writing| {
            let (send, receive) = mpsc::channel(1024);
            // Ends when the last clone of the store is dropped.
            tokio::spawn(commit_joins(pool.clone(), Arc::clone(writing), receive));
            send
        });
        Ok(Self {
            pool,
            backend,
            ready: Arc::new(AtomicBool::new(false)),
            views: sqlite.then(Arc::default),
            writing,
            joins,
        })
    }

    /// Begins a write transaction once it is this process's turn to write (SQLite; PostgreSQL
    /// takes row locks itself). The turn is held until the transaction is committed or dropped,
    /// so no write can forget to take it.
    async fn begin_write(&self) -> Result<Write<'_>, StoreError> {
        let turn = match &self.writing {
            Some(writing) => Some(writing.lock().await),
            None => None,
        };
        Ok(Write {
            tx: self.pool.begin().await?,
            _turn: turn,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies the embedded migrations. Safe when two replicas start at once: sqlx takes an
    /// advisory lock on PostgreSQL, and SQLite's write lock serialises them.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations")
            .run(&self.pool)
            .await
            .map_err(|err| StoreError::from(sqlx::Error::Migrate(Box::new(err))))?;
        self.ready.store(true, Ordering::Release);
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

    /// Whether the database answers now (for `/readyz`).
    pub async fn ping(&self) -> bool {
        if self.check_ready().is_err() {
            return false;
        }
        let query = sqlx::query("SELECT 1").execute(&self.pool);
        matches!(
            tokio::time::timeout(Duration::from_secs(2), query).await,
            Ok(Ok(_))
        )
    }

    pub async fn create_team(&self, title: &Title, hidden: bool) -> Result<Created, StoreError> {
        self.check_ready()?;
        let created = Created {
            team: random_id()?,
            organiser_key: random_id()?,
        };
        let at = now();
        let Write { mut tx, _turn } = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO teams (id, organiser_key_hash, title, hidden, created_at, touched_at, closed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL)",
        )
        .bind(&created.team)
        .bind(key_hash(&created.organiser_key))
        .bind(title.as_str())
        .bind(i64::from(hidden))
        .bind(at)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// A team and its members.
    pub async fn team(&self, team: &str) -> Result<Arc<TeamView>, StoreError> {
        self.check_ready()?;
        if !fields::is_id(team) {
            return Err(StoreError::NotFound);
        }
        let writes = match self.views.as_deref().map(|views| views.get(team)) {
            Some(Ok(view)) => return Ok(view),
            Some(Err(writes)) => Some(writes),
            None => None,
        };
        let view = Arc::new(self.read_team(team).await?);
        if let (Some(views), Some(writes)) = (self.views.as_deref(), writes) {
            views.keep(team, writes, &view);
        }
        Ok(view)
    }

    /// Forgets what was read of `team` (of every team for `None`) after a write to it.
    fn changed(&self, team: Option<&str>) {
        if let Some(views) = &self.views {
            views.forget(team);
        }
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
        Ok(TeamView {
            team: team_of(&row)?,
            members: rows.iter().map(member_of).collect::<Result<_, _>>()?,
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
        let joined = self.insert_member(team, name, comment, answers).await;
        self.changed(Some(team));
        joined
    }

    async fn insert_member(
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
        let Some(joins) = &self.joins else {
            let Write { mut tx, _turn } = self.begin_write().await?;
            add_member(&mut tx, team, name, comment, answers, &joined).await?;
            tx.commit().await?;
            return Ok(joined);
        };
        let (reply, outcome) = oneshot::channel();
        let join = Join {
            team: team.to_owned(),
            name: name.clone(),
            comment: comment.clone(),
            answers: answers.to_owned(),
            joined,
            reply,
        };
        // The task is gone only once the runtime is shutting down.
        joins
            .send(join)
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        outcome.await.map_err(|_| sqlx::Error::PoolClosed)?
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
        let updated = self.update_member(team, key, comment, answers).await;
        self.changed(Some(team));
        updated
    }

    async fn update_member(
        &self,
        team: &str,
        key: &str,
        comment: &Comment,
        answers: &str,
    ) -> Result<(), StoreError> {
        let (view, _) = self.member(team, key).await?;
        if view.team.closed_at.is_some() {
            return Err(StoreError::Closed);
        }
        let at = now();
        let Write { mut tx, _turn } = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE members SET comment = $1, answers = $2, updated_at = $3 WHERE team_id = $4 AND edit_key_hash = $5",
        )
        .bind(comment.as_str())
        .bind(answers)
        .bind(at)
        .bind(team)
        .bind(key_hash(key))
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        touch(&mut tx, team, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Withdraws a member's answers (removes the member).
    pub async fn withdraw(&self, team: &str, key: &str) -> Result<(), StoreError> {
        let withdrawn = self.delete_member(team, key).await;
        self.changed(Some(team));
        withdrawn
    }

    async fn delete_member(&self, team: &str, key: &str) -> Result<(), StoreError> {
        self.check_ready()?;
        if !fields::is_id(team) || !fields::is_id(key) {
            return Err(StoreError::NotFound);
        }
        let Write { mut tx, _turn } = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM members WHERE team_id = $1 AND edit_key_hash = $2")
            .bind(team)
            .bind(key_hash(key))
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        touch(&mut tx, team, now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// What an organiser can do, each checked against the organiser key.
    pub async fn organise(
        &self,
        team: &str,
        key: &str,
        action: Organise<'_>,
    ) -> Result<(), StoreError> {
        let done = self.change_team(team, key, action).await;
        self.changed(Some(team));
        done
    }

    async fn change_team(
        &self,
        team: &str,
        key: &str,
        action: Organise<'_>,
    ) -> Result<(), StoreError> {
        self.check_ready()?;
        self.organiser_check(team, key).await?;
        let at = now();
        let Write { mut tx, _turn } = self.begin_write().await?;
        let query = match action {
            Organise::Rename(title) => {
                sqlx::query("UPDATE teams SET title = $1, touched_at = $2 WHERE id = $3")
                    .bind(title.as_str())
                    .bind(at)
                    .bind(team)
            }
            Organise::Close => {
                sqlx::query("UPDATE teams SET closed_at = $1, touched_at = $2 WHERE id = $3")
                    .bind(at)
                    .bind(at)
                    .bind(team)
            }
            Organise::Reopen => {
                sqlx::query("UPDATE teams SET closed_at = NULL, touched_at = $1 WHERE id = $2")
                    .bind(at)
                    .bind(team)
            }
            Organise::Remove(member) => {
                let done = sqlx::query("DELETE FROM members WHERE team_id = $1 AND id = $2")
                    .bind(team)
                    .bind(member)
                    .execute(&mut *tx)
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
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM teams WHERE id = $1").bind(team)
            }
        };
        query.execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes every decision untouched since `before` (unix seconds), with its members.
    pub async fn sweep(&self, before: i64) -> Result<u64, StoreError> {
        let swept = self.delete_untouched(before).await;
        self.changed(None);
        swept
    }

    async fn delete_untouched(&self, before: i64) -> Result<u64, StoreError> {
        self.check_ready()?;
        let Write { mut tx, _turn } = self.begin_write().await?;
        sqlx::query(
            "DELETE FROM members WHERE team_id IN (SELECT id FROM teams WHERE touched_at < $1)",
        )
        .bind(before)
        .execute(&mut *tx)
        .await?;
        let done = sqlx::query("DELETE FROM teams WHERE touched_at < $1")
            .bind(before)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
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

/// One of the organiser's changes.
#[derive(Debug, Clone, Copy)]
pub enum Organise<'a> {
    Rename(&'a Title),
    /// Take a member's answers out of the decision, by the member's public id.
    Remove(&'a str),
    Close,
    Reopen,
    Delete,
}

async fn touch(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    team: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE teams SET touched_at = $1 WHERE id = $2")
        .bind(at)
        .bind(team)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Adds a member inside the caller's transaction. Nothing is committed here.
async fn add_member(
    conn: &mut AnyConnection,
    team: &str,
    name: &Name,
    comment: &Comment,
    answers: &str,
    joined: &Joined,
) -> Result<(), StoreError> {
    let at = now();
    // Writing the team row first takes the write lock (SQLite) or the row lock (PostgreSQL)
    // before counting, so two joins at once cannot both be the 50th.
    let open = sqlx::query("UPDATE teams SET touched_at = $1 WHERE id = $2 AND closed_at IS NULL")
        .bind(at)
        .bind(team)
        .execute(&mut *conn)
        .await?;
    if open.rows_affected() == 0 {
        let exists = sqlx::query("SELECT id FROM teams WHERE id = $1")
            .bind(team)
            .fetch_optional(&mut *conn)
            .await?;
        return Err(if exists.is_some() {
            StoreError::Closed
        } else {
            StoreError::NotFound
        });
    }
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM members WHERE team_id = $1")
        .bind(team)
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    if count >= MAX_MEMBERS {
        return Err(StoreError::Full);
    }
    let inserted = sqlx::query(
        "INSERT INTO members (id, team_id, edit_key_hash, name, name_key, comment, answers, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&joined.member)
    .bind(team)
    .bind(key_hash(&joined.edit_key))
    .bind(name.as_str())
    .bind(name.key())
    .bind(comment.as_str())
    .bind(answers)
    // Milliseconds, so members list in the order they joined (ties by name).
    .bind(chrono::Utc::now().timestamp_millis())
    .bind(at)
    .execute(&mut *conn)
    .await;
    match inserted {
        Err(sqlx::Error::Database(err)) if err.is_unique_violation() => Err(StoreError::NameTaken),
        other => other.map(|_| ()).map_err(StoreError::from),
    }
}

/// The group-commit task of an SQLite store (see [`Join`]): waits for answers, then commits
/// every one waiting in one transaction, in its turn among the store's writers.
async fn commit_joins(
    pool: AnyPool,
    writing: Arc<tokio::sync::Mutex<()>>,
    mut waiting: mpsc::Receiver<Join>,
) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while waiting.recv_many(&mut group, MAX_GROUP).await > 0 {
        let outcomes = {
            let _turn = writing.lock().await;
            commit_group(&pool, &group).await
        };
        for (join, outcome) in group.drain(..).zip(outcomes) {
            // A requester that has gone away (its client hung up) needs no answer.
            let _ = join.reply.send(outcome);
        }
    }
}

/// Writes each answer of `group` in a savepoint of one transaction and commits it: an outcome
/// per answer, in order. If the transaction fails as a whole, every answer gets its error.
async fn commit_group(pool: &AnyPool, group: &[Join]) -> Vec<Result<Joined, StoreError>> {
    let mut outcomes = Vec::with_capacity(group.len());
    let committed = async {
        let mut tx = pool.begin().await?;
        for join in group {
            let mut savepoint = tx.begin().await?;
            let added = add_member(
                &mut savepoint,
                &join.team,
                &join.name,
                &join.comment,
                &join.answers,
                &join.joined,
            )
            .await;
            match added {
                Ok(()) => savepoint.commit().await?,
                Err(_) => savepoint.rollback().await?,
            }
            outcomes.push(added.map(|()| join.joined.clone()));
        }
        tx.commit().await
    }
    .await;
    match committed {
        Ok(()) => outcomes,
        Err(err) => {
            let err = StoreError::from(err);
            group.iter().map(|_| Err(err.clone())).collect()
        }
    }
}
