//! HTTP routes, kept thin: look up or compute, then respond.

mod api;
mod body;
mod error;
mod front;
mod health;
mod limits;
mod observe;
mod oembed;
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

/// The policy of an embed: the strict one, framable by `ancestors` (`--embed-ancestors`).
pub(crate) fn embed_policy(ancestors: &str) -> String {
    let strict = CONTENT_SECURITY_POLICY.trim_end_matches("'none'");
    format!("{strict}{ancestors}")
}

/// What a response is for beyond this site's own pages, set by its handler as a response
/// extension (or by a pre-rendered resource); [`Front`] then relaxes the headers that would stop
/// that use, and nothing else.
pub(crate) use crate::site::Reach;

/// Every route outside the team scopes: its path and the handler for each method it answers.
/// The router, each `405`'s `Allow` and `paths::ROUTED` (checked by a test) all come from here.
fn app_routes() -> Vec<(&'static str, Vec<(Method, actix_web::Route)>)> {
    use Method::{GetHead, Post};
    vec![
        (
            paths::API_OPENAPI,
            vec![(GetHead, web::to(openapi::document))],
        ),
        (paths::READYZ, vec![(GetHead, web::to(health::readyz))]),
        (paths::HEALTHZ, vec![(GetHead, web::to(healthz))]),
        (
            paths::RECOMMEND,
            vec![
                (GetHead, web::to(recommend::form)),
                (Post, web::to(recommend::submit)),
            ],
        ),
        (
            paths::RECOMMENDATION,
            vec![(GetHead, web::to(recommend::permalink))],
        ),
        (paths::RECORD, vec![(GetHead, web::to(recommend::record))]),
        (
            paths::EMBED_RECOMMENDATION,
            vec![(GetHead, web::to(recommend::embed))],
        ),
        (
            paths::RECOMMENDATION_BADGE,
            vec![(GetHead, web::to(recommend::badge))],
        ),
        (paths::OEMBED, vec![(GetHead, web::to(oembed::answer))]),
        (paths::SEARCH, vec![(GetHead, web::to(search::results))]),
        (
            paths::API_RECOMMEND,
            vec![
                (GetHead, web::to(api::recommend_query)),
                (Post, web::to(api::recommend_json)),
            ],
        ),
    ]
}

/// The team routes, relative to their scope ([`paths::TEAMS`] or [`paths::API_TEAMS`]).
fn team_routes(api: bool) -> Vec<(&'static str, Vec<(Method, actix_web::Route)>)> {
    use Method::{GetHead, Post};
    if api {
        return vec![
            ("", vec![(Post, web::to(teams_api::create))]),
            ("/{team}", vec![(GetHead, web::to(teams_api::team))]),
            ("/{team}/answers", vec![(Post, web::to(teams_api::answer))]),
            (
                "/{team}/organiser/{key}/{action}",
                vec![(Post, web::to(teams_api::organise))],
            ),
            (
                "/{team}/edit/{key}",
                vec![
                    (Method::Put, web::to(teams_api::change_answers)),
                    (Method::Delete, web::to(teams_api::withdraw)),
                ],
            ),
        ];
    }
    vec![
        (
            "",
            vec![
                (GetHead, web::to(teams::new_team)),
                (Post, web::to(teams::create)),
            ],
        ),
        // Before the `/{team}/…` patterns: `view` is never a team's id.
        ("/view/{key}", vec![(GetHead, web::to(teams::view_page))]),
        (
            "/view/{key}/record.md",
            vec![(GetHead, web::to(teams::view_record))],
        ),
        (
            "/view/{key}/feed.xml",
            vec![(GetHead, web::to(teams::view_feed))],
        ),
        (
            "/view/{key}/embed",
            vec![(GetHead, web::to(teams::view_embed))],
        ),
        (
            "/view/{key}/badge.svg",
            vec![(GetHead, web::to(teams::view_badge))],
        ),
        ("/{team}", vec![(GetHead, web::to(teams::team_page))]),
        ("/{team}/join", vec![(GetHead, web::to(teams::join_form))]),
        ("/{team}/answers", vec![(Post, web::to(teams::answer))]),
        ("/{team}/record.md", vec![(GetHead, web::to(teams::record))]),
        (
            "/{team}/organiser/{key}",
            vec![(GetHead, web::to(teams::organiser))],
        ),
        (
            "/{team}/organiser/{key}/{action}",
            vec![(Post, web::to(teams::organise))],
        ),
        (
            "/{team}/edit/{key}",
            vec![
                (GetHead, web::to(teams::edit_form)),
                (Post, web::to(teams::edit)),
            ],
        ),
        (
            "/{team}/edit/{key}/withdraw",
            vec![(Post, web::to(teams::withdraw))],
        ),
    ]
}

/// Registers every route.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    for (path, routes) in app_routes() {
        cfg.service(resource(path, routes));
    }
    // The team routes sit in two scopes, so a request elsewhere is told apart by a plain prefix
    // and never tried against their patterns (a regex match per route and request otherwise).
    for (prefix, api) in [(paths::API_TEAMS, true), (paths::TEAMS, false)] {
        let mut scope =
            web::scope(prefix).wrap(actix_web::middleware::from_fn(team_scope::private_scope));
        for (path, routes) in team_routes(api) {
            scope = scope.service(resource(path, routes));
        }
        cfg.service(scope);
    }
    cfg.default_service(web::to(site_page));
}

/// The methods a route answers.
#[derive(Debug, Clone, Copy)]
enum Method {
    /// GET, and HEAD with the same handler (actix strips the body of a HEAD response).
    GetHead,
    Post,
    Put,
    Delete,
}

impl Method {
    fn names(self) -> &'static str {
        match self {
            Self::GetHead => "GET, HEAD",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
        }
    }

    fn guard(self) -> Box<dyn guard::Guard> {
        match self {
            Self::GetHead => Box::new(guard::Any(guard::Get()).or(guard::Head())),
            Self::Post => Box::new(guard::Post()),
            Self::Put => Box::new(guard::Put()),
            Self::Delete => Box::new(guard::Delete()),
        }
    }
}

/// A resource answering each method with its handler, and every other method with `405` and an
/// `Allow` header made from the same list, so the two cannot disagree.
fn resource(path: &str, routes: Vec<(Method, actix_web::Route)>) -> actix_web::Resource {
    let allow: String = routes
        .iter()
        .map(|(method, _)| method.names())
        .collect::<Vec<_>>()
        .join(", ");
    let mut resource = web::resource(path);
    for (method, route) in routes {
        resource = resource.route(route.guard(GuardBox(method.guard())));
    }
    resource.default_service(web::to(move || not_allowed(allow.clone())))
}

/// A boxed guard as a guard (actix takes guards by value).
struct GuardBox(Box<dyn guard::Guard>);

impl guard::Guard for GuardBox {
    fn check(&self, ctx: &guard::GuardContext<'_>) -> bool {
        self.0.check(ctx)
    }
}

/// 405 with the methods the resource does take.
async fn not_allowed(allow: String) -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .insert_header((actix_web::http::header::ALLOW, allow.as_str()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_embeds_policy_differs_from_the_strict_one_only_in_its_ancestors() {
        let policy = embed_policy("https://wiki.example");
        assert!(policy.ends_with("; frame-ancestors https://wiki.example"));
        assert_eq!(
            policy.replace("https://wiki.example", "'none'"),
            CONTENT_SECURITY_POLICY
        );
    }

    /// `paths::ROUTED` is what the router answers: every path of the table and the two team
    /// scopes, and nothing else.
    #[test]
    fn routed_paths_are_the_route_table() {
        let mut table: Vec<&str> = app_routes().iter().map(|(path, _)| *path).collect();
        table.extend([paths::TEAMS, paths::API_TEAMS]);
        table.sort_unstable();
        let mut routed = paths::ROUTED.to_vec();
        routed.sort_unstable();
        assert_eq!(routed, table);
    }
}
