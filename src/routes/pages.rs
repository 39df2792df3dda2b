//! Pre-rendered pages and assets, straight from the site's memory.

use actix_web::body::BoxBody;
use actix_web::http::header::{self, ContentType, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::site::{Caching, Lookup, Resource, SharedSite};

/// Any request no route took and the front layer did not answer from memory
/// ([`prerendered`]): a redirect, the 404 page, or 405 for another method on a page.
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

/// A pre-rendered page, asset or card for a GET or HEAD of its path; `None` for anything else
/// (redirects and misses go on to routing, and end in [`site_page`]). Called by
/// [`super::Front`] before routing: no page is at a routed address (`Site::build` checks).
pub(super) fn prerendered(req: &HttpRequest, site: &SharedSite) -> Option<HttpResponse> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return None;
    }
    match site.current().lookup(req.path()) {
        Lookup::Found(resource) => Some(respond(req, resource, StatusCode::OK)),
        _ => None,
    }
}

/// `resource` with its caching headers, or 304 when the client's copy is current. Every header
/// value is ready-made (the resource's at render time, the others constants).
pub(super) fn respond(req: &HttpRequest, resource: &Resource, status: StatusCode) -> HttpResponse {
    const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");
    const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
    const ACCEPT_ENCODING: HeaderValue = HeaderValue::from_static("Accept-Encoding");
    let cache_control = match resource.caching {
        Caching::Revalidate => REVALIDATE,
        Caching::Immutable => IMMUTABLE,
    };
    let accept = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok());
    let encoding = resource.negotiate(accept);
    let (body, etag) = resource.variant(encoding);
    let vary = resource.has_variants();
    // A revalidation is the commonest request for a page: answer it before building anything else.
    let mut response = if status.is_success() && etag_matches(req, etag) {
        HttpResponse::with_body(StatusCode::NOT_MODIFIED, BoxBody::new(()))
    } else {
        let mut response = HttpResponse::with_body(status, BoxBody::new(body.clone()));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, resource.content_type_header.clone());
        if let Some(coding) = encoding.header() {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, cache_control);
    if let Some(link) = &resource.link {
        headers.insert(header::LINK, link.clone());
    }
    if vary {
        headers.insert(header::VARY, ACCEPT_ENCODING);
    }
    if status.is_success() {
        headers.insert(header::ETAG, etag.clone());
    }
    if let Some(reach) = resource.reach {
        response.extensions_mut().insert(reach);
    }
    response
}

/// A page rendered for this request: HTML, revalidated on every use.
pub(super) fn html(status: StatusCode, page: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(ContentType::html())
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(page)
}

/// `response` naming its page's oEmbed answer (`Link` header), when the page has one.
pub(super) fn discovered(response: &mut HttpResponse, oembed: Option<&str>) {
    let link = oembed.map(crate::site::embed::link_header);
    if let Some(value) = link.and_then(|l| HeaderValue::from_str(&l).ok()) {
        response.headers_mut().insert(header::LINK, value);
    }
}

/// An embed rendered for this request: HTML that other sites may frame.
pub(super) fn framed(page: String) -> HttpResponse {
    let mut response = html(StatusCode::OK, page);
    response.extensions_mut().insert(super::Reach::Framed);
    response
}

/// A badge: an SVG image any site may show.
pub(super) fn badge(svg: String) -> HttpResponse {
    let mut response = HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(svg);
    response.extensions_mut().insert(super::Reach::Anywhere);
    response
}

/// Weak comparison, as RFC 9110 prescribes for `If-None-Match`.
fn etag_matches(req: &HttpRequest, etag: &HeaderValue) -> bool {
    let etag = etag.as_bytes();
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .flat_map(|v| v.as_bytes().split(|&b| b == b','))
        .map(<[u8]>::trim_ascii)
        .any(|candidate| {
            candidate == b"*" || candidate.strip_prefix(b"W/").unwrap_or(candidate) == etag
        })
}
