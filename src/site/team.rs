//! Team decision pages: the team page, the join and edit forms and the organiser's page, and the
//! one rule of who sees a team's results ([`shows_results`]). They take what the store holds
//! and what the recommender combined; none scores anything itself. The records are in
//! [`super::record`].

use std::sync::{Arc, Weak};

use askama::Template;
use chrono::{DateTime, NaiveDate};

use super::card::Whose;
use super::recommendation::{
    explain_for, form, labels, Explained, FormView, StepView, SummaryItem,
};
use super::views::{DateView, Layout};
use super::Site;
use crate::bounded::BoundedMap;
use crate::paths;
use crate::recommender::team::{combine, TeamResult, NO_ANSWER};
use crate::recommender::{outcome, Answers, FieldError, Outcome, Recommendation};
use crate::store::{Member, Team, TeamView};

/// A stored member with their answers read against today's questionnaire.
pub struct Answered<'a> {
    pub member: &'a Member,
    pub answers: &'a Answers,
    /// Their own outcome.
    pub rec: &'a Outcome,
}

/// A team's members scored: each one's answers read with the current questionnaire (answers to
/// questions that have since changed are dropped, the rest kept) and their own outcome, and the
/// team's combined result.
pub struct Scored {
    view: Arc<TeamView>,
    members: Vec<(Answers, Outcome)>,
    pub result: TeamResult,
}

impl Scored {
    fn new(site: &Site, view: Arc<TeamView>) -> Self {
        let q = &site.content.questionnaire;
        let members: Vec<(Answers, Outcome)> = view
            .members
            .iter()
            .map(|member| {
                let answers = Answers::parse_urlencoded(q, member.answers.as_bytes())
                    .unwrap_or_else(|invalid| invalid.kept);
                let rec = outcome(q, &answers);
                (answers, rec)
            })
            .collect();
        let all: Vec<Answers> = members.iter().map(|(answers, _)| answers.clone()).collect();
        let result = combine(q, &all);
        Self {
            view,
            members,
            result,
        }
    }

    /// Each member with their answers and outcome, in the team's order.
    pub fn members(&self) -> Vec<Answered<'_>> {
        self.view
            .members
            .iter()
            .zip(&self.members)
            .map(|(member, (answers, rec))| Answered {
                member,
                answers,
                rec,
            })
            .collect()
    }
}

/// Teams scored recently, so a page many people open is scored once per change: scoring was
/// two thirds of a team page's time once the store kept the team (`benches/teams.sh`). An entry
/// holds for the same site (a content reload makes a new one) and the same team: the same read
/// (on SQLite the store hands out one `Arc` until the team changes) or an equal one (on
/// PostgreSQL every read is new; comparing 20 members costs far less than scoring them).
#[derive(Debug)]
pub struct Scores(BoundedMap<ScoredFor>);

/// A team's scores and the site they were scored against.
type ScoredFor = (Weak<Site>, Arc<Scored>);

impl std::fmt::Debug for Scored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scored")
            .field("team", &self.view.team.id)
            .field("members", &self.members.len())
            .finish_non_exhaustive()
    }
}

/// At most this many teams' scores are kept; past it, all are forgotten.
const MAX_SCORED: usize = 256;

impl Default for Scores {
    fn default() -> Self {
        Self(BoundedMap::new(MAX_SCORED))
    }
}

impl Scores {
    /// `view` scored against `site`'s questionnaire, reused when nothing changed.
    pub fn get(&self, site: &Arc<Site>, view: &Arc<TeamView>) -> Arc<Scored> {
        let id = &view.team.id;
        let fresh = |(of, scored): &ScoredFor| {
            std::ptr::eq(of.as_ptr(), Arc::as_ptr(site))
                // `Arc`'s equality compares the pointers first, then the teams.
                && scored.view == *view
        };
        if let Some((_, scored)) = self.0.lock().get(id).filter(|entry| fresh(entry)) {
            return Arc::clone(scored);
        }
        let scored = Arc::new(Scored::new(site, Arc::clone(view)));
        self.0
            .lock()
            .insert(id, (Arc::downgrade(site), Arc::clone(&scored)));
        scored
    }
}

fn date(unix: i64) -> DateView {
    DateTime::from_timestamp(unix, 0)
        .map_or_else(NaiveDate::default, |d| d.date_naive())
        .into()
}

/// "Django (strong)", "a toss-up".
pub(super) fn outcome_label(site: &Site, rec: &Outcome) -> String {
    match &rec.recommendation {
        Some(slug) => {
            let name = site
                .content
                .framework(slug)
                .map_or(slug.as_str(), |f| f.meta.name.as_str());
            format!("{name} ({})", rec.confidence.label())
        }
        None => "A toss-up".to_owned(),
    }
}

/// One member's row on the team page.
pub struct MemberRow<'a> {
    pub name: &'a str,
    pub outcome: String,
    pub comment: &'a str,
    /// What they answered, question by question (empty when answers are hidden).
    pub answers: Vec<(&'a str, String)>,
    /// For the organiser's "remove".
    pub id: &'a str,
}

/// A question the team answered differently.
pub struct DisagreementRow<'a> {
    pub question: &'a str,
    /// An answer's label and the names of those who gave it.
    pub answers: Vec<(String, String)>,
    pub changes_outcome: bool,
}

/// The viewer, when they are a member (their edit key came with the request).
pub struct You<'a> {
    pub name: &'a str,
    pub edit_url: String,
}

#[derive(Template)]
#[template(path = "team.html")]
pub struct TeamPage<'a> {
    /// The outcome the organiser stated on closing, and why.
    pub decided: Option<(String, &'a str)>,
    pub layout: Layout<'a>,
    pub title: &'a str,
    pub created: DateView,
    pub closed: Option<DateView>,
    pub hidden: bool,
    /// Whether this viewer may see answers and the combined result.
    pub open_book: bool,
    pub members: Vec<MemberRow<'a>>,
    pub x: Option<Explained<'a>>,
    pub disagreements: Vec<DisagreementRow<'a>>,
    pub share_url: String,
    pub join_url: String,
    pub record_url: String,
    pub you: Option<You<'a>>,
}

/// Everything the team page and the organiser page show about a team.
pub struct TeamData<'a> {
    pub members: Vec<MemberRow<'a>>,
    pub x: Option<Explained<'a>>,
    pub disagreements: Vec<DisagreementRow<'a>>,
}

/// The rows, the combined result and the disagreements, with ids resolved into labels.
pub fn team_data<'a>(
    site: &'a Site,
    members: &'a [Answered<'a>],
    result: &'a TeamResult,
    empty: &'a Answers,
) -> TeamData<'a> {
    let q = &site.content.questionnaire;
    let label = |question: &str, option: &str| -> String {
        if option == NO_ANSWER {
            return "No answer".to_owned();
        }
        q.question(question)
            .and_then(|x| x.option(option))
            .map_or_else(|| option.to_owned(), |o| o.label.clone())
    };
    let rows = members
        .iter()
        .map(|m| MemberRow {
            name: &m.member.name,
            outcome: outcome_label(site, m.rec),
            comment: &m.member.comment,
            id: &m.member.id,
            answers: m
                .answers
                .by_question(q)
                .map(|(question, chosen)| (question.prompt.as_str(), labels(&chosen)))
                .collect(),
        })
        .collect();
    let disagreements = result
        .disagreements
        .iter()
        .map(|d| DisagreementRow {
            question: q
                .question(&d.question)
                .map_or(d.question.as_str(), |x| x.prompt.as_str()),
            answers: d
                .answers
                .iter()
                .map(|(option, who)| {
                    let names: Vec<&str> = who
                        .iter()
                        .map(|&i| members[i].member.name.as_str())
                        .collect();
                    (label(&d.question, option), names.join(", "))
                })
                .collect(),
            changes_outcome: d.changes_outcome,
        })
        .collect();
    TeamData {
        members: rows,
        x: (!members.is_empty())
            .then(|| explain_for(site, empty, &result.combined, "the team's answers")),
        disagreements,
    }
}

/// Who is looking at a team decision. Only a member's own cookie or edit link makes a viewer a
/// member; a record download, the JSON API and a link preview are outsiders' views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    Member,
    /// The organiser controls the reveal, so their page always shows results.
    Organiser,
    Outsider,
}

/// The one visibility rule every rendering of a team follows (page, record, JSON, card, meta
/// tags): while the organiser hides answers and the decision is open, an outsider sees the
/// title, the members' names and the status, never results, comments or who chose what.
/// Closing reveals (the store clears `hidden` when it closes a decision).
pub fn shows_results(team: &Team, viewer: Viewer) -> bool {
    viewer != Viewer::Outsider || !team.hidden || team.closed_at.is_some()
}

/// Where a decision stands (MADR's status): `proposed` while open, `accepted` when closed with a
/// framework, `rejected` when closed with no decision. A decision closed before outcomes were
/// stated stays `proposed`: nobody said what was decided.
pub fn status(team: &Team) -> &'static str {
    match (team.closed_at, team.outcome.as_deref()) {
        (Some(_), Some(crate::store::NO_DECISION)) => "rejected",
        (Some(_), Some(_)) => "accepted",
        _ => "proposed",
    }
}

/// The stated outcome as readers see it: the framework's name, or "No decision".
pub fn stated_outcome(site: &Site, team: &Team) -> Option<String> {
    let outcome = team.outcome.as_deref()?;
    team.closed_at?;
    Some(if outcome == crate::store::NO_DECISION {
        "No decision".to_owned()
    } else {
        site.content
            .framework(outcome)
            .map_or_else(|| outcome.to_owned(), |f| f.meta.name.clone())
    })
}

/// The team page. `you` is the viewing member, if any; answers and the combined result are
/// hidden from others when the organiser asked for that.
pub fn team_page<'a>(
    site: &'a Site,
    view: &'a TeamView,
    data: TeamData<'a>,
    you: Option<You<'a>>,
) -> TeamPage<'a> {
    let team = &view.team;
    let path = paths::team(&team.id);
    let description = format!(
        "A team decision between {}.",
        site.content.contenders(" and ")
    );
    let mut layout = site.layout(&path, Some(&team.title), &description);
    layout.noindex = true;
    // A link preview fetches without the member's cookie: its card is an outsider's view.
    let outsiders_see = shows_results(team, Viewer::Outsider);
    if let Some(rec) = data.x.as_ref().filter(|_| outsiders_see).map(|x| x.rec) {
        layout.card = site
            .cards
            .outcome(
                Whose::Team,
                rec.winner(&site.content.questionnaire),
                rec.confidence,
            )
            .map(|card| site.renderer().card(card));
    }
    let viewer = if you.is_some() {
        Viewer::Member
    } else {
        Viewer::Outsider
    };
    let open_book = shows_results(team, viewer);
    let TeamData {
        mut members,
        x,
        disagreements,
    } = data;
    if !open_book {
        for m in &mut members {
            m.answers.clear();
            m.outcome = "Hidden until you answer".to_owned();
        }
    }
    TeamPage {
        decided: stated_outcome(site, team).map(|o| (o, team.rationale.as_str())),
        layout,
        title: &team.title,
        created: date(team.created_at),
        closed: team.closed_at.map(date),
        hidden: team.hidden,
        open_book,
        members,
        x: if open_book { x } else { None },
        disagreements: if open_book { disagreements } else { Vec::new() },
        share_url: site.url(&path),
        join_url: paths::team_join(&team.id),
        record_url: paths::team_record(&team.id),
        you,
    }
}

#[derive(Template)]
#[template(path = "team-organiser.html")]
pub struct OrganiserPage<'a> {
    pub layout: Layout<'a>,
    pub title: &'a str,
    pub closed: Option<DateView>,
    pub members: Vec<MemberRow<'a>>,
    pub share_url: String,
    pub organiser_url: String,
    /// Right after creating: say to keep the organiser link.
    pub just_created: bool,
    /// The base of the organiser's actions (`…/organiser/{key}`).
    pub actions: String,
    pub error: Option<&'a str>,
    pub title_value: String,
    /// Answers are hidden from outsiders now (the organiser still sees them).
    pub hidden_now: bool,
    /// What closing can state: each framework (slug, name) and no decision.
    pub outcomes: Vec<(String, String)>,
    /// The team's result, suggested when closing (a slug; empty for a toss-up).
    pub suggested: String,
    /// The team's result as readers see it.
    pub result_label: String,
    /// The field the error is about, for the error summary's link.
    pub error_target: &'a str,
    /// The stated outcome once closed, and why.
    pub decided: Option<(String, &'a str)>,
}

/// The organiser's page.
pub fn organiser_page<'a>(
    site: &'a Site,
    view: &'a TeamView,
    members: Vec<MemberRow<'a>>,
    result: Option<&Recommendation>,
    key: &str,
    just_created: bool,
    error: Option<&'a FieldError>,
) -> OrganiserPage<'a> {
    let team = &view.team;
    let actions = paths::team_organiser(&team.id, key);
    let mut layout = site.layout(
        &actions,
        Some(&format!("Organise: {}", team.title)),
        "Organise a team decision.",
    );
    layout.noindex = true;
    OrganiserPage {
        layout,
        title: &team.title,
        closed: team.closed_at.map(date),
        members,
        share_url: site.url(&paths::team(&team.id)),
        organiser_url: site.url(&actions),
        just_created,
        actions,
        error: error.map(|e| e.message.as_str()),
        title_value: team.title.clone(),
        hidden_now: !shows_results(team, Viewer::Outsider),
        outcomes: site
            .content
            .frameworks
            .iter()
            .map(|f| (f.slug.clone(), f.meta.name.clone()))
            .chain(std::iter::once((
                crate::store::NO_DECISION.to_owned(),
                "No decision: close without choosing either".to_owned(),
            )))
            .collect(),
        suggested: result
            .and_then(|r| r.winner(&site.content.questionnaire))
            .unwrap_or_default()
            .to_owned(),
        result_label: result.map_or_else(
            || "nobody has answered yet".to_owned(),
            |r| match r.winner(&site.content.questionnaire) {
                Some(slug) => format!(
                    "{} ({})",
                    site.content
                        .framework(slug)
                        .map_or(slug, |f| f.meta.name.as_str()),
                    r.confidence.label()
                ),
                None => "a toss-up".to_owned(),
            },
        ),
        error_target: match error.map(|e| e.field.as_str()) {
            Some("rationale") => "close-rationale",
            Some("outcome") => "outcome-first",
            _ => "team-title",
        },
        decided: stated_outcome(site, team).map(|o| (o, team.rationale.as_str())),
    }
}

/// What the team form adds to the questionnaire.
pub struct TeamFields<'a> {
    pub title: &'a str,
    pub name: String,
    pub comment: String,
    pub name_error: Option<&'a str>,
    pub comment_error: Option<&'a str>,
    /// Where the form posts.
    pub action: String,
    /// On a member's edit page: their name (fixed) and where to withdraw.
    pub withdraw: Option<String>,
    pub closed: bool,
}

#[derive(Template)]
#[template(path = "team-form.html")]
pub struct TeamForm<'a> {
    pub layout: Layout<'a>,
    pub steps: Vec<StepView<'a>>,
    pub required_note: String,
    pub errors: Vec<SummaryItem<'a>>,
    pub team: TeamFields<'a>,
}

/// The questionnaire with a name and a comment, for joining or for changing one's answers.
pub fn team_form<'a>(
    site: &'a Site,
    answers: &Answers,
    errors: &'a [FieldError],
    team: TeamFields<'a>,
) -> TeamForm<'a> {
    let FormView {
        steps,
        required_note,
        errors: mut summary,
        ..
    } = form(site, answers, errors);
    let mut layout = site.layout(
        &team.action,
        Some(&format!("Answer: {}", team.title)),
        "Answer a team decision.",
    );
    layout.noindex = true;
    // The name and comment are not questions: their summary links go to their own fields.
    for (item, e) in summary.iter_mut().zip(errors) {
        if e.field == "name" || e.field == "comment" {
            item.target = format!("team-{}", e.field);
        }
    }
    TeamForm {
        layout,
        steps,
        required_note,
        errors: summary,
        team,
    }
}

#[derive(Template)]
#[template(path = "team-new.html")]
pub struct NewTeamPage<'a> {
    pub layout: Layout<'a>,
    pub title: String,
    pub hidden: bool,
    pub error: Option<&'a str>,
}

/// The form that starts a decision (also shown when its title was refused).
pub fn new_team_page<'a>(
    site: &'a Site,
    title: String,
    hidden: bool,
    error: Option<&'a FieldError>,
) -> NewTeamPage<'a> {
    let mut layout = site.layout(
        paths::TEAMS,
        Some("Decide as a team"),
        "Start a shared decision between Django and Flask for your team.",
    );
    layout.noindex = true;
    NewTeamPage {
        layout,
        title,
        hidden,
        error: error.map(|e| e.message.as_str()),
    }
}
