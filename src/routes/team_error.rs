//! The one error type of the team routes: every refusal (the store's answers, a body that is too
//! large, of the wrong type, too slow or unreadable, the rate limit, a failed render) goes
//! through [`Refusal`], and its two renderings are decided here once: a page for the HTML
//! routes ([`TeamPageError`]) and the API's JSON error body ([`TeamApiError`]). The team
//! headers are added by the scope ([`super::team_scope`]), errors included.

use std::sync::Arc;

use actix_web::http::header::{self, ContentType, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use super::body::{BodyError, BODY_TIME};
use super::error::field_errors;
use crate::recommender::FieldError;
use crate::site::Site;
use crate::store::{StoreError, MAX_MEMBERS};

/// How long a client is asked to wait while the database cannot take writes.
const UNAVAILABLE_RETRY: u64 = 5;

/// Why a team route refused a request.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Refusal {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Body(#[from] BodyError),
    /// The decision's state forbids the action (closing a closed decision, reopening an open one).
    #[error("{0}")]
    State(&'static str),
    /// Fields that are not valid (the API; the HTML forms show themselves again instead).
    #[error("invalid fields")]
    Invalid(Vec<FieldError>),
    /// Too many decisions started from one address; try again after `seconds`.
    #[error("rate limited for {seconds} s")]
    RateLimited { seconds: u64 },
    /// A template failed: a bug, logged with its cause.
    #[error("rendering failed: {0}")]
    Render(#[from] askama::Error),
    /// A response header could not be set: a bug.
    #[error("a response header could not be set: {0}")]
    Header(String),
}

impl Refusal {
    fn status(&self) -> StatusCode {
        match self {
            Self::Store(StoreError::NotFound) => StatusCode::NOT_FOUND,
            Self::Store(
                StoreError::Closed
                | StoreError::Full
                | StoreError::NameTaken
                | StoreError::NotNow(_),
            ) => StatusCode::CONFLICT,
            Self::Store(
                StoreError::Unavailable(_) | StoreError::Random(_) | StoreError::Starting,
            ) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Body(body) => body.status(),
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::State(_) => StatusCode::CONFLICT,
            Self::Render(_) | Self::Header(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            Self::RateLimited { seconds } => Some(*seconds),
            _ if self.status() == StatusCode::SERVICE_UNAVAILABLE => Some(UNAVAILABLE_RETRY),
            _ => None,
        }
    }

    /// A heading and a sentence for people: what happened and what to do. Nothing internal.
    fn for_people(&self) -> (&'static str, String) {
        let (heading, message): (&str, &str) = match self {
            Self::Store(StoreError::NotFound) => (
                "No such team decision",
                "There is no team decision at this address: the link may be mistyped, or the decision was deleted.",
            ),
            Self::Store(StoreError::Closed) => (
                "This decision is closed",
                "The organiser closed this decision, so it takes no more answers. The team page still shows the result.",
            ),
            Self::Store(StoreError::NotNow(why)) => ("This cannot be done now", why),
            Self::Store(StoreError::Full) => {
                return (
                    "This decision is full",
                    format!("A team decision takes at most {MAX_MEMBERS} members, and this one has {MAX_MEMBERS}. Ask the organiser to start another."),
                )
            }
            Self::Store(StoreError::NameTaken) => (
                "That name is taken",
                "Someone in this team already answered with that name, or one that looks the same. Go back and choose another.",
            ),
            Self::Store(_) => (
                "Team decisions are unavailable for a moment",
                "The database that keeps team decisions cannot take this change now, so nothing was saved. Please try again in a few seconds; the rest of the site works as usual.",
            ),
            Self::Body(BodyError::TooLarge { .. }) => (
                "The form was too large",
                "The form sent more than a team decision takes. Please go back and send it again.",
            ),
            Self::Body(BodyError::WrongType { .. }) => (
                "This form submission was not understood",
                "Team forms must be sent as a normal HTML form. Please use the form on the team’s pages.",
            ),
            Self::Body(BodyError::Unreadable(_)) => (
                "The form could not be read",
                "The connection broke while the form was being sent. Please send it again.",
            ),
            Self::Body(BodyError::TimedOut) => {
                return (
                    "The form took too long to arrive",
                    format!("The form did not arrive within {} seconds. Please send it again.", BODY_TIME.as_secs()),
                )
            }
            Self::RateLimited { seconds } => {
                return (
                    "Too many decisions started",
                    format!("Too many team decisions were started from this address. Please try again in {seconds} seconds."),
                )
            }
            Self::State(message) => return ("This cannot be done now", (*message).to_owned()),
            Self::Invalid(_) => (
                "The form has problems",
                "Some of what was sent is not valid. Please go back, correct it and send it again.",
            ),
            Self::Render(_) | Self::Header(_) => (
                "Something went wrong",
                "The server could not answer this request. Nothing you did caused it; please try again in a moment.",
            ),
        };
        (heading, message.to_owned())
    }

    /// The field and message the API answers with.
    fn for_programs(&self) -> (&'static str, String) {
        match self {
            Self::Store(StoreError::NotFound) => ("team", "There is no such team decision".into()),
            Self::Store(StoreError::NameTaken) => (
                "name",
                "Someone in this team already uses that name, or one that looks the same".into(),
            ),
            Self::Store(StoreError::Closed) => ("body", "This decision is closed".into()),
            Self::Store(StoreError::NotNow(why)) => ("body", (*why).into()),
            Self::Store(StoreError::Full) => (
                "body",
                format!("This decision already has {MAX_MEMBERS} members"),
            ),
            Self::Store(_) => (
                "body",
                "Team decisions are unavailable for a moment; nothing was saved. Try again in a few seconds."
                    .into(),
            ),
            Self::Body(BodyError::TooLarge { limit }) => {
                ("body", format!("The body is larger than {limit} bytes"))
            }
            Self::Body(BodyError::WrongType { expected }) => (
                "body",
                format!("Send the body as {expected} (Content-Type: {expected})"),
            ),
            Self::Body(BodyError::Unreadable(_)) => ("body", "The body could not be read".into()),
            Self::Body(BodyError::TimedOut) => (
                "body",
                format!(
                    "The body did not arrive within {} seconds",
                    BODY_TIME.as_secs()
                ),
            ),
            Self::RateLimited { seconds } => (
                "body",
                format!("Too many team decisions started from this address; try again in {seconds} s"),
            ),
            Self::State(message) => ("body", (*message).to_owned()),
            Self::Invalid(_) => ("body", "The body is not valid".into()),
            Self::Render(_) | Self::Header(_) => {
                ("body", "The server could not answer this request".into())
            }
        }
    }

    /// Database failures and bugs go to the log with their cause; refusals of the visitor's
    /// request do not.
    fn log(&self) {
        let status = self.status();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::warn!(error = %self, "team store unavailable");
        } else if status.is_server_error() {
            tracing::error!(error = %self, "team request failed");
        }
    }

    fn finish(&self, mut response: HttpResponse) -> HttpResponse {
        if let Some(seconds) = self.retry_after() {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

/// A refusal answered as a page of the site.
#[derive(Debug, thiserror::Error)]
#[error("{refusal}")]
pub(crate) struct TeamPageError {
    site: Arc<Site>,
    refusal: Refusal,
}

impl ResponseError for TeamPageError {
    fn status_code(&self) -> StatusCode {
        self.refusal.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.refusal.log();
        let (heading, message) = self.refusal.for_people();
        let body = self
            .site
            .renderer()
            .error_page(crate::paths::TEAMS, heading, &message)
            .map(|r| r.body)
            .unwrap_or_else(|_| self.site.pages.errors.server_error.body.clone());
        self.refusal.finish(
            HttpResponse::build(self.status_code())
                .content_type(ContentType::html())
                .body(body),
        )
    }
}

/// A refusal answered in the API's shape: `{"errors":[{"field","message"}]}`.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub(crate) struct TeamApiError(Refusal);

impl From<Refusal> for TeamApiError {
    fn from(refusal: Refusal) -> Self {
        Self(refusal)
    }
}

impl From<StoreError> for TeamApiError {
    fn from(err: StoreError) -> Self {
        Self(err.into())
    }
}

impl From<BodyError> for TeamApiError {
    fn from(err: BodyError) -> Self {
        Self(err.into())
    }
}

impl ResponseError for TeamApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.0.log();
        if let Refusal::Invalid(errors) = &self.0 {
            return field_errors(self.status_code(), errors);
        }
        let (field, message) = self.0.for_programs();
        self.0.finish(field_errors(
            self.status_code(),
            &[FieldError {
                field: field.to_owned(),
                message,
            }],
        ))
    }
}

/// Turns any refusal into a page of `site`: `store.team(id).await.page(&site)?`.
pub(crate) trait OnTeamPage<T> {
    fn page(self, site: &Arc<Site>) -> Result<T, TeamPageError>;
}

impl<T, E: Into<Refusal>> OnTeamPage<T> for Result<T, E> {
    fn page(self, site: &Arc<Site>) -> Result<T, TeamPageError> {
        self.map_err(|err| TeamPageError {
            site: Arc::clone(site),
            refusal: err.into(),
        })
    }
}
