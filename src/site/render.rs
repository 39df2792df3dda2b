//! The renderer: borrows the content and turns each kind of page into bytes, once, for the page
//! store. It knows templates and paths; it never sees a request.

use std::collections::HashMap;

use askama::Template;
use rayon::prelude::*;

use super::card::{Card, Cards};
use super::chart;
use super::store::{Caching, ErrorPages, PageStore, Resource, JSON};
use super::views::{
    CardMeta, CompareView, DateView, ErrorView, Evidence, ExampleRow, ExampleView, ExamplesView,
    FeedEntry, FeedView, FrameworkView, HomeView, Layout, MatrixCell, MatrixRow, PackageRow,
    PageView, ScoringChangesView, ScoringView, SitemapEntry, SitemapView, TopicCardView,
    TopicGroupView, TopicView, NAV,
};
use crate::assets::Assets;
use crate::content::data::Dataset;
use crate::content::highlight::highlight;
use crate::content::{in_order, markdown, Content, Framework, Kind, Page, Topic};
use crate::paths;
use crate::recommender::recommend;

/// A JSON-LD block for a `<script type="application/ld+json">` element: `<`, `>` and `&` are
/// written as JSON escapes (the same JSON), so no text in it, a search query included, can end
/// the element or read as markup.
fn json_ld(value: &impl serde::Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    if !json.contains(['<', '>', '&']) {
        return json;
    }
    // One pass: a recommendation's permalink has an `&` between every two answers.
    let mut safe = String::with_capacity(json.len() + 64);
    let mut last = 0;
    for (at, special) in json.match_indices(['<', '>', '&']) {
        safe.push_str(&json[last..at]);
        safe.push_str(match special {
            "<" => "\\u003c",
            ">" => "\\u003e",
            _ => "\\u0026",
        });
        last = at + 1;
    }
    safe.push_str(&json[last..]);
    safe
}

/// A BreadcrumbList of two items, home and this page, written straight from the types: it is
/// made per request for recommendation pages, where a `serde_json::Value` built first showed in
/// profiles (`benches/RESULTS.md`).
#[derive(serde::Serialize)]
struct Breadcrumbs<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "itemListElement")]
    items: [Crumb<'a>; 2],
}

#[derive(serde::Serialize)]
struct Crumb<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    position: u32,
    name: &'a str,
    item: &'a str,
}

/// Front-matter text as inline HTML. `versus check` refuses text that is not inline Markdown, so
/// the escaped fallback only guards against content that skipped the check.
fn inline(text: &str) -> String {
    markdown::inline(text).unwrap_or_else(|_| {
        let mut escaped = String::new();
        let _ = pulldown_cmark_escape::escape_html(&mut escaped, text);
        escaped
    })
}

/// One written page to render.
enum Job<'a> {
    Home,
    Compare,
    Topic(usize, &'a Topic),
    Framework(&'a Framework),
    Page(&'a Page),
}

/// Rendering failed: a template bug, not a content problem.
#[derive(Debug, thiserror::Error)]
#[error("rendering {path} failed: {source}")]
pub struct RenderError {
    path: String,
    #[source]
    source: askama::Error,
}

impl RenderError {
    fn at(path: &str) -> impl FnOnce(askama::Error) -> Self + '_ {
        move |source| Self {
            path: path.to_owned(),
            source,
        }
    }
}

/// What every page is rendered from: the content, where the site lives, and its assets.
#[derive(Debug, Clone, Copy)]
pub struct Renderer<'a> {
    pub content: &'a Content,
    /// The public URL, without a trailing slash.
    pub base_url: &'a str,
    pub assets: &'a Assets,
    pub cards: &'a Cards,
    /// The most recent review date of any page, for the footer.
    pub last_reviewed: Option<&'a DateView>,
    /// The questionnaire's version, which permalinks carry.
    pub questionnaire_version: &'a str,
}

impl<'a> Renderer<'a> {
    /// The base layout for a page at `path`.
    pub fn layout(&self, path: &str, title: Option<&str>, description: &str) -> Layout<'a> {
        let site = &self.content.site;
        let title = match title {
            Some(t) => format!("{t} | {}", site.title),
            None => format!("{}: {}", site.title, site.tagline),
        };
        let section = NAV
            .iter()
            .rev()
            .find(|(p, _)| path == *p || (p.len() > 1 && path.starts_with(&format!("{p}/"))))
            .map_or("", |(p, _)| p);
        let canonical = paths::absolute(self.base_url, path);
        // Every page below home says where it sits: Home › this page.
        let json_ld = if path == paths::HOME {
            Vec::new()
        } else {
            let name = title.split(" | ").next().unwrap_or(&title);
            let home = paths::absolute(self.base_url, paths::HOME);
            let crumb = |position, name, item| Crumb {
                kind: "ListItem",
                position,
                name,
                item,
            };
            vec![json_ld(&Breadcrumbs {
                context: "https://schema.org",
                kind: "BreadcrumbList",
                items: [crumb(1, &site.title, &home), crumb(2, name, &canonical)],
            })]
        };
        Layout {
            card: self.cards.page(path).map(|card| self.card(card)),
            json_ld,
            title,
            description: description.to_owned(),
            canonical,
            og_type: if path.starts_with("/topics/") {
                "article"
            } else {
                "website"
            },
            section,
            site_title: &site.title,
            tagline: &site.tagline,
            assets: self.assets,
            nav: NAV,
            last_reviewed: self.last_reviewed.cloned(),
            noindex: false,
            query: String::new(),
            edit: None,
            oembed: None,
            labels: Vec::new(),
        }
    }

    /// The oEmbed answer naming the page at `path` (absolute), for its discovery link and header.
    pub fn oembed_of(&self, path: &str) -> String {
        super::embed::discovery(self.base_url, &paths::absolute(self.base_url, path))
    }

    /// What the page's head says of `card`.
    pub fn card(&self, card: &Card) -> CardMeta {
        CardMeta {
            url: paths::absolute(self.base_url, &card.path),
            alt: card.alt.clone(),
        }
    }

    /// A layout with the edit link for the content file `file` (`topics/x.md`), when the site
    /// has an `edit_url`.
    fn layout_for(
        &self,
        path: &str,
        title: Option<&str>,
        description: &str,
        file: &str,
    ) -> Layout<'a> {
        let mut layout = self.layout(path, title, description);
        layout.edit = self
            .content
            .site
            .edit_url
            .as_deref()
            .map(|template| template.replace("{path}", file));
        layout
    }

    /// A page from the error template.
    pub fn error_page(
        &self,
        path: &str,
        heading: &str,
        message: &str,
    ) -> Result<Resource, RenderError> {
        let html = ErrorView {
            layout: self.layout(path, Some(heading), message),
            heading,
            message,
        }
        .render()
        .map_err(RenderError::at(path))?;
        Ok(Resource::html(html))
    }

    /// Renders every page, feed and asset into a page store.
    pub fn store(&self) -> Result<PageStore, RenderError> {
        let c = self.content;
        // Every written page is rendered, highlighted and compressed on its own: in parallel,
        // one page per task, on all cores.
        let mut jobs = vec![
            (paths::HOME.to_owned(), Job::Home),
            (paths::COMPARE.to_owned(), Job::Compare),
        ];
        jobs.extend(
            c.topics
                .iter()
                .enumerate()
                .map(|(i, t)| (t.written().path, Job::Topic(i, t))),
        );
        jobs.extend(
            c.frameworks
                .iter()
                .map(|f| (f.written().path, Job::Framework(f))),
        );
        jobs.extend(c.pages.iter().map(|p| (p.written().path, Job::Page(p))));
        let mut out = jobs
            .into_par_iter()
            .map(|(path, job)| {
                let is_topic = matches!(job, Job::Topic(..));
                let page = match job {
                    Job::Home => self.home(),
                    Job::Compare => self.compare(),
                    Job::Topic(i, topic) => self.topic(&path, i, topic),
                    Job::Framework(framework) => self.framework(&path, framework),
                    Job::Page(page) => self.page(&path, page),
                };
                let resource = match page {
                    Ok(html) => Resource::html(html),
                    Err(err) => return Err(RenderError::at(&path)(err)),
                };
                // Topics can be embedded: their responses name their oEmbed answer too.
                Ok(if is_topic {
                    let link = super::embed::link_header(&self.oembed_of(&path));
                    (path, resource.with_link(&link))
                } else {
                    (path, resource)
                })
            })
            .collect::<Result<HashMap<String, Resource>, RenderError>>()?;
        for topic in &c.topics {
            let path = paths::embed_topic(&topic.slug);
            let html = self.topic_embed(topic).map_err(RenderError::at(&path))?;
            out.insert(path, Resource::html(html).reaching(super::Reach::Framed));
        }
        let text = |path: &str, body: askama::Result<String>, content_type: &'static str| {
            body.map(|body| {
                (
                    path.to_owned(),
                    Resource::new(body, content_type, Caching::Revalidate),
                )
            })
            .map_err(RenderError::at(path))
        };
        for (path, resource) in [
            text(
                paths::SITEMAP,
                self.sitemap(),
                "application/xml; charset=utf-8",
            )?,
            text(
                paths::FEED,
                self.feed(),
                "application/atom+xml; charset=utf-8",
            )?,
            text(
                paths::ROBOTS,
                Ok(self.robots()),
                "text/plain; charset=utf-8",
            )?,
            text(
                paths::API_QUESTIONNAIRE,
                Ok(serde_json::json!({ "questions": &c.questionnaire.questions }).to_string()),
                JSON,
            )?,
        ] {
            out.insert(path, resource);
        }
        for asset in &self.assets.all {
            out.insert(
                asset.path.clone(),
                Resource::new(asset.body.clone(), asset.content_type, Caching::Immutable),
            );
        }
        let aliases = c.written().flat_map(|w| {
            let path = w.path;
            w.aliases.iter().map(move |a| (a.clone(), path.clone()))
        });
        Ok(PageStore::new(out, aliases, self.error_pages()?))
    }

    fn error_pages(&self) -> Result<ErrorPages, RenderError> {
        let form = paths::RECOMMEND;
        Ok(ErrorPages {
            not_found: self.error_page(
                "/404",
                "Page not found",
                "There is no page at this address. It may have moved, or the link may be mistyped.",
            )?,
            server_error: self.error_page(
                "/500",
                "Something went wrong",
                "The server could not answer this request. Nothing you did caused it; please try again in a moment.",
            )?,
            too_large: self.error_page(
                form,
                "Your answers were too large",
                "The form sent more data than any set of answers needs. Please go back and submit the questionnaire again.",
            )?,
            wrong_type: self.error_page(
                form,
                "This form submission was not understood",
                "Answers must be sent as a normal HTML form (application/x-www-form-urlencoded). Please use the questionnaire page.",
            )?,
            unreadable: self.error_page(
                form,
                "Your answers could not be read",
                "The connection broke while the form was being sent. Please submit the questionnaire again.",
            )?,
        })
    }

    /// A topic's lean as the home page and the matrix show it: the label, the framework slug
    /// (or "either") and why.
    fn lean(&self, topic: &'a Topic) -> Option<(String, &'a str, String)> {
        topic.meta.lean.as_ref().map(|lean| {
            let lean = lean.get_ref();
            let label = self
                .content
                .framework(&lean.towards)
                .map_or_else(|| "Either".to_owned(), |f| format!("Leans {}", f.meta.name));
            (label, lean.towards.as_str(), inline(&lean.because))
        })
    }

    fn home(&self) -> askama::Result<String> {
        let c = self.content;
        let card = |topic: &'a Topic| TopicCardView {
            topic,
            lean: self.lean(topic),
        };
        let mut groups: Vec<TopicGroupView<'a>> = c
            .site
            .topic_groups
            .iter()
            .map(|g| TopicGroupView {
                id: &g.id,
                name: &g.name,
                topics: c
                    .topics
                    .iter()
                    .filter(|t| t.meta.group.as_deref() == Some(g.id.as_str()))
                    .map(card)
                    .collect(),
            })
            .collect();
        let ungrouped: Vec<TopicCardView<'a>> = c
            .topics
            .iter()
            .filter(|t| {
                t.meta
                    .group
                    .as_ref()
                    .is_none_or(|id| c.site.topic_groups.iter().all(|g| &g.id != id))
            })
            .map(card)
            .collect();
        if !ungrouped.is_empty() {
            let name = if groups.is_empty() {
                "Topics"
            } else {
                "More topics"
            };
            groups.push(TopicGroupView {
                id: "topics",
                name,
                topics: ungrouped,
            });
        }
        HomeView {
            layout: self.layout(paths::HOME, None, &c.site.description),
            site: &c.site,
            frameworks: &c.frameworks,
            evidence: evidence(c),
            groups,
        }
        .render()
    }

    fn compare(&self) -> askama::Result<String> {
        let c = self.content;
        let rows = c
            .topics
            .iter()
            .map(|t| {
                let towards = t.meta.lean.as_ref().map(|l| l.get_ref().towards.as_str());
                MatrixRow {
                    slug: &t.slug,
                    title: &t.meta.title,
                    lean: self.lean(t),
                    cells: in_order(t.verdict(), &c.frameworks)
                        .into_iter()
                        .map(|(f, v)| MatrixCell {
                            signal: match towards {
                                Some(slug) if slug == f.slug => "usual",
                                Some(slug) if c.framework(slug).is_some() => "some",
                                _ => "depends",
                            },
                            verdict: inline(v),
                        })
                        .collect(),
                }
            })
            .collect();
        let description = format!(
            "{} compared on every topic in one table, each row linking to the sourced comparison.",
            c.contenders(" and ")
        );
        CompareView {
            layout: self.layout(
                paths::COMPARE,
                Some("Every topic side by side"),
                &description,
            ),
            frameworks: &c.frameworks,
            rows,
        }
        .render()
    }

    fn topic(&self, path: &str, index: usize, topic: &'a Topic) -> askama::Result<String> {
        let c = self.content;
        let examples = topic
            .examples()
            .map(|ex| ExampleView {
                id: format!("code-{}", markdown::slugify(&ex.title)),
                title: &ex.title,
                note: ex.note.as_deref().map(inline),
                lang: &ex.lang,
                columns: in_order(&ex.code, &c.frameworks)
                    .into_iter()
                    .map(|(f, code)| (f.meta.name.as_str(), highlight(code, &ex.lang)))
                    .collect(),
            })
            .collect();
        let body_html = self.with_charts(&topic.body.html, &topic.body.charts)?;
        let title = format!("{}: {}", topic.meta.title, c.contenders(" vs "));
        let mut layout =
            self.layout_for(path, Some(&title), &topic.meta.summary, &topic.origin.file);
        layout
            .json_ld
            .push(self.article(path, &title, &topic.meta.summary, topic.meta.updated));
        layout.oembed = Some(self.oembed_of(path));
        let packages = c
            .package_support(topic)
            .into_iter()
            .map(|(package, missing)| {
                let framework = c
                    .framework(&package.framework)
                    .map_or(package.framework.as_str(), |f| f.meta.name.as_str());
                let caveat = if missing.is_empty() {
                    format!("Covers the {framework} versions reviewed")
                } else if package.declares.is_empty() {
                    format!("Declares no {framework} version")
                } else {
                    format!("Does not declare {framework} {}", missing.join(", "))
                };
                PackageRow {
                    name: &package.name,
                    url: &package.url,
                    newest: &package.newest,
                    released: package.released.into(),
                    declares: if package.declares.is_empty() {
                        "nothing".to_owned()
                    } else {
                        format!("{framework} {}", package.declares.join(", "))
                    },
                    caveat,
                    short: !missing.is_empty(),
                }
            })
            .collect();
        let view = TopicView {
            body_html,
            layout,
            topic,
            packages,
            frameworks: &c.frameworks,
            glance: self.glance(topic),
            verdict: self.verdicts(topic),
            examples,
            prev: index.checked_sub(1).and_then(|p| c.topics.get(p)),
            next: c.topics.get(index + 1),
        };
        view.render()
    }

    /// A topic's at-a-glance rows: the aspect and each framework's value, as inline HTML.
    fn glance(&self, topic: &'a Topic) -> Vec<(String, Vec<(&'a str, String)>)> {
        let c = self.content;
        topic
            .glance()
            .map(|row| {
                let values = in_order(&row.values, &c.frameworks)
                    .into_iter()
                    .map(|(f, v)| (f.meta.name.as_str(), inline(v)))
                    .collect();
                (inline(&row.aspect), values)
            })
            .collect()
    }

    /// A topic's verdict per framework, as inline HTML.
    fn verdicts(&self, topic: &'a Topic) -> Vec<(&'a str, String)> {
        in_order(topic.verdict(), &self.content.frameworks)
            .into_iter()
            .map(|(f, v)| (f.meta.name.as_str(), inline(v)))
            .collect()
    }

    /// A topic's embed: its table and verdicts, for other sites' pages.
    fn topic_embed(&self, topic: &'a Topic) -> askama::Result<String> {
        let c = self.content;
        let title = format!("{}: {}", topic.meta.title, c.contenders(" vs "));
        super::embed::TopicEmbed {
            layout: super::embed::EmbedLayout::of(self, title, &paths::topic(&topic.slug)),
            summary: &topic.meta.summary,
            frameworks: c.frameworks.iter().map(|f| f.meta.name.as_str()).collect(),
            glance: self.glance(topic),
            verdict: self.verdicts(topic),
        }
        .render()
    }

    fn framework(&self, path: &str, framework: &'a Framework) -> askama::Result<String> {
        let meta = &framework.meta;
        let mut layout = self.layout_for(
            path,
            Some(&meta.name),
            &meta.summary,
            &framework.origin.file,
        );
        layout
            .json_ld
            .push(self.article(path, &meta.name, &meta.summary, meta.updated));
        FrameworkView {
            layout,
            framework,
            topics: self
                .content
                .topics
                .iter()
                .map(|t| {
                    let verdict = t.verdict().get(&framework.slug).map_or("", String::as_str);
                    (t.slug.as_str(), t.meta.title.as_str(), inline(verdict))
                })
                .collect(),
        }
        .render()
    }

    fn page(&self, path: &str, page: &'a Page) -> askama::Result<String> {
        let body_html = self.with_charts(&page.body.html, &page.body.charts)?;
        let mut layout = self.layout_for(
            path,
            Some(&page.meta.title),
            &page.meta.summary,
            &page.origin.file,
        );
        if page.meta.faq {
            layout.json_ld.push(faq_page(page));
        }
        PageView {
            layout,
            page,
            body_html,
        }
        .render()
    }

    /// `html` with each chart placeholder replaced by its chart.
    fn with_charts(&self, html: &str, charts: &[markdown::Located]) -> askama::Result<String> {
        let mut html = html.to_owned();
        for located in charts {
            let name = &located.text;
            if let Some(data) = name.strip_suffix(crate::content::SUMMARY) {
                let sentence = self.benchmark_summary(data);
                html = html.replace(&markdown::chart_placeholder(name), &sentence);
                continue;
            }
            let rendered = match name.as_str() {
                "examples" => Some(self.examples_table().render()?),
                "scoring" => Some(self.scoring_table().render()?),
                "scoring-changes" => Some(
                    ScoringChangesView {
                        changes: self.content.scoring_changes().collect(),
                    }
                    .render()?,
                ),
                _ => match self.content.benchmarks.get(name) {
                    Some(Dataset::Requests(data)) => {
                        Some(chart::benchmark(data, &self.content.frameworks).render()?)
                    }
                    Some(Dataset::Footprint(data)) => {
                        Some(chart::footprint(data, &self.content.frameworks).render()?)
                    }
                    None => None,
                },
            };
            if let Some(rendered) = rendered {
                html = html.replace(&markdown::chart_placeholder(name), &rendered);
            }
        }
        Ok(html)
    }

    /// A data file's numbers as a paragraph (`chart` block `name:summary`); empty for data
    /// without one.
    fn benchmark_summary(&self, data: &str) -> String {
        let Some(Dataset::Requests(data)) = self.content.benchmarks.get(data) else {
            return String::new();
        };
        let names: Vec<(&str, &str)> = self
            .content
            .frameworks
            .iter()
            .map(|f| (f.slug.as_str(), f.meta.name.as_str()))
            .collect();
        let (Some(&first), Some(&second)) = (names.first(), names.get(1)) else {
            return String::new();
        };
        data.summary(first, second)
            .map(|text| {
                let mut html = String::from("<p class=\"data-summary\">");
                // Writing to a String cannot fail.
                let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, &text);
                html.push_str("</p>");
                html
            })
            .unwrap_or_default()
    }

    /// `TechArticle` structured data for a reviewed page.
    fn article(
        &self,
        path: &str,
        headline: &str,
        description: &str,
        updated: chrono::NaiveDate,
    ) -> String {
        json_ld(&serde_json::json!({
            "@context": "https://schema.org",
            "@type": "TechArticle",
            "headline": headline,
            "description": description,
            "dateModified": updated.to_string(),
            "url": paths::absolute(self.base_url, path),
            "publisher": {
                "@type": "Organization",
                "name": self.content.site.title,
                "url": paths::absolute(self.base_url, paths::HOME),
            },
        }))
    }

    /// The example projects: each with its outcome and scores, linking its permalink.
    fn examples_table(&self) -> ExamplesView<'a> {
        let c = self.content;
        let q = &c.questionnaire;
        let rows = c
            .examples
            .iter()
            .map(|ex| {
                let rec = recommend(q, &ex.answers);
                let name = |framework: usize| {
                    let slug = q.frameworks[framework].as_str();
                    c.framework(slug).map_or(slug, |f| f.meta.name.as_str())
                };
                ExampleRow {
                    title: &ex.title,
                    description: &ex.description,
                    outcome: match rec.recommendation {
                        Some(w) => format!("{} ({})", name(w), rec.confidence.label()),
                        None => "A toss-up".to_owned(),
                    },
                    scores: rec
                        .scores
                        .iter()
                        .map(|s| format!("{} {}", name(s.framework), s.score))
                        .collect::<Vec<_>>()
                        .join(", "),
                    why_html: &ex.why_html,
                    permalink: paths::permalink(
                        &ex.answers.to_query(q),
                        self.questionnaire_version,
                    ),
                }
            })
            .collect();
        ExamplesView { rows }
    }

    /// The highest score each framework can reach.
    fn scoring_table(&self) -> ScoringView<'a> {
        let c = self.content;
        let best = c.questionnaire.highest_scores();
        ScoringView {
            rows: c
                .frameworks
                .iter()
                .zip(best)
                .map(|(f, points)| (f.meta.name.as_str(), points))
                .collect(),
            questions: c.questionnaire.questions.len(),
            facts: c
                .questionnaire
                .questions
                .iter()
                .flat_map(|q| q.options.iter().map(|o| o.fact.as_str()))
                .filter(|f| !f.is_empty())
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
        }
    }

    fn sitemap(&self) -> askama::Result<String> {
        let c = self.content;
        let mut entries = vec![
            SitemapEntry {
                path: paths::HOME.to_owned(),
                updated: c.last_reviewed(),
            },
            SitemapEntry {
                path: paths::COMPARE.to_owned(),
                updated: c.topics.iter().map(|t| t.meta.updated).max(),
            },
            SitemapEntry {
                path: paths::RECOMMEND.to_owned(),
                updated: None,
            },
        ];
        entries.extend(c.written().map(|w| SitemapEntry {
            path: w.path,
            updated: Some(w.updated),
        }));
        SitemapView {
            base_url: self.base_url,
            entries,
        }
        .render()
    }

    /// The Atom feed: an entry per change of every topic, framework profile and page (its
    /// change history), newest first.
    fn feed(&self) -> askama::Result<String> {
        let c = self.content;
        let rfc3339 = |date: chrono::NaiveDate| format!("{date}T00:00:00Z");
        let contenders = c.contenders(" vs ");
        let mut entries: Vec<FeedEntry<'_>> = Vec::new();
        for w in c.written() {
            let title = match w.kind {
                Kind::Topic => format!("{}: {contenders}", w.title),
                _ => w.title.to_owned(),
            };
            for changed in w.changes {
                let date = changed.change.date;
                entries.push(FeedEntry {
                    title: title.clone(),
                    path: w.path.clone(),
                    id: &changed.id,
                    updated: rfc3339(date),
                    summary: &changed.change.summary,
                    kind: w.kind.name(),
                });
            }
        }
        entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.path.cmp(&b.path)));
        FeedView {
            title: &c.site.title,
            subtitle: &c.site.description,
            base_url: self.base_url,
            updated: c
                .last_reviewed()
                .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), rfc3339),
            entries,
        }
        .render()
    }

    fn robots(&self) -> String {
        format!(
            "User-agent: *\nAllow: /\nDisallow: {}\n\nSitemap: {}\n",
            paths::SEARCH,
            paths::absolute(self.base_url, paths::SITEMAP)
        )
    }
}

/// `FAQPage` structured data: each `##` section of the FAQ is a question, its text the answer.
/// The grounds for trust the home page states: the newest review, the releases every topic
/// was reviewed against (in the first topic's order), and the distinct sources cited.
fn evidence(c: &Content) -> Evidence {
    let versions = c.topics.first().map_or_else(Vec::new, |first| {
        first
            .meta
            .versions_reviewed
            .iter()
            .filter(|v| {
                c.topics
                    .iter()
                    .all(|t| t.meta.versions_reviewed.contains(v))
            })
            .cloned()
            .collect()
    });
    let sources: std::collections::HashSet<&str> = c
        .topics
        .iter()
        .flat_map(|t| &t.sources)
        .chain(c.frameworks.iter().flat_map(|f| &f.sources))
        .chain(c.pages.iter().flat_map(|p| &p.sources))
        .map(|s| s.url.as_str())
        .collect();
    Evidence {
        reviewed: c.last_reviewed().map(DateView::from),
        versions,
        topics: c.topics.len(),
        sources: sources.len(),
    }
}

fn faq_page(page: &Page) -> String {
    let questions: Vec<serde_json::Value> = page
        .body
        .sections
        .iter()
        .filter(|s| s.id.is_some() && !s.text.trim().is_empty())
        .map(|s| {
            serde_json::json!({
                "@type": "Question",
                "name": s.title,
                "acceptedAnswer": {"@type": "Answer", "text": s.text.trim()},
            })
        })
        .collect();
    json_ld(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": questions,
    }))
}

#[cfg(test)]
mod tests {
    use super::json_ld;

    #[test]
    fn json_ld_cannot_end_its_script_element_and_reads_back_the_same() {
        let value = serde_json::json!({
            "name": "</script><b>a & b</b>",
            "item": "https://versus.example/recommendation?building=site&admin=yes",
        });
        let block = json_ld(&value);
        assert!(!block.contains(['<', '>', '&']), "{block}");
        assert!(
            block.contains(r"\u003c/script\u003e\u003cb\u003ea \u0026 b"),
            "{block}"
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&block).unwrap(),
            value
        );
        // Nothing to escape: the JSON as serde_json wrote it.
        let plain = serde_json::json!({"name": "Home"});
        assert_eq!(json_ld(&plain), plain.to_string());
    }
}
