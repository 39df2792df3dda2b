//! Pages that depend on the request: the questionnaire form, the recommendation, the decision
//! record. Each takes the recommender's output and resolves ids into labels; none scores anything.

use askama::Template;
use serde::Serialize;

use super::card::Whose;
use super::views::{DateView, Layout};
use super::Site;
use crate::paths;
use crate::recommender::{
    Answers, Change, Choice, Confidence, FieldError, Kind, Questionnaire, Recommendation,
    RecommendationJson,
};

/// An option as the form shows it.
pub struct OptionView<'a> {
    pub id: &'a str,
    pub input_id: String,
    pub label: &'a str,
    pub checked: bool,
}

/// A question as the form shows it, with its error if any.
pub struct QuestionView<'a> {
    pub id: &'a str,
    pub prompt: &'a str,
    pub help: &'a str,
    pub multi: bool,
    /// "required" or "optional" beside the prompt, whichever kind of question is the fewer.
    pub mark: Option<&'static str>,
    pub error: Option<&'a str>,
    pub options: Vec<OptionView<'a>>,
}

/// A named step of the form with its questions; one untitled step when the content names none.
pub struct StepView<'a> {
    /// The step's position from 1, for the heading's id and "Step 1 of 4".
    pub number: usize,
    pub title: &'a str,
    pub questions: Vec<QuestionView<'a>>,
}

/// An error-summary entry: the message and the input it links to.
pub struct SummaryItem<'a> {
    pub target: String,
    pub message: &'a str,
}

#[derive(Template)]
#[template(path = "recommend.html")]
pub struct FormView<'a> {
    pub layout: Layout<'a>,
    pub steps: Vec<StepView<'a>>,
    /// Which questions need an answer, said once above the form.
    pub required_note: String,
    pub errors: Vec<SummaryItem<'a>>,
    /// Example projects to try: title, description and permalink.
    pub examples: Vec<(&'a str, &'a str, String)>,
}

/// One framework's reasons on the result page.
pub struct ReasonGroup<'a> {
    pub name: &'a str,
    pub score: u32,
    /// The bar's length: the score against the highest score here, out of 100.
    pub bar: u32,
    pub reasons: Vec<ReasonView<'a>>,
}

pub struct ReasonView<'a> {
    pub question: &'a str,
    pub option: &'a str,
    pub weight: u32,
    pub why: &'a str,
    pub link: &'a str,
}

/// An answer that gave neither framework a point, with the questionnaire's reason.
pub struct UnmovedView<'a> {
    pub question: &'a str,
    pub option: &'a str,
    pub why: &'a str,
}

/// The answers that added no points, and the questions left unanswered.
pub struct NoPoints<'a> {
    /// Answers that favour neither framework, with the questionnaire's reason.
    pub unmoved: Vec<UnmovedView<'a>>,
    /// The prompts of the questions left unanswered.
    pub skipped: Vec<&'a str>,
}

impl<'a> NoPoints<'a> {
    pub fn new(q: &'a Questionnaire, answers: &Answers) -> Self {
        Self {
            unmoved: answers
                .options(q)
                .filter(|(_, choice)| choice.weights.iter().all(|&w| w == 0))
                .map(|(question, choice)| UnmovedView {
                    question: &question.prompt,
                    option: &choice.label,
                    why: &choice.why,
                })
                .collect(),
            skipped: q
                .questions
                .iter()
                .enumerate()
                .filter(|(at, _)| answers.chosen(*at).is_empty())
                .map(|(_, question)| question.prompt.as_str())
                .collect(),
        }
    }
}

/// A question and the answer given, for the summary.
pub struct AnswerView<'a> {
    pub question: &'a str,
    pub answer: String,
}

/// The recommendation with every id resolved: shared by the HTML page, the decision record and
/// the CLI, so they say the same thing.
pub struct Explained<'a> {
    pub rec: &'a Recommendation,
    /// "your answers", or "the team's answers".
    pub whose: &'static str,
    pub outcome: String,
    /// How firm the result is, agreeing with the flips: "strong", "lean", "fragile lead" (a
    /// winner that one changed answer would unseat) or "toss-up".
    pub standing: &'static str,
    /// A winner that one changed answer would unseat.
    pub fragile: bool,
    pub winner: Option<&'a str>,
    pub groups: Vec<ReasonGroup<'a>>,
    pub flips: Vec<String>,
    /// One person's answers that added nothing; `None` for a team, whose points are summed.
    pub no_points: Option<NoPoints<'a>>,
    pub answers: Vec<AnswerView<'a>>,
    /// The query string of the answers (the permalink's and "change your answers" link's).
    pub query: String,
    /// The permalink as an absolute URL, to show and paste.
    pub permalink: String,
    /// Site-relative links: the permalink, the form pre-filled, the decision record.
    pub links: AnswerLinks,
}

/// Where a set of answers leads on this site.
pub struct AnswerLinks {
    pub permalink: String,
    pub change: String,
    pub record: String,
    /// Starting a team decision with these answers ready for the organiser's own.
    pub team: String,
}

impl AnswerLinks {
    pub fn new(query: &str, version: &str) -> Self {
        Self {
            permalink: paths::permalink(query, version),
            change: paths::prefilled_form(query),
            record: paths::record(query),
            team: format!("{}?{query}", paths::TEAMS),
        }
    }
}

#[derive(Template)]
#[template(path = "recommendation.html")]
pub struct ResultView<'a> {
    pub layout: Layout<'a>,
    pub x: Explained<'a>,
    /// The example project whose answers these are exactly, if any: its title and description.
    pub example: Option<(&'a str, &'a str)>,
    /// Set when the permalink was made with an earlier questionnaire.
    pub made_with: Option<MadeWith>,
}

/// A permalink made with an earlier questionnaire: what the answers gave then and give now.
#[derive(Debug, Clone)]
pub struct MadeWith {
    /// The recorded change that replaced that version: its date and its anchor on the
    /// methodology page; `None` for a version this site does not keep.
    pub changed: Option<(DateView, String)>,
    /// The result then ("Django (strong)"); `None` when the version is not kept.
    pub then: Option<String>,
    pub now: String,
}

/// How the answers in `query` fared with the questionnaire at `version`, when that is not
/// today's; the earlier result is recomputed from the kept questionnaire, never guessed.
pub fn made_with(
    site: &Site,
    version: &str,
    query: &str,
    now: &Recommendation,
) -> Option<MadeWith> {
    if version == site.questionnaire_version() {
        return None;
    }
    let label = |q: &crate::recommender::Questionnaire, rec: &Recommendation| match rec.winner(q) {
        Some(slug) => {
            let name = site
                .content
                .framework(slug)
                .map_or(slug, |f| f.meta.name.as_str());
            format!("{name} ({})", rec.confidence.label())
        }
        None => "a toss-up".to_owned(),
    };
    let then = site.questionnaire_at(version).map(|q| {
        let answers =
            Answers::parse_urlencoded(q, query.as_bytes()).unwrap_or_else(|invalid| invalid.kept);
        label(q, &crate::recommender::recommend(q, &answers))
    });
    let changed = site
        .content
        .scoring_changes()
        .find(|(change, _)| change.from == version)
        .map(|(change, id)| (DateView::from(change.date), id));
    Some(MadeWith {
        changed,
        then,
        now: label(&site.content.questionnaire, now),
    })
}

/// Room for a whole recommendation page (the bundled questionnaire's are 12–15 KB), so that
/// rendering one never grows and copies its buffer. askama's own `render` starts from the
/// template's static text, a quarter of that.
const RESULT_PAGE_CAPACITY: usize = 16 * 1024;

impl ResultView<'_> {
    /// The page as HTML, rendered into one buffer of [`RESULT_PAGE_CAPACITY`].
    pub fn page(&self) -> askama::Result<String> {
        let mut page = String::with_capacity(RESULT_PAGE_CAPACITY);
        self.render_into(&mut page)?;
        Ok(page)
    }
}

/// The form, pre-filled with `answers` and showing `errors`.
pub fn form<'a>(site: &'a Site, answers: &Answers, errors: &'a [FieldError]) -> FormView<'a> {
    let q = &site.content.questionnaire;
    let required = q.questions.iter().filter(|q| q.required).count();
    // Marking the fewer kind says the same with less repetition.
    let mark_required = required * 2 <= q.questions.len();
    let mut questions = q
        .questions
        .iter()
        .enumerate()
        .map(|(at, question)| QuestionView {
            id: &question.id,
            prompt: &question.prompt,
            help: &question.help,
            multi: question.kind == Kind::Multi,
            mark: match (mark_required, question.required) {
                (true, true) => Some("required"),
                (false, false) => Some("optional"),
                _ => None,
            },
            error: errors
                .iter()
                .find(|e| e.field == question.id)
                .map(|e| e.message.as_str()),
            options: question
                .options
                .iter()
                .enumerate()
                .map(|(option, o)| OptionView {
                    id: &o.id,
                    input_id: input_id(&question.id, &o.id),
                    label: &o.label,
                    checked: answers.chosen(at).contains(option),
                })
                .collect(),
        });
    let steps = if site.content.questionnaire_steps.is_empty() {
        vec![StepView {
            number: 1,
            title: "",
            questions: questions.collect(),
        }]
    } else {
        site.content
            .questionnaire_steps
            .iter()
            .enumerate()
            .map(|(at, step)| StepView {
                number: at + 1,
                title: &step.title,
                questions: questions.by_ref().take(step.questions).collect(),
            })
            .collect()
    };
    let summary = errors
        .iter()
        .map(|e| SummaryItem {
            target: match q
                .question(&e.field)
                .and_then(|question| question.options.first())
            {
                Some(first) => input_id(&e.field, &first.id),
                None => "questions".to_owned(),
            },
            message: &e.message,
        })
        .collect();
    let title = if errors.is_empty() {
        "Which framework fits your project?"
    } else {
        "Error: Which framework fits your project?"
    };
    let description = format!(
        "Answer questions about your project and team; get a recommendation between {} that explains itself.",
        site.content.contenders(" and ")
    );
    let q = &site.content.questionnaire;
    FormView {
        layout: site.layout(paths::RECOMMEND, Some(title), &description),
        steps,
        required_note: required_note(required, mark_required),
        errors: summary,
        examples: site
            .content
            .examples
            .iter()
            .map(|ex| {
                (
                    ex.title.as_str(),
                    ex.description.as_str(),
                    paths::permalink(&ex.answers.to_query(q), site.questionnaire_version()),
                )
            })
            .collect(),
    }
}

/// The sentence above the form that says which questions need an answer, agreeing with the
/// marks beside the prompts.
fn required_note(required: usize, mark_required: bool) -> String {
    let skipped = "a question you skip adds no points to either framework";
    match (required, mark_required) {
        (0, _) => format!("Every question is optional: answer what you can, and {skipped}."),
        (1, true) => format!(
            "Only the question marked “required” needs an answer. Answer what else you can: {skipped}."
        ),
        (_, true) => format!(
            "Only the {required} questions marked “required” need an answer. Answer what else you can: {skipped}."
        ),
        (_, false) => format!(
            "Every question needs an answer except those marked “optional”: {skipped}."
        ),
    }
}

/// The id of an option's input; error-summary links point at the first one of a question.
pub fn input_id(question: &str, option: &str) -> String {
    format!("q-{question}-{option}")
}

/// Resolves a recommendation's ids into what people read.
pub fn explain<'a>(site: &'a Site, answers: &Answers, rec: &'a Recommendation) -> Explained<'a> {
    let mut x = explain_for(site, answers, rec, "your answers");
    x.no_points = Some(NoPoints::new(&site.content.questionnaire, answers));
    x
}

/// [`explain`], saying whose answers these are ("your answers", "the team's answers").
pub fn explain_for<'a>(
    site: &'a Site,
    answers: &Answers,
    rec: &'a Recommendation,
    whose: &'static str,
) -> Explained<'a> {
    let c = &site.content;
    let q: &Questionnaire = &c.questionnaire;
    // A framework's display name; the slug if the content had none (it always has one).
    let name = |framework: usize| -> &'a str {
        let slug = q.frameworks[framework].as_str();
        c.framework(slug).map_or(slug, |f| f.meta.name.as_str())
    };
    let first = &rec.scores[0];
    let second = rec.scores.get(1);
    let (runner, runner_score) = second.map_or(("", 0), |s| (name(s.framework), s.score));
    // "The changes below" only when there are some to show.
    let changes_below = !rec.flips.is_empty();
    let fragile = fragility(rec);
    let is_fragile = fragile.is_some();
    let standing = match (rec.confidence, &fragile) {
        (Confidence::TossUp, _) => "toss-up",
        (_, Some(_)) => "fragile lead",
        (Confidence::Strong, None) => "strong",
        (Confidence::Lean, None) => "lean",
    };
    let outcome = match (rec.confidence, fragile) {
        (Confidence::Strong | Confidence::Lean, Some(fragile)) => {
            let to = match (fragile.to_toss_up, fragile.to_framework) {
                (true, Some(other)) => format!("a toss-up or {}", name(other)),
                (false, Some(other)) => name(other).to_owned(),
                _ => "a toss-up".to_owned(),
            };
            // A team's lead is undone by one member's answer, a person's by their own.
            let whose_answer = if whose == "your answers" {
                "your answer"
            } else {
                "one member’s answer"
            };
            let changes = match fragile.questions {
                1 => "changing a single answer".to_owned(),
                n => format!("changing {whose_answer} to any one of {n} questions"),
            };
            format!(
                "{} leads for {whose}, {} to {}’s {}, but {changes} would make it {to}.",
                name(first.framework),
                points(first.score),
                runner,
                runner_score
            )
        }
        (Confidence::Strong, None) => format!(
            "{} is the clear choice for {whose}: {} to {}’s {}.",
            name(first.framework), points(first.score), runner, runner_score
        ),
        (Confidence::Lean, None) => format!(
            "{} lean towards {}: {} to {}’s {}, a narrow margin.",
            capitalised(whose),
            name(first.framework), points(first.score), runner, runner_score
        ),
        (Confidence::TossUp, _) if changes_below => format!(
            "It’s a toss-up: {} {}, {} {}. Neither framework is clearly better for {whose}; the changes below would decide it.",
            name(first.framework), points(first.score), runner, runner_score
        ),
        (Confidence::TossUp, _) => format!(
            "It’s a toss-up: {} {}, {} {}. Neither framework is clearly better for {whose}.",
            name(first.framework), points(first.score), runner, runner_score
        ),
    };
    let highest = rec.scores.iter().map(|s| s.score).max().unwrap_or(0);
    let groups = rec
        .scores
        .iter()
        .map(|score| ReasonGroup {
            name: name(score.framework),
            score: score.score,
            bar: (score.score * 100).checked_div(highest).unwrap_or(0),
            reasons: rec
                .reasons
                .iter()
                .filter(|r| r.framework == score.framework)
                .map(|r| {
                    let (question, choice) = q.choice(r.question, r.option);
                    ReasonView {
                        question: &question.prompt,
                        option: &choice.label,
                        weight: r.weight,
                        why: &choice.why,
                        link: &choice.link,
                    }
                })
                .collect(),
        })
        .collect();
    let flips = rec
        .flips
        .iter()
        .map(|f| {
            let (question, choice) = q.choice(f.question, f.option);
            let (question, option) = (question.prompt.as_str(), choice.label.as_str());
            let change = match f.change {
                Change::Choose => format!("Answering “{question}” with “{option}”"),
                Change::Remove => format!("Unticking “{option}” for “{question}”"),
                Change::Skip => format!("Leaving “{question}” unanswered"),
            };
            match f.would_recommend {
                Some(framework) => format!("{change} would make it {}.", name(framework)),
                None => format!("{change} would make it a toss-up."),
            }
        })
        .collect();
    let answers_view = answers
        .by_question(q)
        .map(|(question, chosen)| AnswerView {
            question: &question.prompt,
            answer: labels(&chosen),
        })
        .collect();
    let query = answers.to_query(q);
    Explained {
        rec,
        whose,
        outcome,
        standing,
        fragile: is_fragile,
        winner: rec.recommendation.map(name),
        groups,
        flips,
        no_points: None,
        answers: answers_view,
        permalink: site.url(&paths::permalink(&query, site.questionnaire_version())),
        links: AnswerLinks::new(&query, site.questionnaire_version()),
        query,
    }
}

/// How easily a winner would be unseated: the questions where one changed answer would give a
/// toss-up or the other framework, and which of those outcomes they give.
#[derive(Debug, PartialEq, Eq)]
struct Fragility {
    questions: usize,
    to_toss_up: bool,
    to_framework: Option<usize>,
}

/// `None` when there is no winner, or no single change of answer would unseat it.
fn fragility(rec: &Recommendation) -> Option<Fragility> {
    rec.recommendation?;
    let mut questions: Vec<usize> = rec.flips.iter().map(|f| f.question).collect();
    questions.dedup();
    (!questions.is_empty()).then(|| Fragility {
        questions: questions.len(),
        to_toss_up: rec.flips.iter().any(|f| f.would_recommend.is_none()),
        to_framework: rec.flips.iter().find_map(|f| f.would_recommend),
    })
}

/// The labels of the options chosen for one question, as a recommendation and a team page show
/// an answer: "Django Admin; An API".
pub fn labels(chosen: &[&Choice]) -> String {
    chosen
        .iter()
        .map(|o| o.label.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// `text` with its first letter in upper case.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// "1 point", "3 points".
fn points(n: u32) -> String {
    if n == 1 {
        "1 point".to_owned()
    } else {
        format!("{n} points")
    }
}

/// The recommendation page.
pub fn result<'a>(site: &'a Site, answers: &Answers, rec: &'a Recommendation) -> ResultView<'a> {
    let x = explain(site, answers, rec);
    // Matching the answers, not a flag in the address, so an edited example no longer claims
    // to be one and permalinks stay as they are.
    let example = site
        .content
        .examples
        .iter()
        .find(|ex| ex.answers == *answers)
        .map(|ex| (ex.title.as_str(), ex.description.as_str()));
    let title = match (x.winner, example) {
        (Some(winner), Some((example, _))) => format!("{example}: {winner}"),
        (None, Some((example, _))) => format!("{example}: a toss-up"),
        (Some(winner), None) => format!("Recommendation: {winner}"),
        (None, None) => "Recommendation: a toss-up".to_owned(),
    };
    let mut layout = site.layout(&x.links.permalink, Some(&title), &x.outcome);
    layout.card = site
        .cards
        .outcome(
            Whose::One,
            rec.winner(&site.content.questionnaire),
            // The shared card never calls a fragile lead the clear choice.
            if x.fragile {
                Confidence::Lean
            } else {
                rec.confidence
            },
        )
        .map(|card| site.renderer().card(card));
    layout.oembed = Some(site.renderer().oembed_of(&x.links.permalink));
    layout.labels = super::embed::recommendation_labels(&x);
    ResultView {
        layout,
        x,
        example,
        made_with: None,
    }
}

/// What the JSON API and `versus recommend --json` answer: the recommendation and its
/// permalink as an absolute URL (the recommender itself knows no URLs).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Published<'a> {
    #[serde(flatten)]
    pub recommendation: RecommendationJson<'a>,
    pub permalink: String,
}

/// `rec` for `answers`, ready to serialise.
pub fn published<'a>(site: &'a Site, answers: &Answers, rec: &Recommendation) -> Published<'a> {
    let q = &site.content.questionnaire;
    Published {
        recommendation: rec.resolve(q),
        permalink: site.url(&paths::permalink(
            &answers.to_query(q),
            site.questionnaire_version(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recommender::{Flip, Score};

    fn rec(winner: Option<usize>, confidence: Confidence, flips: Vec<Flip>) -> Recommendation {
        Recommendation {
            recommendation: winner,
            confidence,
            scores: vec![
                Score {
                    framework: 0,
                    score: 9,
                    percent: 75.0,
                },
                Score {
                    framework: 1,
                    score: 3,
                    percent: 25.0,
                },
            ],
            reasons: Vec::new(),
            flips,
        }
    }

    fn flip(question: usize, option: usize, change: Change, to: Option<usize>) -> Flip {
        Flip {
            question,
            option,
            change,
            would_recommend: to,
        }
    }

    #[test]
    fn a_winner_without_flips_is_not_fragile() {
        assert_eq!(
            fragility(&rec(Some(0), Confidence::Strong, Vec::new())),
            None
        );
    }

    #[test]
    fn a_toss_up_is_never_called_a_fragile_lead() {
        let flips = vec![flip(0, 1, Change::Choose, Some(0))];
        assert_eq!(fragility(&rec(None, Confidence::TossUp, flips)), None);
    }

    #[test]
    fn fragility_counts_questions_not_changes_and_says_where_they_lead() {
        // Two changes of one question (choosing another option, or skipping it) count once.
        let flips = vec![
            flip(2, 0, Change::Choose, None),
            flip(2, 1, Change::Skip, None),
            flip(5, 3, Change::Choose, Some(1)),
        ];
        assert_eq!(
            fragility(&rec(Some(0), Confidence::Strong, flips)),
            Some(Fragility {
                questions: 2,
                to_toss_up: true,
                to_framework: Some(1),
            })
        );
    }

    #[test]
    fn the_required_note_agrees_with_the_marks() {
        assert!(required_note(0, true).starts_with("Every question is optional"));
        assert!(required_note(1, true).starts_with("Only the question marked “required” needs"));
        assert!(required_note(3, true).starts_with("Only the 3 questions marked “required” need"));
        assert!(required_note(10, false).contains("except those marked “optional”"));
    }
}
