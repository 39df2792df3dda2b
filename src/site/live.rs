//! The live site: loading a content directory into a rendered [`Site`], and the shared handle
//! that every request reads and `serve --watch` swaps. The one place where "load, then render"
//! is written.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
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

    /// [`Site::load`] for a server bound to `bound`: links use [`served_base_url`].
    pub fn load_served(
        dir: &Path,
        given: Option<&str>,
        bound: SocketAddr,
    ) -> Result<Self, LoadError> {
        let content = content::load(dir).map_err(LoadError::Content)?;
        let base_url = served_base_url(given, &content.site.base_url, bound);
        Ok(Site::build(content, Some(&base_url))?)
    }
}

/// The base URL a server bound to `bound` links with: `given` (`--base-url`) when set; else
/// site.toml's `configured`, unless that is a loopback URL (a local default), which the bound
/// address replaces so that a local run on any port links to itself. Bound to every interface
/// (`0.0.0.0`, `::`), the loopback address of the same family stands in.
pub fn served_base_url(given: Option<&str>, configured: &str, bound: SocketAddr) -> String {
    if let Some(given) = given {
        return given.to_owned();
    }
    if !is_loopback_url(configured) {
        return configured.to_owned();
    }
    let ip = match bound.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, bound.port()))
}

/// Whether `url` names this machine (`localhost`, `127.x.x.x`, `[::1]`): a default for local
/// runs rather than an address others use.
pub fn is_loopback_url(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(text: &str) -> SocketAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_given_base_url_always_wins() {
        let given = served_base_url(
            Some("https://versus.example"),
            "http://127.0.0.1:8080",
            addr("127.0.0.1:3000"),
        );
        assert_eq!("https://versus.example", given);
    }

    #[test]
    fn a_public_base_url_in_site_toml_is_kept_on_any_port() {
        let kept = served_base_url(None, "https://versus.example", addr("127.0.0.1:3000"));
        assert_eq!("https://versus.example", kept);
    }

    #[test]
    fn a_loopback_default_follows_the_bound_address() {
        let local = "http://127.0.0.1:8080";
        assert_eq!(
            "http://127.0.0.1:3000",
            served_base_url(None, local, addr("127.0.0.1:3000"))
        );
        assert_eq!(
            "http://192.0.2.7:8080",
            served_base_url(None, "http://localhost:8080", addr("192.0.2.7:8080"))
        );
        assert_eq!(
            "http://127.0.0.1:4000",
            served_base_url(None, local, addr("0.0.0.0:4000"))
        );
        assert_eq!(
            "http://[::1]:4000",
            served_base_url(None, "http://[::1]:8080", addr("[::]:4000"))
        );
    }

    #[test]
    fn only_this_machines_names_are_loopback() {
        for url in [
            "http://127.0.0.1:8080",
            "http://LOCALHOST",
            "http://[::1]:80/x",
            "http://127.1.2.3",
        ] {
            assert!(is_loopback_url(url), "{url}");
        }
        for url in [
            "https://versus.example",
            "http://10.0.0.1:8080",
            "localhost",
            "http://[::2]",
        ] {
            assert!(!is_loopback_url(url), "{url}");
        }
    }
}
