//! The one layer every request passes through: the header limit, the request's id and access-log
//! line, and the security headers.
//!
//! Written as one middleware rather than composed from actix-web's (`from_fn` twice and
//! `DefaultHeaders`): each of those wraps the request in a layer of its own, boxes or nests a
//! future and, for `DefaultHeaders`, looks each header up before inserting it. On a 304 this was
//! most of the user-space time versus spends beyond a bare actix-web server (`perf record
//! --call-graph=dwarf` of `benches/load.sh`'s 304 test, 2026-12-02). What each part does lives
//! with its purpose: [`super::limits`], [`super::observe`], [`super::security_headers`].

use std::future::{ready, Ready};
use std::rc::Rc;
use std::time::Instant;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::Error;
use futures_util::future::{Either, LocalBoxFuture};

use super::{limits, observe, security_headers};
use crate::telemetry;

/// The middleware; `https` adds HSTS to the security headers.
pub(crate) struct Front {
    headers: Rc<[(HeaderName, HeaderValue)]>,
}

impl Front {
    pub(crate) fn new(https: bool) -> Self {
        Self {
            headers: security_headers(https).into(),
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
        }))
    }
}

pub(crate) struct FrontService<S> {
    service: S,
    headers: Rc<[(HeaderName, HeaderValue)]>,
}

impl<S, B> Service<ServiceRequest> for FrontService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let started = Instant::now();
        let id = observe::request_id(req.headers());
        let logged = observe::Logged::capture(&req);
        let headers = Rc::clone(&self.headers);
        // A request with too much header is answered here, and still gets its headers and line.
        let handling = match limits::too_large(req.headers()) {
            Some(refusal) => Either::Left(req.into_response(refusal)),
            None => Either::Right(telemetry::with_request_id(
                Rc::clone(&id),
                self.service.call(req),
            )),
        };
        Box::pin(async move {
            let mut response = match handling {
                Either::Left(refused) => refused.map_into_right_body(),
                Either::Right(handling) => handling.await?.map_into_left_body(),
            };
            let map = response.headers_mut();
            // A handler may set a stricter one (team pages send no referrer).
            for (name, value) in headers.iter() {
                if !map.contains_key(name) {
                    map.insert(name.clone(), value.clone());
                }
            }
            if let Ok(value) = HeaderValue::from_str(&id) {
                map.insert(observe::REQUEST_ID.clone(), value);
            }
            if let Some(logged) = logged {
                logged.write(response.status(), started, &id);
            }
            Ok(response)
        })
    }
}
