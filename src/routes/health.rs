//! Liveness for load balancers and tests.

use actix_web::HttpResponse;

pub(crate) async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body("ok\n")
}

/// Readiness: 200 when the team database answers and takes writes, 503 (with `Retry-After`)
/// otherwise, for a load balancer that should send team traffic elsewhere. `/healthz` stays
/// liveness only.
pub(crate) async fn readyz(teams: actix_web::web::Data<super::teams::Teams>) -> HttpResponse {
    if teams.store.ping().await {
        return HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .insert_header(("Cache-Control", "no-store"))
            .body("ready\n");
    }
    HttpResponse::ServiceUnavailable()
        .content_type("text/plain; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Retry-After", "5"))
        .body("the team database is not answering, or cannot take writes\n")
}
