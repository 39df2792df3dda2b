//! Every route of the fixture site: status, content and the headers that matter.

use crate::helpers::{spawn_app, TestApp};

#[tokio::test]
async fn every_page_answers_200_with_html_and_security_headers() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/compare",
        "/topics/alpha",
        "/topics/beta",
        "/frameworks/django",
        "/frameworks/flask",
        "/about",
        "/methodology",
        "/faq",
        "/myths",
    ] {
        let response = app.get(path).await;
        assert_eq!(200, response.status().as_u16(), "GET {path}");
        let h = response.headers();
        assert_eq!(h["content-type"], "text/html; charset=utf-8", "GET {path}");
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("default-src 'none'"),
            "GET {path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "GET {path}");
        assert_eq!(
            h["cross-origin-resource-policy"], "same-origin",
            "GET {path}"
        );
        assert_eq!(
            h["referrer-policy"], "strict-origin-when-cross-origin",
            "GET {path}"
        );
        assert!(
            h["permissions-policy"]
                .to_str()
                .unwrap()
                .contains("camera=()"),
            "GET {path}"
        );
        // The fixture's base URL is https, so HSTS is on.
        assert_eq!(
            h["strict-transport-security"], "max-age=63072000; includeSubDomains",
            "GET {path}"
        );
        assert_eq!(h["cache-control"], "no-cache", "GET {path}");
        assert!(h.contains_key("etag"), "GET {path}");
        let body = response.text().await.unwrap();
        assert!(body.starts_with("<!doctype html>"), "GET {path}");
        assert!(
            !body.contains("<style") && !body.contains(" style=\""),
            "GET {path} has inline style"
        );
        assert_no_inline_script(&body, path);
    }
}

#[tokio::test]
async fn every_page_has_canonical_description_and_link_preview_tags() {
    let app = spawn_app().await;
    let (_, body) = app.get_text("/topics/alpha").await;
    assert!(
        body.contains(r#"<link rel="canonical" href="https://versus.example/topics/alpha">"#),
        "{body}"
    );
    assert!(body.contains(r#"<meta name="description" content="The first fixture topic.">"#));
    assert!(body
        .contains(r#"<meta property="og:title" content="Alpha: Django vs Flask | versus-test">"#));
    assert!(
        body.contains(r#"<meta property="og:url" content="https://versus.example/topics/alpha">"#)
    );
    assert!(body.contains(r#"<meta property="og:type" content="article">"#));
    assert!(body.contains(r#"<meta name="twitter:card" content="summary_large_image">"#));
    assert!(
        body.contains(r#"<meta name="twitter:description" content="The first fixture topic.">"#)
    );
}

#[tokio::test]
async fn a_topic_page_has_every_part_in_order() {
    let app = spawn_app().await;
    let (status, body) = app.get_text("/topics/alpha").await;
    assert_eq!(200, status);
    let parts = [
        "<h1>Alpha</h1>",
        "The first fixture topic.",
        r#"<time datetime="2026-03-04">4 March 2026</time>"#,
        r#"id="at-a-glance""#,
        "<th scope=\"row\">Four <strong>bold</strong> <code>code</code> &amp;</th>",
        r#"id="verdict""#,
        "Choose Flask for alpha.",
        r#"id="contents""#,
        r##"<h2 id="setup">Setup <a class="anchor" href="#setup""##,
        r#"<h2 id="setup-1">"#,
        r#"<h3 id="deep-dive">"#,
        r#"id="code""#,
        r#"id="code-hello-view""#,
        r#"<span class="l"#,
        r#"id="sources""#,
        r#"<li id="source-doc-one"><a href="https://example.com/one">Doc one</a>, accessed <time datetime="2026-03-01">1 March 2026</time>"#,
        r#"<a rel="next" href="/topics/beta">"#,
    ];
    let mut from = 0;
    for part in parts {
        let at = body[from..].find(part).map(|i| i + from);
        assert!(
            at.is_some(),
            "`{part}` missing after byte {from} of /topics/alpha"
        );
        from = at.unwrap();
    }
    assert!(
        !body.contains("rel=\"prev\""),
        "the first topic has no previous topic"
    );
}

#[tokio::test]
async fn footnotes_cite_the_numbered_source() {
    let app = spawn_app().await;
    let (_, body) = app.get_text("/topics/alpha").await;
    assert!(
        body.contains(r##"<a href="#source-doc-one" aria-label="Source 1">[1]</a>"##),
        "{body}"
    );
    assert!(body.contains(r##"<a href="#source-doc-two" aria-label="Source 2">[2]</a>"##));
}

#[tokio::test]
async fn the_matrix_has_every_topic_against_every_framework() {
    let app = spawn_app().await;
    let (_, body) = app.get_text("/compare").await;
    // A topic that states no lean depends on the project in every column, its verdict a tap away.
    let cell = |framework: &str, verdict: &str| {
        format!(
            r#"<td data-label="{framework}"><details class="verdict-cell"><summary><span class="signal signal-depends">Depends on the project</span></summary><p>{verdict}</p></details></td>"#
        )
    };
    for (slug, title) in [("alpha", "Alpha"), ("beta", "Beta")] {
        let row = format!(
            r#"<tr id="{slug}"><th scope="row"><a href="/topics/{slug}">{title}</a></th>{}{}</tr>"#,
            cell("Django", &format!("Choose Django for {slug}.")),
            cell("Flask", &format!("Choose Flask for {slug}."))
        );
        assert!(body.contains(&row), "missing {row}");
    }
    // The bundled content's leans: the framework a topic leans towards is usually the better
    // choice, the other better in some cases; a topic that leans neither way depends.
    let bundled = crate::helpers::spawn_app_with(&crate::helpers::root().join("content")).await;
    let (_, body) = bundled.get_text("/compare").await;
    let row = |slug: &str| -> String {
        let at = body.find(&format!("<tr id=\"{slug}\">")).expect(slug);
        body[at..at + body[at..].find("</tr>").unwrap()].to_owned()
    };
    let admin = row("admin");
    let django = admin.find("data-label=\"Django\"").unwrap();
    let flask = admin.find("data-label=\"Flask\"").unwrap();
    assert!(admin.contains("<span class=\"lean lean-django\">Leans Django</span>"));
    assert!(admin[django..flask].contains("signal-usual\">Usually the better choice"));
    assert!(admin[flask..].contains("signal-some\">Better in some cases"));
    let either = body.matches("<span class=\"lean lean-either\">").count();
    assert!(either > 0, "some topic leans neither way");
    assert_eq!(
        body.matches("signal-depends\">").count(),
        2 * either + 1,
        "both columns of every topic that leans neither way, and the legend"
    );
    // No sideways scrolling box: the table reflows on a phone instead.
    assert!(!body.contains("table-scroll"));
}

#[tokio::test]
async fn a_chart_block_renders_the_measured_data_as_svg_and_table() {
    let app = spawn_app().await;
    let (_, body) = app.get_text("/topics/beta").await;
    assert!(
        body.contains(r#"role="img" aria-labelledby="bench-title bench-desc""#),
        "{body}"
    );
    assert!(body.contains("<title id=\"bench-title\">Requests per second served by minimal Django and Flask apps (higher is better)</title>"));
    assert!(
        body.contains("Plain text, Flask: 4,000 req/s; JSON, Django: 1,900 req/s"),
        "{body}"
    );
    // The larger value gets the full bar, the others scale to it.
    assert!(
        body.contains(
            r#"<rect class="bench-bar bench-flask" x="80" y="48" width="470" height="18"></rect>"#
        ),
        "{body}"
    );
    assert!(body.contains(
        r#"<rect class="bench-bar bench-django" x="80" y="24" width="235" height="18"></rect>"#
    ));
    assert!(body.contains("<tr><th scope=\"row\">Template render of a list</th><td data-label=\"Framework\">Flask</td><td data-label=\"Requests per second\">2,600</td><td data-label=\"p99 latency (ms)\">15.2</td></tr>"), "{body}");
    assert!(body.contains(
        "Measured 3 March 2026 on test machine; django 6.0.1, flask 3.1.3, gunicorn 23.0.0"
    ));
    assert!(!body.contains("<!--chart:"));
}

#[tokio::test]
async fn the_footer_shows_the_latest_review_date() {
    let app = spawn_app().await;
    let (_, body) = app.get_text("/about").await;
    assert!(
        body.contains(r#"Content last reviewed <time datetime="2026-03-05">5 March 2026</time>"#)
    );
}

#[tokio::test]
async fn an_unknown_path_gets_the_404_page() {
    let app = spawn_app().await;
    for path in [
        "/nope",
        "/topics/nope",
        "/topics/alpha/extra",
        "/static/../Cargo.toml",
        "/topics/%2e%2e%2fCargo.toml",
    ] {
        let (status, body) = app.get_text(path).await;
        assert_eq!(404, status, "GET {path}");
        assert!(body.contains("<h1>Page not found</h1>"), "GET {path}");
    }
}

#[tokio::test]
async fn aliases_and_trailing_slashes_redirect_permanently() {
    let app = spawn_app().await;
    for (from, to) in [
        ("/topics/old-alpha", "/topics/alpha"),
        ("/topics/beta/", "/topics/beta"),
        ("/topics/old-alpha?x=1", "/topics/alpha?x=1"),
    ] {
        let response = app.get(from).await;
        assert_eq!(301, response.status().as_u16(), "GET {from}");
        assert_eq!(response.headers()["location"], to, "GET {from}");
    }
}

#[tokio::test]
async fn a_matching_etag_gets_304_and_a_stale_one_gets_the_page() {
    let app = spawn_app().await;
    let first = app.get("/topics/beta").await;
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let url = format!("{}/topics/beta", app.address);
    let again = app
        .client
        .get(&url)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(304, again.status().as_u16());
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    assert!(
        again.headers().contains_key("content-security-policy"),
        "304s carry the security headers too"
    );
    let weak = app
        .client
        .get(&url)
        .header("If-None-Match", format!("W/{etag}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        304,
        weak.status().as_u16(),
        "If-None-Match uses weak comparison"
    );
    let stale = app
        .client
        .get(&url)
        .header("If-None-Match", "\"other\"")
        .send()
        .await
        .unwrap();
    assert_eq!(200, stale.status().as_u16());
}

#[tokio::test]
async fn head_answers_headers_without_a_body() {
    let app = spawn_app().await;
    // reqwest never reads a body on HEAD, so the bytes on the wire are what is checked.
    let response = app
        .raw(b"HEAD /topics/alpha HTTP/1.1\r\nHost: localhost")
        .await;
    assert_eq!(200, response.status, "{}", response.head);
    assert!(
        response.head.to_ascii_lowercase().contains("\r\netag: "),
        "{}",
        response.head
    );
    assert!(
        response.body.is_empty(),
        "HEAD sent {} body bytes",
        response.body.len()
    );
}

#[tokio::test]
async fn a_wrong_method_gets_405_with_allow() {
    let app = spawn_app().await;
    let response = app
        .client
        .delete(format!("{}/topics/alpha", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(405, response.status().as_u16());
    assert_eq!(response.headers()["allow"], "GET, HEAD");
}

#[tokio::test]
async fn the_stylesheet_is_fingerprinted_and_immutable() {
    let app = spawn_app().await;
    let (_, body) = app.get_text("/").await;
    let href = body
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a stylesheet link");
    assert!(
        href.starts_with("/static/style.") && href.ends_with(".css"),
        "{href}"
    );
    let response = app.get(href).await;
    assert_eq!(200, response.status().as_u16());
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        response.headers()["content-type"],
        "text/css; charset=utf-8"
    );
    let css = response.text().await.unwrap();
    assert!(
        css.contains("prefers-color-scheme: dark")
            && css.contains("@media print")
            && css.contains(".code .l0 {")
    );
    assert_eq!(
        404,
        app.get("/static/style.css").await.status().as_u16(),
        "only the fingerprinted name is served"
    );
}

#[tokio::test]
async fn sitemap_robots_and_healthz() {
    let app = spawn_app().await;
    let response = app.get("/sitemap.xml").await;
    assert_eq!(
        response.headers()["content-type"],
        "application/xml; charset=utf-8"
    );
    let sitemap = response.text().await.unwrap();
    assert!(
        sitemap.contains(
            "<loc>https://versus.example/topics/alpha</loc><lastmod>2026-03-04</lastmod>"
        ),
        "{sitemap}"
    );
    assert!(sitemap.contains("<loc>https://versus.example/myths</loc>"));
    let (status, robots) = app.get_text("/robots.txt").await;
    assert_eq!(200, status);
    assert!(robots.contains("Sitemap: https://versus.example/sitemap.xml"));
    let (status, health) = app.get_text("/healthz").await;
    assert_eq!((200, "ok\n"), (status, health.as_str()));
}

#[tokio::test]
async fn the_current_section_is_marked_in_the_navigation() {
    let app: TestApp = spawn_app().await;
    let (_, body) = app.get_text("/compare").await;
    assert!(body.contains(r#"<a href="/compare" aria-current="page">Compare</a>"#));
    assert!(!body.contains(r#"<a href="/" aria-current="page">"#));
}

#[tokio::test]
async fn pages_come_pre_compressed_by_accept_encoding_with_their_own_etags() {
    let app = spawn_app().await;
    let url = format!("{}/topics/alpha", app.address);
    let plain = app.client.get(&url).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.headers()["vary"], "Accept-Encoding");
    let plain_etag = plain.headers()["etag"].to_str().unwrap().to_owned();
    let html = plain.bytes().await.unwrap();

    let br = app
        .client
        .get(&url)
        .header("Accept-Encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["vary"], "Accept-Encoding");
    let br_etag = br.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(br_etag, plain_etag, "each representation has its own ETag");
    let mut decoded = Vec::new();
    brotli::BrotliDecompress(&mut &br.bytes().await.unwrap()[..], &mut decoded).unwrap();
    assert_eq!(decoded, html);

    let gz = app
        .client
        .get(&url)
        .header("Accept-Encoding", "br;q=0.1, gzip;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let compressed = gz.bytes().await.unwrap();
    assert!(
        compressed.len() < html.len() / 2,
        "{} vs {}",
        compressed.len(),
        html.len()
    );
    let mut decoded = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(&compressed[..]),
        &mut decoded,
    )
    .unwrap();
    assert_eq!(decoded, html);

    let revalidate = app
        .client
        .get(&url)
        .header("Accept-Encoding", "br")
        .header("If-None-Match", &br_etag)
        .send()
        .await
        .unwrap();
    assert_eq!(304, revalidate.status().as_u16());
    assert_eq!(revalidate.headers()["etag"].to_str().unwrap(), br_etag);
    let other = app
        .client
        .get(&url)
        .header("Accept-Encoding", "br")
        .header("If-None-Match", &plain_etag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        200,
        other.status().as_u16(),
        "the identity ETag does not validate the brotli body"
    );
}

#[tokio::test]
async fn app_routes_answer_a_wrong_method_with_405_and_allow() {
    let app = spawn_app().await;
    for (method, path, allow) in [
        (reqwest::Method::PUT, "/recommend", "GET, HEAD, POST"),
        (reqwest::Method::DELETE, "/api/recommend", "GET, HEAD, POST"),
        (reqwest::Method::POST, "/recommendation", "GET, HEAD"),
        (reqwest::Method::POST, "/recommendation.md", "GET, HEAD"),
        (reqwest::Method::POST, "/healthz", "GET, HEAD"),
        (reqwest::Method::POST, "/topics/alpha", "GET, HEAD"),
    ] {
        let response = app
            .client
            .request(method.clone(), format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(405, response.status().as_u16(), "{method} {path}");
        assert_eq!(response.headers()["allow"], allow, "{method} {path}");
    }
}

#[tokio::test]
async fn app_routes_answer_head_like_get() {
    let app = spawn_app().await;
    let permalink = format!("/recommendation?{}", crate::helpers::ANSWERS);
    for path in [
        "/healthz",
        "/recommend",
        "/api/questionnaire",
        permalink.as_str(),
    ] {
        let get = app
            .raw(format!("GET {path} HTTP/1.1\r\nHost: localhost").as_bytes())
            .await;
        let head = app
            .raw(format!("HEAD {path} HTTP/1.1\r\nHost: localhost").as_bytes())
            .await;
        assert_eq!(200, head.status, "HEAD {path}");
        assert!(!get.body.is_empty(), "GET {path} has a body");
        assert!(
            head.body.is_empty(),
            "HEAD {path} sent {} body bytes",
            head.body.len()
        );
    }
}

/// Every `<script` tag loads a file (`src=`) or is data the browser never runs (JSON-LD);
/// none carries code, and no element has an `on…=` handler attribute.
fn assert_no_inline_script(html: &str, path: &str) {
    let lower = html.to_ascii_lowercase();
    for (i, _) in lower.match_indices("<script") {
        let tag = &lower[i..i + lower[i..].find('>').expect("a closed tag")];
        let data = tag.contains("type=\"application/ld+json\"");
        assert!(
            tag.contains(" src=\"") || data,
            "GET {path} has an inline script: {tag}"
        );
    }
    for handler in [
        " onclick=",
        " onload=",
        " onerror=",
        " onsubmit=",
        " onchange=",
    ] {
        assert!(
            !lower.contains(handler),
            "GET {path} has an inline handler {handler}"
        );
    }
}

#[tokio::test]
async fn the_containers_page_charts_the_measured_footprint_of_both_frameworks() {
    let app = crate::helpers::spawn_app_with(&crate::helpers::root().join("content")).await;
    let (status, html) = app.get_text("/topics/containers-and-serverless").await;
    assert_eq!(200, status);
    let figure = &html[html.find("id=\"footprint-results\"").expect("the chart")..];
    for expected in [
        "Installed size",
        "Cold start (median)",
        "Worker memory",
        "bench-django",
        "bench-flask",
    ] {
        assert!(
            figure.contains(expected),
            "{expected} missing from the chart"
        );
    }
    // The table under it has a row per framework with every figure.
    assert!(
        figure.contains("<th scope=\"row\">Django</th>")
            && figure.contains("<th scope=\"row\">Flask</th>")
    );
    assert!(!html.contains("<!--chart:"), "a chart was left unrendered");
}

#[tokio::test]
async fn a_framework_profile_lists_its_releases() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/frameworks/django").await;
    assert_eq!(200, status);
    assert!(html.contains("<th scope=\"row\">5.2 LTS</th>"), "{html}");
    assert!(html.contains("<time datetime=\"2028-04-30\">"), "{html}");
}

#[tokio::test]
async fn glance_cells_and_verdicts_render_inline_markdown_in_a_table_that_reflows() {
    let app = crate::helpers::spawn_app_with(&crate::helpers::root().join("content")).await;
    let (_, html) = app.get_text("/topics/security").await;
    let table = &html[html
        .find("<table class=\"glance reflow\" role=\"table\">")
        .expect("a reflowing glance table")..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(table.contains("<code>CsrfViewMiddleware</code>"), "{table}");
    assert!(
        !table.contains('`'),
        "no raw backticks in a glance cell: {table}"
    );
    assert!(table.contains("<td data-label=\"Django\">"), "{table}");
    // Rows and cells have their roles natively; written out, they are invalid HTML.
    for role in ["row", "rowheader", "columnheader", "cell"] {
        assert!(
            !table.contains(&format!(" role=\"{role}\"")),
            "role=\"{role}\" in {table}"
        );
    }
}

/// Every JSON-LD block of `html`, parsed.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|rest| {
            let block = &rest[..rest.find("</script>").expect("a closed script")];
            serde_json::from_str(block).unwrap_or_else(|e| panic!("not JSON ({e}): {block}"))
        })
        .collect()
}

#[tokio::test]
async fn structured_data_describes_articles_the_faq_and_breadcrumbs() {
    let app = crate::helpers::spawn_app_with(&crate::helpers::root().join("content")).await;
    let of_type =
        |blocks: &[serde_json::Value], t: &str| blocks.iter().find(|b| b["@type"] == t).cloned();
    let (_, home) = app.get_text("/").await;
    assert!(
        of_type(&json_ld(&home), "BreadcrumbList").is_none(),
        "home has no breadcrumb"
    );
    for path in ["/topics/security", "/frameworks/flask"] {
        let (_, html) = app.get_text(path).await;
        let blocks = json_ld(&html);
        let article =
            of_type(&blocks, "TechArticle").unwrap_or_else(|| panic!("{path}: no TechArticle"));
        for field in ["headline", "description", "dateModified"] {
            assert!(
                article[field].as_str().is_some_and(|s| !s.is_empty()),
                "{path}: {field}"
            );
        }
        // The page's own `updated` date from its front matter, whatever the latest review was.
        let source = std::fs::read_to_string(
            crate::helpers::root()
                .join("content")
                .join(format!("{}.md", &path[1..])),
        )
        .unwrap();
        let updated = source
            .lines()
            .find_map(|l| l.strip_prefix("updated = "))
            .expect("an updated date")
            .trim();
        assert_eq!(article["dateModified"], updated, "{path}: the review date");
        assert_eq!(article["publisher"]["@type"], "Organization");
        let crumbs =
            of_type(&blocks, "BreadcrumbList").unwrap_or_else(|| panic!("{path}: no breadcrumb"));
        let items = crumbs["itemListElement"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0]["position"], 1);
        assert!(items[1]["item"].as_str().unwrap().ends_with(path));
    }
    let (_, faq) = app.get_text("/faq").await;
    let page = of_type(&json_ld(&faq), "FAQPage").expect("the FAQ page");
    let questions = page["mainEntity"].as_array().unwrap();
    assert!(questions.len() >= 12, "{} questions", questions.len());
    for q in questions {
        assert_eq!(q["@type"], "Question");
        assert!(q["name"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(q["acceptedAnswer"]["text"]
            .as_str()
            .is_some_and(|s| s.len() > 20));
    }
}

/// Served on another port without --base-url, a site whose site.toml names this machine links
/// to the address it is bound to, so a local run's canonical, share and permalink links work.
#[tokio::test]
async fn a_local_base_url_follows_the_port_the_server_is_bound_to() {
    let dir = crate::helpers::fixture_copy("valid", |site| {
        site.replace("https://versus.example", "http://127.0.0.1:8080")
    });
    let app = crate::helpers::spawn_app_with(dir.path()).await;
    assert!(
        !app.address.ends_with(":8080"),
        "the test server has a port of its own"
    );
    let (status, topic) = app.get_text("/topics/alpha").await;
    assert_eq!(200, status);
    assert!(
        topic.contains(&format!(
            r#"<link rel="canonical" href="{}/topics/alpha">"#,
            app.address
        )),
        "{topic}"
    );
    let answers = crate::helpers::answers_json();
    let json: serde_json::Value = app
        .post_json("/api/recommend", serde_json::json!({ "answers": answers }))
        .await
        .json()
        .await
        .unwrap();
    let permalink = json["permalink"].as_str().unwrap_or_default();
    assert!(
        permalink.starts_with(&format!("{}/recommendation?", app.address)),
        "{json}"
    );
}
