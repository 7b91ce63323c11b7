//! The non-qualified ECDSA P-256 fallback on Debian's stock SoftHSM2 (which has no GOST): the
//! token is listed as unable to make GOST keys, the P-256 key pair signs a request OpenSSL
//! verifies, and without a certificate on the token there is nothing to sign with.

// Needs Linux tooling (pcscd, SoftHSM2, gnome-keyring under dbus-run-session).
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

mod common;

use kep_pki::ValidateRequisites;
use kep_pki::signer::SignatureAlgorithm;
use kep_system_tests::tools::{OpenSsl, pem};
use kep_token::keys::{KeyKind, generate};
use kep_token::{Pin, TokenSigner, TokenWorker};
use std::sync::Arc;

#[test]
fn ecdsa_fallback_on_stock_softhsm() {
    let token = common::soft_token("softhsm-stock", common::stock_library());
    let tokens = kep_token::tokens::list_tokens(&token.module).unwrap();
    let listed = tokens.iter().find(|t| t.label == common::LABEL).unwrap();
    assert!(!listed.gost_256, "stock SoftHSM2 cannot make GOST keys");
    assert!(listed.ecdsa);

    let worker = Arc::new(TokenWorker::open(token.module.clone(), token.slot).unwrap());
    kep_token::pin::login(&worker, Pin::new(common::USER_PIN), false).unwrap();
    assert!(
        kep_token::install::signing_certificates(&worker)
            .unwrap()
            .is_empty()
    );

    let key = generate(
        &worker,
        KeyKind::EcdsaP256NonQualified,
        "KEP Demo",
        Some(vec![1; 32]),
    )
    .unwrap();
    assert_eq!(key.algorithm, SignatureAlgorithm::EcdsaP256Sha256);
    let signer = TokenSigner::new(worker.clone(), key);
    let requisites = kep_pki::RequisitesInput {
        surname: "Петров".into(),
        given_name: "Пётр".into(),
        patronymic: String::new(),
        birth_date: "01.01.1990".into(),
        passport_series: "4510".into(),
        passport_number: "654321".into(),
        passport_issue_date: "01.02.2010".into(),
        passport_issuer: "ОВД".into(),
        passport_division_code: "770-001".into(),
        snils: "112-233-445 95".into(),
        inn: "500100732259".into(),
        email: "petrov@example.ru".into(),
        phone: "+79001234567".into(),
        region_code: "77".into(),
        region_name: "г. Москва".into(),
        locality: "Москва".into(),
    }
    .validate(time::macros::date!(2026 - 11 - 24))
    .unwrap();
    let request = kep_pki::request::build_request(&requisites, &signer, None).unwrap();
    kep_pki::request::verify_request(&request).unwrap();
    let ssl = OpenSsl::new("softhsm-stock-openssl");
    ssl.scratch
        .write("req.pem", pem("CERTIFICATE REQUEST", &request));
    let out = ssl.try_run(&["req", "-verify", "-noout", "-in", "req.pem"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
