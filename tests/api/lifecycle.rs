//! The process as operators see it: graceful shutdown, request ids, the access log.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::helpers::{fixture, spawn_app, spawn_logged, Logged};

/// `versus` serving the valid fixture on a free port, logging at `info`, with its team store in
/// `data`; `extra` adds flags.
fn serve_fixture(data: &Path, extra: &[&str]) -> Command {
    let mut command = crate::helpers::versus();
    command
        .args(["--bind", "127.0.0.1:0"])
        .args(extra)
        .arg("--content")
        .arg(fixture("valid"))
        .env("VERSUS_LOG", "info")
        .env(
            "VERSUS_DATABASE",
            format!("sqlite:{}", data.join("t.db").display()),
        );
    command
}

#[test]
fn sigterm_finishes_the_request_in_flight_then_exits_0() {
    let data = tempfile::tempdir().unwrap();
    let mut server = spawn_logged(serve_fixture(data.path(), &["--workers", "1"]));
    let address = server.address.trim_start_matches("http://").to_owned();

    let body = crate::helpers::ANSWERS;
    let mut stream = TcpStream::connect(&address).unwrap();
    // A first request, pipelined with the partial POST, proves a worker holds the connection
    // and has the POST's head before SIGTERM arrives: the worker reads both at once, and answers
    // the first only after decoding what follows it in its buffer.
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nHost: test\r\n\r\nPOST /recommend HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        body.len(),
        &body[..10]
    )
    .unwrap();
    let mut first = [0u8; 1024];
    let mut got = 0;
    while !String::from_utf8_lossy(&first[..got]).ends_with("ok\n") {
        let n = stream.read(&mut first[got..]).unwrap();
        assert!(n > 0, "the first answer arrives");
        got += n;
    }
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    // The rest of the body is sent only once the server has begun shutting down.
    server.wait_for("graceful shutdown", Duration::from_secs(10));
    stream.write_all(&body.as_bytes()[10..]).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(
        response.starts_with("HTTP/1.1 200 OK"),
        "the in-flight request completes: {}",
        &response[..response.len().min(200)]
    );
    assert!(response.contains("<h1>Django</h1>"));

    let started = Instant::now();
    let code = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status.code();
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the server did not exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(Some(0), code);
    let log = server.log.join().unwrap();
    assert!(log.contains("stopped"), "{log}");
    assert!(
        log.contains("path=\"/recommend\"") || log.contains("path=/recommend"),
        "an access log line for the request: {log}"
    );
    assert!(TcpStream::connect(&address).is_err(), "no longer accepting");
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_a_sensible_one_is_echoed() {
    let app = spawn_app().await;
    let generated = app.get("/").await;
    let id = generated.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!id.is_empty());
    let missing = app.get("/nope").await;
    assert_ne!(
        missing.headers()["x-request-id"].to_str().unwrap(),
        id,
        "ids differ per request"
    );
    let echoed = app
        .client
        .get(format!("{}/about", app.address))
        .header("X-Request-Id", "trace-42")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "trace-42");
    let odd = app
        .client
        .get(format!("{}/about", app.address))
        .header("X-Request-Id", "x".repeat(200))
        .send()
        .await
        .unwrap();
    assert_ne!(
        odd.headers()["x-request-id"].to_str().unwrap(),
        "x".repeat(200),
        "an unreasonable id is replaced"
    );
}

/// The log is written from a background thread; a clean shutdown still writes every line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clean_shutdown_writes_every_access_log_line() {
    const REQUESTS: usize = 2_000;
    let data = tempfile::tempdir().unwrap();
    let Logged {
        mut child,
        address,
        log,
        ..
    } = spawn_logged(serve_fixture(data.path(), &[]));
    let client = reqwest::Client::new();
    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let (client, address) = (client.clone(), address.clone());
            tokio::spawn(async move {
                for i in (t..REQUESTS).step_by(8) {
                    let url = format!("{address}/robots.txt?n={i}");
                    let status = client.get(url).send().await.unwrap().status();
                    assert_eq!(200, status.as_u16());
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    // Stop at once, while lines may still be queued for the writer.
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let code = tokio::task::spawn_blocking(move || child.wait().unwrap().code())
        .await
        .unwrap();
    assert_eq!(Some(0), code);
    let log = log.join().unwrap();
    let lines = log
        .lines()
        .filter(|l| l.contains("/robots.txt") && l.contains("status=200"))
        .count();
    assert_eq!(lines, REQUESTS, "one access log line per request");
    assert!(
        log.trim_end().ends_with("stopped"),
        "{}",
        &log[log.len().saturating_sub(300)..]
    );
}
