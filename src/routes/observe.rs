//! Observability: one access-log line per request, the request's id on every line logged while
//! handling it, and an `X-Request-Id` on every response
//! (the client's, when it sent a sensible one, so logs can be joined across services).

use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::LazyLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use actix_web::dev::ServiceRequest;
use actix_web::http::header::{HeaderMap, HeaderName};
use actix_web::http::{Method, StatusCode};

use crate::telemetry::Access;

pub(super) static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
static COUNTER: AtomicU64 = AtomicU64::new(0);
/// Distinguishes this process's ids from another run's: `{start:x}-`.
static PREFIX: LazyLock<String> = LazyLock::new(|| {
    let start = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("{start:x}-")
});

/// A client's id is kept if it is short and plain; anything else is replaced.
fn acceptable(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

/// `{start:x}-{n:06x}`: the process's start in seconds, then a counter. Built by hand, because
/// `format!` showed in the profile of a 304 (`benches/RESULTS.md`).
fn new_id() -> Rc<str> {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let digits = (64 - n.leading_zeros()).div_ceil(4).max(6);
    let mut id = String::with_capacity(PREFIX.len() + digits as usize);
    id.push_str(&PREFIX);
    id.extend((0..digits).rev().map(|d| {
        char::from(b"0123456789abcdef"[usize::try_from((n >> (d * 4)) & 0xf).unwrap_or(0)])
    }));
    Rc::from(id)
}

/// The client's id when it is acceptable, else a new one.
pub(super) fn request_id(headers: &HeaderMap) -> Rc<str> {
    headers
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable(v))
        .map_or_else(new_id, Rc::from)
}

/// What the access line needs from the request, kept while it is handled.
pub(super) struct Logged {
    method: Method,
    /// At most 200 characters of the path, cut at a character boundary.
    path: String,
}

impl Logged {
    /// `None` when the access log is off (`VERSUS_LOG=info,access=off`): nothing is copied.
    pub(super) fn capture(req: &ServiceRequest) -> Option<Self> {
        tracing::enabled!(target: "access", tracing::Level::INFO).then(|| {
            let path = crate::paths::redact_keys(req.path());
            let end = path
                .char_indices()
                .nth(200)
                .map_or(path.len(), |(end, _)| end);
            Self {
                method: req.method().clone(),
                path: path[..end].to_owned(),
            }
        })
    }

    pub(super) fn write(self, status: StatusCode, started: Instant, id: &str) {
        Access {
            method: self.method.as_str(),
            path: &self.path,
            status: status.as_u16(),
            micros: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            request_id: id,
        }
        .write();
    }
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
        // The counter in at least six hex digits, then as many as it needs.
        COUNTER.store(0xab, Ordering::Relaxed);
        assert_eq!(&*new_id(), format!("{}0000ab", *PREFIX));
        COUNTER.store(0x0012_3456_789a, Ordering::Relaxed);
        assert_eq!(&*new_id(), format!("{}123456789a", *PREFIX));
    }
}
