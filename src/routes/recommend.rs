//! The questionnaire form, its submission, the permalink page and the decision record.
//! Each parses the answers, calls the shared recommender, and renders.

use actix_web::http::header::{self, ContentType};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::body;
use super::error::{OnSite, PageError};
use super::pages::{badge as svg, discovered, framed, html};
use crate::recommender::{recommend, Answers, FieldError, Invalid, Questionnaire};
use crate::site::{embed, recommendation as pages, SharedSite, Site};

/// `GET /recommend[?answers]`: the form, pre-filled from the query ("change your answers").
pub(super) async fn form(
    req: HttpRequest,
    site: web::Data<SharedSite>,
) -> Result<HttpResponse, PageError> {
    let site = site.current();
    let answers =
        Answers::parse_urlencoded(&site.content.questionnaire, req.query_string().as_bytes())
            .unwrap_or_else(|invalid| invalid.kept);
    let page = pages::form(&site, &answers, &[]).render().on(&site)?;
    Ok(html(StatusCode::OK, page))
}

/// `POST /recommend`: the recommendation, or the form again with every problem listed.
pub(super) async fn submit(
    req: HttpRequest,
    payload: web::Payload,
    site: web::Data<SharedSite>,
) -> Result<HttpResponse, PageError> {
    let site = site.current();
    let q = &site.content.questionnaire;
    let bytes = body::form(&req, payload).await.on(&site)?;
    match Answers::parse_urlencoded(q, &bytes) {
        Ok(answers) => {
            let rec = recommend(q, &answers);
            let view = pages::result(&site, &answers, &rec);
            let page = view.page().on(&site)?;
            let mut response = html(StatusCode::OK, page);
            discovered(&mut response, view.layout.oembed.as_deref());
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
            // The result's own address (its permalink), which the page puts in the address bar
            // when JavaScript runs, so reloading or sharing it shows the same result.
            let permalink =
                crate::paths::permalink(&answers.to_query(q), site.questionnaire_version());
            if let Ok(value) = header::HeaderValue::from_str(&permalink) {
                response
                    .headers_mut()
                    .insert(header::CONTENT_LOCATION, value);
            }
            Ok(response)
        }
        Err(invalid) => invalid_form(&site, &invalid.kept, &invalid.errors),
    }
}

/// `GET /recommendation?answers`: the permalink.
pub(super) async fn permalink(
    req: HttpRequest,
    site: web::Data<SharedSite>,
) -> Result<HttpResponse, PageError> {
    let site = site.current();
    let q = &site.content.questionnaire;
    let (version, query) = crate::paths::version_and_answers(req.query_string());
    match Answers::parse_urlencoded(q, query.as_bytes()) {
        Ok(answers) => {
            let rec = recommend(q, &answers);
            let mut view = pages::result(&site, &answers, &rec);
            view.made_with = version
                .and_then(|v| crate::site::recommendation::made_with(&site, v, &query, &rec));
            let page = view.page().on(&site)?;
            let mut response = html(StatusCode::OK, page);
            discovered(&mut response, view.layout.oembed.as_deref());
            Ok(response)
        }
        Err(invalid) => invalid_form(&site, &invalid.kept, &invalid.errors),
    }
}

/// The answers of a permalink's query; the questionnaire version it names (`v`) is for the
/// permalink page alone.
pub(super) fn permalink_answers(q: &Questionnaire, query: &str) -> Result<Answers, Invalid> {
    let (_, answers) = crate::paths::version_and_answers(query);
    Answers::parse_urlencoded(q, answers.as_bytes())
}

/// `GET /embed/recommendation?answers`: the result's compact view, for other sites' frames.
pub(super) async fn embed(
    req: HttpRequest,
    site: web::Data<SharedSite>,
) -> Result<HttpResponse, PageError> {
    let site = site.current();
    let q = &site.content.questionnaire;
    match permalink_answers(q, req.query_string()) {
        Ok(answers) => {
            let rec = recommend(q, &answers);
            let x = pages::explain(&site, &answers, &rec);
            let page = embed::recommendation_embed(&site, x).render().on(&site)?;
            Ok(framed(page))
        }
        Err(invalid) => Ok(invalid_answers(&invalid.errors)),
    }
}

/// `GET /recommendation.svg?answers`: the result's badge.
pub(super) async fn badge(
    req: HttpRequest,
    site: web::Data<SharedSite>,
) -> Result<HttpResponse, PageError> {
    let site = site.current();
    let q = &site.content.questionnaire;
    match permalink_answers(q, req.query_string()) {
        Ok(answers) => {
            let rec = recommend(q, &answers);
            let x = pages::explain(&site, &answers, &rec);
            Ok(svg(embed::recommendation_badge(&x).render().on(&site)?))
        }
        Err(invalid) => Ok(invalid_answers(&invalid.errors)),
    }
}

/// `GET /recommendation.md?answers`: the decision record, as a Markdown download.
pub(super) async fn record(
    req: HttpRequest,
    site: web::Data<SharedSite>,
) -> Result<HttpResponse, PageError> {
    let site = site.current();
    let q = &site.content.questionnaire;
    match permalink_answers(q, req.query_string()) {
        Ok(answers) => {
            let rec = recommend(q, &answers);
            let today = chrono::Utc::now().date_naive();
            let markdown = crate::site::record::single_record(&site, &answers, &rec, today)
                .render()
                .on(&site)?;
            Ok(HttpResponse::Ok()
                .content_type("text/markdown; charset=utf-8")
                .insert_header((
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"versus-decision-record.md\"",
                ))
                .insert_header((header::CACHE_CONTROL, "no-cache"))
                .body(markdown))
        }
        Err(invalid) => Ok(invalid_answers(&invalid.errors)),
    }
}

/// `422` in plain text: what is wrong with the answers in a link that is not a page.
fn invalid_answers(errors: &[FieldError]) -> HttpResponse {
    let mut text = String::from("The answers in this link are not valid:\n");
    for e in errors {
        text.push_str(&format!("- {}: {}\n", e.field, e.message));
    }
    text.push_str("Answer the questionnaire again at /recommend.\n");
    HttpResponse::UnprocessableEntity()
        .content_type(ContentType::plaintext())
        .body(text)
}

fn invalid_form(
    site: &std::sync::Arc<Site>,
    kept: &Answers,
    errors: &[FieldError],
) -> Result<HttpResponse, PageError> {
    let page = pages::form(site, kept, errors).render().on(site)?;
    Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
}
