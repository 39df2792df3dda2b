//! The schema's migrations, embedded in the binary. Listed by hand rather than through sqlx's
//! `migrate!` macro, whose proc-macro crate compiles both database drivers (and SQLite's C
//! source) a second time for the build host: a sizeable share of a clean build for one list.

use std::borrow::Cow;

use futures_util::future::BoxFuture;
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType};

/// Each migration's version, description (its file name's, as sqlx records it) and SQL.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "teams", include_str!("../../migrations/0001_teams.sql")),
    (
        2,
        "write checks",
        include_str!("../../migrations/0002_write_checks.sql"),
    ),
    (
        3,
        "outcome",
        include_str!("../../migrations/0003_outcome.sql"),
    ),
    (
        4,
        "view key",
        include_str!("../../migrations/0004_view_key.sql"),
    ),
    (
        5,
        "deprecated",
        include_str!("../../migrations/0005_deprecated.sql"),
    ),
    (
        6,
        "supersessions",
        include_str!("../../migrations/0006_supersessions.sql"),
    ),
    (
        7,
        "evidence",
        include_str!("../../migrations/0007_evidence.sql"),
    ),
];

/// The embedded migrations as sqlx reads a directory of them: the same versions, descriptions and
/// checksums, so databases migrated by earlier builds carry on.
#[derive(Debug)]
pub(super) struct Embedded;

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        Box::pin(async {
            Ok(MIGRATIONS
                .iter()
                .map(|&(version, description, sql)| {
                    Migration::new(
                        version,
                        Cow::Borrowed(description),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        sql.starts_with("-- no-transaction"),
                    )
                })
                .collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use sqlx::migrate::MigrationSource;

    /// The list is the directory: what sqlx would read from `migrations/` at run time, with
    /// the same checksums, so nothing is left out when a migration is added.
    #[tokio::test]
    async fn the_embedded_list_is_the_migrations_directory() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let from_dir = dir.as_path().resolve().await.unwrap();
        let embedded = super::Embedded.resolve().await.unwrap();
        let key = |m: &sqlx::migrate::Migration| {
            (
                m.version,
                m.description.to_string(),
                m.checksum.to_vec(),
                m.no_tx,
            )
        };
        assert_eq!(
            from_dir.iter().map(key).collect::<Vec<_>>(),
            embedded.iter().map(key).collect::<Vec<_>>()
        );
    }
}
