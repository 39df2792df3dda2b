//! The JSON API: the same recommender as the form, answers in JSON or in the query string.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::body::{self, BodyError};
use crate::recommender::{recommend, Answers, FieldError, Invalid, JsonAnswer};
use crate::site::Site;
use crate::startup::SharedSite;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    answers: BTreeMap<String, JsonAnswer>,
}

/// `POST /api/recommend` with `{"answers": {…}}`.
pub async fn recommend_json(
    req: HttpRequest,
    payload: web::Payload,
    site: web::Data<SharedSite>,
) -> HttpResponse {
    let site = site.current();
    let bytes = match body::read(&req, payload, "application/json", body::JSON_LIMIT).await {
        Ok(bytes) => bytes,
        Err(BodyError::TooLarge) => {
            return errors(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body",
                format!("The body is larger than {} bytes", body::JSON_LIMIT),
            )
        }
        Err(BodyError::WrongType) => {
            return errors(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "body",
                "Send the answers as application/json".to_owned(),
            )
        }
        Err(BodyError::Unreadable) => {
            return errors(
                StatusCode::BAD_REQUEST,
                "body",
                "The body could not be read".to_owned(),
            )
        }
    };
    let request: Request = match serde_json::from_slice(&bytes) {
        Ok(request) => request,
        Err(err) => {
            let message = format!(
                "Expected {{\"answers\": {{\"question\": \"option\" or [\"option\", …]}}}}: {err}"
            );
            return errors(StatusCode::UNPROCESSABLE_ENTITY, "body", message);
        }
    };
    respond(
        &site,
        Answers::from_json(&site.content.questionnaire, &request.answers),
    )
}

/// `GET /api/recommend?question=option&…`, the permalink's encoding.
pub async fn recommend_query(req: HttpRequest, site: web::Data<SharedSite>) -> HttpResponse {
    let site = site.current();
    respond(
        &site,
        Answers::parse_urlencoded(&site.content.questionnaire, req.query_string().as_bytes()),
    )
}

fn respond(site: &Site, parsed: Result<Answers, Invalid>) -> HttpResponse {
    match parsed {
        Ok(answers) => {
            let mut rec = recommend(&site.content.questionnaire, &answers);
            rec.permalink = format!("{}{}", site.base_url, rec.permalink);
            HttpResponse::Ok()
                .insert_header(("Cache-Control", "no-cache"))
                .json(rec)
        }
        Err(invalid) => HttpResponse::UnprocessableEntity()
            .json(serde_json::json!({ "errors": invalid.errors })),
    }
}

/// A JSON error body in the API's shape.
pub fn errors(status: StatusCode, field: &str, message: String) -> HttpResponse {
    let errors = [FieldError {
        field: field.to_owned(),
        message,
    }];
    HttpResponse::build(status).json(serde_json::json!({ "errors": errors }))
}
