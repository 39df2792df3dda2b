//! Content: files, front matter and Markdown, loaded into typed, validated values.
//! It never knows about HTTP; `site` renders what it loads.

pub mod data;
mod document;
pub mod examples;
pub mod front_matter;
pub mod highlight;
pub mod links;
mod load;
pub mod markdown;
pub mod packages;
pub mod problem;
pub mod questionnaire;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use crate::paths;
use crate::recommender::Questionnaire;
pub use front_matter::Change;
use front_matter::{
    Example, FrameworkMeta, GlanceRow, PageMeta, PerFramework, SiteMeta, Source, TopicMeta,
};
pub use load::{load, load_on, GENERATED, SUMMARY};
use markdown::{Located, Rendered};
pub use problem::{Problem, Problems};

/// The content pages every site has, at `/{slug}`.
pub const REQUIRED_PAGES: &[&str] = &["about", "methodology", "faq", "myths"];
/// Longest summary, so that it fits a search result and a link preview.
pub const MAX_SUMMARY: usize = 160;
/// The fewest rows an at-a-glance table may have.
pub const MIN_GLANCE_ROWS: usize = 4;
/// Longest summary of one change.
pub const MAX_CHANGE_SUMMARY: usize = 200;
/// The id of the "What changed" section every written page has.
pub const CHANGES_ID: &str = "what-changed";
/// The id of the section that lists a topic's packages and their declared support.
pub const PACKAGES_ID: &str = "package-support";
/// The prefix of a questionnaire fact among a change's `touched` ids.
pub const FACT_PREFIX: &str = "fact:";
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
    /// Measured data by file name, for the charts pages embed.
    pub benchmarks: BTreeMap<String, data::Dataset>,
    /// Earlier versions of the questionnaire by version, from `questionnaire-history/`, so a
    /// result made with one can be recomputed.
    pub questionnaire_history: BTreeMap<String, Questionnaire>,
    /// The questionnaire's recorded changes with their lines, newest first.
    pub questionnaire_changes: Vec<(questionnaire::QuestionnaireChange, usize)>,
    /// Each fact's evidence link with its line in questionnaire.toml, for the link checker.
    pub questionnaire_links: Vec<Located>,
    /// The packages the content recommends, from packages.toml.
    pub packages: Vec<packages::Package>,
    /// Example projects with their checked outcomes, from examples.toml (may be empty).
    pub examples: Vec<examples::ExampleProject>,
    /// The links in the examples' explanations, for the link checker.
    pub example_links: Vec<Located>,
}

/// A framework profile.
#[derive(Debug, Clone)]
pub struct Framework {
    pub slug: String,
    pub meta: FrameworkMeta,
    pub sources: Vec<Source>,
    pub body: Rendered,
    pub origin: Origin,
    /// The change history, newest first.
    pub changes: Vec<Changed>,
}

/// One change-history entry with the line it is on in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub change: Change,
    pub line: usize,
}

/// Where a page's text lives, for edit links and review warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Path relative to the content directory, with `/` separators: `topics/security.md`.
    pub file: String,
    /// The line of the `updated` (reviewed) date in that file.
    pub updated_line: usize,
}

/// The kinds of page written in content files: what a kind is called, where its pages live,
/// and how search ranks it are decided here, once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Topic,
    Framework,
    Page,
}

impl Kind {
    /// Lower case, as the feed's category and the content directories use it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Topic => "topic",
            Self::Framework => "framework",
            Self::Page => "page",
        }
    }

    /// As readers see it beside a search result.
    pub fn label(self) -> &'static str {
        match self {
            Self::Topic => "Topic",
            Self::Framework => "Framework",
            Self::Page => "Page",
        }
    }

    /// The address of a page of this kind.
    pub fn path(self, slug: &str) -> String {
        match self {
            Self::Topic => paths::topic(slug),
            Self::Framework => paths::framework(slug),
            Self::Page => paths::page(slug),
        }
    }

    /// How search weighs a match at equal relevance: topics are what the site is for.
    pub fn search_weight(self) -> f32 {
        match self {
            Self::Topic => 1.25,
            Self::Framework | Self::Page => 1.0,
        }
    }
}

/// What every page written in a content file has, whatever its kind.
#[derive(Debug, Clone)]
pub struct Written<'a> {
    pub kind: Kind,
    pub path: String,
    /// The title (a framework's name).
    pub title: &'a str,
    pub summary: &'a str,
    /// The reviewed date.
    pub updated: NaiveDate,
    pub aliases: &'a [String],
    pub origin: &'a Origin,
    /// The change history, newest first.
    pub changes: &'a [Changed],
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
    /// The change history, newest first.
    pub changes: Vec<Changed>,
}

/// A content page (about, methodology, …).
#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub meta: PageMeta,
    pub sources: Vec<Source>,
    pub body: Rendered,
    pub origin: Origin,
    /// The change history, newest first.
    pub changes: Vec<Changed>,
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
            kind: Kind::Topic,
            path: Kind::Topic.path(&t.slug),
            title: &t.meta.title,
            summary: &t.meta.summary,
            updated: t.meta.updated,
            aliases: &t.meta.aliases,
            origin: &t.origin,
            changes: &t.changes,
        });
        let frameworks = self.frameworks.iter().map(|f| Written {
            kind: Kind::Framework,
            path: Kind::Framework.path(&f.slug),
            title: &f.meta.name,
            summary: &f.meta.summary,
            updated: f.meta.updated,
            aliases: &f.meta.aliases,
            origin: &f.origin,
            changes: &f.changes,
        });
        let pages = self.pages.iter().map(|p| Written {
            kind: Kind::Page,
            path: Kind::Page.path(&p.slug),
            title: &p.meta.title,
            summary: &p.meta.summary,
            updated: p.meta.updated,
            aliases: &p.meta.aliases,
            origin: &p.origin,
            changes: &p.changes,
        });
        topics.chain(frameworks).chain(pages)
    }

    pub fn framework(&self, slug: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.slug == slug)
    }

    /// The feature versions of `framework` (a slug) that `topic` was reviewed against:
    /// "Django 5.2 LTS" in `versions_reviewed` gives "5.2".
    pub fn reviewed_versions(&self, topic: &Topic, framework: &str) -> Vec<String> {
        let Some(name) = self.framework(framework).map(|f| f.meta.name.as_str()) else {
            return Vec::new();
        };
        topic
            .meta
            .versions_reviewed
            .iter()
            .filter_map(|entry| entry.strip_prefix(name)?.strip_prefix(' '))
            .filter_map(|rest| rest.split_whitespace().next())
            .map(str::to_owned)
            .collect()
    }

    /// The packages `topic` recommends, each with the reviewed versions of its framework it
    /// does not declare (empty when it covers them all).
    pub fn package_support<'a>(
        &'a self,
        topic: &Topic,
    ) -> Vec<(&'a packages::Package, Vec<String>)> {
        topic
            .meta
            .packages
            .iter()
            .filter_map(|name| self.packages.iter().find(|p| &p.name == name))
            .map(|package| {
                let reviewed = self.reviewed_versions(topic, &package.framework);
                let missing = package
                    .uncovered(&reviewed)
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                (package, missing)
            })
            .collect()
    }

    /// The frameworks' names joined by `joiner`: "Django vs Flask".
    pub fn contenders(&self, joiner: &str) -> String {
        self.frameworks
            .iter()
            .map(|f| f.meta.name.as_str())
            .collect::<Vec<_>>()
            .join(joiner)
    }
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
