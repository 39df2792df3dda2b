//! Spawning the app for a test, and small request helpers.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use versus::startup::{Application, Settings};

/// A complete, valid set of answers to the fixture's questionnaire, in the form's encoding.
pub(crate) const ANSWERS: &str =
    "building=site&admin=yes&q5=a&q6=a&q7=b&q8=a&q9=a&q10=a&q11=c&q12=a";

/// The `versus` binary built for these tests, with no `VERSUS_*` setting inherited.
pub(crate) fn versus() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_versus"));
    for (key, _) in std::env::vars() {
        if key.starts_with("VERSUS_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

/// A copy of the fixture `name` in a new temporary directory, with `edit` applied to the text
/// of its site.toml, so a test can change its own copy.
pub(crate) fn fixture_copy(name: &str, edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(name), dir.path());
    let site = dir.path().join("site.toml");
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(&site, edit(text)).unwrap();
    dir
}

/// What came back on one raw connection.
pub(crate) struct Raw {
    pub status: u16,
    /// The status line and headers.
    pub head: String,
    /// Everything after the blank line.
    pub body: Vec<u8>,
    /// The whole response as text.
    pub text: String,
}

/// Reads from `stream` until the server closes it (or 10 s pass, which fails the test).
pub(crate) async fn read_to_close(stream: &mut TcpStream) -> Vec<u8> {
    let mut response = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), async {
        let mut chunk = [0; 8192];
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => response.extend_from_slice(&chunk[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "no answer within 10 s");
    response
}

/// The fixture's valid answers in the API's shape.
pub(crate) fn answers_json() -> serde_json::Value {
    let mut map: std::collections::BTreeMap<String, Vec<String>> =
        std::collections::BTreeMap::new();
    for pair in ANSWERS.split('&') {
        let (q, o) = pair.split_once('=').unwrap();
        map.entry(q.to_owned()).or_default().push(o.to_owned());
    }
    serde_json::Value::Object(
        map.into_iter()
            .map(|(q, mut o)| {
                let v = if o.len() == 1 {
                    serde_json::Value::String(o.remove(0))
                } else {
                    serde_json::json!(o)
                };
                (q, v)
            })
            .collect(),
    )
}

pub(crate) struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// The database URL the app keeps team decisions in.
    pub database: String,
    /// The directory of its SQLite file, removed with the app.
    _data: Option<tempfile::TempDir>,
}

/// The repository root, so tests find fixtures wherever they run from.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn fixture(name: &str) -> PathBuf {
    root().join("tests").join("fixtures").join(name)
}

/// Serves `content` on 127.0.0.1 with a free port, in the background of the test's runtime,
/// with team decisions in a new SQLite file.
pub(crate) async fn spawn_app_with(content: &Path) -> TestApp {
    let data = tempfile::tempdir().unwrap();
    let database = format!("sqlite:{}", data.path().join("teams.db").display());
    let mut app = spawn_app_on(content, &database).await;
    app._data = Some(data);
    app
}

/// Serves `content` with team decisions in `database` (an SQLite or PostgreSQL URL).
pub(crate) async fn spawn_app_on(content: &Path, database: &str) -> TestApp {
    spawn_app_set(Settings::local(content, database)).await
}

/// Serves with `settings` (a test that changes one from [`Settings::local`]).
pub(crate) async fn spawn_app_set(settings: Settings) -> TestApp {
    let database = settings.database.clone();
    let database = database.as_str();
    let app = Application::build(&settings).expect("the test app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // No idle connections: the server may close one just as the client reuses it.
        .pool_max_idle_per_host(0)
        .build()
        .expect("a client");
    TestApp {
        address,
        client,
        database: database.to_owned(),
        _data: None,
    }
}

/// The small, valid fixture site.
pub(crate) async fn spawn_app() -> TestApp {
    spawn_app_with(&fixture("valid")).await
}

impl TestApp {
    /// A client for a server this test started as a process (`http://127.0.0.1:PORT`).
    pub(crate) fn remote(address: &str) -> TestApp {
        TestApp {
            address: address.to_owned(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .pool_max_idle_per_host(0)
                .build()
                .unwrap(),
            database: String::new(),
            _data: None,
        }
    }

    /// Sends `head` (a request line and headers, without the blank line) on a new connection
    /// and reads the answer until the server closes it: for what an HTTP client would hide.
    pub(crate) async fn raw(&self, head: &[u8]) -> Raw {
        let addr = self.address.trim_start_matches("http://");
        let mut stream = TcpStream::connect(addr).await.expect("a connection");
        let request = [head, b"\r\nConnection: close\r\n\r\n"].concat();
        // The server may answer and close before it has read everything; what it said counts.
        let _ = stream.write_all(&request).await;
        let response = read_to_close(&mut stream).await;
        let text = String::from_utf8_lossy(&response).into_owned();
        let status = text
            .strip_prefix("HTTP/1.1 ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("not an HTTP response: {:?}", &text[..text.len().min(200)]));
        let split = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(response.len(), |i| i + 4);
        Raw {
            status,
            head: String::from_utf8_lossy(&response[..split]).into_owned(),
            body: response[split..].to_vec(),
            text,
        }
    }

    pub(crate) async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.address, path))
            .send()
            .await
            .expect("the request is answered")
    }

    pub(crate) async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("a text body"))
    }
}

/// Copies a directory tree, so a test can break its own copy.
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every value of `attr="…"` in `html`.
pub(crate) fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            values.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    values
}

/// The PostgreSQL server the test command started (`VERSUS_TEST_POSTGRES`, an admin URL such
/// as `postgres://postgres@127.0.0.1:5433/postgres`). Under CI it must be there: a missing
/// server fails the tests instead of skipping them.
pub(crate) fn postgres_admin() -> Option<String> {
    match std::env::var("VERSUS_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "CI runs the PostgreSQL tests: VERSUS_TEST_POSTGRES must be set (tests/run.sh sets it)"
            );
            eprintln!("VERSUS_TEST_POSTGRES is not set: skipping the PostgreSQL half of this test");
            None
        }
    }
}

/// A new, empty database on the test PostgreSQL server, as a URL.
pub(crate) async fn fresh_postgres() -> Option<String> {
    use sqlx::Connection;
    let admin = postgres_admin()?;
    sqlx::any::install_default_drivers();
    let name = format!(
        "versus_test_{}",
        versus::store::fields::random_id().unwrap()
    );
    let mut conn = sqlx::AnyConnection::connect(&admin)
        .await
        .expect("the test PostgreSQL server answers");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("a test database");
    conn.close().await.ok();
    let base = admin
        .rsplit_once('/')
        .map_or(admin.as_str(), |(base, _)| base);
    Some(format!("{base}/{name}"))
}

/// A fresh database of each kind this run has: SQLite always, PostgreSQL when it runs. The
/// temporary directory holds the SQLite file.
pub(crate) async fn databases() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut urls = vec![format!("sqlite:{}", dir.path().join("teams.db").display())];
    urls.extend(fresh_postgres().await);
    (dir, urls)
}

impl TestApp {
    /// Another handle on the same server (for concurrent requests from spawned tasks).
    pub(crate) fn handle(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            client: self.client.clone(),
            database: self.database.clone(),
            _data: None,
        }
    }

    /// Waits until `/readyz` says the team store is ready (the schema is applied at start).
    pub(crate) async fn ready(&self) {
        for _ in 0..100 {
            if self.get("/readyz").await.status().as_u16() == 200 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the team store of {} never became ready", self.database);
    }

    pub(crate) async fn post_json(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.client
            .post(format!("{}{}", self.address, path))
            .json(&body)
            .send()
            .await
            .expect("the request is answered")
    }

    pub(crate) async fn post_form(&self, path: &str, body: &str) -> reqwest::Response {
        self.client
            .post(format!("{}{}", self.address, path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
            .send()
            .await
            .expect("the request is answered")
    }

    /// [`TestApp::post_form`]'s status, for the many steps that check nothing else.
    pub(crate) async fn post_form_status(&self, path: &str, body: &str) -> u16 {
        self.post_form(path, body).await.status().as_u16()
    }
}

/// The `versus` binary serving on a free port, as operators run it (for crash and replica
/// tests); killed when dropped.
pub(crate) struct Server {
    pub child: std::process::Child,
    pub address: String,
}

/// A started `versus` process, its address (`http://127.0.0.1:PORT`) and its log from then on:
/// a thread reads the log (so the server never blocks on a full pipe) and hands it over once
/// the process has ended.
pub(crate) struct Logged {
    pub child: std::process::Child,
    pub address: String,
    pub log: std::thread::JoinHandle<String>,
    /// Each line as it is logged, for a test that waits for an event rather than sleeping.
    pub lines: std::sync::mpsc::Receiver<String>,
}

impl Logged {
    /// Waits (at most `limit`) for a logged line containing `text`.
    pub(crate) fn wait_for(&self, text: &str, limit: std::time::Duration) -> String {
        let until = std::time::Instant::now() + limit;
        loop {
            let left = until.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(text) => return line,
                Ok(_) => {}
                Err(_) => panic!("no log line with {text:?} within {limit:?}"),
            }
        }
    }
}

/// Spawns `command` (a `versus` that serves on port 0, logging at `info`) and waits for the
/// "listening on" line.
pub(crate) fn spawn_logged(mut command: std::process::Command) -> Logged {
    use std::io::{BufRead, BufReader};
    let mut child = command
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("versus starts");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let mut address = String::new();
    while stderr.read_line(&mut line).unwrap_or(0) > 0 {
        if let Some(i) = line.find("listening on http://") {
            address = line[i + "listening on ".len()..]
                .split_whitespace()
                .next()
                .unwrap()
                .to_owned();
            break;
        }
        line.clear();
    }
    assert!(!address.is_empty(), "the server logs its address");
    let (send, lines) = std::sync::mpsc::channel();
    let log = std::thread::spawn(move || {
        let mut rest = String::new();
        let mut line = String::new();
        while stderr.read_line(&mut line).unwrap_or(0) > 0 {
            let _ = send.send(line.clone());
            rest.push_str(&line);
            line.clear();
        }
        rest
    });
    Logged {
        child,
        address,
        log,
        lines,
    }
}

impl Server {
    /// Starts `versus serve` on `content` with `database` and waits for its address.
    pub(crate) fn start(content: &Path, database: &str) -> Server {
        let mut command = versus();
        command
            .args([
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--workers",
                "1",
                "--database",
                database,
                "--content",
            ])
            .arg(content)
            .env("VERSUS_LOG", "info");
        let Logged { child, address, .. } = spawn_logged(command);
        Server { child, address }
    }

    /// A client view of it, for the request helpers.
    pub(crate) fn app(&self) -> TestApp {
        TestApp::remote(&self.address)
    }

    /// SIGKILL: no shutdown, no flushing, nothing the process can do about it.
    pub(crate) fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
