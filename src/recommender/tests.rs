use std::collections::BTreeMap;

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use proptest::prelude::*;

use super::*;

fn choice(id: &str, django: u32, flask: u32) -> Choice {
    Choice {
        id: id.to_owned(),
        label: format!("Label {id}"),
        weights: vec![django, flask],
        why: format!("Why {id}"),
        fact: format!("fact-{id}"),
        link: "/topics/x#y".to_owned(),
    }
}

fn question(id: &str, kind: Kind, required: bool, options: Vec<Choice>) -> Question {
    Question {
        id: id.to_owned(),
        prompt: format!("Prompt {id}?"),
        help: String::new(),
        error: String::new(),
        kind,
        required,
        options,
    }
}

/// A small questionnaire shaped like the real one.
pub(crate) fn sample() -> Questionnaire {
    Questionnaire {
        frameworks: vec!["django".into(), "flask".into()],
        questions: vec![
            question(
                "building",
                Kind::Single,
                true,
                vec![
                    choice("site", 3, 0),
                    choice("api", 1, 2),
                    choice("service", 0, 3),
                ],
            ),
            question(
                "admin",
                Kind::Single,
                true,
                vec![
                    choice("yes", 3, 0),
                    choice("no", 0, 1),
                    choice("unsure", 0, 0),
                ],
            ),
            question(
                "team",
                Kind::Single,
                false,
                vec![choice("small", 0, 2), choice("large", 2, 0)],
            ),
            question(
                "needs",
                Kind::Multi,
                false,
                vec![
                    choice("auth", 2, 0),
                    choice("realtime", 0, 1),
                    choice("orm", 2, 1),
                ],
            ),
        ],
    }
}

/// Every valid answer set of `q` (single questions: each option, or none when optional; multi
/// questions: every subset). For the small sample questionnaire: a few hundred.
pub(crate) fn all_answer_sets(q: &Questionnaire) -> Vec<Answers> {
    let mut sets: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for question in &q.questions {
        let mut choices: Vec<Vec<&str>> = Vec::new();
        match question.kind {
            Kind::Single => {
                choices.extend(question.options.iter().map(|o| vec![o.id.as_str()]));
                if !question.required {
                    choices.push(Vec::new());
                }
            }
            Kind::Multi => {
                for mask in 0..(1u32 << question.options.len()) {
                    choices.push(
                        question
                            .options
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| mask & (1 << i) != 0)
                            .map(|(_, o)| o.id.as_str())
                            .collect(),
                    );
                }
            }
        }
        sets = sets
            .iter()
            .flat_map(|set| {
                choices.iter().map(move |c| {
                    let mut next = set.clone();
                    next.extend(c.iter().map(|o| (question.id.clone(), (*o).to_owned())));
                    next
                })
            })
            .collect();
    }
    sets.into_iter()
        .map(|pairs| Answers::parse(q, pairs).expect("enumerated answers are valid"))
        .collect()
}

fn parse(pairs: &[(&str, &str)]) -> Result<Answers, Invalid> {
    Answers::parse(&sample(), pairs.iter().copied())
}

#[test]
fn a_clear_case_is_strong_with_every_reason() {
    let answers = parse(&[("building", "site"), ("admin", "yes"), ("needs", "auth")]).unwrap();
    let q = sample();
    let rec = recommend(&q, &answers);
    let r = rec.resolve(&q);
    assert_eq!(r.recommendation, Some("django"));
    assert_eq!(r.confidence, Confidence::Strong);
    assert_eq!(r.scores[0].score, 8);
    assert_eq!(r.scores[0].percent, 100.0);
    assert_eq!(r.reasons.len(), 3);
    assert!(r.reasons.iter().all(|x| x.framework == "django"));
    assert_eq!(
        answers.to_query(&sample()),
        "building=site&admin=yes&needs=auth"
    );
}

#[test]
fn a_toss_up_names_no_winner_and_says_what_would_decide_it() {
    let answers = parse(&[
        ("building", "api"),
        ("admin", "unsure"),
        ("needs", "realtime"),
        ("team", "large"),
    ])
    .unwrap();
    let q = sample();
    let rec = recommend(&q, &answers);
    let r = rec.resolve(&q);
    // django 1 + 2 = 3, flask 2 + 1 = 3
    assert_eq!(r.confidence, Confidence::TossUp);
    assert_eq!(r.recommendation, None);
    assert!(!r.flips.is_empty());
    assert!(r.flips.iter().all(|f| f.would_recommend.is_some()));
}

#[test]
fn the_margin_sets_the_confidence() {
    let q = sample();
    // django 1, flask 2 + 1 + 2 = 5: a 4-point lead, 67% of 6 → strong.
    let r = recommend(
        &q,
        &parse(&[("building", "api"), ("admin", "no"), ("team", "small")]).unwrap(),
    );
    assert_eq!(
        (r.winner(&q), r.confidence),
        (Some("flask"), Confidence::Strong),
        "{r:?}"
    );
    // django 1 + 2 + 2 = 5, flask 2 + 1 = 3: a 25% share but a 2-point lead → lean.
    let r = recommend(
        &q,
        &parse(&[
            ("building", "api"),
            ("admin", "unsure"),
            ("team", "large"),
            ("needs", "orm"),
        ])
        .unwrap(),
    );
    assert_eq!(
        (r.winner(&q), r.confidence),
        (Some("django"), Confidence::Lean),
        "{r:?}"
    );
}

#[test]
fn a_tiny_lead_is_never_a_strong_result() {
    // flask 1 : django 0 is a 100% share but a one-point lead: a toss-up.
    let q = Questionnaire {
        frameworks: vec!["django".into(), "flask".into()],
        questions: vec![question(
            "a",
            Kind::Single,
            true,
            vec![choice("x", 0, 1), choice("y", 0, 3), choice("z", 0, 5)],
        )],
    };
    let confidence = |o: &str| recommend(&q, &Answers::parse(&q, [("a", o)]).unwrap()).confidence;
    assert_eq!(confidence("x"), Confidence::TossUp);
    assert_eq!(confidence("y"), Confidence::Lean);
    assert_eq!(confidence("z"), Confidence::Strong);
}

#[test]
fn no_points_at_all_is_a_toss_up_with_equal_shares() {
    let q = Questionnaire {
        frameworks: vec!["django".into(), "flask".into()],
        questions: vec![question("a", Kind::Single, true, vec![choice("x", 0, 0)])],
    };
    let r = recommend(&q, &Answers::parse(&q, [("a", "x")]).unwrap());
    assert_eq!(r.confidence, Confidence::TossUp);
    assert_eq!(
        r.scores.iter().map(|s| s.percent).collect::<Vec<_>>(),
        [50.0, 50.0]
    );
}

#[test]
fn flips_list_the_single_changes_that_change_the_outcome() {
    let answers = parse(&[("building", "site"), ("admin", "no")]).unwrap();
    let q = sample();
    let rec = recommend(&q, &answers);
    let r = rec.resolve(&q);
    assert_eq!(r.recommendation, Some("django"));
    // building=service makes it flask 4 : 0.
    assert!(
        r.flips.contains(&FlipJson {
            question: "building",
            option: "service",
            change: Change::Choose,
            would_recommend: Some("flask")
        }),
        "{:?}",
        r.flips
    );
    // choosing admin=yes only strengthens django: not a flip.
    assert!(!r
        .flips
        .iter()
        .any(|f| f.question == "admin" && f.option == "yes"));
}

#[test]
fn missing_unknown_and_doubled_answers_are_field_errors() {
    let invalid = parse(&[
        ("building", "site"),
        ("building", "api"),
        ("colour", "red"),
        ("team", "huge"),
    ])
    .unwrap_err();
    let fields: Vec<&str> = invalid.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        ["colour", "building", "admin", "team"],
        "{:?}",
        invalid.errors
    );
    assert!(invalid.errors[1].message.contains("only one"));
    assert!(invalid.errors[2].message.starts_with("Select an answer"));
}

#[test]
fn an_unanswered_required_question_says_what_to_do_in_its_own_words() {
    let mut q = sample();
    q.questions[0].error = "Select what you are building".into();
    let invalid = Answers::parse(&q, [("admin", "yes")]).unwrap_err();
    assert_eq!(invalid.errors.len(), 1, "{:?}", invalid.errors);
    assert_eq!(invalid.errors[0].field, "building");
    assert_eq!(invalid.errors[0].message, "Select what you are building");
}

#[test]
fn optional_questions_left_unanswered_score_nothing() {
    let mut optional = sample();
    for question in &mut optional.questions {
        question.required = false;
    }
    let none = Answers::parse(&optional, std::iter::empty::<(&str, &str)>()).unwrap();
    let rec = recommend(&optional, &none);
    assert_eq!(rec.confidence, Confidence::TossUp);
    assert!(rec.scores.iter().all(|s| s.score == 0));
    assert!(rec.reasons.is_empty());
}

#[test]
fn valid_answers_are_kept_when_others_are_wrong() {
    let invalid = parse(&[
        ("building", "site"),
        ("admin", "nope"),
        ("needs", "auth"),
        ("needs", "orm"),
    ])
    .unwrap_err();
    let q = sample();
    assert!(invalid.kept.has(&q, "building", "site"));
    assert!(invalid.kept.has(&q, "needs", "auth") && invalid.kept.has(&q, "needs", "orm"));
    assert!(!invalid
        .kept
        .options(&q)
        .any(|(question, _)| question.id == "admin"));
}

#[test]
fn answers_are_equal_when_they_choose_the_same_options() {
    let q = sample();
    // Parsed in another order, with a repeated option, or with nothing at all answered.
    let one = parse(&[("building", "site"), ("admin", "yes"), ("needs", "orm")]).unwrap();
    let other = parse(&[
        ("needs", "orm"),
        ("admin", "yes"),
        ("building", "site"),
        ("needs", "orm"),
    ]);
    assert_eq!(Ok(one.clone()), other);
    let nothing = Answers::parse(&q, [("needs", "")]).unwrap_err().kept;
    assert_eq!(nothing, Answers::default());
    assert!(nothing.is_empty() && !one.is_empty());
    // Taking the last answered question away leaves what was there before it.
    let at = q.questions.iter().position(|x| x.id == "needs").unwrap();
    let without = one.without_question(at);
    assert_eq!(without.to_query(&q), "building=site&admin=yes");
    assert_eq!(
        without,
        parse(&[("building", "site"), ("admin", "yes")]).unwrap()
    );
}

#[test]
fn url_encoding_round_trips_and_bad_encoding_is_an_error() {
    let q = sample();
    let answers =
        Answers::parse_urlencoded(&q, b"needs=orm&building=site&admin=yes&needs=auth").unwrap();
    let query = answers.to_query(&q);
    assert_eq!(query, "building=site&admin=yes&needs=auth&needs=orm");
    assert_eq!(
        Answers::parse_urlencoded(&q, query.as_bytes()).unwrap(),
        answers
    );
    assert_eq!(
        Answers::parse_urlencoded(&q, b"building=%73ite&admin=yes")
            .unwrap()
            .to_query(&q),
        "building=site&admin=yes"
    );
    for bad in [
        &b"building=%zz&admin=yes"[..],
        b"building=%E9&admin=yes",
        b"building=site&admin=%",
    ] {
        let invalid = Answers::parse_urlencoded(&q, bad).unwrap_err();
        assert_eq!(invalid.errors.len(), 1, "{invalid:?}");
        assert!(invalid.errors[0].message.contains("not readable"));
    }
}

#[test]
fn json_answers_take_one_id_or_a_list() {
    let q = sample();
    let json: BTreeMap<String, JsonAnswer> =
        serde_json::from_str(r#"{"building":"site","admin":"yes","needs":["auth","orm"]}"#)
            .unwrap();
    let answers = Answers::from_json(&q, &json).unwrap();
    assert_eq!(
        answers.to_query(&q),
        "building=site&admin=yes&needs=auth&needs=orm"
    );
}

fn answer_sets() -> impl Strategy<Value = Vec<(String, String)>> {
    let q = sample();
    let choices: Vec<BoxedStrategy<Vec<(String, String)>>> = q
        .questions
        .iter()
        .map(|question| {
            let id = question.id.clone();
            let ids: Vec<String> = question.options.iter().map(|o| o.id.clone()).collect();
            match (question.kind, question.required) {
                (Kind::Single, true) => proptest::sample::select(ids)
                    .prop_map(move |o| vec![(id.clone(), o)])
                    .boxed(),
                (Kind::Single, false) => proptest::option::of(proptest::sample::select(ids))
                    .prop_map(move |o| o.map(|o| vec![(id.clone(), o)]).unwrap_or_default())
                    .boxed(),
                (Kind::Multi, _) => proptest::sample::subsequence(ids.clone(), 0..=ids.len())
                    .prop_map(move |os| os.into_iter().map(|o| (id.clone(), o)).collect())
                    .boxed(),
            }
        })
        .collect();
    choices.prop_map(|sets| sets.into_iter().flatten().collect())
}

proptest! {
    #[test]
    fn the_top_two_are_the_first_two_of_the_ranking(points in proptest::collection::vec(0u32..6, 0..6)) {
        let order = ranking(&points);
        prop_assert_eq!(top_two(&points), (order.first().copied(), order.get(1).copied()));
    }

    #[test]
    fn answer_order_never_matters(pairs in answer_sets(), seed in any::<u64>()) {
        let q = sample();
        let mut shuffled = pairs.clone();
        // A deterministic shuffle driven by the seed.
        let n = shuffled.len();
        for i in (1..n).rev() {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % (i as u64 + 1)) as usize;
            shuffled.swap(i, j);
        }
        let a = recommend(&q, &Answers::parse(&q, pairs).unwrap());
        let b = recommend(&q, &Answers::parse(&q, shuffled).unwrap());
        prop_assert_eq!(a, b);
    }

    #[test]
    fn every_valid_answer_set_yields_a_result(pairs in answer_sets()) {
        let q = sample();
        let r = recommend(&q, &Answers::parse(&q, pairs).unwrap());
        prop_assert_eq!(r.scores.len(), 2);
        let total: f64 = r.scores.iter().map(|s| s.percent).sum();
        prop_assert!((total - 100.0).abs() < 0.2, "percentages sum to {}", total);
        prop_assert_eq!(r.recommendation.is_none(), r.confidence == Confidence::TossUp);
        if let Some(winner) = &r.recommendation {
            prop_assert_eq!(winner, &r.scores[0].framework);
        }
    }

    #[test]
    fn adding_weight_to_a_framework_never_lowers_its_rank(pairs in answer_sets(), pick in any::<prop::sample::Index>(), to_flask in any::<bool>()) {
        let q = sample();
        let answers = Answers::parse(&q, pairs.clone()).unwrap();
        let framework = usize::from(to_flask);
        let rank = |r: &Recommendation| r.scores.iter().position(|s| s.framework == framework).unwrap();
        let before = recommend(&q, &answers);
        let mut heavier = q.clone();
        if !pairs.is_empty() {
            let (question, option) = pick.get(&pairs);
            let question = heavier.questions.iter_mut().find(|x| &x.id == question).unwrap();
            let choice = question.options.iter_mut().find(|o| &o.id == option).unwrap();
            choice.weights[usize::from(to_flask)] += 1;
        }
        let after = recommend(&heavier, &answers);
        prop_assert!(rank(&after) <= rank(&before));
        prop_assert!(after.scores.iter().find(|s| s.framework == framework).unwrap().score
            >= before.scores.iter().find(|s| s.framework == framework).unwrap().score);
    }

    #[test]
    fn flips_match_scoring_the_changed_answers_from_scratch(pairs in answer_sets()) {
        let q = sample();
        let answers = Answers::parse(&q, pairs).unwrap();
        let r = recommend(&q, &answers);
        for (at, question) in q.questions.iter().enumerate() {
            for (option, choice) in question.options.iter().enumerate() {
                let chosen = answers.has(&q, &question.id, &choice.id);
                let (changed, change) = match (question.kind, chosen) {
                    (Kind::Single, false) => (answers.with_only(at, option), Change::Choose),
                    (Kind::Single, true) if !question.required => (answers.without_question(at), Change::Skip),
                    (Kind::Single, true) => continue,
                    (Kind::Multi, false) => (answers.with_added(at, option), Change::Choose),
                    (Kind::Multi, true) => (answers.with_removed(at, option), Change::Remove),
                };
                let outcome = recommend(&q, &changed).recommendation;
                let listed = r.flips.iter().find(|f| f.question == at && f.option == option && f.change == change);
                if outcome == r.recommendation {
                    prop_assert!(listed.is_none(), "{}={} listed but changes nothing", question.id, choice.id);
                } else {
                    prop_assert_eq!(listed.map(|f| f.would_recommend), Some(outcome));
                }
            }
        }
    }

    #[test]
    fn any_input_yields_a_result_or_field_errors_never_a_panic(raw in proptest::collection::vec(any::<u8>(), 0..200)) {
        let q = sample();
        match Answers::parse_urlencoded(&q, &raw) {
            Ok(answers) => { recommend(&q, &answers); }
            Err(invalid) => prop_assert!(!invalid.errors.is_empty()),
        }
    }

    #[test]
    fn any_pairs_yield_a_result_or_field_errors(pairs in proptest::collection::vec(("[a-z]{0,9}", "[a-z\\-]{0,8}"), 0..12)) {
        let q = sample();
        match Answers::parse(&q, pairs) {
            Ok(answers) => { recommend(&q, &answers); }
            Err(invalid) => prop_assert!(!invalid.errors.is_empty()),
        }
    }
}

// JSON bodies: what `POST /api/recommend` decodes its `answers` object into, then validates.

/// Question and option ids of [`sample`], so that generated JSON often means something.
const IDS: &[&str] = &[
    "building", "admin", "team", "needs", "site", "api", "service", "yes", "no", "unsure", "small",
    "large", "auth", "realtime", "orm",
];

/// Text for keys and strings: ids (sometimes padded), any unicode, long runs, escapes and nulls.
fn json_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(IDS).prop_map(str::to_owned),
        1 => proptest::sample::select(IDS).prop_map(|id| format!(" {id}\t")),
        3 => "\\PC{0,12}",
        1 => "[\\u{0}-\\u{1f}\"\\\\&=%+]{0,6}",
        1 => "\\PC{200,400}",
    ]
}

/// Any JSON value: every type, nested up to 6 deep, with extreme numbers.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop_oneof![Just(u64::MAX), Just(0), any::<u64>()].prop_map(Value::from),
        prop_oneof![
            Just(f64::MAX),
            Just(f64::MIN_POSITIVE),
            Just(-0.0),
            any::<f64>()
        ]
        .prop_map(Value::from),
        json_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::btree_map(json_text(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A JSON object shaped like `answers` most of the time: ids or lists of ids, sometimes anything.
fn json_answers() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let answer = prop_oneof![
        4 => json_text().prop_map(Value::String),
        3 => proptest::collection::vec(json_text().prop_map(Value::String), 0..4).prop_map(Value::Array),
        1 => json_value(),
    ];
    proptest::collection::btree_map(json_text(), answer, 0..8)
        .prop_map(|m| serde_json::Value::Object(m.into_iter().collect()))
}

/// A valid answer set as the API's JSON: an id for a single-choice question, a list for a multi.
fn valid_json() -> impl Strategy<Value = serde_json::Value> {
    answer_sets().prop_map(|pairs| {
        let q = sample();
        let mut object = serde_json::Map::new();
        for (question, option) in pairs {
            if q.question(&question).unwrap().kind == Kind::Multi {
                let list = object
                    .entry(question)
                    .or_insert_with(|| serde_json::json!([]));
                list.as_array_mut().unwrap().push(option.into());
            } else {
                object.insert(question, option.into());
            }
        }
        serde_json::Value::Object(object)
    })
}

/// Whether `value` is what [`JsonAnswer`] accepts: an object of strings and lists of strings.
fn is_answers_object(value: &serde_json::Value) -> bool {
    value.as_object().is_some_and(|object| {
        object.values().all(|answer| {
            answer.is_string()
                || answer
                    .as_array()
                    .is_some_and(|list| list.iter().all(serde_json::Value::is_string))
        })
    })
}

/// Checks one validation outcome: a usable result, or field errors that echo little of the input.
fn check_outcome(
    q: &Questionnaire,
    outcome: Result<Answers, Invalid>,
) -> Result<(), TestCaseError> {
    match outcome {
        Ok(answers) => {
            let r = recommend(q, &answers);
            prop_assert_eq!(r.scores.len(), q.frameworks.len());
        }
        Err(invalid) => {
            prop_assert!(!invalid.errors.is_empty());
            for e in &invalid.errors {
                prop_assert!(e.field.chars().count() <= 60, "field {:?}", e.field);
                prop_assert!(e.message.chars().count() <= 200, "message {:?}", e.message);
            }
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn any_json_value_yields_a_result_or_field_errors_never_a_panic(
        value in prop_oneof![valid_json(), json_answers(), json_value()],
    ) {
        let q = sample();
        let text = value.to_string();
        let decoded = serde_json::from_str::<BTreeMap<String, JsonAnswer>>(&text);
        prop_assert_eq!(decoded.is_ok(), is_answers_object(&value), "{}", text);
        if let Ok(answers) = decoded {
            check_outcome(&q, Answers::from_json(&q, &answers))?;
        }
    }

    #[test]
    fn json_and_form_encodings_of_the_same_answers_agree(
        value in prop_oneof![valid_json(), json_answers()],
    ) {
        let q = sample();
        let Ok(answers) = serde_json::from_value::<BTreeMap<String, JsonAnswer>>(value) else {
            return Ok(());
        };
        let encode = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
        let mut form = Vec::new();
        for (question, answer) in &answers {
            let options = match answer {
                JsonAnswer::One(option) => std::slice::from_ref(option),
                JsonAnswer::Many(options) => options.as_slice(),
            };
            form.extend(options.iter().map(|o| format!("{}={}", encode(question), encode(o))));
        }
        let form = form.join("&");
        prop_assert_eq!(
            Answers::from_json(&q, &answers),
            Answers::parse_urlencoded(&q, form.as_bytes()),
            "form body {}", form
        );
    }

    // Broken and extreme JSON text (lone surrogates, 1e400, 2^64, NUL, duplicate keys): decode
    // errors become the API's 422, and anything that decodes still validates without a panic.
    #[test]
    fn any_json_text_yields_a_result_or_field_errors_never_a_panic(
        tokens in proptest::collection::vec(prop_oneof![
            Just("{"), Just("}"), Just("["), Just("]"), Just(","), Just(":"), Just("\"building\""),
            Just("\"admin\""), Just("\"needs\""), Just("\"site\""), Just("\"yes\""), Just("\"auth\""),
            Just("1e400"), Just("-0"), Just("18446744073709551616"), Just("\"\\ud800\""),
            Just("\"\\u0000\""), Just("\"é\u{10ffff}\""), Just("null"), Just("true"), Just(" "),
        ], 0..40),
    ) {
        let q = sample();
        let text = tokens.concat();
        if let Ok(answers) = serde_json::from_str::<BTreeMap<String, JsonAnswer>>(&text) {
            check_outcome(&q, Answers::from_json(&q, &answers))?;
        }
    }
}
