//! The requisites form across IPC and the CA API. The types themselves live in kep-pki (one
//! implementation of every check); this module is what both sides exchange.

pub use kep_pki::{Field, FieldError, RequisitesInput, ValidationKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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

/// Checks `input` as of `today` (the caller's date: the core reads no clock).
pub fn check_requisites(input: &RequisitesInput, today: time::Date) -> RequisitesCheck {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_form_is_all_errors_and_no_values() {
        let check = check_requisites(
            &RequisitesInput::default(),
            time::macros::date!(2026 - 11 - 24),
        );
        assert!(check.normalized.is_none());
        assert_eq!(check.errors.len(), 15);
        let json = serde_json::to_value(&check).unwrap();
        assert_eq!(json["errors"][0]["kind"], "empty");
        assert_eq!(json["normalized"], serde_json::Value::Null);
    }
}
