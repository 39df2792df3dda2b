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
pub use front_matter::FrontMatter;
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
/// Longest reason a topic gives for its lean, so that it fits a home page card.
pub const MAX_LEAN: usize = 100;
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
    /// The form's named steps, in order; empty when the questionnaire names none.
    pub questionnaire_steps: Vec<questionnaire::Step>,
    /// The packages the content recommends, from packages.toml.
    pub packages: Vec<packages::Package>,
    /// Example projects with their checked outcomes, from examples.toml (may be empty).
    pub examples: Vec<examples::ExampleProject>,
    /// The links in the examples' explanations, for the link checker.
    pub example_links: Vec<Located>,
}

/// One change-history entry with the line it is on in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub change: Change,
    pub line: usize,
    /// Its anchor on the page (`change-2026-12-07`, `-2`, `-3` for later ones of one date,
    /// numbered from the oldest so an id never moves when an entry is added).
    pub id: String,
}

/// Each change's anchor, for a list sorted newest first.
pub(crate) fn change_ids(dates: &[NaiveDate]) -> Vec<String> {
    dates
        .iter()
        .enumerate()
        .map(
            |(i, date)| match dates[i + 1..].iter().filter(|d| *d == date).count() {
                0 => format!("change-{date}"),
                n => format!("change-{date}-{}", n + 1),
            },
        )
        .collect()
}

/// Where a page's text lives, for edit links and review warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Path relative to the content directory, with `/` separators: `topics/security.md`.
    pub file: String,
    /// The line of the `updated` (reviewed) date in that file.
    pub updated_line: usize,
}

/// The kinds of page written in content files: what a kind is called, where its files and
/// pages live, and how search ranks it are decided here, once. Everything else that lists pages
/// (search, cards, the feed, the sitemap, links, aliases) goes through [`Content::written`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Topic,
    Framework,
    Page,
}

impl Kind {
    /// Every kind, in the order pages are listed.
    pub const ALL: [Kind; 3] = [Self::Topic, Self::Framework, Self::Page];

    /// Lower case, as the feed's category uses it.
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

    /// The directory of the content directory that holds this kind's files.
    pub fn dir(self) -> &'static str {
        match self {
            Self::Topic => "topics",
            Self::Framework => "frameworks",
            Self::Page => "pages",
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

    /// Whether this kind's files have the plain page front matter ([`PageMeta`]) and land in
    /// [`Content::pages`]: every kind but topics and frameworks, whose front matter is their own.
    pub fn is_plain(self) -> bool {
        !matches!(self, Self::Topic | Self::Framework)
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

/// One page written in a content file: its typed front matter `M` and what every kind shares,
/// loaded the same way whatever the kind.
#[derive(Debug, Clone)]
pub struct Entry<M> {
    pub kind: Kind,
    pub slug: String,
    pub meta: M,
    pub sources: Vec<Source>,
    pub body: Rendered,
    pub origin: Origin,
    /// The change history, newest first.
    pub changes: Vec<Changed>,
}

/// A topic compared across frameworks.
pub type Topic = Entry<TopicMeta>;
/// A framework profile.
pub type Framework = Entry<FrameworkMeta>;
/// A page with the plain front matter (about, methodology, …), of any plain kind.
pub type Page = Entry<PageMeta>;

impl<M: FrontMatter> Entry<M> {
    /// What this page shares with every other written page.
    pub fn written(&self) -> Written<'_> {
        Written {
            kind: self.kind,
            path: self.kind.path(&self.slug),
            title: self.meta.title(),
            summary: self.meta.summary(),
            updated: self.meta.updated(),
            aliases: self.meta.aliases(),
            origin: &self.origin,
            changes: &self.changes,
        }
    }
}

impl Topic {
    /// The at-a-glance table.
    pub fn glance(&self) -> impl Iterator<Item = &GlanceRow> {
        self.meta.glance.iter().map(toml::Spanned::get_ref)
    }

    /// "Choose X when…", per framework.
    pub fn verdict(&self) -> &PerFramework {
        self.meta.verdict.get_ref()
    }

    /// The code examples, side by side.
    pub fn examples(&self) -> impl Iterator<Item = &Example> {
        self.meta.examples.iter().map(toml::Spanned::get_ref)
    }
}

impl Content {
    /// The most recent review date of any page: what the footer shows.
    pub fn last_reviewed(&self) -> Option<NaiveDate> {
        self.written().map(|w| w.updated).max()
    }

    /// Every page written in a content file (topics, then framework profiles, then the plain
    /// kinds), with what all kinds share.
    pub fn written(&self) -> impl Iterator<Item = Written<'_>> {
        let topics = self.topics.iter().map(Entry::written);
        let frameworks = self.frameworks.iter().map(Entry::written);
        let pages = self.pages.iter().map(Entry::written);
        topics.chain(frameworks).chain(pages)
    }

    /// The questionnaire's recorded changes, newest first, each with its anchor on the page that
    /// lists them (`scoring-change-2026-12-07`, numbered as page changes are).
    pub fn scoring_changes(
        &self,
    ) -> impl Iterator<Item = (&questionnaire::QuestionnaireChange, String)> {
        let dates: Vec<NaiveDate> = self
            .questionnaire_changes
            .iter()
            .map(|(c, _)| c.date)
            .collect();
        self.questionnaire_changes
            .iter()
            .map(|(change, _)| change)
            .zip(
                change_ids(&dates)
                    .into_iter()
                    .map(|id| format!("scoring-{id}")),
            )
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
