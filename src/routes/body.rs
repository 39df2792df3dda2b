//! Reading request bodies with a limit, so a huge upload costs us nothing.

use actix_web::http::header;
use actix_web::{web, HttpRequest};
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;

/// The largest form body accepted; the whole questionnaire answered fits in well under 2 KiB.
pub(super) const FORM_LIMIT: usize = 16 * 1024;
/// The largest JSON body accepted.
pub(super) const JSON_LIMIT: usize = 64 * 1024;

/// Why a body was refused.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BodyError {
    #[error("the body is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the body is not {expected}")]
    WrongType { expected: &'static str },
    #[error("the body could not be read: {0}")]
    Unreadable(#[source] actix_web::error::PayloadError),
    /// The client took longer than [`BODY_TIME`] to send it.
    #[error("the body took longer than {} s to arrive", BODY_TIME.as_secs())]
    TimedOut,
}

impl BodyError {
    /// The one mapping from a refused body to its status, for every route that reads one.
    pub(crate) fn status(&self) -> actix_web::http::StatusCode {
        use actix_web::http::StatusCode;
        match self {
            Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::WrongType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unreadable(_) => StatusCode::BAD_REQUEST,
            Self::TimedOut => StatusCode::REQUEST_TIMEOUT,
        }
    }
}

/// How long a client has to send a whole body once its headers arrived. actix-web times out
/// only the headers: without this, a client sending a byte every few seconds holds its
/// connection (and a file descriptor) for ever, and enough of them stop the whole site.
pub(super) const BODY_TIME: std::time::Duration = std::time::Duration::from_secs(10);

/// Whether the request's media type is `expected` (parameters such as charset ignored).
pub(super) fn has_type(req: &HttpRequest, expected: &str) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case(expected))
}

/// A form body (`application/x-www-form-urlencoded`, at most [`FORM_LIMIT`]), for every form
/// the site takes: the questionnaire's and the team forms.
pub(super) async fn form(req: &HttpRequest, payload: web::Payload) -> Result<Bytes, BodyError> {
    read(
        req,
        payload,
        "application/x-www-form-urlencoded",
        FORM_LIMIT,
    )
    .await
}

/// A JSON body (at most [`JSON_LIMIT`]), for every `/api` route that takes one.
pub(super) async fn json(req: &HttpRequest, payload: web::Payload) -> Result<Bytes, BodyError> {
    read(req, payload, "application/json", JSON_LIMIT).await
}

/// The body, if its type is `expected` and it is no longer than `limit` bytes.
async fn read(
    req: &HttpRequest,
    mut payload: web::Payload,
    expected: &'static str,
    limit: usize,
) -> Result<Bytes, BodyError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(BodyError::TooLarge { limit });
    }
    if !has_type(req, expected) {
        return Err(BodyError::WrongType { expected });
    }
    let reading = async {
        let mut body = BytesMut::with_capacity(declared.unwrap_or(1024).min(limit));
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(BodyError::Unreadable)?;
            if body.len() + chunk.len() > limit {
                return Err(BodyError::TooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    };
    tokio::time::timeout(BODY_TIME, reading)
        .await
        .unwrap_or(Err(BodyError::TimedOut))
}
