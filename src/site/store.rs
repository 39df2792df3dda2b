//! The page store: every pre-rendered response body with its ETag and compressed variants, the
//! alias redirects, and the error pages; looked up by path, or written out as a static site.

use std::collections::HashMap;
use std::path::Path;

use actix_web::http::header::HeaderValue;
use bytes::Bytes;

use super::encoding::{self, Encoding};
use crate::assets::digest;

pub const HTML: &str = "text/html; charset=utf-8";
pub const JSON: &str = "application/json";

/// How long a client may keep a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caching {
    /// Pages: keep, but ask again each time (the ETag makes that cheap).
    Revalidate,
    /// Fingerprinted assets: never changes under this name.
    Immutable,
}

/// What a response is for beyond this site's own pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// An embed: framable by the `--embed-ancestors` sources, without `X-Frame-Options`.
    Framed,
    /// An image for other sites' pages (a badge, a card an oEmbed answer names): loadable from
    /// any origin.
    Anywhere,
}

/// A ready response body.
#[derive(Debug, Clone)]
pub struct Resource {
    pub body: Bytes,
    /// Strong ETag of the identity body, quoted; a ready header value, like every value a
    /// resource's response needs, so a request builds none of them.
    pub etag: HeaderValue,
    pub content_type: &'static str,
    pub content_type_header: HeaderValue,
    pub caching: Caching,
    /// Pre-compressed variants, when compression pays.
    pub brotli: Option<Variant>,
    pub gzip: Option<Variant>,
    /// A `Link` header to send with it (a page's oEmbed discovery link).
    pub link: Option<HeaderValue>,
    /// How other sites may use it; `None` for only this site's pages.
    pub reach: Option<Reach>,
}

/// A compressed representation with its own ETag.
#[derive(Debug, Clone)]
pub struct Variant {
    pub body: Bytes,
    pub etag: HeaderValue,
}

impl Resource {
    /// A resource with its ETag and, for text worth it, brotli and gzip variants made now, once.
    pub fn new(body: impl Into<Bytes>, content_type: &'static str, caching: Caching) -> Self {
        let body = body.into();
        let hash = digest(&body);
        let variant = |encoding: Encoding, compressed: std::io::Result<Bytes>| match compressed {
            // Keep a variant only when it saves something worth a header.
            Ok(compressed) => (compressed.len() + 32 < body.len()).then(|| Variant {
                body: compressed,
                etag: quoted(&format!("{hash}{}", encoding.etag_suffix())),
            }),
            // Compressing into memory does not fail in practice; if it ever does, the identity
            // body is served rather than an empty "smaller" one.
            Err(err) => {
                tracing::warn!(error = %err, ?encoding, "compression failed; serving identity");
                None
            }
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
            etag: quoted(&hash),
            body,
            content_type,
            content_type_header: HeaderValue::from_static(content_type),
            caching,
            brotli,
            gzip,
            link: None,
            reach: None,
        }
    }

    /// The same resource, sent with a `Link` header of `value` (dropped if it is no header value).
    pub fn with_link(mut self, value: &str) -> Self {
        self.link = HeaderValue::from_str(value).ok();
        self
    }

    /// The same resource, for other sites to use as `reach` says.
    pub fn reaching(mut self, reach: Reach) -> Self {
        self.reach = Some(reach);
        self
    }

    /// An HTML page that must be revalidated.
    pub fn html(body: String) -> Self {
        Self::new(body, HTML, Caching::Revalidate)
    }

    /// The body and ETag to send for `encoding`.
    pub fn variant(&self, encoding: Encoding) -> (&Bytes, &HeaderValue) {
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

/// `"tag"` as a header value (hex digits and a suffix, always valid).
fn quoted(tag: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{tag}\"")).unwrap_or(HeaderValue::from_static("\"\""))
}

/// What a path leads to.
#[derive(Debug)]
pub enum Lookup<'a> {
    Found(&'a Resource),
    /// A permanent redirect to this path.
    Moved(&'a str),
    Missing,
}

/// The error pages, rendered with the site so that an error costs a lookup, like a page.
#[derive(Debug)]
pub struct ErrorPages {
    pub not_found: Resource,
    pub server_error: Resource,
    /// A form body over the limit (413).
    pub too_large: Resource,
    /// A form body of the wrong media type (415).
    pub wrong_type: Resource,
    /// A form body that could not be read (400).
    pub unreadable: Resource,
}

/// Every pre-rendered resource by path, the alias redirects, and the error pages.
#[derive(Debug)]
pub struct PageStore {
    resources: HashMap<String, Resource>,
    redirects: HashMap<String, String>,
    pub errors: ErrorPages,
}

impl PageStore {
    /// A store of `resources`; `aliases` (alias → path) that a resource already answers are
    /// dropped, so a page always wins over a redirect.
    pub fn new(
        resources: HashMap<String, Resource>,
        aliases: impl IntoIterator<Item = (String, String)>,
        errors: ErrorPages,
    ) -> Self {
        let redirects = aliases
            .into_iter()
            .filter(|(alias, _)| !resources.contains_key(alias))
            .collect();
        Self {
            resources,
            redirects,
            errors,
        }
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

    /// Every path with a resource, sorted.
    pub fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.resources.keys().map(String::as_str).collect();
        paths.sort_unstable();
        paths
    }

    /// Writes every resource under `out` (and the `extra` ones), each compressed variant beside it as `.br` and `.gz`,
    /// and the 404 page as `404.html`. Returns the number of files written.
    pub fn export<'a>(
        &'a self,
        out: &Path,
        extra: impl IntoIterator<Item = (&'a str, &'a Resource)>,
    ) -> std::io::Result<usize> {
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
        let stored = self.paths().into_iter().map(|p| (p, &self.resources[p]));
        for (path, resource) in stored.chain(extra) {
            write(&export_path(path, resource.content_type), resource)?;
        }
        write("404.html", &self.errors.not_found)?;
        Ok(written)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_become_index_files_and_files_keep_their_names() {
        assert_eq!(export_path("/", HTML), "index.html");
        assert_eq!(
            export_path("/topics/admin", HTML),
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
            export_path("/api/questionnaire", JSON),
            "api/questionnaire/index.json"
        );
    }

    #[test]
    fn a_compressed_variant_is_kept_only_when_it_is_smaller() {
        let text = "Django and Flask, compared. ".repeat(100);
        let page = Resource::html(text.clone());
        let brotli = page.brotli.as_ref().expect("repetitive text compresses");
        assert!(!brotli.body.is_empty() && brotli.body.len() < text.len());
        assert_ne!(brotli.etag, page.etag);
        let tiny = Resource::html("<p>hi</p>".to_owned());
        assert!(tiny.brotli.is_none() && tiny.gzip.is_none());
    }
}
