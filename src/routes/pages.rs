//! Pre-rendered pages and assets, straight from the site's memory.

use actix_web::http::header::{self, ContentType, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::site::{Caching, Lookup, Resource, SharedSite};

/// Any GET or HEAD that no other route took: a page, an asset, a redirect, or the 404 page.
pub(super) async fn site_page(req: HttpRequest, site: web::Data<SharedSite>) -> HttpResponse {
    let site = site.current();
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut response = respond(
            &req,
            &site.pages.errors.not_found,
            StatusCode::METHOD_NOT_ALLOWED,
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    match site.lookup(req.path()) {
        Lookup::Found(resource) => respond(&req, resource, StatusCode::OK),
        Lookup::Moved(target) => {
            let location = match req.query_string() {
                "" => target.to_owned(),
                query => format!("{target}?{query}"),
            };
            HttpResponse::MovedPermanently()
                .insert_header((header::LOCATION, location))
                .finish()
        }
        Lookup::Missing => respond(&req, &site.pages.errors.not_found, StatusCode::NOT_FOUND),
    }
}

/// `resource` with its caching headers, or 304 when the client's copy is current.
pub(super) fn respond(req: &HttpRequest, resource: &Resource, status: StatusCode) -> HttpResponse {
    let cache_control = match resource.caching {
        Caching::Revalidate => "no-cache",
        Caching::Immutable => "public, max-age=31536000, immutable",
    };
    let accept = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok());
    let encoding = resource.negotiate(accept);
    let (body, etag) = resource.variant(encoding);
    let vary = resource.has_variants();
    // A revalidation is the commonest request for a page: answer it before building anything else.
    if status.is_success() && etag_matches(req, etag) {
        let mut not_modified = HttpResponse::NotModified();
        not_modified
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, cache_control));
        if vary {
            not_modified.insert_header((header::VARY, "Accept-Encoding"));
        }
        return not_modified.finish();
    }
    let mut builder = HttpResponse::build(status);
    builder.insert_header((header::CACHE_CONTROL, cache_control));
    if vary {
        builder.insert_header((header::VARY, "Accept-Encoding"));
    }
    if status.is_success() {
        builder.insert_header((header::ETAG, etag));
    }
    if let Some(coding) = encoding.header() {
        builder.insert_header((header::CONTENT_ENCODING, coding));
    }
    builder
        .content_type(resource.content_type)
        .body(body.clone())
}

/// A page rendered for this request: HTML, revalidated on every use.
pub(super) fn html(status: StatusCode, page: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(ContentType::html())
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(page)
}

/// Weak comparison, as RFC 9110 prescribes for `If-None-Match`.
fn etag_matches(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == etag)
}
