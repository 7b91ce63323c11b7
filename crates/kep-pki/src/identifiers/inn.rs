//! ИНН of an individual: 12 digits, two control digits.

use super::ValidationKind;
use super::digits::{digits_only, values, weighted_sum};
use std::fmt;

const WEIGHTS_11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const WEIGHTS_12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const WEIGHTS_LEGAL: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];

/// An individual's ИНН with correct control digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Inn(String);

impl Inn {
    pub fn parse(input: &str) -> Result<Self, ValidationKind> {
        let digits = digits_only(input, &[' ', '\u{a0}'])?;
        match digits.len() {
            12 => {}
            10 if control(&digits[..9], &WEIGHTS_LEGAL) == last(&digits) => {
                return Err(ValidationKind::InnOfOrganization);
            }
            _ => return Err(ValidationKind::InnLength),
        }
        let d11 = control(&digits[..10], &WEIGHTS_11);
        let d12 = control(&digits[..11], &WEIGHTS_12);
        let given: Vec<u32> = values(&digits[10..]).collect();
        if given != [d11, d12] {
            return Err(ValidationKind::InnChecksum);
        }
        Ok(Self(digits))
    }

    /// The two control digits of the first ten digits.
    pub fn control_digits(first_ten: &str) -> (u32, u32) {
        let d11 = control(first_ten, &WEIGHTS_11);
        let with_d11 = format!("{first_ten}{d11}");
        (d11, control(&with_d11, &WEIGHTS_12))
    }

    /// The 12 digits, as the certificate's NumericString holds them.
    pub fn digits(&self) -> &str {
        &self.0
    }
}

fn control(digits: &str, weights: &[u32]) -> u32 {
    weighted_sum(digits, weights) % 11 % 10
}

fn last(digits: &str) -> u32 {
    values(digits).last().unwrap_or(u32::MAX)
}

impl fmt::Display for Inn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Inn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Inn({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_valid_numbers() {
        for inn in ["123456789047", "500100732259", " 5001 0073 2259 "] {
            assert!(Inn::parse(inn).is_ok(), "{inn}");
        }
        assert_eq!(Inn::control_digits("1234567890"), (4, 7));
    }

    #[test]
    fn refusals() {
        assert_eq!(Inn::parse("123456789048"), Err(ValidationKind::InnChecksum));
        assert_eq!(Inn::parse("123456789037"), Err(ValidationKind::InnChecksum));
        assert_eq!(Inn::parse("12345678904"), Err(ValidationKind::InnLength));
        // 7707083893 is a well-known valid legal-entity ИНН.
        assert_eq!(
            Inn::parse("7707083893"),
            Err(ValidationKind::InnOfOrganization)
        );
        assert_eq!(Inn::parse("7707083894"), Err(ValidationKind::InnLength));
        assert_eq!(
            Inn::parse("12345-6789047"),
            Err(ValidationKind::InvalidCharacters)
        );
    }
}
