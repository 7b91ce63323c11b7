//! СНИЛС: the individual insurance account number, 11 digits shown `NNN-NNN-NNN CC`.

use super::ValidationKind;
use super::digits::{digits_only, values, weighted_sum};
use std::fmt;

/// A СНИЛС with a correct control number.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Snils(String);

/// Numbers up to 001-001-998 were issued before control numbers were checked.
const UNCHECKED_UP_TO: u32 = 1_001_998;

impl Snils {
    /// Parses a СНИЛС typed with or without spaces and dashes.
    pub fn parse(input: &str) -> Result<Self, ValidationKind> {
        let digits = digits_only(input, &[' ', '-', '\u{a0}'])?;
        if digits.len() != 11 {
            return Err(ValidationKind::SnilsLength);
        }
        let (number, control) = digits.split_at(9);
        let number_value = values(number).fold(0, |acc, d| acc * 10 + d);
        let control_value = values(control).fold(0, |acc, d| acc * 10 + d);
        if number_value > UNCHECKED_UP_TO && control_value != Self::control_number(number) {
            return Err(ValidationKind::SnilsChecksum);
        }
        Ok(Self(digits))
    }

    /// The control number of the first nine digits (domain.md §2).
    pub fn control_number(first_nine: &str) -> u32 {
        let sum = weighted_sum(first_nine, &[9, 8, 7, 6, 5, 4, 3, 2, 1]);
        match sum {
            0..=99 => sum,
            100 | 101 => 0,
            _ => match sum % 101 {
                100 => 0,
                rest => rest,
            },
        }
    }

    /// The 11 digits, as the certificate's NumericString holds them.
    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Snils {
    /// `NNN-NNN-NNN CC`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        write!(f, "{}-{}-{} {}", &d[0..3], &d[3..6], &d[6..9], &d[9..11])
    }
}

impl fmt::Debug for Snils {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Snils({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_valid_numbers() {
        for (input, shown) in [
            ("112-233-445 95", "112-233-445 95"),
            ("11223344595", "112-233-445 95"),
            ("087-654-303 00", "087-654-303 00"),
            (" 087 654 303 00 ", "087-654-303 00"),
        ] {
            assert_eq!(Snils::parse(input).unwrap().to_string(), shown);
        }
    }

    #[test]
    fn control_number_rules() {
        // 112233445: 1*9+1*8+2*7+2*6+3*5+3*4+4*3+4*2+5*1 = 95
        assert_eq!(Snils::control_number("112233445"), 95);
        // 087654303 sums to 202 → 202 mod 101 = 0
        assert_eq!(Snils::control_number("087654303"), 0);
        assert_eq!(Snils::control_number("900000001"), 82);
        // sum exactly 100 and 101 → 00
        assert_eq!(Snils::control_number("920000003"), 0);
        assert_eq!(Snils::control_number("920000004"), 0);
        // sum 201 > 101: 201 mod 101 = 100 → 00; sum 216 → 14
        assert_eq!(Snils::control_number("996100000"), 0);
        assert_eq!(Snils::control_number("999000000"), 14);
    }

    #[test]
    fn refusals() {
        assert_eq!(Snils::parse(""), Err(ValidationKind::Empty));
        assert_eq!(
            Snils::parse("112-233-445 96"),
            Err(ValidationKind::SnilsChecksum)
        );
        assert_eq!(
            Snils::parse("112-233-445"),
            Err(ValidationKind::SnilsLength)
        );
        assert_eq!(
            Snils::parse("112_233_445_95"),
            Err(ValidationKind::InvalidCharacters)
        );
        assert_eq!(
            Snils::parse("１１２２３３４４５９５"),
            Err(ValidationKind::InvalidCharacters)
        );
    }

    #[test]
    fn small_numbers_are_not_checked() {
        assert!(Snils::parse("001-001-998 42").is_ok());
        assert!(Snils::parse("000-000-001 99").is_ok());
        assert_eq!(
            Snils::parse("001-001-999 42"),
            Err(ValidationKind::SnilsChecksum)
        );
    }
}
