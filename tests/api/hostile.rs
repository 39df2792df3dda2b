//! Hostile requests sent as raw bytes, so nothing in a client library tidies them first:
//! oversized and too many headers, very long URLs, traversal and unicode slugs, broken encodings
//! in paths and query strings. Each gets a 4xx, never a 5xx, and the server keeps serving.

use crate::helpers::{spawn_app, Raw, TestApp};

async fn get(app: &TestApp, target: &str) -> Raw {
    app.raw(format!("GET {target} HTTP/1.1\r\nHost: localhost").as_bytes())
        .await
}

/// The server still answers a normal request over a new connection.
async fn assert_still_serving(app: &TestApp, after: &str) {
    let (status, body) = app.get_text("/healthz").await;
    assert_eq!(200, status, "after {after}");
    assert!(!body.is_empty(), "after {after}");
}

#[tokio::test]
async fn an_oversized_request_head_gets_431_and_the_server_keeps_serving() {
    let app = spawn_app().await;
    let many: String = (0..200).map(|i| format!("\r\nX-Header-{i}: v")).collect();
    // actix-http reads at most 128 KiB of request head and 96 headers; past either it answers
    // 431 and closes. Within those, the site's own limit (routes::MAX_HEADER_BYTES, 16 KiB)
    // answers 431 with the security headers and a message.
    let cases = [
        (
            "a 256 KiB header",
            format!("Cookie: {}", "a".repeat(256 * 1024)),
            431,
        ),
        ("200 headers", format!("X-First: v{many}"), 431),
        (
            "a 64 KiB header",
            format!("Cookie: {}", "a".repeat(64 * 1024)),
            431,
        ),
        (
            "17 KiB of headers in small ones",
            (0..17)
                .map(|i| format!("X-Part-{i}: {}", "b".repeat(1000)))
                .collect::<Vec<_>>()
                .join("\r\n"),
            431,
        ),
        (
            "a 12 KiB cookie, within the limit",
            format!("Cookie: {}", "a".repeat(12 * 1024)),
            200,
        ),
    ];
    for (what, header, expected) in cases {
        let head = format!("GET / HTTP/1.1\r\nHost: localhost\r\n{header}");
        let response = app.raw(head.as_bytes()).await;
        assert_eq!(expected, response.status, "for {what}");
        assert_still_serving(&app, what).await;
    }
}

#[tokio::test]
async fn a_very_long_url_gets_400_and_a_long_one_its_usual_answer() {
    let app = spawn_app().await;
    let huge = "a".repeat(100_000);
    // Over 64 KiB a request target is not a valid URI to actix: 400 before any route runs.
    for target in [
        format!("/topics/{huge}"),
        format!("/static/{huge}"),
        format!("/{huge}"),
        format!("/recommend?building={huge}"),
        format!("/recommendation?{huge}"),
        format!("/recommendation.md?building={huge}"),
        format!("/api/recommend?building={huge}"),
    ] {
        let response = get(&app, &target).await;
        assert_eq!(400, response.status, "GET {}…", &target[..20]);
        assert_still_serving(&app, &target[..20]).await;
    }
    // 8 KB is long but legal: each route gives the answer it gives any unknown input.
    let long = "a".repeat(8_000);
    let cases = [
        (format!("/topics/{long}"), 404, "<h1>Page not found</h1>"),
        (
            format!("/static/{long}.css"),
            404,
            "<h1>Page not found</h1>",
        ),
        (format!("/recommend?building={long}"), 200, "<form"),
        (
            format!("/recommendation?building={long}"),
            422,
            "is not one of the options",
        ),
        (
            format!("/recommendation.md?{long}=x"),
            422,
            "There is no question",
        ),
        (
            format!("/api/recommend?building={long}"),
            422,
            r#""field":"building""#,
        ),
        (
            format!(
                "/recommendation?{}",
                "building=site&building=api&".repeat(300)
            ),
            422,
            "Choose only one answer",
        ),
    ];
    for (target, status, says) in cases {
        let response = get(&app, &target).await;
        assert_eq!(status, response.status, "GET {}…", &target[..30]);
        assert!(
            response.text.contains(says),
            "GET {}…: no {says:?}",
            &target[..30]
        );
        assert!(
            !response.text.contains(&long),
            "GET {}…: echoed 8 KB of input",
            &target[..30]
        );
    }
}

#[tokio::test]
async fn traversal_and_unicode_slugs_find_nothing() {
    let app = spawn_app().await;
    let home = get(&app, "/").await;
    let stylesheet = crate::helpers::attribute_values(&home.text, "href")
        .into_iter()
        .find(|href| href.starts_with("/static/") && href.ends_with(".css"))
        .expect("the home page links its stylesheet")
        .to_owned();
    assert_eq!(200, get(&app, &stylesheet).await.status, "GET {stylesheet}");
    let not_found = [
        "/static/../Cargo.toml".to_owned(),
        "/static/../../../../etc/passwd".to_owned(),
        "/static/%2e%2e/Cargo.toml".to_owned(),
        "/static/%2e%2e%2fCargo.toml".to_owned(),
        "/static/..%2f..%2fCargo.toml".to_owned(),
        "/static/%252e%252e%252fCargo.toml".to_owned(),
        "/static/..%5cCargo.toml".to_owned(),
        "/static/..\\Cargo.toml".to_owned(),
        "/static/%00".to_owned(),
        "/static/style.css%00.png".to_owned(),
        "/static//etc/passwd".to_owned(),
        format!("{stylesheet}/../../Cargo.toml"),
        format!("{stylesheet}%2f..%2f..%2fCargo.toml"),
        "/static/".to_owned(),
        "/topics/..".to_owned(),
        "/topics/../Cargo.toml".to_owned(),
        "/topics/%2e%2e%2f%2e%2e%2fsrc%2fmain.rs".to_owned(),
        "/topics/%c0%ae%c0%ae/Cargo.toml".to_owned(),
        "/topics/caf%C3%A9".to_owned(),
        "/topics/%F0%9F%A6%80".to_owned(),
        "/topics/%E2%80%AEalpha".to_owned(),
        "/topics/alph%CE%B1".to_owned(),
        "/topics/%ff%fe".to_owned(),
        "/topics/%zz".to_owned(),
        "/topics/%".to_owned(),
        "/frameworks/%2e%2e".to_owned(),
        "//etc/passwd".to_owned(),
        "//evil.example/".to_owned(),
    ];
    for target in &not_found {
        let response = get(&app, target).await;
        assert_eq!(404, response.status, "GET {target}");
        assert!(
            response.text.contains("<h1>Page not found</h1>"),
            "GET {target}"
        );
        assert!(!response.text.contains("[package]"), "GET {target}");
    }
    // Raw non-ASCII bytes are not a valid request target at all.
    for target in [
        "/topics/café",
        "/topics/\u{1F980}",
        "/static/\u{202E}ssc.elyts",
    ] {
        let response = get(&app, target).await;
        assert_eq!(400, response.status, "GET {target}");
    }
    // The canonical-slash redirect only ever leads to a page of this site.
    let response = get(&app, "/topics/alpha/?next=//evil.example").await;
    assert_eq!(301, response.status);
    assert!(
        response
            .text
            .contains("\r\nlocation: /topics/alpha?next=//evil.example\r\n"),
        "{}",
        response.text
    );
}

#[tokio::test]
async fn broken_encodings_in_query_strings_get_the_routes_own_answer() {
    let app = spawn_app().await;
    for query in [
        "building=%zz",
        "building=%ff%fe",
        "%",
        "building=%E9&admin=yes",
    ] {
        let form = get(&app, &format!("/recommend?{query}")).await;
        assert_eq!(
            200, form.status,
            "GET /recommend?{query}: the form, unfilled"
        );
        assert!(form.text.contains("<form"), "GET /recommend?{query}");
        let page = get(&app, &format!("/recommendation?{query}")).await;
        assert_eq!(422, page.status, "GET /recommendation?{query}");
        assert!(
            page.text.contains("not readable"),
            "GET /recommendation?{query}"
        );
        let record = get(&app, &format!("/recommendation.md?{query}")).await;
        assert_eq!(422, record.status, "GET /recommendation.md?{query}");
        assert!(
            record.text.contains("not readable"),
            "GET /recommendation.md?{query}"
        );
        let api = get(&app, &format!("/api/recommend?{query}")).await;
        assert_eq!(422, api.status, "GET /api/recommend?{query}");
        assert!(
            api.text.contains("application/json"),
            "GET /api/recommend?{query}"
        );
    }
}

#[tokio::test]
async fn markup_in_answers_is_escaped_wherever_it_is_echoed() {
    let app = spawn_app().await;
    let value = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";
    let key = "%22%3E%3Csvg%20onload%3Dalert(1)%3E";
    let query = format!("building={value}&{key}=1&admin=yes");
    let page = get(&app, &format!("/recommendation?{query}")).await;
    assert_eq!(422, page.status);
    assert!(
        !page.text.contains("<script>alert(1)") && !page.text.contains("<svg"),
        "the page echoed markup:\n{}",
        page.text
    );
    assert!(
        page.text.contains("&lt;script&gt;alert(1)"),
        "{}",
        page.text
    );
    // The decision record echoes the answers as they were, as plain text a browser won't sniff.
    let record = get(&app, &format!("/recommendation.md?{query}")).await;
    assert_eq!(422, record.status);
    assert!(record
        .text
        .contains("\r\ncontent-type: text/plain; charset=utf-8\r\n"));
    assert!(record
        .text
        .contains("\r\nx-content-type-options: nosniff\r\n"));
    let posted = app
        .client
        .post(format!("{}/recommend", app.address))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(query.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(422, posted.status().as_u16());
    let page = posted.text().await.unwrap();
    assert!(!page.contains("<script>alert(1)") && !page.contains("<svg"));
    assert!(page.contains("&lt;script&gt;alert(1)"), "{page}");
}

#[tokio::test]
async fn a_forged_host_header_does_not_reach_the_page() {
    let app = spawn_app().await;
    let head = "GET / HTTP/1.1\r\nHost: evil.example\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: http";
    let response = app.raw(head.as_bytes()).await;
    assert_eq!(200, response.status);
    assert!(response.text.contains(r#"<link rel="canonical" href="#));
    assert!(!response.text.contains("evil.example"));
}

#[tokio::test]
async fn the_sites_own_header_limit_answers_431_with_its_headers_and_a_reason() {
    let app = spawn_app().await;
    let head = format!(
        "GET /topics/alpha HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: {}",
        "a".repeat(20 * 1024)
    );
    let response = app.raw(head.as_bytes()).await;
    assert_eq!(431, response.status);
    let text = response.text.to_ascii_lowercase();
    assert!(
        text.contains("content-security-policy: default-src 'none'"),
        "{text}"
    );
    assert!(text.contains("x-request-id: "), "{text}");
    assert!(text.contains("this site accepts at most 16384"), "{text}");
}
