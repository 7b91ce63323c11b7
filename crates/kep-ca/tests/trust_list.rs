//! The Ministry's list of accredited CAs read as a stream (#25): a list in the published shape
//! read whole; every kind of hostile or broken XML refused with its own error, never expanded.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kep_ca::trust::accredited::{Accreditation, AccreditedCa, ListHeader};
use kep_ca::trust::tsl::{DEFAULT_CAP, MAX_DEPTH, TslReader};
use kep_ca::trust::tsl_error::TslError;
use kep_system_tests::tsl::{self, Ca, Certificate, Key};

fn read_all(xml: &[u8], cap: u64) -> Result<(ListHeader, Vec<AccreditedCa>), TslError> {
    let (header, mut reader) = TslReader::open(xml, cap)?;
    let mut cas = Vec::new();
    while let Some(ca) = reader.next_ca()? {
        cas.push(ca);
    }
    Ok((header, cas))
}

fn refusal(xml: impl AsRef<[u8]>) -> TslError {
    read_all(xml.as_ref(), DEFAULT_CAP).expect_err("refused")
}

fn certificate(der: &[u8], serial: &str) -> Certificate {
    Certificate {
        der: der.to_vec(),
        serial: serial.into(),
        valid: (
            "2024-01-01T00:00:00+03:00".into(),
            "2039-01-01T00:00:00".into(),
        ),
        wrong_thumbprint: false,
    }
}

fn two_cas() -> Vec<Ca> {
    vec![
        Ca {
            name: "ООО «Удостоверяющий центр & Ко»".into(),
            inn: "7701234567".into(),
            ogrn: "1027700000001".into(),
            registry_number: "101".into(),
            status: ("Действует".into(), "2021-07-01T00:00:00+03:00".into()),
            history: vec![],
            keys: vec![Key {
                key_id: "a1b2c3".into(),
                crl_urls: vec![
                    "http://uc.example.ru/crl/1.crl".into(),
                    "http://backup.example.ru/1.crl".into(),
                ],
                certificates: vec![
                    certificate(b"certificate one", "01ab"),
                    Certificate {
                        wrong_thumbprint: true,
                        ..certificate(b"certificate two", "02")
                    },
                ],
            }],
        },
        Ca {
            name: "АО «Бывший УЦ»".into(),
            inn: "7707654321".into(),
            ogrn: "1027700000002".into(),
            registry_number: "202".into(),
            status: ("Прекращена".into(), "2025-03-01".into()),
            history: vec![("Действует".into(), "2019-01-01T00:00:00Z".into())],
            keys: vec![],
        },
    ]
}

#[test]
fn a_list_in_the_published_shape_is_read_ca_by_ca() {
    let xml = tsl::write(1207, "2026-11-30T10:00:00.000+03:00", &two_cas());
    let (header, cas) = read_all(xml.as_bytes(), DEFAULT_CAP).unwrap();
    assert_eq!(header.version, 1207);
    assert_eq!(header.date, 1_796_022_000);
    assert_eq!(cas.len(), 2);

    let active = &cas[0];
    assert_eq!(active.name, "ООО «Удостоверяющий центр & Ко»");
    assert_eq!(
        (
            active.inn.as_str(),
            active.ogrn.as_str(),
            active.registry_number.as_str()
        ),
        ("7701234567", "1027700000001", "101")
    );
    assert_eq!(active.current().unwrap().state, Accreditation::Active);
    assert!(active.accredited_at(1_796_022_000));
    assert_eq!(active.keys.len(), 1);
    let key = &active.keys[0];
    assert_eq!(key.key_id, "A1B2C3");
    // Only the CRL addresses: not the CA's or the complex's postal «Адрес».
    assert_eq!(
        key.crl_urls,
        [
            "http://uc.example.ru/crl/1.crl",
            "http://backup.example.ru/1.crl"
        ]
    );
    assert_eq!(key.certificates.len(), 1);
    assert_eq!(key.certificates[0].der, b"certificate one");
    assert_eq!(key.certificates[0].serial, "01AB");
    // An offset of its own, and none (Moscow time).
    assert_eq!(key.certificates[0].not_before, 1_704_056_400);
    assert_eq!(key.certificates[0].not_after, 2_177_442_000);
    // The certificate whose thumbprint does not match is left out, and said so.
    assert_eq!(active.left_out.len(), 1);
    assert!(
        active.left_out[0].to_string().contains("thumbprint"),
        "{:?}",
        active.left_out
    );

    let ended = &cas[1];
    assert_eq!(ended.accreditation.len(), 2);
    assert_eq!(ended.current().unwrap().state, Accreditation::Ended);
    // Accredited from 2019 until 1 March 2025 (Moscow), not after.
    assert!(ended.accredited_at(1_740_776_399));
    assert!(!ended.accredited_at(1_740_776_400));
    assert!(!ended.accredited_at(1_500_000_000));
}

#[test]
fn entity_expansion_and_external_entities_are_refused_before_anything_is_expanded() {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE АккредитованныеУдостоверяющиеЦентры [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<АккредитованныеУдостоверяющиеЦентры><Версия>&lol3;</Версия></АккредитованныеУдостоверяющиеЦентры>"#;
    assert!(
        matches!(refusal(laughs), TslError::Doctype),
        "{}",
        refusal(laughs)
    );
    let external = r#"<?xml version="1.0"?>
<!DOCTYPE x [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<АккредитованныеУдостоверяющиеЦентры><Версия>&xxe;</Версия></АккредитованныеУдостоверяющиеЦентры>"#;
    assert!(matches!(refusal(external), TslError::Doctype));
    // An entity used without any DTD: not XML's own, refused (never looked up).
    let undeclared = "<АккредитованныеУдостоверяющиеЦентры><Версия>&xxe;</Версия></АккредитованныеУдостоверяющиеЦентры>";
    assert!(
        matches!(refusal(undeclared), TslError::UnknownEntity(ref e) if e == "xxe"),
        "{}",
        refusal(undeclared)
    );
    // XML's own and character references are fine.
    let fine = "<АккредитованныеУдостоверяющиеЦентры><Версия>&#49;2</Версия><Дата>2026-01-01</Дата><УдостоверяющийЦентр><Название>A &amp; B &#x41;</Название></УдостоверяющийЦентр></АккредитованныеУдостоверяющиеЦентры>";
    let (header, cas) = read_all(fine.as_bytes(), DEFAULT_CAP).unwrap();
    assert_eq!(header.version, 12);
    assert_eq!(cas[0].name, "A & B A");
}

#[test]
fn a_million_nested_elements_stop_at_the_depth_cap() {
    let mut xml = String::from("<АккредитованныеУдостоверяющиеЦентры>");
    xml.push_str(&"<a>".repeat(1_000_000));
    xml.push_str(&"</a>".repeat(1_000_000));
    xml.push_str("</АккредитованныеУдостоверяющиеЦентры>");
    assert!(matches!(refusal(&xml), TslError::TooDeep(d) if d == MAX_DEPTH));
}

#[test]
fn a_wrong_encoding_is_refused() {
    // Declared as Windows-1251.
    let declared =
        "<?xml version=\"1.0\" encoding=\"windows-1251\"?><АккредитованныеУдостоверяющиеЦентры/>";
    assert!(
        matches!(refusal(declared), TslError::Encoding(ref why) if why.contains("windows-1251"))
    );
    // Windows-1251 bytes under a UTF-8 declaration (Версия in cp1251: C2 E5 F0 F1 E8 FF).
    let mut bytes =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><АккредитованныеУдостоверяющиеЦентры><"
            .as_bytes()
            .to_vec();
    bytes.extend_from_slice(b"\xC2\xE5\xF0\xF1\xE8\xFF>1</a>");
    let error = refusal(&bytes);
    assert!(
        matches!(error, TslError::Encoding(_) | TslError::Malformed { .. }),
        "{error}"
    );
    // UTF-16 (a BOM and wide characters).
    let wide: Vec<u8> = "<?xml version=\"1.0\" encoding=\"utf-16\"?><a/>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let error = refusal([&[0xFF, 0xFE][..], &wide].concat());
    assert!(
        matches!(error, TslError::Encoding(_) | TslError::Malformed { .. }),
        "{error}"
    );
}

#[test]
fn a_truncated_list_is_refused_not_taken_as_short() {
    let xml = tsl::write(7, "2026-11-30T10:00:00+03:00", &two_cas());
    let cut = &xml.as_bytes()[..xml.len() * 2 / 3];
    let error = refusal(cut);
    assert!(matches!(error, TslError::Truncated(_)), "{error}");
    // Cut right after the header's first CA opened.
    let at = xml.find("<Название>").unwrap();
    assert!(matches!(
        refusal(&xml.as_bytes()[..at]),
        TslError::Truncated(_)
    ));
}

#[test]
fn larger_than_the_cap_other_documents_and_a_missing_header_are_refused() {
    let xml = tsl::write(7, "2026-11-30T10:00:00+03:00", &two_cas());
    let error = read_all(xml.as_bytes(), 1024).expect_err("over the cap");
    assert!(matches!(error, TslError::TooLarge { cap: 1024 }), "{error}");
    assert!(matches!(
        refusal("<html><body/></html>"),
        TslError::NotATrustList(ref root) if root == "html"
    ));
    let no_version = "<АккредитованныеУдостоверяющиеЦентры><Дата>2026-01-01</Дата><УдостоверяющийЦентр/></АккредитованныеУдостоверяющиеЦентры>";
    assert!(matches!(
        refusal(no_version),
        TslError::MissingHeader("Версия")
    ));
    let bad_date = "<АккредитованныеУдостоверяющиеЦентры><Версия>1</Версия><Дата>вчера</Дата></АккредитованныеУдостоверяющиеЦентры>";
    assert!(matches!(
        refusal(bad_date),
        TslError::BadValue {
            field: "Дата", ..
        }
    ));
    let mismatched = "<АккредитованныеУдостоверяющиеЦентры><Версия>1</Дата></АккредитованныеУдостоверяющиеЦентры>";
    assert!(matches!(refusal(mismatched), TslError::Malformed { .. }));
}
