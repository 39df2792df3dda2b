//! Decisions where teams work: the oEmbed answers and their discovery, embeds as the only
//! framable responses, badges, unfurl labels, the paste block, and a hidden decision in each of
//! them (title, names and status only; the read-only link, never the share link).

use reqwest::header::HeaderMap;
use serde_json::{json, Value};

use crate::drift::{change_the_evidence, content_copy, decide};
use crate::helpers::{
    answers_json, databases, fixture, spawn_app_on, spawn_app_set, Server, TestApp, ANSWERS,
};

/// The fixture's base URL: every absolute link the site makes starts with it.
const BASE: &str = "https://versus.example";

/// `url` (absolute on the site) as a path the test app answers.
fn local(url: &str) -> &str {
    url.strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is not on {BASE}"))
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> &'h str {
    headers.get(name).map_or("", |v| v.to_str().unwrap_or(""))
}

/// The `href` of the page's oEmbed discovery link, which must be in its `<head>`.
fn discovery_link(page: &str) -> String {
    let tag = "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"";
    let at = page.find(tag).expect("an oEmbed discovery link") + tag.len();
    assert!(at < page.find("</head>").unwrap(), "in the head");
    page[at..at + page[at..].find('"').unwrap()].replace("&amp;", "&")
}

/// A page's discovery link, the same in its `Link` header, and the answer it names.
async fn discovered(app: &TestApp, path: &str) -> (String, Value) {
    let response = app.get(path).await;
    assert_eq!(200, response.status().as_u16(), "{path}");
    let link = header(response.headers(), "link").to_owned();
    let page = response.text().await.unwrap();
    let href = discovery_link(&page);
    assert!(href.starts_with(&format!("{BASE}/oembed?url=")), "{href}");
    assert!(href.ends_with("&format=json"), "{href}");
    assert_eq!(
        link,
        format!("<{href}>; rel=\"alternate\"; type=\"application/json+oembed\""),
        "the Link header of {path}"
    );
    let response = app.get(local(&href)).await;
    assert_eq!(200, response.status().as_u16(), "{href}");
    assert!(header(response.headers(), "content-type").starts_with("application/json"));
    (href, response.json().await.unwrap())
}

/// The oEmbed 1.0 fields of a rich answer, and its iframe's source as a local path.
fn check_rich(body: &Value) -> String {
    assert_eq!(body["type"], "rich", "{body:#}");
    assert_eq!(body["version"], "1.0");
    assert_eq!(body["provider_name"], "versus-test");
    assert_eq!(body["provider_url"], format!("{BASE}/"));
    assert!(!body["title"].as_str().unwrap().is_empty());
    let (width, height) = (
        body["width"].as_u64().unwrap(),
        body["height"].as_u64().unwrap(),
    );
    assert!(width > 0 && height > 0);
    let html = body["html"].as_str().unwrap();
    assert!(html.starts_with("<iframe src=\""), "{html}");
    assert!(html.contains(&format!(" width=\"{width}\" height=\"{height}\"")));
    let src = &html[13..13 + html[13..].find('"').unwrap()];
    local(&src.replace("&amp;", "&")).to_owned()
}

/// What a consumer asks for: the answer for `url` with `extra` query parameters.
async fn oembed(app: &TestApp, url: &str, extra: &str) -> (u16, String) {
    let encoded: String = url::form_urlencoded::byte_serialize(url.as_bytes()).collect();
    app.get_text(&format!("/oembed?url={encoded}{extra}")).await
}

async fn new_team(app: &TestApp, title: &str, hidden: bool) -> (String, String, Value) {
    let response = app
        .post_json("/api/teams", json!({"title": title, "hidden": hidden}))
        .await;
    assert_eq!(201, response.status().as_u16());
    let created: Value = response.json().await.unwrap();
    let team = created["team"].as_str().unwrap().to_owned();
    let organiser = created["organiser_url"].as_str().unwrap();
    let organiser = organiser[organiser.find("/teams/").unwrap()..]
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    (team, organiser, created)
}

async fn join(app: &TestApp, team: &str, name: &str, answers: Value) {
    let response = app
        .post_json(
            &format!("/api/teams/{team}/answers"),
            json!({"name": name, "answers": answers, "comment": "A private reason"}),
        )
        .await;
    assert_eq!(201, response.status().as_u16());
}

/// The fixture's valid answers with `building` answered as given.
fn building(option: &str) -> Value {
    let mut answers = answers_json();
    answers["building"] = json!(option);
    answers
}

async fn team_json(app: &TestApp, team: &str) -> Value {
    app.get(&format!("/api/teams/{team}"))
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oembed_answers_topics_results_and_decisions_and_pages_name_it() {
    let (_dir, urls) = databases().await;
    for url in &urls {
        let app = spawn_app_on(&fixture("valid"), url).await;
        app.ready().await;
        // A topic: its table and verdicts, at their natural size, with the topic's card.
        let (href, topic) = discovered(&app, "/topics/alpha").await;
        assert!(href.contains("url=https%3A%2F%2Fversus.example%2Ftopics%2Falpha"));
        let src = check_rich(&topic);
        assert_eq!(src, "/embed/topics/alpha");
        assert!(topic["title"].as_str().unwrap().contains("Django vs Flask"));
        assert_eq!(
            (topic["width"].as_u64(), topic["height"].as_u64()),
            (Some(640), Some(560))
        );
        let thumbnail = topic["thumbnail_url"].as_str().unwrap();
        assert!(thumbnail.starts_with(&format!("{BASE}/cards/topics-alpha.")));
        assert_eq!(topic["thumbnail_width"], 1200);
        assert_eq!(topic["thumbnail_height"], 630);
        let card = app.get(local(thumbnail)).await;
        assert_eq!(200, card.status().as_u16());
        assert_eq!("image/png", header(card.headers(), "content-type"));
        // A consumer shows the thumbnail on its own pages.
        assert_eq!(
            "cross-origin",
            header(card.headers(), "cross-origin-resource-policy")
        );

        // maxwidth and maxheight scale it down, proportions kept, never beyond either.
        let page = format!("{BASE}/topics/alpha");
        for (extra, most) in [
            ("&maxwidth=320", (320, 10_000)),
            ("&maxwidth=1000&maxheight=140", (1000, 140)),
            ("&format=json&maxwidth=333&maxheight=111", (333, 111)),
        ] {
            let (status, body) = oembed(&app, &page, extra).await;
            assert_eq!(200, status, "{extra}");
            let body: Value = serde_json::from_str(&body).unwrap();
            let (w, h) = (
                body["width"].as_u64().unwrap(),
                body["height"].as_u64().unwrap(),
            );
            assert!(w <= most.0 && h <= most.1, "{w}×{h} for {extra}");
            assert!(
                (w as f64 / h as f64 - 640.0 / 560.0).abs() < 0.05,
                "{w}×{h}"
            );
            // The card cannot shrink: it is left out rather than stated smaller than it is.
            assert!(body.get("thumbnail_url").is_none(), "{body:#}");
        }
        let (_, wide) = oembed(&app, &page, "&maxwidth=5000&maxheight=5000").await;
        let wide: Value = serde_json::from_str(&wide).unwrap();
        assert_eq!(
            (wide["width"].as_u64(), wide["height"].as_u64()),
            (Some(640), Some(560))
        );
        assert!(
            wide["thumbnail_url"].is_string(),
            "a card that fits is named"
        );

        // Refusals: XML is not offered, the URL is required, and only this site's
        // embeddable pages have answers.
        assert_eq!(501, oembed(&app, &page, "&format=xml").await.0);
        assert_eq!(400, app.get_text("/oembed").await.0);
        assert_eq!(400, app.get_text("/oembed?format=json").await.0);
        assert_eq!(400, oembed(&app, &page, "&maxwidth=wide").await.0);
        assert_eq!(400, oembed(&app, &page, "&maxheight=0").await.0);
        for other in [
            "https://elsewhere.example/topics/alpha",
            "http://versus.example/topics/alpha",
            "https://versus.example:8443/topics/alpha",
            "https://versus.example/topics/nope",
            "https://versus.example/compare",
            "https://versus.example/",
            "https://versus.example/recommendation?building=nope",
            "https://versus.example/teams/view/0123456789abcdef0123456789abcdef",
            "https://versus.example/teams/0123456789abcdef0123456789abcdef",
            "/topics/alpha",
            "not a url",
        ] {
            assert_eq!(404, oembed(&app, other, "").await.0, "{other}");
        }

        // A result: its permalink names it, and its embed shows the same outcome.
        let (_, result) = discovered(&app, &format!("/recommendation?{ANSWERS}")).await;
        let src = check_rich(&result);
        assert!(
            src.starts_with("/embed/recommendation?building=site"),
            "{src}"
        );
        assert!(result["title"]
            .as_str()
            .unwrap()
            .starts_with("Recommendation: "));
        assert!(result["thumbnail_url"]
            .as_str()
            .unwrap()
            .contains("/cards/recommendation-"));
        let (status, embed) = app.get_text(&src).await;
        assert_eq!(200, status);
        let winner = result["title"]
            .as_str()
            .unwrap()
            .trim_start_matches("Recommendation: ");
        assert!(embed.contains(winner), "{embed}");

        // A decision: the team JSON lists its read-only badge, embed and oEmbed answer.
        let (team, _, _) = new_team(&app, "Shop platform", false).await;
        join(&app, &team, "Ana", answers_json()).await;
        let body = team_json(&app, &team).await;
        let links = &body["links"];
        let view = local(links["view"].as_str().unwrap()).to_owned();
        assert!(view.starts_with("/teams/view/"));
        assert_eq!(links["badge"], format!("{BASE}{view}/badge.svg"));
        assert_eq!(links["embed"], format!("{BASE}{view}/embed"));
        let (href, decision) = discovered(&app, &view).await;
        assert_eq!(links["oembed"], href.as_str());
        assert_eq!(check_rich(&decision), format!("{view}/embed"));
        assert_eq!(decision["title"], "Shop platform");
        // The share page names the same answer: the read-only one.
        let (share_href, _) = discovered(&app, &format!("/teams/{team}")).await;
        assert_eq!(share_href, href);
        // Asked with the share link, it answers with the read-only embed and never the team id.
        let (status, by_share) = oembed(&app, &format!("{BASE}/teams/{team}"), "").await;
        assert_eq!(200, status);
        assert!(!by_share.contains(&team), "{by_share}");
        assert!(by_share.contains(&format!("{view}/embed")), "{by_share}");
        for link in ["view", "feed", "badge", "embed", "oembed"] {
            assert!(!links[link].as_str().unwrap().contains(&team), "{link}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_embeds_may_be_framed() {
    let app = crate::helpers::spawn_app().await;
    app.ready().await;
    let (team, _, created) = new_team(&app, "Framed", false).await;
    join(&app, &team, "Ana", answers_json()).await;
    let view = local(created["view_url"].as_str().unwrap()).to_owned();
    let framable = |headers: &HeaderMap| -> bool {
        let csp = header(headers, "content-security-policy");
        let strict = csp.ends_with("frame-ancestors 'none'")
            && header(headers, "x-frame-options") == "DENY"
            && header(headers, "cross-origin-resource-policy") == "same-origin";
        let framed = csp.ends_with("frame-ancestors *")
            && headers.get("x-frame-options").is_none()
            && header(headers, "cross-origin-resource-policy") == "cross-origin";
        assert!(strict != framed, "either strict or framable: {headers:?}");
        // Apart from its ancestors, an embed's policy is the site's strict one.
        assert!(
            csp.starts_with("default-src 'none'; script-src 'self'"),
            "{csp}"
        );
        framed
    };
    for path in [
        "/embed/topics/alpha".to_owned(),
        format!("/embed/recommendation?{ANSWERS}"),
        format!("{view}/embed"),
    ] {
        let response = app.get(&path).await;
        assert_eq!(200, response.status().as_u16(), "{path}");
        assert!(framable(response.headers()), "{path} is framable");
        let page = response.text().await.unwrap();
        // It works without script, and its links leave the frame for the full page.
        assert!(!page.contains("<script"), "{path}");
        assert!(
            page.contains("target=\"_blank\" rel=\"noopener\""),
            "{path}"
        );
        assert!(
            page.contains(&format!("<link rel=\"canonical\" href=\"{BASE}")),
            "{path}"
        );
        // A revalidation of the pre-rendered topic embed is framable too.
        if let Some(etag) = app.get(&path).await.headers().get("etag").cloned() {
            let again = app
                .client
                .get(format!("{}{path}", app.address))
                .header("If-None-Match", etag)
                .send()
                .await
                .unwrap();
            assert_eq!(304, again.status().as_u16());
            assert!(framable(again.headers()));
        }
    }
    for path in [
        "/topics/alpha".to_owned(),
        "/".to_owned(),
        format!("/recommendation?{ANSWERS}"),
        view.clone(),
        format!("/teams/{team}"),
        "/oembed?url=https%3A%2F%2Fversus.example%2Ftopics%2Falpha".to_owned(),
        // Errors at an embed's address are pages like any other.
        "/embed/topics/nope".to_owned(),
        "/embed/recommendation?building=nope".to_owned(),
        "/teams/view/0123456789abcdef0123456789abcdef/embed".to_owned(),
        "/embed".to_owned(),
    ] {
        let response = app.get(&path).await;
        assert!(!framable(response.headers()), "{path} refuses framing");
    }
    assert_eq!(404, app.get("/embed/topics/nope").await.status().as_u16());
    assert_eq!(
        422,
        app.get("/embed/recommendation?building=nope")
            .await
            .status()
            .as_u16()
    );

    // --embed-ancestors narrows who may frame them.
    let data = tempfile::tempdir().unwrap();
    let database = format!("sqlite:{}", data.path().join("teams.db").display());
    let mut settings = versus::startup::Settings::local(&fixture("valid"), &database);
    settings.embed_ancestors = "https://wiki.example 'self'".to_owned();
    let narrow = spawn_app_set(settings).await;
    let response = narrow.get("/embed/topics/alpha").await;
    assert!(header(response.headers(), "content-security-policy")
        .ends_with("; frame-ancestors https://wiki.example 'self'"));
    let response = narrow.get("/topics/alpha").await;
    assert!(
        header(response.headers(), "content-security-policy").ends_with("frame-ancestors 'none'")
    );
}

/// A badge's checks that hold for every badge: well-formed SVG of a fixed size, no script or
/// reference to anything, served as an image any site may show. Returns its text.
fn check_badge(headers: &HeaderMap, svg: &str) -> String {
    assert_eq!("image/svg+xml", header(headers, "content-type"));
    assert_eq!(
        "cross-origin",
        header(headers, "cross-origin-resource-policy")
    );
    assert!(header(headers, "content-security-policy").contains("default-src 'none'"));
    let doc = roxmltree::Document::parse(svg).expect("a badge is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let width: u32 = root.attribute("width").unwrap().parse().unwrap();
    assert_eq!(root.attribute("height"), Some("20"));
    assert!((40..=800).contains(&width), "{width}");
    let lower = svg.to_lowercase();
    for banned in [
        "<script",
        "javascript:",
        "href",
        "<foreignobject",
        "<image",
        "url(",
    ] {
        assert!(!lower.contains(banned), "{banned} in {svg}");
    }
    for node in doc.descendants() {
        for attribute in node.attributes() {
            assert!(!attribute.name().starts_with("on"), "{svg}");
        }
    }
    doc.descendants()
        .filter(|n| n.has_tag_name("text") || n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn badges_are_small_escaped_svg_that_say_the_status() {
    let app = crate::helpers::spawn_app().await;
    app.ready().await;
    let title = "<script>alert(1)</script> & \"Ops' pick";
    let (team, organiser, _) = new_team(&app, title, false).await;
    let body = team_json(&app, &team).await;
    let badge = local(body["links"]["badge"].as_str().unwrap()).to_owned();
    let response = app.get(&badge).await;
    assert_eq!(200, response.status().as_u16());
    let headers = response.headers().clone();
    let svg = response.text().await.unwrap();
    let text = check_badge(&headers, &svg);
    assert!(text.contains("proposed · 0 answers"), "{text}");
    // The title is there, as text: escaped in the source, read back whole.
    assert!(text.contains(title), "{text}");
    assert!(
        svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Ops"),
        "{svg}"
    );

    join(&app, &team, "Ana", answers_json()).await;
    let closed = app
        .post_json(
            &format!("/api{organiser}/close"),
            json!({"outcome": "django", "rationale": "Chosen"}),
        )
        .await;
    assert_eq!(
        200,
        closed.status().as_u16(),
        "{}",
        closed.text().await.unwrap()
    );
    let response = app.get(&badge).await;
    let headers = response.headers().clone();
    let text = check_badge(&headers, &response.text().await.unwrap());
    let today = chrono::Utc::now().date_naive();
    assert!(
        text.contains(&format!("Django · accepted · {today}")),
        "{text}"
    );

    // A result's badge, from a permalink's answers.
    let response = app.get(&format!("/recommendation.svg?{ANSWERS}")).await;
    assert_eq!(200, response.status().as_u16());
    let headers = response.headers().clone();
    let text = check_badge(&headers, &response.text().await.unwrap());
    assert!(text.contains("Recommendation: "), "{text}");
    assert_eq!(
        422,
        app.get("/recommendation.svg?building=nope")
            .await
            .status()
            .as_u16()
    );
    assert_eq!(
        404,
        app.get("/teams/view/0123456789abcdef0123456789abcdef/badge.svg")
            .await
            .status()
            .as_u16()
    );
}

/// A decided decision whose evidence changed says so in its badge and embed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drifted_decisions_badge_and_embed_say_it_needs_review() {
    let (_dir, urls) = databases().await;
    for url in &urls {
        let content = content_copy();
        let shop = json!({"building": "shop"});
        let server = Server::start(content.path(), url);
        let app = server.app();
        app.ready().await;
        let shops = decide(
            &app,
            "Shop platform",
            &[shop.clone(), shop.clone()],
            json!({"outcome": "django"}),
        )
        .await;
        let (status, svg) = app.get_text(&format!("{}/badge.svg", shops.view)).await;
        assert_eq!(200, status);
        assert!(svg.contains("Django · accepted · "), "{svg}");
        assert!(!svg.contains("needs review"));
        drop(server);

        change_the_evidence(content.path());
        let server = Server::start(content.path(), url);
        let app = server.app();
        app.ready().await;
        let response = app.get(&format!("{}/badge.svg", shops.view)).await;
        let headers = response.headers().clone();
        let text = check_badge(&headers, &response.text().await.unwrap());
        assert!(text.contains("Django · needs review · "), "{text} on {url}");
        let (_, embed) = app.get_text(&format!("{}/embed", shops.view)).await;
        assert!(embed.contains("Needs review:"), "{embed}");
        assert!(embed.contains("Team decision · needs review"), "{embed}");
        let (_, page) = app.get_text(&shops.view).await;
        assert!(
            page.contains("**Needs review:**"),
            "the paste block says it too"
        );
    }
}

/// The `content` of `<meta name="{name}">`, which must sit in the head within the first 32 KB
/// (what Slack and others read of a page).
fn meta<'p>(page: &'p str, name: &str) -> &'p str {
    let tag = format!("<meta name=\"{name}\" content=\"");
    let at = page
        .find(&tag)
        .unwrap_or_else(|| panic!("{name} in the page"))
        + tag.len();
    assert!(at < 32 * 1024, "{name} within the first 32 KB");
    assert!(at < page.find("</head>").unwrap(), "{name} in the head");
    &page[at..at + page[at..].find('"').unwrap()]
}

/// The paste block's Markdown, unescaped from the page.
fn paste_block(page: &str) -> String {
    let open = "data-copy-label=\"Copy Markdown\"><code>";
    let at = page.find(open).expect("a paste block") + open.len();
    page[at..at + page[at..].find("</code>").unwrap()]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_and_decisions_unfurl_with_labels_and_paste_into_docs() {
    let app = crate::helpers::spawn_app().await;
    app.ready().await;
    let (_, page) = app.get_text(&format!("/recommendation?{ANSWERS}")).await;
    assert_eq!(meta(&page, "twitter:label1"), "Recommendation");
    let winner = meta(&page, "twitter:data1");
    assert!(
        ["Django", "Flask", "A toss-up"].contains(&winner),
        "{winner}"
    );
    assert_eq!(meta(&page, "twitter:label2"), "Confidence");
    assert!(!meta(&page, "twitter:data2").is_empty());

    let (team, organiser, created) = new_team(&app, "Pipes | and *stars*", false).await;
    join(&app, &team, "Ana", building("site")).await;
    // Ben's own result is a toss-up: two of three agree with the team's.
    let mut ben = building("service");
    ben["admin"] = json!("no");
    join(&app, &team, "Ben", ben).await;
    join(&app, &team, "Cy", building("site")).await;
    let view = local(created["view_url"].as_str().unwrap()).to_owned();
    for path in [format!("/teams/{team}"), view.clone()] {
        let (status, page) = app.get_text(&path).await;
        assert_eq!(200, status);
        assert_eq!(meta(&page, "twitter:label1"), "Recommendation", "{path}");
        assert!(meta(&page, "twitter:data1").starts_with("Django"), "{path}");
        assert_eq!(meta(&page, "twitter:label2"), "Agreement");
        assert_eq!(meta(&page, "twitter:data2"), "2 of 3");
        let md = paste_block(&page);
        assert!(md.starts_with("### Pipes \\| and \\*stars\\*\n"), "{md}");
        assert!(md.contains("**Status:** proposed"), "{md}");
        assert!(md.contains("**Team result:** Django"), "{md}");
        assert!(
            md.contains("| Question | Ana | Ben | Cy |\n|---|---|---|---|\n"),
            "{md}"
        );
        assert!(
            md.contains(
                "| What are you building? | A content site | A small service | A content site |"
            ),
            "{md}"
        );
        assert!(md.contains("**Where the team disagrees**"), "{md}");
        assert!(md.contains("- What are you building?: "), "{md}");
        assert!(
            md.contains(&format!("Read-only link: <{BASE}{view}>")),
            "{md}"
        );
        assert!(
            md.contains(&format!(
                "[![Decision status]({BASE}{view}/badge.svg)]({BASE}{view})"
            )),
            "{md}"
        );
        assert!(!md.contains(&team), "never the share link: {md}");
        assert!(page.contains("aria-label=\"The decision in Markdown\""));
    }
    let closed = app
        .post_json(
            &format!("/api{organiser}/close"),
            json!({"outcome": "django"}),
        )
        .await;
    assert_eq!(
        200,
        closed.status().as_u16(),
        "{}",
        closed.text().await.unwrap()
    );
    let (_, page) = app.get_text(&view).await;
    assert_eq!(meta(&page, "twitter:label1"), "Outcome");
    assert_eq!(meta(&page, "twitter:data1"), "Django (accepted)");
    let md = paste_block(&page);
    let today = chrono::Utc::now().date_naive();
    assert!(
        md.contains(&format!(
            "**Status:** accepted · **Outcome:** Django (decided {today})"
        )),
        "{md}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hidden_decision_shows_title_names_and_status_in_every_new_format() {
    let (_dir, urls) = databases().await;
    for url in &urls {
        let app = spawn_app_on(&fixture("valid"), url).await;
        app.ready().await;
        let (team, _, created) = new_team(&app, "Secret plans", true).await;
        join(&app, &team, "Ana", building("site")).await;
        join(&app, &team, "Ben", building("service")).await;
        let view = local(created["view_url"].as_str().unwrap()).to_owned();
        let body = team_json(&app, &team).await;
        let links = body["links"].clone();
        let leaks = |what: &str, text: &str| {
            assert!(text.contains("Secret plans"), "{what}: the title");
            for secret in [
                "Django",
                "Flask",
                "toss-up",
                "A private reason",
                "A content site",
                "Agreement",
                "Team result",
                "of 2",
                "strong",
                "lean",
                "/join",
                &format!("/teams/{team}"),
                &team,
            ] {
                assert!(
                    !text.contains(secret),
                    "{what} on {url} shows {secret:?}:\n{text}"
                );
            }
        };
        // The embed: title, names and status.
        let (status, embed) = app.get_text(local(links["embed"].as_str().unwrap())).await;
        assert_eq!(200, status);
        leaks("the embed", &embed);
        assert!(embed.contains("Ana") && embed.contains("Ben"), "{embed}");
        assert!(embed.contains("Team decision · proposed"), "{embed}");
        assert!(embed.contains(&format!("href=\"{BASE}{view}\"")), "{embed}");
        // The badge.
        let (_, badge) = app.get_text(local(links["badge"].as_str().unwrap())).await;
        leaks("the badge", &badge);
        assert!(badge.contains("proposed · 2 answers"), "{badge}");
        // The oEmbed answer, asked by the read-only link and by the share link: the site's own
        // card, never the outcome's.
        for asked in [format!("{BASE}{view}"), format!("{BASE}/teams/{team}")] {
            let (status, answer) = oembed(&app, &asked, "").await;
            assert_eq!(200, status);
            leaks("the oEmbed answer", &answer);
            let answer: Value = serde_json::from_str(&answer).unwrap();
            assert!(answer["thumbnail_url"]
                .as_str()
                .unwrap()
                .contains("/cards/home."));
        }
        // The unfurl labels and the paste block of the read-only page and of the share page
        // as a link preview fetches it (no member's cookie).
        for path in [view.clone(), format!("/teams/{team}")] {
            let (_, page) = app.get_text(&path).await;
            assert_eq!(meta(&page, "twitter:label1"), "Status");
            assert_eq!(meta(&page, "twitter:data1"), "proposed");
            assert_eq!(meta(&page, "twitter:label2"), "Answers");
            assert_eq!(meta(&page, "twitter:data2"), "2");
            let md = paste_block(&page);
            leaks("the paste block", &md);
            assert!(md.contains("**Answered (2):** Ana, Ben"), "{md}");
            assert!(
                md.contains("Answers are hidden until the decision closes."),
                "{md}"
            );
            assert!(
                md.contains(&format!("Read-only link: <{BASE}{view}>")),
                "{md}"
            );
        }
        // The feed (at the read-only link) shows nothing of the result either.
        let (status, feed) = app.get_text(local(links["feed"].as_str().unwrap())).await;
        assert_eq!(200, status);
        assert!(!feed.contains("<entry>") && !feed.contains(&team), "{feed}");
    }
}
