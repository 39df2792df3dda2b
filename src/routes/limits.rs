//! The request-head limit we state ourselves. actix-http reads at most 128 KiB of request head
//! and 96 headers before answering 431 on its own; a page needs far less, so more than
//! [`MAX_HEADER_BYTES`] of headers is refused with 431 before any handler runs, as a proxy would
//! (in [`super::front`]).

use actix_web::http::header::HeaderMap;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

/// The most header bytes (names, values and separators) a request may carry: 16 KiB, in line
/// with common proxies' defaults.
pub(crate) const MAX_HEADER_BYTES: usize = 16 * 1024;

/// 431 when the request's headers add up to more than [`MAX_HEADER_BYTES`].
pub(super) fn too_large(headers: &HeaderMap) -> Option<HttpResponse> {
    let size: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    (size > MAX_HEADER_BYTES).then(|| {
        HttpResponse::build(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
            .content_type("text/plain; charset=utf-8")
            .body(format!(
                "The request's headers are {size} bytes; this site accepts at most {MAX_HEADER_BYTES}. \
                 Clearing this site's cookies usually fixes it.\n"
            ))
    })
}
