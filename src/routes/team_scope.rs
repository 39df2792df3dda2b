//! What every response under the team scopes needs, done once for the scope instead of by each
//! handler: the team headers on every response (errors, 404s of unknown sub-paths, 405s, 413s
//! and extractor failures included), and the refusal of state changes sent from another site.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpResponse};

use super::teams::Teams;
use crate::paths;

/// The team headers: no referrer (a team's address is its capability, and evidence links lead
/// off-site), no caching, no indexing. They replace the site-wide ones.
const PRIVATE: [(HeaderName, HeaderValue); 3] = [
    (
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    ),
    (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    (
        HeaderName::from_static("x-robots-tag"),
        HeaderValue::from_static("noindex"),
    ),
];

/// The middleware on both team scopes (`/teams`, `/api/teams`).
pub(crate) async fn private_scope(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let changes_state = !matches!(*req.method(), Method::GET | Method::HEAD);
    let cross_site = changes_state
        && req
            .app_data::<web::Data<Teams>>()
            .is_some_and(|teams| teams.origin.cross_site(req.request()));
    let mut response = if cross_site {
        let refusal = refused_cross_site(req.path().starts_with(paths::API_TEAMS));
        req.into_response(refusal)
    } else {
        // Handlers, extractors and the scope's fallbacks answer errors as responses, so every
        // refusal passes here; the request is not kept (routing needs it unshared).
        next.call(req).await?.map_into_boxed_body()
    };
    let headers = response.headers_mut();
    for (name, value) in PRIVATE {
        headers.insert(name, value);
    }
    Ok(response)
}

/// `403`: a form or API call sent from another site's page.
fn refused_cross_site(api: bool) -> HttpResponse {
    if api {
        super::error::field_errors(
            StatusCode::FORBIDDEN,
            &[crate::recommender::FieldError {
                field: "body".to_owned(),
                message: "Refused: sent from another site".to_owned(),
            }],
        )
    } else {
        HttpResponse::Forbidden()
            .content_type(header::ContentType::plaintext())
            .body("Refused: this form was sent from another site.\n")
    }
}
