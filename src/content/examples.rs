//! `content/examples.toml`: example projects, each a full answer set with the outcome the site
//! should give it. `versus check` runs every one through the recommender and fails when an
//! outcome changes, so a weight edit that changes what a typical project is told is seen.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::front_matter;
use super::markdown::{self, Located};
use super::problem::{line_of, Problem, Problems};
use crate::recommender::{recommend, Answers, JsonAnswer, Questionnaire};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    examples: Vec<Spanned<RawExample>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExample {
    /// A slug, unique among the examples.
    id: String,
    /// What the project is, in a few words.
    title: String,
    /// One or two sentences about it.
    description: String,
    /// A full answer set, in the API's shape.
    answers: BTreeMap<String, JsonAnswer>,
    /// The expected outcome: a framework slug, or `toss-up`.
    expect: String,
    /// One paragraph of Markdown: why this outcome, with links to the topic sections.
    why: String,
}

/// An example project whose outcome the checks have confirmed.
#[derive(Debug, Clone)]
pub struct ExampleProject {
    pub id: String,
    pub title: String,
    pub description: String,
    pub answers: Answers,
    /// The winner the recommender gives, `None` for a toss-up (checked against `expect`).
    pub outcome: Option<String>,
    /// `why` rendered to HTML.
    pub why_html: String,
}

/// What loading found: the examples and their links (with lines) for the link checker.
#[derive(Debug, Default)]
pub struct Loaded {
    pub examples: Vec<ExampleProject>,
    pub links: Vec<Located>,
}

/// The outcome word for a winner: the framework slug, or `toss-up`.
pub fn outcome_word(winner: Option<&str>) -> &str {
    winner.unwrap_or("toss-up")
}

/// Loads `path` when it exists (a site may have no examples) and checks every example.
pub fn load(path: &Path, questionnaire: Option<&Questionnaire>, problems: &mut Problems) -> Loaded {
    if !path.is_file() {
        return Loaded::default();
    }
    let Some((text, file)) = front_matter::read_toml::<File>(
        path,
        "the example projects",
        "see docs/content.md for the examples file",
        problems,
    ) else {
        return Loaded::default();
    };
    let mut loaded = Loaded::default();
    let mut ids = Vec::new();
    for spanned in file.examples {
        let at = line_of(&text, spanned.span().start);
        let raw = spanned.into_inner();
        let mut bad = |message: String, hint: &str| {
            problems.push(Problem::new(path, Some(at), message).hint(hint));
        };
        if markdown::slugify(&raw.id) != raw.id || ids.contains(&raw.id) {
            bad(
                format!("the example id `{}` is not a unique slug", raw.id),
                "give every example its own id of lower-case letters, digits and hyphens",
            );
        }
        ids.push(raw.id.clone());
        let why = markdown::render(&raw.why, at, &[]);
        for misuse in &why.misuse {
            bad(
                format!("the example `{}`'s `why` contains {}", raw.id, misuse.text),
                "write one paragraph of plain Markdown",
            );
        }
        loaded
            .links
            .extend(why.internal_links.iter().map(|l| Located {
                text: l.text.clone(),
                line: at,
            }));
        // Without a questionnaire the answers cannot be checked; that problem is reported once.
        let Some(q) = questionnaire else { continue };
        let answers = match Answers::from_json(q, &raw.answers) {
            Ok(answers) => answers,
            Err(invalid) => {
                for e in invalid.errors {
                    bad(
                        format!("the example `{}`: {}: {}", raw.id, e.field, e.message),
                        "answer with the questionnaire's question and option ids (versus recommend --questions)",
                    );
                }
                continue;
            }
        };
        let expected_known = raw.expect == "toss-up" || q.frameworks.contains(&raw.expect);
        if !expected_known {
            bad(
                format!("the example `{}` expects `{}`", raw.id, raw.expect),
                &format!("expect one of: {}, toss-up", q.frameworks.join(", ")),
            );
            continue;
        }
        let rec = recommend(q, &answers);
        let got = outcome_word(rec.winner(q));
        if got != raw.expect {
            let scores: Vec<String> = rec
                .scores
                .iter()
                .map(|s| format!("{} {}", q.frameworks[s.framework], s.score))
                .collect();
            bad(
                format!(
                    "the example `{}` expects {} but the questionnaire gives {got} ({})",
                    raw.id,
                    raw.expect,
                    scores.join(", ")
                ),
                "if the weights changed on purpose, set `expect` to the new outcome and say why in `why`",
            );
            continue;
        }
        loaded.examples.push(ExampleProject {
            id: raw.id,
            title: raw.title,
            description: raw.description,
            answers,
            outcome: rec.winner(q).map(str::to_owned),
            why_html: why.html,
        });
    }
    loaded
}
