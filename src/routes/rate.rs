//! The rate limit on starting team decisions: per client address, a burst of 10 and then one
//! every 6 seconds; over it, 429 with `Retry-After`. One limiter for the whole process (every
//! worker shares it). The client is the peer, or, when the peer is the configured trusted proxy,
//! the last address that proxy appended to `X-Forwarded-For`.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// How often a client may start a decision after its burst.
const PERIOD: Duration = Duration::from_secs(6);
/// How many it may start at once.
const BURST: u32 = 10;

/// The shared limiter and whom to believe about client addresses.
#[derive(Debug, Clone)]
pub(crate) struct TeamCreation {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    trusted_proxy: Option<IpAddr>,
}

impl TeamCreation {
    pub(crate) fn new(trusted_proxy: Option<IpAddr>) -> Self {
        let quota = Quota::with_period(PERIOD)
            .expect("the period is above zero")
            .allow_burst(NonZeroU32::new(BURST).expect("the burst is above zero"));
        Self {
            limiter: Arc::new(RateLimiter::keyed(quota)),
            trusted_proxy,
        }
    }

    /// The address a request is attributed to.
    fn client(&self, req: &HttpRequest) -> Option<IpAddr> {
        let peer = req.peer_addr()?.ip();
        if Some(peer) != self.trusted_proxy {
            return Some(peer);
        }
        // The proxy appends the address it saw last; anything before it the client could forge.
        req.headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .last()
            .or(Some(peer))
    }

    /// `Err` with the 429 to send when this client has started too many decisions.
    pub(crate) fn check(&self, req: &HttpRequest) -> Result<(), Box<HttpResponse>> {
        let Some(client) = self.client(req) else {
            return Ok(());
        };
        // Forget clients whose allowance is full again, so the table stays small.
        if self.limiter.len() > 10_000 {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&client).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let seconds = wait.as_secs().max(1);
            Box::new(
                HttpResponse::TooManyRequests()
                    .insert_header((header::RETRY_AFTER, seconds.to_string()))
                    .insert_header((header::CACHE_CONTROL, "no-store"))
                    .content_type("text/plain; charset=utf-8")
                    .body(format!(
                    "Too many team decisions started from this address; try again in {seconds} s.\n"
                )),
            )
        })
    }
}
