//! Team decisions when things go wrong: a `kill -9` right after an answer was acknowledged,
//! PostgreSQL going down and coming back, a read-only SQLite file, and two replicas sharing
//! one PostgreSQL database. These run the `versus` binary as operators do.

use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::{answers_json, fixture, fresh_postgres, Server, TestApp, ANSWERS};

async fn team_with_member(app: &TestApp, name: &str) -> String {
    app.ready().await;
    let created: Value = app
        .post_json("/api/teams", json!({"title": "Crash test"}))
        .await
        .json()
        .await
        .unwrap();
    let team = created["team"].as_str().unwrap().to_owned();
    let response = app
        .post_json(
            &format!("/api/teams/{team}/answers"),
            json!({"name": name, "answers": answers_json()}),
        )
        .await;
    assert_eq!(201, response.status().as_u16(), "acknowledged");
    team
}

async fn member_names(app: &TestApp, team: &str) -> Vec<String> {
    let view: Value = app
        .get(&format!("/api/teams/{team}"))
        .await
        .json()
        .await
        .unwrap();
    view["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acknowledged_answer_survives_kill_9_on_sqlite_and_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let mut urls = vec![format!("sqlite:{}", dir.path().join("teams.db").display())];
    urls.extend(fresh_postgres().await);
    for url in urls {
        let server = Server::start(&fixture("valid"), &url);
        let team = team_with_member(&server.app(), "Survivor").await;
        // Killed the instant the 201 arrived: nothing flushed at shutdown can help.
        server.kill_9();
        let again = Server::start(&fixture("valid"), &url);
        let app = again.app();
        app.ready().await;
        assert_eq!(
            vec!["Survivor".to_owned()],
            member_names(&app, &team).await,
            "on {url}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_on_one_postgres_share_the_teams() {
    let Some(url) = fresh_postgres().await else {
        return;
    };
    // Both start at once, so both apply the migrations at once.
    let (a, b) = (
        Server::start(&fixture("valid"), &url),
        Server::start(&fixture("valid"), &url),
    );
    let team = team_with_member(&a.app(), "Written by A").await;
    let app_b = b.app();
    app_b.ready().await;
    assert_eq!(
        vec!["Written by A".to_owned()],
        member_names(&app_b, &team).await
    );
    let response = app_b
        .post_json(
            &format!("/api/teams/{team}/answers"),
            json!({"name": "Written by B", "answers": answers_json()}),
        )
        .await;
    assert_eq!(201, response.status().as_u16());
    assert_eq!(2, member_names(&a.app(), &team).await.len());
}

/// A PostgreSQL cluster of this test's own (so stopping it disturbs no other test), started
/// with the programs the test command found, as the `postgres` user when run as root; stopped
/// and removed when dropped.
struct Cluster {
    bin: std::path::PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

impl Cluster {
    /// `program` from the cluster's bin directory, as the `postgres` user when run as root.
    fn command(&self, program: &str) -> std::process::Command {
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout == b"0\n");
        let program = self.bin.join(program);
        if root {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            std::process::Command::new(&program)
        }
    }

    fn run(&self, program: &str, args: &[&str]) {
        let output = self
            .command(program)
            .args(args)
            .output()
            .expect("a PostgreSQL program runs");
        assert!(
            output.status.success(),
            "{program} {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn start() -> Option<Cluster> {
        crate::helpers::postgres_admin()?;
        let bin =
            std::env::var("VERSUS_TEST_PG_BIN").expect("the test command sets VERSUS_TEST_PG_BIN");
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        std::process::Command::new("chown")
            .arg("postgres")
            .arg(dir.path())
            .status()
            .ok();
        let cluster = Cluster {
            bin: bin.into(),
            dir,
            port,
        };
        cluster.run(
            "initdb",
            &["-D", &cluster.data(), "-U", "postgres", "--auth=trust"],
        );
        cluster.up();
        Some(cluster)
    }

    fn up(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("server.log").display().to_string();
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-l",
                &log,
                "-w",
                "-o",
                &options,
                "start",
            ],
        );
    }

    fn down(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"]);
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Best effort, also after a failed assertion; the directory goes with `dir`.
        let data = self.data();
        let _ = self
            .command("pg_ctl")
            .args(["-D", &data, "-m", "immediate", "stop"])
            .output();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_postgres_is_down_team_routes_answer_503_and_recover_by_themselves() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let server = Server::start(&fixture("valid"), &cluster.url());
    let app = server.app();
    let team = team_with_member(&app, "Before the outage").await;
    cluster.down();
    for path in [format!("/teams/{team}"), format!("/api/teams/{team}")] {
        let response = app.get(&path).await;
        assert_eq!(
            503,
            response.status().as_u16(),
            "{path} while PostgreSQL is down"
        );
        assert!(response.headers().contains_key("retry-after"), "{path}");
    }
    assert_eq!(503, app.get("/readyz").await.status().as_u16());
    assert_eq!(
        200,
        app.get("/healthz").await.status().as_u16(),
        "liveness is not readiness"
    );
    for path in ["/", "/topics/alpha", "/recommend"] {
        assert_eq!(
            200,
            app.get(path).await.status().as_u16(),
            "{path} serves without the database"
        );
    }
    assert_eq!(
        200,
        app.get(&format!("/recommendation?{ANSWERS}"))
            .await
            .status()
            .as_u16()
    );
    cluster.up();
    // Back up: the same server answers again without a restart.
    let mut recovered = false;
    for _ in 0..50 {
        if app
            .get(&format!("/api/teams/{team}"))
            .await
            .status()
            .as_u16()
            == 200
        {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(recovered, "team routes recover when PostgreSQL is back");
    assert_eq!(
        vec!["Before the outage".to_owned()],
        member_names(&app, &team).await
    );
    assert_eq!(200, app.get("/readyz").await.status().as_u16());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_sqlite_file_refuses_writes_with_503_and_keeps_serving_reads() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("teams.db");
    let url = format!("sqlite:{}", file.display());
    let team = {
        let server = Server::start(&fixture("valid"), &url);
        let team = team_with_member(&server.app(), "Kept").await;
        drop(server);
        team
    };
    // Read-only open: the server may read the file but never write it (root ignores file
    // modes, so the database is opened read-only instead, as a read-only mount would be).
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let server = Server::start(&fixture("valid"), &format!("{url}?mode=ro"));
    let app = server.app();
    app.ready().await;
    assert_eq!(
        vec!["Kept".to_owned()],
        member_names(&app, &team).await,
        "reads still work"
    );
    let response = app
        .post_json(
            &format!("/api/teams/{team}/answers"),
            json!({"name": "Refused", "answers": answers_json()}),
        )
        .await;
    assert_eq!(
        503,
        response.status().as_u16(),
        "a write to a read-only database"
    );
    assert!(response.headers().contains_key("retry-after"));
    assert_eq!(200, app.get("/topics/alpha").await.status().as_u16());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn versus_backup_copies_a_live_sqlite_database_consistently() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("teams.db").display());
    let server = Server::start(&fixture("valid"), &url);
    let team = team_with_member(&server.app(), "Backed up").await;
    let copy = dir.path().join("copy.db");
    let output = crate::helpers::versus()
        .args(["backup", "--database", &url, "--out"])
        .arg(&copy)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // A second backup to the same file is refused rather than overwriting it.
    let again = crate::helpers::versus()
        .args(["backup", "--database", &url, "--out"])
        .arg(&copy)
        .output()
        .unwrap();
    assert!(!again.status.success());
    drop(server);
    let restored = Server::start(&fixture("valid"), &format!("sqlite:{}", copy.display()));
    let app = restored.app();
    app.ready().await;
    assert_eq!(
        vec!["Backed up".to_owned()],
        member_names(&app, &team).await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_retention_sweep_deletes_only_untouched_undecided_decisions() {
    use versus::store::{Organise, Store, StoreError, Title};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite:{}", dir.path().join("t.db").display())).unwrap();
    store.migrate().await.unwrap();
    let kept = store
        .create_team(&Title::parse("Recent").unwrap(), false)
        .await
        .unwrap();
    // A decided decision (closed with a stated outcome) and one closed by an older version,
    // with no outcome stated.
    let decided = store
        .create_team(&Title::parse("Decided").unwrap(), false)
        .await
        .unwrap();
    store
        .organise(
            &decided.team,
            &decided.organiser_key,
            Organise::Close {
                outcome: "django",
                rationale: "",
                pin: versus::store::Pin(&|_: &[versus::store::Member], _: i64| String::new()),
            },
        )
        .await
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    // Nothing is older than an hour ago.
    assert_eq!(0, store.sweep(now - 3600).await.unwrap());
    assert!(store.team(&kept.team).await.is_ok());
    // Every undecided decision touched before a moment from now is; a decided one is kept, so
    // records and links to it do not go dead.
    assert_eq!(1, store.sweep(now + 10).await.unwrap());
    assert!(matches!(
        store.team(&kept.team).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        store.team(&decided.team).await.is_ok(),
        "a decided decision is kept"
    );
}

/// Answers that arrive together are committed together on SQLite (one transaction, a
/// savepoint each): each must still get its own outcome, and only the good ones may be stored.
/// PostgreSQL, which commits each on its own, must give the same outcomes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_committed_together_each_get_their_own_outcome() {
    use versus::store::{Comment, Name, Organise, Store, StoreError, Title};
    let (_dir, urls) = crate::helpers::databases().await;
    for url in urls {
        let store = Store::open(&url).unwrap();
        store.migrate().await.unwrap();
        let title = Title::parse("Mixed").unwrap();
        let open = store.create_team(&title, false).await.unwrap();
        let closed = store.create_team(&title, false).await.unwrap();
        store
            .organise(
                &closed.team,
                &closed.organiser_key,
                Organise::Close {
                    outcome: "none",
                    rationale: "closed for the test",
                    pin: versus::store::Pin(&|_: &[versus::store::Member], _: i64| String::new()),
                },
            )
            .await
            .unwrap();
        let unknown = versus::store::fields::random_id().unwrap();
        // 40 distinct names, 8 people who all want "Same", 6 into the closed team and 6 into
        // one that does not exist, all at once and interleaved.
        let mut asks = Vec::new();
        for i in 0..60 {
            let (team, name) = match i % 10 {
                0..=5 => (open.team.clone(), format!("member {i}")),
                6 | 7 => (open.team.clone(), "Same".to_owned()),
                8 => (closed.team.clone(), format!("late {i}")),
                _ => (unknown.clone(), format!("lost {i}")),
            };
            let store = store.clone();
            asks.push(tokio::spawn(async move {
                let name = Name::parse(&name).unwrap();
                let outcome = store
                    .join(&team, &name, &Comment::default(), "building=api")
                    .await;
                (i, outcome)
            }));
        }
        let mut stored = 0;
        let mut same = 0;
        for ask in asks {
            let (i, outcome) = ask.await.unwrap();
            match (i % 10, outcome) {
                (0..=5, Ok(_)) => stored += 1,
                (6 | 7, Ok(_)) => same += 1,
                (6 | 7, Err(StoreError::NameTaken)) => {}
                (8, Err(StoreError::Closed)) | (9, Err(StoreError::NotFound)) => {}
                (kind, outcome) => panic!("on {url}: answer {i} (kind {kind}) gave {outcome:?}"),
            }
        }
        assert_eq!(36, stored, "on {url}");
        assert_eq!(1, same, "exactly one \"Same\" is stored on {url}");
        // What was acknowledged is what is there, read back by a new store.
        let again = Store::open(&url).unwrap();
        again.migrate().await.unwrap();
        let view = again.team(&open.team).await.unwrap();
        assert_eq!(37, view.members.len(), "on {url}");
        assert!(again.team(&closed.team).await.unwrap().members.is_empty());
        store.close().await;
        again.close().await;
    }
}
