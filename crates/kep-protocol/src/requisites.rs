//! The requisites form across IPC and the CA API: the form as typed, which field a refusal
//! belongs to, why it was refused, and the answer to a check. kep-pki validates these (one
//! implementation of every check); this module is only what both sides exchange.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The requisites as the form holds them: every value a string, exactly as typed. Dates are
/// `ДД.ММ.ГГГГ` or ISO `ГГГГ-ММ-ДД`; an empty patronymic means none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RequisitesInput {
    pub surname: String,
    pub given_name: String,
    pub patronymic: String,
    pub birth_date: String,
    pub passport_series: String,
    pub passport_number: String,
    pub passport_issue_date: String,
    pub passport_issuer: String,
    pub passport_division_code: String,
    pub snils: String,
    pub inn: String,
    pub email: String,
    pub phone: String,
    pub region_code: String,
    pub region_name: String,
    pub locality: String,
}

/// A stable, machine-readable reason. The UI and the CA branch on it; the spelling never changes
/// (new kinds are added).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ValidationKind {
    #[error("the value is empty")]
    Empty,
    #[error("the value is too long")]
    TooLong,
    #[error("the value contains characters that are not allowed")]
    InvalidCharacters,
    #[error("a СНИЛС has 11 digits")]
    SnilsLength,
    #[error("the СНИЛС control number is wrong")]
    SnilsChecksum,
    #[error("an individual's ИНН has 12 digits")]
    InnLength,
    #[error("a 10-digit ИНН belongs to an organization, not an individual")]
    InnOfOrganization,
    #[error("the ИНН control digits are wrong")]
    InnChecksum,
    #[error("not a Russian phone number")]
    PhoneFormat,
    #[error("not a mobile number (+7 9XX …)")]
    PhoneNotMobile,
    #[error("not an e-mail address")]
    EmailFormat,
    #[error("the passport series has 4 digits")]
    PassportSeries,
    #[error("the passport number has 6 digits")]
    PassportNumber,
    #[error("the division code is NNN-NNN")]
    DivisionCode,
    #[error("names are written in Russian letters, with hyphen, space or apostrophe")]
    NameCharacters,
    #[error("not a date (YYYY-MM-DD)")]
    DateFormat,
    #[error("the date is in the future")]
    DateInFuture,
    #[error("the owner is too young for a passport")]
    TooYoung,
    #[error("the birth date is implausibly early")]
    TooOld,
    #[error("the passport was issued before its owner turned 14")]
    PassportIssuedTooEarly,
    #[error("the region code has 2 digits, 01 to 99")]
    RegionCode,
}

/// A field of the requisites form, as the UI and the API name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Field {
    Surname,
    GivenName,
    Patronymic,
    BirthDate,
    PassportSeries,
    PassportNumber,
    PassportIssueDate,
    PassportIssuer,
    PassportDivisionCode,
    Snils,
    Inn,
    Email,
    Phone,
    RegionCode,
    RegionName,
    Locality,
}

/// One invalid field: where, why (stable), and a Russian sentence to show under the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{field:?}: {kind}")]
#[ts(export)]
pub struct FieldError {
    pub field: Field,
    pub kind: ValidationKind,
    pub message: String,
}

/// The answer to "are these requisites valid?": either the values in their normalized display
/// form, or every invalid field with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RequisitesCheck {
    /// The requisites as they will be used (e.g. the phone as `+7 912 345-67-89`), when valid.
    pub normalized: Option<RequisitesInput>,
    /// Every invalid field; empty when the requisites are valid.
    pub errors: Vec<FieldError>,
}
