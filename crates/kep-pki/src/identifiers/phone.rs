//! A Russian mobile phone number, stored in E.164 (`+79XXXXXXXXX`).

use super::ValidationKind;
use super::digits::MAX_TYPED_LEN;
use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(String);

impl Phone {
    /// Accepts `+7`, `7` or `8` in front (or none), with spaces, brackets, dashes and dots.
    pub fn parse(input: &str) -> Result<Self, ValidationKind> {
        let input = input.trim();
        if input.is_empty() {
            return Err(ValidationKind::Empty);
        }
        if input.len() > MAX_TYPED_LEN {
            return Err(ValidationKind::TooLong);
        }
        let (plus, rest) = match input.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, input),
        };
        let mut digits = String::with_capacity(11);
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '\u{a0}' | '(' | ')' | '-' | '.' => {}
                _ => return Err(ValidationKind::PhoneFormat),
            }
        }
        let national = match (plus, digits.len()) {
            (true, 11) => digits.strip_prefix('7'),
            (false, 11) => digits
                .strip_prefix('8')
                .or_else(|| digits.strip_prefix('7')),
            (false, 10) => Some(digits.as_str()),
            _ => None,
        }
        .ok_or(ValidationKind::PhoneFormat)?;
        if !national.starts_with('9') {
            return Err(ValidationKind::PhoneNotMobile);
        }
        Ok(Self(format!("+7{national}")))
    }

    /// E.164, e.g. `+79123456789`.
    pub fn e164(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    /// `+7 912 345-67-89`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = &self.0[2..];
        write!(f, "+7 {} {}-{}-{}", &n[0..3], &n[3..6], &n[6..8], &n[8..10])
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_usual_ways_of_writing() {
        for input in [
            "+79123456789",
            "+7 (912) 345-67-89",
            "8 912 345 67 89",
            "89123456789",
            "79123456789",
            "9123456789",
            "8-912-345-67-89",
            "+7 912 345.67.89",
        ] {
            let phone = Phone::parse(input).unwrap();
            assert_eq!(phone.e164(), "+79123456789", "{input}");
            assert_eq!(phone.to_string(), "+7 912 345-67-89");
        }
    }

    #[test]
    fn refusals() {
        assert_eq!(Phone::parse(""), Err(ValidationKind::Empty));
        assert_eq!(
            Phone::parse("+7 495 123-45-67"),
            Err(ValidationKind::PhoneNotMobile)
        );
        assert_eq!(
            Phone::parse("+8 912 345 67 89"),
            Err(ValidationKind::PhoneFormat)
        );
        assert_eq!(
            Phone::parse("+380 91 234 5678"),
            Err(ValidationKind::PhoneFormat)
        );
        assert_eq!(Phone::parse("912345678"), Err(ValidationKind::PhoneFormat));
        assert_eq!(
            Phone::parse("+7 912 345 67 89 0"),
            Err(ValidationKind::PhoneFormat)
        );
        assert_eq!(
            Phone::parse("+7 912 ABC 67 89"),
            Err(ValidationKind::PhoneFormat)
        );
        assert_eq!(
            Phone::parse("7+9123456789"),
            Err(ValidationKind::PhoneFormat)
        );
    }
}
