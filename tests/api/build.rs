//! `versus build --out DIR`: the static export holds the same bytes the server sends.

use crate::helpers::{fixture, spawn_app};

#[tokio::test]
async fn the_export_has_every_page_with_compressed_siblings_and_the_served_bytes() {
    let out = tempfile::tempdir().unwrap();
    let status = crate::helpers::versus()
        .args(["build", "--content"])
        .arg(fixture("valid"))
        .arg("--out")
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success());
    let app = spawn_app().await;
    for (path, file) in [
        ("/", "index.html"),
        ("/topics/alpha", "topics/alpha/index.html"),
        ("/frameworks/flask", "frameworks/flask/index.html"),
        ("/compare", "compare/index.html"),
        ("/myths", "myths/index.html"),
        ("/sitemap.xml", "sitemap.xml"),
        ("/robots.txt", "robots.txt"),
        ("/api/questionnaire", "api/questionnaire/index.json"),
    ] {
        let served = app.get(path).await.bytes().await.unwrap();
        let written =
            std::fs::read(out.path().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(served, written, "{file} differs from GET {path}");
    }
    for file in [
        "topics/alpha/index.html.br",
        "topics/alpha/index.html.gz",
        "404.html",
    ] {
        assert!(out.path().join(file).is_file(), "{file} missing");
    }
    let css = std::fs::read_dir(out.path().join("static"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".css"))
        .count();
    assert_eq!(css, 1, "the fingerprinted stylesheet is exported");
    // The topic's social card is exported under the name its page gives, with the served bytes.
    let (_, page) = app.get_text("/topics/alpha").await;
    let start = page.find("/cards/").expect("the page names a card");
    let card = &page[start..start + page[start..].find('"').unwrap()];
    let served = app.get(card).await.bytes().await.unwrap();
    let written = std::fs::read(out.path().join(&card[1..])).expect("the card is exported");
    assert_eq!(served, written, "{card}");
}

#[test]
fn an_unwritable_out_dir_is_one_clear_error() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let output = crate::helpers::versus()
        .args(["build", "--content"])
        .arg(fixture("valid"))
        .arg("--out")
        .arg(file.path().join("sub"))
        .output()
        .unwrap();
    assert_eq!(Some(1), output.status.code());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: cannot write the site to") && stderr.contains("--out"),
        "{stderr}"
    );
}
