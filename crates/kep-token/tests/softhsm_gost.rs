//! The whole token path on a GOST-capable SoftHSM2: list → wrong and right PIN → GOST key pair
//! (sensitive, non-extractable) → certificate request (OpenSSL verifies it) → certificate
//! issued with kep-pki → installed, read back, listed by pkcs11-tool → a CMS signature made on
//! the token verifies in OpenSSL.

// Needs Linux tooling (pcscd, SoftHSM2, gnome-keyring under dbus-run-session).
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

mod common;

use cryptoki::object::{Attribute, AttributeType, ObjectHandle};
use der::Decode;
use kep_pki::ValidateRequisites;
use kep_pki::extensions::IdentificationKind;
use kep_pki::issue::{
    Applicant, CaCertificate, CaSubject, Issuer, KeyStorage, QualifiedProfile, issue_qualified,
    self_signed_root,
};
use kep_pki::signer::{KeySigner, SoftwareGostSigner};
use kep_system_tests::tools::{OpenSsl, pem};
use kep_token::error::TokenError;
use kep_token::keys::{KeyKind, generate};
use kep_token::{Pin, TokenSigner, TokenWorker};
use std::sync::Arc;
use std::time::SystemTime;
use x509_cert::Certificate;

fn requisites() -> kep_pki::Requisites {
    kep_pki::RequisitesInput {
        surname: "Иванов".into(),
        given_name: "Иван".into(),
        patronymic: "Иванович".into(),
        birth_date: "15.03.1985".into(),
        passport_series: "45 06".into(),
        passport_number: "123456".into(),
        passport_issue_date: "01.04.2005".into(),
        passport_issuer: "ОВД района Тверской г. Москвы".into(),
        passport_division_code: "772-001".into(),
        snils: "112-233-445 95".into(),
        inn: "500100732259".into(),
        email: "ivanov@example.ru".into(),
        phone: "+79123456789".into(),
        region_code: "77".into(),
        region_name: "г. Москва".into(),
        locality: "Москва".into(),
    }
    .validate(time::macros::date!(2026 - 11 - 24))
    .unwrap()
}

#[test]
fn gost_key_request_certificate_and_cms_on_a_softhsm_token() {
    let token = common::soft_token("softhsm-gost", common::gost_library());

    // The token as the wizard lists it.
    let tokens = kep_token::tokens::list_tokens(&token.module).unwrap();
    let listed = tokens.iter().find(|t| t.label == common::LABEL).unwrap();
    assert!(
        listed.gost_256,
        "the GOST build lists CKM_GOSTR3410_KEY_PAIR_GEN: {listed:?}"
    );
    assert!(!listed.pin.locked);

    let worker = Arc::new(TokenWorker::open(token.module.clone(), token.slot).unwrap());
    // A wrong PIN, then the factory PIN (accepted, with the notice that it is the default).
    assert!(matches!(
        kep_token::pin::login(&worker, Pin::new("00000000"), false),
        Err(TokenError::PinIncorrect { .. })
    ));
    let outcome = kep_token::pin::login(&worker, Pin::new(common::USER_PIN), false).unwrap();
    assert!(outcome.default_pin);

    // The key pair, seeded from the random-number sensor.
    let key = generate(&worker, KeyKind::Gost256, "KEP Renew", Some(vec![0x5A; 32])).unwrap();
    let private = key.private;
    let flags = worker
        .call(move |session, _, _| {
            let handle = find_handle(session, private);
            Ok(session.get_attributes(
                handle,
                &[AttributeType::Sensitive, AttributeType::Extractable],
            )?)
        })
        .unwrap();
    assert!(flags.contains(&Attribute::Sensitive(true)));
    assert!(flags.contains(&Attribute::Extractable(false)));

    // The request, signed on the token, verifies here and in OpenSSL.
    let signer = TokenSigner::new(worker.clone(), key.clone());
    let request =
        kep_pki::request::build_request(&requisites(), &signer, Some("СКЗИ \"Рутокен ЭЦП 2.0\""))
            .unwrap();
    let verified = kep_pki::request::verify_request(&request).unwrap();
    let ssl = OpenSsl::new("softhsm-gost-openssl");
    ssl.scratch
        .write("req.pem", pem("CERTIFICATE REQUEST", &request));
    let out = ssl.try_run(&["req", "-verify", "-noout", "-in", "req.pem"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A certificate issued by a software CA, installed next to the key.
    let ca_signer = SoftwareGostSigner::new(
        kep_gost::SigningKey::from_bytes(kep_gost::ParamSet::CryptoProA, &[0x11; 32]).unwrap(),
    )
    .unwrap();
    let profile = QualifiedProfile::default();
    let subject = CaSubject {
        common_name: "Token Test CA".into(),
        organization: "KEP Renew".into(),
        region: None,
        locality: None,
        ogrn: None,
        inn_le: None,
        email: None,
    };
    let root = self_signed_root(
        &CaCertificate {
            subject: &subject,
            not_before: SystemTime::now(),
            validity_months: 12,
            path_len: Some(0),
            sign_tool: "kep-gost",
            profile: &profile,
        },
        &ca_signer,
    )
    .unwrap();
    let root_cert = Certificate::from_der(&root).unwrap();
    let cert = issue_qualified(
        &Issuer {
            certificate: &root_cert,
            signer: &ca_signer,
        },
        &profile,
        &Applicant {
            request: &verified,
            requisites: &requisites(),
            identification: IdentificationKind::InPerson,
            storage: KeyStorage::Token,
            not_before: SystemTime::now(),
        },
    )
    .unwrap();
    kep_token::install::install_certificate(
        &worker,
        cert.clone(),
        key.id.clone(),
        "KEP Renew".into(),
    )
    .unwrap();
    let listed = kep_token::install::signing_certificates(&worker).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].der, cert);
    assert_eq!(listed[0].id, key.id);

    // pkcs11-tool sees the certificate.
    let out = std::process::Command::new("pkcs11-tool")
        .args([
            "--module",
            &token.library.to_string_lossy(),
            "--list-objects",
            "--type",
            "cert",
        ])
        .output()
        .expect("pkcs11-tool (opensc) is installed");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Certificate Object") && text.contains("KEP Renew"),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A statement signed on the token verifies in OpenSSL.
    let statement = "Заявление".as_bytes();
    let cms = kep_pki::cms_signature::sign_detached(statement, &signer, &cert, SystemTime::now())
        .unwrap();
    kep_pki::cms_signature::verify_detached(
        &cms,
        statement,
        kep_pki::cms_signature::SignaturePolicy::CadesBes,
    )
    .unwrap();
    ssl.scratch.write("statement.txt", statement);
    ssl.scratch.write("sig.p7s", &cms);
    ssl.scratch.write("root.pem", pem("CERTIFICATE", &root));
    let out = ssl.try_run(&[
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        "sig.p7s",
        "-content",
        "statement.txt",
        "-CAfile",
        "root.pem",
        "-purpose",
        "any",
        "-out",
        "/dev/null",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = signer.algorithm();
}

fn find_handle(
    session: &cryptoki::session::Session,
    raw: cryptoki_sys::CK_OBJECT_HANDLE,
) -> ObjectHandle {
    session
        .find_objects(&[Attribute::Class(cryptoki::object::ObjectClass::PRIVATE_KEY)])
        .unwrap()
        .into_iter()
        .find(|h| h.handle() == raw)
        .expect("the private key")
}
