//! Requisites as a whole: every invalid field reported at once with a stable kind and a Russian
//! message, the cross-field date rules, and the mapping to the certificate subject.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use kep_pki::ValidateRequisites;
use kep_pki::subject::{StringType, subject_attributes, subject_name};
use kep_pki::{Field, FieldError, RequisitesInput, ValidationKind};

mod common;
use common::{TODAY, sample_input as sample};

fn kinds(errors: &[FieldError]) -> Vec<(Field, ValidationKind)> {
    errors.iter().map(|e| (e.field, e.kind)).collect()
}

#[test]
fn valid_requisites_normalize_and_round_trip() {
    let r = sample().validate(TODAY).unwrap();
    assert_eq!(r.full_name(), "Иванов Иван Иванович");
    assert_eq!(r.given_name_and_patronymic(), "Иван Иванович");
    assert_eq!(r.phone.e164(), "+79123456789");
    assert_eq!(r.region.to_string(), "77 г. Москва");
    let shown = r.to_input();
    assert_eq!(shown.phone, "+7 912 345-67-89");
    assert_eq!(shown.passport_issue_date, "01.04.2005");
    assert_eq!(shown.validate(TODAY).unwrap(), r);
}

#[test]
fn no_patronymic_is_fine() {
    let mut input = sample();
    input.patronymic = "  ".into();
    let r = input.validate(TODAY).unwrap();
    assert_eq!(r.patronymic, None);
    assert_eq!(r.full_name(), "Иванов Иван");
    assert_eq!(r.given_name_and_patronymic(), "Иван");
}

#[test]
fn an_empty_form_reports_every_required_field() {
    let errors = RequisitesInput::default().validate(TODAY).unwrap_err();
    assert_eq!(errors.len(), 15, "all fields but the patronymic");
    assert!(errors.iter().all(|e| e.kind == ValidationKind::Empty));
    assert!(errors.iter().all(|e| e.message.starts_with("Укажите ")));
    assert!(!errors.iter().any(|e| e.field == Field::Patronymic));
    let snils = errors.iter().find(|e| e.field == Field::Snils).unwrap();
    assert_eq!(snils.message, "Укажите СНИЛС.");
}

#[test]
fn every_invalid_field_is_reported_at_once() {
    let mut input = sample();
    input.snils = "112-233-445 96".into();
    input.inn = "500100732258".into();
    input.phone = "+7 495 123-45-67".into();
    input.surname = "Ivanov".into();
    input.email = "ivanov@".into();
    let errors = input.validate(TODAY).unwrap_err();
    assert_eq!(
        kinds(&errors),
        vec![
            (Field::Surname, ValidationKind::NameCharacters),
            (Field::Snils, ValidationKind::SnilsChecksum),
            (Field::Inn, ValidationKind::InnChecksum),
            (Field::Email, ValidationKind::EmailFormat),
            (Field::Phone, ValidationKind::PhoneNotMobile),
        ]
    );
    let snils = &errors[1];
    assert_eq!(snils.message, "Неверное контрольное число СНИЛС.");
    // The wire form: {field, kind, message}.
    let json = serde_json::to_value(snils).unwrap();
    assert_eq!(json["field"], "snils");
    assert_eq!(json["kind"], "snils_checksum");
}

#[test]
fn dates_agree_with_today_and_each_other() {
    let check = |birth: &str, issue: &str| {
        let mut input = sample();
        input.birth_date = birth.into();
        input.passport_issue_date = issue.into();
        input
            .validate(TODAY)
            .err()
            .map(|e| kinds(&e))
            .unwrap_or_default()
    };
    assert_eq!(check("15.03.1985", "01.04.2005"), vec![]);
    assert_eq!(
        check("01.01.2030", "01.04.2005"),
        vec![(Field::BirthDate, ValidationKind::DateInFuture)]
    );
    assert_eq!(
        check("25.11.2012", "01.04.2025"),
        vec![(Field::BirthDate, ValidationKind::TooYoung)]
    );
    assert_eq!(
        check("01.01.1880", "01.04.2005"),
        vec![(Field::BirthDate, ValidationKind::TooOld)]
    );
    assert_eq!(
        check("15.03.1985", "14.03.1999"),
        vec![(
            Field::PassportIssueDate,
            ValidationKind::PassportIssuedTooEarly
        )]
    );
    assert_eq!(check("15.03.1985", "15.03.1999"), vec![]);
    assert_eq!(
        check("15.03.1985", "25.11.2026"),
        vec![(Field::PassportIssueDate, ValidationKind::DateInFuture)]
    );
    assert_eq!(
        check("31.02.1985", "01.04.2005"),
        vec![(Field::BirthDate, ValidationKind::DateFormat)]
    );
}

#[test]
fn region_code_is_two_digits() {
    for (code, ok) in [
        ("77", true),
        ("01", true),
        ("99", true),
        ("00", false),
        ("7", false),
        ("777", false),
        ("7a", false),
    ] {
        let mut input = sample();
        input.region_code = code.into();
        assert_eq!(input.validate(TODAY).is_ok(), ok, "{code}");
    }
}

#[test]
fn subject_follows_the_qualified_profile() {
    let r = sample().validate(TODAY).unwrap();
    let attributes = subject_attributes(&r);
    let by_oid = |oid: &str| {
        attributes
            .iter()
            .find(|a| a.oid.to_string() == oid)
            .unwrap_or_else(|| panic!("{oid} missing"))
    };
    let expect = [
        ("2.5.4.6", StringType::Printable, "RU"),
        ("2.5.4.8", StringType::Utf8, "77 г. Москва"),
        ("2.5.4.7", StringType::Utf8, "Москва"),
        ("2.5.4.4", StringType::Utf8, "Иванов"),
        ("2.5.4.42", StringType::Utf8, "Иван Иванович"),
        ("2.5.4.3", StringType::Utf8, "Иванов Иван Иванович"),
        ("1.2.840.113549.1.9.1", StringType::Ia5, "ivanov@example.ru"),
        ("1.2.643.100.3", StringType::Numeric, "11223344595"),
        ("1.2.643.3.131.1.1", StringType::Numeric, "500100732259"),
    ];
    assert_eq!(attributes.len(), expect.len());
    for (oid, string_type, value) in expect {
        let a = by_oid(oid);
        assert_eq!(
            (a.string_type, a.value.as_str()),
            (string_type, value),
            "{oid}"
        );
    }
}

#[test]
fn subject_der_has_the_exact_string_types() {
    use der::{Encode, Tag, Tagged};
    let r = sample().validate(TODAY).unwrap();
    let name = subject_name(&r).unwrap();
    let tags: Vec<(String, Tag)> = name
        .iter()
        .map(|atv| (atv.oid.to_string(), atv.value.tag()))
        .collect();
    assert!(tags.contains(&("1.2.643.100.3".into(), Tag::NumericString)));
    assert!(tags.contains(&("1.2.643.3.131.1.1".into(), Tag::NumericString)));
    assert!(tags.contains(&("2.5.4.6".into(), Tag::PrintableString)));
    assert!(tags.contains(&("1.2.840.113549.1.9.1".into(), Tag::Ia5String)));
    assert!(tags.contains(&("2.5.4.3".into(), Tag::Utf8String)));

    // OpenSSL reads the DER independently and names each string type.
    let der = name.to_der().unwrap();
    let dir = std::env::temp_dir().join(format!("kep-pki-subject-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("subject.der");
    std::fs::write(&path, &der).unwrap();
    let out = std::process::Command::new("openssl")
        .args(["asn1parse", "-inform", "DER", "-in"])
        .arg(&path)
        .output()
        .expect("openssl is installed by scripts/setup.sh");
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("NUMERICSTRING").count(), 2, "{text}");
    assert!(text.contains("NUMERICSTRING     :11223344595"), "{text}");
    assert!(text.contains("PRINTABLESTRING   :RU"), "{text}");
    assert!(
        text.contains("IA5STRING         :ivanov@example.ru"),
        "{text}"
    );
    assert_eq!(text.matches("UTF8STRING").count(), 5, "{text}");
}

#[test]
fn the_check_of_an_empty_form_is_all_errors_and_no_values() {
    let check = kep_pki::requisites::check(
        &RequisitesInput::default(),
        time::macros::date!(2026 - 11 - 24),
    );
    assert!(check.normalized.is_none());
    assert_eq!(check.errors.len(), 15);
    let json = serde_json::to_value(&check).unwrap();
    assert_eq!(json["errors"][0]["kind"], "empty");
    assert!(
        json["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Укажите")
    );
    assert_eq!(json["normalized"], serde_json::Value::Null);
}
