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
    /// What the run shows, as a sentence made from the numbers themselves, so a page cannot say
    /// something its own data contradicts: for each test, how many times the faster framework's
    /// requests a second the other's were. `names` gives each framework's display name.
    pub fn summary(&self, first: (&str, &str), second: (&str, &str)) -> Option<String> {
        let mut parts = Vec::new();
        for (test, label) in BENCH_TESTS {
            let a = self.result(test, first.0)?.requests_per_second;
            let b = self.result(test, second.0)?.requests_per_second;
            if a <= 0.0 || b <= 0.0 {
                return None;
            }
            let (fast, slow, ratio) = if a >= b {
                (first.1, second.1, a / b)
            } else {
                (second.1, first.1, b / a)
            };
            let what = match *test {
                "plaintext" => "plain text".to_owned(),
                "json" => "JSON".to_owned(),
                _ => label.to_lowercase(),
            };
            parts.push(if ratio < 1.05 {
                format!("{what} was a tie within 5 % ({fast} {ratio:.2} times {slow})")
            } else {
                format!("{fast} served {ratio:.2} times {slow}'s requests a second for {what}")
            });
        }
        let last = parts.pop()?;
        Some(format!(
            "In the run of {}, {}, and {last}.",
            self.date.format("%-d %B %Y"),
            parts.join("; ")
        ))
    }

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

#[cfg(test)]
mod summary_tests {
    use super::*;

    #[test]
    fn the_summary_says_what_the_numbers_say() {
        let result = |test: &str, framework: &str, rps: f64| BenchResult {
            test: test.into(),
            framework: framework.into(),
            requests_per_second: rps,
            p99_ms: 1.0,
        };
        let data = FrameworkBenchmark {
            date: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            machine: String::new(),
            python: String::new(),
            tool: String::new(),
            notes: String::new(),
            versions: BTreeMap::new(),
            settings: BenchSettings {
                workers: 2,
                worker_class: "sync".into(),
                connections: 32,
                threads: 1,
                duration_seconds: 10,
                warmup_seconds: 3,
            },
            results: vec![
                result("plaintext", "django", 3053.6),
                result("plaintext", "flask", 3653.9),
                result("json", "django", 4205.9),
                result("json", "flask", 3662.7),
                result("template", "django", 2622.8),
                result("template", "flask", 2650.0),
            ],
        };
        let text = data
            .summary(("django", "Django"), ("flask", "Flask"))
            .unwrap();
        assert_eq!(
            "In the run of 7 December 2026, Flask served 1.20 times Django's requests a second for plain text; Django served 1.15 times Flask's requests a second for JSON, and template render of a list was a tie within 5 % (Flask 1.01 times Django).",
            text
        );
    }
}
