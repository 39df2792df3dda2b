//! Team decisions people can trust, tested on the paths nobody takes on purpose: a full disk, a
//! failed `COMMIT`, a removed database, hidden results fetched by outsiders, keys in the access
//! log, slow bodies, look-alike names, and the headers of every error under the team scopes.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{
    answers_json, databases, fixture, spawn_app_on, spawn_logged, versus, Server, TestApp, ANSWERS,
};

async fn new_team(app: &TestApp, title: &str, hidden: bool) -> (String, String) {
    let response = app
        .post_json("/api/teams", json!({"title": title, "hidden": hidden}))
        .await;
    assert_eq!(201, response.status().as_u16(), "on {}", app.database);
    let body: Value = response.json().await.unwrap();
    let organiser = body["organiser_url"].as_str().unwrap();
    (
        body["team"].as_str().unwrap().to_owned(),
        organiser[organiser.find("/teams/").unwrap()..].to_owned(),
    )
}

async fn join(app: &TestApp, team: &str, name: &str) -> reqwest::Response {
    app.post_json(
        &format!("/api/teams/{team}/answers"),
        json!({"name": name, "answers": answers_json(), "comment": "Secret reason"}),
    )
    .await
}

async fn member_names(app: &TestApp, team: &str) -> BTreeSet<String> {
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

/// The answers a server acknowledged must be exactly those a restarted server finds: never one
/// acknowledged and lost, never one refused and kept.
async fn assert_survivors(url: &str, team: &str, acked: &BTreeSet<String>, refused: &[String]) {
    let again = Server::start(&fixture("valid"), url);
    let app = again.app();
    app.ready().await;
    let survivors = member_names(&app, team).await;
    let lost: Vec<_> = acked.difference(&survivors).collect();
    assert!(lost.is_empty(), "acknowledged and lost: {lost:?}");
    let kept: Vec<_> = refused.iter().filter(|n| survivors.contains(*n)).collect();
    assert!(kept.is_empty(), "refused with 503 and yet kept: {kept:?}");
}

/// A small tmpfs for the database, so the disk can really fill up. Needs the right to mount
/// (root, as on CI); where it is missing the test says so on stderr and stops (the failed-commit
/// test below still covers closing a connection whose commit failed).
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount(size: &str) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("SKIPPED: the full-disk test cannot mount a tmpfs here (it needs root)");
            return None;
        }
        Some(Self(dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.0.path())
            .status();
    }
}

/// Fills the filesystem holding `dir` until a write fails for want of space.
fn fill(dir: &std::path::Path) -> std::path::PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let block = vec![0u8; 4096];
    while file
        .write_all(&block)
        .and_then(|()| file.sync_all())
        .is_ok()
    {}
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_full_disk_no_answer_is_acknowledged_unless_it_survives_a_restart() {
    let Some(disk) = Tmpfs::mount("2m") else {
        return;
    };
    let url = format!("sqlite:{}", disk.0.path().join("teams.db").display());
    let server = Server::start(&fixture("valid"), &url);
    let app = server.app();
    app.ready().await;
    let (team, _) = new_team(&app, "Full disk", false).await;
    let mut acked = BTreeSet::new();
    let mut refused = Vec::new();
    assert_eq!(201, join(&app, &team, "Before").await.status().as_u16());
    acked.insert("Before".to_owned());

    let filler = fill(disk.0.path());
    let mut full = Vec::new();
    let mut leaked: Vec<String> = Vec::new();
    for i in 0..20 {
        let name = format!("Full {i}");
        let response = join(&app, &team, &name).await;
        let status = response.status().as_u16();
        match status {
            201 => {
                acked.insert(name);
            }
            503 => {
                assert!(response.headers().contains_key("retry-after"));
                let body = response.text().await.unwrap();
                if ["disk", "I/O", "sqlx", "SQLITE"]
                    .iter()
                    .any(|t| body.contains(t))
                {
                    leaked.push(body);
                }
                refused.push(name);
            }
            other => panic!("{name}: unexpected {other}"),
        }
        full.push(status);
    }
    assert!(full.contains(&503), "a full disk refuses answers: {full:?}");
    let ready_while_full = app.get("/readyz").await.status().as_u16();

    // Space comes back: writes and readiness recover by themselves.
    std::fs::remove_file(filler).unwrap();
    let mut recovered = false;
    for i in 0..40 {
        let name = format!("After {i}");
        let response = join(&app, &team, &name).await;
        if response.status().as_u16() == 201 {
            acked.insert(name);
            recovered = true;
            break;
        }
        refused.push(name);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(recovered, "writes recover once space is back");
    assert_eq!(200, app.get("/readyz").await.status().as_u16());
    server.kill_9();
    assert_survivors(&url, &team, &acked, &refused).await;
    assert_eq!(
        503, ready_while_full,
        "readiness said writes could not commit"
    );
    assert!(
        leaked.is_empty(),
        "internal detail in 503 bodies: {leaked:?}"
    );
}

/// A `COMMIT` that fails while the transaction stays open (a deferred foreign key, put there by
/// another connection, fails every commit that adds a member) must not leave the connection
/// inside that transaction: later answers would be acknowledged into a transaction that never
/// commits, and the database stays locked for everyone else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_commit_never_leaves_its_connection_inside_the_transaction() {
    use sqlx::{Connection, Executor};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("teams.db");
    let url = format!("sqlite:{}", file.display());
    let server = Server::start(&fixture("valid"), &url);
    let app = server.app();
    app.ready().await;
    let (team, _) = new_team(&app, "Failing commits", false).await;
    let mut acked = BTreeSet::new();
    let mut refused = Vec::new();
    assert_eq!(201, join(&app, &team, "First").await.status().as_u16());
    acked.insert("First".to_owned());

    let mut other = sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    other
        .execute(
            "CREATE TABLE trap_parent (id INTEGER PRIMARY KEY); \
             CREATE TABLE trap (x INTEGER REFERENCES trap_parent (id) DEFERRABLE INITIALLY DEFERRED); \
             CREATE TRIGGER trap AFTER INSERT ON members BEGIN INSERT INTO trap VALUES (1); END;",
        )
        .await
        .unwrap();
    other.execute("PRAGMA foreign_keys = ON").await.unwrap();
    for i in 0..5 {
        let name = format!("Trapped {i}");
        let status = join(&app, &team, &name).await.status().as_u16();
        assert_eq!(503, status, "{name}: its commit failed");
        refused.push(name);
    }
    // The server holds no transaction open: another connection can write.
    other
        .execute("BEGIN IMMEDIATE; UPDATE trap_parent SET id = id; COMMIT;")
        .await
        .expect("the write lock is free after failed commits");
    other
        .execute("DROP TRIGGER trap; DROP TABLE trap; DROP TABLE trap_parent;")
        .await
        .unwrap();
    other.close().await.unwrap();
    // Organiser writes and answers commit again, and are acknowledged only once committed.
    for i in 0..5 {
        let name = format!("Later {i}");
        assert_eq!(
            201,
            join(&app, &team, &name).await.status().as_u16(),
            "{name}"
        );
        acked.insert(name);
    }
    assert_eq!(200, app.get("/readyz").await.status().as_u16());
    server.kill_9();
    assert_survivors(&url, &team, &acked, &refused).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_database_directory_refuses_writes_with_503_and_readyz_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db_dir = dir.path().join("data");
    let url = format!("sqlite:{}", db_dir.join("teams.db").display());
    let server = Server::start(&fixture("valid"), &url);
    let app = server.app();
    app.ready().await;
    let (team, _) = new_team(&app, "Removed", false).await;
    assert_eq!(201, join(&app, &team, "Kept").await.status().as_u16());
    assert_eq!(200, app.get("/readyz").await.status().as_u16());

    std::fs::remove_dir_all(&db_dir).unwrap();
    let response = join(&app, &team, "Into deleted files").await;
    assert_eq!(
        503,
        response.status().as_u16(),
        "no answer into deleted files"
    );
    assert_eq!(response.headers()["retry-after"], "5");
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    let body = response.text().await.unwrap();
    assert!(
        !body.contains("teams.db") && !body.contains("removed"),
        "{body}"
    );
    let response = app.post_json("/api/teams", json!({"title": "New"})).await;
    assert_eq!(503, response.status().as_u16());
    let response = app.post_form("/teams", "title=New").await;
    assert_eq!(503, response.status().as_u16());
    assert!(response.headers().contains_key("retry-after"));
    assert_eq!(503, app.get("/readyz").await.status().as_u16());
    // The content site is untouched.
    assert_eq!(200, app.get("/topics/alpha").await.status().as_u16());
}

/// Every rendering of a hidden, open decision that an outsider can fetch (the page without a
/// cookie, the record, the JSON, the card and the meta tags) shows the title, the names and
/// the status only; members and the organiser see the results; closing reveals them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hidden_decision_shows_outsiders_names_and_status_only() {
    let (_dir, urls) = databases().await;
    for url in urls {
        let app = spawn_app_on(&fixture("valid"), &url).await;
        app.ready().await;
        let (team, organiser) = new_team(&app, "Blind choice", true).await;
        let response = app
            .post_form(
                &format!("/teams/{team}/answers"),
                &format!("name=Ana&comment=My+secret+reason&{ANSWERS}"),
            )
            .await;
        assert_eq!(303, response.status().as_u16());
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        assert_eq!(201, join(&app, &team, "Ben").await.status().as_u16());

        let leaks = |what: &str, text: &str| {
            for secret in [
                "My secret reason",
                "Secret reason",
                "Chosen option",
                "The team’s result:",
                "Disagreement",
                "(+",
            ] {
                assert!(
                    !text.contains(secret),
                    "{what} on {url} shows {secret:?}:\n{text}"
                );
            }
            assert!(
                text.contains("Ana") && text.contains("Ben"),
                "{what}: names shown"
            );
        };
        let (status, record) = app.get_text(&format!("/teams/{team}/record.md")).await;
        assert_eq!(200, status);
        leaks("the record", &record);
        assert!(record.contains("status: proposed"), "{record}");
        let (_, page) = app.get_text(&format!("/teams/{team}")).await;
        leaks("the page", &page);
        // A link preview gets the site's own card, not one that shows the outcome.
        let card = |page: &str| {
            let at = page.find("og:image\" content=\"").expect("a card") + 19;
            page[at..page[at..].find('"').unwrap() + at].to_owned()
        };
        assert!(card(&page).contains("/cards/home."), "{}", card(&page));
        let (_, json) = app.get_text(&format!("/api/teams/{team}")).await;
        leaks("the JSON", &json);
        let view: Value = serde_json::from_str(&json).unwrap();
        assert!(view["combined"].is_null() && view["disagreements"] == json!([]));
        // The read-only link and its record show what an outsider sees, nothing more.
        let read_only = view["links"]["view"].as_str().expect("a read-only link");
        let read_only = &read_only[read_only.find("/teams/view/").unwrap()..];
        let (status, page) = app.get_text(read_only).await;
        assert_eq!(200, status);
        leaks("the read-only page", &page);
        let (status, record) = app.get_text(&format!("{read_only}/record.md")).await;
        assert_eq!(200, status);
        leaks("the read-only record", &record);

        // A member's own cookie opens the record and the page to them.
        let member_record = app
            .client
            .get(format!("{}/teams/{team}/record.md", app.address))
            .header("Cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            member_record.contains("My secret reason"),
            "{member_record}"
        );
        // The organiser sees results, and the page says they control the reveal.
        let (_, organiser_page) = app.get_text(&organiser).await;
        assert!(organiser_page.contains("Ana"));

        // Closing reveals to everyone.
        let status = app
            .post_form_status(
                &format!("{organiser}/close"),
                "outcome=none&rationale=Revealing",
            )
            .await;
        assert_eq!(303, status, "closed");
        let (_, record) = app.get_text(&format!("/teams/{team}/record.md")).await;
        assert!(
            record.contains("My secret reason"),
            "closing reveals: {record}"
        );
        let (_, page) = app.get_text(&format!("/teams/{team}")).await;
        assert!(
            !card(&page).contains("/cards/home."),
            "closing reveals the outcome's card"
        );
        // Reopening keeps it revealed.
        let status = app
            .post_form_status(&format!("{organiser}/reopen"), "")
            .await;
        assert_eq!(303, status, "reopened");
        let view: Value = app
            .get(&format!("/api/teams/{team}"))
            .await
            .json()
            .await
            .unwrap();
        assert!(
            !view["combined"].is_null(),
            "still revealed after reopening"
        );
    }
}

/// Every team route, visited with real keys: not one key may reach the access log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_capability_key_reaches_the_access_log() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("teams.db").display());
    let mut command = versus();
    command
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--workers",
            "1",
            "--database",
            &url,
        ])
        .arg("--content")
        .arg(fixture("valid"))
        .env("VERSUS_LOG", "info")
        .env("NO_COLOR", "1");
    let server = spawn_logged(command);
    let app = TestApp::remote(&server.address);
    app.ready().await;
    let (team, organiser) = new_team(&app, "Logged", false).await;
    let organiser_key = organiser.rsplit('/').next().unwrap().to_owned();
    let joined: Value = join(&app, &team, "Ana").await.json().await.unwrap();
    let edit_url = joined["edit_url"].as_str().unwrap();
    let edit = edit_url[edit_url.find("/teams/").unwrap()..].to_owned();
    let edit_key = edit.rsplit('/').next().unwrap().to_owned();
    let member = joined["member"].as_str().unwrap().to_owned();
    let team_json: Value = app
        .get(&format!("/api/teams/{team}"))
        .await
        .json()
        .await
        .unwrap();
    let view_link = team_json["links"]["view"].as_str().unwrap();
    let view_key = view_link.rsplit('/').next().unwrap().to_owned();
    for path in [
        format!("/teams/view/{view_key}"),
        format!("/teams/view/{view_key}/record.md"),
        organiser.clone(),
        format!("{organiser}?created=1"),
        edit.clone(),
        format!("{organiser}/nope"),
        format!("/api/teams/{team}/edit/{edit_key}"),
        format!("/api/teams/{team}/organiser/{organiser_key}/close"),
    ] {
        app.get(&path).await;
    }
    app.post_form_status(&edit, &format!("{ANSWERS}&comment=x"))
        .await;
    app.post_form_status(&format!("{organiser}/rename"), "title=Renamed")
        .await;
    app.post_form_status(
        &format!("{organiser}/remove"),
        &format!("member={member}&confirm=yes"),
    )
    .await;
    app.post_form_status(&format!("{edit}/withdraw"), "").await;
    app.post_form_status(&format!("{organiser}/close"), "outcome=none&rationale=x")
        .await;
    app.post_form_status(&format!("{organiser}/delete"), "confirm=yes")
        .await;
    // SIGTERM, so the access log's last batch is written before the process exits.
    let mut child = server.child;
    let stopped = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    child.wait().unwrap();
    let log = server.log.join().unwrap();
    assert!(
        log.contains("/organiser/[key]"),
        "the organiser's visits are logged:\n{log}"
    );
    assert!(
        log.contains("/edit/[key]"),
        "the member's visits are logged:\n{log}"
    );
    assert!(
        log.contains("/teams/view/[key]"),
        "the read-only visits are logged:\n{log}"
    );
    for key in [&organiser_key, &edit_key, &view_key] {
        assert!(!log.contains(key.as_str()), "a key in the log:\n{log}");
    }
}

/// A client that sends its body a byte at a time is cut off with 408 (a generous deadline: this
/// checks that the timeout fires, not how soon).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_body_is_cut_off_with_408() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("teams.db").display());
    let app = spawn_app_on(&fixture("valid"), &url).await;
    app.ready().await;
    for (path, kind) in [
        ("/teams", "application/x-www-form-urlencoded"),
        ("/api/teams", "application/json"),
        ("/recommend", "application/x-www-form-urlencoded"),
    ] {
        let addr = app.address.trim_start_matches("http://").to_owned();
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {kind}\r\nContent-Length: 100\r\n\r\nt"
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let dripping = async {
            // One byte every second, for far longer than the limit.
            for _ in 0..60 {
                tokio::time::sleep(Duration::from_secs(1)).await;
                if stream.write_all(b"x").await.is_err() {
                    break;
                }
                let mut buf = [0u8; 4096];
                if let Ok(Ok(n)) =
                    tokio::time::timeout(Duration::from_millis(10), stream.read(&mut buf)).await
                {
                    return String::from_utf8_lossy(&buf[..n]).into_owned();
                }
            }
            String::new()
        };
        let answer = tokio::time::timeout(Duration::from_secs(40), dripping)
            .await
            .expect("the server answered within 40 s");
        assert!(answer.starts_with("HTTP/1.1 408"), "{path}: {answer}");
        if path.contains("teams") {
            assert!(answer.contains("referrer-policy: no-referrer"), "{answer}");
        }
        assert!(
            answer.contains("x-content-type-options: nosniff"),
            "{answer}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn look_alike_and_invisible_names_are_refused() {
    let (_dir, urls) = databases().await;
    for url in urls {
        let app = spawn_app_on(&fixture("valid"), &url).await;
        app.ready().await;
        let (team, _) = new_team(&app, "Names", false).await;
        assert_eq!(201, join(&app, &team, "Ana").await.status().as_u16());
        assert_eq!(
            201,
            join(&app, &team, "\u{C1}lvaro").await.status().as_u16()
        );
        for (name, status) in [
            ("\u{410}na", 409),        // Cyrillic А
            ("ANA", 409),              // case
            ("A\u{301}lvaro", 409),    // decomposed Á
            ("\u{FF21}na", 409),       // full-width A
            ("An\u{200B}a", 422),      // zero-width space
            ("\u{202E}anA", 422),      // right-to-left override
            ("\u{200B}\u{200B}", 422), // nothing but zero-width spaces
            ("\u{3164}", 422),         // Hangul filler
        ] {
            let response = join(&app, &team, name).await;
            assert_eq!(status, response.status().as_u16(), "{name:?} on {url}");
        }
        assert_eq!(
            BTreeSet::from(["Ana".to_owned(), "\u{C1}lvaro".to_owned()]),
            member_names(&app, &team).await
        );
    }
}

/// Every error under the team scopes carries the team headers (and the site's security
/// headers): 400, 404, 405, 413, 415, 422, 429 and 503 (408 above).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_error_under_the_team_scopes_carries_the_team_headers() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("teams.db").display());
    let app = spawn_app_on(&fixture("valid"), &url).await;
    app.ready().await;
    let (team, organiser) = new_team(&app, "Headers", false).await;
    let big = "x".repeat(70 * 1024);
    let client = &app.client;
    let base = &app.address;
    let mut responses = vec![
        (
            404,
            client.get(format!("{base}/teams/{team}/nope")).send().await,
        ),
        (
            404,
            client
                .get(format!("{base}/api/teams/{team}/nope/more"))
                .send()
                .await,
        ),
        (
            404,
            client
                .get(format!("{base}/teams/{}", "0".repeat(32)))
                .send()
                .await,
        ),
        (405, client.delete(format!("{base}/api/teams")).send().await),
        (405, client.put(format!("{base}/teams/{team}")).send().await),
        (
            405,
            client.get(format!("{base}{organiser}/close")).send().await,
        ),
        (
            413,
            client
                .post(format!("{base}/api/teams"))
                .header("Content-Type", "application/json")
                .body(big.clone())
                .send()
                .await,
        ),
        (
            413,
            client
                .post(format!("{base}/teams"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(format!("title={big}"))
                .send()
                .await,
        ),
        (
            415,
            client
                .post(format!("{base}/api/teams"))
                .header("Content-Type", "text/plain")
                .body("{}")
                .send()
                .await,
        ),
        (
            415,
            client
                .post(format!("{base}/teams/{team}/answers"))
                .header("Content-Type", "text/plain")
                .body("name=x")
                .send()
                .await,
        ),
        (
            422,
            client
                .post(format!("{base}/api/teams"))
                .header("Content-Type", "application/json")
                .body("{not json")
                .send()
                .await,
        ),
        (
            403,
            client
                .post(format!("{base}/teams"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "https://evil.example")
                .body("title=x")
                .send()
                .await,
        ),
    ];
    // 400: a body whose chunked encoding is broken, read by a team route.
    for path in ["/api/teams".to_owned(), format!("/teams/{team}/answers")] {
        let addr = app.address.trim_start_matches("http://").to_owned();
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let kind = if path.starts_with("/api") {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        let head = format!("POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {kind}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        let _ =
            tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer)).await;
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 400"), "{path}: {answer}");
        assert!(
            answer.contains("referrer-policy: no-referrer"),
            "{path}: {answer}"
        );
        assert!(answer.contains("x-robots-tag: noindex"), "{path}: {answer}");
    }
    for i in 0..12 {
        let response = app
            .post_json("/api/teams", json!({"title": format!("T{i}")}))
            .await;
        if response.status().as_u16() == 429 {
            responses.push((429, Ok(response)));
            break;
        }
    }
    for (expected, response) in responses {
        let response = response.unwrap();
        let url = response.url().to_string();
        let status = response.status().as_u16();
        assert_eq!(expected, status, "{url}");
        let h = response.headers();
        assert_eq!(h["referrer-policy"], "no-referrer", "{status} {url}");
        assert_eq!(h["cache-control"], "no-store", "{status} {url}");
        assert_eq!(h["x-robots-tag"], "noindex", "{status} {url}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{status} {url}");
        let body = response.text().await.unwrap();
        assert!(
            !body.contains("Your answers were too large"),
            "{status} {url}: {body}"
        );
        if status == 415 && url.contains("/api/teams") && !url.contains("answers") {
            assert!(!body.contains("answers"), "{status} {url}: {body}");
        }
    }
}

/// `Retry-After` is rounded up: waiting exactly that long is enough.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_as_long_as_retry_after_says_is_enough() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("teams.db").display());
    let app = spawn_app_on(&fixture("valid"), &url).await;
    app.ready().await;
    let mut wait = None;
    for i in 0..12 {
        let response = app
            .post_json("/api/teams", json!({"title": format!("T{i}")}))
            .await;
        if response.status().as_u16() == 429 {
            wait = Some(
                response.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse::<u64>()
                    .unwrap(),
            );
            break;
        }
    }
    let wait = wait.expect("the limit was reached");
    tokio::time::sleep(Duration::from_secs(wait)).await;
    let response = app.post_json("/api/teams", json!({"title": "After"})).await;
    assert_eq!(201, response.status().as_u16(), "after {wait} s");
}

/// The read-only link is a capability of its own: it shows the decision as a non-member sees
/// it, offers nothing to join or change, and never carries the team's id (the share link, which
/// lets people join); records link it instead of the share link.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_read_only_link_shows_the_decision_and_lets_nobody_in() {
    let (_dir, urls) = databases().await;
    for url in urls {
        let app = spawn_app_on(&fixture("valid"), &url).await;
        app.ready().await;
        let (team, organiser) = new_team(&app, "Open book", false).await;
        assert_eq!(201, join(&app, &team, "Ana").await.status().as_u16());
        let view: Value = app
            .get(&format!("/api/teams/{team}"))
            .await
            .json()
            .await
            .unwrap();
        let link = view["links"]["view"].as_str().expect("a read-only link");
        let key = link.rsplit('/').next().unwrap();
        assert_eq!(32, key.len(), "128 bits, hex: {link}");
        assert!(
            !link.contains(&team),
            "the read-only link is not the share link"
        );
        let path = format!("/teams/view/{key}");
        for (what, page) in [
            ("team page", format!("/teams/{team}")),
            ("organiser page", organiser.clone()),
        ] {
            let (_, html) = app.get_text(&page).await;
            assert!(
                html.contains(&format!("href=\"{link}\"")),
                "the {what} offers it on {url}"
            );
        }

        let (status, html) = app.get_text(&path).await;
        assert_eq!(200, status, "on {url}");
        assert!(html.contains("Open book") && html.contains("Ana"), "{html}");
        assert!(
            html.contains("The team’s result:"),
            "an open decision's result shows"
        );
        assert!(
            !html.contains(&team),
            "no share link, join link or id on {url}:\n{html}"
        );
        assert!(
            !html.contains("<form method=\"post\""),
            "nothing to post on {url}"
        );
        assert!(
            html.contains("A read-only view of this team decision"),
            "{html}"
        );

        let (status, record) = app.get_text(&format!("{path}/record.md")).await;
        assert_eq!(200, status);
        assert!(
            record.contains(&format!("Decision (read-only): <{link}>")),
            "{record}"
        );
        assert!(
            !record.contains(&team),
            "the record never carries the share link: {record}"
        );
        let (_, shared_record) = app.get_text(&format!("/teams/{team}/record.md")).await;
        assert!(shared_record.contains(&format!("Decision (read-only): <{link}>")));
        assert!(
            !shared_record.contains(&format!("/teams/{team}")),
            "{shared_record}"
        );

        // Another key, a malformed one and the organiser's own key open nothing here.
        let organiser_key = organiser.rsplit('/').next().unwrap();
        for wrong in [
            "0123456789abcdef0123456789abcdef",
            "not-a-key",
            organiser_key,
        ] {
            let (status, _) = app.get_text(&format!("/teams/view/{wrong}")).await;
            assert_eq!(404, status, "{wrong} on {url}");
        }
        // Nothing can be posted to it.
        let status = app.post_form_status(&path, "name=Eve").await;
        assert_eq!(405, status, "on {url}");
    }
}
