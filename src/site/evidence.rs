//! What a decision relied on, pinned when it is closed, and what of it has changed since
//! (its drift). The comparison is with what was pinned, so a weight edited without a change
//! entry still shows; the change history only supplies the explanation and its link.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Site;
use crate::content::Written;
use crate::recommender::team::combine;
use crate::recommender::{Answers, Questionnaire};

/// What a decision relied on when it was closed; kept with it as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pinned {
    /// The questionnaire's version at closing.
    pub version: String,
    pub decided: NaiveDate,
    /// The framework the members' answers gave; `None` for a toss-up.
    pub result: Option<String>,
    /// Each member's answers as they stood (the form's encoding), in the team's order.
    pub answers: Vec<String>,
    /// Every option a member chose, with what it weighed and said then.
    pub facts: Vec<PinnedFact>,
    /// Each page the chosen options link to, as it was.
    pub pages: Vec<PinnedPage>,
}

/// One chosen option as it stood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinnedFact {
    pub question: String,
    pub option: String,
    /// The fact it scored (empty for an option that scored nothing).
    pub fact: String,
    pub label: String,
    /// Points for each framework, in the questionnaire's framework order.
    pub weights: Vec<u32>,
    pub why: String,
    /// The topic section that establishes the fact.
    pub link: String,
}

/// A page the reasons link to: when it was reviewed and the change entries it had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinnedPage {
    pub path: String,
    pub updated: NaiveDate,
    pub changes: Vec<String>,
}

/// What changed since a decision was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Drift {
    /// When the decision was closed.
    #[schema(value_type = String, format = Date)]
    pub since: NaiveDate,
    /// The framework id the pinned answers gave then; `null` for a toss-up.
    pub result_then: Option<String>,
    /// What the same answers give with today's content; `null` for a toss-up.
    pub result_now: Option<String>,
    pub changed: Vec<FactChange>,
}

/// One change of the evidence: the fact, what changed, and where it is explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FactChange {
    /// The fact's id (`question=option` for an option that scores no fact).
    pub fact: String,
    /// One line for readers.
    pub what: String,
    /// The change entry that explains it, or the section that establishes the fact.
    pub link: String,
    /// The change entry's date, when one explains it.
    #[schema(value_type = Option<String>, format = Date)]
    pub date: Option<NaiveDate>,
}

impl Drift {
    /// Today's result for the pinned answers differs from the result they gave at closing.
    pub fn needs_review(&self) -> bool {
        self.result_then != self.result_now
    }
}

/// Answers read against `q`, keeping what still parses.
fn read(q: &Questionnaire, answers: &[String]) -> Vec<Answers> {
    answers
        .iter()
        .map(|a| Answers::parse_urlencoded(q, a.as_bytes()).unwrap_or_else(|invalid| invalid.kept))
        .collect()
}

fn result_of(q: &Questionnaire, answers: &[String]) -> Option<String> {
    combine(q, &read(q, answers))
        .combined
        .winner(q)
        .map(str::to_owned)
}

/// The path part of a link (`/topics/x#y` → `/topics/x`) and its anchor.
fn split_link(link: &str) -> (&str, &str) {
    link.split_once('#').unwrap_or((link, ""))
}

/// What a decision with these members' `answers`, closed on `decided`, relies on today.
pub fn pin(site: &Site, answers: Vec<String>, decided: NaiveDate) -> Pinned {
    let q = &site.content.questionnaire;
    let read = read(q, &answers);
    let mut facts = Vec::new();
    for (qi, question) in q.questions.iter().enumerate() {
        for (oi, option) in question.options.iter().enumerate() {
            if read.iter().any(|a| a.chosen(qi).contains(oi)) {
                facts.push(PinnedFact {
                    question: question.id.clone(),
                    option: option.id.clone(),
                    fact: option.fact.clone(),
                    label: option.label.clone(),
                    weights: option.weights.clone(),
                    why: option.why.clone(),
                    link: option.link.clone(),
                });
            }
        }
    }
    let paths: BTreeSet<&str> = facts
        .iter()
        .map(|f| split_link(&f.link).0)
        .filter(|p| !p.is_empty())
        .collect();
    let pages = paths
        .into_iter()
        .filter_map(|path| written(site, path))
        .map(|w| PinnedPage {
            updated: w.updated,
            changes: w.changes.iter().map(|c| c.id.clone()).collect(),
            path: w.path,
        })
        .collect();
    Pinned {
        version: site.questionnaire_version().to_owned(),
        decided,
        result: result_of(q, &answers),
        answers,
        facts,
        pages,
    }
}

fn written<'a>(site: &'a Site, path: &str) -> Option<Written<'a>> {
    site.content.written().find(|w| w.path == path)
}

/// What changed since `pinned`, compared with today's content; `None` when nothing did.
pub fn drift(site: &Site, pinned: &Pinned) -> Option<Drift> {
    let q = &site.content.questionnaire;
    let name = |i: usize| {
        let slug = q.frameworks.get(i).map_or("", String::as_str);
        site.content
            .framework(slug)
            .map_or(slug, |f| f.meta.name.as_str())
    };
    let mut changed = Vec::new();
    for then in &pinned.facts {
        let id = if then.fact.is_empty() {
            format!("{}={}", then.question, then.option)
        } else {
            then.fact.clone()
        };
        let now = q
            .question(&then.question)
            .and_then(|question| question.option(&then.option));
        let mut what = Vec::new();
        match now {
            None => what.push(format!(
                "The answer \u{201c}{}\u{201d} is no longer in the questionnaire.",
                then.label
            )),
            Some(now) => {
                if now.weights != then.weights {
                    let points = |w: &[u32]| {
                        (0..q.frameworks.len())
                            .map(|i| format!("{} +{}", name(i), w.get(i).copied().unwrap_or(0)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    what.push(format!(
                        "\u{201c}{}\u{201d} now scores {} (it scored {}).",
                        then.label,
                        points(&now.weights),
                        points(&then.weights)
                    ));
                }
                if now.why != then.why {
                    what.push(format!("Its reason now reads: \u{201c}{}\u{201d}", now.why));
                }
            }
        }
        if what.is_empty() {
            continue;
        }
        let (link, date) = scoring_change(site, &then.fact, pinned.decided)
            .unwrap_or_else(|| (then.link.clone(), None));
        changed.push(FactChange {
            fact: id,
            what: what.join(" "),
            link,
            date,
        });
    }
    changed.extend(page_changes(site, pinned));
    let result_now = result_of(q, &pinned.answers);
    if changed.is_empty() && result_now == pinned.result {
        return None;
    }
    Some(Drift {
        since: pinned.decided,
        result_then: pinned.result.clone(),
        result_now,
        changed,
    })
}

/// The newest recorded change of the scoring on or after `since` that touched `fact`, as a link
/// to its entry on the methodology page and its date.
fn scoring_change(
    site: &Site,
    fact: &str,
    since: NaiveDate,
) -> Option<(String, Option<NaiveDate>)> {
    if fact.is_empty() {
        return None;
    }
    let touched = format!("fact:{fact}");
    site.content
        .scoring_changes()
        .find(|(change, _)| change.date >= since && change.touched.contains(&touched))
        .map(|(change, id)| {
            (
                format!("{}#{id}", crate::paths::METHODOLOGY),
                Some(change.date),
            )
        })
}

/// The change entries added since pinning to each linked page that touch a pinned fact (by
/// `fact:<id>` or the section its link points to).
fn page_changes(site: &Site, pinned: &Pinned) -> Vec<FactChange> {
    let mut out = Vec::new();
    for page in &pinned.pages {
        let Some(now) = written(site, &page.path) else {
            out.push(FactChange {
                fact: pinned
                    .facts
                    .iter()
                    .find(|f| split_link(&f.link).0 == page.path)
                    .map_or_else(String::new, |f| f.fact.clone()),
                what: format!("The page {} that established it is gone.", page.path),
                link: page.path.clone(),
                date: None,
            });
            continue;
        };
        for entry in now.changes.iter().filter(|c| !page.changes.contains(&c.id)) {
            let touches = pinned.facts.iter().find(|f| {
                let (path, anchor) = split_link(&f.link);
                path == page.path
                    && entry.change.touched.iter().any(|t| {
                        t.strip_prefix("fact:")
                            .map_or(t == anchor, |id| !f.fact.is_empty() && id == f.fact)
                    })
            });
            if let Some(fact) = touches {
                out.push(FactChange {
                    fact: fact.fact.clone(),
                    what: format!(
                        "{} changed on {}: {}",
                        now.title,
                        entry.change.date.format("%-d %B %Y"),
                        entry.change.summary
                    ),
                    link: format!("{}#{}", page.path, entry.id),
                    date: Some(entry.change.date),
                });
            }
        }
    }
    out
}

/// The evidence to pin for `members` closing at `at` (unix seconds), as the store keeps it.
pub fn pin_members(site: &Site, members: &[crate::store::Member], at: i64) -> String {
    let decided =
        chrono::DateTime::from_timestamp(at, 0).map_or_else(NaiveDate::default, |d| d.date_naive());
    let answers = members.iter().map(|m| m.answers.clone()).collect();
    serde_json::to_string(&pin(site, answers, decided)).unwrap_or_default()
}

/// What `team` pinned when it was closed with an outcome; `None` while open or for a decision
/// closed before evidence was pinned.
pub fn pinned(team: &crate::store::Team) -> Option<Pinned> {
    team.closed_at?;
    team.outcome.as_ref()?;
    serde_json::from_str(team.evidence.as_deref()?).ok()
}

/// What changed since `team` was decided; `None` when nothing did or nothing was pinned.
pub fn team_drift(site: &Site, team: &crate::store::Team) -> Option<Drift> {
    drift(site, &pinned(team)?)
}

/// A decision's drift as its page and record say it.
#[derive(Debug, Clone)]
pub struct DriftView {
    pub since: super::views::DateView,
    /// "Since you decided on 7 December 2026, 2 of the 9 facts your decision relied on changed."
    pub lead: String,
    pub needs_review: bool,
    /// What the pinned answers gave then and give now: "Django", "a toss-up".
    pub then: String,
    pub now: String,
    pub changed: Vec<FactChange>,
}

/// `drift` worded for readers.
pub fn drift_view(site: &Site, pinned: &Pinned, drift: Drift) -> DriftView {
    let label = |result: &Option<String>| match result {
        Some(slug) => site
            .content
            .framework(slug)
            .map_or_else(|| slug.clone(), |f| f.meta.name.clone()),
        None => "a toss-up".to_owned(),
    };
    let facts: BTreeSet<&str> = drift.changed.iter().map(|c| c.fact.as_str()).collect();
    let relied = pinned.facts.len();
    let since = drift.since.format("%-d %B %Y");
    let changed_facts = match (facts.len(), relied) {
        (n, 1) if n >= 1 => "the one fact your decision relied on".to_owned(),
        (n, all) if n >= all => format!("all {all} facts your decision relied on"),
        (n, all) => format!("{n} of the {all} facts your decision relied on"),
    };
    let lead = if facts.is_empty() {
        format!(
            "Since you decided on {since}, the questionnaire changed in ways that move the result."
        )
    } else {
        format!("Since you decided on {since}, {changed_facts} changed.")
    };
    DriftView {
        since: drift.since.into(),
        lead,
        needs_review: drift.needs_review(),
        then: label(&drift.result_then),
        now: label(&drift.result_now),
        changed: drift.changed,
    }
}

/// `team`'s drift worded for readers; `None` when nothing changed or nothing was pinned.
pub fn team_drift_view(site: &Site, team: &crate::store::Team) -> Option<DriftView> {
    let pinned = pinned(team)?;
    let drift = drift(site, &pinned)?;
    Some(drift_view(site, &pinned, drift))
}

/// A decision's Atom feed: its decision and every change of the evidence it rests on, newest
/// first. It holds no result while the decision is open, so a hidden decision's feed shows its
/// title only.
#[derive(askama::Template)]
#[template(path = "team-feed.xml")]
pub struct DecisionFeed {
    pub title: String,
    pub subtitle: String,
    pub site_title: String,
    pub view_url: String,
    pub self_url: String,
    pub updated: String,
    pub entries: Vec<FeedEntry>,
}

pub struct FeedEntry {
    pub title: String,
    pub id: String,
    pub link: String,
    pub updated: String,
    pub summary: String,
}

fn rfc3339(date: NaiveDate) -> String {
    format!("{date}T00:00:00Z")
}

/// The feed of the decision with the read-only link `key`.
pub fn decision_feed(site: &Site, view: &crate::store::TeamView, key: &str) -> DecisionFeed {
    let team = &view.team;
    let view_url = site.url(&crate::paths::team_view(key));
    let mut entries = Vec::new();
    let pinned = pinned(team);
    if let (Some(pinned), Some(outcome)) = (&pinned, super::team::stated_outcome(site, team)) {
        let status = super::team::status(view);
        entries.push(FeedEntry {
            title: format!("Decided: {outcome} ({status})"),
            id: format!("{view_url}#decided-{}", team.closed_at.unwrap_or_default()),
            link: view_url.clone(),
            updated: rfc3339(pinned.decided),
            summary: format!(
                "{} closed the decision on {} with the outcome {outcome}.",
                team.title,
                pinned.decided.format("%-d %B %Y")
            ),
        });
        if let Some(drift) = drift(site, pinned) {
            let reviewed = site.content.last_reviewed().unwrap_or(pinned.decided);
            if drift.needs_review() {
                let d = drift_view(site, pinned, drift.clone());
                entries.push(FeedEntry {
                    title: format!("Needs review: the same answers now give {}", d.now),
                    id: format!(
                        "{view_url}#review-{}",
                        crate::assets::digest(format!("{:?}", drift.result_now).as_bytes())
                    ),
                    link: view_url.clone(),
                    updated: rfc3339(reviewed),
                    summary: format!("{} When you decided, they gave {}.", d.lead, d.then),
                });
            }
            for c in drift.changed {
                entries.push(FeedEntry {
                    title: format!("Evidence changed: {}", c.fact),
                    id: format!(
                        "{view_url}#evidence-{}",
                        crate::assets::digest(format!("{}\n{}", c.fact, c.what).as_bytes())
                    ),
                    link: site.url(&c.link),
                    updated: rfc3339(c.date.unwrap_or(reviewed)),
                    summary: c.what,
                });
            }
        }
    }
    entries.sort_by(|a, b| b.updated.cmp(&a.updated));
    DecisionFeed {
        title: format!("{}: a team decision", team.title),
        subtitle: format!(
            "Changes of the evidence this decision between {} rests on.",
            site.content.contenders(" and ")
        ),
        site_title: site.content.site.title.clone(),
        self_url: site.url(&crate::paths::team_view_feed(key)),
        updated: entries.first().map_or_else(
            || {
                chrono::DateTime::from_timestamp(team.touched_at, 0)
                    .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |d| d.to_rfc3339())
            },
            |e| e.updated.clone(),
        ),
        view_url,
        entries,
    }
}
