//! The rate limit on starting team decisions: per client address, a burst of 10 and then one
//! every 6 seconds; over it, 429 with `Retry-After`. One limiter for the whole process (every
//! worker shares it). The client is the peer, or, when the peer is the configured trusted proxy,
//! the last address that proxy appended to `X-Forwarded-For`.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use actix_web::HttpRequest;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::team_error::Refusal;

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
        // The proxy appends the address it saw last; anything before it the client could forge,
        // so an entry that does not parse never lets an earlier one be believed.
        let last = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .last();
        last.and_then(forwarded_address).or(Some(peer))
    }

    /// `Err` when this client has started too many decisions, with how long to wait.
    pub(crate) fn check(&self, req: &HttpRequest) -> Result<(), Refusal> {
        let Some(client) = self.client(req) else {
            return Ok(());
        };
        // Forget clients whose allowance is full again, so the table stays small.
        if self.limiter.len() > 10_000 {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&client).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            // Rounded up: waiting exactly that long must be enough.
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            Refusal::RateLimited {
                seconds: seconds.max(1),
            }
        })
    }
}

/// An address as a proxy writes it in `X-Forwarded-For`: `ip`, `ip:port`, `[ipv6]` or
/// `[ipv6]:port`.
fn forwarded_address(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(socket) = entry.parse::<std::net::SocketAddr>() {
        return Some(socket.ip());
    }
    entry
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|ip| ip.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn only_the_last_forwarded_entry_is_believed() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let limit = TeamCreation::new(Some(proxy));
        let from = |xff: &str| {
            let req = TestRequest::default()
                .peer_addr("10.0.0.1:4000".parse().unwrap())
                .insert_header(("x-forwarded-for", xff))
                .to_http_request();
            limit.client(&req).unwrap().to_string()
        };
        assert_eq!("203.0.113.9", from("1.2.3.4, 203.0.113.9"));
        assert_eq!("203.0.113.9", from("1.2.3.4, 203.0.113.9:5123"));
        assert_eq!("2001:db8::1", from("1.2.3.4, [2001:db8::1]:443"));
        // An unparseable last entry falls back to the proxy, never to a client-written one.
        assert_eq!("10.0.0.1", from("1.2.3.4, unknown"));
        assert_eq!("10.0.0.1", from("1.2.3.4, 203.0.113.9:x"));
    }
}
