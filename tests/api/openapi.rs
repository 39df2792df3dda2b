//! The OpenAPI document against the server: every status each `/api` operation can answer is
//! provoked here, and the set provoked must be exactly the set the document lists.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{answers_json, fixture, spawn_app_on, TestApp, ANSWERS};

type Seen = BTreeMap<(String, String), BTreeSet<u16>>;

fn documented(doc: &Value) -> Seen {
    let mut listed = Seen::new();
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let statuses = operation["responses"]
                .as_object()
                .unwrap()
                .keys()
                .map(|s| s.parse().unwrap())
                .collect();
            listed.insert((method.to_uppercase(), path.clone()), statuses);
        }
    }
    listed
}

/// Sends `head` and `body` on a new connection, then (for a slow body) nothing more, and
/// returns the status the server answers with.
async fn raw_status(app: &TestApp, head: &str, body: &[u8]) -> u16 {
    let addr = app.address.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    let read = async {
        while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(40), read)
        .await
        .expect("an answer within 40 s");
    let text = String::from_utf8_lossy(&answer);
    text.get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {text:?}"))
}

/// A JSON POST whose body is cut off by a chunk size that is not hex (unreadable: 400).
fn corrupt(path: &str) -> String {
    format!("POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
}

/// A JSON POST that announces 100 bytes and sends one (too slow: 408).
fn slow(path: &str) -> String {
    format!("POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_status_the_document_lists_is_answered_and_no_other() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("teams.db").display());
    let app = spawn_app_on(&fixture("valid"), &url).await;
    app.ready().await;
    // A server whose database never answers: team routes say 503.
    let down = spawn_app_on(&fixture("valid"), "postgres://versus@127.0.0.1:1/none").await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let mut seen = Seen::new();
    let mut saw = |method: &str, path: &str, status: u16| {
        seen.entry((method.to_owned(), path.to_owned()))
            .or_default()
            .insert(status);
    };
    let post = |app: &TestApp, path: &str| app.client.post(format!("{}{path}", app.address));
    let json_body = |request: reqwest::RequestBuilder, body: String| {
        request
            .header("Content-Type", "application/json")
            .body(body)
    };
    let status = |r: reqwest::Response| r.status().as_u16();

    // GET /api/questionnaire
    let q = "/api/questionnaire";
    let first = app.get(q).await;
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    saw("GET", q, status(first));
    let again = app
        .client
        .get(format!("{}{q}", app.address))
        .header("If-None-Match", etag)
        .send()
        .await
        .unwrap();
    saw("GET", q, status(again));

    // GET and POST /api/recommend
    let r = "/api/recommend";
    saw("GET", r, status(app.get(&format!("{r}?{ANSWERS}")).await));
    saw(
        "GET",
        r,
        status(app.get(&format!("{r}?building=nope")).await),
    );
    let answers = json!({ "answers": answers_json() }).to_string();
    saw(
        "POST",
        r,
        status(
            json_body(post(&app, r), answers.clone())
                .send()
                .await
                .unwrap(),
        ),
    );
    saw("POST", r, raw_status(&app, &corrupt(r), b"").await);
    saw(
        "POST",
        r,
        status(
            json_body(post(&app, r), "x".repeat(70_000))
                .send()
                .await
                .unwrap(),
        ),
    );
    let text = post(&app, r)
        .header("Content-Type", "text/plain")
        .body("{}");
    saw("POST", r, status(text.send().await.unwrap()));
    saw(
        "POST",
        r,
        status(json_body(post(&app, r), "{".into()).send().await.unwrap()),
    );

    // POST /api/teams, and the answers and view of the decision it makes
    let t = "/api/teams";
    let created: Value = app
        .post_json(t, json!({"title": "Documented"}))
        .await
        .json()
        .await
        .unwrap();
    saw("POST", t, 201);
    let team = created["team"].as_str().unwrap().to_owned();
    let a = format!("/api/teams/{team}/answers");
    let a_doc = "/api/teams/{team}/answers";
    let v_doc = "/api/teams/{team}";
    let member = json!({"name": "Ana", "answers": answers_json()}).to_string();
    saw(
        "POST",
        a_doc,
        status(
            json_body(post(&app, &a), member.clone())
                .send()
                .await
                .unwrap(),
        ),
    );
    saw(
        "POST",
        a_doc,
        status(
            json_body(post(&app, &a), member.clone())
                .send()
                .await
                .unwrap(),
        ),
    );
    let nobody = format!("/api/teams/{}/answers", "0".repeat(32));
    saw(
        "POST",
        a_doc,
        status(
            json_body(post(&app, &nobody), member.clone())
                .send()
                .await
                .unwrap(),
        ),
    );
    saw(
        "GET",
        v_doc,
        status(app.get(&format!("/api/teams/{team}")).await),
    );
    saw(
        "GET",
        v_doc,
        status(app.get(&format!("/api/teams/{}", "0".repeat(32))).await),
    );
    for (path, doc_path, valid) in [
        (t, t, json!({"title": "T"}).to_string()),
        (&*a, a_doc, member.clone()),
    ] {
        saw(
            "POST",
            doc_path,
            raw_status(&app, &corrupt(path), b"").await,
        );
        let evil =
            json_body(post(&app, path), valid.clone()).header("Origin", "https://evil.example");
        saw("POST", doc_path, status(evil.send().await.unwrap()));
        let big = json_body(post(&app, path), "x".repeat(70_000));
        saw("POST", doc_path, status(big.send().await.unwrap()));
        let text = post(&app, path)
            .header("Content-Type", "text/plain")
            .body(valid);
        saw("POST", doc_path, status(text.send().await.unwrap()));
        saw(
            "POST",
            doc_path,
            status(
                json_body(post(&app, path), "{".into())
                    .send()
                    .await
                    .unwrap(),
            ),
        );
    }
    // A member's change and withdrawal, on a decision of their own.
    let e_doc = "/api/teams/{team}/edit/{key}";
    let other: Value = app
        .post_json(t, json!({"title": "Edited"}))
        .await
        .json()
        .await
        .unwrap();
    let other_team = other["team"].as_str().unwrap().to_owned();
    let other_organiser = other["organiser_url"].as_str().unwrap();
    let other_organiser = &other_organiser[other_organiser.find("/teams/").unwrap()..];
    let joined: Value = app
        .post_json(
            &format!("/api/teams/{other_team}/answers"),
            json!({"name": "Bo", "answers": answers_json()}),
        )
        .await
        .json()
        .await
        .unwrap();
    let edit_url = joined["edit_url"].as_str().unwrap();
    let e = format!("/api{}", &edit_url[edit_url.find("/teams/").unwrap()..]);
    let put = |app: &TestApp, path: &str| app.client.put(format!("{}{path}", app.address));
    let del = |app: &TestApp, path: &str| app.client.delete(format!("{}{path}", app.address));
    let changed = json!({"answers": answers_json(), "comment": "Changed"}).to_string();
    saw(
        "PUT",
        e_doc,
        status(
            json_body(put(&app, &e), changed.clone())
                .send()
                .await
                .unwrap(),
        ),
    );
    let wrong_member = format!("/api/teams/{other_team}/edit/{}", "0".repeat(32));
    saw(
        "PUT",
        e_doc,
        status(
            json_body(put(&app, &wrong_member), changed.clone())
                .send()
                .await
                .unwrap(),
        ),
    );
    let corrupt_put = corrupt(&e).replacen("POST", "PUT", 1);
    saw("PUT", e_doc, raw_status(&app, &corrupt_put, b"").await);
    let evil = json_body(put(&app, &e), changed.clone()).header("Origin", "https://evil.example");
    saw("PUT", e_doc, status(evil.send().await.unwrap()));
    saw(
        "PUT",
        e_doc,
        status(
            json_body(put(&app, &e), "x".repeat(70_000))
                .send()
                .await
                .unwrap(),
        ),
    );
    let text = put(&app, &e)
        .header("Content-Type", "text/plain")
        .body(changed.clone());
    saw("PUT", e_doc, status(text.send().await.unwrap()));
    saw(
        "PUT",
        e_doc,
        status(json_body(put(&app, &e), "{".into()).send().await.unwrap()),
    );
    let slow_put = slow(&e).replacen("POST", "PUT", 1);
    saw("PUT", e_doc, raw_status(&app, &slow_put, b"").await);
    saw(
        "PUT",
        e_doc,
        status(
            json_body(put(&down, &e), changed.clone())
                .send()
                .await
                .unwrap(),
        ),
    );
    let evil = del(&app, &e).header("Origin", "https://evil.example");
    saw("DELETE", e_doc, status(evil.send().await.unwrap()));
    saw(
        "DELETE",
        e_doc,
        status(del(&down, &e).send().await.unwrap()),
    );
    // Closed: neither a change nor a withdrawal, until reopened.
    let close = format!("/api{other_organiser}/close");
    let closed = app
        .post_json(&close, json!({"outcome": "none", "rationale": "Paused"}))
        .await;
    assert_eq!(200, closed.status().as_u16());
    saw(
        "PUT",
        e_doc,
        status(
            json_body(put(&app, &e), changed.clone())
                .send()
                .await
                .unwrap(),
        ),
    );
    saw("DELETE", e_doc, status(del(&app, &e).send().await.unwrap()));
    let reopened = app
        .post_json(&format!("/api{other_organiser}/reopen"), json!({}))
        .await;
    assert_eq!(200, reopened.status().as_u16());
    saw("DELETE", e_doc, status(del(&app, &e).send().await.unwrap()));
    saw("DELETE", e_doc, status(del(&app, &e).send().await.unwrap()));

    // The organiser's actions.
    let o_doc = "/api/teams/{team}/organiser/{key}/{action}";
    let organiser_url = created["organiser_url"].as_str().unwrap();
    let key = organiser_url.rsplit('/').next().unwrap().to_owned();
    let act = |action: &str| format!("/api/teams/{team}/organiser/{key}/{action}");
    let rename = json!({"title": "Renamed"}).to_string();
    saw(
        "POST",
        o_doc,
        status(
            json_body(post(&app, &act("rename")), rename.clone())
                .send()
                .await
                .unwrap(),
        ),
    );
    saw(
        "POST",
        o_doc,
        status(
            json_body(post(&app, &act("reopen")), "{}".into())
                .send()
                .await
                .unwrap(),
        ),
    );
    let wrong = format!("/api/teams/{team}/organiser/{}/rename", "0".repeat(32));
    saw(
        "POST",
        o_doc,
        status(
            json_body(post(&app, &wrong), rename.clone())
                .send()
                .await
                .unwrap(),
        ),
    );
    saw(
        "POST",
        o_doc,
        raw_status(&app, &corrupt(&act("rename")), b"").await,
    );
    let evil = json_body(post(&app, &act("rename")), rename.clone())
        .header("Origin", "https://evil.example");
    saw("POST", o_doc, status(evil.send().await.unwrap()));
    saw(
        "POST",
        o_doc,
        status(
            json_body(post(&app, &act("rename")), "x".repeat(70_000))
                .send()
                .await
                .unwrap(),
        ),
    );
    let text = post(&app, &act("rename"))
        .header("Content-Type", "text/plain")
        .body(rename.clone());
    saw("POST", o_doc, status(text.send().await.unwrap()));
    saw(
        "POST",
        o_doc,
        status(
            json_body(post(&app, &act("rename")), "{".into())
                .send()
                .await
                .unwrap(),
        ),
    );
    let slow_o = slow(&act("rename"));
    saw("POST", o_doc, raw_status(&app, &slow_o, b"").await);
    let down_o = format!("/api/teams/{team}/organiser/{key}/rename");
    saw(
        "POST",
        o_doc,
        status(
            json_body(post(&down, &down_o), rename.clone())
                .send()
                .await
                .unwrap(),
        ),
    );
    let delete = json!({"confirm": true}).to_string();
    saw(
        "POST",
        o_doc,
        status(
            json_body(post(&app, &act("delete")), delete)
                .send()
                .await
                .unwrap(),
        ),
    );
    // 503 from the server whose database is down.
    let down_member = json!({"name": "Ana", "answers": answers_json()}).to_string();
    saw(
        "POST",
        t,
        status(down.post_json(t, json!({"title": "T"})).await),
    );
    saw(
        "POST",
        a_doc,
        status(
            json_body(post(&down, &a), down_member)
                .send()
                .await
                .unwrap(),
        ),
    );
    saw(
        "GET",
        v_doc,
        status(down.get(&format!("/api/teams/{team}")).await),
    );
    // The three bodies sent too slowly, at once: each waits for the time limit.
    let (slow_r, slow_t, slow_a) = (slow(r), slow(t), slow(&a));
    let (s1, s2, s3) = tokio::join!(
        raw_status(&app, &slow_r, b""),
        raw_status(&app, &slow_t, b""),
        raw_status(&app, &slow_a, b""),
    );
    saw("POST", r, s1);
    saw("POST", t, s2);
    saw("POST", a_doc, s3);
    // Last, the rate limit on starting decisions.
    for i in 0..12 {
        let s = status(app.post_json(t, json!({"title": format!("T{i}")})).await);
        if s == 429 {
            saw("POST", t, s);
            break;
        }
    }

    let listed = documented(&doc);
    for (operation, statuses) in &listed {
        if operation.1 == "/api/openapi.json" {
            continue;
        }
        assert_eq!(
            Some(statuses),
            seen.get(operation),
            "{operation:?}: documented (left) and answered (right)"
        );
    }
    for operation in seen.keys() {
        assert!(
            listed.contains_key(operation),
            "{operation:?} is not documented"
        );
    }
}
