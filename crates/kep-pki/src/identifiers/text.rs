//! Free text fields of the requisites (passport issuer, region, locality): Russian letters,
//! digits and common punctuation, trimmed, inner whitespace collapsed.

use super::ValidationKind;
use std::fmt;

const PUNCTUATION: &str = " .,-–—()\"«»№/':;";

/// Text of at most `max_chars` characters, Cyrillic letters only (no Latin look-alikes).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FreeText(String);

impl FreeText {
    pub fn parse(input: &str, max_chars: usize) -> Result<Self, ValidationKind> {
        let normalized = collapse_whitespace(input, max_chars)?;
        if !normalized
            .chars()
            .all(|c| is_russian_letter(c) || c.is_ascii_digit() || PUNCTUATION.contains(c))
        {
            return Err(ValidationKind::InvalidCharacters);
        }
        if !normalized.chars().any(is_russian_letter) {
            return Err(ValidationKind::InvalidCharacters);
        }
        Ok(Self(normalized))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The letters of the Russian alphabet, upper and lower case, with Ё.
pub(crate) fn is_russian_letter(c: char) -> bool {
    matches!(c, 'А'..='я' | 'Ё' | 'ё')
}

/// Trims, turns every run of whitespace into one space, and enforces the length limit (in
/// characters) before anything else: a huge input is refused without being copied.
pub(crate) fn collapse_whitespace(input: &str, max_chars: usize) -> Result<String, ValidationKind> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(ValidationKind::Empty);
    }
    // Each character is at most 4 bytes; a generous byte bound first, then the exact count.
    if trimmed.len() > max_chars * 4 * 2 {
        return Err(ValidationKind::TooLong);
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut in_space = false;
    for c in trimmed.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else if c.is_control() || is_invisible(c) {
            return Err(ValidationKind::InvalidCharacters);
        } else {
            out.push(c);
            in_space = false;
        }
    }
    if out.chars().count() > max_chars {
        return Err(ValidationKind::TooLong);
    }
    Ok(out)
}

/// Zero-width and direction-control characters: invisible, and a classic way to make two
/// different strings look the same.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

impl fmt::Display for FreeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for FreeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FreeText({:?})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes() {
        let t = FreeText::parse("  ГУ МВД  России\tпо г. Москве ", 200).unwrap();
        assert_eq!(t.as_str(), "ГУ МВД России по г. Москве");
        assert_eq!(
            FreeText::parse("Отделом № 2 (Тверской р-н)", 200)
                .unwrap()
                .as_str(),
            "Отделом № 2 (Тверской р-н)"
        );
    }

    #[test]
    fn refusals() {
        assert_eq!(FreeText::parse("   ", 10), Err(ValidationKind::Empty));
        assert_eq!(FreeText::parse("Москва", 5), Err(ValidationKind::TooLong));
        assert_eq!(
            FreeText::parse("Mосква", 50),
            Err(ValidationKind::InvalidCharacters)
        ); // Latin M
        assert_eq!(
            FreeText::parse("Мос\u{0}ква", 50),
            Err(ValidationKind::InvalidCharacters)
        );
        assert_eq!(
            FreeText::parse("Мос\u{200b}ква", 50),
            Err(ValidationKind::InvalidCharacters)
        );
        assert_eq!(
            FreeText::parse("123", 50),
            Err(ValidationKind::InvalidCharacters)
        );
    }
}
