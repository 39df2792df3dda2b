//! Answers, parsed once from any encoding (form body, query string, JSON, CLI arguments) into a
//! type that is valid by construction.

use std::borrow::Cow;
use std::collections::BTreeMap;

use percent_encoding::{percent_decode, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

use super::{Choice, Kind, Question, Questionnaire};

/// The most options a question can have: [`Chosen`] holds a question's answer in one `u64`.
/// The content check refuses a questionnaire with more.
pub const MAX_OPTIONS: usize = 64;

/// Valid answers to one questionnaire: every question known, every option known, one option
/// for a single-choice question, every required question answered. Only [`Answers::parse`] and
/// friends make one. Answers are kept by position (question, then option), so reading them
/// compares no ids; they mean something only with the questionnaire they were parsed against.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answers(Vec<Chosen>);

/// The options chosen for one question, as a set of positions. Written by hand rather than with
/// a bit-set crate: the whole set is one `u64` that is copied, never allocated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Chosen(u64);

impl Chosen {
    /// Whether the option at position `option` is chosen.
    pub fn contains(self, option: usize) -> bool {
        option < MAX_OPTIONS && self.0 & (1 << option) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The chosen positions, in order.
    pub fn positions(self) -> impl Iterator<Item = usize> {
        let mut rest = self.0;
        std::iter::from_fn(move || {
            (rest != 0).then(|| {
                let at = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                at
            })
        })
    }

    fn insert(&mut self, option: usize) {
        self.0 |= 1 << option;
    }
}

/// A problem with one field (a question id, or `body` for the request as a whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Answers that did not validate: the errors, and every valid answer kept for the form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Invalid {
    pub kept: Answers,
    pub errors: Vec<FieldError>,
}

/// An answer in the JSON API: one option id, or a list of them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum JsonAnswer {
    One(String),
    Many(Vec<String>),
}

/// Characters left as they are in a query value: ids are `[a-z0-9-]`, so little needs escaping.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');

impl Answers {
    /// Validates `(question, option)` pairs; repeated keys answer a multi-choice question.
    /// Empty values count as no answer (that is what a browser sends for nothing chosen).
    pub fn parse<I, K, V>(questionnaire: &Questionnaire, pairs: I) -> Result<Self, Invalid>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let questions = &questionnaire.questions;
        let mut chosen = vec![Chosen::default(); questions.len()];
        // Whether anything at all was given for a question, valid or not.
        let mut given = vec![false; questions.len()];
        // Options that are not the question's, with the question's position: reported in
        // questionnaire order, after the unknown questions.
        let mut unknown: Vec<(usize, FieldError)> = Vec::new();
        let mut errors = Vec::new();
        for (key, value) in pairs {
            let (key, value) = (key.as_ref().trim(), value.as_ref().trim());
            if value.is_empty() {
                continue;
            }
            let Some(at) = questions.iter().position(|q| q.id == key) else {
                if errors.iter().all(|e: &FieldError| e.field != key) {
                    errors.push(error(
                        key,
                        format!("There is no question `{}`", shorten(key)),
                    ));
                }
                continue;
            };
            let question = &questions[at];
            given[at] = true;
            match question.options.iter().position(|o| o.id == value) {
                Some(option) if option < MAX_OPTIONS => chosen[at].insert(option),
                _ => unknown.push((
                    at,
                    error(
                        &question.id,
                        format!(
                            "“{}” is not one of the options for “{}”",
                            shorten(value),
                            question.prompt
                        ),
                    ),
                )),
            }
        }
        for (at, question) in questions.iter().enumerate() {
            errors.extend(
                unknown
                    .iter()
                    .filter(|(of, _)| *of == at)
                    .map(|(_, e)| e.clone()),
            );
            if question.kind == Kind::Single && chosen[at].len() > 1 {
                errors.push(error(
                    &question.id,
                    format!("Choose only one answer for “{}”", question.prompt),
                ));
                chosen[at] = Chosen::default();
            } else if chosen[at].is_empty() && question.required && !given[at] {
                let message = if question.error.is_empty() {
                    format!("Select an answer for “{}”", question.prompt)
                } else {
                    question.error.clone()
                };
                errors.push(error(&question.id, message));
            }
        }
        let answers = Self::new(chosen);
        if errors.is_empty() {
            Ok(answers)
        } else {
            Err(Invalid {
                kept: answers,
                errors,
            })
        }
    }

    /// Validates `application/x-www-form-urlencoded` bytes: a form body or a query string.
    /// Malformed percent-encoding or bytes that are not UTF-8 are errors, not guesses.
    pub fn parse_urlencoded(questionnaire: &Questionnaire, input: &[u8]) -> Result<Self, Invalid> {
        let mut pairs = Vec::new();
        let mut unreadable: Option<String> = None;
        for part in input.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
            let (key, value) = match part.iter().position(|&b| b == b'=') {
                Some(i) => (&part[..i], &part[i + 1..]),
                None => (part, &b""[..]),
            };
            match (decode(key), decode(value)) {
                (Some(k), Some(v)) => pairs.push((k, v)),
                (key, _) => {
                    let field = key.filter(|k| questionnaire.question(k).is_some());
                    unreadable.get_or_insert_with(|| {
                        field.map_or_else(|| "body".to_owned(), Cow::into_owned)
                    });
                }
            }
        }
        if let Some(field) = unreadable {
            let kept = Self::parse(questionnaire, pairs).unwrap_or_else(|invalid| invalid.kept);
            let message = "Some of the answers were not readable (bad percent-encoding or not UTF-8); please choose them again";
            return Err(Invalid {
                kept,
                errors: vec![error(&field, message.to_owned())],
            });
        }
        Self::parse(questionnaire, pairs)
    }

    /// Validates the JSON API's `answers` object.
    pub fn from_json(
        questionnaire: &Questionnaire,
        answers: &BTreeMap<String, JsonAnswer>,
    ) -> Result<Self, Invalid> {
        let mut pairs = Vec::new();
        for (question, answer) in answers {
            match answer {
                JsonAnswer::One(option) => pairs.push((question.as_str(), option.as_str())),
                JsonAnswer::Many(options) => {
                    pairs.extend(options.iter().map(|o| (question.as_str(), o.as_str())))
                }
            }
        }
        Self::parse(questionnaire, pairs)
    }

    /// Equal answers are equal values: no unanswered questions are kept at the end.
    fn new(mut chosen: Vec<Chosen>) -> Self {
        while chosen.last().is_some_and(|last| last.is_empty()) {
            chosen.pop();
        }
        Self(chosen)
    }

    /// The options chosen for the question at position `question` (none when it is unanswered).
    pub fn chosen(&self, question: usize) -> Chosen {
        self.0.get(question).copied().unwrap_or_default()
    }

    /// Each answered question with the options chosen for it, both in questionnaire order.
    pub fn by_question<'s, 'q>(
        &'s self,
        questionnaire: &'q Questionnaire,
    ) -> impl Iterator<Item = (&'q Question, Vec<&'q Choice>)> + use<'s, 'q> {
        self.0
            .iter()
            .zip(&questionnaire.questions)
            .filter(|(chosen, _)| !chosen.is_empty())
            .map(|(chosen, question)| (question, picked(question, *chosen).collect()))
    }

    /// Every chosen option with its question, both in questionnaire order.
    pub fn options<'s, 'q>(
        &'s self,
        questionnaire: &'q Questionnaire,
    ) -> impl Iterator<Item = (&'q Question, &'q Choice)> + use<'s, 'q> {
        self.positions(questionnaire)
            .map(|(at, _, choice)| (&questionnaire.questions[at], choice))
    }

    /// Every chosen option with its question's position and its own, in questionnaire order.
    pub fn positions<'s, 'q>(
        &'s self,
        questionnaire: &'q Questionnaire,
    ) -> impl Iterator<Item = (usize, usize, &'q Choice)> + use<'s, 'q> {
        self.0
            .iter()
            .zip(&questionnaire.questions)
            .enumerate()
            .flat_map(|(at, (chosen, question))| {
                chosen
                    .positions()
                    .filter_map(move |option| Some((at, option, question.options.get(option)?)))
            })
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|chosen| chosen.is_empty())
    }

    /// The answers as a query string, in questionnaire order: the permalink's encoding.
    pub fn to_query(&self, questionnaire: &Questionnaire) -> String {
        // Ids are slugs, which need no percent-encoding: this is the length, grown into once.
        let length = self
            .options(questionnaire)
            .map(|(question, option)| question.id.len() + option.id.len() + 2)
            .sum();
        let mut query = String::with_capacity(length);
        for (question, option) in self.options(questionnaire) {
            if !query.is_empty() {
                query.push('&');
            }
            query.extend(utf8_percent_encode(&question.id, QUERY_VALUE));
            query.push('=');
            query.extend(utf8_percent_encode(&option.id, QUERY_VALUE));
        }
        query
    }

    /// Whether option id `option` is chosen for question id `question` (for tests).
    #[cfg(test)]
    pub(crate) fn has(&self, q: &Questionnaire, question: &str, option: &str) -> bool {
        self.options(q)
            .any(|(qn, o)| qn.id == question && o.id == option)
    }

    /// A copy where the question at `question` has only the option at `option` (for tests).
    #[cfg(test)]
    pub(crate) fn with_only(&self, question: usize, option: usize) -> Self {
        self.with(question, |chosen| *chosen = Chosen(1 << option))
    }

    #[cfg(test)]
    pub(crate) fn with_added(&self, question: usize, option: usize) -> Self {
        self.with(question, |chosen| chosen.insert(option))
    }

    #[cfg(test)]
    pub(crate) fn with_removed(&self, question: usize, option: usize) -> Self {
        self.with(question, |chosen| chosen.0 &= !(1 << option))
    }

    #[cfg(test)]
    pub(crate) fn without_question(&self, question: usize) -> Self {
        self.with(question, |chosen| *chosen = Chosen::default())
    }

    #[cfg(test)]
    fn with(&self, question: usize, change: impl FnOnce(&mut Chosen)) -> Self {
        let mut chosen = self.0.clone();
        if chosen.len() <= question {
            chosen.resize(question + 1, Chosen::default());
        }
        change(&mut chosen[question]);
        Self::new(chosen)
    }
}

/// The options of `question` that `chosen` holds, in order.
fn picked(question: &Question, chosen: Chosen) -> impl Iterator<Item = &Choice> {
    chosen.positions().filter_map(|at| question.options.get(at))
}

fn error(field: &str, message: String) -> FieldError {
    FieldError {
        field: shorten(field).to_owned(),
        message,
    }
}

/// Keeps echoed input short: an error message never repeats a megabyte of it.
fn shorten(text: &str) -> &str {
    match text.char_indices().nth(60) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// Decodes one form-encoded component; `None` when malformed or not UTF-8. Borrows when
/// there is nothing to decode (ids are plain ASCII, so a form's answers usually need nothing).
fn decode(raw: &[u8]) -> Option<Cow<'_, str>> {
    if !raw.iter().any(|&b| b == b'%' || b == b'+') {
        return std::str::from_utf8(raw).ok().map(Cow::Borrowed);
    }
    let mut bytes = raw.to_vec();
    for b in &mut bytes {
        if *b == b'+' {
            *b = b' ';
        }
    }
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let ok = bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
            if !ok {
                return None;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    percent_decode(&bytes)
        .decode_utf8()
        .ok()
        .map(|s| Cow::Owned(s.into_owned()))
}
