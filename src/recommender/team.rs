//! A team's combined result: every member's answers scored by the same weights and summed, the
//! same margin rules applied with the minimum leads scaled by the number of members, and the
//! questions where members disagree, each with whether settling it could change the outcome.
//! Pure and independent of the order people answered in: sums and sets do not care.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    add, chosen, decide_scaled, points, ranking, score_list, subtract, Answers, Change, Flip, Kind,
    Questionnaire, Reason, Recommendation,
};

/// The key under which members who gave no answer to a question are listed.
pub const NO_ANSWER: &str = "-";

/// A question the members answered differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    pub question: String,
    /// Option id (or [`NO_ANSWER`]) → the indices of the members who chose it, ascending.
    pub answers: BTreeMap<String, Vec<usize>>,
    /// Whether everyone answering one of these ways would change the team's outcome.
    pub changes_outcome: bool,
}

/// The team's result.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamResult {
    pub combined: Recommendation,
    pub disagreements: Vec<Disagreement>,
}

/// Combines the members' answers. With no members the result is an empty toss-up.
pub fn combine(q: &Questionnaire, members: &[Answers]) -> TeamResult {
    let n = members.len().max(1) as u32;
    let each: Vec<Vec<u32>> = members.iter().map(|a| points(q, a)).collect();
    let mut total = vec![0; q.frameworks.len()];
    for p in &each {
        add(&mut total, p);
    }
    let order = ranking(&total);
    let (confidence, winner) = decide_scaled(&total, &order, n);
    // Each reason once, its weight summed over the members who chose it, in questionnaire order.
    let mut summed: BTreeMap<(usize, usize, usize), Reason> = BTreeMap::new();
    for answers in members {
        for (question, choice) in chosen(q, answers) {
            let qi = q
                .questions
                .iter()
                .position(|x| x.id == question.id)
                .unwrap_or(0);
            let oi = question
                .options
                .iter()
                .position(|o| o.id == choice.id)
                .unwrap_or(0);
            for (fi, (framework, &weight)) in q.frameworks.iter().zip(&choice.weights).enumerate() {
                if weight == 0 {
                    continue;
                }
                summed
                    .entry((qi, oi, fi))
                    .and_modify(|r| r.weight += weight)
                    .or_insert_with(|| Reason {
                        question: question.id.clone(),
                        option: choice.id.clone(),
                        framework: framework.clone(),
                        weight,
                        fact: choice.fact.clone(),
                        why: choice.why.clone(),
                        link: choice.link.clone(),
                    });
            }
        }
    }
    let combined = Recommendation {
        recommendation: winner.map(|i| q.frameworks[i].clone()),
        confidence,
        scores: score_list(q, &total, &order),
        reasons: summed.into_values().collect(),
        flips: team_flips(q, members, &each, &total, winner, n),
    };
    let disagreements = disagreements(q, members, &each, &total, winner, n);
    TeamResult {
        combined,
        disagreements,
    }
}

/// The points one member's answer to `question` contributes.
fn contribution(q: &Questionnaire, question: usize, answers: &Answers) -> Vec<u32> {
    let question = &q.questions[question];
    let mut own = vec![0; q.frameworks.len()];
    for choice in question
        .options
        .iter()
        .filter(|o| answers.has(&question.id, &o.id))
    {
        add(&mut own, &choice.weights);
    }
    own
}

/// Every single answer change by a single member that would change the team's outcome, each
/// (question, option, change) listed once.
fn team_flips(
    q: &Questionnaire,
    members: &[Answers],
    each: &[Vec<u32>],
    total: &[u32],
    current: Option<usize>,
    n: u32,
) -> Vec<Flip> {
    let mut seen = BTreeSet::new();
    let mut flips = Vec::new();
    for (qi, question) in q.questions.iter().enumerate() {
        for (oi, choice) in question.options.iter().enumerate() {
            for (answers, _) in members.iter().zip(each) {
                let is_chosen = answers.has(&question.id, &choice.id);
                let mut changed = total.to_vec();
                let own = contribution(q, qi, answers);
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
                let (_, winner) = decide_scaled(&changed, &ranking(&changed), n);
                if winner != current && seen.insert((qi, oi, change as u8)) {
                    flips.push(Flip {
                        question: question.id.clone(),
                        option: choice.id.clone(),
                        change,
                        would_recommend: winner.map(|i| q.frameworks[i].clone()),
                    });
                }
            }
        }
    }
    flips
}

fn disagreements(
    q: &Questionnaire,
    members: &[Answers],
    each: &[Vec<u32>],
    total: &[u32],
    current: Option<usize>,
    n: u32,
) -> Vec<Disagreement> {
    let _ = each;
    let mut out = Vec::new();
    for (qi, question) in q.questions.iter().enumerate() {
        let mut answers: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut sets: BTreeSet<Vec<&str>> = BTreeSet::new();
        for (m, a) in members.iter().enumerate() {
            let picked: Vec<&str> = question
                .options
                .iter()
                .filter(|o| a.has(&question.id, &o.id))
                .map(|o| o.id.as_str())
                .collect();
            if picked.is_empty() {
                answers.entry(NO_ANSWER.to_owned()).or_default().push(m);
            }
            for id in &picked {
                answers.entry((*id).to_owned()).or_default().push(m);
            }
            sets.insert(picked);
        }
        if sets.len() < 2 {
            continue;
        }
        // Everyone's contribution to this question, taken out of the total.
        let mut without = total.to_vec();
        for a in members {
            subtract(&mut without, &contribution(q, qi, a));
        }
        let everyone = |weights: &[u32]| {
            let mut changed = without.clone();
            for _ in 0..members.len() {
                add(&mut changed, weights);
            }
            decide_scaled(&changed, &ranking(&changed), n).1
        };
        let zero = vec![0; q.frameworks.len()];
        let changes_outcome = match question.kind {
            // Everyone choosing one of the options given (or no answer) instead.
            Kind::Single => answers.keys().any(|id| {
                let weights = question.option(id).map_or(&zero, |o| &o.weights);
                everyone(weights) != current
            }),
            // Everyone ticking, or everyone unticking, one of the disputed boxes.
            Kind::Multi => question.options.iter().any(|o| {
                let ticked = answers.get(&o.id).map_or(0, Vec::len);
                if ticked == 0 || ticked == members.len() {
                    return false;
                }
                let mut all = without.clone();
                let mut none = without.clone();
                for a in members {
                    let mut own = contribution(q, qi, a);
                    let has = a.has(&question.id, &o.id);
                    add(&mut all, &own);
                    if !has {
                        add(&mut all, &o.weights);
                    }
                    if has {
                        subtract(&mut own, &o.weights);
                    }
                    add(&mut none, &own);
                }
                decide_scaled(&all, &ranking(&all), n).1 != current
                    || decide_scaled(&none, &ranking(&none), n).1 != current
            }),
        };
        out.push(Disagreement {
            question: question.id.clone(),
            answers,
            changes_outcome,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::recommender::recommend;
    use crate::recommender::tests::{all_answer_sets, sample};

    #[test]
    fn one_member_gets_the_result_they_would_get_alone() {
        let q = sample();
        for answers in all_answer_sets(&q).into_iter().take(200) {
            let alone = recommend(&q, &answers);
            let team = combine(&q, std::slice::from_ref(&answers));
            assert_eq!(team.combined.recommendation, alone.recommendation);
            assert_eq!(team.combined.confidence, alone.confidence);
            assert_eq!(team.combined.scores, alone.scores);
            assert!(team.disagreements.is_empty());
        }
    }

    #[test]
    fn an_even_split_is_a_toss_up_that_names_the_disagreement() {
        let q = sample();
        let sets = all_answer_sets(&q);
        let by = |winner: &str| {
            sets.iter()
                .find(|a| {
                    let r = recommend(&q, a);
                    r.recommendation.as_deref() == Some(winner)
                        && r.confidence == crate::recommender::Confidence::Strong
                })
                .cloned()
                .expect("the sample has a strong result for each framework")
        };
        let (d, f) = (by("django"), by("flask"));
        let team = combine(&q, &[d.clone(), f.clone()]);
        let djangos = team
            .combined
            .scores
            .iter()
            .find(|s| s.framework == "django")
            .unwrap()
            .score;
        let flasks = team
            .combined
            .scores
            .iter()
            .find(|s| s.framework == "flask")
            .unwrap()
            .score;
        if djangos.abs_diff(flasks) < 2 * crate::recommender::LEAN_LEAD {
            assert_eq!(
                team.combined.recommendation, None,
                "a close team result is a toss-up"
            );
        }
        assert!(!team.disagreements.is_empty());
        assert!(team.disagreements.iter().any(|x| x.changes_outcome));
    }

    proptest! {
        #[test]
        fn the_order_members_answered_in_never_matters(
            picks in proptest::collection::vec(0usize..10_000, 1..8),
            rotate in 0usize..8,
        ) {
            let q = sample();
            let sets = all_answer_sets(&q);
            let members: Vec<Answers> = picks.iter().map(|i| sets[i % sets.len()].clone()).collect();
            let mut other = members.clone();
            other.reverse();
            let k = rotate % other.len();
            other.rotate_left(k);
            let a = combine(&q, &members);
            let b = combine(&q, &other);
            prop_assert_eq!(&a.combined, &b.combined);
            // Disagreements list member indices; compare who-chose-what as counts.
            type Counts = Vec<(String, Vec<(String, usize)>, bool)>;
            let counts = |r: &TeamResult| -> Counts {
                r.disagreements.iter().map(|d| (
                    d.question.clone(),
                    d.answers.iter().map(|(k, v)| (k.clone(), v.len())).collect(),
                    d.changes_outcome,
                )).collect()
            };
            prop_assert_eq!(counts(&a), counts(&b));
        }
    }
}
