//! Typed front matter: the TOML between the `+++` lines at the top of every content file.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use super::problem::{line_of, Problem};

/// A content file cut in two: its front matter and its Markdown body.
#[derive(Debug)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    /// Line on which the front matter's first line sits (the line after the opening `+++`).
    pub front_matter_line: usize,
    pub body: &'a str,
    /// Line on which the body's first line sits.
    pub body_line: usize,
}

/// Cuts `text` at its `+++` fences.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Problem> {
    let missing = || {
        Problem::new(path, Some(1), "no front matter found")
            .hint("start the file with a line `+++`, the TOML front matter, and another line `+++`")
    };
    let rest = text
        .strip_prefix("+++\r\n")
        .or_else(|| text.strip_prefix("+++\n"))
        .ok_or_else(missing)?;
    let start = text.len() - rest.len();
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let front_matter = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok(Split {
                front_matter,
                front_matter_line: 2,
                body,
                body_line: line_of(text, start + offset + line.len()),
            });
        }
        offset += line.len();
    }
    Err(
        Problem::new(path, Some(1), "the front matter is never closed")
            .hint("add a line `+++` after the last front matter field"),
    )
}

/// Parses front matter into `T`, reporting TOML and schema errors with the file line.
pub fn parse<T: for<'de> Deserialize<'de>>(path: &Path, split: &Split<'_>) -> Result<T, Problem> {
    toml::from_str(split.front_matter).map_err(|err| {
        let line = err
            .span()
            .map(|span| split.front_matter_line + line_of(split.front_matter, span.start) - 1);
        Problem::new(
            path,
            line.or(Some(split.front_matter_line)),
            err.message().trim(),
        )
        .hint("fix the front matter field; see docs/content.md for every field")
    })
}

/// Reads and parses a whole-TOML file (site.toml, questionnaire.toml, data files), reporting an
/// unreadable file as `cannot read {what}` with `hint`. Returns the text too, for line numbers.
pub fn read_toml<T: for<'de> Deserialize<'de>>(
    path: &Path,
    what: &str,
    hint: &str,
    problems: &mut super::problem::Problems,
) -> Option<(String, T)> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            problems
                .push(Problem::new(path, None, format!("cannot read {what}: {err}")).hint(hint));
            return None;
        }
    };
    let whole = Split {
        front_matter: &text,
        front_matter_line: 1,
        body: "",
        body_line: 1,
    };
    let value = parse(path, &whole).map_err(|p| problems.push(p)).ok()?;
    Some((text, value))
}

/// A TOML date (`2026-11-22`) as a calendar date.
pub fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    let value = toml::value::Datetime::deserialize(deserializer)?;
    match (value.date, value.time) {
        (Some(d), None) => {
            NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                .ok_or_else(|| serde::de::Error::custom("not a valid calendar date"))
        }
        _ => Err(serde::de::Error::custom(
            "expected a bare date such as 2026-11-22",
        )),
    }
}

/// An optional TOML date.
pub fn optional_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    date(deserializer).map(Some)
}

/// Values keyed by framework slug (`django = "…"`).
pub type PerFramework = BTreeMap<String, String>;

/// A source a page cites; its `id` is the footnote label.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Footnote label, cited in the body as `[^id]`.
    pub id: String,
    /// Title of the document, as its publisher gives it.
    pub title: String,
    /// Where to read it.
    pub url: String,
    /// When we last read it.
    #[serde(deserialize_with = "date")]
    pub accessed: NaiveDate,
}

/// One row of a topic's at-a-glance table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlanceRow {
    pub aspect: String,
    pub values: PerFramework,
}

/// Code that shows the same task in each framework.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub title: String,
    /// Syntax name or extension for highlighting; Python when absent.
    #[serde(default = "python")]
    pub lang: String,
    /// A one-line caption.
    #[serde(default)]
    pub note: Option<String>,
    pub code: PerFramework,
}

fn python() -> String {
    "python".to_owned()
}

/// One entry of a page's change history: what a review changed, when, and which sections of
/// the page (heading ids) or questionnaire facts (`fact:<id>`) it touched. A review that
/// changed nothing touches nothing, so it never reads as a change of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    #[serde(deserialize_with = "date")]
    pub date: NaiveDate,
    /// One plain line for readers.
    pub summary: String,
    #[serde(default)]
    pub touched: Vec<String>,
}

/// Front matter of `content/topics/{slug}.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicMeta {
    pub title: String,
    /// At most 160 characters; becomes the meta description.
    pub summary: String,
    /// Order among topics, ascending.
    pub weight: i64,
    /// When the page was last reviewed.
    #[serde(deserialize_with = "date")]
    pub updated: NaiveDate,
    /// Framework versions the review covered.
    pub versions_reviewed: Vec<String>,
    /// The third-party packages the page recommends, by name in packages.toml; their support
    /// caveats are rendered from that data.
    #[serde(default)]
    pub packages: Vec<String>,
    /// Old URLs that redirect here.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The id of the `[[topic_groups]]` entry of site.toml the home page lists this topic under.
    #[serde(default)]
    pub group: Option<String>,
    /// Which way the topic leans, in one line, for the home page.
    #[serde(default)]
    pub lean: Option<Spanned<Lean>>,
    /// The at-a-glance table.
    pub glance: Vec<Spanned<GlanceRow>>,
    /// "Choose X when…", per framework.
    pub verdict: Spanned<PerFramework>,
    #[serde(default)]
    pub examples: Vec<Spanned<Example>>,
    #[serde(default)]
    pub sources: Vec<Spanned<Source>>,
    /// What each review changed, as data (see [`Change`]).
    #[serde(default)]
    pub changes: Vec<Spanned<Change>>,
}

/// Front matter of `content/frameworks/{slug}.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkMeta {
    pub name: String,
    pub tagline: String,
    pub summary: String,
    pub first_release: String,
    /// The release lines the project still publishes or supports, newest first.
    pub releases: Vec<Release>,
    pub license: String,
    pub maintainer: String,
    pub website: String,
    pub repository: String,
    #[serde(deserialize_with = "date")]
    pub updated: NaiveDate,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub sources: Vec<Spanned<Source>>,
    /// What each review changed, as data (see [`Change`]).
    #[serde(default)]
    pub changes: Vec<Spanned<Change>>,
}

/// One release line of a framework (`6.1`), as its project published it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// The feature release, `major.minor`: `6.1`.
    pub version: String,
    /// The day the project published it.
    #[serde(deserialize_with = "date")]
    pub released: NaiveDate,
    /// A long-term-support release.
    #[serde(default)]
    pub lts: bool,
    /// The end of security fixes, where the project states one.
    #[serde(default, deserialize_with = "optional_date")]
    pub supported_until: Option<NaiveDate>,
    /// A short note on the support date, e.g. that it is only planned.
    #[serde(default)]
    pub support_note: Option<String>,
}

impl Release {
    /// Whether the project still fixes security issues in it on `today` (no end stated counts
    /// as supported).
    pub fn supported_on(&self, today: NaiveDate) -> bool {
        self.supported_until.is_none_or(|end| end >= today)
    }
}

/// Front matter of `content/pages/{slug}.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    pub title: String,
    pub summary: String,
    /// The page answers questions, one per `##` heading: it is described to search engines as
    /// an FAQ page (structured data) and checked against `rules.min_faq_questions`.
    #[serde(default)]
    pub faq: bool,
    #[serde(deserialize_with = "date")]
    pub updated: NaiveDate,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub sources: Vec<Spanned<Source>>,
    /// What each review changed, as data (see [`Change`]).
    #[serde(default)]
    pub changes: Vec<Spanned<Change>>,
}

/// What every kind of front matter has, for loading and listing pages whatever their kind.
pub trait FrontMatter: for<'de> Deserialize<'de> + Send {
    /// The page's title (a framework's name).
    fn title(&self) -> &str;
    fn summary(&self) -> &str;
    fn updated(&self) -> NaiveDate;
    fn aliases(&self) -> &[String];
    fn sources(&self) -> &[Spanned<Source>];
    fn changes(&self) -> &[Spanned<Change>];
}

macro_rules! front_matter {
    ($($meta:ty => $title:ident),*) => {$(
        impl FrontMatter for $meta {
            fn title(&self) -> &str {
                &self.$title
            }
            fn summary(&self) -> &str {
                &self.summary
            }
            fn updated(&self) -> NaiveDate {
                self.updated
            }
            fn aliases(&self) -> &[String] {
                &self.aliases
            }
            fn sources(&self) -> &[Spanned<Source>] {
                &self.sources
            }
            fn changes(&self) -> &[Spanned<Change>] {
                &self.changes
            }
        }
    )*};
}
front_matter!(TopicMeta => title, FrameworkMeta => name, PageMeta => title);

/// Which way a topic leans: a reader's one-glance answer before reading the page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lean {
    /// A framework slug, or [`EITHER`] when the page finds neither ahead.
    pub towards: String,
    /// Why, in one line of inline Markdown.
    pub because: String,
}

/// The `towards` of a topic that leans to neither framework.
pub const EITHER: &str = "either";

/// A named group of topics on the home page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicGroup {
    /// What topics name in their `group`.
    pub id: String,
    pub name: String,
}

/// `content/site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteMeta {
    pub title: String,
    pub tagline: String,
    pub description: String,
    /// Absolute URL the site is served under, used for canonical links; `--base-url` overrides it.
    pub base_url: String,
    /// Framework slugs in display order.
    pub frameworks: Vec<String>,
    /// Where readers can suggest a change to a page, with `{path}` standing for the file's path
    /// in the content directory (`topics/security.md`). No edit links when absent.
    #[serde(default)]
    pub edit_url: Option<String>,
    /// The groups the home page lists topics in, in order; topics without a group follow.
    #[serde(default)]
    pub topic_groups: Vec<TopicGroup>,
    /// Editorial rules `versus check` enforces beyond the schema (all optional).
    #[serde(default)]
    pub rules: Rules,
}

/// Editorial rules for a content tree; each is off when absent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Fewest and most words of prose in a topic body (code excluded).
    pub topic_words: Option<[usize; 2]>,
    /// Fewest questions (`##` sections) on the FAQ page.
    pub min_faq_questions: Option<usize>,
    /// Fewest myths (`##` sections) on the myths page.
    pub min_myths: Option<usize>,
    /// Days after which `versus check` warns that a page's reviewed date (`updated`) is stale.
    pub review_within_days: Option<u32>,
    /// Days after a supported release's date by which every topic must name it in
    /// `versions_reviewed` ([`DEFAULT_REVIEW_AFTER_RELEASE_DAYS`] when absent).
    pub review_after_release_days: Option<u32>,
}

/// How long a topic may go unreviewed against a new release, unless site.toml says otherwise.
pub const DEFAULT_REVIEW_AFTER_RELEASE_DAYS: u32 = 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_starts_on_the_line_after_the_closing_fence() {
        let text = "+++\ntitle = \"x\"\n+++\nbody\n";
        let s = split(Path::new("x.md"), text).unwrap();
        assert_eq!(s.front_matter, "title = \"x\"\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn a_file_without_front_matter_says_how_to_add_it() {
        let err = split(Path::new("x.md"), "# hello").unwrap_err();
        assert!(err.hint.contains("+++"), "{err}");
    }

    #[test]
    fn an_unclosed_front_matter_is_reported() {
        let err = split(Path::new("x.md"), "+++\ntitle = 1\n").unwrap_err();
        assert!(err.message.contains("never closed"), "{err}");
    }

    #[test]
    fn an_unknown_field_names_its_line() {
        let text =
            "+++\ntitle = \"A\"\nsummary = \"s\"\nupdated = 2026-01-01\ncolour = \"red\"\n+++\n";
        let s = split(Path::new("p.md"), text).unwrap();
        let err = parse::<PageMeta>(Path::new("p.md"), &s).unwrap_err();
        assert_eq!(err.line, Some(5), "{err}");
        assert!(err.message.contains("colour"), "{err}");
    }

    #[test]
    fn a_quoted_date_is_refused() {
        let text = "+++\ntitle = \"A\"\nsummary = \"s\"\nupdated = \"yesterday\"\n+++\n";
        let s = split(Path::new("p.md"), text).unwrap();
        let err = parse::<PageMeta>(Path::new("p.md"), &s).unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
    }
}
