//! The text a team decision keeps, parsed once at the edge into types that are valid by
//! construction: a title, a member's display name and comment, and the random ids and keys.

use sha2::{Digest, Sha256};

use crate::recommender::FieldError;

/// Longest title of a decision, in characters.
pub const MAX_TITLE: usize = 120;
/// Longest display name, in characters.
pub const MAX_NAME: usize = 60;
/// Longest comment, in characters.
pub const MAX_COMMENT: usize = 500;
/// Most members one decision may have.
pub const MAX_MEMBERS: i64 = 50;

/// What the decision is about: 1 to [`MAX_TITLE`] characters, trimmed, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title(String);

/// A member's display name: 1 to [`MAX_NAME`] characters; unique in a team, ignoring case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

/// Why a member answered as they did: up to [`MAX_COMMENT`] characters, may be empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Comment(String);

/// `text` trimmed, with line breaks and tabs made spaces and other control characters dropped.
fn clean(text: &str, keep_newlines: bool) -> String {
    text.trim()
        .chars()
        .filter_map(|c| match c {
            '\n' if keep_newlines => Some('\n'),
            '\r' if keep_newlines => None,
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn error(field: &str, message: String) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message,
    }
}

impl Title {
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let text = clean(text, false);
        let chars = text.chars().count();
        if chars == 0 {
            return Err(error("title", "Enter what the team is deciding".to_owned()));
        }
        if chars > MAX_TITLE {
            return Err(error(
                "title",
                format!("The title must be {MAX_TITLE} characters or fewer (it has {chars})"),
            ));
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Name {
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let text = clean(text, false);
        let chars = text.chars().count();
        if chars == 0 {
            return Err(error(
                "name",
                "Enter your name as the team knows you".to_owned(),
            ));
        }
        if chars > MAX_NAME {
            return Err(error(
                "name",
                format!("Your name must be {MAX_NAME} characters or fewer (it has {chars})"),
            ));
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form two names are compared in: "Ana" and "ANA" are the same member.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl Comment {
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let text = clean(text, true);
        let chars = text.chars().count();
        if chars > MAX_COMMENT {
            return Err(error(
                "comment",
                format!("The comment must be {MAX_COMMENT} characters or fewer (it has {chars})"),
            ));
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new random id or key: 128 bits from the operating system's random source, as 32 lower-case
/// hex digits (URL-safe, never sequential).
pub fn random_id() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Whether `text` could be an id made by [`random_id`]; anything else is not looked up.
pub fn is_id(text: &str) -> bool {
    text.len() == 32
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// What the database keeps of a capability key: its SHA-256, so a copy of the database opens
/// nothing.
pub fn key_hash(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_names_are_trimmed_and_limited() {
        assert_eq!(
            Title::parse("  Which framework? ").unwrap().as_str(),
            "Which framework?"
        );
        assert!(Title::parse("   ").is_err());
        assert!(Title::parse(&"x".repeat(MAX_TITLE)).is_ok());
        assert!(Title::parse(&"x".repeat(MAX_TITLE + 1)).is_err());
        assert!(
            Name::parse(&"é".repeat(MAX_NAME)).is_ok(),
            "characters, not bytes"
        );
        assert!(Name::parse("").is_err());
        assert_eq!(Name::parse("a\tb\u{0}c").unwrap().as_str(), "a bc");
    }

    #[test]
    fn names_compare_without_case() {
        assert_eq!(
            Name::parse("Ana").unwrap().key(),
            Name::parse("ANA").unwrap().key()
        );
    }

    #[test]
    fn comments_keep_line_breaks_and_may_be_empty() {
        assert_eq!(Comment::parse("a\r\nb").unwrap().as_str(), "a\nb");
        assert_eq!(Comment::parse("").unwrap().as_str(), "");
        assert!(Comment::parse(&"x".repeat(MAX_COMMENT + 1)).is_err());
    }

    #[test]
    fn ids_are_128_random_bits_in_hex() {
        let a = random_id().unwrap();
        let b = random_id().unwrap();
        assert!(is_id(&a) && is_id(&b));
        assert_ne!(a, b);
        assert!(!is_id("0123") && !is_id(&"G".repeat(32)));
        assert_eq!(key_hash("k").len(), 64);
    }
}
