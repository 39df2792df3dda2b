//! The site: the content with every page that does not depend on the request rendered once
//! (the page store), the search index, and what per-request pages need to render.

pub mod card;
pub mod chart;
pub mod embed;
pub mod encoding;
pub mod escape;
pub mod evidence;
pub mod live;
pub mod recommendation;
pub mod record;
pub mod render;
pub mod search;
pub mod store;
pub mod team;
pub mod views;

use crate::assets::Assets;
use crate::content::Content;
use crate::paths;
use card::{CardError, Cards};
pub use live::{LoadError, SharedSite};
pub use render::{RenderError, Renderer};
use search::SearchIndex;
pub use store::{export_path, Caching, Lookup, PageStore, Reach, Resource, HTML, JSON};
use views::{DateView, Layout};

/// Building the site failed: a template or a card could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Card(#[from] CardError),
    /// Pre-rendered pages are answered before routing, so one at a route's address would hide it.
    #[error("the pre-rendered page {0} has the address of a route")]
    Routed(String),
}

/// The rendered site; immutable once built.
#[derive(Debug)]
pub struct Site {
    pub content: Content,
    pub base_url: String,
    pub assets: Assets,
    /// Every section of every page, for `/search`.
    pub search: SearchIndex,
    /// Every pre-rendered response, the redirects and the error pages.
    pub pages: PageStore,
    /// The link-preview image of every page and outcome.
    pub cards: Cards,
    /// The most recent review date of any page, for the footer.
    last_reviewed: Option<DateView>,
    /// A short digest of the questions and weights, quoted in decision records.
    questionnaire_version: String,
}

impl Site {
    /// Renders every page of `content`. `base_url` overrides the one in `site.toml`.
    pub fn build(content: Content, base_url: Option<&str>) -> Result<Self, BuildError> {
        let base_url = base_url
            .unwrap_or(&content.site.base_url)
            .trim_end_matches('/')
            .to_owned();
        let started = std::time::Instant::now();
        let assets = Assets::build();
        let last_reviewed = content.last_reviewed().map(DateView::from);
        let questionnaire_version = crate::content::questionnaire::version(&content.questionnaire);
        // The search index is built while the pages render: each is a good share of start-up,
        // and neither needs the other.
        let (search, rendered) = rayon::join(
            || SearchIndex::build(&content),
            || -> Result<_, BuildError> {
                let cards = Cards::build(&content)?;
                let pages = Renderer {
                    content: &content,
                    base_url: &base_url,
                    assets: &assets,
                    cards: &cards,
                    last_reviewed: last_reviewed.as_ref(),
                    questionnaire_version: &questionnaire_version,
                }
                .store()?;
                Ok((cards, pages))
            },
        );
        let (cards, pages) = rendered?;
        if let Some(path) = pages.paths().into_iter().find(|p| paths::is_routed(p)) {
            return Err(BuildError::Routed(path.to_owned()));
        }
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "site rendered"
        );
        Ok(Site {
            cards,
            search,
            questionnaire_version,
            last_reviewed,
            pages,
            base_url,
            assets,
            content,
        })
    }

    /// What renders pages for this site (per-request pages use it too).
    pub fn renderer(&self) -> Renderer<'_> {
        Renderer {
            content: &self.content,
            base_url: &self.base_url,
            assets: &self.assets,
            cards: &self.cards,
            last_reviewed: self.last_reviewed.as_ref(),
            questionnaire_version: &self.questionnaire_version,
        }
    }

    /// The base layout for a page at `path`.
    pub fn layout(&self, path: &str, title: Option<&str>, description: &str) -> Layout<'_> {
        self.renderer().layout(path, title, description)
    }

    /// Finds what `path` leads to: a pre-rendered resource, a redirect, or a social card
    /// (drawn on its first request).
    pub fn lookup(&self, path: &str) -> Lookup<'_> {
        match self.pages.lookup(path) {
            Lookup::Missing if path.starts_with(paths::CARDS) => match self.cards.image(path) {
                Some(Ok(png)) => Lookup::Found(png),
                Some(Err(err)) => {
                    tracing::error!(error = err, "a social card could not be drawn");
                    Lookup::Missing
                }
                None => Lookup::Missing,
            },
            found => found,
        }
    }

    /// Writes the static site under `out` (the page store and every card); returns the number
    /// of files written.
    pub fn export(&self, out: &std::path::Path) -> std::io::Result<usize> {
        let cards = self.cards.images().map_err(std::io::Error::other)?;
        self.pages.export(out, cards)
    }

    pub fn questionnaire_version(&self) -> &str {
        &self.questionnaire_version
    }

    /// The questionnaire as it was at `version`: today's, or one kept in its history; `None`
    /// for a version the site never had (or no longer keeps).
    pub fn questionnaire_at(&self, version: &str) -> Option<&crate::recommender::Questionnaire> {
        if version == self.questionnaire_version {
            return Some(&self.content.questionnaire);
        }
        self.content.questionnaire_history.get(version)
    }

    /// `path` as an absolute URL on this site.
    pub fn url(&self, path: &str) -> String {
        paths::absolute(&self.base_url, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_at_a_routed_address_stops_the_build() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut content = crate::content::load(&dir).expect("the bundled content loads");
        let mut page = content.pages[0].clone();
        page.slug = "search".to_owned();
        content.pages.push(page);
        match Site::build(content, None).map(|_| ()) {
            Err(BuildError::Routed(path)) => assert_eq!(path, paths::SEARCH),
            other => panic!("expected the routed address to be refused, got {other:?}"),
        }
    }
}
