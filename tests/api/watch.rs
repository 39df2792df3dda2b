//! `serve --watch`: an edit shows without a restart; broken content leaves the last good site
//! serving until it is fixed.

use std::time::{Duration, Instant};

use versus::startup::{Application, Settings};
use versus::watch::{ReloadStatus, StatusHandle};

use crate::helpers::{copy_tree, fixture};

/// Polls `check` every 100 ms until it holds or `limit` passes; returns how long it took.
async fn wait_for<F, Fut>(limit: Duration, what: &str, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while started.elapsed() < limit {
        if check().await {
            return started.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what} did not happen within {limit:?}");
}

async fn page(client: &reqwest::Client, url: &str) -> String {
    let response = client.get(url).send().await.expect("answered");
    assert_eq!(200, response.status().as_u16(), "{url}");
    response.text().await.unwrap()
}

fn status(handle: &StatusHandle) -> ReloadStatus {
    handle.get()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_show_without_a_restart_and_broken_content_keeps_the_last_good_site() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), dir.path());
    // The database lives outside the watched directory, so its writes reload nothing.
    let data = tempfile::tempdir().unwrap();
    let database = format!("sqlite:{}", data.path().join("teams.db").display());
    let settings = Settings {
        watch: true,
        ..Settings::local(dir.path(), &database)
    };
    let app = Application::build(&settings).expect("the app builds");
    let watch = app.watch_status().expect("watching");
    let url = format!("http://127.0.0.1:{}/topics/alpha", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();
    assert!(page(&client, &url)
        .await
        .contains("The first fixture topic."));

    // 1. An edit shows within a few seconds.
    let file = dir.path().join("topics").join("alpha.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let edited = original.replace(
        "summary = \"The first fixture topic.\"",
        "summary = \"The first fixture topic, edited live.\"",
    );
    assert_ne!(original, edited);
    std::fs::write(&file, &edited).unwrap();
    let took = wait_for(Duration::from_secs(10), "the edit showing", || async {
        page(&client, &url).await.contains("edited live")
    })
    .await;
    eprintln!("the edit showed after {took:?}");
    assert!(status(&watch).reloads >= 1);

    // 2. Broken content: the problem is recorded with its file and line, the last good site stays.
    let broken = edited.replace("title = \"Alpha\"", "title = \"Alpha\"\ncolour = \"red\"");
    std::fs::write(&file, &broken).unwrap();
    // A save truncates, then writes: a reload may read the empty file in between and refuse it
    // too, so wait for the refusal of what was saved.
    wait_for(Duration::from_secs(10), "the refused reload", || async {
        status(&watch)
            .last_error
            .is_some_and(|e| e.contains("alpha.md:3:"))
    })
    .await;
    let problem = status(&watch).last_error.expect("the problem is kept");
    assert!(
        problem.contains("alpha.md:3:") && problem.contains("unknown field `colour`"),
        "{problem}"
    );
    let html = page(&client, &url).await;
    assert!(html.contains("edited live"), "the last good page is served");

    // 3. The fix takes effect when saved.
    let fixed = edited.replace("edited live", "fixed and live");
    std::fs::write(&file, &fixed).unwrap();
    wait_for(Duration::from_secs(10), "the fix showing", || async {
        page(&client, &url).await.contains("fixed and live")
    })
    .await;
    let now = status(&watch);
    assert_eq!(None, now.last_error);
    assert!(now.reloads >= 2, "{now:?}");
}
