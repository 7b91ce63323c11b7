//! The certificate owner's requisites: what the form holds (`RequisitesInput`, plain strings as
//! typed) and what validation makes of it (`Requisites`, only valid values).

use crate::identifiers::date::{self, full_years};
use crate::identifiers::{
    DivisionCode, Email, Field, FieldError, FreeText, Inn, PassportNumber, PassportRf,
    PassportSeries, PersonName, Phone, Snils, ValidationKind,
};
use kep_protocol::RequisitesCheck;
use std::fmt;
use time::Date;

pub use kep_protocol::RequisitesInput;

/// Longest region name and locality we accept.
pub const MAX_PLACE_CHARS: usize = 128;
/// A passport is issued at 14.
pub const PASSPORT_AGE: i32 = 14;
/// Older than this is a typing mistake.
pub const MAX_AGE: i32 = 120;

/// A federal subject of Russia: its two-digit code and its name, e.g. `77 г. Москва`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub code: u8,
    pub name: FreeText,
}

impl Region {
    pub fn parse_code(input: &str) -> Result<u8, ValidationKind> {
        let input = input.trim();
        if input.is_empty() {
            return Err(ValidationKind::Empty);
        }
        match input.as_bytes() {
            [a @ b'0'..=b'9', b @ b'0'..=b'9'] => {
                let code = (a - b'0') * 10 + (b - b'0');
                if code == 0 {
                    Err(ValidationKind::RegionCode)
                } else {
                    Ok(code)
                }
            }
            _ => Err(ValidationKind::RegionCode),
        }
    }
}

impl fmt::Display for Region {
    /// The certificate's stateOrProvinceName form: `77 г. Москва`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02} {}", self.code, self.name)
    }
}

/// Requisites in which every value is valid and consistent with the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requisites {
    pub surname: PersonName,
    pub given_name: PersonName,
    pub patronymic: Option<PersonName>,
    pub birth_date: Date,
    pub passport: PassportRf,
    pub snils: Snils,
    pub inn: Inn,
    pub email: Email,
    pub phone: Phone,
    pub region: Region,
    pub locality: FreeText,
}

/// Collects every field's outcome, so that all invalid fields are reported at once.
struct Collector(Vec<FieldError>);

impl Collector {
    fn take<T>(&mut self, field: Field, result: Result<T, ValidationKind>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(kind) => {
                self.0.push(crate::identifiers::field_error(field, kind));
                None
            }
        }
    }
}

/// The one implementation of every requisites check, on the form as it crosses IPC and HTTP.
pub trait ValidateRequisites {
    /// Validates every field against its type and the fields against each other (dates against
    /// `today` and the birth date). Either all are valid, or every invalid field is reported.
    fn validate(&self, today: Date) -> Result<Requisites, Vec<FieldError>>;
}

/// The answer to "are these requisites valid?" as of `today` (the caller's date: the core reads
/// no clock): the values in their display form, or every invalid field with its reason.
pub fn check(input: &RequisitesInput, today: Date) -> RequisitesCheck {
    match input.validate(today) {
        Ok(requisites) => RequisitesCheck {
            normalized: Some(requisites.to_input()),
            errors: Vec::new(),
        },
        Err(errors) => RequisitesCheck {
            normalized: None,
            errors,
        },
    }
}

impl ValidateRequisites for RequisitesInput {
    fn validate(&self, today: Date) -> Result<Requisites, Vec<FieldError>> {
        let mut c = Collector(Vec::new());
        let surname = c.take(Field::Surname, PersonName::parse(&self.surname));
        let given_name = c.take(Field::GivenName, PersonName::parse(&self.given_name));
        let patronymic = if self.patronymic.trim().is_empty() {
            Some(None)
        } else {
            c.take(
                Field::Patronymic,
                PersonName::parse(&self.patronymic).map(Some),
            )
        };
        let birth_date = c.take(
            Field::BirthDate,
            date::parse(&self.birth_date).and_then(|d| check_birth_date(d, today)),
        );
        let series = c.take(
            Field::PassportSeries,
            PassportSeries::parse(&self.passport_series),
        );
        let number = c.take(
            Field::PassportNumber,
            PassportNumber::parse(&self.passport_number),
        );
        let issue_date = c.take(
            Field::PassportIssueDate,
            date::parse(&self.passport_issue_date)
                .and_then(|d| check_issue_date(d, birth_date, today)),
        );
        let issuer = c.take(
            Field::PassportIssuer,
            FreeText::parse(
                &self.passport_issuer,
                crate::identifiers::passport::MAX_ISSUER_CHARS,
            ),
        );
        let division_code = c.take(
            Field::PassportDivisionCode,
            DivisionCode::parse(&self.passport_division_code),
        );
        let snils = c.take(Field::Snils, Snils::parse(&self.snils));
        let inn = c.take(Field::Inn, Inn::parse(&self.inn));
        let email = c.take(Field::Email, Email::parse(&self.email));
        let phone = c.take(Field::Phone, Phone::parse(&self.phone));
        let region_code = c.take(Field::RegionCode, Region::parse_code(&self.region_code));
        let region_name = c.take(
            Field::RegionName,
            FreeText::parse(&self.region_name, MAX_PLACE_CHARS),
        );
        let locality = c.take(
            Field::Locality,
            FreeText::parse(&self.locality, MAX_PLACE_CHARS),
        );

        match (
            surname,
            given_name,
            patronymic,
            birth_date,
            series,
            number,
            issue_date,
            issuer,
            division_code,
            snils,
            inn,
            email,
            phone,
            region_code,
            region_name,
            locality,
        ) {
            (
                Some(surname),
                Some(given_name),
                Some(patronymic),
                Some(birth_date),
                Some(series),
                Some(number),
                Some(issue_date),
                Some(issuer),
                Some(division_code),
                Some(snils),
                Some(inn),
                Some(email),
                Some(phone),
                Some(code),
                Some(name),
                Some(locality),
            ) if c.0.is_empty() => Ok(Requisites {
                surname,
                given_name,
                patronymic,
                birth_date,
                passport: PassportRf {
                    series,
                    number,
                    issue_date,
                    issuer,
                    division_code,
                },
                snils,
                inn,
                email,
                phone,
                region: Region { code, name },
                locality,
            }),
            _ => Err(c.0),
        }
    }
}

fn check_birth_date(birth: Date, today: Date) -> Result<Date, ValidationKind> {
    if birth > today {
        return Err(ValidationKind::DateInFuture);
    }
    let age = full_years(birth, today);
    if age < PASSPORT_AGE {
        return Err(ValidationKind::TooYoung);
    }
    if age > MAX_AGE {
        return Err(ValidationKind::TooOld);
    }
    Ok(birth)
}

fn check_issue_date(issue: Date, birth: Option<Date>, today: Date) -> Result<Date, ValidationKind> {
    if issue > today {
        return Err(ValidationKind::DateInFuture);
    }
    match birth {
        Some(birth) if full_years(birth, issue) < PASSPORT_AGE => {
            Err(ValidationKind::PassportIssuedTooEarly)
        }
        _ => Ok(issue),
    }
}

impl Requisites {
    /// ФИО as one line: surname, given name, patronymic.
    pub fn full_name(&self) -> String {
        let mut name = format!("{} {}", self.surname, self.given_name);
        if let Some(patronymic) = &self.patronymic {
            name.push(' ');
            name.push_str(patronymic.as_str());
        }
        name
    }

    /// The certificate's givenName: the given name and the patronymic, one space between.
    pub fn given_name_and_patronymic(&self) -> String {
        match &self.patronymic {
            Some(p) => format!("{} {}", self.given_name, p),
            None => self.given_name.to_string(),
        }
    }

    /// The requisites back as the form shows them, in their normalized display forms.
    pub fn to_input(&self) -> RequisitesInput {
        RequisitesInput {
            surname: self.surname.to_string(),
            given_name: self.given_name.to_string(),
            patronymic: self
                .patronymic
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            birth_date: date::display(self.birth_date),
            passport_series: self.passport.series.to_string(),
            passport_number: self.passport.number.to_string(),
            passport_issue_date: date::display(self.passport.issue_date),
            passport_issuer: self.passport.issuer.to_string(),
            passport_division_code: self.passport.division_code.to_string(),
            snils: self.snils.to_string(),
            inn: self.inn.to_string(),
            email: self.email.to_string(),
            phone: self.phone.to_string(),
            region_code: format!("{:02}", self.region.code),
            region_name: self.region.name.to_string(),
            locality: self.locality.to_string(),
        }
    }
}
