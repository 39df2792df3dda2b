//! The origin a request is answered for, in one place: with a configured base URL
//! (`--base-url`), that URL's origin, whatever `Host` a proxy passed on; without one (a local
//! run), the scheme and host the request came to. Never `X-Forwarded-Host`, which any client
//! can write.

use actix_web::http::header;
use actix_web::HttpRequest;

/// The configured origin, if any (`scheme://host[:port]`, lower case).
#[derive(Debug, Clone, Default)]
pub(crate) struct Origin(Option<String>);

impl Origin {
    pub(crate) fn configured(base_url: Option<&str>) -> Self {
        Self(base_url.and_then(origin_of))
    }

    /// The origin `req` is answered for.
    pub(crate) fn of(&self, req: &HttpRequest) -> Option<String> {
        if let Some(origin) = &self.0 {
            return Some(origin.clone());
        }
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .or_else(|| req.uri().authority().map(|a| a.as_str()))?;
        let scheme = if req.app_config().secure() {
            "https"
        } else {
            "http"
        };
        origin_of(&format!("{scheme}://{host}"))
    }

    /// Whether a state-changing request comes from another site: `Sec-Fetch-Site` when the
    /// browser sends it, else `Origin` against [`Origin::of`]. A request with neither (curl, a
    /// script) is not a cross-site browser request and is served.
    pub(crate) fn cross_site(&self, req: &HttpRequest) -> bool {
        let headers = req.headers();
        if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
            return !matches!(site, "same-origin" | "none");
        }
        let Some(sent) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        origin_of(sent) != self.of(req)
    }
}

/// `scheme://host[:port]` of `url`, lower case, without the scheme's default port; `None` for
/// anything that is not an http(s) URL (`null` included).
pub(crate) fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => ":80",
        "https" => ":443",
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let authority = authority.strip_suffix(default_port).unwrap_or(&authority);
    Some(format!("{scheme}://{authority}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn origins_compare_scheme_host_and_port() {
        assert_eq!(
            Some("https://a.example".into()),
            origin_of("HTTPS://A.example:443/x")
        );
        assert_eq!(
            Some("http://a.example:8080".into()),
            origin_of("http://a.example:8080")
        );
        assert_eq!(None, origin_of("null"));
        assert_eq!(None, origin_of("ftp://a.example"));
    }

    #[test]
    fn a_configured_base_url_decides_not_the_host_a_proxy_passed() {
        let configured = Origin::configured(Some("https://versus.example/"));
        // Behind a proxy that rewrites Host: a real same-site browser request.
        let same = TestRequest::post()
            .insert_header((header::HOST, "127.0.0.1:8080"))
            .insert_header((header::ORIGIN, "https://versus.example"))
            .to_http_request();
        assert!(!configured.cross_site(&same));
        // The right host over the wrong scheme is another origin.
        let http = TestRequest::post()
            .insert_header((header::HOST, "versus.example"))
            .insert_header((header::ORIGIN, "http://versus.example"))
            .to_http_request();
        assert!(configured.cross_site(&http));
        // X-Forwarded-Host is never believed.
        let local = Origin::default();
        let forged = TestRequest::post()
            .insert_header((header::HOST, "127.0.0.1:8080"))
            .insert_header(("x-forwarded-host", "evil.example"))
            .insert_header((header::ORIGIN, "http://evil.example"))
            .to_http_request();
        assert!(local.cross_site(&forged));
        let same_local = TestRequest::post()
            .insert_header((header::HOST, "127.0.0.1:8080"))
            .insert_header((header::ORIGIN, "http://127.0.0.1:8080"))
            .to_http_request();
        assert!(!local.cross_site(&same_local));
    }
}
