//! The live site: loading a content directory into a rendered [`Site`], and the shared handle
//! that every request reads and `serve --watch` swaps. The one place where "load, then render"
//! is written.

use std::path::Path;
use std::sync::{Arc, RwLock};

use super::{BuildError, Site};
use crate::content::{self, Problems};

/// Why a content directory could not become a site.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The content has problems; each names its file and line.
    #[error("{0}")]
    Content(Problems),
    /// A template or a card failed: a bug in the code, not in the content.
    #[error(transparent)]
    Render(#[from] BuildError),
}

impl Site {
    /// Loads and checks the content in `dir`, then renders it. `base_url` overrides the one in
    /// `site.toml`.
    pub fn load(dir: &Path, base_url: Option<&str>) -> Result<Self, LoadError> {
        let content = content::load(dir).map_err(LoadError::Content)?;
        Ok(Site::build(content, base_url)?)
    }
}

/// The current site, swapped whole when content is reloaded; readers never see half a site.
#[derive(Debug, Clone)]
pub struct SharedSite(Arc<RwLock<Arc<Site>>>);

impl SharedSite {
    pub fn new(site: Site) -> Self {
        let site = Arc::new(site);
        draw_cards_in_background(&site);
        Self(Arc::new(RwLock::new(site)))
    }

    /// Puts `site` in place of the current one; requests already running finish with the old.
    pub fn replace(&self, site: Site) {
        let site = Arc::new(site);
        draw_cards_in_background(&site);
        match self.0.write() {
            Ok(mut guard) => *guard = site,
            Err(poisoned) => *poisoned.into_inner() = site,
        }
    }

    pub fn current(&self) -> Arc<Site> {
        match self.0.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }
}

/// Draws `site`'s social cards on one background thread, so the site serves at once and a link
/// preview rarely waits for its card (one asked for sooner is drawn by its request).
fn draw_cards_in_background(site: &Arc<Site>) {
    let site = Arc::clone(site);
    let spawned = std::thread::Builder::new()
        .name("cards".to_owned())
        .spawn(move || {
            if let Err(err) = site.cards.draw_all(1) {
                tracing::error!(error = err, "a social card could not be drawn");
            }
        });
    if let Err(err) = spawned {
        tracing::warn!(error = %err, "cannot start drawing cards; each is drawn on its first request");
    }
}
