//! `content/questionnaire.toml`: the questions, checked and turned into the recommender's type.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::front_matter;
use super::markdown::{slugify, Located};
use super::problem::{line_of, Problem, Problems};
use crate::recommender::{Choice, Kind, Question, Questionnaire, MAX_OPTIONS};

/// The highest weight an option may give a framework.
pub const MAX_WEIGHT: u32 = 3;
/// The fewest questions a questionnaire may have.
pub const MIN_QUESTIONS: usize = 12;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    /// The facts options score, each declared once with the section that establishes it.
    #[serde(default)]
    facts: Vec<Spanned<RawFact>>,
    questions: Vec<Spanned<RawQuestion>>,
    /// The form's named steps, each a run of consecutive questions, in order.
    #[serde(default)]
    steps: Vec<Spanned<RawStep>>,
    /// What each change of the scoring changed, newest first.
    #[serde(default)]
    changes: Vec<Spanned<QuestionnaireChange>>,
}

/// One change of the questionnaire: when, what for readers, the facts it touched, and the
/// version it changed (kept whole in `questionnaire-history/{from}.toml`, so a result made with
/// it can be recomputed rather than guessed).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionnaireChange {
    #[serde(deserialize_with = "front_matter::date")]
    pub date: chrono::NaiveDate,
    pub summary: String,
    /// The version before this change.
    pub from: String,
    /// `fact:<id>` of each fact whose weight or wording changed.
    #[serde(default)]
    pub touched: Vec<String>,
}

/// The questionnaire's version: a short digest of what it asks and weighs. It hashes an
/// explicit listing of the scoring (ids, kinds, weights, links), not `Debug` output, which is
/// no stable format; any change of a weight changes it, recorded or not.
pub fn version(q: &Questionnaire) -> String {
    use std::fmt::Write as _;
    let mut canonical = q.frameworks.join(",");
    for question in &q.questions {
        let _ = write!(
            canonical,
            "\n{} {:?} {}",
            question.id, question.kind, question.required
        );
        for option in &question.options {
            let _ = write!(
                canonical,
                "\n  {} {:?} {}",
                option.id, option.weights, option.link
            );
        }
    }
    crate::assets::digest(canonical.as_bytes())[..8].to_owned()
}

/// A named step of the form: its title and the ids of its questions.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    title: String,
    questions: Vec<String>,
}

/// A named step of the form, as the form shows it: the title and how many questions it holds
/// (the questions themselves follow the questionnaire's order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub title: String,
    pub questions: usize,
}

/// One fact about a framework that an answer can make matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFact {
    /// What options name in `fact`.
    id: String,
    /// The topic section that establishes it, `/topics/{slug}#{id}`.
    link: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    /// Form field name: lower-case letters, digits and hyphens.
    id: String,
    prompt: String,
    /// One line of hint text under the question.
    #[serde(default)]
    help: String,
    /// What to do when a required question has no answer ("Select what you are building").
    #[serde(default)]
    error: Option<String>,
    kind: Kind,
    /// Single-choice questions may be required; multi-choice ones never are.
    #[serde(default)]
    required: bool,
    options: Vec<Spanned<RawOption>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    id: String,
    label: String,
    /// Points per framework slug, 0 to [`MAX_WEIGHT`].
    weights: BTreeMap<String, u32>,
    /// One line: why this answer favours whom.
    why: String,
    /// The fact the weights score; required when any weight is above 0. Its section is the
    /// option's evidence link.
    #[serde(default)]
    fact: Option<String>,
}

/// The questionnaire and its links (with lines) for the link checker.
pub struct Loaded {
    pub questionnaire: Questionnaire,
    pub links: Vec<Located>,
    /// The recorded changes with their lines, newest first.
    pub changes: Vec<(QuestionnaireChange, usize)>,
    /// The form's named steps; empty when the questionnaire names none.
    pub steps: Vec<Step>,
}

/// Loads and checks `path` against the site's `frameworks`.
pub fn load(path: &Path, frameworks: &[String], problems: &mut Problems) -> Option<Loaded> {
    let (text, file): (_, File) = front_matter::read_toml(
        path,
        "the questionnaire",
        "every site has a questionnaire.toml; see docs/content.md, \"The questionnaire\"",
        problems,
    )?;
    let line = |span: std::ops::Range<usize>| line_of(&text, span.start);
    if file.questions.len() < MIN_QUESTIONS {
        problems.push(
            Problem::new(
                path,
                Some(1),
                format!("the questionnaire has {} questions", file.questions.len()),
            )
            .hint(format!(
                "a useful questionnaire has at least {MIN_QUESTIONS}"
            )),
        );
    }
    let mut links = Vec::new();
    // Fact id → its link, and the question that scores it (the first one seen).
    let mut facts: BTreeMap<String, (String, usize, Option<String>)> = BTreeMap::new();
    for spanned in file.facts {
        let at = line(spanned.span());
        let fact = spanned.into_inner();
        if slugify(&fact.id) != fact.id {
            problems.push(
                Problem::new(
                    path,
                    Some(at),
                    format!("the fact id `{}` is not a slug", fact.id),
                )
                .hint("use lower-case letters, digits and hyphens"),
            );
        }
        if !fact.link.starts_with("/topics/") || !fact.link.contains('#') {
            problems.push(
                Problem::new(
                    path,
                    Some(at),
                    format!(
                        "the fact `{}` links to `{}`, not to a topic section",
                        fact.id, fact.link
                    ),
                )
                .hint("link to the section that establishes the fact, as /topics/{slug}#{id}"),
            );
        }
        links.push(Located {
            text: fact.link.clone(),
            line: at,
        });
        match facts.entry(fact.id) {
            std::collections::btree_map::Entry::Occupied(entry) => problems.push(
                Problem::new(
                    path,
                    Some(at),
                    format!("the fact `{}` is declared twice", entry.key()),
                )
                .hint("declare each fact once; options of one question may share it"),
            ),
            std::collections::btree_map::Entry::Vacant(entry) => {
                entry.insert((fact.link, at, None));
            }
        }
    }
    let mut questions = Vec::new();
    let mut question_ids = HashSet::new();
    for spanned in file.questions {
        let at = line(spanned.span());
        let mut raw = spanned.into_inner();
        let mut bad = |message: String, hint: &str| {
            problems.push(Problem::new(path, Some(at), message).hint(hint))
        };
        if slugify(&raw.id) != raw.id {
            bad(
                format!("the question id `{}` is not a slug", raw.id),
                "use lower-case letters, digits and hyphens",
            );
        }
        if !question_ids.insert(raw.id.clone()) {
            bad(
                format!("the question id `{}` is used twice", raw.id),
                "give every question its own id",
            );
        }
        if raw.kind == Kind::Multi && raw.required {
            bad(
                format!("the multi-choice question `{}` is required", raw.id),
                "multi-choice questions are optional: set required = false",
            );
        }
        let error = match raw.error.take() {
            Some(error) if error.trim().is_empty() || error.contains('\n') => {
                bad(
                    format!(
                        "the question `{}` has an empty or multi-line `error`",
                        raw.id
                    ),
                    "say in one line what to do, such as \"Select what you are building\"",
                );
                String::new()
            }
            Some(error) => error,
            None => String::new(),
        };
        if raw.options.len() < 2 {
            bad(
                format!("the question `{}` has fewer than 2 options", raw.id),
                "offer at least two answers",
            );
        }
        if raw.options.len() > MAX_OPTIONS {
            bad(
                format!(
                    "the question `{}` has {} options, more than {MAX_OPTIONS}",
                    raw.id,
                    raw.options.len()
                ),
                "split it into several questions",
            );
        }
        let mut options = Vec::new();
        let mut option_ids = HashSet::new();
        for spanned in raw.options {
            let at = line(spanned.span());
            let o = spanned.into_inner();
            let mut bad = |message: String, hint: String| {
                problems.push(Problem::new(path, Some(at), message).hint(hint))
            };
            let what = format!("option `{}` of `{}`", o.id, raw.id);
            if slugify(&o.id) != o.id {
                bad(
                    format!("the {what} has an id that is not a slug"),
                    "use lower-case letters, digits and hyphens".into(),
                );
            }
            if !option_ids.insert(o.id.clone()) {
                bad(
                    format!("the {what} is listed twice"),
                    "give every option of a question its own id".into(),
                );
            }
            for framework in frameworks {
                if !o.weights.contains_key(framework) {
                    bad(
                        format!("the {what} has no weight for `{framework}`"),
                        format!("add `{framework} = 0` (or more) to its weights"),
                    );
                }
            }
            for (framework, weight) in &o.weights {
                if !frameworks.is_empty() && !frameworks.contains(framework) {
                    bad(
                        format!("the {what} weighs an unknown framework `{framework}`"),
                        format!("use one of: {}", frameworks.join(", ")),
                    );
                }
                if *weight > MAX_WEIGHT {
                    bad(
                        format!("the {what} gives `{framework}` {weight} points"),
                        format!("weights run from 0 to {MAX_WEIGHT}; see /methodology"),
                    );
                }
            }
            if o.why.trim().is_empty() || o.why.contains('\n') {
                bad(
                    format!("the {what} needs a one-line `why`"),
                    "say in one line why this answer favours whom".into(),
                );
            }
            let scores = o.weights.values().any(|w| *w > 0);
            let link = match &o.fact {
                None if scores => {
                    bad(
                        format!("the {what} gives points but names no `fact`"),
                        "add `fact = \"…\"` naming the [[facts]] entry its weights score".into(),
                    );
                    String::new()
                }
                None => String::new(),
                Some(id) => match facts.get_mut(id) {
                    None => {
                        bad(
                            format!("the {what} scores an undeclared fact `{id}`"),
                            "declare it under [[facts]] with the topic section that establishes it"
                                .into(),
                        );
                        String::new()
                    }
                    Some((link, _, scored_by)) => {
                        match scored_by {
                            Some(other) if *other != raw.id => bad(
                                format!(
                                    "the fact `{id}` is scored by the questions `{other}` and `{}`",
                                    raw.id
                                ),
                                "a fact counts in one question only: score it in one, or split it into two facts".into(),
                            ),
                            _ => *scored_by = Some(raw.id.clone()),
                        }
                        link.clone()
                    }
                },
            };
            options.push(Choice {
                id: o.id,
                label: o.label,
                weights: frameworks
                    .iter()
                    .map(|f| o.weights.get(f).copied().unwrap_or(0))
                    .collect(),
                why: o.why,
                fact: o.fact.unwrap_or_default(),
                link,
            });
        }
        questions.push(Question {
            id: raw.id,
            prompt: raw.prompt,
            help: raw.help,
            error,
            kind: raw.kind,
            required: raw.required,
            options,
        });
    }
    for (id, (_, at, scored_by)) in &facts {
        if scored_by.is_none() {
            problems.push(
                Problem::new(
                    path,
                    Some(*at),
                    format!("the fact `{id}` is declared but no option scores it"),
                )
                .hint("name it in an option's `fact`, or remove it"),
            );
        }
    }
    let mut changes: Vec<(QuestionnaireChange, usize)> = file
        .changes
        .into_iter()
        .map(|spanned| {
            let at = line(spanned.span());
            (spanned.into_inner(), at)
        })
        .collect();
    changes.sort_by_key(|(change, _)| std::cmp::Reverse(change.date));
    let steps = steps(path, &text, file.steps, &questions, problems);
    Some(Loaded {
        questionnaire: Questionnaire {
            frameworks: frameworks.to_vec(),
            questions,
        },
        links,
        changes,
        steps,
    })
}

/// Checks that the steps, read in order, list every question once and in the questionnaire's
/// order, so that each step is a run of consecutive questions.
fn steps(
    path: &Path,
    text: &str,
    raw: Vec<Spanned<RawStep>>,
    questions: &[Question],
    problems: &mut Problems,
) -> Vec<Step> {
    let Some(first) = raw.first() else {
        return Vec::new();
    };
    let at = line_of(text, first.span().start);
    let listed: Vec<&str> = raw
        .iter()
        .flat_map(|step| step.get_ref().questions.iter().map(String::as_str))
        .collect();
    let ids: Vec<&str> = questions.iter().map(|q| q.id.as_str()).collect();
    if listed != ids {
        problems.push(
            Problem::new(
                path,
                Some(at),
                "the steps do not list every question once, in the order of [[questions]]",
            )
            .hint(format!("list them in this order: {}", ids.join(", "))),
        );
    }
    raw.into_iter()
        .map(|step| {
            let step = step.into_inner();
            Step {
                title: step.title,
                questions: step.questions.len(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::fmt::Write;

    use super::*;

    #[test]
    fn a_question_with_more_options_than_answers_can_hold_is_refused() {
        let mut text = String::from("[[facts]]\nid = \"f\"\nlink = \"/topics/t#s\"\n");
        for (question, options) in [("many", MAX_OPTIONS + 1), ("few", 2)] {
            let _ = write!(
                text,
                "[[questions]]\nid = \"{question}\"\nprompt = \"P?\"\nkind = \"single\"\nrequired = false\n"
            );
            for option in 0..options {
                let _ = write!(
                    text,
                    "[[questions.options]]\nid = \"o{option}\"\nlabel = \"L\"\nweights = {{ django = 0, flask = 0 }}\nwhy = \"W.\"\n"
                );
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("questionnaire.toml");
        std::fs::write(&path, text).unwrap();
        let mut problems = Problems::default();
        load(&path, &["django".into(), "flask".into()], &mut problems);
        let report = problems.to_string();
        assert!(
            report.contains(&format!(
                "the question `many` has {} options, more than {MAX_OPTIONS}",
                MAX_OPTIONS + 1
            )),
            "{report}"
        );
        assert!(!report.contains("`few`"), "{report}");
    }
}
