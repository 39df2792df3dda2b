//! What only an SQLite store has, behind the store's interface: the process's turn to write,
//! the teams last read, and the group commit of answers. SQLite's file belongs to one server,
//! so this process sees every write and may keep what it read; PostgreSQL serves several
//! replicas and has none of this.

use std::sync::Arc;

use sqlx::{AnyPool, Executor};
use tokio::sync::{mpsc, oneshot, Mutex};

use super::sql::add_member;
use super::views::{Changes, Views};
use super::write::{Write, WriteHealth};
use super::{Comment, Joined, Name, StoreError};

/// The SQLite-only parts of a store.
#[derive(Debug)]
pub(super) struct Sqlite {
    /// Held by every write, so writers of this process queue here instead of in SQLite's busy
    /// handler, which sleeps for whole milliseconds between tries.
    pub(super) writing: Mutex<()>,
    pub(super) views: Views,
    /// Where answers wait to be committed together (see [`Join`]).
    joins: mpsc::Sender<Join>,
}

impl Sqlite {
    /// Starts the group-commit task on the current Tokio runtime; it ends when the store is
    /// dropped.
    pub(super) fn start(pool: AnyPool, health: Arc<WriteHealth>) -> Arc<Self> {
        let (joins, waiting) = mpsc::channel(1024);
        let sqlite = Arc::new(Self {
            writing: Mutex::new(()),
            views: Views::default(),
            joins,
        });
        tokio::spawn(commit_joins(pool, Arc::downgrade(&sqlite), health, waiting));
        sqlite
    }

    /// Hands an answer to the group commit and waits for its own outcome, which arrives only
    /// once the commit that holds it has returned.
    pub(super) async fn join(
        &self,
        team: &str,
        name: &Name,
        comment: &Comment,
        answers: &str,
        joined: Joined,
    ) -> Result<Joined, StoreError> {
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
        self.joins
            .send(join)
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        outcome.await.map_err(|_| sqlx::Error::PoolClosed)?
    }
}

/// Answers are committed in groups: one task takes every answer that is waiting (up to
/// [`MAX_GROUP`]), writes each in its own savepoint of one transaction, and commits once, so
/// one sync of the log acknowledges them all. Each answer still gets its own outcome (a taken
/// name or a full team rolls back only its savepoint), and none is acknowledged before the
/// commit that holds it has returned. Why, in numbers: `benches/RESULTS.md`.
struct Join {
    team: String,
    name: Name,
    comment: Comment,
    answers: String,
    joined: Joined,
    reply: oneshot::Sender<Result<Joined, StoreError>>,
}

impl std::fmt::Debug for Join {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Join").field("team", &self.team).finish()
    }
}

/// The most answers one commit carries.
const MAX_GROUP: usize = 64;

/// The group-commit task: waits for answers, then commits every one waiting in one transaction,
/// in its turn among the store's writers.
async fn commit_joins(
    pool: AnyPool,
    sqlite: std::sync::Weak<Sqlite>,
    health: Arc<WriteHealth>,
    mut waiting: mpsc::Receiver<Join>,
) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while waiting.recv_many(&mut group, MAX_GROUP).await > 0 {
        let Some(sqlite) = sqlite.upgrade() else {
            return;
        };
        let outcomes = commit_group(&pool, &sqlite, &health, &group).await;
        for (join, outcome) in group.drain(..).zip(outcomes) {
            // A requester that has gone away (its client hung up) needs no answer.
            let _ = join.reply.send(outcome);
        }
    }
}

/// Writes each answer of `group` in a savepoint of one transaction and commits it: an outcome
/// per answer, in order. If the transaction fails as a whole, every answer gets its error, and
/// none of them is acknowledged.
async fn commit_group(
    pool: &AnyPool,
    sqlite: &Sqlite,
    health: &WriteHealth,
    group: &[Join],
) -> Vec<Result<Joined, StoreError>> {
    let mut outcomes = Vec::with_capacity(group.len());
    let teams = group.iter().map(|join| join.team.as_str()).collect();
    let committed = async {
        let mut write = Write::begin(
            pool,
            Some((&sqlite.writing, &sqlite.views)),
            health,
            Changes::Teams(teams),
        )
        .await?;
        for join in group {
            write.conn().execute("SAVEPOINT answer").await?;
            let added = add_member(
                write.conn(),
                &join.team,
                &join.name,
                &join.comment,
                &join.answers,
                &join.joined,
            )
            .await;
            if added.is_err() {
                write.conn().execute("ROLLBACK TO answer").await?;
            }
            write.conn().execute("RELEASE answer").await?;
            outcomes.push(added.map(|()| join.joined.clone()));
        }
        write.commit().await
    }
    .await;
    match committed {
        Ok(()) => outcomes,
        Err(err) => group.iter().map(|_| Err(err.clone())).collect(),
    }
}
