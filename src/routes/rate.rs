//! The rate limit on starting team decisions: per client address, a burst of 10 and then one
//! every 6 seconds; over it, 429 with `Retry-After`. The client is the peer, or, when the peer
//! is the configured trusted proxy, the last address it appended to `X-Forwarded-For`.

use std::net::IpAddr;

use actix_governor::governor::middleware::NoOpMiddleware;
use actix_governor::{
    GovernorConfig, GovernorConfigBuilder, KeyExtractor, SimpleKeyExtractionError,
};
use actix_web::dev::ServiceRequest;
use actix_web::http::Method;

/// Who a request counts against.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientAddress {
    trusted_proxy: Option<IpAddr>,
}

impl ClientAddress {
    /// The address a request is attributed to.
    fn of(&self, req: &ServiceRequest) -> Option<IpAddr> {
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
}

impl KeyExtractor for ClientAddress {
    type Key = IpAddr;
    type KeyExtractionError = SimpleKeyExtractionError<&'static str>;

    fn extract(&self, req: &ServiceRequest) -> Result<Self::Key, Self::KeyExtractionError> {
        self.of(req)
            .ok_or_else(|| SimpleKeyExtractionError::new("the client's address is unknown"))
    }
}

/// The limit for `POST /teams` and `POST /api/teams` (other methods pass).
pub(crate) fn team_creation(
    trusted_proxy: Option<IpAddr>,
) -> GovernorConfig<ClientAddress, NoOpMiddleware> {
    GovernorConfigBuilder::default()
        .seconds_per_request(6)
        .burst_size(10)
        .methods(vec![Method::POST])
        .key_extractor(ClientAddress { trusted_proxy })
        .finish()
        .expect("a burst and a period above zero make a valid limit")
}
