//! A team's combined result: every member's answers scored by the same weights and summed, the
//! same margin rules applied with the minimum leads scaled by the number of members, and the
//! questions where members disagree, each with whether settling it could change the outcome.
//! Pure and independent of the order people answered in: sums and sets do not care.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    add, decide_scaled, ranking, score_list, subtract, Answers, Change, Flip, Kind, Questionnaire,
    Reason, Recommendation,
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

/// The points an answer to question `qi` adds.
fn contribution(q: &Questionnaire, answers: &Answers, qi: usize) -> Vec<u32> {
    let mut own = vec![0; q.frameworks.len()];
    let options = &q.questions[qi].options;
    for choice in answers
        .chosen(qi)
        .positions()
        .filter_map(|o| options.get(o))
    {
        add(&mut own, &choice.weights);
    }
    own
}

/// Combines the members' answers. With no members the result is an empty toss-up.
pub fn combine(q: &Questionnaire, members: &[Answers]) -> TeamResult {
    let n = members.len().max(1) as u32;
    let mut total = vec![0; q.frameworks.len()];
    for answers in members {
        for qi in 0..q.questions.len() {
            add(&mut total, &contribution(q, answers, qi));
        }
    }
    let order = ranking(&total);
    let (confidence, winner) = decide_scaled(&total, n);
    // Each reason once, its weight summed over the members who chose it, in questionnaire order.
    let mut reasons = Vec::new();
    for (qi, question) in q.questions.iter().enumerate() {
        for (oi, choice) in question.options.iter().enumerate() {
            let count = members.iter().filter(|a| a.chosen(qi).contains(oi)).count() as u32;
            if count == 0 {
                continue;
            }
            for (framework, &weight) in choice.weights.iter().enumerate() {
                if weight > 0 {
                    reasons.push(Reason {
                        question: qi,
                        option: oi,
                        framework,
                        weight: weight * count,
                    });
                }
            }
        }
    }
    let combined = Recommendation {
        recommendation: winner,
        confidence,
        scores: score_list(&total, &order),
        reasons,
        flips: team_flips(q, members, &total, winner, n),
    };
    let disagreements = disagreements(q, members, &total, winner, n);
    TeamResult {
        combined,
        disagreements,
    }
}

/// Every single answer change by a single member that would change the team's outcome, each
/// (question, option, change) listed once.
fn team_flips(
    q: &Questionnaire,
    members: &[Answers],
    total: &[u32],
    current: Option<usize>,
    n: u32,
) -> Vec<Flip> {
    let mut flips = Vec::new();
    for (qi, question) in q.questions.iter().enumerate() {
        // Each member's points from this question, worked out once per question.
        let own: Vec<Vec<u32>> = members.iter().map(|a| contribution(q, a, qi)).collect();
        for (oi, choice) in question.options.iter().enumerate() {
            let mut found: BTreeSet<u8> = BTreeSet::new();
            for (answers, own) in members.iter().zip(&own) {
                let change = match (question.kind, answers.chosen(qi).contains(oi)) {
                    (Kind::Single, false) => Change::Choose,
                    (Kind::Single, true) if !question.required => Change::Skip,
                    (Kind::Single, true) => continue,
                    (Kind::Multi, false) => Change::Choose,
                    (Kind::Multi, true) => Change::Remove,
                };
                if found.contains(&(change as u8)) {
                    continue;
                }
                let mut changed = total.to_vec();
                match change {
                    Change::Choose if question.kind == Kind::Single => {
                        subtract(&mut changed, own);
                        add(&mut changed, &choice.weights);
                    }
                    Change::Choose => add(&mut changed, &choice.weights),
                    Change::Skip => subtract(&mut changed, own),
                    Change::Remove => subtract(&mut changed, &choice.weights),
                }
                let (_, winner) = decide_scaled(&changed, n);
                if winner != current {
                    found.insert(change as u8);
                    flips.push(Flip {
                        question: qi,
                        option: oi,
                        change,
                        would_recommend: winner,
                    });
                }
            }
        }
    }
    flips
}

fn disagreements(
    q: &Questionnaire,
    team: &[Answers],
    total: &[u32],
    current: Option<usize>,
    n: u32,
) -> Vec<Disagreement> {
    let members = team.len();
    let mut out = Vec::new();
    for (qi, question) in q.questions.iter().enumerate() {
        if team
            .windows(2)
            .all(|pair| pair[0].chosen(qi) == pair[1].chosen(qi))
        {
            continue;
        }
        let mut answers: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (m, member) in team.iter().enumerate() {
            let chosen = member.chosen(qi);
            if chosen.is_empty() {
                answers.entry(NO_ANSWER.to_owned()).or_default().push(m);
            }
            for o in chosen.positions().filter_map(|o| question.options.get(o)) {
                answers.entry(o.id.clone()).or_default().push(m);
            }
        }
        // Everyone's contribution to this question, taken out of the total.
        let own: Vec<Vec<u32>> = team.iter().map(|a| contribution(q, a, qi)).collect();
        let mut without = total.to_vec();
        for c in &own {
            subtract(&mut without, c);
        }
        let outcome = |points: &[u32]| decide_scaled(points, n).1;
        let zero = vec![0; q.frameworks.len()];
        let changes_outcome = match question.kind {
            // Everyone choosing one of the options given (or no answer) instead.
            Kind::Single => answers.keys().any(|id| {
                let weights = question.option(id).map_or(&zero, |o| &o.weights);
                let mut changed = without.clone();
                for _ in 0..members {
                    add(&mut changed, weights);
                }
                outcome(&changed) != current
            }),
            // Everyone ticking, or everyone unticking, one of the disputed boxes.
            Kind::Multi => question.options.iter().enumerate().any(|(oi, o)| {
                let ticked = team.iter().filter(|a| a.chosen(qi).contains(oi)).count();
                if ticked == 0 || ticked == members {
                    return false;
                }
                let (mut all, mut none) = (without.clone(), without.clone());
                for (member, c) in team.iter().zip(&own) {
                    let mut c = c.clone();
                    add(&mut all, &c);
                    if member.chosen(qi).contains(oi) {
                        subtract(&mut c, &o.weights);
                    } else {
                        add(&mut all, &o.weights);
                    }
                    add(&mut none, &c);
                }
                outcome(&all) != current || outcome(&none) != current
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
                    r.winner(&q) == Some(winner)
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
            .find(|s| q.frameworks[s.framework] == "django")
            .unwrap()
            .score;
        let flasks = team
            .combined
            .scores
            .iter()
            .find(|s| q.frameworks[s.framework] == "flask")
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
