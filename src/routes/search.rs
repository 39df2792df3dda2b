//! `GET /search?q=`: ranked sections from the in-memory index.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::error::{OnSite, PageError};
use super::pages::html;
use crate::site::{search, SharedSite};

/// The search page; without `q`, just the form. Bad percent-encoding is decoded leniently (the
/// query is only searched and shown escaped), and a repeated `q` uses the first.
pub(super) async fn results(
    req: HttpRequest,
    site: web::Data<SharedSite>,
) -> Result<HttpResponse, PageError> {
    let site = site.current();
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let query = pairs
        .into_iter()
        .find_map(|(k, v)| (k == "q").then_some(v))
        .unwrap_or_default();
    let page = search::page(&site, &query).render().on(&site)?;
    Ok(html(StatusCode::OK, page))
}
