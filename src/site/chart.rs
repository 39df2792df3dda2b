//! The benchmark chart: server-side SVG with a title and description, and the same numbers in a
//! table, so it needs no script and reads well without the picture.

use askama::Template;

use crate::content::data::{Footprint, FrameworkBenchmark, BENCH_TESTS};
use crate::content::Framework;

const WIDTH: u32 = 640;
const LABEL_WIDTH: u32 = 80;
const BAR_SPACE: u32 = 470;

pub struct Bar<'a> {
    pub framework: &'a str,
    pub name: &'a str,
    pub y: u32,
    pub width: u32,
    pub value: String,
}

pub struct Group<'a> {
    pub label: &'a str,
    pub y: u32,
    pub bars: Vec<Bar<'a>>,
}

#[derive(Template)]
#[template(path = "partials/benchmark.html")]
pub struct ChartView<'a> {
    pub data: &'a FrameworkBenchmark,
    pub title: String,
    pub description: String,
    pub date: String,
    pub versions: String,
    pub width: u32,
    pub height: u32,
    pub label_width: u32,
    pub groups: Vec<Group<'a>>,
    /// Test, framework, requests per second, p99 latency.
    pub rows: Vec<(&'a str, &'a str, String, String)>,
}

/// Requests per second as people write them: 12,345.
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The chart and table for `data`, bars in the frameworks' display order.
pub fn benchmark<'a>(data: &'a FrameworkBenchmark, frameworks: &'a [Framework]) -> ChartView<'a> {
    let max = data
        .results
        .iter()
        .map(|r| r.requests_per_second)
        .fold(1.0, f64::max);
    let mut groups = Vec::new();
    let mut rows = Vec::new();
    let mut description = Vec::new();
    let mut y = 16;
    for (test, label) in BENCH_TESTS {
        let mut bars = Vec::new();
        let mut bar_y = y + 8;
        for f in frameworks {
            let Some(r) = data.result(test, &f.slug) else {
                continue;
            };
            let width = ((r.requests_per_second / max) * f64::from(BAR_SPACE))
                .round()
                .max(1.0) as u32;
            let value = format!("{} req/s", thousands(r.requests_per_second));
            description.push(format!("{label}, {}: {value}", f.meta.name));
            rows.push((
                *label,
                f.meta.name.as_str(),
                thousands(r.requests_per_second),
                format!("{:.1}", r.p99_ms),
            ));
            bars.push(Bar {
                framework: &f.slug,
                name: &f.meta.name,
                y: bar_y,
                width,
                value,
            });
            bar_y += 24;
        }
        groups.push(Group { label, y, bars });
        y = bar_y + 22;
    }
    let versions = data
        .versions
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    ChartView {
        data,
        title: "Requests per second served by minimal Django and Flask apps (higher is better)"
            .to_owned(),
        description: format!("{}.", description.join("; ")),
        date: data.date.format("%-d %B %Y").to_string(),
        versions,
        width: WIDTH,
        height: y - 10,
        label_width: LABEL_WIDTH,
        groups,
        rows,
    }
}

#[derive(Template)]
#[template(path = "partials/footprint.html")]
pub struct FootprintView<'a> {
    pub data: &'a Footprint,
    pub title: &'static str,
    pub description: String,
    pub date: String,
    pub versions: String,
    pub width: u32,
    pub height: u32,
    pub label_width: u32,
    pub groups: Vec<Group<'a>>,
    /// Framework name, then each figure as shown.
    pub rows: Vec<(&'a str, Vec<String>)>,
}

/// The footprint chart: installed size, median cold start and worker memory, each group scaled
/// to its own largest value (smaller is better in all three), and every figure in a table.
pub fn footprint<'a>(data: &'a Footprint, frameworks: &'a [Framework]) -> FootprintView<'a> {
    type Measure = (
        &'static str,
        fn(&crate::content::data::FootprintResult) -> f64,
        fn(f64) -> String,
    );
    let measures: [Measure; 3] = [
        (
            "Installed size",
            |r| r.install_bytes as f64 / 1e6,
            |v| format!("{v:.1} MB"),
        ),
        (
            "Cold start (median)",
            |r| r.cold_start_ms_median,
            |v| format!("{v:.0} ms"),
        ),
        (
            "Worker memory",
            |r| r.worker_rss_kib as f64 / 1024.0,
            |v| format!("{v:.1} MiB"),
        ),
    ];
    let mut groups = Vec::new();
    let mut description = Vec::new();
    let mut y = 16;
    for (label, value, shown) in measures {
        let max = frameworks
            .iter()
            .filter_map(|f| data.result(&f.slug))
            .map(value)
            .fold(f64::MIN_POSITIVE, f64::max);
        let mut bars = Vec::new();
        let mut bar_y = y + 8;
        for f in frameworks {
            let Some(r) = data.result(&f.slug) else {
                continue;
            };
            let v = value(r);
            let width = ((v / max) * f64::from(BAR_SPACE)).round().max(1.0) as u32;
            description.push(format!("{label}, {}: {}", f.meta.name, shown(v)));
            bars.push(Bar {
                framework: &f.slug,
                name: &f.meta.name,
                y: bar_y,
                width,
                value: shown(v),
            });
            bar_y += 24;
        }
        groups.push(Group { label, y, bars });
        y = bar_y + 22;
    }
    let rows = frameworks
        .iter()
        .filter_map(|f| data.result(&f.slug).map(|r| (f, r)))
        .map(|(f, r)| {
            (
                f.meta.name.as_str(),
                vec![
                    format!("{:.1} MB", r.install_bytes as f64 / 1e6),
                    r.install_packages.to_string(),
                    format!("{:.0} ms", r.import_ms),
                    format!("{:.0} ms", r.cold_start_ms_median),
                    format!("{:.0}–{:.0} ms", r.cold_start_ms_min, r.cold_start_ms_max),
                    format!("{:.1} MiB", r.worker_rss_kib as f64 / 1024.0),
                    format!("{:.1} MiB", r.master_rss_kib as f64 / 1024.0),
                ],
            )
        })
        .collect();
    FootprintView {
        data,
        title: "What minimal Django and Flask apps cost to install, start and keep in memory (shorter is smaller)",
        description: format!("{}.", description.join("; ")),
        date: data.date.format("%-d %B %Y").to_string(),
        versions: data
            .versions
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", "),
        width: WIDTH,
        height: y - 10,
        label_width: LABEL_WIDTH + 70,
        groups,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_are_separated_with_commas() {
        assert_eq!(thousands(1234567.4), "1,234,567");
        assert_eq!(thousands(999.6), "1,000");
        assert_eq!(thousands(12.0), "12");
    }
}
