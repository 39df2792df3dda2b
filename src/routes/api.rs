//! The JSON API: the same recommender as the form, answers in JSON or in the query string.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::body;
use super::error::Errors;
use super::error::{field_errors, ApiError};
use crate::recommender::{recommend, Answers, FieldError, Invalid, JsonAnswer};
use crate::site::recommendation::Published;
use crate::site::{recommendation, SharedSite, Site};

/// Answers in the API's shape: question id → one option id, or a list for a multi-choice question.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Request {
    #[schema(example = json!({"building": "content-site", "admin": "day-one", "concurrency": ["realtime"]}))]
    answers: BTreeMap<String, JsonAnswer>,
}

/// `POST /api/recommend` with `{"answers": {…}}`.
#[utoipa::path(
    post,
    path = "/api/recommend",
    tag = "recommend",
    request_body = Request,
    responses(
        (status = 200, description = "The recommendation, explained", body = Published),
        (status = 400, description = "The body could not be read", body = Errors),
        (status = 408, description = "The body did not arrive within 10 seconds", body = Errors),
        (status = 413, description = "The body is larger than 64 KiB", body = Errors),
        (status = 415, description = "The body is not application/json", body = Errors),
        (status = 422, description = "The answers are not valid; each field says why", body = Errors),
    )
)]
pub(super) async fn recommend_json(
    req: HttpRequest,
    payload: web::Payload,
    site: web::Data<SharedSite>,
) -> Result<HttpResponse, ApiError> {
    let site = site.current();
    let bytes = body::json(&req, payload).await?;
    let request: Request = match serde_json::from_slice(&bytes) {
        Ok(request) => request,
        Err(err) => {
            let message = format!(
                "Expected {{\"answers\": {{\"question\": \"option\" or [\"option\", …]}}}}: {err}"
            );
            return Ok(field_errors(
                StatusCode::UNPROCESSABLE_ENTITY,
                &[FieldError {
                    field: "body".to_owned(),
                    message,
                }],
            ));
        }
    };
    Ok(respond(
        &site,
        Answers::from_json(&site.content.questionnaire, &request.answers),
    ))
}

/// `GET /api/recommend?question=option&…`, the permalink's encoding.
#[utoipa::path(
    get,
    path = "/api/recommend",
    tag = "recommend",
    params(
        ("answers" = Option<BTreeMap<String, String>>, Query, style = Form, explode,
         description = "Each question id as a key and an option id as its value (repeat a multi-choice key); GET /api/questionnaire lists them. A permalink's `v` (the questionnaire version it was made with) is accepted and ignored: the answers are scored with today's questionnaire"),
    ),
    responses(
        (status = 200, description = "The recommendation, explained", body = Published),
        (status = 422, description = "The answers are not valid; each field says why", body = Errors),
    )
)]
pub(super) async fn recommend_query(req: HttpRequest, site: web::Data<SharedSite>) -> HttpResponse {
    let site = site.current();
    let parsed =
        super::recommend::permalink_answers(&site.content.questionnaire, req.query_string());
    respond(&site, parsed)
}

fn respond(site: &Site, parsed: Result<Answers, Invalid>) -> HttpResponse {
    match parsed {
        Ok(answers) => {
            let rec = recommend(&site.content.questionnaire, &answers);
            HttpResponse::Ok()
                .insert_header(("Cache-Control", "no-cache"))
                .json(recommendation::published(site, &answers, &rec))
        }
        Err(invalid) => field_errors(StatusCode::UNPROCESSABLE_ENTITY, &invalid.errors),
    }
}
