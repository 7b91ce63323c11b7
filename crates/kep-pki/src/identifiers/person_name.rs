//! A surname, given name or patronymic as a Russian passport writes it.

use super::ValidationKind;
use super::text::{collapse_whitespace, is_russian_letter};
use std::fmt;

/// Longest name part we accept (the passport's own field is shorter in practice).
pub const MAX_NAME_CHARS: usize = 60;

/// Russian letters with single hyphens, spaces or apostrophes between them.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, ValidationKind> {
        // The typographic apostrophe is what phones and word processors type.
        let input = input.replace('’', "'");
        let name = collapse_whitespace(&input, MAX_NAME_CHARS)?;
        let mut previous_separator = true; // a name cannot start with a separator
        for c in name.chars() {
            if is_russian_letter(c) {
                previous_separator = false;
            } else if matches!(c, '-' | ' ' | '\'') && !previous_separator {
                previous_separator = true;
            } else {
                return Err(ValidationKind::NameCharacters);
            }
        }
        if previous_separator {
            return Err(ValidationKind::NameCharacters);
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonName({:?})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_names() {
        for (input, stored) in [
            ("Иванов", "Иванов"),
            ("  Салтыков-Щедрин ", "Салтыков-Щедрин"),
            ("Д’Артаньян", "Д'Артаньян"),
            ("Анна  Мария", "Анна Мария"),
            ("Ёлкина", "Ёлкина"),
        ] {
            assert_eq!(PersonName::parse(input).unwrap().as_str(), stored);
        }
    }

    #[test]
    fn refusals() {
        assert_eq!(PersonName::parse(""), Err(ValidationKind::Empty));
        for bad in [
            "Ivanov",
            "Иванoв",
            "Иванов1",
            "-Иванов",
            "Иванов-",
            "Иван--ов",
            "Иван -ов",
            "Иванов!",
        ] {
            assert_eq!(
                PersonName::parse(bad),
                Err(ValidationKind::NameCharacters),
                "{bad}"
            );
        }
        assert_eq!(
            PersonName::parse(&"Я".repeat(61)),
            Err(ValidationKind::TooLong)
        );
        assert_eq!(
            PersonName::parse(&"Я".repeat(1 << 20)),
            Err(ValidationKind::TooLong)
        );
    }
}
