//! The Russian internal passport: series, number, issue date, issuer, division code.

use super::ValidationKind;
use super::digits::digits_only;
use super::text::FreeText;
use std::fmt;
use time::Date;

/// Longest issuer text we accept ("кем выдан").
pub const MAX_ISSUER_CHARS: usize = 200;

macro_rules! digit_string {
    ($(#[$doc:meta])* $name:ident, $len:expr, $separators:expr, $kind:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub fn parse(input: &str) -> Result<Self, ValidationKind> {
                let digits = digits_only(input, $separators).map_err(|kind| match kind {
                    ValidationKind::InvalidCharacters | ValidationKind::TooLong => $kind,
                    other => other,
                })?;
                if digits.len() != $len {
                    return Err($kind);
                }
                Ok(Self(digits))
            }

            /// The digits alone.
            pub fn digits(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }
    };
}

digit_string!(
    /// Four digits, shown `NN NN`.
    PassportSeries, 4, &[' ', '\u{a0}'], ValidationKind::PassportSeries
);
digit_string!(
    /// Six digits.
    PassportNumber, 6, &[' ', '\u{a0}'], ValidationKind::PassportNumber
);
digit_string!(
    /// The issuing division's code, shown `NNN-NNN`.
    DivisionCode, 6, &[' ', '-', '\u{a0}'], ValidationKind::DivisionCode
);

impl fmt::Display for PassportSeries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", &self.0[..2], &self.0[2..])
    }
}

impl fmt::Display for PassportNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for DivisionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", &self.0[..3], &self.0[3..])
    }
}

/// A passport whose parts are each valid. Whether its dates agree with the owner's birth date
/// and today is checked with the rest of the requisites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassportRf {
    pub series: PassportSeries,
    pub number: PassportNumber,
    pub issue_date: Date,
    pub issuer: FreeText,
    pub division_code: DivisionCode,
}

impl fmt::Display for PassportRf {
    /// `45 06 123456, выдан 01.02.2010, ГУ МВД России по г. Москве, код подразделения 770-001`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}, выдан {}, {}, код подразделения {}",
            self.series,
            self.number,
            super::date::display(self.issue_date),
            self.issuer,
            self.division_code
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_parse_and_display() {
        assert_eq!(PassportSeries::parse("45 06").unwrap().to_string(), "45 06");
        assert_eq!(PassportSeries::parse("4506").unwrap().digits(), "4506");
        assert_eq!(
            PassportNumber::parse("123456").unwrap().to_string(),
            "123456"
        );
        assert_eq!(
            DivisionCode::parse("770001").unwrap().to_string(),
            "770-001"
        );
        assert_eq!(
            DivisionCode::parse(" 770-001 ").unwrap().to_string(),
            "770-001"
        );
    }

    #[test]
    fn refusals() {
        assert_eq!(
            PassportSeries::parse("450"),
            Err(ValidationKind::PassportSeries)
        );
        assert_eq!(
            PassportSeries::parse("45-06"),
            Err(ValidationKind::PassportSeries)
        );
        assert_eq!(PassportSeries::parse(""), Err(ValidationKind::Empty));
        assert_eq!(
            PassportNumber::parse("12345"),
            Err(ValidationKind::PassportNumber)
        );
        assert_eq!(
            PassportNumber::parse("12345X"),
            Err(ValidationKind::PassportNumber)
        );
        assert_eq!(
            DivisionCode::parse("770-00"),
            Err(ValidationKind::DivisionCode)
        );
        assert_eq!(
            DivisionCode::parse("770/001"),
            Err(ValidationKind::DivisionCode)
        );
    }
}
