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
        let started = std::time::Instant::now();
        let content = content::load(dir).map_err(LoadError::Content)?;
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            topics = content.topics.len(),
            "content loaded"
        );
        Ok(Site::build(content, base_url)?)
    }
}

/// The current site, swapped whole when content is reloaded; readers never see half a site.
#[derive(Debug, Clone)]
pub struct SharedSite(Arc<RwLock<Arc<Site>>>);

impl SharedSite {
    pub fn new(site: Site) -> Self {
        Self(Arc::new(RwLock::new(Arc::new(site))))
    }

    /// Puts `site` in place of the current one; requests already running finish with the old.
    pub fn replace(&self, site: Site) {
        let site = Arc::new(site);
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
