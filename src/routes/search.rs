//! `GET /search?q=`: ranked sections from the in-memory index.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::recommend::html;
use crate::site::search;
use crate::startup::SharedSite;

/// The search page; without `q`, just the form. Bad percent-encoding is decoded leniently (the
/// query is only searched and shown escaped), and a repeated `q` uses the first.
pub async fn results(req: HttpRequest, site: web::Data<SharedSite>) -> HttpResponse {
    let site = site.current();
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let query = pairs
        .into_iter()
        .find_map(|(k, v)| (k == "q").then_some(v))
        .unwrap_or_default();
    html(&site, StatusCode::OK, search::page(&site, &query).render())
}
