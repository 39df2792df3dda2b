//! Micro-benchmarks of the work the server does at start-up and per request (recommendations and
//! search).
//!
//! `cargo bench --bench site` measures; `cargo test --all-targets` (as CI does) runs each
//! benchmark once as a smoke test. The load test of the HTTP serving path is `benches/load.sh`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use askama::Template;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use versus::content::{self, Content};
use versus::recommender::{recommend, team, Answers};
use versus::site::{encoding, recommendation, search, Site};

/// A realistic, complete answer set: a team building a database-backed web app with an API,
/// two multi-choice questions with several options ticked. Ids from `versus recommend --questions`.
const ANSWERS: &[u8] = b"building=web-app&size=medium&lifetime=planned-support&team=small-team\
&experience=some&admin=day-one&data=relational-many&auth=own-accounts&interface=html-and-api\
&concurrency=realtime&concurrency=background-jobs&deadline=weeks-full&components=built-in\
&security=high-no-specialist&hosting=own-server&hosting=preflight-checks";

/// The bundled content, wherever `cargo bench` or `cargo test` is started from.
fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

fn load() -> Content {
    content::load(&content_dir()).unwrap_or_else(|problems| panic!("bundled content: {problems}"))
}

fn build(content: Content) -> Site {
    Site::build(content, None).expect("the bundled site renders")
}

/// (a) Start-up: load and check the content, then render every page with its compressed variants.
fn site(c: &mut Criterion) {
    // A full build takes about half a second: ten samples need about five.
    let mut group = c.benchmark_group("site");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    let dir = content_dir();
    group.bench_function("load", |b| {
        b.iter(|| content::load(black_box(&dir)).expect("bundled content loads"))
    });
    let content = load();
    group.bench_function("build", |b| {
        b.iter_batched(|| content.clone(), build, BatchSize::LargeInput)
    });
    group.bench_function("load_and_build", |b| b.iter(|| build(load())));
    group.finish();
}

/// (b) The recommender over the full bundled questionnaire, for one person and for a team of
/// twenty (the bundled example projects' answers, taken in turn).
fn recommender(c: &mut Criterion) {
    let content = load();
    let team: Vec<Answers> = content
        .examples
        .iter()
        .cycle()
        .take(20)
        .map(|e| e.answers.clone())
        .collect();
    let q = content.questionnaire;
    let answers = Answers::parse_urlencoded(&q, ANSWERS).expect("the benchmark answers are valid");
    let mut group = c.benchmark_group("recommender");
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("parse_urlencoded", |b| {
        b.iter(|| Answers::parse_urlencoded(black_box(&q), black_box(ANSWERS)))
    });
    group.bench_function("recommend", |b| {
        b.iter(|| recommend(black_box(&q), black_box(&answers)))
    });
    group.bench_function("team_of_20", |b| {
        b.iter(|| team::combine(black_box(&q), black_box(&team)))
    });
    group.finish();
}

/// (c) The recommendation page: resolve the recommendation into views, render the template;
/// and the whole of what `POST /recommend` computes (parse, score, render).
fn recommendation_page(c: &mut Criterion) {
    let site = build(load());
    let q = &site.content.questionnaire;
    let answers = Answers::parse_urlencoded(q, ANSWERS).expect("the benchmark answers are valid");
    let rec = recommend(q, &answers);
    let page = recommendation::result(&site, &answers, &rec)
        .render()
        .expect("the recommendation page renders");
    assert!(page.contains("<html"), "the recommendation page is HTML");
    let mut group = c.benchmark_group("recommendation_page");
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("render", |b| {
        b.iter(|| {
            recommendation::result(black_box(&site), black_box(&answers), black_box(&rec)).page()
        })
    });
    group.bench_function("parse_recommend_render", |b| {
        b.iter(|| {
            let answers = Answers::parse_urlencoded(q, black_box(ANSWERS)).expect("valid");
            let rec = recommend(q, &answers);
            recommendation::result(&site, &answers, &rec)
                .page()
                .map(|html| html.len())
        })
    });
    group.finish();
}

/// (d) The search page: rank the sections, cut the excerpts, render; a one-word query, a common
/// two-word one that matches most sections, and one that matches nothing.
fn search_page(c: &mut Criterion) {
    let site = build(load());
    let mut group = c.benchmark_group("search_page");
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for query in ["csrf", "django flask", "zzzqqq"] {
        group.bench_function(query, |b| {
            b.iter(|| {
                search::page(black_box(&site), black_box(query))
                    .render()
                    .map(|html| html.len())
            })
        });
    }
    group.finish();
}

/// (e) Whether compressing a per-request page pays: each coding's time on the recommendation
/// page and a search results page, with the bytes it saves (printed once).
fn per_request_compression(c: &mut Criterion) {
    let site = build(load());
    let q = &site.content.questionnaire;
    let answers = Answers::parse_urlencoded(q, ANSWERS).expect("the benchmark answers are valid");
    let rec = recommend(q, &answers);
    let recommendation = recommendation::result(&site, &answers, &rec)
        .render()
        .expect("the recommendation page renders");
    let search = search::page(&site, "django admin")
        .render()
        .expect("the search page renders");
    let mut group = c.benchmark_group("per_request_compression");
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for (name, page) in [("recommendation", &recommendation), ("search", &search)] {
        let body = page.as_bytes();
        type Coder = fn(&[u8]) -> std::io::Result<bytes::Bytes>;
        let coders: [(&str, Coder); 5] = [
            ("gzip-1", |b| encoding::gzip_at(b, 1)),
            ("gzip-6", |b| encoding::gzip_at(b, 6)),
            ("brotli-1", |b| encoding::brotli_at(b, 1)),
            ("brotli-4", |b| encoding::brotli_at(b, 4)),
            ("brotli-6", |b| encoding::brotli_at(b, 6)),
        ];
        for (coding, coder) in coders {
            println!(
                "{name}: identity {} bytes, {coding} {} bytes",
                body.len(),
                coder(body).expect("compressing into memory").len()
            );
            group.bench_function(format!("{name}/{coding}"), |b| {
                b.iter(|| coder(black_box(body)))
            });
        }
    }
    group.finish();
}

criterion_group!(
    benches,
    site,
    recommender,
    recommendation_page,
    search_page,
    per_request_compression
);
criterion_main!(benches);
