//! The MADR 4.0 decision records: one person's (`/recommendation.md`) and a team's
//! (`/teams/{team}/record.md`, as its viewer may see it).

use askama::Template;
use chrono::NaiveDate;

use super::recommendation::{explain_for, Explained};
use super::team::{linked, outcome_label, shows_results, stated_outcome, status, Answered, Viewer};
use super::Site;
use crate::recommender::team::{TeamResult, NO_ANSWER};
use crate::recommender::{Answers, Confidence, Recommendation};
use crate::store::TeamView;

/// Text made safe to show as plain text in Markdown (names and titles people typed).
pub fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>#|~".contains(c) {
            out.push('\\');
        }
        if c == '\n' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// A YAML string (JSON strings are valid YAML), for front matter values people typed.
fn yaml(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// A MADR 4.0 decision record.
#[derive(Template)]
#[template(path = "madr.md", escape = "none")]
pub struct Madr {
    pub status: String,
    pub date: NaiveDate,
    /// YAML-quoted names.
    pub decision_makers: Vec<String>,
    pub title: String,
    pub context: Vec<String>,
    pub drivers: Vec<String>,
    pub options: Vec<String>,
    pub outcome: String,
    pub good: Vec<String>,
    pub bad: Vec<String>,
    /// What changed in the evidence since the decision: a lead, then one line per change
    /// (empty when nothing did).
    pub since: Vec<String>,
    pub more: Vec<String>,
}

/// The parts both records share, from an explained recommendation.
fn madr_from(site: &Site, x: &Explained<'_>, date: NaiveDate) -> Madr {
    let names: Vec<String> = site
        .content
        .frameworks
        .iter()
        .map(|f| f.meta.name.clone())
        .collect();
    let q = &site.content.questionnaire;
    let name_of = |framework: usize| {
        let slug = q.frameworks[framework].as_str();
        site.content
            .framework(slug)
            .map_or(slug, |f| f.meta.name.as_str())
    };
    // The answers that weighed most: reasons by weight, heaviest first, then by question id.
    let mut reasons: Vec<_> = x.rec.reasons.iter().collect();
    reasons.sort_by(|a, b| {
        b.weight
            .cmp(&a.weight)
            .then_with(|| q.questions[a.question].id.cmp(&q.questions[b.question].id))
    });
    let line = |r: &crate::recommender::Reason| {
        let (question, choice) = q.choice(r.question, r.option);
        format!(
            "{}: {} (+{} for {}). {} [Evidence]({})",
            md_text(&question.prompt),
            md_text(&choice.label),
            r.weight,
            name_of(r.framework),
            md_text(&choice.why),
            site.url(&choice.link)
        )
    };
    let drivers = reasons.iter().take(5).map(|r| line(r)).collect();
    let (good, bad) = consequences(site, x.rec, x.rec.recommendation);
    let outcome = match (x.winner, x.rec.confidence) {
        (Some(w), Confidence::Strong | Confidence::Lean) => format!(
            "Chosen option: \"{w}\", because the answers favour it: {}",
            md_text(&x.outcome)
        ),
        _ => format!("No option chosen yet. {}", md_text(&x.outcome)),
    };
    let mut more = Vec::new();
    more.push(format!(
        "Scored with the {} questionnaire {} (content reviewed {}); how scores work: <{}>",
        md_text(&site.content.site.title),
        site.questionnaire_version(),
        site.content
            .last_reviewed()
            .map_or_else(String::new, |d| d.to_string()),
        site.url("/methodology")
    ));
    Madr {
        status: "proposed".to_owned(),
        date,
        decision_makers: Vec::new(),
        title: String::new(),
        context: Vec::new(),
        drivers,
        options: names,
        outcome,
        good,
        bad,
        since: Vec::new(),
        more,
    }
}

/// The good and bad consequences of choosing `chosen` (a framework's position): each reason is
/// what the chosen framework gives, or what choosing it forgoes. None without a choice.
fn consequences(
    site: &Site,
    rec: &Recommendation,
    chosen: Option<usize>,
) -> (Vec<String>, Vec<String>) {
    let q = &site.content.questionnaire;
    let Some(chosen) = chosen else {
        return (Vec::new(), Vec::new());
    };
    let consequence = |r: &&crate::recommender::Reason| {
        let (_, choice) = q.choice(r.question, r.option);
        let slug = q.frameworks[r.framework].as_str();
        format!(
            "{} ({}, [evidence]({}))",
            md_text(&mid_sentence(choice.why.trim_end_matches('.'))),
            site.content
                .framework(slug)
                .map_or(slug, |f| f.meta.name.as_str()),
            site.url(&choice.link)
        )
    };
    let (good, bad): (Vec<_>, Vec<_>) = rec.reasons.iter().partition(|r| r.framework == chosen);
    (
        good.iter().map(consequence).collect(),
        bad.iter().map(consequence).collect(),
    )
}

/// One person's decision record (`/recommendation.md`), MADR 4.0.
pub fn single_record(
    site: &Site,
    answers: &Answers,
    rec: &Recommendation,
    date: NaiveDate,
) -> Madr {
    let x = explain_for(site, answers, rec, "your answers");
    let mut record = madr_from(site, &x, date);
    record.title = match x.winner {
        Some(w) => format!("Use {w} for our web application"),
        None => format!("Choose between {}", site.content.contenders(" and ")),
    };
    record.context.push(format!(
        "We need a Python web framework and compared {} with the {} questionnaire. Our answers:",
        site.content.contenders(" and "),
        md_text(&site.content.site.title)
    ));
    record.context.extend(
        x.answers
            .iter()
            .map(|a| format!("{}: {}", md_text(a.question), md_text(&a.answer))),
    );
    // One person's record says which single answers would change it; a team's says whose.
    let flips = x
        .flips
        .iter()
        .map(|f| format!("What would change it: {}", md_text(f)));
    record.more.splice(0..0, flips);
    record
        .more
        .insert(0, format!("Permalink to these answers: <{}>", x.permalink));
    record
}

/// The record of a decision whose answers are hidden from the viewer: the title, the members'
/// names and the status, and nothing any answer decided.
fn hidden_record(site: &Site, view: &TeamView, date: NaiveDate) -> Madr {
    Madr {
        status: "proposed".to_owned(),
        date,
        decision_makers: view.members.iter().map(|m| yaml(&m.name)).collect(),
        title: md_text(&view.team.title),
        context: vec![format!(
            "Team members who have answered the {} questionnaire: {}. The organiser hides the answers until the decision is closed, so this record shows no results.",
            md_text(&site.content.site.title),
            view.members.len()
        )],
        drivers: vec!["Hidden until the organiser closes the decision.".to_owned()],
        options: site
            .content
            .frameworks
            .iter()
            .map(|f| f.meta.name.clone())
            .collect(),
        outcome: "Not decided yet: the answers are hidden until the organiser closes the decision."
            .to_owned(),
        good: Vec::new(),
        bad: Vec::new(),
        since: Vec::new(),
        more: decision_link(site, view).into_iter().collect(),
    }
}

/// The team's decision record (`/teams/{team}/record.md`), MADR 4.0, as `viewer` may see it.
pub fn team_record(
    site: &Site,
    view: &TeamView,
    members: &[Answered<'_>],
    result: &TeamResult,
    date: NaiveDate,
    viewer: Viewer,
) -> Madr {
    if !shows_results(&view.team, viewer) {
        return hidden_record(site, view, date);
    }
    let empty = Answers::default();
    let x = explain_for(site, &empty, &result.combined, "the team's answers");
    let mut record = madr_from(site, &x, date);
    let superseded_by = linked(site, &view.superseded_by);
    record.status = match status(view) {
        "superseded" => format!(
            "superseded by {}",
            superseded_by
                .iter()
                .map(|(_, url)| url.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_owned(),
    };
    // What a person stated on closing replaces what the answers alone would say.
    if let Some(decided) = stated_outcome(site, &view.team) {
        // A person's words are quoted as written, after a colon, so no capital reads wrong.
        let why = if view.team.rationale.trim().is_empty() {
            format!("it is the team's result: {}", md_text(&x.outcome))
        } else {
            format!("the team stated: {}", md_text(&view.team.rationale))
        };
        let q = &site.content.questionnaire;
        let chosen = view
            .team
            .outcome
            .as_deref()
            .and_then(|slug| q.frameworks.iter().position(|f| f == slug));
        // The consequences follow what the team chose, not what the answers added up to.
        (record.good, record.bad) = consequences(site, &result.combined, chosen);
        record.outcome = if view.team.outcome.as_deref() == Some(crate::store::NO_DECISION) {
            format!("No option chosen: the team closed the decision without choosing either, because {why}")
        } else {
            format!("Chosen option: \"{decided}\", because {why}")
        };
    } else if view.team.closed_at.is_some() {
        record.outcome = format!(
            "Closed without a stated outcome. The team's answers gave: {}",
            md_text(&x.outcome)
        );
    }
    record.decision_makers = members.iter().map(|m| yaml(&m.member.name)).collect();
    record.title = md_text(&view.team.title);
    record.context.push(format!(
        "{} answered the {} questionnaire separately; their scores were summed.",
        match members.len() {
            1 => "One team member".to_owned(),
            n => format!("{n} team members"),
        },
        md_text(&site.content.site.title)
    ));
    for m in members {
        let comment = if m.member.comment.is_empty() {
            String::new()
        } else {
            format!(" ({})", md_text(&m.member.comment))
        };
        record.context.push(format!(
            "{}: {}{comment}",
            md_text(&m.member.name),
            outcome_label(site, m.rec)
        ));
    }
    let data_members = members;
    for d in &result.disagreements {
        let q = &site.content.questionnaire;
        let prompt = q
            .question(&d.question)
            .map_or(d.question.as_str(), |x| x.prompt.as_str());
        let who: Vec<String> = d
            .answers
            .iter()
            .map(|(option, idx)| {
                let label = if option == NO_ANSWER {
                    "no answer".to_owned()
                } else {
                    q.question(&d.question)
                        .and_then(|x| x.option(option))
                        .map_or(option.clone(), |o| o.label.clone())
                };
                let names: Vec<String> = idx
                    .iter()
                    .map(|&i| md_text(&data_members[i].member.name))
                    .collect();
                format!("{} ({})", md_text(&label), names.join(", "))
            })
            .collect();
        // Whose change would change the result, as the team page says it.
        let what_ifs: String = q
            .question(&d.question)
            .map_or_else(String::new, |question| {
                d.member_flips
                    .iter()
                    .map(|f| {
                        format!(
                            " {}",
                            md_text(&super::team::what_if(
                                site,
                                question,
                                &data_members[f.member].member.name,
                                f
                            ))
                        )
                    })
                    .collect()
            });
        let settles = match (what_ifs.is_empty(), d.changes_outcome) {
            (false, _) => what_ifs,
            (true, true) => {
                " Settling it (everyone answering alike) could change the outcome.".to_owned()
            }
            (true, false) => String::new(),
        };
        record.more.insert(
            0,
            format!(
                "Disagreement on \"{}\": {}.{settles}",
                md_text(prompt),
                who.join("; "),
            ),
        );
    }
    if let Some(link) = decision_link(site, view) {
        record.more.insert(0, link);
    }
    if let Some(d) = super::evidence::team_drift_view(site, &view.team) {
        let mut lead = md_text(&d.lead);
        if d.needs_review {
            lead.push_str(&format!(
                " **Needs review:** the answers the team gave now give {}; when it decided, they gave {}.",
                d.now, d.then
            ));
        }
        record.since.push(lead);
        for c in &d.changed {
            record
                .since
                .push(format!("{} <{}>", md_text(&c.what), site.url(&c.link)));
        }
    }
    for (title, url) in superseded_by {
        record
            .more
            .push(format!("Superseded by: {} <{url}>", md_text(title)));
    }
    for (title, url) in linked(site, &view.supersedes) {
        record
            .more
            .push(format!("Supersedes: {} <{url}>", md_text(title)));
    }
    record
}

/// The record's link to the decision: its read-only page, never the share link (a record is
/// committed to repositories, and whoever has the share link may join).
fn decision_link(site: &Site, view: &TeamView) -> Option<String> {
    super::team::view_url(site, &view.team).map(|url| format!("Decision (read-only): <{url}>"))
}

/// `text` as it reads after "Good, because": its first word in lower case, unless that word is
/// a name (it has another capital, or starts like a framework's name: "Django's", "Flask").
fn mid_sentence(text: &str) -> String {
    let first = text.split_whitespace().next().unwrap_or_default();
    let is_name = first.chars().skip(1).any(char::is_uppercase)
        || [
            "Django",
            "Flask",
            "Python",
            "Jinja",
            "SQLAlchemy",
            "Celery",
            "Pallets",
        ]
        .iter()
        .any(|name| first.starts_with(name));
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() && !is_name => c.to_lowercase().chain(chars).collect(),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::mid_sentence;

    #[test]
    fn reasons_read_on_after_because_without_a_stray_capital() {
        assert_eq!(
            "several developers share one layout",
            mid_sentence("Several developers share one layout")
        );
        assert_eq!(
            "Django's admin is built in",
            mid_sentence("Django's admin is built in")
        );
        assert_eq!(
            "ORM queries stay readable",
            mid_sentence("ORM queries stay readable")
        );
        assert_eq!("Flask stays small", mid_sentence("Flask stays small"));
    }
}
