//! Team decision pages: the team page, the join and edit forms and the organiser's page, and the
//! one rule of who sees a team's results ([`shows_results`]). They take what the store holds
//! and what the recommender combined; none scores anything itself. The records are in
//! [`super::record`].

use std::sync::{Arc, Weak};

use askama::Template;
use chrono::{DateTime, NaiveDate};

use super::card::Whose;
use super::recommendation::{
    explain_for, form, labels, Explained, FormView, ReasonView, StepView, SummaryItem,
};
use super::views::{DateView, Layout};
use super::Site;
use crate::bounded::BoundedMap;
use crate::paths;
use crate::recommender::team::{combine, MemberChange, MemberFlip, TeamResult, NO_ANSWER};
use crate::recommender::{outcome, Answers, FieldError, Outcome};
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

/// A team's combined result as readers see it: "Django (strong)", "a toss-up".
pub fn result_label(site: &Site, rec: &crate::recommender::Recommendation) -> String {
    match rec.recommendation {
        Some(framework) => format!(
            "{} ({})",
            framework_name(site, framework),
            rec.confidence.label()
        ),
        None => "a toss-up".to_owned(),
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
    /// Whose single change of answer would change the team's result, as sentences: "If Ben
    /// answered “An online shop” instead of “An API”, the team's result would be Django."
    pub what_ifs: Vec<String>,
}

impl DisagreementRow<'_> {
    /// Whether settling this question, one way or by one person, could change the result.
    pub fn matters(&self) -> bool {
        self.changes_outcome || !self.what_ifs.is_empty()
    }
}

/// One member's answers that scored, and why: the team page's "why", member by member.
pub struct MemberWhy<'a> {
    pub name: &'a str,
    pub outcome: String,
    pub reasons: Vec<MemberReason<'a>>,
}

/// An answer that gave a framework points, with the questionnaire's reason and the framework.
pub struct MemberReason<'a> {
    pub reason: ReasonView<'a>,
    pub framework: &'a str,
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
    /// The MADR status ([`status`]).
    pub status: &'static str,
    /// The newer decisions that replace this one, and the older ones it replaces: (title,
    /// read-only link).
    pub superseded_by: Vec<(&'a str, String)>,
    pub supersedes: Vec<(&'a str, String)>,
    pub layout: Layout<'a>,
    pub title: &'a str,
    pub created: DateView,
    pub closed: Option<DateView>,
    pub hidden: bool,
    /// Whether this viewer may see answers and the combined result.
    pub open_book: bool,
    pub members: Vec<MemberRow<'a>>,
    pub x: Option<Explained<'a>>,
    /// The members' own results counted: "Django 2 · Flask 1".
    pub tally: String,
    /// Disagreements that could change the result come first.
    pub disagreements: Vec<DisagreementRow<'a>>,
    /// Questions everyone answered alike: the prompt and the shared answer.
    pub agreed: Vec<(&'a str, String)>,
    pub whys: Vec<MemberWhy<'a>>,
    /// The share link, which lets people join; `None` on the read-only page.
    pub share_url: Option<String>,
    /// The read-only link, for docs and records.
    pub view_url: Option<String>,
    /// The decision's Atom feed of evidence changes (a read-only URL).
    pub feed_url: Option<String>,
    /// What changed in the evidence since the decision was closed.
    pub drift: Option<super::evidence::DriftView>,
    pub join_url: String,
    pub record_url: String,
    pub you: Option<You<'a>>,
    /// The decision as Markdown for team docs, as this viewer may see it.
    pub paste: String,
}

impl TeamPage<'_> {
    /// How many disagreements could change the result.
    pub fn matter(&self) -> usize {
        self.disagreements.iter().filter(|d| d.matters()).count()
    }
}

/// Everything the team page and the organiser page show about a team.
pub struct TeamData<'a> {
    pub members: Vec<MemberRow<'a>>,
    pub x: Option<Explained<'a>>,
    pub tally: String,
    pub disagreements: Vec<DisagreementRow<'a>>,
    pub agreed: Vec<(&'a str, String)>,
    pub whys: Vec<MemberWhy<'a>>,
}

/// A framework's display name from its position in the questionnaire.
fn framework_name(site: &Site, framework: usize) -> &str {
    let slug = site.content.questionnaire.frameworks[framework].as_str();
    site.content
        .framework(slug)
        .map_or(slug, |f| f.meta.name.as_str())
}

/// "Django 2 · Flask 1 · a toss-up 1": each member's own result, counted, most first.
fn tally(site: &Site, members: &[Answered<'_>]) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for m in members {
        let name = m.rec.recommendation.as_deref().map_or_else(
            || "a toss-up".to_owned(),
            |slug| {
                site.content
                    .framework(slug)
                    .map_or(slug, |f| f.meta.name.as_str())
                    .to_owned()
            },
        );
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => *count += 1,
            None => counts.push((name, 1)),
        }
    }
    // Stable: equal counts keep the order members answered in.
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts
        .iter()
        .map(|(name, count)| format!("{name} {count}"))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The sentence for one member's change that would change the team's result.
pub(super) fn what_if(
    site: &Site,
    question: &crate::recommender::Question,
    who: &str,
    flip: &MemberFlip,
) -> String {
    let label = |id: &str| {
        question
            .option(id)
            .map_or_else(|| id.to_owned(), |o| format!("“{}”", o.label))
    };
    let change = match &flip.change {
        MemberChange::Answer { from, to } if from == NO_ANSWER => {
            format!("answered {} instead of leaving it unanswered", label(to))
        }
        MemberChange::Answer { from, to } if to == NO_ANSWER => {
            format!("left it unanswered instead of answering {}", label(from))
        }
        MemberChange::Answer { from, to } => {
            format!("answered {} instead of {}", label(to), label(from))
        }
        MemberChange::Tick {
            option,
            ticked: true,
        } => format!("also chose {}", label(option)),
        MemberChange::Tick {
            option,
            ticked: false,
        } => format!("had not chosen {}", label(option)),
    };
    let result = flip
        .would_recommend
        .map_or("a toss-up", |f| framework_name(site, f));
    format!("If {who} {change}, the team’s result would be {result}.")
}

/// One member's answers that gave points, in questionnaire order.
fn member_why<'a>(site: &'a Site, m: &Answered<'_>) -> Vec<MemberReason<'a>> {
    let q = &site.content.questionnaire;
    m.answers
        .options(q)
        .flat_map(|(question, choice)| {
            choice
                .weights
                .iter()
                .enumerate()
                .filter(|(_, &w)| w > 0)
                .map(move |(framework, &weight)| MemberReason {
                    reason: ReasonView {
                        question: &question.prompt,
                        option: &choice.label,
                        weight,
                        why: &choice.why,
                        link: &choice.link,
                    },
                    framework: framework_name(site, framework),
                })
        })
        .collect()
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
    let mut disagreements: Vec<DisagreementRow<'a>> = result
        .disagreements
        .iter()
        .map(|d| DisagreementRow {
            what_ifs: q.question(&d.question).map_or_else(Vec::new, |question| {
                d.member_flips
                    .iter()
                    .map(|f| what_if(site, question, &members[f.member].member.name, f))
                    .collect()
            }),
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
    // Those that could change the result first; otherwise in questionnaire order.
    disagreements.sort_by_key(|d| !d.matters());
    let disputed: Vec<&str> = result
        .disagreements
        .iter()
        .map(|d| d.question.as_str())
        .collect();
    let agreed = members
        .first()
        .map(|first| {
            first
                .answers
                .by_question(q)
                .filter(|(question, _)| !disputed.contains(&question.id.as_str()))
                .map(|(question, chosen)| (question.prompt.as_str(), labels(&chosen)))
                .collect()
        })
        .unwrap_or_default();
    let whys = members
        .iter()
        .map(|m| MemberWhy {
            name: &m.member.name,
            outcome: outcome_label(site, m.rec),
            reasons: member_why(site, m),
        })
        .collect();
    TeamData {
        members: rows,
        x: (!members.is_empty())
            .then(|| explain_for(site, empty, &result.combined, "the team's answers")),
        tally: tally(site, members),
        disagreements,
        agreed,
        whys,
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
/// framework, `rejected` when closed with no decision, `deprecated` when an accepted one is no
/// longer followed, `superseded` when newer decisions replace it. A decision closed before outcomes were
/// stated stays `proposed`: nobody said what was decided.
pub fn status(view: &TeamView) -> &'static str {
    let team = &view.team;
    match (team.closed_at, team.outcome.as_deref()) {
        (Some(_), Some(_)) if !view.superseded_by.is_empty() => "superseded",
        (Some(_), Some(_)) if team.deprecated_at.is_some() => "deprecated",
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
    access: Access,
    outside: &super::embed::Outside<'_>,
) -> TeamPage<'a> {
    let team = &view.team;
    let read_only = access == Access::ReadOnly;
    let path = match (&team.view_key, read_only) {
        (Some(key), true) => paths::team_view(key),
        _ => paths::team(&team.id),
    };
    let description = format!(
        "A team decision between {}.",
        site.content.contenders(" and ")
    );
    let mut layout = site.layout(&path, Some(&team.title), &description);
    layout.noindex = true;
    // A link preview is an outsider, whoever's page it reads; the embed is the read-only one.
    layout.labels = super::embed::team_labels(outside);
    layout.oembed = outside
        .view_path
        .as_deref()
        .map(|p| site.renderer().oembed_of(p));
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
    let you = if read_only { None } else { you };
    let viewer = if you.is_some() {
        Viewer::Member
    } else {
        Viewer::Outsider
    };
    let open_book = shows_results(team, viewer);
    let TeamData {
        mut members,
        x,
        tally,
        disagreements,
        agreed,
        whys,
    } = data;
    if !open_book {
        for m in &mut members {
            m.answers.clear();
            m.outcome = "Hidden until you answer".to_owned();
        }
    }
    let x = if open_book { x } else { None };
    let disagreements = if open_book { disagreements } else { Vec::new() };
    // Worked out once, with what outsiders see: a decision with pinned evidence is closed, so
    // its drift is everyone's to see.
    let drift = outside.drift.clone();
    let view_url = view_url(site, team);
    let paste = paste_block(&Pasted {
        site,
        title: &team.title,
        status: status(view),
        decided: stated_outcome(site, team),
        closed: team.closed_at.map(date),
        members: &members,
        disagreements: &disagreements,
        result: x.as_ref().map(|x| match x.winner {
            Some(winner) => format!("{winner} ({})", x.standing),
            None => "a toss-up".to_owned(),
        }),
        needs_review: open_book && drift.as_ref().is_some_and(|d| d.needs_review),
        view_url: view_url.as_deref(),
        badge_url: team
            .view_key
            .as_deref()
            .map(|key| site.url(&paths::team_view_badge(key))),
        open_book,
    });
    TeamPage {
        paste,
        decided: stated_outcome(site, team).map(|o| (o, team.rationale.as_str())),
        status: status(view),
        superseded_by: linked(site, &view.superseded_by),
        supersedes: linked(site, &view.supersedes),
        layout,
        title: &team.title,
        created: date(team.created_at),
        closed: team.closed_at.map(date),
        hidden: team.hidden,
        open_book,
        members,
        x,
        tally: if open_book { tally } else { String::new() },
        disagreements,
        agreed: if open_book { agreed } else { Vec::new() },
        whys: if open_book { whys } else { Vec::new() },
        share_url: (!read_only).then(|| site.url(&paths::team(&team.id))),
        view_url,
        feed_url: team.view_key.as_deref().map(paths::team_view_feed),
        drift,
        join_url: paths::team_join(&team.id),
        record_url: match (&team.view_key, read_only) {
            (Some(key), true) => paths::team_view_record(key),
            _ => paths::team_record(&team.id),
        },
        you,
    }
}

/// What the paste block says: only what the page's viewer may see.
struct Pasted<'p> {
    site: &'p Site,
    title: &'p str,
    status: &'static str,
    decided: Option<String>,
    closed: Option<DateView>,
    members: &'p [MemberRow<'p>],
    disagreements: &'p [DisagreementRow<'p>],
    /// The team's result and how firm it is: "Django (strong)", "a toss-up".
    result: Option<String>,
    needs_review: bool,
    view_url: Option<&'p str>,
    /// The status badge, absolute.
    badge_url: Option<String>,
    open_book: bool,
}

/// The decision as Markdown for a wiki page (Confluence and Notion take pasted Markdown): the
/// status and outcome, who chose what per question, the disagreements, and the read-only link
/// with the status badge, never the share link. Text people typed is escaped ([`super::record::md_text`]).
fn paste_block(p: &Pasted<'_>) -> String {
    use super::record::md_text;
    use std::fmt::Write;
    let mut md = format!("### {}\n\n**Status:** {}", md_text(p.title), p.status);
    if let Some(outcome) = &p.decided {
        let _ = write!(md, " · **Outcome:** {}", md_text(outcome));
        if let Some(on) = &p.closed {
            let _ = write!(md, " (decided {})", on.iso);
        }
    }
    md.push_str("  \n");
    if let Some(result) = &p.result {
        let _ = writeln!(md, "**Team result:** {}  ", md_text(result));
    }
    if p.needs_review {
        md.push_str("**Needs review:** the same answers give another result today.  \n");
    }
    let names: Vec<String> = p.members.iter().map(|m| md_text(m.name)).collect();
    let _ = writeln!(
        md,
        "**Answered ({}):** {}",
        names.len(),
        if names.is_empty() {
            "nobody yet".to_owned()
        } else {
            names.join(", ")
        }
    );
    if !p.open_book {
        md.push_str("\nAnswers are hidden until the decision closes.\n");
    } else if !p.members.is_empty() {
        let _ = write!(md, "\n| Question | {} |\n|---|", names.join(" | "));
        md.push_str(&"---|".repeat(names.len()));
        md.push('\n');
        for question in &p.site.content.questionnaire.questions {
            let prompt = question.prompt.as_str();
            let chosen: Vec<Option<&str>> = p
                .members
                .iter()
                .map(|m| {
                    m.answers
                        .iter()
                        .find(|(q, _)| *q == prompt)
                        .map(|(_, a)| a.as_str())
                })
                .collect();
            if chosen.iter().all(Option::is_none) {
                continue;
            }
            let cells: Vec<String> = chosen
                .iter()
                .map(|c| c.map_or_else(|| "–".to_owned(), md_text))
                .collect();
            let _ = writeln!(md, "| {} | {} |", md_text(prompt), cells.join(" | "));
        }
    }
    if !p.disagreements.is_empty() {
        md.push_str("\n**Where the team disagrees**\n\n");
        for d in p.disagreements {
            let answers: Vec<String> = d
                .answers
                .iter()
                .map(|(label, who)| format!("{} ({})", md_text(label), md_text(who)))
                .collect();
            let _ = writeln!(
                md,
                "- {}: {}{}",
                md_text(d.question),
                answers.join("; "),
                if d.matters() {
                    " (could change the result)"
                } else {
                    ""
                }
            );
        }
    }
    if let Some(url) = p.view_url {
        let _ = writeln!(md, "\nRead-only link: <{url}>");
        if let Some(badge) = &p.badge_url {
            let _ = writeln!(md, "\n[![Decision status]({badge})]({url})");
        }
    }
    md
}

/// How a team page was reached: by the share link (whoever has it may join) or by the
/// read-only link (for docs, records and feeds: nothing to join or change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Share,
    ReadOnly,
}

/// The decision's read-only link, absolute.
pub fn view_url(site: &Site, team: &Team) -> Option<String> {
    linked_url(site, team.view_key.as_deref())
}

/// The read-only link of a decision with the view key `key`, absolute.
pub fn linked_url(site: &Site, key: Option<&str>) -> Option<String> {
    key.map(|key| site.url(&paths::team_view(key)))
}

/// Linked decisions as (title, read-only link) for pages and records.
pub fn linked<'a>(site: &Site, links: &'a [crate::store::Linked]) -> Vec<(&'a str, String)> {
    links
        .iter()
        .filter_map(|l| Some((l.title.as_str(), linked_url(site, l.view_key.as_deref())?)))
        .collect()
}

#[derive(Template)]
#[template(path = "team-organiser.html")]
pub struct OrganiserPage<'a> {
    pub layout: Layout<'a>,
    pub title: &'a str,
    pub closed: Option<DateView>,
    pub members: Vec<MemberRow<'a>>,
    /// The members' own results counted.
    pub tally: String,
    /// The disagreements that could change the result, with whose answers would have to move.
    pub to_settle: Vec<DisagreementRow<'a>>,
    pub share_url: String,
    pub organiser_url: String,
    /// The read-only link, for docs and records.
    pub view_url: Option<String>,
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
    /// The MADR status ([`status`]), which decides what the page offers.
    pub status: &'static str,
    /// The newer decisions that replace this one, and the older ones it replaces: (title,
    /// read-only link).
    pub superseded_by: Vec<(&'a str, String)>,
    pub supersedes: Vec<(&'a str, String)>,
    /// Where the organiser adds their own answers (pre-filled when they came from a result).
    pub answer_url: String,
    /// The team page, where the result is read.
    pub team_url: String,
    /// What changed in the evidence since the decision was closed.
    pub drift: Option<super::evidence::DriftView>,
}

/// The organiser's page.
#[allow(clippy::too_many_arguments)]
pub fn organiser_page<'a>(
    site: &'a Site,
    view: &'a TeamView,
    data: TeamData<'a>,
    key: &str,
    just_created: bool,
    error: Option<&'a FieldError>,
    carried: &str,
) -> OrganiserPage<'a> {
    let team = &view.team;
    let actions = paths::team_organiser(&team.id, key);
    let mut layout = site.layout(
        &actions,
        Some(&format!("Organise: {}", team.title)),
        "Organise a team decision.",
    );
    layout.noindex = true;
    let result = data.x.as_ref().map(|x| x.rec);
    OrganiserPage {
        layout,
        title: &team.title,
        closed: team.closed_at.map(date),
        tally: data.tally,
        to_settle: data
            .disagreements
            .into_iter()
            .filter(DisagreementRow::matters)
            .collect(),
        members: data.members,
        share_url: site.url(&paths::team(&team.id)),
        organiser_url: site.url(&actions),
        view_url: view_url(site, team),
        status: status(view),
        drift: super::evidence::team_drift_view(site, team),
        superseded_by: linked(site, &view.superseded_by),
        supersedes: linked(site, &view.supersedes),
        answer_url: match carried {
            "" => paths::team_join(&team.id),
            query => format!("{}?{query}", paths::team_join(&team.id)),
        },
        team_url: paths::team(&team.id),
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
            |r| result_label(site, r),
        ),
        error_target: match error.map(|e| e.field.as_str()) {
            Some("rationale") => "close-rationale",
            Some("outcome") => "outcome-first",
            Some("by") => "supersede-by",
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
    /// When the decision is closed: no form, but when, with what outcome, and the team page.
    pub closed: Option<ClosedNotice>,
}

/// What the join and edit pages of a closed decision say instead of the form.
pub struct ClosedNotice {
    pub on: DateView,
    /// "Django", "No decision"; `None` for a decision closed before outcomes were stated.
    pub outcome: Option<String>,
    pub team_page: String,
}

impl ClosedNotice {
    /// The notice for `team`, if it is closed.
    pub fn of(site: &Site, team: &Team) -> Option<Self> {
        Some(Self {
            on: date(team.closed_at?),
            outcome: stated_outcome(site, team),
            team_page: paths::team(&team.id),
        })
    }
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
    /// Answers carried from a recommendation (its query string), for the organiser's own.
    pub answers: String,
}

/// The form that starts a decision (also shown when its title was refused).
pub fn new_team_page<'a>(
    site: &'a Site,
    title: String,
    hidden: bool,
    error: Option<&'a FieldError>,
    answers: String,
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
        answers,
    }
}
