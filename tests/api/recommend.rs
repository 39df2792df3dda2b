//! The questionnaire, the recommendation page, the permalink, the decision record, the JSON API
//! and the CLI: every way in, every way to get it wrong, and all of them agreeing.

use std::path::Path;

use serde_json::{json, Value};

use crate::helpers::{fixture, root, spawn_app, spawn_app_with, TestApp};

use crate::helpers::ANSWERS as VALID;

/// The version of the valid fixture's questionnaire, which its permalinks carry.
fn fixture_version() -> String {
    let content = versus::content::load(&fixture("valid")).expect("the fixture loads");
    versus::content::questionnaire::version(&content.questionnaire)
}

async fn post_form(app: &TestApp, body: impl Into<reqwest::Body>) -> (u16, String) {
    let response = app
        .client
        .post(format!("{}/recommend", app.address))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn the_form_has_a_fieldset_and_legend_per_question_and_marks_optional_ones() {
    let app = spawn_app().await;
    let (status, body) = app.get_text("/recommend").await;
    assert_eq!(200, status);
    assert_eq!(12, body.matches("<fieldset").count());
    assert_eq!(12, body.matches("<legend>").count());
    assert!(
        body.contains(
            r#"<legend>How big is the team? <span class="optional">(optional)</span></legend>"#
        ),
        "{body}"
    );
    assert!(body.contains(r#"<input class="choice-input" id="q-needs-auth" name="needs" type="checkbox" value="auth">"#));
    assert!(body.contains(r#"<input class="choice-input" id="q-building-site" name="building" type="radio" value="site">"#));
    assert!(body
        .contains(r#"<label class="choice-label" for="q-building-site">A content site</label>"#));
    assert!(body.contains(r#"<p class="hint" id="q-building-hint">Hint for building.</p>"#));
    assert!(body.contains(r#"<form method="post" action="/recommend""#));
    assert!(!body.contains("error-summary"));
}

#[tokio::test]
async fn change_your_answers_pre_fills_the_form() {
    let app = spawn_app().await;
    let (status, body) = app
        .get_text("/recommend?building=api&needs=auth&needs=orm&nonsense=1")
        .await;
    assert_eq!(200, status);
    assert!(
        body.contains(r#"id="q-building-api" name="building" type="radio" value="api" checked>"#)
    );
    assert!(
        body.contains(r#"id="q-needs-auth" name="needs" type="checkbox" value="auth" checked>"#)
    );
    assert!(body.contains(r#"id="q-needs-orm" name="needs" type="checkbox" value="orm" checked>"#));
    assert!(!body.contains(r#"value="site" checked"#));
    assert!(
        !body.contains("error-summary"),
        "pre-filling never shows errors"
    );
}

#[tokio::test]
async fn a_valid_submission_gets_the_recommendation_page() {
    let app = spawn_app().await;
    let (status, body) = post_form(&app, VALID).await;
    assert_eq!(200, status, "{body}");
    assert!(body.contains("<h1>Django</h1>"));
    assert!(
        body.contains("Django is the clear choice for your answers: 12 points to Flask’s 1."),
        "{body}"
    );
    // Points, not shares: the leader's bar is full and no percentage is shown.
    assert!(
        body.contains(r#"<rect class="bar-fill" width="100" height="10"></rect></svg> 12</span>"#)
    );
    assert!(body.contains(r#"<rect class="bar-fill" width="8" height="10"></rect></svg> 1</span>"#));
    assert!(!body.contains("92.3"), "{body}");
    assert!(body.contains(r#"<p class="eyebrow">Recommendation · strong</p>"#));
    assert!(body.contains(r#"<li><strong>What are you building?</strong> A content site (+3). Why building site. <a href="/topics/alpha#setup">Evidence</a></li>"#));
    let query = VALID.replace('&', "&amp;");
    assert!(
        body.contains(&format!(
            r#"href="/recommend?{query}">Change your answers</a>"#
        )),
        "{body}"
    );
    // One short link; the absolute address (on the configured base URL) is what "Copy link" copies.
    let v = fixture_version();
    assert!(body.contains(&format!(
        r#"href="/recommendation?{query}&amp;v={v}" data-copy="https://versus.example/recommendation?{query}&amp;v={v}">Link to this result</a>"#
    )));
    assert!(body.contains(&format!(r#"href="/recommendation.md?{query}" download="versus-decision-record.md">Download decision record</a>"#)));
}

#[tokio::test]
async fn a_toss_up_names_no_winner_and_lists_what_would_decide_it() {
    let app = spawn_app().await;
    let (status, body) = post_form(&app, "building=api&admin=unsure&team=large&needs=realtime&q5=c&q6=c&q7=c&q8=c&q9=c&q10=c&q11=c&q12=c").await;
    assert_eq!(200, status, "{body}");
    assert!(body.contains("<h1>A toss-up</h1>"), "{body}");
    assert!(
        body.contains("It’s a toss-up: Django 3 points, Flask 3."),
        "{body}"
    );
    assert!(
        body.contains(
            "Answering “What are you building?” with “A content site” would make it Django."
        ),
        "{body}"
    );
}

#[tokio::test]
async fn every_bad_submission_gets_422_with_a_summary_linking_to_the_field_and_keeps_valid_answers()
{
    let app = spawn_app().await;
    let rest = "q5=a&q6=a&q7=b&q8=a&q9=a&q10=a&q11=c&q12=a&needs=auth";
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "missing required answer",
            format!("admin=yes&{rest}").into_bytes(),
            "#q-building-site",
            "Select what you are building</a>",
        ),
        (
            "unknown question",
            format!("building=site&admin=yes&colour=red&{rest}").into_bytes(),
            "#questions",
            "There is no question `colour`",
        ),
        (
            "unknown option",
            format!("building=castle&admin=yes&{rest}").into_bytes(),
            "#q-building-site",
            "“castle” is not one of the options",
        ),
        (
            "two values for a single question",
            format!("building=site&building=api&admin=yes&{rest}").into_bytes(),
            "#q-building-site",
            "Choose only one answer",
        ),
        (
            "bad percent-encoding",
            format!("building=%zz&admin=yes&{rest}").into_bytes(),
            "#q-building-site",
            "not readable",
        ),
        (
            "non-UTF-8",
            [b"building=\xff\xfe&admin=yes&".as_slice(), rest.as_bytes()].concat(),
            "#q-building-site",
            "not readable",
        ),
    ];
    for (what, body, target, message) in cases {
        let (status, page) = post_form(&app, body).await;
        assert_eq!(422, status, "when the submission had a {what}");
        assert!(
            page.contains(r#"<div class="error-summary" id="error-summary" role="alert""#),
            "when the submission had a {what}"
        );
        assert!(
            page.contains(&format!(r#"<li><a href="{target}">"#)),
            "when the submission had a {what}: no link to {target}\n{page}"
        );
        assert!(
            page.contains(message),
            "when the submission had a {what}: no `{message}`"
        );
        assert!(
            page.contains("<title>Error: "),
            "when the submission had a {what}"
        );
        assert!(
            page.contains(r#"value="auth" checked>"#),
            "when the submission had a {what}: the valid answer was lost"
        );
        assert!(
            page.contains(r#"id="q-q7-b" name="q7" type="radio" value="b" checked>"#),
            "when the submission had a {what}"
        );
    }
    // The message also sits beside the field.
    let (_, page) = post_form(&app, format!("admin=yes&{rest}")).await;
    assert!(page.contains(r#"<p class="error-message" id="q-building-error"><span class="visually-hidden">Error:</span> Select what you are building</p>"#));
    assert!(page.contains(r#"aria-describedby="q-building-hint q-building-error""#));
}

#[tokio::test]
async fn an_oversized_or_mistyped_submission_gets_its_own_page() {
    let app = spawn_app().await;
    let (status, page) = post_form(&app, format!("{VALID}&pad={}", "x".repeat(20_000))).await;
    assert_eq!(413, status);
    assert!(page.contains("<h1>Your answers were too large</h1>"));
    let response = app
        .client
        .post(format!("{}/recommend", app.address))
        .header("Content-Type", "text/plain")
        .body(VALID)
        .send()
        .await
        .unwrap();
    assert_eq!(415, response.status().as_u16());
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("<h1>This form submission was not understood</h1>"));
}

#[tokio::test]
async fn the_permalink_and_the_decision_record_repeat_the_recommendation() {
    let app = spawn_app().await;
    let (status, page) = app.get_text(&format!("/recommendation?{VALID}")).await;
    assert_eq!(200, status);
    assert!(page.contains("<h1>Django</h1>"));
    assert!(
        page.contains(&format!(
            "<link rel=\"canonical\" href=\"https://versus.example/recommendation?{}&amp;v={}\">",
            VALID.replace('&', "&amp;"),
            fixture_version()
        )),
        "{page}"
    );
    let response = app.get(&format!("/recommendation.md?{VALID}")).await;
    assert_eq!(200, response.status().as_u16());
    assert_eq!(
        response.headers()["content-type"],
        "text/markdown; charset=utf-8"
    );
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let md = response.text().await.unwrap();
    assert!(md.starts_with("---\nstatus: proposed\ndate: "), "{md}");
    assert!(
        md.contains("\n# Use Django for our web application\n"),
        "{md}"
    );
    for part in ["## Context and Problem Statement", "* What are you building?: A content site", "## Decision Drivers", "* What are you building?: A content site (+3 for Django). Why building site. [Evidence](https://versus.example/topics/alpha#setup)", "## Considered Options\n\n* Django\n* Flask\n", "## Decision Outcome\n\nChosen option: \"Django\", because", "### Consequences", "* Good, because why building site (Django, [evidence](https://versus.example/topics/alpha#setup))", "## More Information", "content reviewed 2026-03-05"] {
        assert!(md.contains(part), "the record lacks `{part}`:\n{md}");
    }
    let (status, page) = app.get_text("/recommendation?building=castle").await;
    assert_eq!(422, status);
    assert!(page.contains("error-summary"));
    let (status, text) = app.get_text("/recommendation.md?building=castle").await;
    assert_eq!(422, status);
    assert!(
        text.contains("building: “castle” is not one of the options"),
        "{text}"
    );
}

#[tokio::test]
async fn the_api_describes_the_questionnaire_with_the_form_ids() {
    let app = spawn_app().await;
    let response = app.get("/api/questionnaire").await;
    assert_eq!(200, response.status().as_u16());
    assert_eq!(response.headers()["content-type"], "application/json");
    let json: Value = response.json().await.unwrap();
    let questions = json["questions"].as_array().unwrap();
    assert_eq!(12, questions.len());
    assert_eq!(
        questions[0],
        json!({"id": "building", "prompt": "What are you building?", "help": "Hint for building.", "kind": "single", "required": true,
               "options": [{"id": "site", "label": "A content site"}, {"id": "api", "label": "An API"}, {"id": "service", "label": "A small service"}]})
    );
    assert_eq!(questions[2]["kind"], "multi");
    assert_eq!(questions[2]["required"], false);
}

#[tokio::test]
async fn the_api_recommends_from_json_and_from_the_query() {
    let app = spawn_app().await;
    let answers = json!({"answers": {"building": "site", "admin": "yes", "q5": "a", "q6": "a", "q7": "b", "q8": "a", "q9": "a", "q10": "a", "q11": "c", "q12": "a"}});
    let response = app
        .client
        .post(format!("{}/api/recommend", app.address))
        .json(&answers)
        .send()
        .await
        .unwrap();
    assert_eq!(200, response.status().as_u16());
    let json: Value = response.json().await.unwrap();
    assert_eq!(json["recommendation"], "django");
    assert_eq!(json["confidence"], "strong");
    assert_eq!(
        json["scores"][0],
        json!({"framework": "django", "score": 12, "percent": 92.3})
    );
    assert_eq!(
        json["reasons"][0],
        json!({"question": "building", "option": "site", "framework": "django", "weight": 3, "fact": "building-site", "why": "Why building site.", "link": "/topics/alpha#setup"})
    );
    assert_eq!(
        json["permalink"],
        format!(
            "https://versus.example/recommendation?{VALID}&v={}",
            fixture_version()
        )
    );
    assert!(json["flips"].is_array());
    let by_query: Value = app
        .get(&format!("/api/recommend?{VALID}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json, by_query);
}

#[tokio::test]
async fn the_api_answers_bad_input_with_field_errors() {
    let app = spawn_app().await;
    let url = format!("{}/api/recommend", app.address);
    let cases: Vec<(&str, String, &str, u16, &str)> = vec![
        (
            "a missing required answer",
            json!({"answers": {"admin": "yes"}}).to_string(),
            "application/json",
            422,
            "building",
        ),
        (
            "an unknown option",
            json!({"answers": {"building": "castle"}}).to_string(),
            "application/json",
            422,
            "building",
        ),
        (
            "two values for a single question",
            json!({"answers": {"building": ["site", "api"]}}).to_string(),
            "application/json",
            422,
            "building",
        ),
        (
            "malformed JSON",
            "{\"answers\": ".to_owned(),
            "application/json",
            422,
            "body",
        ),
        (
            "an unknown top-level field",
            json!({"answers": {}, "extra": 1}).to_string(),
            "application/json",
            422,
            "body",
        ),
        (
            "a number for an answer",
            json!({"answers": {"building": 3}}).to_string(),
            "application/json",
            422,
            "body",
        ),
        (
            "deep nesting",
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
            "application/json",
            422,
            "body",
        ),
        (
            "a huge body",
            json!({"answers": {"building": "x".repeat(100_000)}}).to_string(),
            "application/json",
            413,
            "body",
        ),
        (
            "the wrong content type",
            json!({"answers": {}}).to_string(),
            "text/plain",
            415,
            "body",
        ),
    ];
    for (what, body, content_type, expected, field) in cases {
        let response = app
            .client
            .post(&url)
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            expected,
            response.status().as_u16(),
            "when the request had {what}"
        );
        let json: Value = response
            .json()
            .await
            .unwrap_or_else(|e| panic!("when the request had {what}: {e}"));
        let errors = json["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("when the request had {what}: {json}"));
        assert!(
            errors.iter().any(
                |e| e["field"] == field && e["message"].as_str().is_some_and(|m| !m.is_empty())
            ),
            "when the request had {what}: {json}"
        );
    }
    let (status, _) = app.get_text("/api/recommend?building=%zz").await;
    assert_eq!(422, status);
}

/// A deterministic stream of pseudo-random numbers for generated answer sets.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// A valid answer set drawn from the API's description of the questionnaire, as a query string.
fn random_answers(questions: &[Value], rng: &mut Lcg) -> String {
    let mut parts = Vec::new();
    for q in questions {
        let options: Vec<&str> = q["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap())
            .collect();
        let id = q["id"].as_str().unwrap();
        if q["kind"] == "single" {
            if q["required"] == true || rng.next(3) > 0 {
                parts.push(format!("{id}={}", options[rng.next(options.len())]));
            }
        } else {
            for o in options {
                if rng.next(3) == 0 {
                    parts.push(format!("{id}={o}"));
                }
            }
        }
    }
    parts.join("&")
}

fn html_outcome(page: &str) -> String {
    let h1 = page
        .split("<h1>")
        .nth(1)
        .and_then(|s| s.split("</h1>").next())
        .unwrap();
    if h1 == "A toss-up" {
        "null".into()
    } else {
        h1.to_lowercase()
    }
}

fn md_outcome(md: &str) -> String {
    let outcome = md
        .lines()
        .find_map(|l| l.strip_prefix("Chosen option: \""))
        .and_then(|rest| rest.split('"').next());
    match outcome {
        Some(name) => name.to_lowercase(),
        None => {
            assert!(md.contains("No option chosen yet. It’s a toss-up:"), "{md}");
            "null".into()
        }
    }
}

fn cli(content: &Path, query: &str, json: bool) -> String {
    let mut cmd = crate::helpers::versus();
    cmd.arg("recommend").arg("--content").arg(content);
    if json {
        cmd.arg("--json");
    }
    cmd.args(query.split('&'));
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Every way in names the same outcome for the same answers.
async fn all_agree(
    app: &TestApp,
    content: &Path,
    sets: usize,
    cli_every: usize,
    seed: u64,
) -> Vec<String> {
    let questionnaire: Value = app.get("/api/questionnaire").await.json().await.unwrap();
    let questions = questionnaire["questions"].as_array().unwrap();
    let mut rng = Lcg(seed);
    let mut outcomes = Vec::new();
    for i in 0..sets {
        let query = random_answers(questions, &mut rng);
        let api: Value = app
            .get(&format!("/api/recommend?{query}"))
            .await
            .json()
            .await
            .unwrap();
        let expected = api["recommendation"]
            .to_string()
            .trim_matches('"')
            .to_owned();
        let (status, form) = post_form(app, query.clone()).await;
        assert_eq!(200, status, "{query}");
        assert_eq!(expected, html_outcome(&form), "form vs API for {query}");
        let (_, permalink) = app.get_text(&format!("/recommendation?{query}")).await;
        assert_eq!(
            expected,
            html_outcome(&permalink),
            "permalink vs API for {query}"
        );
        let (_, md) = app.get_text(&format!("/recommendation.md?{query}")).await;
        assert_eq!(
            expected,
            md_outcome(&md),
            "decision record vs API for {query}"
        );
        let json_body = serde_json::to_string(&json!({"answers": query_to_json(&query)})).unwrap();
        let posted: Value = app
            .client
            .post(format!("{}/api/recommend", app.address))
            .header("Content-Type", "application/json")
            .body(json_body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(api, posted, "POST and GET API for {query}");
        if i % cli_every == 0 {
            // The CLI links on site.toml's base URL; a server bound elsewhere without
            // --base-url replaces a loopback one with its own address.
            let cli_text =
                cli(content, &query, true).replace("http://127.0.0.1:8080", &app.address);
            let cli_json: Value = serde_json::from_str(&cli_text).unwrap();
            assert_eq!(api, cli_json, "CLI --json vs API for {query}");
            assert_eq!(
                expected,
                md_outcome(&cli(content, &query, false)),
                "CLI vs API for {query}"
            );
        }
        outcomes.push(expected);
    }
    outcomes
}

fn query_to_json(query: &str) -> serde_json::Map<String, Value> {
    let mut map = serde_json::Map::new();
    for (k, v) in query.split('&').filter_map(|p| p.split_once('=')) {
        match map.get_mut(k) {
            Some(Value::Array(list)) => list.push(json!(v)),
            Some(existing) => *existing = json!([existing.clone(), v]),
            None => {
                map.insert(k.to_owned(), json!(v));
            }
        }
    }
    map
}

#[tokio::test]
async fn form_permalink_record_api_and_cli_agree_on_generated_answers() {
    let content = fixture("valid");
    let app = spawn_app_with(&content).await;
    let outcomes = all_agree(&app, &content, 120, 30, 7).await;
    assert!(
        outcomes.iter().any(|o| o == "django") && outcomes.iter().any(|o| o == "flask"),
        "{outcomes:?}"
    );
}

#[tokio::test]
async fn the_bundled_questionnaire_leads_to_both_frameworks_and_all_ways_agree() {
    let content = root().join("content");
    let app = spawn_app_with(&content).await;
    let outcomes = all_agree(&app, &content, 150, 50, 42).await;
    let count = |o: &str| outcomes.iter().filter(|x| *x == o).count();
    assert!(
        count("django") > 0 && count("flask") > 0,
        "django {}, flask {}, toss-up {}",
        count("django"),
        count("flask"),
        count("null")
    );
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route_with_its_schemas() {
    let app = spawn_app().await;
    let response = app.get("/api/openapi.json").await;
    assert_eq!(200, response.status().as_u16());
    assert_eq!(response.headers()["content-type"], "application/json");
    let doc: Value = response.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for (path, method) in [
        ("/api/questionnaire", "get"),
        ("/api/recommend", "get"),
        ("/api/recommend", "post"),
        ("/api/teams", "post"),
        ("/api/teams/{team}", "get"),
        ("/api/teams/{team}/answers", "post"),
    ] {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} is not described");
        assert!(
            op["responses"]["200"].is_object() || op["responses"]["201"].is_object(),
            "{method} {path} has no success response"
        );
    }
    // The schemas are the Rust types: a recommendation has the fields the API sends.
    let rec = &doc["components"]["schemas"]["Recommendation"]["properties"];
    for field in ["recommendation", "confidence", "scores", "reasons", "flips"] {
        assert!(rec[field].is_object(), "Recommendation.{field}");
    }
    assert!(doc["components"]["schemas"]["Errors"].is_object());
}

/// A posted recommendation names its own address: `Content-Location` is its permalink, which
/// answers the same result on its own (the page puts it in the address bar).
#[tokio::test]
async fn a_posted_recommendation_names_its_permalink_in_content_location() {
    let app = crate::helpers::spawn_app().await;
    let response = app.post_form("/recommend", crate::helpers::ANSWERS).await;
    assert_eq!(200, response.status().as_u16());
    let location = response.headers()["content-location"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(location.starts_with("/recommendation?"), "{location}");
    let posted = response.text().await.unwrap();
    assert!(posted.contains(&format!(
        "data-permalink=\"{}\"",
        location.replace('&', "&amp;")
    )));
    let (status, linked) = app.get_text(&location).await;
    assert_eq!(200, status);
    let h1 = |html: &str| html[html.find("<h1>").unwrap()..html.find("</h1>").unwrap()].to_owned();
    assert_eq!(
        h1(&posted),
        h1(&linked),
        "the permalink shows the same result"
    );
}

#[tokio::test]
async fn the_form_reads_as_named_steps_and_says_once_what_is_required() {
    let app = spawn_app().await;
    let (status, body) = app.get_text("/recommend").await;
    assert_eq!(200, status);
    assert!(
        body.contains(r#"<nav class="steps-progress" aria-label="Steps of the questionnaire">"#)
    );
    assert!(body.contains(
        r##"<li><a href="#step-1">The project</a> <span class="meta">(4 questions)</span></li>"##
    ));
    assert!(body.contains(r#"<h2 class="step-title" id="step-1"><span class="step-count">Step 1 of 2</span> The project</h2>"#));
    assert!(body.contains(r#"<h2 class="step-title" id="step-2"><span class="step-count">Step 2 of 2</span> Everything else</h2>"#));
    assert_eq!(2, body.matches(r#"<section class="step""#).count());
    // Ten of the fixture's twelve are required, so the two optional ones are marked.
    assert!(body.contains("Every question needs an answer except those marked “optional”"));
    assert_eq!(2, body.matches("(optional)").count());
    // The form says "select all that apply" once, before the question's own hint.
    assert!(body.contains(
        r#"<p class="hint" id="q-needs-hint">Select all that apply. Hint for needs.</p>"#
    ));
    assert_eq!(1, body.matches("Select all that apply").count());
}

/// The bundled questionnaire keeps the intro's word: one question needs an answer, and every
/// other one can be left out without an error.
#[tokio::test]
async fn the_bundled_form_needs_one_answer_and_takes_any_other_subset() {
    let app = spawn_app_with(&root().join("content")).await;
    let (_, form) = app.get_text("/recommend").await;
    assert!(form.contains("Only the question marked “required” needs an answer."));
    assert_eq!(
        1,
        form.matches(r#"<span class="optional">(required)</span>"#)
            .count()
    );
    assert!(!form.contains("(optional)"), "no question is marked twice");
    assert!(!form.contains("Optional."), "no hint repeats the mark");
    assert!(!form.contains("Tick all that apply"));
    assert_eq!(4, form.matches(r#"<span class="step-count">"#).count());

    // Nothing at all: one error, which says what to do.
    let (status, page) = post_form(&app, "").await;
    assert_eq!(422, status);
    let summary = &page[page.find("error-summary").unwrap()..];
    let summary = &summary[..summary.find("</ul>").unwrap()];
    assert_eq!(1, summary.matches("<li>").count(), "{summary}");
    assert!(summary
        .contains(r##"<a href="#q-building-content-site">Select what you are building</a>"##));
    let (status, json) = {
        let response = app
            .client
            .post(format!("{}/api/recommend", app.address))
            .json(&json!({"answers": {}}))
            .send()
            .await
            .unwrap();
        (
            response.status().as_u16(),
            response.json::<Value>().await.unwrap(),
        )
    };
    assert_eq!(422, status);
    assert_eq!(json["errors"][0]["message"], "Select what you are building");

    // Only the required answer: a result that lists what added nothing and what was skipped.
    let (status, page) = post_form(&app, "building=mvp").await;
    assert_eq!(200, status, "{page}");
    assert!(page.contains("<h1>A toss-up</h1>"));
    assert!(page.contains(r#"<h2 id="no-points">Answers that added no points</h2>"#));
    assert!(page.contains("<li><strong>What are you building?</strong> An MVP or prototype to test an idea. Both are quick to start;"), "{page}");
    assert!(page.contains(
        "Left unanswered, so adding nothing: “How large do you expect the application to become?”;"
    ));
    let response = app.get("/api/recommend?building=mvp&size=small").await;
    assert_eq!(200, response.status().as_u16());
}

/// A lead that one changed answer would unseat is called fragile on the page, whatever its
/// margin, while the JSON API keeps the margin's label as contracted.
#[tokio::test]
async fn a_strong_margin_that_one_answer_can_unseat_reads_as_a_fragile_lead() {
    let app = spawn_app().await;
    let answers = "building=site&admin=unsure&q5=a&q6=c&q7=c&q8=c&q9=c&q10=c&q11=c&q12=c";
    let json: Value = app
        .get(&format!("/api/recommend?{answers}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json["recommendation"], "django");
    assert_eq!(json["confidence"], "strong");
    assert_eq!(json["scores"][0]["percent"], 100.0);
    let (status, page) = app.get_text(&format!("/recommendation?{answers}")).await;
    assert_eq!(200, status);
    assert!(
        page.contains(r#"<p class="eyebrow">Recommendation · fragile lead</p>"#),
        "{page}"
    );
    assert!(
        page.contains("Django leads for your answers, 4 points to Flask’s 0, but changing a single answer would make it a toss-up or Flask."),
        "{page}"
    );
    assert!(!page.contains("clear choice"));
    assert!(
        page.contains("Answering “What are you building?” with “An API” would make it a toss-up.")
    );
    // The answers that scored nothing, each with its reason.
    assert!(
        page.contains(
            "<li><strong>Do editors need a back office?</strong> Not sure. Why admin unsure.</li>"
        ),
        "{page}"
    );
}

/// An example's result names the example, found by its answers, so the permalink stays as it is.
#[tokio::test]
async fn an_example_result_names_its_example_and_an_edited_one_does_not() {
    let app = spawn_app_with(&root().join("content")).await;
    let (_, form) = app.get_text("/recommend").await;
    let end = form.find(r#"">A two-person SaaS MVP</a>"#).unwrap();
    let start = form[..end].rfind(r#"href=""#).unwrap() + 6;
    let href = form[start..end].replace("&amp;", "&");
    assert!(href.starts_with("/recommendation?building=mvp&"), "{href}");
    let (status, page) = app.get_text(&href).await;
    assert_eq!(200, status);
    assert!(
        page.contains(r#"<p class="example-note meta">For the example “A two-person SaaS MVP”: "#)
    );
    assert!(
        page.contains("<title>A two-person SaaS MVP: Django"),
        "{page}"
    );
    // The SaaS example's lead is one that single changes unseat, and the page says so.
    assert!(page.contains("Recommendation · fragile lead"));
    assert!(page.contains("Django leads for your answers,"), "{page}");
    assert!(
        page.contains("but changing your answer to any one of "),
        "{page}"
    );
    assert!(page.contains("An MVP or prototype to test an idea. Both are quick to start"));
    let edited = href.replace("size=small", "size=medium");
    let (status, page) = app.get_text(&edited).await;
    assert_eq!(200, status);
    assert!(!page.contains("example-note"));
}

/// A permalink carries the questionnaire version it was made with. Opened with today's
/// version it says nothing more; opened with one kept in the history it shows the result those
/// answers gave then, worked out from the kept questionnaire, beside today's; opened with one
/// the site never had, it says it can show today's result only.
#[tokio::test]
async fn a_permalink_made_before_a_questionnaire_change_shows_both_results() {
    let app = spawn_app_with(&root().join("content")).await;
    // An answer set whose result moved with the change of the 1ac2b3b1 questionnaire.
    let answers = "building=model-serving&size=not-sure&lifetime=not-sure&team=small-team&experience=new&admin=custom&data=not-sure&auth=none&interface=not-sure&languages=content&deadline=weeks-small&components=no-preference&typing=strict&security=high-with-owner&hosting=own-server";
    let response = app.post_form("/recommend", answers).await;
    let location = response.headers()["content-location"]
        .to_str()
        .unwrap()
        .to_owned();
    let today = location.rsplit("&v=").next().unwrap().to_owned();
    assert_eq!(8, today.len(), "{location}");
    let (_, current) = app.get_text(&location).await;
    assert!(!current.contains("id=\"made-with\""));

    let (status, old) = app
        .get_text(&format!("/recommendation?{answers}&v=1ac2b3b1"))
        .await;
    assert_eq!(200, status);
    let note = &old[old.find("id=\"made-with\"").expect("a note")..];
    let note = &note[..note.find("</div>").unwrap()];
    assert!(
        note.contains(
            "When the link was made, these answers gave a toss-up; today they give Flask (lean)."
        ),
        "{note}"
    );
    assert!(
        note.contains("href=\"/methodology#scoring-change-2026-12-07"),
        "{note}"
    );
    // The methodology page has that anchor.
    let (_, methodology) = app.get_text("/methodology").await;
    let anchor = &note[note.find("#scoring-change-").unwrap() + 1..];
    let anchor = &anchor[..anchor.find('"').unwrap()];
    assert!(
        methodology.contains(&format!("<li id=\"{anchor}\">")),
        "{anchor}"
    );
    // The page shows today's result.
    let h1 = |html: &str| html[html.find("<h1>").unwrap()..html.find("</h1>").unwrap()].to_owned();
    assert_eq!(h1(&current), h1(&old));

    let (status, unknown) = app
        .get_text(&format!("/recommendation?{answers}&v=00000000"))
        .await;
    assert_eq!(200, status);
    assert!(unknown.contains("This site no longer keeps that version"));
    // The record takes the same link.
    let (status, _) = app
        .get_text(&format!("/recommendation.md?{answers}&v=1ac2b3b1"))
        .await;
    assert_eq!(200, status);
}
