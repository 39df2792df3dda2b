//! The askama templates and the view data they need; nothing here does I/O.

use askama::Template;
use chrono::NaiveDate;

use crate::assets::Assets;
use crate::content::front_matter::SiteMeta;
use crate::content::{Framework, Page, Topic};

/// Main navigation: path and label.
pub const NAV: &[(&str, &str)] = &[
    ("/", "Home"),
    ("/compare", "Compare"),
    ("/recommend", "Recommend"),
    ("/teams", "Teams"),
    ("/faq", "FAQ"),
    ("/about", "About"),
];

/// A date in both machine (`<time datetime>`) and human form.
#[derive(Debug, Clone)]
pub struct DateView {
    pub iso: String,
    pub human: String,
}

impl From<NaiveDate> for DateView {
    fn from(date: NaiveDate) -> Self {
        Self {
            iso: date.to_string(),
            human: date.format("%-d %B %Y").to_string(),
        }
    }
}

/// A page's social card as its head names it: the absolute URL and the alternative text.
#[derive(Debug, Clone)]
pub struct CardMeta {
    pub url: String,
    pub alt: String,
}

/// What the base layout needs from every page.
#[derive(Debug, Clone)]
pub struct Layout<'a> {
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub og_type: &'static str,
    pub section: &'static str,
    pub site_title: &'a str,
    pub tagline: &'a str,
    pub assets: &'a Assets,
    pub nav: &'static [(&'static str, &'static str)],
    pub last_reviewed: Option<DateView>,
    /// Ask search engines not to index this page (search results).
    pub noindex: bool,
    /// What the header's search box shows.
    pub query: String,
    /// Where a reader can suggest a change to this page (from `edit_url` in site.toml).
    pub edit: Option<String>,
    /// The link-preview image (`og:image`), when the site has one for this page.
    pub card: Option<CardMeta>,
    /// Structured data (JSON-LD), each block serialised and safe inside a `<script>` element.
    pub json_ld: Vec<String>,
    /// The page's oEmbed answer (absolute), for discovery; `None` on pages with no embed.
    pub oembed: Option<String>,
    /// What a link preview lists under the title (`twitter:label1`/`data1`, …): label, value.
    pub labels: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomeView<'a> {
    pub layout: Layout<'a>,
    pub site: &'a SiteMeta,
    pub frameworks: &'a [Framework],
    /// Why a reader may trust the pages: when and against what they were reviewed.
    pub evidence: Evidence,
    /// The topics in their named groups, in order.
    pub groups: Vec<TopicGroupView<'a>>,
}

/// What the home page shows above the fold as the grounds for trusting the comparison.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// The newest review date of any page.
    pub reviewed: Option<DateView>,
    /// The releases every topic was reviewed against: "Django 6.1", "Flask 3.1".
    pub versions: Vec<String>,
    /// How many topics and distinct sources the pages cite.
    pub topics: usize,
    pub sources: usize,
}

/// A named group of topics on the home page.
pub struct TopicGroupView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub topics: Vec<TopicCardView<'a>>,
}

/// A topic's card on the home page, with its lean when the topic states one.
pub struct TopicCardView<'a> {
    pub topic: &'a Topic,
    /// What the label says ("Leans Django", "Either"), the framework's slug (or "either") for
    /// the style, and why (inline HTML).
    pub lean: Option<(String, &'a str, String)>,
}

/// A code example with each framework's highlighted code in display order.
pub struct ExampleView<'a> {
    pub id: String,
    pub title: &'a str,
    /// The caption, as inline HTML.
    pub note: Option<String>,
    pub lang: &'a str,
    /// Framework name and highlighted HTML.
    pub columns: Vec<(&'a str, String)>,
}

#[derive(Template)]
#[template(path = "topic.html")]
pub struct TopicView<'a> {
    pub layout: Layout<'a>,
    pub topic: &'a Topic,
    /// The body with its charts in place.
    pub body_html: String,
    pub frameworks: &'a [Framework],
    /// Aspect and the value for each framework in display order.
    /// Aspect (inline HTML) and, per framework in display order, its name and value.
    pub glance: Vec<(String, Vec<(&'a str, String)>)>,
    /// Framework name and verdict, in display order.
    pub verdict: Vec<(&'a str, String)>,
    pub examples: Vec<ExampleView<'a>>,
    /// The packages the page recommends and what their newest releases declare.
    pub packages: Vec<PackageRow<'a>>,
    pub prev: Option<&'a Topic>,
    pub next: Option<&'a Topic>,
}

/// A recommended package's support, as the topic page shows it.
pub struct PackageRow<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub newest: &'a str,
    pub released: DateView,
    /// "Django 4.2, 5.2, 6.0", or "nothing".
    pub declares: String,
    /// What the declared support leaves out of the versions reviewed, or that it covers them.
    pub caveat: String,
    /// Whether `caveat` is a warning.
    pub short: bool,
}

#[derive(Template)]
#[template(path = "framework.html")]
pub struct FrameworkView<'a> {
    pub layout: Layout<'a>,
    pub framework: &'a Framework,
    /// Topic slug, title and this framework's verdict.
    pub topics: Vec<(&'a str, &'a str, String)>,
}

#[derive(Template)]
#[template(path = "page.html")]
pub struct PageView<'a> {
    pub layout: Layout<'a>,
    pub page: &'a Page,
    /// The body with its charts in place.
    pub body_html: String,
}

/// One row of the matrix.
pub struct MatrixRow<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    /// The topic's own lean: its label ("Leans Django", "Either"), the framework slug or
    /// "either", and why (HTML).
    pub lean: Option<(String, &'a str, String)>,
    pub cells: Vec<MatrixCell>,
}

/// One framework's cell: a short signal from the topic's lean, and its verdict (HTML) a tap away.
pub struct MatrixCell {
    /// "usual", "some" or "depends": the legend's three signals.
    pub signal: &'static str,
    pub verdict: String,
}

impl MatrixCell {
    /// The signal as the legend words it.
    pub fn label(&self) -> &'static str {
        match self.signal {
            "usual" => "Usually the better choice",
            "some" => "Better in some cases",
            _ => "Depends on the project",
        }
    }
}

#[derive(Template)]
#[template(path = "compare.html")]
pub struct CompareView<'a> {
    pub layout: Layout<'a>,
    pub frameworks: &'a [Framework],
    pub rows: Vec<MatrixRow<'a>>,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorView<'a> {
    pub layout: Layout<'a>,
    pub heading: &'a str,
    pub message: &'a str,
}

/// An entry of the Atom feed: one reviewed page.
pub struct FeedEntry<'a> {
    pub title: String,
    pub path: String,
    /// The change's fragment, unique on its page: `change-2026-12-07` (`-2` for a second).
    pub id: &'a str,
    /// RFC 3339, from the change's date.
    pub updated: String,
    /// What changed.
    pub summary: &'a str,
    pub kind: &'static str,
}

#[derive(Template)]
#[template(path = "feed.xml")]
pub struct FeedView<'a> {
    pub title: &'a str,
    pub subtitle: &'a str,
    pub base_url: &'a str,
    pub updated: String,
    pub entries: Vec<FeedEntry<'a>>,
}

/// A URL of the sitemap, with its reviewed date when it has one.
pub struct SitemapEntry {
    pub path: String,
    pub updated: Option<NaiveDate>,
}

#[derive(Template)]
#[template(path = "sitemap.xml")]
pub struct SitemapView<'a> {
    pub base_url: &'a str,
    pub entries: Vec<SitemapEntry>,
}

/// One example project on the methodology page.
pub struct ExampleRow<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// "Django (strong)" or "A toss-up".
    pub outcome: String,
    /// "Django 14, Flask 6".
    pub scores: String,
    pub why_html: &'a str,
    pub permalink: String,
}

#[derive(Template)]
#[template(path = "partials/examples.html")]
pub struct ExamplesView<'a> {
    pub rows: Vec<ExampleRow<'a>>,
}

/// The questionnaire's recorded changes, newest first, with their anchors.
#[derive(Template)]
#[template(path = "partials/scoring-changes.html")]
pub struct ScoringChangesView<'a> {
    pub changes: Vec<(
        &'a crate::content::questionnaire::QuestionnaireChange,
        String,
    )>,
}

#[derive(Template)]
#[template(path = "partials/scoring.html")]
pub struct ScoringView<'a> {
    /// Framework name and the highest score it can reach.
    pub rows: Vec<(&'a str, u32)>,
    pub questions: usize,
    pub facts: usize,
}
