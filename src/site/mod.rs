//! The site: every page that does not depend on the request, rendered once into bytes with an
//! ETag, plus redirects for aliases. Handlers only look things up here.

pub mod chart;
pub mod encoding;
pub mod recommendation;
pub mod search;
pub mod views;

use std::collections::HashMap;
use std::fmt::Write as _;

use askama::Template;
use bytes::Bytes;

use crate::assets::{digest, Assets};
use crate::content::highlight::highlight;
use crate::content::links::{framework_path, page_path, topic_path};
use crate::content::{in_order, markdown, Content};
use encoding::Encoding;
use search::SearchIndex;
use views::{
    CompareView, DateView, ErrorView, ExampleView, FeedEntry, FeedView, FrameworkView, HomeView,
    Layout, MatrixRow, PageView, TopicView, NAV,
};

pub const HTML: &str = "text/html; charset=utf-8";
pub const JSON: &str = "application/json";

/// Rendering failed: a template bug, not a content problem.
#[derive(Debug, thiserror::Error)]
#[error("rendering {path} failed: {source}")]
pub struct RenderError {
    path: String,
    #[source]
    source: askama::Error,
}

/// How long a client may keep a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caching {
    /// Pages: keep, but ask again each time (the ETag makes that cheap).
    Revalidate,
    /// Fingerprinted assets: never changes under this name.
    Immutable,
}

/// A ready response body.
#[derive(Debug, Clone)]
pub struct Resource {
    pub body: Bytes,
    /// Strong ETag of the identity body, quoted.
    pub etag: String,
    pub content_type: &'static str,
    pub caching: Caching,
    /// Pre-compressed variants, when compression pays.
    pub brotli: Option<Variant>,
    pub gzip: Option<Variant>,
}

/// A compressed representation with its own ETag.
#[derive(Debug, Clone)]
pub struct Variant {
    pub body: Bytes,
    pub etag: String,
}

impl Resource {
    /// A resource with its ETag and, for text worth it, brotli and gzip variants made now, once.
    pub fn new(body: impl Into<Bytes>, content_type: &'static str, caching: Caching) -> Self {
        let body = body.into();
        let hash = digest(&body);
        let variant = |encoding: Encoding, compressed: Bytes| {
            // Keep a variant only when it saves something worth a header.
            (compressed.len() + 32 < body.len()).then(|| Variant {
                body: compressed,
                etag: format!("\"{hash}{}\"", encoding.etag_suffix()),
            })
        };
        let (brotli, gzip) = if encoding::compressible(content_type) && body.len() > 256 {
            (
                variant(Encoding::Brotli, encoding::brotli(&body)),
                variant(Encoding::Gzip, encoding::gzip(&body)),
            )
        } else {
            (None, None)
        };
        Self {
            etag: format!("\"{hash}\""),
            body,
            content_type,
            caching,
            brotli,
            gzip,
        }
    }

    /// The body and ETag to send for `encoding`.
    pub fn variant(&self, encoding: Encoding) -> (&Bytes, &str) {
        let chosen = match encoding {
            Encoding::Brotli => self.brotli.as_ref(),
            Encoding::Gzip => self.gzip.as_ref(),
            Encoding::Identity => None,
        };
        match chosen {
            Some(v) => (&v.body, &v.etag),
            None => (&self.body, &self.etag),
        }
    }

    /// The coding to use given the request's `Accept-Encoding`.
    pub fn negotiate(&self, accept_encoding: Option<&str>) -> Encoding {
        encoding::negotiate(accept_encoding, self.brotli.is_some(), self.gzip.is_some())
    }

    /// Whether the response varies by `Accept-Encoding`.
    pub fn has_variants(&self) -> bool {
        self.brotli.is_some() || self.gzip.is_some()
    }
}

/// What a path leads to.
#[derive(Debug)]
pub enum Lookup<'a> {
    Found(&'a Resource),
    /// A permanent redirect to this path.
    Moved(&'a str),
    Missing,
}

/// The rendered site; immutable once built.
#[derive(Debug)]
pub struct Site {
    pub content: Content,
    pub base_url: String,
    pub assets: Assets,
    /// Every section of every page, for `/search`.
    pub search: SearchIndex,
    /// The most recent review date of any page, for the footer.
    last_reviewed: Option<DateView>,
    /// A short digest of the questions and weights, quoted in decision records.
    questionnaire_version: String,
    resources: HashMap<String, Resource>,
    redirects: HashMap<String, String>,
    not_found: Resource,
    server_error: Resource,
}

impl Site {
    /// Renders every page of `content`. `base_url` overrides the one in `site.toml`.
    pub fn build(content: Content, base_url: Option<&str>) -> Result<Self, RenderError> {
        let base_url = base_url
            .unwrap_or(&content.site.base_url)
            .trim_end_matches('/')
            .to_owned();
        let assets = Assets::build();
        let questionnaire_version =
            digest(format!("{:?}", content.questionnaire).as_bytes())[..8].to_owned();
        let mut site = Site {
            search: SearchIndex::build(&content),
            last_reviewed: content.last_reviewed().map(DateView::from),
            questionnaire_version,
            not_found: Resource::new(Bytes::new(), HTML, Caching::Revalidate),
            server_error: Resource::new(Bytes::new(), HTML, Caching::Revalidate),
            resources: HashMap::new(),
            redirects: HashMap::new(),
            base_url,
            assets,
            content,
        };
        let rendered = site.render_all()?;
        site.resources = rendered;
        site.not_found = site.error_page(
            "/404",
            "Page not found",
            "There is no page at this address. It may have moved, or the link may be mistyped.",
        )?;
        site.server_error = site.error_page(
            "/500",
            "Something went wrong",
            "The server could not answer this request. Nothing you did caused it; please try again in a moment.",
        )?;
        site.redirects = site.aliases();
        Ok(site)
    }

    /// Finds what `path` leads to.
    pub fn lookup(&self, path: &str) -> Lookup<'_> {
        if let Some(resource) = self.resources.get(path) {
            return Lookup::Found(resource);
        }
        if let Some(target) = self.redirects.get(path) {
            return Lookup::Moved(target);
        }
        // `/topics/x/` and `/topics/x` are the same page; the canonical form has no trailing slash.
        if let Some(trimmed) = path.strip_suffix('/').filter(|p| !p.is_empty()) {
            if let Some((key, _)) = self.resources.get_key_value(trimmed) {
                return Lookup::Moved(key);
            }
        }
        Lookup::Missing
    }

    pub fn questionnaire_version(&self) -> &str {
        &self.questionnaire_version
    }

    pub fn not_found(&self) -> &Resource {
        &self.not_found
    }

    pub fn server_error(&self) -> &Resource {
        &self.server_error
    }

    /// Every path with a page, sorted.
    pub fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.resources.keys().map(String::as_str).collect();
        paths.sort_unstable();
        paths
    }

    /// The base layout for a page at `path`.
    pub fn layout(&self, path: &str, title: Option<&str>, description: &str) -> Layout<'_> {
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
        Layout {
            title,
            description: description.to_owned(),
            canonical: format!("{}{}", self.base_url, path),
            og_type: if path.starts_with("/topics/") {
                "article"
            } else {
                "website"
            },
            section,
            site_title: &site.title,
            tagline: &site.tagline,
            assets: &self.assets,
            nav: NAV,
            last_reviewed: self.last_reviewed.clone(),
            noindex: false,
            query: String::new(),
            edit: None,
        }
    }

    /// Where a reader can suggest a change to the content file `file` (`topics/x.md`), when the
    /// site has an `edit_url`.
    pub fn edit_url(&self, file: &str) -> Option<String> {
        let template = self.content.site.edit_url.as_deref()?;
        Some(template.replace("{path}", file))
    }

    /// A layout with the edit link for the content file `file`.
    fn layout_for(
        &self,
        path: &str,
        title: Option<&str>,
        description: &str,
        file: &str,
    ) -> Layout<'_> {
        let mut layout = self.layout(path, title, description);
        layout.edit = self.edit_url(file);
        layout
    }

    fn render_all(&self) -> Result<HashMap<String, Resource>, RenderError> {
        let c = &self.content;
        let mut out = HashMap::new();
        let mut page =
            |path: String, html: Result<String, askama::Error>| -> Result<(), RenderError> {
                let html = html.map_err(|source| RenderError {
                    path: path.clone(),
                    source,
                })?;
                out.insert(path, Resource::new(html, HTML, Caching::Revalidate));
                Ok(())
            };

        page(
            "/".to_owned(),
            HomeView {
                layout: self.layout("/", None, &c.site.description),
                site: &c.site,
                frameworks: &c.frameworks,
                topics: &c.topics,
            }
            .render(),
        )?;
        let rows = c
            .topics
            .iter()
            .map(|t| MatrixRow {
                slug: &t.slug,
                title: &t.meta.title,
                verdicts: in_order(&t.verdict, &c.frameworks)
                    .into_iter()
                    .map(|(_, v)| v)
                    .collect(),
            })
            .collect();
        page(
            "/compare".to_owned(),
            CompareView {
                layout: self.layout(
                    "/compare",
                    Some("Every topic side by side"),
                    "Django and Flask compared on every topic in one table, each row linking to the sourced comparison.",
                ),
                frameworks: &c.frameworks,
                rows,
            }
            .render(),
        )?;
        for (i, topic) in c.topics.iter().enumerate() {
            let path = topic_path(&topic.slug);
            let examples = topic
                .examples
                .iter()
                .map(|ex| ExampleView {
                    id: format!("code-{}", markdown::slugify(&ex.title)),
                    title: &ex.title,
                    note: ex.note.as_deref(),
                    lang: &ex.lang,
                    columns: in_order(&ex.code, &c.frameworks)
                        .into_iter()
                        .map(|(f, code)| (f.meta.name.as_str(), highlight(code, &ex.lang)))
                        .collect(),
                })
                .collect();
            let body_html = self.with_charts(&topic.body.html, &topic.body.charts)?;
            let view = TopicView {
                body_html,
                layout: self.layout_for(
                    &path,
                    Some(&format!("{}: Django vs Flask", topic.meta.title)),
                    &topic.meta.summary,
                    &topic.origin.file,
                ),
                topic,
                frameworks: &c.frameworks,
                glance: topic
                    .glance
                    .iter()
                    .map(|row| {
                        let values = in_order(&row.values, &c.frameworks)
                            .into_iter()
                            .map(|(_, v)| v)
                            .collect();
                        (row.aspect.as_str(), values)
                    })
                    .collect(),
                verdict: in_order(&topic.verdict, &c.frameworks)
                    .into_iter()
                    .map(|(f, v)| (f.meta.name.as_str(), v))
                    .collect(),
                examples,
                prev: i.checked_sub(1).and_then(|p| c.topics.get(p)),
                next: c.topics.get(i + 1),
            };
            page(path, view.render())?;
        }
        for framework in &c.frameworks {
            let path = framework_path(&framework.slug);
            let view = FrameworkView {
                layout: self.layout_for(
                    &path,
                    Some(&framework.meta.name),
                    &framework.meta.summary,
                    &framework.origin.file,
                ),
                framework,
                topics: c
                    .topics
                    .iter()
                    .map(|t| {
                        let verdict = t.verdict.get(&framework.slug).map_or("", String::as_str);
                        (t.slug.as_str(), t.meta.title.as_str(), verdict)
                    })
                    .collect(),
            };
            page(path, view.render())?;
        }
        for p in &c.pages {
            let path = page_path(&p.slug);
            let view = PageView {
                layout: self.layout_for(
                    &path,
                    Some(&p.meta.title),
                    &p.meta.summary,
                    &p.origin.file,
                ),
                page: p,
                body_html: self.with_charts(&p.body.html, &p.body.charts)?,
            };
            page(path, view.render())?;
        }
        let sitemap = self.sitemap();
        out.insert(
            "/sitemap.xml".to_owned(),
            Resource::new(
                sitemap,
                "application/xml; charset=utf-8",
                Caching::Revalidate,
            ),
        );
        let feed = self.feed().map_err(|source| RenderError {
            path: "/feed.xml".to_owned(),
            source,
        })?;
        out.insert(
            "/feed.xml".to_owned(),
            Resource::new(
                feed,
                "application/atom+xml; charset=utf-8",
                Caching::Revalidate,
            ),
        );
        let robots = format!(
            "User-agent: *\nAllow: /\nDisallow: /search\n\nSitemap: {}/sitemap.xml\n",
            self.base_url
        );
        out.insert(
            "/robots.txt".to_owned(),
            Resource::new(robots, "text/plain; charset=utf-8", Caching::Revalidate),
        );
        let questionnaire =
            serde_json::json!({ "questions": &c.questionnaire.questions }).to_string();
        out.insert(
            "/api/questionnaire".to_owned(),
            Resource::new(questionnaire, JSON, Caching::Revalidate),
        );
        for asset in &self.assets.all {
            out.insert(
                asset.path.clone(),
                Resource::new(asset.body.clone(), asset.content_type, Caching::Immutable),
            );
        }
        Ok(out)
    }

    /// An error page rendered on demand (for the rarer 4xx answers).
    pub fn error_page(
        &self,
        path: &str,
        heading: &str,
        message: &str,
    ) -> Result<Resource, RenderError> {
        let view = ErrorView {
            layout: self.layout(path, Some(heading), message),
            heading,
            message,
        };
        let html = view.render().map_err(|source| RenderError {
            path: path.to_owned(),
            source,
        })?;
        Ok(Resource::new(html, HTML, Caching::Revalidate))
    }

    /// `html` with each chart placeholder replaced by its chart.
    fn with_charts(&self, html: &str, charts: &[markdown::Located]) -> Result<String, RenderError> {
        let mut html = html.to_owned();
        for chart in charts {
            if let Some(data) = self.content.benchmarks.get(&chart.text) {
                let rendered = chart::benchmark(data, &self.content.frameworks)
                    .render()
                    .map_err(|source| RenderError {
                        path: format!("chart {}", chart.text),
                        source,
                    })?;
                html = html.replace(&markdown::chart_placeholder(&chart.text), &rendered);
            }
        }
        Ok(html)
    }

    fn sitemap(&self) -> String {
        let c = &self.content;
        let mut entries: Vec<(String, Option<chrono::NaiveDate>)> = vec![
            ("/".to_owned(), c.last_reviewed()),
            (
                "/compare".to_owned(),
                c.topics.iter().map(|t| t.meta.updated).max(),
            ),
            ("/recommend".to_owned(), None),
        ];
        entries.extend(c.written().map(|w| (w.path, Some(w.updated))));
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (path, updated) in entries {
            let _ = write!(xml, "  <url><loc>{}{}</loc>", self.base_url, path);
            if let Some(date) = updated {
                let _ = write!(xml, "<lastmod>{date}</lastmod>");
            }
            xml.push_str("</url>\n");
        }
        xml.push_str("</urlset>\n");
        xml
    }

    /// The Atom feed: an entry per topic, framework profile and page, updated when its reviewed
    /// date changes; newest first.
    fn feed(&self) -> Result<String, askama::Error> {
        let c = &self.content;
        let rfc3339 = |date: chrono::NaiveDate| format!("{date}T00:00:00Z");
        let mut entries: Vec<FeedEntry<'_>> = c
            .written()
            .map(|w| FeedEntry {
                title: match w.kind {
                    "topic" => format!("{}: Django vs Flask", w.title),
                    _ => w.title.to_owned(),
                },
                path: w.path,
                updated: rfc3339(w.updated),
                summary: w.summary,
                kind: w.kind,
            })
            .collect();
        entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.path.cmp(&b.path)));
        FeedView {
            title: &c.site.title,
            subtitle: &c.site.description,
            base_url: &self.base_url,
            updated: c
                .last_reviewed()
                .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), rfc3339),
            entries,
        }
        .render()
    }

    /// Alias → current path, for every page that lists aliases.
    fn aliases(&self) -> HashMap<String, String> {
        self.content
            .written()
            .flat_map(|w| {
                let path = w.path;
                w.aliases.iter().map(move |a| (a.clone(), path.clone()))
            })
            .filter(|(alias, _)| !self.resources.contains_key(alias))
            .collect()
    }
}

/// Where a page's bytes go in a static export: extension-less paths become `…/index.html` (or
/// `index.json`), so any static host serves `/topics/x` from `topics/x/index.html`.
pub fn export_path(path: &str, content_type: &str) -> String {
    let trimmed = path.trim_start_matches('/');
    let last = trimmed.rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        trimmed.to_owned()
    } else {
        let index = if content_type.starts_with("application/json") {
            "index.json"
        } else {
            "index.html"
        };
        if trimmed.is_empty() {
            index.to_owned()
        } else {
            format!("{trimmed}/{index}")
        }
    }
}

impl Site {
    /// Writes every pre-rendered page and asset under `out`, each compressed variant beside it as
    /// `.br` and `.gz`, and the 404 page as `404.html`. Returns the number of files written.
    pub fn export(&self, out: &std::path::Path) -> std::io::Result<usize> {
        let mut written = 0;
        let mut write = |relative: &str, resource: &Resource| -> std::io::Result<()> {
            let file = out.join(relative);
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&file, &resource.body)?;
            written += 1;
            for (variant, ext) in [(&resource.brotli, "br"), (&resource.gzip, "gz")] {
                if let Some(v) = variant {
                    std::fs::write(format!("{}.{ext}", file.display()), &v.body)?;
                    written += 1;
                }
            }
            Ok(())
        };
        for path in self.paths() {
            let resource = &self.resources[path];
            write(&export_path(path, resource.content_type), resource)?;
        }
        write("404.html", &self.not_found)?;
        Ok(written)
    }
}

#[cfg(test)]
mod export_tests {
    use super::export_path;

    #[test]
    fn pages_become_index_files_and_files_keep_their_names() {
        assert_eq!(export_path("/", super::HTML), "index.html");
        assert_eq!(
            export_path("/topics/admin", super::HTML),
            "topics/admin/index.html"
        );
        assert_eq!(
            export_path("/sitemap.xml", "application/xml"),
            "sitemap.xml"
        );
        assert_eq!(
            export_path("/static/style.0123456789.css", "text/css"),
            "static/style.0123456789.css"
        );
        assert_eq!(
            export_path("/api/questionnaire", super::JSON),
            "api/questionnaire/index.json"
        );
    }
}
