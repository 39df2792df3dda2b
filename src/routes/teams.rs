//! Team decisions over HTML: start one, share it, answer it, organise it, change or withdraw
//! one's answers, download its record. Each handler parses the request into domain types,
//! calls the store, combines with the shared recommender, and renders.

use actix_web::cookie::{time::Duration as CookieAge, Cookie, SameSite};
use actix_web::http::header::{self, ContentType, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::body;
use super::error::{OnSite, PageError};
use super::pages::html;
use crate::paths;
use crate::recommender::{Answers, FieldError};
use crate::site::team::{self as views, team_data, Scores, TeamFields, You};
use crate::site::{SharedSite, Site};
use crate::store::{Comment, Name, Organise, Store, StoreError, Title};

/// What team routes share: the store, the limit on starting decisions, and the teams scored.
#[derive(Debug, Clone)]
pub(crate) struct Teams {
    pub(crate) store: Store,
    pub(crate) creation: super::rate::TeamCreation,
    pub(crate) scores: std::sync::Arc<Scores>,
}

impl Teams {
    pub(crate) fn new(store: Store, trusted_proxy: Option<std::net::IpAddr>) -> Self {
        Self {
            store,
            creation: super::rate::TeamCreation::new(trusted_proxy),
            scores: std::sync::Arc::default(),
        }
    }
}

/// The cookie that tells a team page which member is looking (their edit key), scoped to the
/// team's own path so no other page ever receives it.
const MEMBER_COOKIE: &str = "versus-member";

/// Headers every team response carries: no referrer (evidence links lead off-site and must
/// not carry the link), no caching, no indexing.
pub(crate) fn private(mut response: HttpResponse) -> HttpResponse {
    let headers = response.headers_mut();
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::HeaderName::from_static("x-robots-tag"),
        HeaderValue::from_static("noindex"),
    );
    response
}

/// Whether a state-changing request comes from another site: `Sec-Fetch-Site` when the browser
/// sends it, else `Origin` against the request's own host. A request with neither (curl, a
/// script) is not a cross-site browser request and is served.
pub(crate) fn cross_site(req: &HttpRequest) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = req.connection_info().host().to_owned();
    let origin_host = origin
        .split_once("://")
        .map_or("", |(_, rest)| rest.trim_end_matches('/'));
    origin_host != host
}

/// A page about the team store's state: 404, 409 or 503 (with `Retry-After`).
fn store_page(site: &Site, err: &StoreError) -> HttpResponse {
    let (status, heading, message) = match err {
        StoreError::NotFound => (
            StatusCode::NOT_FOUND,
            "No such team decision",
            "There is no team decision at this address: the link may be mistyped, or the decision was deleted.",
        ),
        StoreError::Closed => (
            StatusCode::CONFLICT,
            "This decision is closed",
            "The organiser closed this decision, so it takes no more answers. The team page still shows the result.",
        ),
        StoreError::Full => (
            StatusCode::CONFLICT,
            "This decision is full",
            "A team decision takes at most 50 members, and this one has 50. Ask the organiser to start another.",
        ),
        StoreError::NameTaken => (
            StatusCode::CONFLICT,
            "That name is taken",
            "Someone in this team already answered with that name.",
        ),
        StoreError::Unavailable(_) | StoreError::Random(_) | StoreError::Starting => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Team decisions are unavailable for a moment",
            "The database that keeps team decisions is not answering. Nothing was lost; please try again in a few seconds. The rest of the site works as usual.",
        ),
    };
    if status == StatusCode::SERVICE_UNAVAILABLE {
        tracing::warn!(error = %err, "team store unavailable");
    }
    let body = site
        .renderer()
        .error_page("/teams", heading, message)
        .map(|r| r.body)
        .unwrap_or_else(|_| site.pages.errors.server_error.body.clone());
    let mut response = HttpResponse::build(status)
        .content_type(ContentType::html())
        .body(body);
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    private(response)
}

fn forbidden_cross_site() -> HttpResponse {
    private(
        HttpResponse::Forbidden()
            .content_type(ContentType::plaintext())
            .body("Refused: this form was sent from another site.\n"),
    )
}

fn see_other(location: &str) -> HttpResponse {
    private(
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, location))
            .finish(),
    )
}

/// The form fields that are not questionnaire answers, taken out before the answers are parsed.
struct Extra {
    fields: Vec<(String, String)>,
    rest: Vec<(String, String)>,
}

fn split_form(bytes: &[u8], extra: &[&str]) -> Extra {
    // Lenient decoding, as for the questionnaire: a bad byte is replaced, never a 500.
    let pairs: Vec<(String, String)> = form_urlencoded_pairs(bytes);
    let (fields, rest) = pairs
        .into_iter()
        .partition(|(k, _)| extra.contains(&k.as_str()));
    Extra { fields, rest }
}

fn form_urlencoded_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    bytes
        .split(|&b| b == b'&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = match pair.iter().position(|&b| b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &b""[..]),
            };
            let decode = |s: &[u8]| {
                let plus: Vec<u8> = s
                    .iter()
                    .map(|&b| if b == b'+' { b' ' } else { b })
                    .collect();
                percent_encoding::percent_decode(&plus)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

fn field<'a>(extra: &'a Extra, name: &str) -> &'a str {
    extra
        .fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// `GET /teams`: the form that starts a decision.
pub(crate) async fn new_team(site: web::Data<SharedSite>) -> Result<HttpResponse, PageError> {
    let site = site.current();
    let page = views::new_team_page(&site, String::new(), false, None)
        .render()
        .on(&site)?;
    Ok(private(html(StatusCode::OK, page)))
}

/// `POST /teams`: `title` [+ `hidden=on`] → 303 to the organiser's page.
pub(crate) async fn create(
    req: HttpRequest,
    payload: web::Payload,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, PageError> {
    let site = site.current();
    if cross_site(&req) {
        return Ok(forbidden_cross_site());
    }
    if let Err(too_many) = teams.creation.check(&req) {
        return Ok(private(*too_many));
    }
    let bytes = body::read(
        &req,
        payload,
        "application/x-www-form-urlencoded",
        body::FORM_LIMIT,
    )
    .await
    .on(&site)?;
    let form = split_form(&bytes, &["title", "hidden"]);
    let hidden = field(&form, "hidden") == "on";
    let title = match Title::parse(field(&form, "title")) {
        Ok(title) => title,
        Err(err) => {
            let page =
                views::new_team_page(&site, field(&form, "title").to_owned(), hidden, Some(&err))
                    .render()
                    .on(&site)?;
            return Ok(private(html(StatusCode::UNPROCESSABLE_ENTITY, page)));
        }
    };
    match teams.store.create_team(&title, hidden).await {
        Ok(created) => Ok(see_other(&format!(
            "{}?created=1",
            paths::team_organiser(&created.team, &created.organiser_key)
        ))),
        Err(err) => Ok(store_page(&site, &err)),
    }
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
) -> Result<HttpResponse, PageError> {
    let site = site.current();
    let team = path.into_inner();
    let view = match teams.store.team(&team).await {
        Ok(view) => view,
        Err(err) => return Ok(store_page(&site, &err)),
    };
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
    let scored = teams.scores.get(&site, &view);
    let (members, result) = (scored.members(), &scored.result);
    let empty = Answers::default();
    let data = team_data(&site, &members, result, &empty);
    let you = you_member.as_ref().map(|(key, m)| You {
        name: &m.name,
        edit_url: site.url(&paths::team_edit(&team, key)),
    });
    let page = views::team_page(&site, &view, data, you)
        .render()
        .on(&site)?;
    Ok(private(html(StatusCode::OK, page)))
}

/// `GET /teams/{team}/join`: the questionnaire with a name, pre-filled from the query.
pub(crate) async fn join_form(
    req: HttpRequest,
    path: web::Path<String>,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, PageError> {
    let site = site.current();
    let team = path.into_inner();
    let view = match teams.store.team(&team).await {
        Ok(view) => view,
        Err(err) => return Ok(store_page(&site, &err)),
    };
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
        closed: view.team.closed_at.is_some(),
    };
    let page = views::team_form(&site, &answers, &[], fields)
        .render()
        .on(&site)?;
    Ok(private(html(StatusCode::OK, page)))
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
    site: &std::sync::Arc<Site>,
    title: &str,
    s: &Submitted,
    action: String,
    withdraw: Option<String>,
    extra: Option<FieldError>,
) -> Result<HttpResponse, PageError> {
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
        closed: false,
    };
    let mut form = views::team_form(site, &kept, &errors, fields);
    form.team.name_error = name_error.as_deref();
    form.team.comment_error = comment_error.as_deref();
    let page = form.render().on(site)?;
    Ok(private(html(StatusCode::UNPROCESSABLE_ENTITY, page)))
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
) -> Result<HttpResponse, PageError> {
    let site = site.current();
    if cross_site(&req) {
        return Ok(forbidden_cross_site());
    }
    let team = path.into_inner();
    let bytes = body::read(
        &req,
        payload,
        "application/x-www-form-urlencoded",
        body::FORM_LIMIT,
    )
    .await
    .on(&site)?;
    let view = match teams.store.team(&team).await {
        Ok(view) => view,
        Err(err) => return Ok(store_page(&site, &err)),
    };
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
                .map_err(|err| PageError {
                    site: site.clone(),
                    error: super::error::AppError::Header(err.to_string()),
                })?;
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
        Err(err) => Ok(store_page(&site, &err)),
    }
}

/// `GET /teams/{team}/record.md`: the team's decision record, MADR 4.0.
pub(crate) async fn record(
    path: web::Path<String>,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, PageError> {
    let site = site.current();
    let team = path.into_inner();
    let view = match teams.store.team(&team).await {
        Ok(view) => view,
        Err(err) => return Ok(store_page(&site, &err)),
    };
    let scored = teams.scores.get(&site, &view);
    let (members, result) = (scored.members(), &scored.result);
    let today = chrono::Utc::now().date_naive();
    let markdown = views::team_record(&site, &view, &members, result, today)
        .render()
        .on(&site)?;
    Ok(private(
        HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"team-decision-record.md\"",
            ))
            .body(markdown),
    ))
}

/// `GET /teams/{team}/organiser/{key}`: the organiser's page.
pub(crate) async fn organiser(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, PageError> {
    let site = site.current();
    let (team, key) = path.into_inner();
    let view = match teams.store.team_as_organiser(&team, &key).await {
        Ok(view) => view,
        Err(err) => return Ok(store_page(&site, &err)),
    };
    let just_created = req.query_string() == "created=1";
    let scored = teams.scores.get(&site, &view);
    let (members, result) = (scored.members(), &scored.result);
    let empty = Answers::default();
    let data = team_data(&site, &members, result, &empty);
    let page = views::organiser_page(&site, &view, data.members, &key, just_created, None)
        .render()
        .on(&site)?;
    Ok(private(html(StatusCode::OK, page)))
}

/// `POST /teams/{team}/organiser/{key}/{action}`: rename, remove, close, reopen, delete.
pub(crate) async fn organise(
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    payload: web::Payload,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, PageError> {
    let site = site.current();
    if cross_site(&req) {
        return Ok(forbidden_cross_site());
    }
    let (team, key, action) = path.into_inner();
    let bytes = body::read(
        &req,
        payload,
        "application/x-www-form-urlencoded",
        body::FORM_LIMIT,
    )
    .await
    .on(&site)?;
    let form = split_form(&bytes, &["title", "member", "confirm"]);
    let back = paths::team_organiser(&team, &key);
    let title;
    let change = match action.as_str() {
        "rename" => match Title::parse(field(&form, "title")) {
            Ok(t) => {
                title = t;
                Organise::Rename(&title)
            }
            Err(err) => {
                let view = match teams.store.team_as_organiser(&team, &key).await {
                    Ok(view) => view,
                    Err(err) => return Ok(store_page(&site, &err)),
                };
                let scored = teams.scores.get(&site, &view);
                let (members, result) = (scored.members(), &scored.result);
                let empty = Answers::default();
                let data = team_data(&site, &members, result, &empty);
                let page =
                    views::organiser_page(&site, &view, data.members, &key, false, Some(&err))
                        .render()
                        .on(&site)?;
                return Ok(private(html(StatusCode::UNPROCESSABLE_ENTITY, page)));
            }
        },
        "remove" => Organise::Remove(field(&form, "member")),
        "close" => Organise::Close,
        "reopen" => Organise::Reopen,
        "delete" if field(&form, "confirm") == "yes" => Organise::Delete,
        // Deleting without the confirmation box ticked changes nothing.
        "delete" => return Ok(see_other(&back)),
        _ => return Ok(store_page(&site, &StoreError::NotFound)),
    };
    match teams.store.organise(&team, &key, change).await {
        Ok(()) if matches!(change, Organise::Delete) => {
            Ok(see_other(&format!("{}?deleted=1", paths::TEAMS)))
        }
        Ok(()) => Ok(see_other(&back)),
        Err(err) => Ok(store_page(&site, &err)),
    }
}

/// `GET /teams/{team}/edit/{key}`: the member's answers, to change or withdraw.
pub(crate) async fn edit_form(
    path: web::Path<(String, String)>,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, PageError> {
    let site = site.current();
    let (team, key) = path.into_inner();
    let (view, member) = match teams.store.member(&team, &key).await {
        Ok(found) => found,
        Err(err) => return Ok(store_page(&site, &err)),
    };
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
        closed: view.team.closed_at.is_some(),
    };
    let page = views::team_form(&site, &answers, &[], fields)
        .render()
        .on(&site)?;
    Ok(private(html(StatusCode::OK, page)))
}

/// `POST /teams/{team}/edit/{key}`: saves changed answers → 303 to the team page.
pub(crate) async fn edit(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    payload: web::Payload,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, PageError> {
    let site = site.current();
    if cross_site(&req) {
        return Ok(forbidden_cross_site());
    }
    let (team, key) = path.into_inner();
    let bytes = body::read(
        &req,
        payload,
        "application/x-www-form-urlencoded",
        body::FORM_LIMIT,
    )
    .await
    .on(&site)?;
    let (view, member) = match teams.store.member(&team, &key).await {
        Ok(found) => found,
        Err(err) => return Ok(store_page(&site, &err)),
    };
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
        Err(err) => Ok(store_page(&site, &err)),
    }
}

/// `POST /teams/{team}/edit/{key}/withdraw`: removes the member's answers → 303 to the team.
pub(crate) async fn withdraw(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    site: web::Data<SharedSite>,
    teams: web::Data<Teams>,
) -> Result<HttpResponse, PageError> {
    let site = site.current();
    if cross_site(&req) {
        return Ok(forbidden_cross_site());
    }
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
        Err(err) => Ok(store_page(&site, &err)),
    }
}
