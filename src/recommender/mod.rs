//! The shared recommender: a pure function of (questionnaire, answers) → recommendation.
//! The HTML form, the permalink page, the decision record, the JSON API and the CLI all call
//! [`recommend`], so they cannot disagree. Nothing here knows about HTTP.

mod answers;

use std::collections::BTreeMap;

use serde::Serialize;

pub use answers::{Answers, FieldError, Invalid, JsonAnswer};

/// A margin of at least this share of all points is a strong recommendation.
pub const STRONG: f64 = 0.25;
/// A margin of at least this share (and less than [`STRONG`]) leans one way; below it is a toss-up.
pub const LEAN: f64 = 0.10;
/// A strong recommendation also needs a lead of this many points, so tiny totals stay modest.
pub const STRONG_LEAD: u32 = 4;
/// Any recommendation needs a lead of this many points; less is a toss-up.
pub const LEAN_LEAD: u32 = 2;

/// The questions, in order, with what each option is worth to each framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Questionnaire {
    /// Framework slugs in display order.
    #[serde(skip)]
    pub frameworks: Vec<String>,
    pub questions: Vec<Question>,
}

/// Radios or checkboxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Single,
    Multi,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    pub id: String,
    pub prompt: String,
    pub help: String,
    pub kind: Kind,
    pub required: bool,
    pub options: Vec<Choice>,
}

/// One option of a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub id: String,
    pub label: String,
    /// Points per framework slug.
    #[serde(skip)]
    pub weights: BTreeMap<String, u32>,
    /// One line: why this answer favours whom.
    #[serde(skip)]
    pub why: String,
    /// The topic section that justifies the weights.
    #[serde(skip)]
    pub link: String,
}

impl Questionnaire {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

impl Question {
    pub fn option(&self, id: &str) -> Option<&Choice> {
        self.options.iter().find(|o| o.id == id)
    }
}

/// How clear the outcome is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Confidence {
    #[serde(rename = "strong")]
    Strong,
    #[serde(rename = "lean")]
    Lean,
    #[serde(rename = "toss-up")]
    TossUp,
}

impl Confidence {
    pub fn label(self) -> &'static str {
        match self {
            Self::Strong => "strong",
            Self::Lean => "lean",
            Self::TossUp => "toss-up",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub framework: String,
    pub score: u32,
    /// Share of all points, one decimal.
    pub percent: f64,
}

/// One chosen option's points for one framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub question: String,
    pub option: String,
    pub framework: String,
    pub weight: u32,
    pub why: String,
    pub link: String,
}

/// What a single change of answer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Choose this option (instead of the current one, for a single-choice question).
    Choose,
    /// Untick this option of a multi-choice question.
    Remove,
    /// Leave this optional question unanswered.
    Skip,
}

/// A single answer change that would change the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flip {
    pub question: String,
    pub option: String,
    pub change: Change,
    /// The new outcome: a framework, or `None` for a toss-up.
    pub would_recommend: Option<String>,
}

/// The recommender's answer, with everything needed to explain it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// The winner; `None` for a toss-up.
    pub recommendation: Option<String>,
    pub confidence: Confidence,
    /// Best first; ties keep the display order.
    pub scores: Vec<Score>,
    pub reasons: Vec<Reason>,
    pub flips: Vec<Flip>,
    /// `/recommendation?…`: the same answers as a link.
    pub permalink: String,
}

/// Scores `answers` against `questionnaire`. Deterministic and independent of answer order.
pub fn recommend(questionnaire: &Questionnaire, answers: &Answers) -> Recommendation {
    let (scores, confidence, recommendation) = outcome(questionnaire, answers);
    let mut reasons = Vec::new();
    for question in &questionnaire.questions {
        for choice in question
            .options
            .iter()
            .filter(|o| answers.has(&question.id, &o.id))
        {
            for framework in &questionnaire.frameworks {
                let weight = choice.weights.get(framework).copied().unwrap_or(0);
                if weight > 0 {
                    reasons.push(Reason {
                        question: question.id.clone(),
                        option: choice.id.clone(),
                        framework: framework.clone(),
                        weight,
                        why: choice.why.clone(),
                        link: choice.link.clone(),
                    });
                }
            }
        }
    }
    let flips = flips(questionnaire, answers, recommendation.as_deref());
    Recommendation {
        recommendation,
        confidence,
        scores,
        reasons,
        flips,
        permalink: format!("/recommendation?{}", answers.to_query(questionnaire)),
    }
}

/// Scores, confidence and winner, without the explanation.
fn outcome(q: &Questionnaire, answers: &Answers) -> (Vec<Score>, Confidence, Option<String>) {
    let mut points: Vec<(usize, &String, u32)> = q
        .frameworks
        .iter()
        .enumerate()
        .map(|(i, f)| (i, f, 0))
        .collect();
    for question in &q.questions {
        for choice in question
            .options
            .iter()
            .filter(|o| answers.has(&question.id, &o.id))
        {
            for (_, framework, total) in &mut points {
                *total += choice.weights.get(*framework).copied().unwrap_or(0);
            }
        }
    }
    points.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let total: u32 = points.iter().map(|p| p.2).sum();
    let n = points.len().max(1) as f64;
    let scores: Vec<Score> = points
        .iter()
        .map(|(_, framework, score)| Score {
            framework: (*framework).clone(),
            score: *score,
            percent: if total == 0 {
                (1000.0 / n).round() / 10.0
            } else {
                (f64::from(*score) * 1000.0 / f64::from(total)).round() / 10.0
            },
        })
        .collect();
    let lead = match (scores.first(), scores.get(1)) {
        (Some(first), Some(second)) => first.score - second.score,
        (Some(first), None) => first.score,
        _ => 0,
    };
    let margin = if total > 0 {
        f64::from(lead) / f64::from(total)
    } else {
        0.0
    };
    let confidence = if margin >= STRONG && lead >= STRONG_LEAD {
        Confidence::Strong
    } else if margin >= LEAN && lead >= LEAN_LEAD {
        Confidence::Lean
    } else {
        Confidence::TossUp
    };
    let winner = match confidence {
        Confidence::TossUp => None,
        _ => scores.first().map(|s| s.framework.clone()),
    };
    (scores, confidence, winner)
}

/// Every single-answer change whose outcome differs from `current`.
fn flips(q: &Questionnaire, answers: &Answers, current: Option<&str>) -> Vec<Flip> {
    let mut flips = Vec::new();
    let mut consider = |changed: Answers, question: &Question, option: &Choice, change: Change| {
        let (_, _, winner) = outcome(q, &changed);
        if winner.as_deref() != current {
            flips.push(Flip {
                question: question.id.clone(),
                option: option.id.clone(),
                change,
                would_recommend: winner,
            });
        }
    };
    for question in &q.questions {
        for choice in &question.options {
            let chosen = answers.has(&question.id, &choice.id);
            match (question.kind, chosen) {
                (Kind::Single, false) => consider(
                    answers.with_only(&question.id, &choice.id),
                    question,
                    choice,
                    Change::Choose,
                ),
                (Kind::Single, true) if !question.required => consider(
                    answers.without_question(&question.id),
                    question,
                    choice,
                    Change::Skip,
                ),
                (Kind::Single, true) => {}
                (Kind::Multi, false) => consider(
                    answers.with_added(&question.id, &choice.id),
                    question,
                    choice,
                    Change::Choose,
                ),
                (Kind::Multi, true) => consider(
                    answers.with_removed(&question.id, &choice.id),
                    question,
                    choice,
                    Change::Remove,
                ),
            }
        }
    }
    flips
}

#[cfg(test)]
pub(crate) mod tests;
