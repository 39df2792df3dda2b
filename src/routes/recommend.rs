//! The questionnaire form, its submission, the permalink page and the decision record.
//! Each parses the answers, calls the shared recommender, and renders.

use actix_web::http::header::{self, ContentType};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::body::{self, BodyError};
use crate::recommender::{recommend, Answers, FieldError};
use crate::site::{recommendation as pages, Site};
use crate::startup::SharedSite;

/// `GET /recommend[?answers]`: the form, pre-filled from the query ("change your answers").
pub async fn form(req: HttpRequest, site: web::Data<SharedSite>) -> HttpResponse {
    let site = site.current();
    let answers =
        Answers::parse_urlencoded(&site.content.questionnaire, req.query_string().as_bytes())
            .unwrap_or_else(|invalid| invalid.kept);
    html(
        &site,
        StatusCode::OK,
        pages::form(&site, &answers, &[]).render(),
    )
}

/// `POST /recommend`: the recommendation, or the form again with every problem listed.
pub async fn submit(
    req: HttpRequest,
    payload: web::Payload,
    site: web::Data<SharedSite>,
) -> HttpResponse {
    let site = site.current();
    let q = &site.content.questionnaire;
    let parsed = match body::read(
        &req,
        payload,
        "application/x-www-form-urlencoded",
        body::FORM_LIMIT,
    )
    .await
    {
        Ok(bytes) => Answers::parse_urlencoded(q, &bytes),
        Err(err) => return body_error(&site, err),
    };
    match parsed {
        Ok(answers) => {
            let rec = recommend(q, &answers);
            let mut response = html(
                &site,
                StatusCode::OK,
                pages::result(&site, &answers, &rec).render(),
            );
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(invalid) => invalid_form(&site, &invalid.kept, &invalid.errors),
    }
}

/// `GET /recommendation?answers`: the permalink.
pub async fn permalink(req: HttpRequest, site: web::Data<SharedSite>) -> HttpResponse {
    let site = site.current();
    let q = &site.content.questionnaire;
    match Answers::parse_urlencoded(q, req.query_string().as_bytes()) {
        Ok(answers) => {
            let rec = recommend(q, &answers);
            html(
                &site,
                StatusCode::OK,
                pages::result(&site, &answers, &rec).render(),
            )
        }
        Err(invalid) => invalid_form(&site, &invalid.kept, &invalid.errors),
    }
}

/// `GET /recommendation.md?answers`: the decision record, as a Markdown download.
pub async fn record(req: HttpRequest, site: web::Data<SharedSite>) -> HttpResponse {
    let site = site.current();
    let q = &site.content.questionnaire;
    match Answers::parse_urlencoded(q, req.query_string().as_bytes()) {
        Ok(answers) => {
            let rec = recommend(q, &answers);
            let today = chrono::Utc::now().date_naive();
            match pages::record(&site, &answers, &rec, today).render() {
                Ok(markdown) => HttpResponse::Ok()
                    .content_type("text/markdown; charset=utf-8")
                    .insert_header((
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"versus-decision-record.md\"",
                    ))
                    .insert_header((header::CACHE_CONTROL, "no-cache"))
                    .body(markdown),
                Err(err) => server_error(&site, &err),
            }
        }
        Err(invalid) => {
            let mut text = String::from("The answers in this link are not valid:\n");
            for e in &invalid.errors {
                text.push_str(&format!("- {}: {}\n", e.field, e.message));
            }
            text.push_str("Answer the questionnaire again at /recommend.\n");
            HttpResponse::UnprocessableEntity()
                .content_type(ContentType::plaintext())
                .body(text)
        }
    }
}

fn invalid_form(site: &Site, kept: &Answers, errors: &[FieldError]) -> HttpResponse {
    html(
        site,
        StatusCode::UNPROCESSABLE_ENTITY,
        pages::form(site, kept, errors).render(),
    )
}

/// A page rendered for this request, or the 500 page when rendering failed.
pub(super) fn html(
    site: &Site,
    status: StatusCode,
    rendered: askama::Result<String>,
) -> HttpResponse {
    match rendered {
        Ok(page) => HttpResponse::build(status)
            .content_type(ContentType::html())
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(page),
        Err(err) => server_error(site, &err),
    }
}

/// The 500 page; the cause goes to the log, not to the visitor.
pub fn server_error(site: &Site, err: &dyn std::error::Error) -> HttpResponse {
    tracing::error!(error = %err, "rendering failed");
    HttpResponse::InternalServerError()
        .content_type(ContentType::html())
        .body(site.server_error().body.clone())
}

/// An HTML error page for a refused body.
fn body_error(site: &Site, err: BodyError) -> HttpResponse {
    let (status, heading, message) = match err {
        BodyError::TooLarge => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "Your answers were too large",
            "The form sent more data than any set of answers needs. Please go back and submit the questionnaire again.",
        ),
        BodyError::WrongType => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "This form submission was not understood",
            "Answers must be sent as a normal HTML form (application/x-www-form-urlencoded). Please use the questionnaire page.",
        ),
        BodyError::Unreadable => (
            StatusCode::BAD_REQUEST,
            "Your answers could not be read",
            "The connection broke while the form was being sent. Please submit the questionnaire again.",
        ),
    };
    error_page(site, status, heading, message)
}

/// A page from the error template with `status`.
pub fn error_page(site: &Site, status: StatusCode, heading: &str, message: &str) -> HttpResponse {
    match site.error_page("/recommend", heading, message) {
        Ok(page) => HttpResponse::build(status)
            .content_type(ContentType::html())
            .body(page.body),
        Err(err) => server_error(site, &err),
    }
}
