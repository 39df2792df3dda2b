//! Team decisions over JSON: the same store, the same rules and the same combined result as
//! the HTML pages, with bad input answered as `{"errors":[{"field","message"}]}`.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::body;
use super::error::{field_errors, ApiError, Errors};
use super::teams::{cross_site, private, Teams};
use crate::paths;
use crate::recommender::{Answers, FieldError, JsonAnswer, Recommendation};
use crate::site::recommendation::{published, Published};
use crate::site::{SharedSite, Site};
use crate::store::{Comment, Name, StoreError, Title};

/// A new decision: what it is about, and whether answers stay hidden until one has answered.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewTeam {
    #[schema(
        min_length = 1,
        max_length = 120,
        example = "Framework for the booking service"
    )]
    title: String,
    #[serde(default)]
    hidden: bool,
}

/// A member's answers: a display name, the answers as for `/api/recommend`, a comment.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewAnswers {
    #[schema(min_length = 1, max_length = 60, example = "Ana")]
    name: String,
    #[schema(example = json!({"building": "content-site", "admin": "day-one"}))]
    answers: BTreeMap<String, JsonAnswer>,
    #[serde(default)]
    #[schema(max_length = 500)]
    comment: String,
}

fn one_error(status: StatusCode, field: &str, message: impl Into<String>) -> HttpResponse {
    private(field_errors(
        status,
        &[FieldError {
            field: field.to_owned(),
            message: message.into(),
        }],
    ))
}

/// A store problem in the API's shape: 404, 409, or 503 with `Retry-After`.
fn store_error(err: &StoreError) -> HttpResponse {
    let status = match err {
        StoreError::NotFound => StatusCode::NOT_FOUND,
        StoreError::Closed | StoreError::Full | StoreError::NameTaken => StatusCode::CONFLICT,
        StoreError::Unavailable(_) | StoreError::Random(_) | StoreError::Starting => {
            tracing::warn!(error = %err, "team store unavailable");
            StatusCode::SERVICE_UNAVAILABLE
        }
    };
    let field = match err {
        StoreError::NameTaken => "name",
        StoreError::NotFound => "team",
        _ => "body",
    };
    let mut response = one_error(status, field, capitalise(&err.to_string()));
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from_static("5"),
        );
    }
    response
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

fn parse_json<T: for<'de> Deserialize<'de>>(
    bytes: &[u8],
    shape: &str,
) -> Result<T, Box<HttpResponse>> {
    serde_json::from_slice(bytes).map_err(|err| {
        Box::new(one_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "body",
            format!("Expected {shape}: {err}"),
        ))
    })
}

/// What creating a decision returns, once: the share link and the organiser's link.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct CreatedJson {
    team: String,
    share_url: String,
    organiser_url: String,
}

/// What answering returns, once: the member's id and personal edit link.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct JoinedJson {
    member: String,
    edit_url: String,
}

/// `POST /api/teams` with `{"title": "…", "hidden": false}` → 201.
#[utoipa::path(
    post,
    path = "/api/teams",
    tag = "teams",
    request_body = NewTeam,
    responses(
        (status = 201, description = "The decision, with its share and organiser links", body = CreatedJson),
        (status = 415, description = "The body is not application/json", body = Errors),
        (status = 422, description = "The title is empty or too long", body = Errors),
        (status = 429, description = "Too many decisions started from this address; see Retry-After"),
        (status = 503, description = "The database is unavailable; see Retry-After", body = Errors),
    )
)]
pub(crate) async fn create(
    req: HttpRequest,
    payload: web::Payload,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, ApiError> {
    let site = site.current();
    if cross_site(&req) {
        return Ok(one_error(
            StatusCode::FORBIDDEN,
            "body",
            "Refused: sent from another site",
        ));
    }
    if let Err(too_many) = teams.creation.check(&req) {
        return Ok(private(*too_many));
    }
    let bytes = body::read(&req, payload, "application/json", body::JSON_LIMIT).await?;
    let new: NewTeam = match parse_json(&bytes, "{\"title\": \"…\", \"hidden\": false}") {
        Ok(new) => new,
        Err(response) => return Ok(*response),
    };
    let title = match Title::parse(&new.title) {
        Ok(title) => title,
        Err(err) => {
            return Ok(private(field_errors(
                StatusCode::UNPROCESSABLE_ENTITY,
                &[err],
            )))
        }
    };
    match teams.store.create_team(&title, new.hidden).await {
        Ok(created) => Ok(private(HttpResponse::Created().json(CreatedJson {
            share_url: site.url(&paths::team(&created.team)),
            organiser_url: site.url(&paths::team_organiser(
                &created.team,
                &created.organiser_key,
            )),
            team: created.team,
        }))),
        Err(err) => Ok(store_error(&err)),
    }
}

/// `POST /api/teams/{team}/answers` with `{"name", "answers", "comment"?}` → 201.
#[utoipa::path(
    post,
    path = "/api/teams/{team}/answers",
    tag = "teams",
    params(("team" = String, Path, description = "The decision's id (32 hex digits)")),
    request_body = NewAnswers,
    responses(
        (status = 201, description = "Stored; the edit link is shown only here", body = JoinedJson),
        (status = 404, description = "No such decision", body = Errors),
        (status = 409, description = "The decision is closed or full, or the name is taken", body = Errors),
        (status = 415, description = "The body is not application/json", body = Errors),
        (status = 422, description = "The name, comment or answers are not valid", body = Errors),
        (status = 503, description = "The database is unavailable; see Retry-After", body = Errors),
    )
)]
pub(crate) async fn answer(
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, ApiError> {
    let site = site.current();
    if cross_site(&req) {
        return Ok(one_error(
            StatusCode::FORBIDDEN,
            "body",
            "Refused: sent from another site",
        ));
    }
    let team = path.into_inner();
    let bytes = body::read(&req, payload, "application/json", body::JSON_LIMIT).await?;
    let new: NewAnswers = match parse_json(
        &bytes,
        "{\"name\": \"…\", \"answers\": {…}, \"comment\": \"…\"}",
    ) {
        Ok(new) => new,
        Err(response) => return Ok(*response),
    };
    let q = &site.content.questionnaire;
    let name = Name::parse(&new.name);
    let comment = Comment::parse(&new.comment);
    let answers = Answers::from_json(q, &new.answers);
    let (Ok(name), Ok(comment), Ok(answers)) = (&name, &comment, &answers) else {
        let mut errors = Vec::new();
        errors.extend(name.err());
        errors.extend(answers.err().map(|i| i.errors).unwrap_or_default());
        errors.extend(comment.err());
        return Ok(private(field_errors(
            StatusCode::UNPROCESSABLE_ENTITY,
            &errors,
        )));
    };
    match teams
        .store
        .join(&team, name, comment, &answers.to_query(q))
        .await
    {
        Ok(joined) => Ok(private(HttpResponse::Created().json(JoinedJson {
            edit_url: site.url(&paths::team_edit(&team, &joined.edit_key)),
            member: joined.member,
        }))),
        Err(err) => Ok(store_error(&err)),
    }
}

/// A member as the team view shows them.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct MemberJson<'a> {
    name: &'a str,
    comment: &'a str,
    /// Answers in the API's shape; `null` while the team hides them.
    answers: Option<BTreeMap<String, Vec<String>>>,
    recommendation: Option<&'a str>,
    confidence: Option<&'static str>,
}

/// A question the members answered differently: option id (or `-` for no answer) → names.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct DisagreementJson {
    question: String,
    answers: BTreeMap<String, Vec<String>>,
    changes_outcome: bool,
}

/// A decision: its members, the combined result and the disagreements; never a capability.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct TeamJson<'a> {
    title: &'a str,
    created: String,
    closed: bool,
    hidden: bool,
    members: Vec<MemberJson<'a>>,
    /// The combined result; `null` with no members or while answers are hidden.
    combined: Option<Published<'a>>,
    disagreements: Vec<DisagreementJson>,
}

fn as_json_answers(site: &Site, answers: &Answers) -> BTreeMap<String, Vec<String>> {
    answers
        .by_question(&site.content.questionnaire)
        .map(|(q, chosen)| (q.id.clone(), chosen.iter().map(|o| o.id.clone()).collect()))
        .collect()
}

/// `GET /api/teams/{team}`: the team, its members, the combined result and the disagreements.
#[utoipa::path(
    get,
    path = "/api/teams/{team}",
    tag = "teams",
    params(("team" = String, Path, description = "The decision's id (32 hex digits)")),
    responses(
        (status = 200, description = "The decision", body = TeamJson),
        (status = 404, description = "No such decision", body = Errors),
        (status = 503, description = "The database is unavailable; see Retry-After", body = Errors),
    )
)]
/// No capability (organiser or edit key) is ever part of it.
pub(crate) async fn team(
    path: web::Path<String>,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> HttpResponse {
    let site = site.current();
    let team = path.into_inner();
    let view = match teams.store.team(&team).await {
        Ok(view) => view,
        Err(err) => return store_error(&err),
    };
    let scored = teams.scores.get(&site, &view);
    let (members, result) = (scored.members(), &scored.result);
    let open = !view.team.hidden;
    let empty = Answers::default();
    let combined: Option<&Recommendation> =
        (open && !members.is_empty()).then_some(&result.combined);
    let body = TeamJson {
        title: &view.team.title,
        created: chrono::DateTime::from_timestamp(view.team.created_at, 0)
            .map_or_else(String::new, |d| d.to_rfc3339()),
        closed: view.team.closed_at.is_some(),
        hidden: view.team.hidden,
        members: members
            .iter()
            .map(|m| MemberJson {
                name: &m.member.name,
                comment: if open { &m.member.comment } else { "" },
                answers: open.then(|| as_json_answers(&site, m.answers)),
                recommendation: if open {
                    m.rec.recommendation.as_deref()
                } else {
                    None
                },
                confidence: open.then(|| m.rec.confidence.label()),
            })
            .collect(),
        combined: combined.map(|rec| {
            let mut p = published(&site, &empty, rec);
            p.permalink = site.url(&paths::team(&team));
            p
        }),
        disagreements: if open {
            result
                .disagreements
                .iter()
                .map(|d| DisagreementJson {
                    question: d.question.clone(),
                    answers: d
                        .answers
                        .iter()
                        .map(|(o, who)| {
                            (
                                o.clone(),
                                who.iter()
                                    .map(|&i| members[i].member.name.clone())
                                    .collect(),
                            )
                        })
                        .collect(),
                    changes_outcome: d.changes_outcome,
                })
                .collect()
        } else {
            Vec::new()
        },
    };
    private(HttpResponse::Ok().json(body))
}
