//! Team decisions over HTML: start one, share it, answer it, organise it, change or withdraw
//! one's answers, download its record. Each handler parses the request into domain types,
//! calls the store, combines with the shared recommender, and renders.

use std::sync::Arc;

use actix_web::cookie::{time::Duration as CookieAge, Cookie, SameSite};
use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::body;
use super::pages::{badge, discovered, framed, html};
use super::team_error::{OnTeamPage, Refusal, TeamPageError};
use crate::paths;
use crate::recommender::{Answers, FieldError};
use crate::site::team::{
    self as views, team_data, Access, ClosedNotice, Scores, TeamFields, Viewer, You,
};
use crate::site::{embed, evidence};
use crate::site::{SharedSite, Site};
use crate::store::{Comment, Member, Name, Organise, Pin, Store, StoreError, TeamView, Title};

/// What team routes share: the store, the limit on starting decisions, and the teams scored.
#[derive(Debug, Clone)]
pub(crate) struct Teams {
    pub(crate) store: Store,
    pub(crate) creation: super::rate::TeamCreation,
    pub(crate) scores: Arc<Scores>,
    /// The origin state changes must come from.
    pub(crate) origin: super::origin::Origin,
}

impl Teams {
    pub(crate) fn new(
        store: Store,
        trusted_proxy: Option<std::net::IpAddr>,
        base_url: Option<&str>,
    ) -> Self {
        Self {
            store,
            creation: super::rate::TeamCreation::new(trusted_proxy),
            scores: Arc::default(),
            origin: super::origin::Origin::configured(base_url),
        }
    }
}

/// The cookie that tells a team page which member is looking (their edit key), scoped to the
/// team's own path so no other page ever receives it.
const MEMBER_COOKIE: &str = "versus-member";

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// The form fields that are not questionnaire answers, taken out before the answers are parsed.
struct Extra {
    fields: Vec<(String, String)>,
    rest: Vec<(String, String)>,
}

fn split_form(bytes: &[u8], extra: &[&str]) -> Extra {
    // Lenient decoding, as for the questionnaire: a bad byte is replaced, never a 500.
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).unwrap_or_default();
    let (fields, rest) = pairs
        .into_iter()
        .partition(|(k, _)| extra.contains(&k.as_str()));
    Extra { fields, rest }
}

fn field<'a>(extra: &'a Extra, name: &str) -> &'a str {
    extra
        .fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// `GET /teams`: the form that starts a decision.
pub(crate) async fn new_team(
    req: HttpRequest,
    site: web::Data<SharedSite>,
) -> Result<HttpResponse, TeamPageError> {
    let site = site.current();
    let answers = carried(&site, req.query_string());
    let page = views::new_team_page(&site, String::new(), false, None, answers)
        .render()
        .page(&site)?;
    Ok(html(StatusCode::OK, page))
}

/// The answers a query string carries (from a recommendation), as their canonical query; what
/// is not an answer is left out.
fn carried(site: &Site, query: &str) -> String {
    let q = &site.content.questionnaire;
    Answers::parse_urlencoded(q, query.as_bytes())
        .unwrap_or_else(|invalid| invalid.kept)
        .to_query(q)
}

/// `POST /teams`: `title` [+ `hidden=on`] → 303 to the organiser's page.
pub(crate) async fn create(
    req: HttpRequest,
    payload: web::Payload,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamPageError> {
    let site = site.current();
    teams.creation.check(&req).page(&site)?;
    let bytes = body::form(&req, payload).await.page(&site)?;
    let form = split_form(&bytes, &["title", "hidden", "answers"]);
    let hidden = field(&form, "hidden") == "on";
    let answers = carried(&site, field(&form, "answers"));
    let title = match Title::parse(field(&form, "title")) {
        Ok(title) => title,
        Err(err) => {
            let title = field(&form, "title").to_owned();
            let page = views::new_team_page(&site, title, hidden, Some(&err), answers)
                .render()
                .page(&site)?;
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page));
        }
    };
    let created = teams.store.create_team(&title, hidden).await.page(&site)?;
    let organiser = paths::team_organiser(&created.team, &created.organiser_key);
    Ok(see_other(&match answers.as_str() {
        "" => format!("{organiser}?created=1"),
        answers => format!("{organiser}?created=1&{answers}"),
    }))
}

/// The member looking at a team page, from the cookie set when they answered.
fn viewer(req: &HttpRequest) -> Option<String> {
    req.cookie(MEMBER_COOKIE).map(|c| c.value().to_owned())
}

/// `GET /teams/{team}`: the team page.
pub(crate) async fn team_page(
    req: HttpRequest,
    path: web::Path<String>,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamPageError> {
    let site = site.current();
    let team = path.into_inner();
    let view = teams.store.team(&team).await.page(&site)?;
    // The viewer is a member when their key opens one of this team's members.
    let you_member = match viewer(&req) {
        Some(key) => teams
            .store
            .member(&team, &key)
            .await
            .ok()
            .map(|(_, m)| (key, m)),
        None => None,
    };
    let you = you_member.as_ref().map(|(key, m)| You {
        name: &m.name,
        edit_url: site.url(&paths::team_edit(&team, key)),
    });
    page_response(&site, &teams, &view, you, Access::Share)
}

/// A team page, by the share link or the read-only link: scored, rendered, and its oEmbed
/// answer named in a `Link` header.
fn page_response(
    site: &Arc<Site>,
    teams: &Teams,
    view: &Arc<TeamView>,
    you: Option<You<'_>>,
    access: Access,
) -> Result<HttpResponse, TeamPageError> {
    let scored = teams.scores.get(site, view);
    let (members, result) = (scored.members(), &scored.result);
    let empty = Answers::default();
    let data = team_data(site, &members, result, &empty);
    let outside = embed::outside(site, view, &scored);
    let page = views::team_page(site, view, data, you, access, &outside);
    let oembed = page.layout.oembed.clone();
    let mut response = html(StatusCode::OK, page.render().page(site)?);
    discovered(&mut response, oembed.as_deref());
    Ok(response)
}

/// `GET /teams/view/{key}`: the decision as a non-member sees it, for docs and records; it
/// offers no way to join or change anything.
pub(crate) async fn view_page(
    path: web::Path<String>,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamPageError> {
    let site = site.current();
    let key = path.into_inner();
    let view = teams.store.team_by_view_key(&key).await.page(&site)?;
    page_response(&site, &teams, &view, None, Access::ReadOnly)
}

/// `GET /teams/view/{key}/embed`: the decision's compact view for other sites' frames, as an
/// outsider sees it.
pub(crate) async fn view_embed(
    path: web::Path<String>,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamPageError> {
    let site = site.current();
    let view = teams
        .store
        .team_by_view_key(&path.into_inner())
        .await
        .page(&site)?;
    let scored = teams.scores.get(&site, &view);
    let outside = embed::outside(&site, &view, &scored);
    let page = embed::team_embed(&site, &outside)
        .ok_or(StoreError::NotFound)
        .page(&site)?
        .render()
        .page(&site)?;
    Ok(framed(page))
}

/// `GET /teams/view/{key}/badge.svg`: the decision's status badge, as an outsider sees it.
pub(crate) async fn view_badge(
    path: web::Path<String>,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamPageError> {
    let site = site.current();
    let view = teams
        .store
        .team_by_view_key(&path.into_inner())
        .await
        .page(&site)?;
    let scored = teams.scores.get(&site, &view);
    let outside = embed::outside(&site, &view, &scored);
    Ok(badge(embed::team_badge(&outside).render().page(&site)?))
}

/// `GET /teams/view/{key}/record.md`: the decision record as a non-member may see it.
pub(crate) async fn view_record(
    path: web::Path<String>,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamPageError> {
    let site = site.current();
    let view = teams
        .store
        .team_by_view_key(&path.into_inner())
        .await
        .page(&site)?;
    record_response(&site, &teams, &view, Viewer::Outsider)
}

/// `GET /teams/view/{key}/feed.xml`: the decision's Atom feed of evidence changes, at its
/// read-only link (never under the join link).
pub(crate) async fn view_feed(
    path: web::Path<String>,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamPageError> {
    let site = site.current();
    let key = path.into_inner();
    let view = teams.store.team_by_view_key(&key).await.page(&site)?;
    let feed = crate::site::evidence::decision_feed(&site, &view, &key)
        .render()
        .page(&site)?;
    Ok(HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(feed))
}

/// `GET /teams/{team}/join`: the questionnaire with a name, pre-filled from the query.
pub(crate) async fn join_form(
    req: HttpRequest,
    path: web::Path<String>,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamPageError> {
    let site = site.current();
    let team = path.into_inner();
    let view = teams.store.team(&team).await.page(&site)?;
    let answers =
        Answers::parse_urlencoded(&site.content.questionnaire, req.query_string().as_bytes())
            .unwrap_or_else(|invalid| invalid.kept);
    let fields = TeamFields {
        title: &view.team.title,
        name: String::new(),
        comment: String::new(),
        name_error: None,
        comment_error: None,
        action: paths::team_answers(&team),
        withdraw: None,
        closed: ClosedNotice::of(&site, &view.team),
    };
    let page = views::team_form(&site, &answers, &[], fields)
        .render()
        .page(&site)?;
    Ok(html(StatusCode::OK, page))
}

/// The member's answers from a form body: name, comment and the questionnaire, every problem
/// listed, everything typed kept.
struct Submitted {
    name: Result<Name, FieldError>,
    comment: Result<Comment, FieldError>,
    answers: Result<Answers, (Answers, Vec<FieldError>)>,
    raw_name: String,
    raw_comment: String,
}

fn submitted(site: &Site, bytes: &[u8]) -> Submitted {
    let form = split_form(bytes, &["name", "comment"]);
    let answers = Answers::parse(
        &site.content.questionnaire,
        form.rest.iter().map(|(k, v)| (k, v)),
    )
    .map_err(|invalid| (invalid.kept, invalid.errors));
    Submitted {
        name: Name::parse(field(&form, "name")),
        comment: Comment::parse(field(&form, "comment")),
        raw_name: field(&form, "name").to_owned(),
        raw_comment: field(&form, "comment").to_owned(),
        answers,
    }
}

/// The form again with every problem (422).
fn invalid_team_form(
    site: &Arc<Site>,
    title: &str,
    s: &Submitted,
    action: String,
    withdraw: Option<String>,
    extra: Option<FieldError>,
) -> Result<HttpResponse, TeamPageError> {
    let mut errors: Vec<FieldError> = Vec::new();
    if let Err(e) = &s.name {
        errors.push(e.clone());
    }
    errors.extend(extra);
    let kept = match &s.answers {
        Ok(a) => a.clone(),
        Err((kept, errs)) => {
            errors.extend(errs.iter().cloned());
            kept.clone()
        }
    };
    if let Err(e) = &s.comment {
        errors.push(e.clone());
    }
    let name_error = errors
        .iter()
        .find(|e| e.field == "name")
        .map(|e| e.message.clone());
    let comment_error = errors
        .iter()
        .find(|e| e.field == "comment")
        .map(|e| e.message.clone());
    let fields = TeamFields {
        title,
        name: s.raw_name.clone(),
        comment: s.raw_comment.clone(),
        name_error: None,
        comment_error: None,
        action,
        withdraw,
        closed: None,
    };
    let mut form = views::team_form(site, &kept, &errors, fields);
    form.team.name_error = name_error.as_deref();
    form.team.comment_error = comment_error.as_deref();
    let page = form.render().page(site)?;
    Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
}

fn member_cookie(team: &str, key: &str, secure: bool) -> Cookie<'static> {
    Cookie::build(MEMBER_COOKIE, key.to_owned())
        .path(paths::team(team))
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(CookieAge::days(365))
        .finish()
}

/// `POST /teams/{team}/answers`: → 303 to the team page, which then shows the edit link.
pub(crate) async fn answer(
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamPageError> {
    let site = site.current();
    let team = path.into_inner();
    let bytes = body::form(&req, payload).await.page(&site)?;
    let view = teams.store.team(&team).await.page(&site)?;
    let s = submitted(&site, &bytes);
    let action = paths::team_answers(&team);
    let (Ok(name), Ok(comment), Ok(answers)) = (&s.name, &s.comment, &s.answers) else {
        return invalid_team_form(&site, &view.team.title, &s, action, None, None);
    };
    let q = &site.content.questionnaire;
    match teams
        .store
        .join(&team, name, comment, &answers.to_query(q))
        .await
    {
        Ok(joined) => {
            let secure = site.base_url.starts_with("https://");
            let mut response = see_other(&format!("{}#you", paths::team(&team)));
            response
                .add_cookie(&member_cookie(&team, &joined.edit_key, secure))
                .map_err(|err| Refusal::Header(err.to_string()))
                .page(&site)?;
            Ok(response)
        }
        Err(StoreError::NameTaken) => {
            let taken = FieldError {
                field: "name".to_owned(),
                message: "Someone in this team already answered with that name; choose another"
                    .to_owned(),
            };
            invalid_team_form(&site, &view.team.title, &s, action, None, Some(taken))
        }
        Err(err) => Err(err).page(&site),
    }
}

/// `GET /teams/{team}/record.md`: the team's decision record, MADR 4.0, as the viewer may see
/// it (a member by their cookie; anyone else an outsider).
pub(crate) async fn record(
    req: HttpRequest,
    path: web::Path<String>,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamPageError> {
    let site = site.current();
    let team = path.into_inner();
    let view = teams.store.team(&team).await.page(&site)?;
    let viewer = match viewer(&req) {
        Some(key) if teams.store.member(&team, &key).await.is_ok() => Viewer::Member,
        _ => Viewer::Outsider,
    };
    record_response(&site, &teams, &view, viewer)
}

/// A team's MADR record as `viewer` may see it, as a Markdown download.
fn record_response(
    site: &Arc<Site>,
    teams: &Teams,
    view: &Arc<TeamView>,
    viewer: Viewer,
) -> Result<HttpResponse, TeamPageError> {
    let scored = teams.scores.get(site, view);
    let (members, result) = (scored.members(), &scored.result);
    let today = chrono::Utc::now().date_naive();
    let markdown = crate::site::record::team_record(site, view, &members, result, today, viewer)
        .render()
        .page(site)?;
    Ok(HttpResponse::Ok()
        .content_type("text/markdown; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"team-decision-record.md\"",
        ))
        .body(markdown))
}

/// `GET /teams/{team}/organiser/{key}`: the organiser's page.
pub(crate) async fn organiser(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamPageError> {
    let site = site.current();
    let (team, key) = path.into_inner();
    let view = teams
        .store
        .team_as_organiser(&team, &key)
        .await
        .page(&site)?;
    let query = req.query_string();
    let just_created = query.split('&').any(|pair| pair == "created=1");
    let answers = carried(&site, query);
    let page = organiser_html(&site, &teams, &view, &key, just_created, None, &answers)?;
    Ok(html(StatusCode::OK, page))
}

/// The organiser's page: the team scored and rendered, with an error when an action was refused.
fn organiser_html(
    site: &Arc<Site>,
    teams: &Teams,
    view: &Arc<TeamView>,
    key: &str,
    just_created: bool,
    error: Option<&FieldError>,
    carried: &str,
) -> Result<String, TeamPageError> {
    let scored = teams.scores.get(site, view);
    let (members, result) = (scored.members(), &scored.result);
    let empty = Answers::default();
    let data = team_data(site, &members, result, &empty);
    views::organiser_page(site, view, data, key, just_created, error, carried)
        .render()
        .page(site)
}

/// `POST /teams/{team}/organiser/{key}/{action}`: rename, remove, close, reopen, delete.
pub(crate) async fn organise(
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    payload: web::Payload,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamPageError> {
    let site = site.current();
    let (team, key, action) = path.into_inner();
    let bytes = body::form(&req, payload).await.page(&site)?;
    let form = split_form(
        &bytes,
        &["title", "member", "confirm", "outcome", "rationale", "by"],
    );
    let back = paths::team_organiser(&team, &key);
    let pin = |members: &[Member], at: i64| evidence::pin_members(&site, members, at);
    let title;
    let change = match action.as_str() {
        "rename" => match Title::parse(field(&form, "title")) {
            Ok(t) => {
                title = t;
                Organise::Rename(&title)
            }
            Err(err) => return refused_organise(&site, &teams, &team, &key, &err).await,
        },
        "remove" if field(&form, "confirm") == "yes" => Organise::Remove(field(&form, "member")),
        // Removing without the confirmation box ticked changes nothing, as deleting.
        "remove" => return Ok(see_other(&back)),
        "close" => match closing(&site, &teams, &team, &key, &form).await? {
            Ok(()) => Organise::Close {
                outcome: field(&form, "outcome"),
                rationale: field(&form, "rationale").trim(),
                pin: Pin(&pin),
            },
            Err(err) => return refused_organise(&site, &teams, &team, &key, &err).await,
        },
        "reopen" => Organise::Reopen,
        "hide" => Organise::Hide,
        "reveal" => Organise::Reveal,
        "deprecate" => Organise::Deprecate,
        "supersede" => {
            let links: Vec<String> = field(&form, "by").lines().map(str::to_owned).collect();
            let by = match newer_decisions(&teams, &links).await {
                Ok(by) => by,
                Err(err) => return refused_organise(&site, &teams, &team, &key, &err).await,
            };
            return match teams.store.supersede(&team, &key, &by).await {
                Ok(()) => Ok(see_other(&back)),
                Err(err) => Err(err).page(&site),
            };
        }
        "delete" if field(&form, "confirm") == "yes" => Organise::Delete,
        // Deleting without the confirmation box ticked changes nothing.
        "delete" => return Ok(see_other(&back)),
        _ => return Err(StoreError::NotFound).page(&site),
    };
    match teams.store.organise(&team, &key, change).await {
        Ok(()) if matches!(change, Organise::Delete) => {
            Ok(see_other(&format!("{}?deleted=1", paths::TEAMS)))
        }
        Ok(()) => Ok(see_other(&back)),
        Err(err) => Err(err).page(&site),
    }
}

/// The (id, organiser key) of each newer decision named by its organiser link, each checked to
/// open a decision: only someone who organises both decisions can link them.
pub(super) async fn newer_decisions(
    teams: &Teams,
    links: &[String],
) -> Result<Vec<(String, String)>, FieldError> {
    let refused = |message: String| FieldError {
        field: "by".to_owned(),
        message,
    };
    let links: Vec<&str> = links
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    if links.is_empty() {
        return Err(refused(
            "Give the organiser link of each decision that replaces this one".to_owned(),
        ));
    }
    let mut by = Vec::new();
    for link in links {
        let Some((id, key)) = paths::organiser_link(link) else {
            return Err(refused(format!("“{link}” is not an organiser link")));
        };
        if teams.store.team_as_organiser(&id, &key).await.is_err() {
            return Err(refused(format!(
                "“{link}” opens no decision: use the organiser link of the newer decision"
            )));
        }
        by.push((id, key));
    }
    Ok(by)
}

/// Whether the organiser may close with what the form states: a framework or no decision, and
/// a reason when that differs from the team's result.
async fn closing(
    site: &Arc<Site>,
    teams: &Teams,
    team: &str,
    key: &str,
    form: &Extra,
) -> Result<Result<(), FieldError>, TeamPageError> {
    let view = teams.store.team_as_organiser(team, key).await.page(site)?;
    Ok(check_close(
        site,
        teams,
        &view,
        field(form, "outcome"),
        field(form, "rationale"),
        "Choose what the team decided",
    )
    .map(|_| ()))
}

/// The one rule for closing, for the page and the API: the outcome is a framework's id or
/// "none" (else `unknown_outcome`), and a reason is given when it differs from the team's
/// result. The parsed reason on success.
pub(super) fn check_close(
    site: &Arc<Site>,
    teams: &Teams,
    view: &Arc<TeamView>,
    outcome: &str,
    rationale: &str,
    unknown_outcome: &str,
) -> Result<crate::store::Rationale, FieldError> {
    let known = outcome == crate::store::NO_DECISION
        || site.content.frameworks.iter().any(|f| f.slug == outcome);
    if !known {
        return Err(FieldError {
            field: "outcome".to_owned(),
            message: unknown_outcome.to_owned(),
        });
    }
    let rationale = crate::store::Rationale::parse(rationale)?;
    let scored = teams.scores.get(site, view);
    let result = (!scored.members().is_empty())
        .then(|| scored.result.combined.winner(&site.content.questionnaire))
        .flatten();
    if result != Some(outcome) && rationale.is_empty() {
        return Err(FieldError {
            field: "rationale".to_owned(),
            message: "Say why the team decided differently from its result".to_owned(),
        });
    }
    Ok(rationale)
}

/// The organiser's page again with what was wrong (422).
async fn refused_organise(
    site: &Arc<Site>,
    teams: &Teams,
    team: &str,
    key: &str,
    err: &FieldError,
) -> Result<HttpResponse, TeamPageError> {
    let view = teams.store.team_as_organiser(team, key).await.page(site)?;
    let page = organiser_html(site, teams, &view, key, false, Some(err), "")?;
    Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
}

/// `GET /teams/{team}/edit/{key}`: the member's answers, to change or withdraw.
pub(crate) async fn edit_form(
    path: web::Path<(String, String)>,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamPageError> {
    let site = site.current();
    let (team, key) = path.into_inner();
    let (view, member) = teams.store.member(&team, &key).await.page(&site)?;
    let answers = Answers::parse_urlencoded(&site.content.questionnaire, member.answers.as_bytes())
        .unwrap_or_else(|invalid| invalid.kept);
    let edit = paths::team_edit(&team, &key);
    let fields = TeamFields {
        title: &view.team.title,
        name: member.name.clone(),
        comment: member.comment.clone(),
        name_error: None,
        comment_error: None,
        withdraw: Some(format!("{edit}/withdraw")),
        action: edit,
        closed: ClosedNotice::of(&site, &view.team),
    };
    let page = views::team_form(&site, &answers, &[], fields)
        .render()
        .page(&site)?;
    Ok(html(StatusCode::OK, page))
}

/// `POST /teams/{team}/edit/{key}`: saves changed answers → 303 to the team page.
pub(crate) async fn edit(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    payload: web::Payload,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamPageError> {
    let site = site.current();
    let (team, key) = path.into_inner();
    let bytes = body::form(&req, payload).await.page(&site)?;
    let (view, member) = teams.store.member(&team, &key).await.page(&site)?;
    let mut s = submitted(&site, &bytes);
    // The name is fixed once given; the form shows it read-only.
    s.name = Name::parse(&member.name);
    s.raw_name.clone_from(&member.name);
    let edit = paths::team_edit(&team, &key);
    let (Ok(comment), Ok(answers)) = (&s.comment, &s.answers) else {
        let withdraw = Some(format!("{edit}/withdraw"));
        return invalid_team_form(&site, &view.team.title, &s, edit, withdraw, None);
    };
    let q = &site.content.questionnaire;
    match teams
        .store
        .update_answers(&team, &key, comment, &answers.to_query(q))
        .await
    {
        Ok(()) => Ok(see_other(&format!("{}#you", paths::team(&team)))),
        Err(err) => Err(err).page(&site),
    }
}

/// `POST /teams/{team}/edit/{key}/withdraw`: removes the member's answers → 303 to the team.
pub(crate) async fn withdraw(
    path: web::Path<(String, String)>,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, TeamPageError> {
    let site = site.current();
    let (team, key) = path.into_inner();
    match teams.store.withdraw(&team, &key).await {
        Ok(()) => {
            let mut response = see_other(&paths::team(&team));
            let mut gone = member_cookie(&team, "", false);
            gone.make_removal();
            if let Err(err) = response.add_removal_cookie(&gone) {
                tracing::warn!(error = %err, "the member cookie could not be removed");
            }
            Ok(response)
        }
        Err(err) => Err(err).page(&site),
    }
}
