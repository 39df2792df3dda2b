//! HTTP routes, kept thin: look up or compute, then respond.

mod api;
mod body;
mod health;
mod observe;
mod pages;
mod recommend;

pub use health::healthz;
pub use observe::access_log;
pub use pages::{respond, site_page};

use actix_web::middleware::DefaultHeaders;
use actix_web::web;

/// The strict policy the templates are written for: no inline script or style anywhere.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .service(
            web::resource("/recommend")
                .route(web::get().to(recommend::form))
                .route(web::post().to(recommend::submit)),
        )
        .service(web::resource("/recommendation").route(web::get().to(recommend::permalink)))
        .service(web::resource("/recommendation.md").route(web::get().to(recommend::record)))
        .service(
            web::resource("/api/recommend")
                .route(web::get().to(api::recommend_query))
                .route(web::post().to(api::recommend_json)),
        )
        .default_service(web::to(site_page));
}

/// Security headers on every response, errors and 304s included.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add(("Cross-Origin-Resource-Policy", "same-origin"))
        .add(("X-Frame-Options", "DENY"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        ))
}
