//! The one layer every request passes through: the header limit, the request's id and access-log
//! line, the security headers, and the pre-rendered pages.
//!
//! Written as one middleware rather than composed from actix-web's (`from_fn` twice and
//! `DefaultHeaders`): each of those wraps the request in a layer of its own, boxes or nests a
//! future and, for `DefaultHeaders`, looks each header up before inserting it, which was most of
//! what versus spent beyond a bare actix-web server on a 304 (`benches/RESULTS.md`). What each
//! part does lives
//! with its purpose: [`super::limits`], [`super::observe`], [`super::security_headers`],
//! [`super::pages`].
//!
//! A GET or HEAD of a pre-rendered page, asset or card is answered here, before routing, as a
//! static file server in front of an application would: the page is already in memory, so the
//! answer is ready at once and needs neither the router (a match per route until the default
//! service), nor extractors, nor a boxed future (instructions per request before and after:
//! `benches/RESULTS.md`). No page's path is one a route answers (checked by a test), so answering
//! pages first changes no answer.

use std::future::{ready, Ready};
use std::rc::Rc;
use std::time::Instant;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::Error;
use futures_util::future::{Either, LocalBoxFuture};

use super::{embed_policy, limits, observe, pages, security_headers, Reach};
use crate::site::SharedSite;
use crate::telemetry;

/// The middleware; `https` adds HSTS to the security headers.
pub(crate) struct Front {
    headers: Rc<[(HeaderName, HeaderValue)]>,
    /// The policy of the responses marked [`Reach::Framed`].
    embed_policy: HeaderValue,
    site: SharedSite,
}

impl Front {
    /// `ancestors` are the `frame-ancestors` sources of embeds (checked by the command line;
    /// a value that is still no header value leaves embeds unframable).
    pub(crate) fn new(https: bool, ancestors: &str, site: SharedSite) -> Self {
        Self {
            headers: security_headers(https).into(),
            embed_policy: HeaderValue::from_str(&embed_policy(ancestors))
                .unwrap_or(HeaderValue::from_static(super::CONTENT_SECURITY_POLICY)),
            site,
        }
    }
}

impl<S, B> Transform<S, ServiceRequest> for Front
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = FrontService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(FrontService {
            service,
            headers: Rc::clone(&self.headers),
            embed_policy: self.embed_policy.clone(),
            site: self.site.clone(),
        }))
    }
}

pub(crate) struct FrontService<S> {
    service: S,
    headers: Rc<[(HeaderName, HeaderValue)]>,
    embed_policy: HeaderValue,
    site: SharedSite,
}

type Answer<B> = Result<ServiceResponse<EitherBody<B>>, Error>;

impl<S, B> Service<ServiceRequest> for FrontService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    /// Ready for what is answered here, boxed for what a route answers.
    type Future = Either<Ready<Answer<B>>, LocalBoxFuture<'static, Answer<B>>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let started = Instant::now();
        let id = observe::request_id(req.headers());
        let logged = observe::Logged::capture(&req);
        // A request with too much header is refused here, and still gets its headers and line.
        let answered = limits::too_large(req.headers()).or_else(|| {
            telemetry::in_request(Rc::clone(&id), || {
                pages::prerendered(req.request(), &self.site)
            })
        });
        if let Some(answer) = answered {
            let mut response = req.into_response(answer).map_into_right_body();
            // Neither a refusal nor a page sets a security header of its own.
            finish(&mut response, &self.headers, false, &id, logged, started);
            reach(&mut response, &self.embed_policy);
            return Either::Left(ready(Ok(response)));
        }
        let handling = telemetry::with_request_id(Rc::clone(&id), self.service.call(req));
        let headers = Rc::clone(&self.headers);
        let policy = self.embed_policy.clone();
        Either::Right(Box::pin(async move {
            let mut response = handling.await?.map_into_left_body();
            finish(&mut response, &headers, true, &id, logged, started);
            reach(&mut response, &policy);
            Ok(response)
        }))
    }
}

/// Relaxes what stops a response marked with a [`Reach`] from being used elsewhere: an embed
/// may be framed by the configured ancestors, a badge loaded by any site. Unmarked responses,
/// errors included, keep refusing both.
fn reach<B>(response: &mut ServiceResponse<B>, embed_policy: &HeaderValue) {
    let Some(reach) = response.response().extensions().get::<Reach>().copied() else {
        return;
    };
    let map = response.headers_mut();
    if reach == Reach::Framed {
        map.remove(actix_web::http::header::X_FRAME_OPTIONS);
        map.insert(
            actix_web::http::header::CONTENT_SECURITY_POLICY,
            embed_policy.clone(),
        );
    }
    map.insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
}

/// Adds the security headers and the request's id to `response`, and logs its line. A handler
/// may have set a stricter header of its own (team pages send no referrer), which is kept.
fn finish<B>(
    response: &mut ServiceResponse<B>,
    headers: &[(HeaderName, HeaderValue)],
    handler_may_set: bool,
    id: &str,
    logged: Option<observe::Logged>,
    started: Instant,
) {
    let map = response.headers_mut();
    for (name, value) in headers {
        if !handler_may_set || !map.contains_key(name) {
            map.insert(name.clone(), value.clone());
        }
    }
    if let Ok(value) = HeaderValue::from_str(id) {
        map.insert(observe::REQUEST_ID.clone(), value);
    }
    if let Some(logged) = logged {
        logged.write(response.status(), started, id);
    }
}
