//! The application's errors: one type that knows its status, answered as an HTML page for
//! people or as the API's JSON error body for programs. Handlers return `Result` and `?`.

use std::sync::Arc;

use actix_web::http::header::{self, ContentType};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use super::body::BodyError;
use crate::recommender::FieldError;
use crate::site::{Resource, Site};

/// What went wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub(super) enum AppError {
    #[error(transparent)]
    Body(#[from] BodyError),
    /// A template failed: a bug, logged with its cause; the visitor sees the 500 page.
    #[error("rendering failed: {0}")]
    Render(#[from] askama::Error),
}

impl AppError {
    /// The one mapping from an error to its status.
    pub(super) fn status(&self) -> StatusCode {
        match self {
            Self::Body(body) => body.status(),
            Self::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What a program calling the API is told.
    fn api_message(&self) -> String {
        match self {
            Self::Body(BodyError::TooLarge { limit }) => {
                format!("The body is larger than {limit} bytes")
            }
            Self::Body(BodyError::WrongType { expected }) => {
                format!("Send the answers as {expected}")
            }
            Self::Body(BodyError::Unreadable(_)) => "The body could not be read".to_owned(),
            Self::Body(BodyError::TimedOut) => format!(
                "The body took longer than {} s to arrive",
                super::body::BODY_TIME.as_secs()
            ),
            Self::Render(_) => "The server could not answer this request".to_owned(),
        }
    }

    /// Server faults go to the log with their cause (while the request is handled, so with its
    /// id); the visitor's mistakes do not.
    fn log(&self) {
        if self.status().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
    }
}

/// An error answered with a page from the site's pre-rendered error pages.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub(super) struct PageError {
    pub site: Arc<Site>,
    #[source]
    pub error: AppError,
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.error.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.error.log();
        let pages = &self.site.pages.errors;
        let page: &Resource = match &self.error {
            AppError::Body(BodyError::TooLarge { .. }) => &pages.too_large,
            AppError::Body(BodyError::WrongType { .. }) => &pages.wrong_type,
            AppError::Body(BodyError::Unreadable(_) | BodyError::TimedOut) => &pages.unreadable,
            AppError::Render(_) => &pages.server_error,
        };
        HttpResponse::build(self.status_code())
            .content_type(ContentType::html())
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(page.body.clone())
    }
}

/// Turns any application error into a page error for `site`.
pub(super) trait OnSite<T> {
    fn on(self, site: &Arc<Site>) -> Result<T, PageError>;
}

impl<T, E: Into<AppError>> OnSite<T> for Result<T, E> {
    fn on(self, site: &Arc<Site>) -> Result<T, PageError> {
        self.map_err(|err| PageError {
            site: Arc::clone(site),
            error: err.into(),
        })
    }
}

/// An error answered in the API's shape: `{"errors":[{"field","message"}]}`.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub(super) struct ApiError(#[from] pub AppError);

impl From<BodyError> for ApiError {
    fn from(err: BodyError) -> Self {
        Self(AppError::Body(err))
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.0.log();
        field_errors(
            self.status_code(),
            &[FieldError {
                field: "body".to_owned(),
                message: self.0.api_message(),
            }],
        )
    }
}

/// The API's error body: one entry per field (`body` for the request as a whole).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct Errors {
    errors: Vec<FieldError>,
}

/// A JSON error body in the API's shape.
pub(super) fn field_errors(status: StatusCode, errors: &[FieldError]) -> HttpResponse {
    HttpResponse::build(status).json(Errors {
        errors: errors.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_body_error_has_its_own_status() {
        let status = |e: BodyError| AppError::from(e).status();
        assert_eq!(
            status(BodyError::TooLarge { limit: 1 }),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            status(BodyError::WrongType { expected: "x" }),
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        assert_eq!(
            status(BodyError::Unreadable(
                actix_web::error::PayloadError::Incomplete(None)
            )),
            StatusCode::BAD_REQUEST
        );
    }
}
