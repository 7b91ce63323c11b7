//! Reads `vectors/identifiers.json` (made by an independent Python implementation) and checks
//! every valid value parses to its display form and every invalid one is refused with its kind.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use kep_pki::identifiers::date;
use kep_pki::identifiers::{DivisionCode, FreeText, PassportNumber, PassportSeries};
use kep_pki::{Email, Inn, PersonName, Phone, Snils, ValidationKind};
use serde_json::Value;

fn vectors() -> Value {
    serde_json::from_str(include_str!("vectors/identifiers.json")).unwrap()
}

/// The case's input, expanding `repeat` (long hostile inputs are not stored in the file).
fn input_of(case: &Value) -> String {
    let input = case["input"].as_str().unwrap();
    match case.get("repeat").and_then(Value::as_u64) {
        Some(n) => input.repeat(n as usize),
        None => input.to_owned(),
    }
}

fn kind_of(case: &Value) -> ValidationKind {
    serde_json::from_value(case["kind"].clone()).unwrap()
}

type Parser = fn(&str) -> Result<String, ValidationKind>;

fn parsers() -> Vec<(&'static str, Parser)> {
    vec![
        ("snils", |s| Snils::parse(s).map(|v| v.to_string())),
        ("inn", |s| Inn::parse(s).map(|v| v.to_string())),
        ("phone", |s| Phone::parse(s).map(|v| v.to_string())),
        ("email", |s| Email::parse(s).map(|v| v.to_string())),
        ("person_name", |s| {
            PersonName::parse(s).map(|v| v.to_string())
        }),
        ("passport_series", |s| {
            PassportSeries::parse(s).map(|v| v.to_string())
        }),
        ("passport_number", |s| {
            PassportNumber::parse(s).map(|v| v.to_string())
        }),
        ("division_code", |s| {
            DivisionCode::parse(s).map(|v| v.to_string())
        }),
        ("date", |s| date::parse(s).map(date::display)),
    ]
}

#[test]
fn valid_values_parse_to_their_display_form() {
    let vectors = vectors();
    for (name, parse) in parsers() {
        let cases = vectors[name]["valid"].as_array().unwrap();
        assert!(!cases.is_empty(), "{name} has no valid vectors");
        for case in cases {
            let input = input_of(case);
            let shown = parse(&input).unwrap_or_else(|e| panic!("{name} {input:?}: {e:?}"));
            assert_eq!(shown, case["display"].as_str().unwrap(), "{name} {input:?}");
            // The display form is itself accepted and stable.
            assert_eq!(parse(&shown).unwrap(), shown, "{name} {shown:?}");
        }
    }
}

#[test]
fn invalid_values_are_refused_with_their_kind() {
    let vectors = vectors();
    for (name, parse) in parsers() {
        let cases = vectors[name]["invalid"].as_array().unwrap();
        assert!(!cases.is_empty(), "{name} has no invalid vectors");
        for case in cases {
            let input = input_of(case);
            let shown: String = input.chars().take(40).collect();
            assert_eq!(parse(&input), Err(kind_of(case)), "{name} {shown:?}");
        }
    }
}

#[test]
fn at_least_thirty_generated_snils_and_inn_with_their_twins() {
    let vectors = vectors();
    for (name, kind) in [("snils", "snils_checksum"), ("inn", "inn_checksum")] {
        let twins = vectors[name]["invalid"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["kind"] == kind)
            .count();
        assert!(twins >= 30, "{name}: {twins} one-digit-off twins");
        assert!(vectors[name]["valid"].as_array().unwrap().len() >= 30);
    }
}

#[test]
fn hostile_strings_are_refused_by_every_parser() {
    let vectors = vectors();
    let mut all = parsers();
    all.push(("free_text", |s| {
        FreeText::parse(s, 200).map(|v| v.to_string())
    }));
    for case in vectors["hostile"].as_array().unwrap() {
        let input = input_of(case);
        for (name, parse) in &all {
            let accepted = parse(&input);
            // Only a digit run that happens to be a valid number of that type could pass; none
            // of the hostile strings is one.
            assert!(
                accepted.is_err(),
                "{name} accepted hostile {:?}",
                input.chars().take(40).collect::<String>()
            );
        }
    }
}
