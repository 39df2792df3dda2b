//! The shared recommender: a pure function of (questionnaire, answers) → recommendation.
//! The HTML form, the permalink page, the decision record, the JSON API and the CLI all call
//! [`recommend`], so they cannot disagree. Nothing here knows about HTTP.

mod answers;
mod json;
pub mod team;

use serde::Serialize;

pub use answers::{Answers, Chosen, FieldError, Invalid, JsonAnswer, MAX_OPTIONS};
pub use json::{FlipJson, ReasonJson, RecommendationJson, ScoreJson};

/// A margin of at least this share of all points is a strong recommendation.
pub const STRONG: f64 = 0.25;
/// A margin of at least this share (and less than [`STRONG`]) leans one way; below it is a toss-up.
pub const LEAN: f64 = 0.10;
/// A strong recommendation also needs a lead of this many points, so tiny totals stay modest.
pub const STRONG_LEAD: u32 = 4;
/// Any recommendation needs a lead of this many points; less is a toss-up.
pub const LEAN_LEAD: u32 = 2;

/// The questions, in order, with what each option is worth to each framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Questionnaire {
    /// Framework slugs in display order.
    #[serde(skip)]
    pub frameworks: Vec<String>,
    pub questions: Vec<Question>,
}

/// Radios or checkboxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Single,
    Multi,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Question {
    pub id: String,
    pub prompt: String,
    pub help: String,
    /// What to do when this required question has no answer; empty for the default message.
    #[serde(skip)]
    pub error: String,
    pub kind: Kind,
    pub required: bool,
    pub options: Vec<Choice>,
}

/// One option of a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Choice {
    pub id: String,
    pub label: String,
    /// Points for each framework, in the questionnaire's framework order.
    #[serde(skip)]
    pub weights: Vec<u32>,
    /// One line: why this answer favours whom.
    #[serde(skip)]
    pub why: String,
    /// The fact the weights score (empty when the option scores nothing).
    #[serde(skip)]
    pub fact: String,
    /// The topic section that establishes the fact.
    #[serde(skip)]
    pub link: String,
}

impl Questionnaire {
    /// The option at `option` of the question at `question` (positions from a [`Reason`] or a
    /// [`Flip`] of this questionnaire).
    pub fn choice(&self, question: usize, option: usize) -> (&Question, &Choice) {
        let question = &self.questions[question];
        (question, &question.options[option])
    }

    /// The most points each framework can reach, in framework order: the best option of every
    /// single-choice question plus every option of every multi-choice question.
    pub fn highest_scores(&self) -> Vec<u32> {
        let mut best = vec![0; self.frameworks.len()];
        for question in &self.questions {
            for (i, total) in best.iter_mut().enumerate() {
                let weights = question
                    .options
                    .iter()
                    .map(|o| o.weights.get(i).copied().unwrap_or(0));
                *total += match question.kind {
                    Kind::Single => weights.max().unwrap_or(0),
                    Kind::Multi => weights.sum(),
                };
            }
        }
        best
    }

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
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

/// A framework's points. Frameworks, questions and options are named by their positions in the
/// questionnaire, so working out a recommendation copies no text and reading one looks nothing
/// up; [`Recommendation::resolve`] gives the ids, as the JSON API shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// The framework's position in [`Questionnaire::frameworks`].
    pub framework: usize,
    pub score: u32,
    /// Share of all points, one decimal.
    pub percent: f64,
}

/// One chosen option's points for one framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The question's position in the questionnaire.
    pub question: usize,
    /// The option's position in its question.
    pub option: usize,
    pub framework: usize,
    pub weight: u32,
}

/// What a single change of answer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flip {
    pub question: usize,
    pub option: usize,
    pub change: Change,
    /// The new outcome: a framework, or `None` for a toss-up.
    pub would_recommend: Option<usize>,
}

/// The recommender's answer, with everything needed to explain it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    /// The winner; `None` for a toss-up.
    pub recommendation: Option<usize>,
    pub confidence: Confidence,
    /// Best first; ties keep the display order.
    pub scores: Vec<Score>,
    pub reasons: Vec<Reason>,
    pub flips: Vec<Flip>,
}

impl Recommendation {
    /// The winner's slug; `None` for a toss-up.
    pub fn winner<'q>(&self, q: &'q Questionnaire) -> Option<&'q str> {
        self.recommendation.map(|i| q.frameworks[i].as_str())
    }
}

/// Just the outcome of `answers`: the winner (`None` for a toss-up) and the confidence, without
/// the reasons and the flips that [`recommend`] also works out (a team page needs only this for
/// each member).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub recommendation: Option<String>,
    pub confidence: Confidence,
}

pub fn outcome(questionnaire: &Questionnaire, answers: &Answers) -> Outcome {
    let points = points(questionnaire, answers);
    let (confidence, winner) = decide(&points);
    Outcome {
        recommendation: winner.map(|i| questionnaire.frameworks[i].clone()),
        confidence,
    }
}

/// Scores `answers` against `questionnaire`. Deterministic and independent of answer order.
pub fn recommend(questionnaire: &Questionnaire, answers: &Answers) -> Recommendation {
    let points = points(questionnaire, answers);
    let order = ranking(&points);
    let (confidence, winner) = decide(&points);
    let scores = score_list(&points, &order);
    let mut reasons = Vec::new();
    for (question, option, choice) in answers.positions(questionnaire) {
        for (framework, &weight) in choice.weights.iter().enumerate() {
            if weight > 0 {
                reasons.push(Reason {
                    question,
                    option,
                    framework,
                    weight,
                });
            }
        }
    }
    Recommendation {
        recommendation: winner,
        confidence,
        scores,
        reasons,
        flips: flips(questionnaire, answers, &points, winner),
    }
}

/// The scores in `order`, each with its share of all points (equal shares when there are none).
fn score_list(points: &[u32], order: &[usize]) -> Vec<Score> {
    let total: u32 = points.iter().sum();
    let n = points.len().max(1) as f64;
    order
        .iter()
        .map(|&i| Score {
            framework: i,
            score: points[i],
            percent: if total == 0 {
                (1000.0 / n).round() / 10.0
            } else {
                (f64::from(points[i]) * 1000.0 / f64::from(total)).round() / 10.0
            },
        })
        .collect()
}

/// Points per framework, in the questionnaire's framework order.
fn points(q: &Questionnaire, answers: &Answers) -> Vec<u32> {
    let mut points = vec![0; q.frameworks.len()];
    for (_, choice) in answers.options(q) {
        add(&mut points, &choice.weights);
    }
    points
}

fn add(points: &mut [u32], weights: &[u32]) {
    for (p, w) in points.iter_mut().zip(weights) {
        *p += w;
    }
}

fn subtract(points: &mut [u32], weights: &[u32]) {
    for (p, w) in points.iter_mut().zip(weights) {
        *p -= w;
    }
}

/// Framework indices, best first; ties keep the display order.
fn ranking(points: &[u32]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| points[b].cmp(&points[a]).then(a.cmp(&b)));
    order
}

/// The best and the second-best framework (indices), as [`ranking`] orders them, without
/// sorting or allocating: [`decide`] runs once for every option when the flips are worked out.
fn top_two(points: &[u32]) -> (Option<usize>, Option<usize>) {
    let (mut first, mut second): (Option<usize>, Option<usize>) = (None, None);
    for (i, &p) in points.iter().enumerate() {
        if first.is_none_or(|f| p > points[f]) {
            second = first;
            first = Some(i);
        } else if second.is_none_or(|s| p > points[s]) {
            second = Some(i);
        }
    }
    (first, second)
}

/// The confidence label and the winner (an index; `None` for a toss-up).
fn decide(points: &[u32]) -> (Confidence, Option<usize>) {
    decide_scaled(points, 1)
}

/// [`decide`] for points summed over `members` people: the margin is a share, so it needs no
/// scaling, and the minimum leads are multiplied by the number of members, so a team's result
/// is as strong as its average member's would be.
fn decide_scaled(points: &[u32], members: u32) -> (Confidence, Option<usize>) {
    let total: u32 = points.iter().sum();
    let (best, runner_up) = top_two(points);
    let first = best.map_or(0, |i| points[i]);
    let second = runner_up.map_or(0, |i| points[i]);
    let lead = first - second;
    let margin = if total > 0 {
        f64::from(lead) / f64::from(total)
    } else {
        0.0
    };
    let confidence = if margin >= STRONG && lead >= STRONG_LEAD * members {
        Confidence::Strong
    } else if margin >= LEAN && lead >= LEAN_LEAD * members {
        Confidence::Lean
    } else {
        Confidence::TossUp
    };
    let winner = match confidence {
        Confidence::TossUp => None,
        _ => best,
    };
    (confidence, winner)
}

/// Every single-answer change whose outcome differs from `current`. Each change is scored by
/// adjusting the current points, not by scoring a changed copy of the answers.
fn flips(
    q: &Questionnaire,
    answers: &Answers,
    points: &[u32],
    current: Option<usize>,
) -> Vec<Flip> {
    let mut flips = Vec::new();
    let mut changed = points.to_vec();
    let mut own = vec![0; points.len()];
    for (at, question) in q.questions.iter().enumerate() {
        let chosen = answers.chosen(at);
        // The points this question contributes now.
        own.fill(0);
        for option in chosen.positions() {
            if let Some(choice) = question.options.get(option) {
                add(&mut own, &choice.weights);
            }
        }
        for (option, choice) in question.options.iter().enumerate() {
            let is_chosen = chosen.contains(option);
            changed.copy_from_slice(points);
            let change = match (question.kind, is_chosen) {
                (Kind::Single, false) => {
                    subtract(&mut changed, &own);
                    add(&mut changed, &choice.weights);
                    Change::Choose
                }
                (Kind::Single, true) if !question.required => {
                    subtract(&mut changed, &own);
                    Change::Skip
                }
                (Kind::Single, true) => continue,
                (Kind::Multi, false) => {
                    add(&mut changed, &choice.weights);
                    Change::Choose
                }
                (Kind::Multi, true) => {
                    subtract(&mut changed, &choice.weights);
                    Change::Remove
                }
            };
            let (_, winner) = decide(&changed);
            if winner != current {
                flips.push(Flip {
                    question: at,
                    option,
                    change,
                    would_recommend: winner,
                });
            }
        }
    }
    flips
}

#[cfg(test)]
pub(crate) mod tests;
