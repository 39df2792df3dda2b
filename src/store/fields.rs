//! The text a team decision keeps, parsed once at the edge into types that are valid by
//! construction: a title, a member's display name and comment, and the random ids and keys.

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

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

/// A member's display name: 1 to [`MAX_NAME`] characters, NFKC-normalised, with at least one
/// visible character and no format or bidirectional-control character; unique in a team by
/// [`Name::key`], so names that only look alike are one member.
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

/// Characters that are letters by category but show nothing (Hangul fillers, the braille
/// blank), or marks that show nothing alone (variation selectors): none makes a name visible.
fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{2800}' | '\u{034F}'
        )
        || ('\u{FE00}'..='\u{FE0F}').contains(&c)
        || ('\u{E0100}'..='\u{E01EF}').contains(&c)
}

impl Name {
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let text: String = clean(text, false).nfkc().collect();
        let text = text.trim().to_owned();
        // Zero-width characters, joiners and bidirectional overrides make one name look like
        // another, or reorder what follows it on the page.
        if text
            .chars()
            .any(|c| c.general_category() == GeneralCategory::Format)
        {
            return Err(error(
                "name",
                "Your name cannot contain invisible formatting characters (such as zero-width spaces or direction marks); type it plainly".to_owned(),
            ));
        }
        if text.chars().all(is_blank) {
            return Err(error(
                "name",
                "Enter your name as the team knows you".to_owned(),
            ));
        }
        let chars = text.chars().count();
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

    /// The form two names are compared in: "Ana", "ANA" and "Аna" (with a Cyrillic А) are the
    /// same member. Unicode's confusable skeleton (UTS #39) of the lower-cased name.
    pub fn key(&self) -> String {
        key_of(&self.0)
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

/// [`Name::key`] of any stored name, including names stored before names were normalised.
pub fn key_of(name: &str) -> String {
    let lower: String = name.nfkc().collect::<String>().to_lowercase();
    unicode_security::skeleton(&lower)
        .collect::<String>()
        .to_lowercase()
}

/// Why a decision was closed as it was: up to [`MAX_COMMENT`] characters; may be empty only when
/// the stated outcome is the team's result (the caller checks that).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rationale(String);

impl Rationale {
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let text = clean(text, true);
        let chars = text.chars().count();
        if chars > MAX_COMMENT {
            return Err(error(
                "rationale",
                format!("The reason must be {MAX_COMMENT} characters or fewer (it has {chars})"),
            ));
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
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
    fn look_alike_and_invisible_names_are_one_member_or_refused() {
        let key = |n: &str| Name::parse(n).unwrap().key();
        // Precomposed and decomposed Á, Cyrillic А, full-width letters: one member each time.
        assert_eq!(key("\u{C1}na"), key("A\u{301}na"));
        assert_eq!(key("Ana"), key("\u{410}na"));
        assert_eq!(key("Ana"), key("\u{FF21}na"));
        assert_eq!(key("Ana"), key("ANA"));
        assert_ne!(key("Ana"), key("Anna"));
        // Zero-width, joiners, direction overrides and marks are refused outright.
        for name in [
            "An\u{200B}a",
            "Ana\u{200D}",
            "\u{202E}anA",
            "\u{2066}Ana\u{2069}",
            "A\u{200F}na",
        ] {
            let err = Name::parse(name).unwrap_err();
            assert!(
                err.message.contains("invisible"),
                "{name:?}: {}",
                err.message
            );
        }
        // Names with nothing visible are no names.
        for name in ["\u{3164}", "\u{3164}\u{3164}", " \u{2800} ", "\u{FE0F}"] {
            let err = Name::parse(name).unwrap_err();
            assert!(
                err.message.starts_with("Enter your name"),
                "{name:?}: {}",
                err.message
            );
        }
        // Names stored before normalisation compare the same way.
        assert_eq!(key_of("\u{410}na"), key("Ana"));
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
