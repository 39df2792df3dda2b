//! `GET /oembed?url=…&format=json[&maxwidth=…&maxheight=…]`: the oEmbed 1.0 provider for topics,
//! recommendation permalinks and team decisions (their read-only embed, as an outsider sees it).

use actix_web::http::header::{self, ContentType};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::teams::Teams;
use crate::site::embed::{self, Embeddable, Target};
use crate::site::SharedSite;
use crate::store::StoreError;

/// The query, every field read as text first, so that each problem gets its own plain answer.
#[derive(Debug, Default, serde::Deserialize)]
struct Query {
    url: Option<String>,
    format: Option<String>,
    maxwidth: Option<String>,
    maxheight: Option<String>,
}

fn plain(status: StatusCode, text: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(ContentType::plaintext())
        .body(format!("{text}\n"))
}

/// A size limit: a whole number of pixels, at least one.
fn pixels(value: Option<&str>) -> Result<Option<u32>, ()> {
    match value {
        None | Some("") => Ok(None),
        Some(v) => v.parse().ok().filter(|&n| n > 0).map(Some).ok_or(()),
    }
}

pub(super) async fn answer(
    req: HttpRequest,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> HttpResponse {
    let site = site.current();
    let query: Query = serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let Some(url) = query.url.as_deref().filter(|u| !u.is_empty()) else {
        return plain(StatusCode::BAD_REQUEST, "Name the page to embed: ?url=…");
    };
    // oEmbed's answer to a format it does not offer.
    if query.format.as_deref().is_some_and(|f| f != "json") {
        return plain(StatusCode::NOT_IMPLEMENTED, "Only format=json is offered.");
    }
    let (Ok(maxwidth), Ok(maxheight)) = (
        pixels(query.maxwidth.as_deref()),
        pixels(query.maxheight.as_deref()),
    ) else {
        return plain(
            StatusCode::BAD_REQUEST,
            "maxwidth and maxheight are whole numbers of pixels.",
        );
    };
    let not_found = || {
        plain(
            StatusCode::NOT_FOUND,
            "That is not an embeddable page of this site.",
        )
    };
    let Some(target) = embed::target(&site, url) else {
        return not_found();
    };
    let view = match &target {
        Target::View(key) => Some(teams.store.team_by_view_key(key).await),
        Target::Team(id) => Some(teams.store.team(id).await),
        Target::Topic(_) | Target::Answers(_) => None,
    };
    let view = match view.transpose() {
        Ok(view) => view,
        Err(StoreError::NotFound) => return not_found(),
        Err(err) => {
            tracing::warn!(error = %err, "an oEmbed request could not read its decision");
            return HttpResponse::ServiceUnavailable()
                .insert_header((header::RETRY_AFTER, "5"))
                .content_type(ContentType::plaintext())
                .body("Team decisions are unavailable for a moment; try again shortly.\n");
        }
    };
    let embeddable: Option<Embeddable<'_>> = match (&target, &view) {
        (Target::Topic(index), _) => embed::topic_embeddable(&site, *index),
        (Target::Answers(query), _) => embed::answers_embeddable(&site, query),
        (_, Some(view)) => {
            let scored = teams.scores.get(&site, view);
            embed::team_embeddable(&site, view, &scored)
        }
        (_, None) => None,
    };
    let Some(embeddable) = embeddable else {
        return not_found();
    };
    let body = embed::oembed(&site, &embeddable, (maxwidth, maxheight));
    let mut response = HttpResponse::Ok()
        .content_type(ContentType::json())
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        // The answer holds only what the page shows anyone, so a page's script may read it.
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .json(body);
    if view.is_some() {
        // A decision's answer is as private as its read-only page.
        let headers = response.headers_mut();
        headers.insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
        headers.insert(
            header::REFERRER_POLICY,
            header::HeaderValue::from_static("no-referrer"),
        );
    }
    response
}
