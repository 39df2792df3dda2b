//! Static assets, embedded in the binary and served under fingerprinted names, so browsers may
//! cache them for a year and a new release still reaches them at once.

use bytes::Bytes;
use sha2::{Digest, Sha256};

use crate::content::highlight;

/// One asset: its public path (with the content hash in the name) and its bytes.
#[derive(Debug, Clone)]
pub struct Asset {
    pub path: String,
    pub content_type: &'static str,
    pub body: Bytes,
}

/// The site's assets; templates link them by `css` and `icon`.
#[derive(Debug, Clone)]
pub struct Assets {
    pub css: String,
    pub icon: String,
    pub js: String,
    pub all: Vec<Asset>,
}

impl Assets {
    /// The stylesheet (hand-written, plus the generated highlighting classes), the icon and the
    /// small script that only enhances.
    pub fn build() -> Self {
        let mut css = String::from(include_str!("../static/style.css"));
        css.push('\n');
        css.push_str(&highlight::stylesheet());
        let style = fingerprinted("style", "css", "text/css; charset=utf-8", Bytes::from(css));
        let icon = fingerprinted(
            "favicon",
            "svg",
            "image/svg+xml",
            Bytes::from_static(include_bytes!("../static/favicon.svg")),
        );
        let script = fingerprinted(
            "app",
            "js",
            "text/javascript; charset=utf-8",
            Bytes::from_static(include_bytes!("../static/app.js")),
        );
        Self {
            css: style.path.clone(),
            icon: icon.path.clone(),
            js: script.path.clone(),
            all: vec![style, icon, script],
        }
    }
}

/// A short hex digest of `body`, used in asset names and ETags.
pub(crate) fn digest(body: &[u8]) -> String {
    let hash = Sha256::digest(body);
    hash.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

fn fingerprinted(stem: &str, ext: &str, content_type: &'static str, body: Bytes) -> Asset {
    let path = format!("/static/{stem}.{}.{ext}", &digest(&body)[..10]);
    Asset {
        path,
        content_type,
        body,
    }
}
