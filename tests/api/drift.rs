//! Decisions that know when their evidence changed: a decision closed with an outcome pins
//! what it relied on; after the content changes (a weight, a reason's wording, a page's change
//! entry) and the server restarts on the same database, its page, organiser page, record, JSON
//! and feed say what changed, and "needs review" when the same answers now give another
//! result. Reverting the content shows nothing again. On SQLite and PostgreSQL.

use std::path::Path;

use serde_json::{json, Value};

use crate::helpers::{copy_tree, databases, root, Server, TestApp};

const SHOP_WHY: &str = "django-oscar is an e-commerce framework for Django and Saleor is built on Django; we found no Flask package of similar scope.";
const SHOP_WHY_NOW: &str = "django-oscar and Saleor are Django projects; no Flask package of similar scope was found in this review.";

/// The bundled content, copied so a test can change its own.
pub(crate) fn content_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("content"), dir.path());
    dir
}

/// The shop answer's weight and reason changed without a change entry, and a change entry
/// added to the section that establishes it.
pub(crate) fn change_the_evidence(content: &Path) {
    let q = content.join("questionnaire.toml");
    let text = std::fs::read_to_string(&q).unwrap();
    let shop = text.find("id = \"shop\"").expect("the shop option");
    let (before, after) = text.split_at(shop);
    let after = after
        .replacen(
            "weights = { django = 2, flask = 0 }",
            "weights = { django = 1, flask = 0 }",
            1,
        )
        .replacen(SHOP_WHY, SHOP_WHY_NOW, 1);
    std::fs::write(&q, format!("{before}{after}")).unwrap();
    let page = content.join("topics/use-cases.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let entry = "[[changes]]\ndate = 2026-12-07\nsummary = \"Saleor's licence and django-oscar's newest release checked again.\"\ntouched = [\"shops\"]\n\n";
    let at = text
        .find("[[changes]]")
        .expect("use-cases has a change history");
    std::fs::write(&page, format!("{}{entry}{}", &text[..at], &text[at..])).unwrap();
}

pub(crate) struct Decision {
    pub team: String,
    pub key: String,
    pub view: String,
}

pub(crate) async fn decide(
    app: &TestApp,
    title: &str,
    answers: &[Value],
    close: Value,
) -> Decision {
    let created: Value = app
        .post_json("/api/teams", json!({"title": title}))
        .await
        .json()
        .await
        .unwrap();
    let team = created["team"].as_str().unwrap().to_owned();
    let organiser = created["organiser_url"].as_str().unwrap();
    let key = organiser
        .split('?')
        .next()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    for (i, a) in answers.iter().enumerate() {
        let response = app
            .post_json(
                &format!("/api/teams/{team}/answers"),
                json!({"name": format!("Member {i}"), "answers": a}),
            )
            .await;
        assert_eq!(201, response.status().as_u16());
    }
    let response = app
        .post_json(&format!("/api/teams/{team}/organiser/{key}/close"), close)
        .await;
    assert_eq!(
        200,
        response.status().as_u16(),
        "{}",
        response.text().await.unwrap()
    );
    let body: Value = app
        .get(&format!("/api/teams/{team}"))
        .await
        .json()
        .await
        .unwrap();
    let view = body["links"]["view"].as_str().unwrap();
    let view = view[view.find("/teams/view/").unwrap()..].to_owned();
    Decision { team, key, view }
}

async fn json_of(app: &TestApp, d: &Decision) -> Value {
    app.get(&format!("/api/teams/{}", d.team))
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decided_decision_shows_what_changed_in_its_evidence_until_it_is_reverted() {
    let (dir, urls) = databases().await;
    for (n, url) in urls.iter().enumerate() {
        let content = content_copy();
        let shop = json!({"building": "shop"});
        let server = Server::start(content.path(), url);
        let app = server.app();
        app.ready().await;
        // Two shops: Django by 4 points to 0, closed as Django.
        let shops = decide(
            &app,
            "Shop platform",
            &[shop.clone(), shop.clone()],
            json!({"outcome": "django"}),
        )
        .await;
        // The same result, closed with the other framework and a reason: not flagged for that.
        let differs = decide(
            &app,
            "Shop, decided otherwise",
            std::slice::from_ref(&shop),
            json!({"outcome": "flask", "rationale": "Our team runs Flask services already"}),
        )
        .await;
        for d in [&shops, &differs] {
            let body = json_of(&app, d).await;
            assert_eq!(body["drift"], Value::Null, "nothing changed yet on {url}");
            assert_eq!(body["needs_review"], false);
            let feed = body["links"]["feed"].as_str().unwrap();
            assert!(feed.contains(&format!("{}/feed.xml", d.view)), "{feed}");
            let (_, page) = app.get_text(&d.view).await;
            assert!(!page.contains("id=\"drift\""), "no drift section yet");
        }
        drop(server);

        change_the_evidence(content.path());
        let server = Server::start(content.path(), url);
        let app = server.app();
        app.ready().await;
        let body = json_of(&app, &shops).await;
        let drift = &body["drift"];
        assert_eq!(drift["result_then"], "django", "{body:#} on {url}");
        // 2 points to 0 is a toss-up (a lead needs 2 points and the team has two members).
        assert_eq!(drift["result_now"], Value::Null, "{body:#}");
        assert_eq!(body["needs_review"], true);
        let changed = drift["changed"].as_array().unwrap();
        let weight = changed
            .iter()
            .find(|c| c["what"].as_str().unwrap().contains("now scores Django +1"))
            .unwrap_or_else(|| panic!("the weight change in {changed:#?}"));
        assert_eq!(weight["fact"], "django-commerce");
        assert!(weight["what"].as_str().unwrap().contains(SHOP_WHY_NOW));
        // No scoring change entry explains it: it links the section that establishes it.
        assert_eq!(weight["link"], "/topics/use-cases#shops");
        let entry = changed
            .iter()
            .find(|c| {
                c["link"]
                    .as_str()
                    .unwrap()
                    .starts_with("/topics/use-cases#change-")
            })
            .unwrap_or_else(|| panic!("the page's change entry in {changed:#?}"));
        assert!(entry["what"].as_str().unwrap().contains("Saleor's licence"));
        assert_eq!(drift["since"].as_str().unwrap().len(), 10);

        let (status, page) = app.get_text(&shops.view).await;
        assert_eq!(200, status);
        assert!(
            page.contains("Needs review: the result has changed"),
            "{page}"
        );
        assert!(
            page.contains("the one fact your decision relied on changed"),
            "{page}"
        );
        assert!(page.contains("now give a toss-up; when you decided, they gave Django"));
        assert!(page.contains("href=\"/topics/use-cases#change-2026-12-07"));
        let (_, organiser) = app
            .get_text(&format!("/teams/{}/organiser/{}", shops.team, shops.key))
            .await;
        assert!(organiser.contains("Needs review: the result has changed"));
        let (_, record) = app.get_text(&format!("{}/record.md", shops.view)).await;
        assert!(record.contains("## Since the Decision"), "{record}");
        assert!(record.contains("**Needs review:**"), "{record}");
        assert!(record.contains("/topics/use-cases#shops>"), "{record}");
        let (status, feed) = app.get_text(&format!("{}/feed.xml", shops.view)).await;
        assert_eq!(200, status);
        let doc = roxmltree::Document::parse(&feed).expect("the feed is well-formed XML");
        let titles: Vec<&str> = doc
            .descendants()
            .filter(|n| {
                n.has_tag_name("title") && n.parent().is_some_and(|p| p.has_tag_name("entry"))
            })
            .filter_map(|n| n.text())
            .collect();
        assert!(
            titles.iter().any(|t| t.starts_with("Needs review")),
            "{titles:?}"
        );
        assert!(
            titles.contains(&"Evidence changed: django-commerce"),
            "{titles:?}"
        );
        assert!(
            titles.iter().any(|t| t.starts_with("Decided: Django")),
            "{titles:?}"
        );
        // The decision closed otherwise relied on the same fact: it shows the change, and the
        // same answers now give a toss-up where they gave Django, so it needs review too, for
        // that reason and not for its stated outcome.
        let body = json_of(&app, &differs).await;
        assert_eq!(body["drift"]["result_then"], "django", "{body:#}");
        drop(server);

        // Reverted: nothing shown.
        copy_tree(&root().join("content"), content.path());
        let server = Server::start(content.path(), url);
        let app = server.app();
        app.ready().await;
        for d in [&shops, &differs] {
            let body = json_of(&app, d).await;
            assert_eq!(body["drift"], Value::Null, "reverted on {url}: {body:#}");
            assert_eq!(body["needs_review"], false);
            let (_, page) = app.get_text(&d.view).await;
            assert!(!page.contains("id=\"drift\""));
        }
        drop(server);
        let _ = (n, &dir);
    }
}

/// A hidden, open decision's feed has its title and no result; a decided decision's outcome
/// stated against its result is not flagged by that alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hidden_decisions_feed_shows_no_result() {
    let (_dir, urls) = databases().await;
    for url in &urls {
        let server = Server::start(&root().join("content"), url);
        let app = server.app();
        app.ready().await;
        let created: Value = app
            .post_json(
                "/api/teams",
                json!({"title": "Secret plans", "hidden": true}),
            )
            .await
            .json()
            .await
            .unwrap();
        let team = created["team"].as_str().unwrap();
        for name in ["Ana", "Ben"] {
            let response = app
                .post_json(
                    &format!("/api/teams/{team}/answers"),
                    json!({"name": name, "answers": {"building": "shop"}}),
                )
                .await;
            assert_eq!(201, response.status().as_u16());
        }
        let view = created["view_url"].as_str().unwrap();
        let view = &view[view.find("/teams/view/").unwrap()..];
        let (status, feed) = app.get_text(&format!("{view}/feed.xml")).await;
        assert_eq!(200, status, "on {url}");
        roxmltree::Document::parse(&feed).expect("well-formed");
        assert!(feed.contains("Secret plans"));
        for leak in ["Django", "Flask", "toss-up", "Decided", "<entry>", "/join"] {
            let title_line = feed
                .lines()
                .find(|l| l.contains("<subtitle>"))
                .unwrap_or("");
            if leak == "Django" || leak == "Flask" {
                // The subtitle names the two contenders; nothing else may.
                assert_eq!(
                    feed.matches(leak).count(),
                    title_line.matches(leak).count(),
                    "{leak} in {feed}"
                );
            } else {
                assert!(!feed.contains(leak), "{leak} in {feed}");
            }
        }
        assert!(
            !feed.contains(&format!("/teams/{team}")),
            "no share link: {feed}"
        );
        // A wrong key is a 404, as for the read-only page.
        let (status, _) = app
            .get_text("/teams/view/0123456789abcdef0123456789abcdef/feed.xml")
            .await;
        assert_eq!(404, status);
    }
}
