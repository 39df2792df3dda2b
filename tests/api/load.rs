//! Bounded load and slow clients against a server on 127.0.0.1: no 5xx, no dropped connections,
//! and trickling clients do not keep a normal one waiting.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{spawn_app, TestApp};

use crate::helpers::ANSWERS as FORM;

/// One request of the mix; returns its status, or an error for a transport failure.
async fn one(app: &TestApp, i: usize) -> Result<u16, reqwest::Error> {
    let url = |path: &str| format!("{}{path}", app.address);
    let c = &app.client;
    let response = match i % 12 {
        0 => c.get(url("/")).send().await?,
        1 => {
            c.get(url("/topics/alpha"))
                .header("Accept-Encoding", "br, gzip")
                .send()
                .await?
        }
        2 => {
            c.get(url("/topics/beta"))
                .header("If-None-Match", "\"stale\"")
                .send()
                .await?
        }
        3 => c.get(url("/compare")).send().await?,
        4 => {
            c.post(url("/recommend"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(FORM)
                .send()
                .await?
        }
        5 => {
            c.post(url("/recommend"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("building=%zz")
                .send()
                .await?
        }
        6 => {
            c.get(url(&format!("/recommendation?{FORM}")))
                .send()
                .await?
        }
        7 => {
            c.get(url(&format!("/recommendation.md?{FORM}")))
                .send()
                .await?
        }
        8 => {
            c.post(url("/api/recommend"))
                .header("Content-Type", "application/json")
                .body(r#"{"answers":{"building":"site"}}"#)
                .send()
                .await?
        }
        9 => c.get(url("/api/questionnaire")).send().await?,
        10 => c.get(url("/topics/%FF%00../../etc/passwd")).send().await?,
        _ => c.get(url("/sitemap.xml")).send().await?,
    };
    let status = response.status().as_u16();
    response.bytes().await?;
    Ok(status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_at_once_from_many_clients_gives_no_5xx_and_no_connection_errors() {
    let app = std::sync::Arc::new(spawn_app().await);
    let clients = 24;
    // A fixed number of requests per client, every route several times over: this checks that
    // none fails, not how fast they are answered (throughput is measured in benches/).
    let per_client = 36;
    let mut tasks = Vec::new();
    for c in 0..clients {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut server_errors, mut transport_errors) =
                (0usize, Vec::new(), Vec::new());
            for i in c..c + per_client {
                match one(&app, i).await {
                    Ok(status) if status >= 500 => server_errors.push((i % 12, status)),
                    Ok(_) => ok += 1,
                    Err(e) => transport_errors.push(e.to_string()),
                }
            }
            (ok, server_errors, transport_errors)
        }));
    }
    let mut total = 0;
    for task in tasks {
        let (ok, server_errors, transport_errors) = task.await.unwrap();
        assert!(server_errors.is_empty(), "5xx answers: {server_errors:?}");
        assert!(
            transport_errors.is_empty(),
            "connection errors: {transport_errors:?}"
        );
        total += ok;
    }
    assert_eq!(clients * per_client, total, "every request answered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_trickling_clients_do_not_keep_a_normal_client_waiting() {
    let app = spawn_app().await;
    let addr = app.address.trim_start_matches("http://").to_owned();
    let mut slow = Vec::new();
    for _ in 0..300 {
        let mut stream = TcpStream::connect(&addr).await.unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .await
            .unwrap();
        slow.push(stream);
    }
    // Keep them trickling a byte at a time while the normal client asks.
    let trickle = tokio::spawn(async move {
        // About four seconds, under the five the server gives a client to send its headers.
        for _ in 0..20 {
            for stream in &mut slow {
                let _ = stream.write_all(b"a").await;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        slow
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (status, body) = app.get_text("/topics/alpha").await;
    assert_eq!(200, status);
    assert!(body.contains("<h1>Alpha</h1>"));
    // Answered while every trickling client was still being served, not after they gave up.
    assert!(
        !trickle.is_finished(),
        "the normal client was answered only after the trickling ones were done"
    );
    drop(trickle.await.unwrap());
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_gets_408() {
    let app = spawn_app().await;
    let addr = app.address.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut response = Vec::new();
    let read =
        tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response)).await;
    assert!(
        read.is_ok(),
        "the server kept the stuck connection open for 10 s"
    );
    let text = String::from_utf8_lossy(&response);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
}
