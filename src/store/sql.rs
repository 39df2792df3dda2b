//! The SQL both databases share, for rows the store reads and the member a join writes.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::fields::{self, key_hash};
use super::{Comment, Joined, Member, Name, StoreError, Team, MAX_MEMBERS};

pub(super) fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

pub(super) fn team_of(row: &AnyRow) -> Result<Team, sqlx::Error> {
    Ok(Team {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        hidden: row.try_get::<i64, _>("hidden")? != 0,
        created_at: row.try_get("created_at")?,
        touched_at: row.try_get("touched_at")?,
        closed_at: row.try_get("closed_at")?,
        outcome: row.try_get("outcome")?,
        rationale: row.try_get("rationale")?,
        view_key: row.try_get("view_key")?,
        deprecated_at: row.try_get("deprecated_at")?,
        evidence: row.try_get("evidence")?,
    })
}

pub(super) fn member_of(row: &AnyRow) -> Result<Member, sqlx::Error> {
    Ok(Member {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        comment: row.try_get("comment")?,
        answers: row.try_get("answers")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub(super) const TEAM_COLUMNS: &str =
    "id, title, hidden, created_at, touched_at, closed_at, outcome, rationale, view_key, deprecated_at, evidence";
pub(super) const MEMBER_COLUMNS: &str = "id, name, comment, answers, created_at, updated_at";

/// Touches an open team inside the caller's transaction: `Closed` if it is closed, `NotFound`
/// if there is none. Writing the team row takes the write lock (SQLite) or the row lock
/// (PostgreSQL) first, so a member's change and the organiser's closing cannot interleave: one
/// of them sees the other's result.
pub(super) async fn touch_open(
    conn: &mut AnyConnection,
    team: &str,
    at: i64,
) -> Result<(), StoreError> {
    let open = sqlx::query("UPDATE teams SET touched_at = $1 WHERE id = $2 AND closed_at IS NULL")
        .bind(at)
        .bind(team)
        .execute(&mut *conn)
        .await?;
    if open.rows_affected() > 0 {
        return Ok(());
    }
    let exists = sqlx::query("SELECT id FROM teams WHERE id = $1")
        .bind(team)
        .fetch_optional(&mut *conn)
        .await?;
    Err(if exists.is_some() {
        StoreError::Closed
    } else {
        StoreError::NotFound
    })
}

/// Adds a member inside the caller's transaction. Nothing is committed here.
pub(super) async fn add_member(
    conn: &mut AnyConnection,
    team: &str,
    name: &Name,
    comment: &Comment,
    answers: &str,
    joined: &Joined,
) -> Result<(), StoreError> {
    let at = now();
    // Before counting, so two joins at once cannot both be the 50th.
    touch_open(conn, team, at).await?;
    let names = sqlx::query("SELECT name FROM members WHERE team_id = $1")
        .bind(team)
        .fetch_all(&mut *conn)
        .await?;
    if i64::try_from(names.len()).unwrap_or(i64::MAX) >= MAX_MEMBERS {
        return Err(StoreError::Full);
    }
    // Names are compared by their key computed now, so a name stored before look-alikes were
    // recognised still refuses a new one that looks the same.
    let key = name.key();
    for row in &names {
        if fields::key_of(row.try_get("name")?) == key {
            return Err(StoreError::NameTaken);
        }
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
