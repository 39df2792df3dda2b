//! Spawning the app for a test, and small request helpers.

use std::path::{Path, PathBuf};

use versus::startup::{Application, Settings};

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
}

/// The repository root, so tests find fixtures wherever they run from.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests").join("fixtures").join(name)
}

/// Serves `content` on 127.0.0.1 with a free port, in the background of the test's runtime.
pub async fn spawn_app_with(content: &Path) -> TestApp {
    let settings = Settings {
        bind: "127.0.0.1:0".into(),
        content: content.to_path_buf(),
        base_url: None,
        workers: Some(1),
        watch: false,
    };
    let app = Application::build(&settings).expect("the test app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // No idle connections: the server may close one just as the client reuses it.
        .pool_max_idle_per_host(0)
        .build()
        .expect("a client");
    TestApp { address, client }
}

/// The small, valid fixture site.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&fixture("valid")).await
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.address, path))
            .send()
            .await
            .expect("the request is answered")
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("a text body"))
    }
}

/// Copies a directory tree, so a test can break its own copy.
pub fn copy_tree(from: &Path, to: &Path) {
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
pub fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
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
