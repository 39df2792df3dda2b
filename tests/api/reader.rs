//! Reader and editor features: search, the Atom feed, edit links and review-date warnings.

use std::collections::BTreeSet;

use crate::check::check;
use crate::helpers::{
    attribute_values, copy_tree, fixture, fixture_copy, root, spawn_app, spawn_app_with,
};

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The hrefs of the search results on a results page, in rank order.
fn result_links(html: &str) -> Vec<String> {
    html.split("<ol class=\"results\">")
        .nth(1)
        .map(|list| {
            let list = list.split("</ol>").next().unwrap();
            attribute_values(list, "href")
                .into_iter()
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The pages of the search results on a results page (each result's heading link), in rank order.
fn result_pages(html: &str) -> Vec<String> {
    html.split("<h3><a href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn searching_csrf_leads_with_the_security_topic_and_links_its_sections() {
    let app = spawn_app_with(&root().join("content")).await;
    let response = app.get("/search?q=csrf").await;
    assert_eq!(200, response.status().as_u16());
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = response.text().await.unwrap();
    let links = result_links(&html);
    assert!(!links.is_empty(), "no results:\n{html}");
    // Other pages have sections on CSRF too (JavaScript front ends, forms, the admin); the
    // security topic leads, with its CSRF section first among its own.
    assert_eq!(
        links[..2],
        ["/topics/security", "/topics/security#csrf"],
        "{links:?}"
    );
    let pages = result_pages(&html);
    assert!(pages.len() > 2, "{pages:?}");
    assert!(html.contains("<mark>CSRF</mark>"), "no highlighted match");
    assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
}

#[tokio::test]
async fn search_lists_each_page_once_with_its_sections_and_forgives_a_typo() {
    let app = spawn_app_with(&root().join("content")).await;
    let (_, html) = app.get_text("/search?q=admin").await;
    let pages = result_pages(&html);
    assert_eq!(pages[0], "/topics/admin", "{pages:?}");
    let mut unique = pages.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), pages.len(), "a page listed twice: {pages:?}");
    let links = result_links(&html);
    for link in &links {
        let (page, _) = link.split_once('#').unwrap_or((link, ""));
        assert!(
            pages.iter().any(|p| p == page),
            "{link} is not under its page"
        );
    }
    assert!(
        links
            .iter()
            .filter(|l| l.starts_with("/topics/admin#"))
            .count()
            >= 2,
        "{links:?}"
    );
    // A typo: the page offers the correction as a link and shows its results.
    let (status, html) = app.get_text("/search?q=djnago").await;
    assert_eq!(200, status);
    assert!(
        html.contains("Did you mean <a href=\"/search?q=django\">django</a>?"),
        "{html}"
    );
    assert_eq!(result_pages(&html)[0], "/frameworks/django");
    // Part of a query matching: its results, and the correction offered.
    let (_, html) = app.get_text("/search?q=flsk+extensions").await;
    assert!(
        html.contains("Did you mean <a href=\"/search?q=flask+extensions\">flask extensions</a>?"),
        "{html}"
    );
    assert!(!result_pages(&html).is_empty());
}

#[tokio::test]
async fn every_search_result_links_to_a_page_and_section_that_exist() {
    let app = spawn_app_with(&root().join("content")).await;
    let mut checked = BTreeSet::new();
    for query in ["django", "flask extensions", "migrations", "async", "admin"] {
        let (status, html) = app.get_text(&format!("/search?q={query}")).await;
        assert_eq!(200, status);
        let links = result_links(&html);
        assert!(!links.is_empty(), "`{query}` found nothing");
        for link in links {
            if !checked.insert(link.clone()) {
                continue;
            }
            let (path, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let (status, page) = app.get_text(path).await;
            assert_eq!(200, status, "{link}");
            if !anchor.is_empty() {
                assert!(
                    attribute_values(&page, "id").contains(&anchor),
                    "{link}: {path} has no id `{anchor}`"
                );
            }
        }
    }
    assert!(
        checked.len() > 20,
        "only {} distinct results",
        checked.len()
    );
}

#[tokio::test]
async fn search_never_reflects_its_query_unescaped() {
    let app = spawn_app().await;
    let hostile = [
        ("%3Cscript%3Ealert(1)%3C%2Fscript%3E", "<script>alert(1)"),
        (
            "%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
            "<img src=x",
        ),
        ("alpha%00%07%1b", "\u{0}"),
    ];
    for (query, raw) in hostile {
        let (status, html) = app.get_text(&format!("/search?q={query}")).await;
        assert_eq!(200, status, "{query}");
        assert!(!html.contains(raw), "{query} reached the page unescaped");
        assert!(
            !html.chars().any(|c| c.is_control() && c != '\n'),
            "{query}"
        );
    }
    let (_, html) = app
        .get_text("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await;
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
}

#[tokio::test]
async fn search_handles_empty_long_repeated_and_undecodable_queries() {
    let app = spawn_app().await;
    // No query: just the form.
    let (status, html) = app.get_text("/search").await;
    assert_eq!(200, status);
    assert!(html.contains("id=\"search-q\""));
    assert!(!html.contains("class=\"results-heading\""));
    // Nothing matches.
    let (status, html) = app.get_text("/search?q=zzzqqq").await;
    assert_eq!(200, status);
    assert!(html.contains("No pages match"), "{html}");
    // Longer than the limit: searched, cut, and said so.
    let long = "alpha%20".repeat(2_000);
    let (status, html) = app.get_text(&format!("/search?q={long}")).await;
    assert_eq!(200, status);
    assert!(html.contains("only the first 200 were used"));
    // A repeated q uses the first; bad percent-encoding and invalid UTF-8 are not errors.
    for query in ["q=alpha&q=beta", "q=%ff%fe", "q=%zz", "q=alpha&x=%"] {
        let (status, _) = app.get_text(&format!("/search?{query}")).await;
        assert_eq!(200, status, "{query}");
    }
    let (_, html) = app.get_text("/search?q=alpha&q=beta").await;
    assert!(
        html.contains("id=\"search-q\"") && html.contains("value=\"alpha\""),
        "{html}"
    );
    assert!(
        !html.contains("value=\"beta\""),
        "the second q was used: {html}"
    );
    // Only GET and HEAD.
    let response = app
        .client
        .post(format!("{}/search", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(405, response.status().as_u16());
    assert_eq!("GET, HEAD", response.headers()["allow"]);
    // Result pages are for people, not for crawlers.
    let (_, robots) = app.get_text("/robots.txt").await;
    assert!(robots.contains("Disallow: /search\n"), "{robots}");
}

#[tokio::test]
async fn every_page_has_the_search_box_and_the_feed_link() {
    let app = spawn_app().await;
    let (_, sitemap) = app.get_text("/sitemap.xml").await;
    let paths: Vec<String> = sitemap
        .split("<loc>https://versus.example")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap().to_owned())
        .chain(["/search?q=alpha".to_owned(), "/no-such-page".to_owned()])
        .collect();
    assert!(paths.len() > 10);
    for path in paths {
        let (_, html) = app.get_text(&path).await;
        assert!(
            html.contains(
                "<form class=\"site-search\" role=\"search\" action=\"/search\" method=\"get\">"
            ),
            "{path} has no search box"
        );
        assert!(
            html.contains(
                "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"versus-test: reviewed pages\" href=\"/feed.xml\">"
            ),
            "{path} does not link the feed"
        );
    }
}

/// The text of the only child of `node` named `name` in the Atom namespace.
fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    let found: Vec<_> = node
        .children()
        .filter(|c| c.has_tag_name((ATOM, name)))
        .collect();
    assert_eq!(
        1,
        found.len(),
        "<{}> needs one <{name}>",
        node.tag_name().name()
    );
    found[0].text().unwrap_or("")
}

fn is_rfc3339(text: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

#[tokio::test]
async fn the_feed_is_valid_atom_with_an_entry_per_change_of_every_page() {
    let app = spawn_app_with(&root().join("content")).await;
    let response = app.get("/feed.xml").await;
    assert_eq!(200, response.status().as_u16());
    assert_eq!(
        "application/atom+xml; charset=utf-8",
        response.headers()["content-type"]
    );
    let xml = response.text().await.unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("the feed is well-formed XML");
    let feed = doc.root_element();
    assert!(
        feed.has_tag_name((ATOM, "feed")),
        "the root is not an Atom feed"
    );
    // RFC 4287 4.1.1: a feed has exactly one id, title and updated, and an author (here on the
    // feed, as its entries have none), and should link to itself.
    assert!(child_text(feed, "id").starts_with("http"));
    assert!(!child_text(feed, "title").is_empty());
    assert!(is_rfc3339(child_text(feed, "updated")));
    let author = feed
        .children()
        .find(|c| c.has_tag_name((ATOM, "author")))
        .expect("an author");
    assert!(!child_text(author, "name").is_empty());
    assert!(feed.children().any(|c| c.has_tag_name((ATOM, "link"))
        && c.attribute("rel") == Some("self")
        && c.attribute("href")
            .is_some_and(|h| h.ends_with("/feed.xml"))));

    let mut ids = BTreeSet::new();
    let mut entries = Vec::new();
    for entry in feed.children().filter(|c| c.has_tag_name((ATOM, "entry"))) {
        // 4.1.2: exactly one id, title and updated; an alternate link, as there is no content.
        assert!(
            ids.insert(child_text(entry, "id").to_owned()),
            "duplicate id"
        );
        assert!(!child_text(entry, "title").is_empty());
        let updated = child_text(entry, "updated");
        assert!(is_rfc3339(updated), "{updated}");
        assert!(!child_text(entry, "summary").is_empty());
        let alternate: Vec<_> = entry
            .children()
            .filter(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some("alternate"))
            .collect();
        assert_eq!(1, alternate.len());
        let href = alternate[0].attribute("href").unwrap();
        let path = &href[href.find("://").unwrap() + 3..];
        let path = &path[path.find('/').unwrap()..];
        // The link lands on the change itself: `#change-{date}` on its page.
        let (path, fragment) = path.split_once('#').expect("the link names the change");
        assert!(
            fragment.starts_with(&format!("change-{}", &updated[..10])),
            "{href}"
        );
        entries.push((
            path.to_owned(),
            updated[..10].to_owned(),
            fragment.to_owned(),
        ));
    }

    let (_, sitemap) = app.get_text("/sitemap.xml").await;
    let topics: BTreeSet<String> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .filter_map(|url| url.find("/topics/").map(|i| url[i..].to_owned()))
        .collect();
    let on_disk = std::fs::read_dir(root().join("content").join("topics"))
        .unwrap()
        .count();
    assert_eq!(on_disk, topics.len());
    let listed: BTreeSet<String> = entries.iter().map(|(p, _, _)| p.clone()).collect();
    assert!(
        topics.is_subset(&listed),
        "missing: {:?}",
        topics.difference(&listed)
    );
    for page in ["/about", "/methodology", "/faq", "/myths"] {
        assert!(listed.contains(page), "{page} is not in the feed");
    }
    // Each entry is a change its page lists, on the date the page shows for it.
    for (path, date, fragment) in &entries {
        let (_, html) = app.get_text(path).await;
        let changes = &html[html
            .find("id=\"what-changed\"")
            .expect("a What changed section")..];
        assert!(
            changes.contains(&format!("<li id=\"{fragment}\"><time datetime=\"{date}\">")),
            "{path}: the feed has a change of {date} at #{fragment}, the page does not"
        );
    }
}

#[tokio::test]
async fn pages_link_to_suggest_a_change_when_the_site_has_an_edit_url() {
    let app = spawn_app().await;
    for (path, file) in [
        ("/topics/alpha", "topics/alpha.md"),
        ("/frameworks/flask", "frameworks/flask.md"),
        ("/about", "pages/about.md"),
    ] {
        let (_, html) = app.get_text(path).await;
        let expected = format!(
            "<a class=\"edit-link\" href=\"https://code.example/versus/edit/main/content/{file}\">Suggest a change to this page</a>"
        );
        assert!(html.contains(&expected), "{path} lacks {expected}");
    }
    // Generated pages have no file to edit.
    let (_, html) = app.get_text("/compare").await;
    assert!(!html.contains("edit-link"));
    // Off when unset: the bundled content sets no edit_url.
    let bundled = spawn_app_with(&root().join("content")).await;
    let (_, html) = bundled.get_text("/topics/security").await;
    assert!(!html.contains("edit-link"));
}

#[test]
fn check_warns_about_stale_reviews_without_failing() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), dir.path());
    // No rule, no warning.
    let (code, _, stderr) = check(dir.path());
    assert_eq!(0, code, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    // Every fixture page was reviewed in 2026, so more than a day ago.
    let dir = fixture_copy("valid", |site| site + "\n[rules]\nreview_within_days = 1\n");
    let (code, stdout, stderr) = check(dir.path());
    assert_eq!(
        0, code,
        "a stale review is a warning, not a failure: {stderr}"
    );
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    assert_eq!(8, warnings.len(), "{stderr}");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("topics/alpha.md:5: last reviewed on 2026-03-04")),
        "{stderr}"
    );
    assert!(warnings.iter().all(|w| w.contains("review_within_days")));
    assert!(stdout.contains("(8 due for review)"), "{stdout}");
}

#[test]
fn check_refuses_an_edit_url_without_a_path() {
    let dir = fixture_copy("valid", |site| site.replace("content/{path}", "content/"));
    let (code, _, stderr) = check(dir.path());
    assert_eq!(1, code);
    assert!(stderr.contains("site.toml: `edit_url` is"), "{stderr}");
    assert!(stderr.contains("{path}"), "{stderr}");
}

#[tokio::test]
async fn searching_for_what_the_new_topics_cover_leads_to_them() {
    let app = spawn_app_with(&root().join("content")).await;
    for (query, topic) in [
        ("WTForms", "/topics/forms-and-validation"),
        ("class-based views", "/topics/routing-and-views"),
        ("Flask-SocketIO", "/topics/real-time"),
        ("Celery", "/topics/background-jobs"),
        ("Flask-Babel", "/topics/i18n-and-time-zones"),
        ("django-stubs", "/topics/typing-and-tooling"),
        ("htmx", "/topics/frontend-integration"),
        ("cold start", "/topics/containers-and-serverless"),
    ] {
        let (_, html) = app
            .get_text(&format!("/search?q={}", query.replace(' ', "+")))
            .await;
        let pages = result_pages(&html);
        assert!(
            pages.iter().take(3).any(|p| p == topic),
            "`{query}`: {topic} is not in the top three: {pages:?}"
        );
    }
}

/// Every written page shows its change history; a change's touched sections link to them.
#[tokio::test]
async fn every_page_shows_what_changed_with_links_to_the_sections_touched() {
    let dir = crate::helpers::fixture_copy("valid", |site| site);
    let alpha = dir.path().join("topics").join("alpha.md");
    let text = std::fs::read_to_string(&alpha).unwrap();
    let edited = text.replacen(
        "updated = 2026-03-04",
        "updated = 2026-03-06",
        1,
    ).replace(
        "summary = \"First published.\"\ntouched = []",
        "summary = \"First published.\"\ntouched = []\n\n[[changes]]\ndate = 2026-03-06\nsummary = \"The caching advice is corrected.\"\ntouched = [\"at-a-glance\"]",
    );
    assert_ne!(text, edited, "the fixture changed");
    std::fs::write(&alpha, edited).unwrap();
    let app = crate::helpers::spawn_app_with(dir.path()).await;
    let (status, html) = app.get_text("/topics/alpha").await;
    assert_eq!(200, status);
    let changes = &html[html.find("id=\"what-changed\"").expect("What changed")..];
    let newest = changes
        .find("The caching advice is corrected.")
        .expect("the new change");
    let oldest = changes.find("First published.").expect("the first change");
    assert!(newest < oldest, "newest first");
    assert!(changes.contains("<a href=\"#at-a-glance\">"), "{changes}");
    for path in ["/frameworks/django", "/about"] {
        let (_, html) = app.get_text(path).await;
        assert!(html.contains("id=\"what-changed\""), "{path}");
    }
    let (_, feed) = app.get_text("/feed.xml").await;
    assert!(
        feed.contains("/topics/alpha#change-2026-03-06</id>"),
        "{feed}"
    );
    assert!(
        feed.contains("/topics/alpha#change-2026-03-04</id>"),
        "{feed}"
    );
}

/// A topic's recommended packages show what their newest releases declare, with a caveat
/// wherever that does not cover the versions the page was reviewed with, for either framework.
#[tokio::test]
async fn recommended_packages_show_their_declared_support_on_both_sides() {
    let app = crate::helpers::spawn_app_with(&crate::helpers::fixture("valid")).await;
    let (_, html) = app.get_text("/topics/alpha").await;
    let section = &html[html
        .find("id=\"package-support\"")
        .expect("a packages section")..];
    let section = &section[..section.find("</section>").unwrap()];
    // Reviewed with Django 5.2: a package declaring 4.2 and 5.2 covers it.
    let django = &section[section.find("django-fixture-extra").unwrap()..];
    let django = &django[..django.find("</tr>").unwrap()];
    assert!(django.contains("Django 4.2, 5.2"), "{django}");
    assert!(
        django.contains("Covers the Django versions reviewed"),
        "{django}"
    );
    // A Flask extension that declares nothing gets the caveat.
    let flask = &section[section.find("Flask-Fixture").unwrap()..];
    let flask = &flask[..flask.find("</tr>").unwrap()];
    assert!(
        flask.contains("<strong>Declares no Flask version</strong>"),
        "{flask}"
    );
    // The bundled site: a Django package that stops at 6.0 is flagged for 6.1.
    let bundled = crate::helpers::spawn_app_with(&crate::helpers::root().join("content")).await;
    let (_, html) = bundled.get_text("/topics/authentication").await;
    let axes = &html[html.find(">django-axes</a>").expect("django-axes listed")..];
    let axes = &axes[..axes.find("</tr>").unwrap()];
    assert!(axes.contains("Does not declare Django 6.1"), "{axes}");
}
