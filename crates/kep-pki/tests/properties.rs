//! Properties: every formatted value parses back to itself, in whatever way it was typed; no
//! input makes any parser (or the whole form's validation) panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use kep_pki::ValidateRequisites;
use kep_pki::identifiers::date;
use kep_pki::identifiers::{DivisionCode, FreeText, PassportNumber, PassportSeries};
use kep_pki::{Email, Inn, PersonName, Phone, RequisitesInput, Snils};
use proptest::prelude::*;
use time::macros::date;

fn digits(n: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0u8..10, n)
        .prop_map(|v| v.into_iter().map(|d| char::from(b'0' + d)).collect())
}

fn valid_snils() -> impl Strategy<Value = String> {
    digits(9)
        .prop_filter("checked range", |n| n.parse::<u32>().unwrap() > 1_001_998)
        .prop_map(|nine| format!("{nine}{:02}", Snils::control_number(&nine)))
}

fn valid_inn() -> impl Strategy<Value = String> {
    digits(10).prop_map(|ten| {
        let (a, b) = Inn::control_digits(&ten);
        format!("{ten}{a}{b}")
    })
}

/// Separators people put between digit groups.
fn sep() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just(""), Just(" "), Just("-")]
}

fn russian_word() -> impl Strategy<Value = String> {
    "[А-Яа-яЁё]{1,12}"
}

fn person_name() -> impl Strategy<Value = String> {
    (
        russian_word(),
        proptest::option::of((prop_oneof![Just("-"), Just(" "), Just("'")], russian_word())),
    )
        .prop_map(|(a, rest)| match rest {
            Some((s, b)) => format!("{a}{s}{b}"),
            None => a,
        })
}

/// Inputs that look almost right: the characters people and attackers actually send.
fn near_miss() -> impl Strategy<Value = String> {
    const CHARS: &[char] = &[
        '0', '9', '5', ' ', '-', '+', '(', ')', '.', '@', '\'', 'А', 'я', 'ё', 'a', 'Z', '\u{0}',
        '\u{200b}', '\u{202e}', '\u{ff11}', '\u{a0}', '𝟗', 'é', '\n',
    ];
    proptest::collection::vec(proptest::sample::select(CHARS), 0..40)
        .prop_map(|v| v.into_iter().collect())
}

fn every_parser(s: &str) {
    let _ = Snils::parse(s);
    let _ = Inn::parse(s);
    let _ = Phone::parse(s);
    let _ = Email::parse(s);
    let _ = PersonName::parse(s);
    let _ = PassportSeries::parse(s);
    let _ = PassportNumber::parse(s);
    let _ = DivisionCode::parse(s);
    let _ = FreeText::parse(s, 200);
    let _ = date::parse(s);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn snils_round_trips(s in valid_snils(), a in sep(), b in sep(), c in sep()) {
        let typed = format!("{}{a}{}{b}{}{c}{}", &s[0..3], &s[3..6], &s[6..9], &s[9..]);
        let parsed = Snils::parse(&typed).unwrap();
        prop_assert_eq!(parsed.digits(), s.as_str());
        prop_assert_eq!(Snils::parse(&parsed.to_string()).unwrap(), parsed);
    }

    #[test]
    fn snils_one_digit_off_is_refused(s in valid_snils(), i in 0usize..11, delta in 1u8..10) {
        let mut bytes = s.into_bytes();
        bytes[i] = b'0' + (bytes[i] - b'0' + delta) % 10;
        let twin = String::from_utf8(bytes).unwrap();
        // A changed digit can move the number into the unchecked range, or (rarely, through the
        // mod-101 wrap) hit another valid control number: only assert what the rule implies.
        let nine: u32 = twin[..9].parse().unwrap();
        let control: u32 = twin[9..].parse().unwrap();
        let expected_ok = nine <= 1_001_998 || control == Snils::control_number(&twin[..9]);
        prop_assert_eq!(Snils::parse(&twin).is_ok(), expected_ok);
    }

    #[test]
    fn inn_round_trips_and_twins_fail(s in valid_inn(), i in 0usize..12, delta in 1u8..10) {
        let parsed = Inn::parse(&s).unwrap();
        prop_assert_eq!(Inn::parse(&parsed.to_string()).unwrap(), parsed);
        let mut bytes = s.into_bytes();
        bytes[i] = b'0' + (bytes[i] - b'0' + delta) % 10;
        let twin = String::from_utf8(bytes).unwrap();
        let (a, b) = Inn::control_digits(&twin[..10]);
        let expected_ok = twin[10..] == format!("{a}{b}");
        prop_assert_eq!(Inn::parse(&twin).is_ok(), expected_ok);
    }

    #[test]
    fn phone_round_trips(rest in digits(9), prefix in prop_oneof![Just("+7"), Just("8"), Just("7"), Just("")], a in sep(), b in sep()) {
        let typed = format!("{prefix}{a}9{}{b}{}", &rest[..2], &rest[2..]);
        let phone = Phone::parse(&typed).unwrap();
        prop_assert_eq!(phone.e164(), format!("+79{rest}"));
        prop_assert_eq!(Phone::parse(&phone.to_string()).unwrap(), phone);
    }

    #[test]
    fn email_round_trips(local in "[a-z0-9]([a-z0-9._+-]{0,20}[a-z0-9])?", domain in "[a-z]{1,10}(\\.[a-z]{2,6}){1,2}") {
        prop_assume!(!local.contains(".."));
        let email = Email::parse(&format!("{local}@{domain}")).unwrap();
        prop_assert_eq!(Email::parse(&email.to_string()).unwrap(), email);
    }

    #[test]
    fn names_round_trip(name in person_name(), pad in "[ ]{0,3}") {
        let parsed = PersonName::parse(&format!("{pad}{name}{pad}")).unwrap();
        prop_assert_eq!(parsed.as_str(), name.as_str());
        prop_assert_eq!(PersonName::parse(&parsed.to_string()).unwrap(), parsed);
    }

    #[test]
    fn passport_parts_round_trip(series in digits(4), number in digits(6), code in digits(6)) {
        let s = PassportSeries::parse(&series).unwrap();
        prop_assert_eq!(PassportSeries::parse(&s.to_string()).unwrap(), s);
        let n = PassportNumber::parse(&number).unwrap();
        prop_assert_eq!(PassportNumber::parse(&n.to_string()).unwrap(), n);
        let c = DivisionCode::parse(&code).unwrap();
        prop_assert_eq!(DivisionCode::parse(&c.to_string()).unwrap(), c);
    }

    #[test]
    fn dates_round_trip(days in 0i32..60_000) {
        let d = date!(1900 - 01 - 01) + time::Duration::days(i64::from(days));
        prop_assert_eq!(date::parse(&date::display(d)).unwrap(), d);
        prop_assert_eq!(date::parse(&date::iso(d)).unwrap(), d);
    }

    #[test]
    fn no_string_panics_any_parser(s in any::<String>()) {
        every_parser(&s);
    }

    #[test]
    fn no_near_miss_panics_any_parser(s in near_miss()) {
        every_parser(&s);
    }

    #[test]
    fn no_form_panics_validation(fields in proptest::collection::vec(near_miss(), 16)) {
        let f = |i: usize| fields[i].clone();
        let input = RequisitesInput {
            surname: f(0), given_name: f(1), patronymic: f(2), birth_date: f(3),
            passport_series: f(4), passport_number: f(5), passport_issue_date: f(6),
            passport_issuer: f(7), passport_division_code: f(8), snils: f(9), inn: f(10),
            email: f(11), phone: f(12), region_code: f(13), region_name: f(14), locality: f(15),
        };
        match input.validate(date!(2026 - 11 - 24)) {
            Ok(r) => prop_assert_eq!(r.to_input().validate(date!(2026 - 11 - 24)).unwrap(), r),
            Err(errors) => prop_assert!(errors.iter().all(|e| !e.message.is_empty())),
        }
    }
}
