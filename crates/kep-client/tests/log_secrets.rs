//! The app's log keeps its promise: a whole renewal (login, requisites, the statement signed with
//! the current key after a wrong password, a new key on this computer, installation) with known
//! secrets writes the version, the steps and every CA call to the log files — and not one of the
//! secrets: the login code, the session token, both key passwords (the wrong one too), the keys
//! themselves, the passport data and the rest of the requisites.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fill_sensor, occurs_as_word, read_logs, start_ca};
use kep_ca::applications::Decision;
use kep_client::action::Deadlines;
use kep_client::key_places::{KeyPlaces, MemoryPins};
use kep_client::renewal::Renewal;
use kep_client::session_vault::{MemoryVault, TokenVault};
use kep_protocol::key::NewKey;
use std::sync::Arc;
use zeroize::Zeroizing;

const NEW_KEY_PASSWORD: &str = "Новый-пароль-ключа-7f3a";
const WRONG_PASSWORD: &str = "Неверный-пароль-9c1e";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn a_whole_renewal_logs_its_course_and_none_of_its_secrets() {
    let ca = start_ca("log-secrets").await;
    let data = ca.scratch.path("app");
    let live = kep_client::app_log::install(&data, "9.8.7-test").unwrap();

    let key_dir = ca.scratch.path("dev-applicant");
    kep_ca::dev_seed::seed(&ca.state, &key_dir, 10)
        .await
        .unwrap();
    let vault = Arc::new(MemoryVault::default());
    let keys = Arc::new(KeyPlaces::new(
        key_dir.clone(),
        None,
        Arc::new(MemoryPins::default()),
    ));
    let renewal = Renewal::open_with(
        ca.endpoint(),
        &data,
        vault.clone(),
        keys,
        Deadlines::default(),
    )
    .unwrap();
    let phone = kep_ca::dev_seed::DEV_APPLICANT_PHONE;
    renewal.request_code(phone).await.unwrap();
    let code = ca.last_code();
    // A wrong code first: refusals are logged too.
    let wrong_code = if code == "0000" { "1111" } else { "0000" };
    renewal
        .verify_code(phone, wrong_code)
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    let view = renewal.verify_code(phone, &code).await.unwrap();
    let token = vault.load(&ca.endpoint()).expect("a session token");
    let id = view.applications[0].id;
    renewal.choose(id).await.unwrap();
    renewal.start().await.unwrap();
    let requisites = kep_ca::dev_seed::dev_requisites();
    renewal.save_requisites(&requisites).await.unwrap();
    renewal.submit().await.unwrap();
    renewal.poll().await.unwrap();
    ca.state
        .applications
        .review
        .decide(1, id, Decision::Approve)
        .await
        .unwrap();
    renewal.poll().await.unwrap();
    renewal.proceed_to_issuance().await.unwrap();
    renewal
        .sign_statement_with("computer:current", Zeroizing::new(WRONG_PASSWORD.into()))
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    renewal
        .sign_statement_with(
            "computer:current",
            Zeroizing::new(kep_ca::dev_seed::DEV_APPLICANT_KEY_PASSWORD.into()),
        )
        .await
        .unwrap();
    renewal.proceed_to_key().await.unwrap();
    fill_sensor(&renewal, 0x05ee_d106);
    renewal
        .create_key_and_request(NewKey::Computer {
            password: NEW_KEY_PASSWORD.into(),
            length: Default::default(),
        })
        .await
        .unwrap();
    renewal.install_certificate(None, false).await.unwrap();

    // Everything the log files hold.
    assert!(live.exists());
    let log = read_logs(&data);

    // The course of the renewal is there: version, steps, CA calls with status and duration.
    assert!(
        log.contains("KEP Renew started") && log.contains("9.8.7-test"),
        "{log}"
    );
    assert!(
        log.contains("flow step") && log.contains("Install"),
        "{log}"
    );
    assert!(
        log.contains("api/v1/auth/verify") && log.contains("status=200"),
        "{log}"
    );
    assert!(
        log.contains("status=400"),
        "the wrong code's answer is logged: {log}"
    );
    assert!(log.contains("/request") && log.contains("ms="), "{log}");

    // The secrets are not.
    let mut secrets: Vec<(String, String)> = vec![
        ("session token".into(), token.clone()),
        ("new key password".into(), NEW_KEY_PASSWORD.into()),
        ("wrong key password".into(), WRONG_PASSWORD.into()),
        (
            "current key password".into(),
            kep_ca::dev_seed::DEV_APPLICANT_KEY_PASSWORD.into(),
        ),
    ];
    for (what, value) in [
        ("surname", &requisites.surname),
        ("patronymic", &requisites.patronymic),
        ("birth date", &requisites.birth_date),
        ("passport series", &requisites.passport_series),
        ("passport issuer", &requisites.passport_issuer),
        ("division code", &requisites.passport_division_code),
        ("СНИЛС", &requisites.snils),
        ("ИНН", &requisites.inn),
        ("e-mail", &requisites.email),
        ("phone", &requisites.phone),
    ] {
        secrets.push((what.into(), value.clone()));
    }
    let snils_digits: String = requisites
        .snils
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    secrets.push(("СНИЛС digits".into(), snils_digits));
    for name in ["current", &kep_client::computer_key::key_name(id)] {
        let pem = std::fs::read_to_string(key_dir.join(format!("{name}.key.pem"))).unwrap();
        let password = if name == "current" {
            kep_ca::dev_seed::DEV_APPLICANT_KEY_PASSWORD
        } else {
            NEW_KEY_PASSWORD
        };
        let scalar = kep_pki::encrypted_key::open(&pem, password)
            .unwrap()
            .to_bytes();
        secrets.push((format!("{name} key (hex)"), hex(&scalar)));
        secrets.push((format!("{name} key (HEX)"), hex(&scalar).to_uppercase()));
        for line in pem.lines().filter(|l| !l.starts_with("-----")) {
            secrets.push((format!("{name} key file"), line.to_owned()));
        }
    }
    for (what, value) in &secrets {
        assert!(!value.is_empty());
        assert!(!log.contains(value.as_str()), "the log holds the {what}");
    }
    for (what, value) in [
        ("login code", code.as_str()),
        ("passport number", requisites.passport_number.as_str()),
    ] {
        assert!(!occurs_as_word(&log, value), "the log holds the {what}");
    }
}
