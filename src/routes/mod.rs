//! HTTP routes, kept thin: look up or compute, then respond.

mod api;
mod body;
mod error;
mod front;
mod health;
mod limits;
mod observe;
mod openapi;
mod origin;
mod pages;
mod rate;
mod recommend;
mod search;
mod team_error;
mod team_scope;
mod teams;
mod teams_api;

pub(crate) use front::Front;
pub(crate) use health::healthz;
use pages::site_page;
pub(crate) use teams::Teams;

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{guard, web, HttpResponse};

use crate::paths;

/// The strict policy the templates are written for: no inline script or style anywhere.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

/// Registers every route.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource(paths::API_OPENAPI)
            .route(get_or_head().to(openapi::document))
            .default_service(web::to(|| not_allowed("GET, HEAD"))),
    )
    .service(
        web::resource(paths::READYZ)
            .route(get_or_head().to(health::readyz))
            .default_service(web::to(|| not_allowed("GET, HEAD"))),
    )
    // The team routes sit in two scopes, so a request elsewhere is told apart by a plain prefix
    // and never tried against their patterns (a regex match per route and request otherwise).
    .service(
        web::scope(paths::API_TEAMS)
            .wrap(actix_web::middleware::from_fn(team_scope::private_scope))
            .service(
                web::resource("")
                    .route(web::post().to(teams_api::create))
                    .default_service(web::to(|| not_allowed("POST"))),
            )
            .service(
                web::resource("/{team}")
                    .route(get_or_head().to(teams_api::team))
                    .default_service(web::to(|| not_allowed("GET, HEAD"))),
            )
            .service(
                web::resource("/{team}/answers")
                    .route(web::post().to(teams_api::answer))
                    .default_service(web::to(|| not_allowed("POST"))),
            ),
    )
    .service(
        web::scope(paths::TEAMS)
            .wrap(actix_web::middleware::from_fn(team_scope::private_scope))
            .service(
                web::resource("")
                    .route(get_or_head().to(teams::new_team))
                    .route(web::post().to(teams::create))
                    .default_service(web::to(|| not_allowed("GET, HEAD, POST"))),
            )
            .service(
                web::resource("/{team}")
                    .route(get_or_head().to(teams::team_page))
                    .default_service(web::to(|| not_allowed("GET, HEAD"))),
            )
            .service(
                web::resource("/{team}/join")
                    .route(get_or_head().to(teams::join_form))
                    .default_service(web::to(|| not_allowed("GET, HEAD"))),
            )
            .service(
                web::resource("/{team}/answers")
                    .route(web::post().to(teams::answer))
                    .default_service(web::to(|| not_allowed("POST"))),
            )
            .service(
                web::resource("/{team}/record.md")
                    .route(get_or_head().to(teams::record))
                    .default_service(web::to(|| not_allowed("GET, HEAD"))),
            )
            .service(
                web::resource("/{team}/organiser/{key}")
                    .route(get_or_head().to(teams::organiser))
                    .default_service(web::to(|| not_allowed("GET, HEAD"))),
            )
            .service(
                web::resource("/{team}/organiser/{key}/{action}")
                    .route(web::post().to(teams::organise))
                    .default_service(web::to(|| not_allowed("POST"))),
            )
            .service(
                web::resource("/{team}/edit/{key}")
                    .route(get_or_head().to(teams::edit_form))
                    .route(web::post().to(teams::edit))
                    .default_service(web::to(|| not_allowed("GET, HEAD, POST"))),
            )
            .service(
                web::resource("/{team}/edit/{key}/withdraw")
                    .route(web::post().to(teams::withdraw))
                    .default_service(web::to(|| not_allowed("POST"))),
            ),
    );
    cfg.service(
        web::resource(paths::HEALTHZ)
            .route(get_or_head().to(healthz))
            .default_service(web::to(|| not_allowed("GET, HEAD"))),
    )
    .service(
        web::resource(paths::RECOMMEND)
            .route(get_or_head().to(recommend::form))
            .route(web::post().to(recommend::submit))
            .default_service(web::to(|| not_allowed("GET, HEAD, POST"))),
    )
    .service(
        web::resource(paths::RECOMMENDATION)
            .route(get_or_head().to(recommend::permalink))
            .default_service(web::to(|| not_allowed("GET, HEAD"))),
    )
    .service(
        web::resource(paths::RECORD)
            .route(get_or_head().to(recommend::record))
            .default_service(web::to(|| not_allowed("GET, HEAD"))),
    )
    .service(
        web::resource(paths::SEARCH)
            .route(get_or_head().to(search::results))
            .default_service(web::to(|| not_allowed("GET, HEAD"))),
    )
    .service(
        web::resource(paths::API_RECOMMEND)
            .route(get_or_head().to(api::recommend_query))
            .route(web::post().to(api::recommend_json))
            .default_service(web::to(|| not_allowed("GET, HEAD, POST"))),
    )
    .default_service(web::to(site_page));
}

/// GET, and HEAD with the same handler (actix strips the body of a HEAD response).
fn get_or_head() -> actix_web::Route {
    web::route().guard(guard::Any(guard::Get()).or(guard::Head()))
}

/// 405 with the methods the resource does take.
async fn not_allowed(allow: &'static str) -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .insert_header((actix_web::http::header::ALLOW, allow))
        .content_type("text/plain; charset=utf-8")
        .body(format!("This address answers {allow} only.\n"))
}

/// Security headers on every response, errors and 304s included; HSTS when served over https.
/// [`Front`] adds each one a handler has not set itself. Names and values are static, so adding
/// them to a response copies pointers rather than counting references.
fn security_headers(https: bool) -> Vec<(HeaderName, HeaderValue)> {
    const fn pair(name: &'static str, value: &'static str) -> (HeaderName, HeaderValue) {
        (
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        )
    }
    let mut headers = vec![
        pair("content-security-policy", CONTENT_SECURITY_POLICY),
        pair("x-content-type-options", "nosniff"),
        pair("referrer-policy", "strict-origin-when-cross-origin"),
        pair("cross-origin-opener-policy", "same-origin"),
        pair("cross-origin-resource-policy", "same-origin"),
        pair("x-frame-options", "DENY"),
        pair("x-permitted-cross-domain-policies", "none"),
        pair(
            "permissions-policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        ),
    ];
    if https {
        headers.push(pair(
            "strict-transport-security",
            "max-age=63072000; includeSubDomains",
        ));
    }
    headers
}
