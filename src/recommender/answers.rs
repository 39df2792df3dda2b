//! Answers, parsed once from any encoding (form body, query string, JSON, CLI arguments) into a
//! type that is valid by construction.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use percent_encoding::{percent_decode, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

use super::{Choice, Kind, Question, Questionnaire};

/// Valid answers: every question known, every option known, one option for a single-choice
/// question, every required question answered. Only [`Answers::parse`] and friends make one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answers(BTreeMap<String, BTreeSet<String>>);

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
        // What was given for each question, by the question's position.
        let mut given: Vec<Vec<String>> = vec![Vec::new(); questionnaire.questions.len()];
        let mut errors = Vec::new();
        for (key, value) in pairs {
            let (key, value) = (key.as_ref().trim(), value.as_ref().trim());
            if value.is_empty() {
                continue;
            }
            let Some(at) = questionnaire.questions.iter().position(|q| q.id == key) else {
                if errors.iter().all(|e: &FieldError| e.field != key) {
                    errors.push(error(
                        key,
                        format!("There is no question `{}`", shorten(key)),
                    ));
                }
                continue;
            };
            given[at].push(value.to_owned());
        }
        let mut kept = BTreeMap::new();
        for (question, values) in questionnaire.questions.iter().zip(given) {
            let mut valid = BTreeSet::new();
            for value in &values {
                if question.option(value).is_some() {
                    valid.insert(value.clone());
                } else {
                    errors.push(error(
                        &question.id,
                        format!(
                            "“{}” is not one of the options for “{}”",
                            shorten(value),
                            question.prompt
                        ),
                    ));
                }
            }
            if question.kind == Kind::Single && valid.len() > 1 {
                errors.push(error(
                    &question.id,
                    format!("Choose only one answer for “{}”", question.prompt),
                ));
                continue;
            }
            if valid.is_empty() {
                if question.required && values.is_empty() {
                    errors.push(error(
                        &question.id,
                        format!("Select an answer for “{}”", question.prompt),
                    ));
                }
                continue;
            }
            kept.insert(question.id.clone(), valid);
        }
        if errors.is_empty() {
            Ok(Self(kept))
        } else {
            Err(Invalid {
                kept: Self(kept),
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

    /// Whether `option` is chosen for `question`.
    pub fn has(&self, question: &str, option: &str) -> bool {
        self.0.get(question).is_some_and(|set| set.contains(option))
    }

    /// Each answered question with the options chosen for it, both in questionnaire order.
    pub fn by_question<'s, 'q>(
        &'s self,
        questionnaire: &'q Questionnaire,
    ) -> impl Iterator<Item = (&'q Question, Vec<&'q Choice>)> + use<'s, 'q> {
        questionnaire.questions.iter().filter_map(move |question| {
            let chosen = self.0.get(&question.id)?;
            let options = question
                .options
                .iter()
                .filter(|o| chosen.contains(&o.id))
                .collect();
            Some((question, options))
        })
    }

    /// The ids of the options chosen for `question` (none when it is unanswered).
    pub fn chosen(&self, question: &Question) -> &BTreeSet<String> {
        static NONE: BTreeSet<String> = BTreeSet::new();
        self.0.get(&question.id).unwrap_or(&NONE)
    }

    /// Every chosen option with its question, both in questionnaire order.
    pub fn options<'s, 'q>(
        &'s self,
        questionnaire: &'q Questionnaire,
    ) -> impl Iterator<Item = (&'q Question, &'q Choice)> + use<'s, 'q> {
        questionnaire.questions.iter().flat_map(move |question| {
            let chosen = self.chosen(question);
            question
                .options
                .iter()
                .filter(move |o| chosen.contains(&o.id))
                .map(move |o| (question, o))
        })
    }

    /// Whether `question` has any answer.
    pub fn answered(&self, question: &str) -> bool {
        self.0.contains_key(question)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The answers as a query string, in questionnaire order: the permalink's encoding.
    pub fn to_query(&self, questionnaire: &Questionnaire) -> String {
        let mut query = String::new();
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

    /// A copy where single-choice `question` is answered `option` (for tests: the result is valid
    /// only when both come from the questionnaire).
    #[cfg(test)]
    pub(crate) fn with_only(&self, question: &str, option: &str) -> Self {
        let mut copy = self.clone();
        copy.0
            .insert(question.to_owned(), BTreeSet::from([option.to_owned()]));
        copy
    }

    #[cfg(test)]
    pub(crate) fn with_added(&self, question: &str, option: &str) -> Self {
        let mut copy = self.clone();
        copy.0
            .entry(question.to_owned())
            .or_default()
            .insert(option.to_owned());
        copy
    }

    #[cfg(test)]
    pub(crate) fn with_removed(&self, question: &str, option: &str) -> Self {
        let mut copy = self.clone();
        if let Some(set) = copy.0.get_mut(question) {
            set.remove(option);
            if set.is_empty() {
                copy.0.remove(question);
            }
        }
        copy
    }

    #[cfg(test)]
    pub(crate) fn without_question(&self, question: &str) -> Self {
        let mut copy = self.clone();
        copy.0.remove(question);
        copy
    }
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
