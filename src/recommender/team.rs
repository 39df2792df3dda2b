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
    /// Each single member's change, to an answer someone else gave, that would change the
    /// team's outcome: whose answers would have to move, and to what.
    pub member_flips: Vec<MemberFlip>,
}

/// One member answering a disputed question as another member did, and what the team would
/// then get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberFlip {
    pub member: usize,
    pub change: MemberChange,
    pub would_recommend: Option<usize>,
}

/// A change to one member's answer, in option ids ([`NO_ANSWER`] for none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberChange {
    /// A single-answer question answered `to` instead of `from`.
    Answer { from: String, to: String },
    /// A box of a multiple-answer question ticked (`true`) or unticked.
    Tick { option: String, ticked: bool },
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
        let member_flips = member_flips(q, team, qi, &answers, &own, total, current, n);
        out.push(Disagreement {
            question: question.id.clone(),
            answers,
            changes_outcome,
            member_flips,
        });
    }
    out
}

/// Every change of one member's answer to question `qi`, to an answer another member gave
/// (or, for a box, the other way from theirs), that changes the team's outcome.
#[allow(clippy::too_many_arguments)]
fn member_flips(
    q: &Questionnaire,
    team: &[Answers],
    qi: usize,
    answers: &BTreeMap<String, Vec<usize>>,
    own: &[Vec<u32>],
    total: &[u32],
    current: Option<usize>,
    n: u32,
) -> Vec<MemberFlip> {
    let question = &q.questions[qi];
    let zero = vec![0; q.frameworks.len()];
    let outcome = |points: &[u32]| decide_scaled(points, n).1;
    let mut flips = Vec::new();
    for (m, member) in team.iter().enumerate() {
        match question.kind {
            Kind::Single => {
                let from = answers
                    .iter()
                    .find(|(_, who)| who.contains(&m))
                    .map_or(NO_ANSWER, |(id, _)| id.as_str());
                for to in answers.keys().filter(|to| to.as_str() != from) {
                    let mut changed = total.to_vec();
                    subtract(&mut changed, &own[m]);
                    add(
                        &mut changed,
                        question.option(to).map_or(&zero, |o| &o.weights),
                    );
                    let would = outcome(&changed);
                    if would != current {
                        flips.push(MemberFlip {
                            member: m,
                            change: MemberChange::Answer {
                                from: from.to_owned(),
                                to: to.clone(),
                            },
                            would_recommend: would,
                        });
                    }
                }
            }
            Kind::Multi => {
                for (oi, o) in question.options.iter().enumerate() {
                    let ticked = team.iter().filter(|a| a.chosen(qi).contains(oi)).count();
                    // Only the boxes the team is split on.
                    if ticked == 0 || ticked == team.len() {
                        continue;
                    }
                    let has = member.chosen(qi).contains(oi);
                    let mut changed = total.to_vec();
                    if has {
                        subtract(&mut changed, &o.weights);
                    } else {
                        add(&mut changed, &o.weights);
                    }
                    let would = outcome(&changed);
                    if would != current {
                        flips.push(MemberFlip {
                            member: m,
                            change: MemberChange::Tick {
                                option: o.id.clone(),
                                ticked: !has,
                            },
                            would_recommend: would,
                        });
                    }
                }
            }
        }
    }
    flips
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
        /// Each member flip, applied to that member's answers and the team combined again,
        /// gives the outcome it names; and it only names answers someone else gave.
        #[test]
        fn a_member_flip_is_what_combining_again_gives(
            picks in proptest::collection::vec(0usize..10_000, 2..5),
        ) {
            let q = sample();
            let sets = all_answer_sets(&q);
            let members: Vec<Answers> = picks.iter().map(|i| sets[i % sets.len()].clone()).collect();
            let team = combine(&q, &members);
            for d in &team.disagreements {
                let qi = q.questions.iter().position(|x| x.id == d.question).unwrap();
                for f in &d.member_flips {
                    let mut changed = members.clone();
                    let query = |a: &Answers| a.to_query(&q);
                    let mine = query(&changed[f.member]);
                    let key = format!("{}=", d.question);
                    let mut parts: Vec<String> = mine
                        .split('&')
                        .filter(|p| !p.is_empty() && !p.starts_with(&key))
                        .map(str::to_owned)
                        .collect();
                    let before: Vec<usize> = changed[f.member].chosen(qi).positions().collect();
                    match &f.change {
                        MemberChange::Answer { to, .. } => {
                            prop_assert!(d.answers.contains_key(to));
                            if to != NO_ANSWER {
                                parts.push(format!("{key}{to}"));
                            }
                        }
                        MemberChange::Tick { option, ticked } => {
                            let oi = q.questions[qi].options.iter().position(|o| &o.id == option).unwrap();
                            prop_assert_eq!(*ticked, !before.contains(&oi));
                            for o in &before {
                                if *o != oi {
                                    parts.push(format!("{key}{}", q.questions[qi].options[*o].id));
                                }
                            }
                            if *ticked {
                                parts.push(format!("{key}{option}"));
                            }
                        }
                    }
                    changed[f.member] = Answers::parse_urlencoded(&q, parts.join("&").as_bytes())
                        .unwrap_or_else(|invalid| invalid.kept);
                    let again = combine(&q, &changed);
                    prop_assert_eq!(again.combined.recommendation, f.would_recommend);
                    prop_assert_ne!(f.would_recommend, team.combined.recommendation);
                }
            }
        }
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
