//! Crawls a served site from `/` and the sitemap: every internal link answers 200 and every
//! anchor exists on its page.

use std::collections::{BTreeSet, HashMap, VecDeque};

use crate::helpers::{attribute_values, fixture, root, spawn_app_with, TestApp};

/// Paths served by code the crawler does not follow (forms, feeds, APIs): the app's routes.
fn is_dynamic(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    versus::paths::APP_ROUTES.contains(&path)
}

async fn crawl(app: &TestApp) -> (usize, Vec<String>) {
    let (_, sitemap) = app.get_text("/sitemap.xml").await;
    let mut queue: VecDeque<String> = VecDeque::from(["/".to_owned()]);
    for loc in sitemap.split("<loc>").skip(1) {
        let url = loc.split("</loc>").next().unwrap();
        let path = url
            .find("://")
            .and_then(|i| url[i + 3..].find('/').map(|j| &url[i + 3 + j..]))
            .unwrap();
        queue.push_back(path.to_owned());
    }
    let mut seen = BTreeSet::new();
    let mut ids: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut links: Vec<(String, String)> = Vec::new();
    let mut broken = Vec::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || is_dynamic(&path) {
            continue;
        }
        let response = app.get(&path).await;
        let status = response.status().as_u16();
        if status != 200 {
            broken.push(format!("{path} answered {status}"));
            continue;
        }
        let is_html = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html");
        let body = response.text().await.unwrap();
        if !is_html {
            continue;
        }
        ids.insert(
            path.clone(),
            attribute_values(&body, "id")
                .into_iter()
                .map(String::from)
                .collect(),
        );
        for href in attribute_values(&body, "href") {
            let href = href.replace("&amp;", "&");
            if href.starts_with('/') || href.starts_with('#') {
                links.push((path.clone(), href.clone()));
                let target = href.split('#').next().unwrap();
                if !target.is_empty() {
                    queue.push_back(target.to_owned());
                }
            }
        }
    }
    for (page, href) in &links {
        if let Some((target, anchor)) = href.split_once('#') {
            let target = if target.is_empty() {
                page.as_str()
            } else {
                target
            };
            if is_dynamic(target) {
                continue;
            }
            if let Some(known) = ids.get(target) {
                if !known.contains(anchor) {
                    broken.push(format!(
                        "{page} links to {href}, but {target} has no id `{anchor}`"
                    ));
                }
            }
        }
    }
    (seen.len(), broken)
}

#[tokio::test]
async fn the_fixture_site_has_no_broken_link_or_anchor() {
    let app = spawn_app_with(&fixture("valid")).await;
    let (pages, broken) = crawl(&app).await;
    assert!(broken.is_empty(), "{broken:#?}");
    assert!(pages >= 12, "crawled only {pages} pages");
}

#[tokio::test]
async fn the_bundled_site_has_no_broken_link_or_anchor() {
    let app = spawn_app_with(&root().join("content")).await;
    let (pages, broken) = crawl(&app).await;
    assert!(broken.is_empty(), "{broken:#?}");
    assert!(pages >= 17 + 2 + 4 + 2, "crawled only {pages} pages");
}
