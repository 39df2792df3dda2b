//! Team decisions over JSON: the same store, the same rules and the same combined result as
//! the HTML pages, with bad input answered as `{"errors":[{"field","message"}]}`.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::body;
use super::error::Errors;
use super::team_error::{Refusal, TeamApiError};
use super::teams::Teams;
use crate::paths;
use crate::recommender::{Answers, FieldError, JsonAnswer, Recommendation};
use crate::site::evidence;
use crate::site::recommendation::{published, Published};
use crate::site::team::{shows_results, Viewer};
use crate::site::{SharedSite, Site};
use crate::store::{Comment, Member, Name, Organise, Pin, TeamView, Title};
use std::sync::Arc;

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

/// The body as `T`, or 422 with what was expected.
fn parse_json<T: for<'de> Deserialize<'de>>(bytes: &[u8], shape: &str) -> Result<T, Refusal> {
    serde_json::from_slice(bytes).map_err(|err| {
        Refusal::Invalid(vec![FieldError {
            field: "body".to_owned(),
            message: format!("Expected {shape}: {err}"),
        }])
    })
}

/// What creating a decision returns, once: the share link and the organiser's link.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct CreatedJson {
    team: String,
    share_url: String,
    organiser_url: String,
    /// The read-only link: for docs and records; nobody can join or change anything with it.
    view_url: String,
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
        (status = 400, description = "The body could not be read", body = Errors),
        (status = 403, description = "Sent from another site's page (Origin or Sec-Fetch-Site)", body = Errors),
        (status = 408, description = "The body did not arrive within 10 seconds", body = Errors),
        (status = 413, description = "The body is larger than 64 KiB", body = Errors),
        (status = 415, description = "The body is not application/json", body = Errors),
        (status = 422, description = "The body is not the expected JSON, or the title is empty or too long", body = Errors),
        (status = 429, description = "Too many decisions started from this address; see Retry-After", body = Errors),
        (status = 503, description = "The database cannot take writes now; see Retry-After", body = Errors),
    )
)]
pub(crate) async fn create(
    req: HttpRequest,
    payload: web::Payload,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamApiError> {
    let site = site.current();
    teams.creation.check(&req)?;
    let bytes = body::json(&req, payload).await?;
    let new: NewTeam = parse_json(&bytes, "{\"title\": \"…\", \"hidden\": false}")?;
    let title = Title::parse(&new.title).map_err(|err| Refusal::Invalid(vec![err]))?;
    let created = teams.store.create_team(&title, new.hidden).await?;
    Ok(HttpResponse::Created().json(CreatedJson {
        share_url: site.url(&paths::team(&created.team)),
        view_url: site.url(&paths::team_view(&created.view_key)),
        organiser_url: site.url(&paths::team_organiser(
            &created.team,
            &created.organiser_key,
        )),
        team: created.team,
    }))
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
        (status = 400, description = "The body could not be read", body = Errors),
        (status = 403, description = "Sent from another site's page (Origin or Sec-Fetch-Site)", body = Errors),
        (status = 404, description = "No such decision", body = Errors),
        (status = 408, description = "The body did not arrive within 10 seconds", body = Errors),
        (status = 409, description = "The decision is closed or full, or the name (or one that looks the same) is taken", body = Errors),
        (status = 413, description = "The body is larger than 64 KiB", body = Errors),
        (status = 415, description = "The body is not application/json", body = Errors),
        (status = 422, description = "The body is not the expected JSON, or the name, comment or answers are not valid", body = Errors),
        (status = 503, description = "The database cannot take writes now; see Retry-After", body = Errors),
    )
)]
pub(crate) async fn answer(
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamApiError> {
    let site = site.current();
    let team = path.into_inner();
    let bytes = body::json(&req, payload).await?;
    let new: NewAnswers = parse_json(
        &bytes,
        "{\"name\": \"…\", \"answers\": {…}, \"comment\": \"…\"}",
    )?;
    let q = &site.content.questionnaire;
    let name = Name::parse(&new.name);
    let checked = answers_and_comment(q, &new.answers, &new.comment);
    let (Ok(name), Ok((answers, comment))) = (&name, &checked) else {
        let mut errors: Vec<FieldError> = name.clone().err().into_iter().collect();
        errors.extend(checked.err().unwrap_or_default());
        return Err(Refusal::Invalid(errors).into());
    };
    let joined = teams
        .store
        .join(&team, name, comment, &answers.to_query(q))
        .await?;
    Ok(HttpResponse::Created().json(JoinedJson {
        edit_url: site.url(&paths::team_edit(&team, &joined.edit_key)),
        member: joined.member,
    }))
}

/// What changing one's answers takes: the answers and the comment (the name stays as given).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChangedAnswers {
    #[schema(example = json!({"building": "content-site", "admin": "day-one"}))]
    answers: BTreeMap<String, JsonAnswer>,
    #[serde(default)]
    #[schema(max_length = 500)]
    comment: String,
}

/// `PUT /api/teams/{team}/edit/{key}` with `{"answers", "comment"?}`: a member changes their
/// answers with their edit link's key → the team JSON.
#[utoipa::path(
    put,
    path = "/api/teams/{team}/edit/{key}",
    tag = "teams",
    params(
        ("team" = String, Path, description = "The decision's id (32 hex digits)"),
        ("key" = String, Path, description = "The member's key, from their edit link"),
    ),
    request_body = ChangedAnswers,
    responses(
        (status = 200, description = "Saved; the decision as it is now", body = TeamJson),
        (status = 400, description = "The body could not be read", body = Errors),
        (status = 403, description = "Sent from another site's page (Origin or Sec-Fetch-Site)", body = Errors),
        (status = 404, description = "No such decision, or no member with that key", body = Errors),
        (status = 408, description = "The body did not arrive within 10 seconds", body = Errors),
        (status = 409, description = "The decision is closed: answers cannot change until it is reopened", body = Errors),
        (status = 413, description = "The body is larger than 64 KiB", body = Errors),
        (status = 415, description = "The body is not application/json", body = Errors),
        (status = 422, description = "The body is not the expected JSON, or the answers or comment are not valid", body = Errors),
        (status = 503, description = "The database cannot take writes now; see Retry-After", body = Errors),
    )
)]
pub(crate) async fn change_answers(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    payload: web::Payload,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamApiError> {
    let site = site.current();
    let (team, key) = path.into_inner();
    let bytes = body::json(&req, payload).await?;
    let changed: ChangedAnswers = parse_json(&bytes, "{\"answers\": {…}, \"comment\": \"…\"}")?;
    let q = &site.content.questionnaire;
    let (answers, comment) =
        answers_and_comment(q, &changed.answers, &changed.comment).map_err(Refusal::Invalid)?;
    teams
        .store
        .update_answers(&team, &key, &comment, &answers.to_query(q))
        .await?;
    let view = teams.store.team(&team).await?;
    Ok(team_response(&site, &teams, &view))
}

/// `DELETE /api/teams/{team}/edit/{key}`: a member withdraws their answers → 204.
#[utoipa::path(
    delete,
    path = "/api/teams/{team}/edit/{key}",
    tag = "teams",
    params(
        ("team" = String, Path, description = "The decision's id (32 hex digits)"),
        ("key" = String, Path, description = "The member's key, from their edit link"),
    ),
    responses(
        (status = 204, description = "Withdrawn: the member's answers are gone"),
        (status = 403, description = "Sent from another site's page (Origin or Sec-Fetch-Site)", body = Errors),
        (status = 404, description = "No such decision, or no member with that key", body = Errors),
        (status = 409, description = "The decision is closed: answers cannot be withdrawn until it is reopened", body = Errors),
        (status = 503, description = "The database cannot take writes now; see Retry-After", body = Errors),
    )
)]
pub(crate) async fn withdraw(
    path: web::Path<(String, String)>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamApiError> {
    let (team, key) = path.into_inner();
    teams.store.withdraw(&team, &key).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A member's answers and comment from the API's shape, or every problem with them (the
/// answers' first, as the form lists them), for joining and for changing one's answers alike.
fn answers_and_comment(
    q: &crate::recommender::Questionnaire,
    answers: &BTreeMap<String, JsonAnswer>,
    comment: &str,
) -> Result<(Answers, Comment), Vec<FieldError>> {
    match (Answers::from_json(q, answers), Comment::parse(comment)) {
        (Ok(answers), Ok(comment)) => Ok((answers, comment)),
        (answers, comment) => {
            let mut errors = answers.err().map(|i| i.errors).unwrap_or_default();
            errors.extend(comment.err());
            Err(errors)
        }
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
    /// `proposed` while open, `accepted` when closed with a framework, `rejected` when closed
    /// with no decision, `deprecated` when an accepted one is no longer followed, `superseded`
    /// when newer decisions replace it.
    status: &'static str,
    /// The stated outcome: a framework id or `none`; `null` while open.
    outcome: Option<&'a str>,
    /// Why, as the organiser stated it (empty when the outcome is the team's result).
    rationale: &'a str,
    /// When the outcome was stated (RFC 3339); `null` while open.
    decided: Option<String>,
    members: Vec<MemberJson<'a>>,
    /// The combined result; `null` with no members or while answers are hidden.
    combined: Option<Published<'a>>,
    disagreements: Vec<DisagreementJson>,
    links: LinksJson,
    /// The read-only links of the newer decisions that replace this one (status `superseded`).
    superseded_by: Vec<String>,
    /// The read-only links of the older decisions this one replaces.
    supersedes: Vec<String>,
    /// What changed in the evidence since the decision was closed with an outcome: `null` when
    /// nothing did (or while open).
    drift: Option<evidence::Drift>,
    /// The same answers give another result today than when the decision was closed.
    needs_review: bool,
}

/// A decision's links that grant nothing: safe in docs, records and feeds.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct LinksJson {
    /// The read-only page: what a non-member sees; nobody can join or change anything with it.
    view: Option<String>,
    /// An Atom feed of the changes of the evidence this decision rests on.
    feed: Option<String>,
    /// A status badge (SVG) for READMEs and wikis.
    badge: Option<String>,
    /// A compact view other sites may frame.
    embed: Option<String>,
    /// The oEmbed answer for the read-only page.
    oembed: Option<String>,
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
) -> Result<HttpResponse, TeamApiError> {
    let site = site.current();
    let team = path.into_inner();
    let view = teams.store.team(&team).await?;
    Ok(team_response(&site, &teams, &view))
}

/// The team JSON of `view`, as an outsider sees it.
fn team_response(site: &Arc<Site>, teams: &Teams, view: &Arc<TeamView>) -> HttpResponse {
    let team = &view.team.id;
    let scored = teams.scores.get(site, view);
    let (members, result) = (scored.members(), &scored.result);
    // The API has no member's key: it is an outsider's view.
    let open = shows_results(&view.team, Viewer::Outsider);
    let empty = Answers::default();
    let combined: Option<&Recommendation> =
        (open && !members.is_empty()).then_some(&result.combined);
    let drift = if open {
        evidence::team_drift(site, &view.team)
    } else {
        None
    };
    let body = TeamJson {
        title: &view.team.title,
        created: chrono::DateTime::from_timestamp(view.team.created_at, 0)
            .map_or_else(String::new, |d| d.to_rfc3339()),
        closed: view.team.closed_at.is_some(),
        hidden: view.team.hidden,
        status: crate::site::team::status(view),
        outcome: view.team.closed_at.and(view.team.outcome.as_deref()),
        rationale: &view.team.rationale,
        decided: view
            .team
            .closed_at
            .filter(|_| view.team.outcome.is_some())
            .and_then(|at| chrono::DateTime::from_timestamp(at, 0))
            .map(|d| d.to_rfc3339()),
        links: {
            let key = view.team.view_key.as_deref();
            let at = |path: fn(&str) -> String| key.map(|key| site.url(&path(key)));
            LinksJson {
                view: crate::site::team::view_url(site, &view.team),
                feed: at(paths::team_view_feed),
                badge: at(paths::team_view_badge),
                embed: at(paths::team_view_embed),
                oembed: key.map(|key| site.renderer().oembed_of(&paths::team_view(key))),
            }
        },
        needs_review: drift.as_ref().is_some_and(evidence::Drift::needs_review),
        drift,
        superseded_by: crate::site::team::linked(site, &view.superseded_by)
            .into_iter()
            .map(|(_, url)| url)
            .collect(),
        supersedes: crate::site::team::linked(site, &view.supersedes)
            .into_iter()
            .map(|(_, url)| url)
            .collect(),
        members: members
            .iter()
            .map(|m| MemberJson {
                name: &m.member.name,
                comment: if open { &m.member.comment } else { "" },
                answers: open.then(|| as_json_answers(site, m.answers)),
                recommendation: if open {
                    m.rec.recommendation.as_deref()
                } else {
                    None
                },
                confidence: open.then(|| m.rec.confidence.label()),
            })
            .collect(),
        combined: combined.map(|rec| {
            let mut p = published(site, &empty, rec);
            p.permalink = site.url(&paths::team(team));
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
    HttpResponse::Ok().json(body)
}

/// What an organiser's action takes; each action reads the fields it needs.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OrganiseJson {
    /// `close`: a framework id, or `none` for no decision.
    #[serde(default)]
    outcome: Option<String>,
    /// `close`: why; required when the outcome differs from the team's result.
    #[serde(default)]
    #[schema(max_length = 500)]
    rationale: String,
    /// `rename`: the new title.
    #[serde(default)]
    title: Option<String>,
    /// `remove`: the member's public id.
    #[serde(default)]
    member: Option<String>,
    /// `remove` and `delete`: must be `true`.
    #[serde(default)]
    confirm: bool,
    /// `supersede`: the organiser link of each newer decision that replaces this one.
    #[serde(default)]
    by: Vec<String>,
}

fn invalid(field: &str, message: &str) -> Refusal {
    Refusal::Invalid(vec![FieldError {
        field: field.to_owned(),
        message: message.to_owned(),
    }])
}

/// `POST /api/teams/{team}/organiser/{key}/{action}`: `close`, `reopen`, `hide`, `reveal`,
/// `rename`, `remove` or `delete`, as on the organiser's page.
#[utoipa::path(
    post,
    path = "/api/teams/{team}/organiser/{key}/{action}",
    tag = "teams",
    params(
        ("team" = String, Path, description = "The decision's id (32 hex digits)"),
        ("key" = String, Path, description = "The organiser's key, from the organiser link"),
        ("action" = String, Path, description = "close, reopen, hide, reveal, rename, remove, deprecate, supersede or delete"),
    ),
    request_body = OrganiseJson,
    responses(
        (status = 200, description = "Done; the decision as it is now", body = TeamJson),
        (status = 204, description = "Deleted"),
        (status = 400, description = "The body could not be read", body = Errors),
        (status = 403, description = "Sent from another site's page (Origin or Sec-Fetch-Site)", body = Errors),
        (status = 404, description = "No such decision, key, action or member", body = Errors),
        (status = 408, description = "The body did not arrive within 10 seconds", body = Errors),
        (status = 409, description = "The decision's state forbids it: closing a closed decision, reopening an open one, hiding a closed one", body = Errors),
        (status = 413, description = "The body is larger than 64 KiB", body = Errors),
        (status = 415, description = "The body is not application/json", body = Errors),
        (status = 422, description = "The body is not the expected JSON, or a field is missing or not valid", body = Errors),
        (status = 503, description = "The database cannot take writes now; see Retry-After", body = Errors),
    )
)]
pub(crate) async fn organise(
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    payload: web::Payload,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamApiError> {
    let site = site.current();
    let (team, key, action) = path.into_inner();
    let bytes = body::json(&req, payload).await?;
    let body: OrganiseJson = if bytes.is_empty() {
        OrganiseJson::default()
    } else {
        parse_json(
            &bytes,
            "{\"outcome\", \"rationale\", \"title\", \"member\", \"confirm\", \"by\"}",
        )?
    };
    let view = teams.store.team_as_organiser(&team, &key).await?;
    let closed = view.team.closed_at.is_some();
    let pin = |members: &[Member], at: i64| evidence::pin_members(&site, members, at);
    let title;
    let rationale;
    let change = match action.as_str() {
        "close" => {
            if closed {
                return Err(Refusal::State("This decision is closed already").into());
            }
            let outcome = body.outcome.as_deref().unwrap_or_default();
            rationale = super::teams::check_close(
                &site,
                &teams,
                &view,
                outcome,
                &body.rationale,
                "Give the outcome: a framework id, or none",
            )
            .map_err(|e| Refusal::Invalid(vec![e]))?;
            Organise::Close {
                outcome,
                rationale: rationale.as_str(),
                pin: Pin(&pin),
            }
        }
        "reopen" if !closed => {
            return Err(Refusal::State("This decision is open already").into());
        }
        "reopen" => Organise::Reopen,
        // Closing reveals, so a closed decision cannot be hidden.
        "hide" if closed => {
            return Err(Refusal::State("A closed decision shows its answers to everyone").into());
        }
        "hide" => Organise::Hide,
        "reveal" => Organise::Reveal,
        "rename" => {
            title = Title::parse(body.title.as_deref().unwrap_or_default())
                .map_err(|e| Refusal::Invalid(vec![e]))?;
            Organise::Rename(&title)
        }
        "remove" if body.confirm => Organise::Remove(body.member.as_deref().unwrap_or_default()),
        "remove" => {
            return Err(invalid("confirm", "Send \"confirm\": true to remove a member").into())
        }
        "deprecate" => Organise::Deprecate,
        "supersede" => {
            let by = super::teams::newer_decisions(&teams, &body.by)
                .await
                .map_err(|e| Refusal::Invalid(vec![e]))?;
            teams.store.supersede(&team, &key, &by).await?;
            let view = teams.store.team(&team).await?;
            return Ok(team_response(&site, &teams, &view));
        }
        "delete" if body.confirm => Organise::Delete,
        "delete" => return Err(invalid("confirm", "Send \"confirm\": true to delete").into()),
        _ => return Err(crate::store::StoreError::NotFound.into()),
    };
    teams.store.organise(&team, &key, change).await?;
    if matches!(change, Organise::Delete) {
        return Ok(HttpResponse::NoContent().finish());
    }
    let view = teams.store.team(&team).await?;
    Ok(team_response(&site, &teams, &view))
}
