//! Content: files, front matter and Markdown, loaded into typed, validated values.
//! It never knows about HTTP; `site` renders what it loads.

pub mod data;
pub mod front_matter;
pub mod highlight;
pub mod links;
pub mod markdown;
pub mod problem;
pub mod questionnaire;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use toml::Spanned;

use crate::recommender::Questionnaire;
use front_matter::{
    Example, FrameworkMeta, GlanceRow, PageMeta, PerFramework, SiteMeta, Source, Split, TopicMeta,
};
use markdown::{Located, Rendered};
pub use problem::{Problem, Problems};

/// The content pages every site has, at `/{slug}`.
pub const REQUIRED_PAGES: &[&str] = &["about", "methodology", "faq", "myths"];
/// Longest summary, so that it fits a search result and a link preview.
pub const MAX_SUMMARY: usize = 160;
/// The fewest rows an at-a-glance table may have.
pub const MIN_GLANCE_ROWS: usize = 4;
/// The fewest sources a topic may have.
pub const MIN_TOPIC_SOURCES: usize = 2;

/// Everything in a content directory, loaded and checked.
#[derive(Debug, Clone)]
pub struct Content {
    pub site: SiteMeta,
    pub frameworks: Vec<Framework>,
    /// Sorted by weight, then slug.
    pub topics: Vec<Topic>,
    pub pages: Vec<Page>,
    pub questionnaire: Questionnaire,
    /// Measured benchmark data by file name, for the charts pages embed.
    pub benchmarks: BTreeMap<String, data::FrameworkBenchmark>,
    /// Each option's evidence link with its line in questionnaire.toml, for the link checker.
    pub questionnaire_links: Vec<Located>,
}

/// A framework profile.
#[derive(Debug, Clone)]
pub struct Framework {
    pub slug: String,
    pub meta: FrameworkMeta,
    pub sources: Vec<Source>,
    pub body: Rendered,
    pub origin: Origin,
}

/// Where a page's text lives, for edit links and review warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Path relative to the content directory, with `/` separators: `topics/security.md`.
    pub file: String,
    /// The line of the `updated` (reviewed) date in that file.
    pub updated_line: usize,
}

impl Origin {
    fn new(kind: &str, slug: &str, split: &Split<'_>) -> Self {
        let offset = split
            .front_matter
            .lines()
            .position(|l| {
                l.strip_prefix("updated")
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
            .unwrap_or(0);
        Self {
            file: format!("{kind}/{slug}.md"),
            updated_line: split.front_matter_line + offset,
        }
    }
}

/// What every page written in a content file has, whatever its kind.
#[derive(Debug, Clone)]
pub struct Written<'a> {
    /// "topic", "framework" or "page".
    pub kind: &'static str,
    pub path: String,
    /// The title (a framework's name).
    pub title: &'a str,
    pub summary: &'a str,
    /// The reviewed date.
    pub updated: NaiveDate,
    pub aliases: &'a [String],
    pub origin: &'a Origin,
}

/// A topic compared across frameworks.
#[derive(Debug, Clone)]
pub struct Topic {
    pub slug: String,
    pub meta: TopicMeta,
    pub glance: Vec<GlanceRow>,
    pub verdict: PerFramework,
    pub examples: Vec<Example>,
    pub sources: Vec<Source>,
    pub body: Rendered,
    pub origin: Origin,
}

/// A content page (about, methodology, …).
#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub meta: PageMeta,
    pub sources: Vec<Source>,
    pub body: Rendered,
    pub origin: Origin,
}

impl Content {
    /// The most recent review date of any page: what the footer shows.
    pub fn last_reviewed(&self) -> Option<NaiveDate> {
        self.written().map(|w| w.updated).max()
    }

    /// Every page written in a content file (topics, then framework profiles, then pages), with
    /// what all three kinds share.
    pub fn written(&self) -> impl Iterator<Item = Written<'_>> {
        let topics = self.topics.iter().map(|t| Written {
            kind: "topic",
            path: links::topic_path(&t.slug),
            title: &t.meta.title,
            summary: &t.meta.summary,
            updated: t.meta.updated,
            aliases: &t.meta.aliases,
            origin: &t.origin,
        });
        let frameworks = self.frameworks.iter().map(|f| Written {
            kind: "framework",
            path: links::framework_path(&f.slug),
            title: &f.meta.name,
            summary: &f.meta.summary,
            updated: f.meta.updated,
            aliases: &f.meta.aliases,
            origin: &f.origin,
        });
        let pages = self.pages.iter().map(|p| Written {
            kind: "page",
            path: links::page_path(&p.slug),
            title: &p.meta.title,
            summary: &p.meta.summary,
            updated: p.meta.updated,
            aliases: &p.meta.aliases,
            origin: &p.origin,
        });
        topics.chain(frameworks).chain(pages)
    }

    pub fn framework(&self, slug: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.slug == slug)
    }
}

/// Loads and checks the content in `dir`, reporting every problem at once.
pub fn load(dir: &Path) -> Result<Content, Problems> {
    let mut problems = Problems::default();
    if !dir.is_dir() {
        problems.push(
            Problem::new(dir, None, "the content directory does not exist or is not a directory")
                .hint("pass --content DIR (or set VERSUS_CONTENT) to a directory with site.toml, topics/, frameworks/ and pages/"),
        );
        return Err(problems);
    }
    let site_path = dir.join("site.toml");
    let site: Option<SiteMeta> = front_matter::read_toml(
        &site_path,
        "the site settings",
        "every content directory needs a site.toml with title, tagline, description, base_url and frameworks",
        &mut problems,
    )
    .map(|(_, site)| site);
    let framework_slugs: Vec<String> = site
        .as_ref()
        .map(|s| s.frameworks.clone())
        .unwrap_or_default();

    let mut frameworks = Vec::new();
    for file in markdown_files(&dir.join("frameworks"), &mut problems) {
        if let Some(f) = load_framework(&file, &mut problems) {
            frameworks.push(f);
        }
    }
    let mut topics = Vec::new();
    for file in markdown_files(&dir.join("topics"), &mut problems) {
        if let Some(t) = load_topic(&file, &framework_slugs, &mut problems) {
            topics.push(t);
        }
    }
    topics.sort_by(|a, b| (a.meta.weight, &a.slug).cmp(&(b.meta.weight, &b.slug)));
    let mut pages = Vec::new();
    for file in markdown_files(&dir.join("pages"), &mut problems) {
        if let Some(p) = load_page(&file, &mut problems) {
            pages.push(p);
        }
    }

    if let Some(site) = &site {
        if site.frameworks.is_empty() {
            problems.push(
                Problem::new(&site_path, None, "`frameworks` lists no framework").hint(
                    "list the framework slugs in display order, e.g. [\"django\", \"flask\"]",
                ),
            );
        }
        for slug in &site.frameworks {
            if !frameworks.iter().any(|f: &Framework| &f.slug == slug) {
                problems.push(
                    Problem::new(
                        &site_path,
                        None,
                        format!("framework `{slug}` has no profile"),
                    )
                    .hint(format!(
                        "add frameworks/{slug}.md, or remove `{slug}` from `frameworks`"
                    )),
                );
            }
        }
        for f in &frameworks {
            if !site.frameworks.contains(&f.slug) {
                problems.push(
                    Problem::new(
                        &dir.join("frameworks").join(format!("{}.md", f.slug)),
                        None,
                        format!("framework `{}` is not listed in site.toml", f.slug),
                    )
                    .hint("add its slug to `frameworks` in site.toml, or delete the file"),
                );
            }
        }
        frameworks.sort_by_key(|f| site.frameworks.iter().position(|s| s == &f.slug));
        if let Some(edit_url) = &site.edit_url {
            let absolute = edit_url.starts_with("https://") || edit_url.starts_with("http://");
            if !absolute || !edit_url.contains("{path}") {
                problems.push(
                    Problem::new(&site_path, None, format!("`edit_url` is `{edit_url}`"))
                        .hint("give an absolute URL with `{path}` where the file's path goes, e.g. https://example.com/edit/main/content/{path}"),
                );
            }
        }
    }
    for required in REQUIRED_PAGES {
        let file = dir.join("pages").join(format!("{required}.md"));
        if !file.is_file() {
            problems.push(
                Problem::new(&file, None, format!("the `{required}` page is missing"))
                    .hint("every site has the pages about, methodology, faq and myths"),
            );
        }
    }

    if let Some(site) = &site {
        check_rules(dir, &site.rules, &topics, &pages, &mut problems);
    }
    let loaded = questionnaire::load(
        &dir.join("questionnaire.toml"),
        &framework_slugs,
        &mut problems,
    );
    let mut benchmarks = BTreeMap::new();
    let embedded = topics
        .iter()
        .map(|t| (&t.body, dir.join("topics").join(format!("{}.md", t.slug))));
    let embedded = embedded.chain(
        pages
            .iter()
            .map(|p| (&p.body, dir.join("pages").join(format!("{}.md", p.slug)))),
    );
    for (body, file) in embedded {
        for chart in &body.charts {
            if benchmarks.contains_key(&chart.text) {
                continue;
            }
            if markdown::slugify(&chart.text) != chart.text {
                problems.push(
                    Problem::new(
                        &file,
                        Some(chart.line),
                        format!("the chart `{}` names no data file", chart.text),
                    )
                    .hint(
                        "name a file in content/data/ without its .toml, e.g. framework-benchmark",
                    ),
                );
                continue;
            }
            if let Some(data) =
                data::load_benchmark(dir, &chart.text, &framework_slugs, &mut problems)
            {
                benchmarks.insert(chart.text.clone(), data);
            }
        }
    }
    let (Some(site), Some(loaded)) = (site, loaded) else {
        return Err(problems);
    };
    let content = Content {
        site,
        frameworks,
        topics,
        pages,
        questionnaire: loaded.questionnaire,
        benchmarks,
        questionnaire_links: loaded.links,
    };
    links::check(dir, &content, &mut problems);
    if problems.is_empty() {
        Ok(content)
    } else {
        Err(problems)
    }
}

/// The `*.md` files in `dir`, sorted; a missing directory is a problem.
fn markdown_files(dir: &Path, problems: &mut Problems) -> Vec<PathBuf> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            problems.push(
                Problem::new(dir, None, format!("cannot read the directory: {err}"))
                    .hint("create it, with one Markdown file per page"),
            );
            return Vec::new();
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

/// A file's slug (its stem), if it is a valid URL segment.
fn slug_of(path: &Path, problems: &mut Problems) -> Option<String> {
    let stem = path.file_stem()?.to_str().unwrap_or_default().to_owned();
    let valid = !stem.is_empty()
        && stem
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !stem.starts_with('-');
    if valid {
        Some(stem)
    } else {
        problems.push(
            Problem::new(path, None, "the file name is not a valid slug")
                .hint("use lower-case letters, digits and hyphens, e.g. long-term-maintenance.md"),
        );
        None
    }
}

/// Reads `path` and cuts it at its front matter fences.
fn read(path: &Path, problems: &mut Problems) -> Option<String> {
    match fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(err) => {
            problems.push(
                Problem::new(path, None, format!("cannot read the file: {err}"))
                    .hint("check that it exists, is readable and is UTF-8"),
            );
            None
        }
    }
}

fn line_of_span(split: &Split<'_>, span: &std::ops::Range<usize>) -> usize {
    split.front_matter_line + problem::line_of(split.front_matter, span.start) - 1
}

fn load_topic(path: &Path, frameworks: &[String], problems: &mut Problems) -> Option<Topic> {
    let slug = slug_of(path, problems)?;
    let text = read(path, problems)?;
    let split = front_matter::split(path, &text)
        .map_err(|p| problems.push(p))
        .ok()?;
    let meta: TopicMeta = front_matter::parse(path, &split)
        .map_err(|p| problems.push(p))
        .ok()?;
    check_summary(path, &split, &meta.summary, problems);
    if meta.versions_reviewed.is_empty() {
        problems.push(
            Problem::new(
                path,
                Some(split.front_matter_line),
                "`versions_reviewed` is empty",
            )
            .hint("list the framework versions this review covered"),
        );
    }
    if meta.glance.len() < MIN_GLANCE_ROWS {
        problems.push(
            Problem::new(
                path,
                Some(split.front_matter_line),
                format!("the at-a-glance table has {} rows", meta.glance.len()),
            )
            .hint(format!(
                "add [[glance]] rows until there are at least {MIN_GLANCE_ROWS}"
            )),
        );
    }
    for row in &meta.glance {
        let line = line_of_span(&split, &row.span());
        let what = format!("the at-a-glance row `{}`", row.get_ref().aspect);
        check_per_framework(
            path,
            line,
            &what,
            &row.get_ref().values,
            frameworks,
            problems,
        );
    }
    check_per_framework(
        path,
        line_of_span(&split, &meta.verdict.span()),
        "the verdict",
        meta.verdict.get_ref(),
        frameworks,
        problems,
    );
    for example in &meta.examples {
        let line = line_of_span(&split, &example.span());
        let what = format!("the example `{}`", example.get_ref().title);
        check_per_framework(
            path,
            line,
            &what,
            &example.get_ref().code,
            frameworks,
            problems,
        );
    }
    if meta.sources.len() < MIN_TOPIC_SOURCES {
        problems.push(
            Problem::new(path, Some(split.front_matter_line), format!("the topic has {} source(s)", meta.sources.len()))
                .hint(format!("add at least {MIN_TOPIC_SOURCES} [[sources]] with id, title, url and accessed, and cite them with [^id]")),
        );
    }
    let (sources, body) = render_body(path, &split, &meta.sources, problems);
    Some(Topic {
        origin: Origin::new("topics", &slug, &split),
        slug,
        glance: meta.glance.iter().map(|r| r.get_ref().clone()).collect(),
        verdict: meta.verdict.get_ref().clone(),
        examples: meta.examples.iter().map(|e| e.get_ref().clone()).collect(),
        sources,
        body,
        meta,
    })
}

fn load_framework(path: &Path, problems: &mut Problems) -> Option<Framework> {
    let slug = slug_of(path, problems)?;
    let text = read(path, problems)?;
    let split = front_matter::split(path, &text)
        .map_err(|p| problems.push(p))
        .ok()?;
    let meta: FrameworkMeta = front_matter::parse(path, &split)
        .map_err(|p| problems.push(p))
        .ok()?;
    check_summary(path, &split, &meta.summary, problems);
    let (sources, body) = render_body(path, &split, &meta.sources, problems);
    Some(Framework {
        origin: Origin::new("frameworks", &slug, &split),
        slug,
        meta,
        sources,
        body,
    })
}

fn load_page(path: &Path, problems: &mut Problems) -> Option<Page> {
    let slug = slug_of(path, problems)?;
    let text = read(path, problems)?;
    let split = front_matter::split(path, &text)
        .map_err(|p| problems.push(p))
        .ok()?;
    let meta: PageMeta = front_matter::parse(path, &split)
        .map_err(|p| problems.push(p))
        .ok()?;
    check_summary(path, &split, &meta.summary, problems);
    let (sources, body) = render_body(path, &split, &meta.sources, problems);
    Some(Page {
        origin: Origin::new("pages", &slug, &split),
        slug,
        meta,
        sources,
        body,
    })
}

/// The editorial rules from site.toml: topic length, FAQ and myth counts.
fn check_rules(
    dir: &Path,
    rules: &front_matter::Rules,
    topics: &[Topic],
    pages: &[Page],
    problems: &mut Problems,
) {
    if let Some([min, max]) = rules.topic_words {
        for t in topics {
            let words = t.body.words;
            if words < min || words > max {
                problems.push(
                    Problem::new(
                        &dir.join("topics").join(format!("{}.md", t.slug)),
                        None,
                        format!("the body has {words} words of prose"),
                    )
                    .hint(format!(
                        "a topic body has {min} to {max} words (rules.topic_words in site.toml)"
                    )),
                );
            }
        }
    }
    for (slug, min, what) in [
        ("faq", rules.min_faq_questions, "questions"),
        ("myths", rules.min_myths, "myths"),
    ] {
        let (Some(min), Some(page)) = (min, pages.iter().find(|p| p.slug == slug)) else {
            continue;
        };
        let count = page.body.toc.len();
        if count < min {
            problems.push(
                Problem::new(
                    &dir.join("pages").join(format!("{slug}.md")),
                    None,
                    format!("the page has {count} {what} (`##` sections)"),
                )
                .hint(format!("it needs at least {min}; see rules in site.toml")),
            );
        }
    }
}

fn check_summary(path: &Path, split: &Split<'_>, summary: &str, problems: &mut Problems) {
    let chars = summary.chars().count();
    if summary.trim().is_empty() || chars > MAX_SUMMARY {
        let line = split
            .front_matter
            .lines()
            .position(|l| l.trim_start().starts_with("summary"))
            .map(|i| split.front_matter_line + i);
        problems.push(
            Problem::new(path, line, format!("the summary has {chars} characters")).hint(format!(
                "write a summary of 1 to {MAX_SUMMARY} characters; it becomes the meta description"
            )),
        );
    }
}

fn check_per_framework(
    path: &Path,
    line: usize,
    what: &str,
    values: &PerFramework,
    frameworks: &[String],
    problems: &mut Problems,
) {
    // Without a readable site.toml the frameworks are unknown; that problem is reported once.
    if frameworks.is_empty() {
        return;
    }
    for slug in frameworks {
        if values.get(slug).is_none_or(|v| v.trim().is_empty()) {
            problems.push(
                Problem::new(
                    path,
                    Some(line),
                    format!("{what} has no value for `{slug}`"),
                )
                .hint(format!(
                    "add `{slug} = \"…\"`: every framework in site.toml needs one"
                )),
            );
        }
    }
    for key in values.keys() {
        if !frameworks.contains(key) {
            problems.push(
                Problem::new(
                    path,
                    Some(line),
                    format!("{what} names an unknown framework `{key}`"),
                )
                .hint(format!("use one of: {}", frameworks.join(", "))),
            );
        }
    }
}

/// Checks the sources and renders the body that cites them.
fn render_body(
    path: &Path,
    split: &Split<'_>,
    sources: &[Spanned<Source>],
    problems: &mut Problems,
) -> (Vec<Source>, Rendered) {
    let mut ids: Vec<String> = Vec::with_capacity(sources.len());
    for source in sources {
        let line = line_of_span(split, &source.span());
        let s = source.get_ref();
        if ids.contains(&s.id) {
            problems.push(
                Problem::new(
                    path,
                    Some(line),
                    format!("the source id `{}` is used twice", s.id),
                )
                .hint("give every source its own id"),
            );
        }
        if markdown::slugify(&s.id) != s.id {
            problems.push(
                Problem::new(
                    path,
                    Some(line),
                    format!("the source id `{}` is not a slug", s.id),
                )
                .hint("use lower-case letters, digits and hyphens"),
            );
        }
        if !(s.url.starts_with("https://") || s.url.starts_with("http://")) {
            problems.push(
                Problem::new(
                    path,
                    Some(line),
                    format!("the source `{}` has no absolute URL", s.id),
                )
                .hint("give the full https:// address a reader can open"),
            );
        }
        ids.push(s.id.clone());
    }
    let body = markdown::render(split.body, split.body_line, &ids);
    for misuse in &body.misuse {
        problems.push(Problem::new(
            path,
            Some(misuse.line),
            format!("the body contains {}", misuse.text),
        ));
    }
    for unknown in &body.unknown_footnotes {
        problems.push(
            Problem::new(
                path,
                Some(unknown.line),
                format!("the footnote `[^{}]` matches no source", unknown.text),
            )
            .hint("add a [[sources]] entry with that id, or fix the label"),
        );
    }
    for source in sources {
        if !body.cited.contains(&source.get_ref().id) {
            let line = line_of_span(split, &source.span());
            problems.push(
                Problem::new(
                    path,
                    Some(line),
                    format!("the source `{}` is never cited", source.get_ref().id),
                )
                .hint(format!(
                    "cite it with [^{}] where the body relies on it, or remove it",
                    source.get_ref().id
                )),
            );
        }
    }
    (sources.iter().map(|s| s.get_ref().clone()).collect(), body)
}

/// Every framework's value in display order, for templates.
pub fn in_order<'a>(
    values: &'a PerFramework,
    frameworks: &'a [Framework],
) -> Vec<(&'a Framework, &'a str)> {
    frameworks
        .iter()
        .map(|f| (f, values.get(&f.slug).map(String::as_str).unwrap_or("")))
        .collect()
}

impl Content {
    /// The pages whose reviewed date is more than `rules.review_within_days` before `today`, as
    /// warnings located at their `updated` line. Empty when the rule is off.
    pub fn stale_reviews(&self, dir: &Path, today: NaiveDate) -> Vec<Problem> {
        let Some(days) = self.site.rules.review_within_days else {
            return Vec::new();
        };
        self.written()
            .filter_map(
                |Written {
                     origin, updated, ..
                 }| {
                    let age = (today - updated).num_days();
                    (age > i64::from(days)).then(|| {
                        Problem::new(
                            &dir.join(&origin.file),
                            Some(origin.updated_line),
                            format!("last reviewed on {updated}, {age} days ago"),
                        )
                        .hint(format!(
                        "check it against the current releases and sources, then set `updated`; \
                         rules.review_within_days in site.toml is {days}"
                    ))
                    })
                },
            )
            .collect()
    }
}
