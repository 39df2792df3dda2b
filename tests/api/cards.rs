//! Social cards over real HTTP: every page names a 1200×630 PNG with the Open Graph and Twitter
//! tags, the image is served under its fingerprinted name, and outcome pages show their outcome.

use serde_json::{json, Value};

use crate::helpers::{answers_json, root, spawn_app, spawn_app_with, TestApp, ANSWERS};

/// The `content` of `<meta property|name="{key}" content="…">`, if the page has it.
fn meta<'a>(html: &'a str, key: &str) -> Option<&'a str> {
    ["property", "name"].iter().find_map(|attr| {
        let needle = format!("<meta {attr}=\"{key}\" content=\"");
        let start = html.find(&needle)? + needle.len();
        Some(&html[start..start + html[start..].find('"')?])
    })
}

/// The page's card: checks its tags and returns its site-relative path.
fn card_of(html: &str, page: &str) -> String {
    let url = meta(html, "og:image").unwrap_or_else(|| panic!("{page}: no og:image"));
    // Absolute, on the same origin as the page's canonical URL.
    let canonical = html
        .split("<link rel=\"canonical\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("{page}: no canonical link"));
    let origin_end = canonical.find("://").map_or(0, |i| i + 3);
    let origin_end = origin_end + canonical[origin_end..].find('/').unwrap_or(0);
    let path = url
        .strip_prefix(&canonical[..origin_end])
        .filter(|_| origin_end > 0)
        .unwrap_or_else(|| panic!("{page}: og:image is not absolute on the site: {url}"));
    assert!(
        path.starts_with("/cards/") && path.ends_with(".png"),
        "{page}: {path}"
    );
    assert_eq!(meta(html, "og:image:width"), Some("1200"), "{page}");
    assert_eq!(meta(html, "og:image:height"), Some("630"), "{page}");
    assert_eq!(meta(html, "og:image:type"), Some("image/png"), "{page}");
    let alt = meta(html, "og:image:alt").unwrap_or_default();
    assert!(alt.len() > 20, "{page}: og:image:alt is {alt:?}");
    assert_eq!(
        meta(html, "twitter:card"),
        Some("summary_large_image"),
        "{page}"
    );
    assert_eq!(meta(html, "twitter:image"), Some(url), "{page}");
    path.to_owned()
}

/// Fetches the card at `path` and checks it is a cacheable 1200×630 PNG.
async fn assert_png(app: &TestApp, path: &str) {
    let response = app.get(path).await;
    assert_eq!(200, response.status().as_u16(), "GET {path}");
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "image/png", "{path}");
    assert_eq!(
        headers["cache-control"], "public, max-age=31536000, immutable",
        "{path}"
    );
    let png = response.bytes().await.unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{path}");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (1200, 630), "{path}");
}

#[tokio::test]
async fn every_page_of_the_bundled_site_has_its_own_card() {
    let app = spawn_app_with(&root().join("content")).await;
    let (_, sitemap) = app.get_text("/sitemap.xml").await;
    let pages: Vec<String> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|rest| rest[..rest.find("</loc>").unwrap()].to_owned())
        .map(|url| url[url.find("://").unwrap() + 3..].to_owned())
        .map(|rest| rest[rest.find('/').unwrap_or(rest.len())..].to_owned())
        .collect();
    assert!(pages.len() > 30, "{} pages in the sitemap", pages.len());
    let mut cards = Vec::new();
    assert!(
        pages.iter().any(|p| p == "/recommend"),
        "the questionnaire is listed"
    );
    for page in &pages {
        let (status, html) = app.get_text(page).await;
        assert_eq!(200, status, "GET {page}");
        let card = card_of(&html, page);
        assert_png(&app, &card).await;
        cards.push(card);
    }
    let mut distinct = cards.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), cards.len(), "each page has its own card");
    // Pages without their own card (search, errors) show the home page's.
    let (_, home) = app.get_text("/").await;
    let (_, search) = app.get_text("/search?q=csrf").await;
    assert_eq!(card_of(&search, "/search"), card_of(&home, "/"));
    let (status, missing) = app.get_text("/no-such-page").await;
    assert_eq!(404, status);
    assert_eq!(card_of(&missing, "404"), card_of(&home, "/"));
    // A card path that is not one is a 404, whatever it looks like.
    let bogus = format!("{}0.png", &cards[0][..cards[0].len() - 5]);
    assert_eq!(404, app.get(&bogus).await.status().as_u16());
}

#[tokio::test]
async fn a_topic_card_alt_text_carries_its_title_and_verdicts() {
    let app = spawn_app().await;
    let (_, html) = app.get_text("/topics/alpha").await;
    let alt = meta(&html, "og:image:alt").unwrap();
    assert!(alt.contains("Alpha"), "{alt}");
    assert!(alt.contains("Django:") && alt.contains("Flask:"), "{alt}");
}

#[tokio::test]
async fn a_recommendation_permalink_shows_the_card_of_its_outcome() {
    let app = spawn_app().await;
    let rec: Value = app
        .post_json("/api/recommend", json!({ "answers": answers_json() }))
        .await
        .json()
        .await
        .unwrap();
    let winner = rec["recommendation"].as_str().unwrap_or("either");
    let confidence = rec["confidence"].as_str().unwrap();
    let (_, html) = app.get_text(&format!("/recommendation?{ANSWERS}")).await;
    let card = card_of(&html, "permalink");
    assert!(
        card.starts_with(&format!("/cards/recommendation-{winner}-{confidence}.")),
        "{card}"
    );
    assert_png(&app, &card).await;
}

#[tokio::test]
async fn a_team_page_shows_its_outcome_card_unless_its_answers_are_hidden() {
    let app = spawn_app().await;
    app.ready().await;
    for hidden in [false, true] {
        let created: Value = app
            .post_json("/api/teams", json!({"title": "Cards", "hidden": hidden}))
            .await
            .json()
            .await
            .unwrap();
        let team = created["team"].as_str().unwrap();
        let (_, empty) = app.get_text(&format!("/teams/{team}")).await;
        let (_, home) = app.get_text("/").await;
        assert_eq!(
            card_of(&empty, "team"),
            card_of(&home, "/"),
            "no answers yet"
        );
        let joined = app
            .post_json(
                &format!("/api/teams/{team}/answers"),
                json!({"name": "Ana", "answers": answers_json()}),
            )
            .await;
        assert_eq!(201, joined.status().as_u16());
        let (_, page) = app.get_text(&format!("/teams/{team}")).await;
        let card = card_of(&page, "team");
        if hidden {
            assert_eq!(card, card_of(&home, "/"), "a hidden outcome stays hidden");
        } else {
            assert!(card.starts_with("/cards/team-"), "{card}");
            assert_png(&app, &card).await;
        }
    }
}
