//! Data files in `content/data/` that pages render, such as measured benchmark results.
//! A page embeds one with a fenced block: ```` ```chart ```` / `framework-benchmark` / ```` ``` ````.
//! The file's name says what it holds: [`FOOTPRINT`] is a [`Footprint`], any other name a
//! [`FrameworkBenchmark`] (each is written by its own script in `benches/frameworks/`).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use super::front_matter::{self, date};
use super::problem::{Problem, Problems};

/// `content/data/framework-benchmark.toml`, written by `benches/frameworks/run.sh`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkBenchmark {
    /// When the benchmark ran.
    #[serde(deserialize_with = "date")]
    pub date: NaiveDate,
    /// CPU, cores, memory and kernel of the machine it ran on.
    pub machine: String,
    pub python: String,
    /// The load generator and its version.
    pub tool: String,
    /// What a reader should keep in mind.
    pub notes: String,
    /// Package versions by name (django, flask, gunicorn).
    pub versions: BTreeMap<String, String>,
    pub settings: BenchSettings,
    pub results: Vec<BenchResult>,
}

/// How the load was applied.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenchSettings {
    pub workers: u32,
    pub worker_class: String,
    pub connections: u32,
    pub threads: u32,
    pub duration_seconds: u32,
    pub warmup_seconds: u32,
}

/// One test of one framework.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenchResult {
    /// `plaintext`, `json` or `template`.
    pub test: String,
    pub framework: String,
    pub requests_per_second: f64,
    pub p99_ms: f64,
}

/// The tests, in display order, with what each measures.
pub const BENCH_TESTS: &[(&str, &str)] = &[
    ("plaintext", "Plain text"),
    ("json", "JSON"),
    ("template", "Template render of a list"),
];

impl FrameworkBenchmark {
    pub fn result(&self, test: &str, framework: &str) -> Option<&BenchResult> {
        self.results
            .iter()
            .find(|r| r.test == test && r.framework == framework)
    }
}

/// Loads the data file `name` and checks it covers every test for every framework.
pub fn load_benchmark(
    dir: &Path,
    name: &str,
    frameworks: &[String],
    problems: &mut Problems,
) -> Option<FrameworkBenchmark> {
    let path = dir.join("data").join(format!("{name}.toml"));
    let (_, data): (_, FrameworkBenchmark) = front_matter::read_toml(
        &path,
        "the data file",
        "run `bash benches/frameworks/run.sh` to measure and write it",
        problems,
    )?;
    let mut complete = true;
    for (test, _) in BENCH_TESTS {
        for framework in frameworks {
            match data.result(test, framework) {
                Some(r)
                    if r.requests_per_second.is_finite()
                        && r.requests_per_second > 0.0
                        && r.p99_ms.is_finite()
                        && r.p99_ms >= 0.0 => {}
                _ => {
                    complete = false;
                    problems.push(
                        Problem::new(
                            &path,
                            None,
                            format!("no valid `{test}` result for `{framework}`"),
                        )
                        .hint(
                            "re-run the benchmark; every test needs a result for every framework",
                        ),
                    );
                }
            }
        }
    }
    complete.then_some(data)
}

/// The data file name that holds a [`Footprint`].
pub const FOOTPRINT: &str = "footprint";

/// A data file, by what it holds.
#[derive(Debug, Clone)]
pub enum Dataset {
    Requests(FrameworkBenchmark),
    Footprint(Footprint),
}

/// `content/data/footprint.toml`, written by `benches/frameworks/footprint.sh`: what each
/// minimal app costs to install, start and keep in memory.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Footprint {
    #[serde(deserialize_with = "date")]
    pub date: NaiveDate,
    pub machine: String,
    pub python: String,
    pub notes: String,
    /// Cold starts measured per framework.
    pub runs: u32,
    pub versions: BTreeMap<String, String>,
    pub results: Vec<FootprintResult>,
}

/// One framework's footprint.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FootprintResult {
    pub framework: String,
    /// Bytes of the virtual environment's site-packages (framework, dependencies, gunicorn).
    pub install_bytes: u64,
    /// Distributions installed.
    pub install_packages: u32,
    pub import_ms: f64,
    pub cold_start_ms_median: f64,
    pub cold_start_ms_min: f64,
    pub cold_start_ms_max: f64,
    /// Resident memory of the one worker after the first response.
    pub worker_rss_kib: u64,
    pub master_rss_kib: u64,
}

impl Footprint {
    pub fn result(&self, framework: &str) -> Option<&FootprintResult> {
        self.results.iter().find(|r| r.framework == framework)
    }
}

/// Loads the data file `name`, whatever it holds, and checks it covers every framework.
pub fn load(
    dir: &Path,
    name: &str,
    frameworks: &[String],
    problems: &mut Problems,
) -> Option<Dataset> {
    if name != FOOTPRINT {
        return load_benchmark(dir, name, frameworks, problems).map(Dataset::Requests);
    }
    let path = dir.join("data").join(format!("{name}.toml"));
    let (_, data): (_, Footprint) = front_matter::read_toml(
        &path,
        "the data file",
        "run `bash benches/frameworks/footprint.sh` to measure and write it",
        problems,
    )?;
    let mut complete = true;
    for framework in frameworks {
        let valid = data.result(framework).is_some_and(|r| {
            r.install_bytes > 0
                && r.worker_rss_kib > 0
                && [
                    r.import_ms,
                    r.cold_start_ms_median,
                    r.cold_start_ms_min,
                    r.cold_start_ms_max,
                ]
                .iter()
                .all(|ms| ms.is_finite() && *ms > 0.0)
                && r.cold_start_ms_min <= r.cold_start_ms_median
                && r.cold_start_ms_median <= r.cold_start_ms_max
        });
        if !valid {
            complete = false;
            problems.push(
                Problem::new(&path, None, format!("no valid footprint for `{framework}`"))
                    .hint("re-run the measurement; every framework needs every figure, min <= median <= max"),
            );
        }
    }
    complete.then_some(Dataset::Footprint(data))
}
