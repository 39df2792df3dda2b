//! A [`Recommendation`] as the JSON API, `versus recommend --json` and the OpenAPI document show
//! it: every position resolved into the questionnaire's ids and text. The recommender itself
//! works with positions (see [`Score`]), so these are made only where JSON is written, and
//! borrow their text from the questionnaire.

use serde::Serialize;

use super::{Change, Confidence, Flip, Questionnaire, Reason, Recommendation, Score};

#[derive(Debug, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Score)]
pub struct ScoreJson<'q> {
    pub framework: &'q str,
    pub score: u32,
    /// Share of all points, one decimal.
    pub percent: f64,
}

/// One chosen option's points for one framework.
#[derive(Debug, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Reason)]
pub struct ReasonJson<'q> {
    pub question: &'q str,
    pub option: &'q str,
    pub framework: &'q str,
    pub weight: u32,
    /// The fact scored, declared once in the questionnaire.
    pub fact: &'q str,
    pub why: &'q str,
    pub link: &'q str,
}

/// A single answer change that would change the outcome.
#[derive(Debug, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Flip)]
pub struct FlipJson<'q> {
    pub question: &'q str,
    pub option: &'q str,
    pub change: Change,
    /// The new outcome: a framework, or `None` for a toss-up.
    pub would_recommend: Option<&'q str>,
}

/// The recommender's answer, with everything needed to explain it.
#[derive(Debug, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Recommendation)]
pub struct RecommendationJson<'q> {
    /// The winner; `None` for a toss-up.
    pub recommendation: Option<&'q str>,
    pub confidence: Confidence,
    /// Best first; ties keep the display order.
    pub scores: Vec<ScoreJson<'q>>,
    pub reasons: Vec<ReasonJson<'q>>,
    pub flips: Vec<FlipJson<'q>>,
}

impl Recommendation {
    /// This recommendation with its positions resolved against `q`, the questionnaire that
    /// made it.
    pub fn resolve<'q>(&self, q: &'q Questionnaire) -> RecommendationJson<'q> {
        let framework = |i: usize| q.frameworks[i].as_str();
        RecommendationJson {
            recommendation: self.winner(q),
            confidence: self.confidence,
            scores: self
                .scores
                .iter()
                .map(|s: &Score| ScoreJson {
                    framework: framework(s.framework),
                    score: s.score,
                    percent: s.percent,
                })
                .collect(),
            reasons: self
                .reasons
                .iter()
                .map(|r: &Reason| {
                    let (question, choice) = q.choice(r.question, r.option);
                    ReasonJson {
                        question: &question.id,
                        option: &choice.id,
                        framework: framework(r.framework),
                        weight: r.weight,
                        fact: &choice.fact,
                        why: &choice.why,
                        link: &choice.link,
                    }
                })
                .collect(),
            flips: self
                .flips
                .iter()
                .map(|f: &Flip| {
                    let (question, choice) = q.choice(f.question, f.option);
                    FlipJson {
                        question: &question.id,
                        option: &choice.id,
                        change: f.change,
                        would_recommend: f.would_recommend.map(framework),
                    }
                })
                .collect(),
        }
    }
}
