//! Observability: one access-log line per request, the request's id on every line logged while
//! handling it, and an `X-Request-Id` on every response
//! (the client's, when it sent a sensible one, so logs can be joined across services).

use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::LazyLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::telemetry::{self, Access};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::Error;

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
static COUNTER: AtomicU64 = AtomicU64::new(0);
/// Distinguishes this process's ids from another run's.
static PREFIX: LazyLock<u64> = LazyLock::new(|| {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
});

/// A client's id is kept if it is short and plain; anything else is replaced.
fn acceptable(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

fn new_id() -> String {
    format!(
        "{:x}-{:06x}",
        *PREFIX,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Logs method, path, status, latency and request id once the response is ready.
pub(crate) async fn access_log(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let id: Rc<str> = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable(v))
        .map_or_else(|| Rc::from(new_id()), Rc::from);
    // The log line's fields are only kept when the line will be written.
    let logged = tracing::enabled!(target: "access", tracing::Level::INFO)
        .then(|| (req.method().clone(), req.uri().clone()));
    // Every line the handler logs carries the id.
    let mut response = telemetry::with_request_id(Rc::clone(&id), next.call(req)).await?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID.clone(), value);
    }
    if let Some((method, uri)) = logged {
        let path = uri.path();
        // At most 200 characters of it, cut at a character boundary.
        let path = path
            .char_indices()
            .nth(200)
            .map_or(path, |(end, _)| &path[..end]);
        Access {
            method: method.as_str(),
            path,
            status: response.status().as_u16(),
            micros: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            request_id: &id,
        }
        .write();
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_short_ids_are_kept_and_others_replaced() {
        assert!(acceptable("abc-123_x.y:z"));
        assert!(!acceptable(""));
        assert!(!acceptable("has space"));
        assert!(!acceptable(&"a".repeat(65)));
        assert!(!acceptable("new\nline"));
        assert_ne!(new_id(), new_id());
    }
}
