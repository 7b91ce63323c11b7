//! Stages 4 and 6 on a GOST SoftHSM2 token against a real kep-ca, through the renewal as the app
//! drives it: the token listed, what an interrupted earlier key generation left removed, a wrong
//! and the factory PIN (remembered), the key made on the token, the request accepted and the
//! certificate issued at once, installed next to the key without asking for the PIN again —
//! twice, harmlessly — and no orphan object left (`pkcs11-tool --list-objects`).

// Linux tooling (SoftHSM2 GOST build, pkcs11-tool).
#![cfg(target_os = "linux")]
// SoftHSM reads its configuration from the environment: set once, before anything else runs
// (this file has a single test).
#![allow(unsafe_code)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fill_sensor, occurs_as_word, read_logs, start_ca};
use kep_ca::applications::Decision;

use kep_client::action::Deadlines;
use kep_client::flow::FlowStep;
use kep_client::key_places::{KeyPlaces, MemoryPins};
use kep_client::renewal::Renewal;
use kep_client::session_vault::MemoryVault;
use kep_protocol::application::ApplicationStatus;
use kep_protocol::key::NewKey;
use kep_protocol::{ErrorKind, Stage};
use kep_token::Pin;
use std::process::Command;
use std::sync::Arc;
use zeroize::Zeroizing;

fn gost_library() -> std::path::PathBuf {
    if let Some(path) = std::env::var_os("KEP_SOFTHSM_GOST") {
        return path.into();
    }
    let out = Command::new("bash")
        .arg(kep_system_tests::repo_root().join("scripts/softhsm-gost.sh"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .into()
}

#[tokio::test]
async fn the_key_on_a_token_from_request_to_installed_certificate() {
    let library = gost_library();
    let ca = start_ca("client-token").await;
    // The app's log: the PINs typed below must never reach it.
    kep_client::app_log::install(&ca.scratch.path("app"), "test").unwrap();
    std::fs::create_dir_all(ca.scratch.path("tokens")).unwrap();
    ca.scratch.write(
        "softhsm2.conf",
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            ca.scratch.arg("tokens")
        ),
    );
    // SAFETY: the only test in this binary; nothing else reads the environment concurrently yet
    // (the CA's tasks do not touch it).
    unsafe {
        std::env::set_var("SOFTHSM2_CONF", ca.scratch.path("softhsm2.conf"));
        std::env::set_var("BOTAN_MLOCK_POOL_SIZE", "0");
    }
    let init = Command::new("pkcs11-tool")
        .arg("--module")
        .arg(&library)
        .args([
            "--init-token",
            "--label",
            "KEP Renew Test",
            "--so-pin",
            "87654321",
        ])
        .args(["--init-pin", "--pin", "12345678"])
        .output()
        .expect("pkcs11-tool (opensc) is installed");
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );

    // Stages 1–3 with the seeded applicant, the statement signed with the current КЭП.
    let key_dir = ca.scratch.path("dev-applicant");
    kep_ca::dev_seed::seed(&ca.state, &key_dir, 10)
        .await
        .unwrap();
    let phone = kep_ca::dev_seed::DEV_APPLICANT_PHONE;
    let vault = Arc::new(MemoryVault::default());
    let keys = Arc::new(KeyPlaces::new(
        key_dir.clone(),
        Some(library.clone()),
        Arc::new(MemoryPins::default()),
    ));
    let renewal = Renewal::open_with(
        ca.endpoint(),
        &ca.scratch.path("app"),
        vault,
        keys.clone(),
        Deadlines::default(),
    )
    .unwrap();
    renewal.request_code(phone).await.unwrap();
    let id = renewal
        .verify_code(phone, &ca.last_code())
        .await
        .unwrap()
        .applications[0]
        .id;
    renewal.choose(id).await.unwrap();
    renewal.start().await.unwrap();
    renewal
        .save_requisites(&kep_ca::dev_seed::dev_requisites())
        .await
        .unwrap();
    renewal.submit().await.unwrap();
    ca.state
        .applications
        .review
        .decide(1, id, Decision::Approve)
        .await
        .unwrap();
    renewal.view().await.unwrap();
    renewal.proceed_to_issuance().await.unwrap();
    renewal
        .sign_statement_with(
            "computer:current",
            Zeroizing::new(kep_ca::dev_seed::DEV_APPLICANT_KEY_PASSWORD.into()),
        )
        .await
        .unwrap();
    renewal.proceed_to_key().await.unwrap();

    // The token, as the key step lists it.
    let tokens = renewal.tokens().await.unwrap();
    let token = tokens.iter().find(|t| t.label == "KEP Renew Test").unwrap();
    assert_eq!(token.problem, None);
    let serial = token.serial.clone();

    // An earlier run was quit in the middle of making the key: the key pair is on the token,
    // the request was never made. (The record is what the app writes before generating.)
    // The module the app loaded (a PKCS#11 module is initialised once per process).
    let module = keys.module().unwrap();
    let worker = session(&module, &serial);
    let orphan = kep_token::keys::fresh_id().unwrap();
    kep_token::keys::generate_with_id(
        &worker,
        kep_token::keys::KeyKind::Gost256,
        "KEP Renew",
        orphan.clone(),
        None,
    )
    .unwrap();
    drop(worker);
    let orphan_hex: String = orphan.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::write(
        key_dir.join(format!("renewal-{id}.key.json")),
        format!(
            r#"{{"place":{{"home":"token","serial":"{serial}","key_id":"{orphan_hex}"}},"requested":false}}"#
        ),
    )
    .unwrap();
    assert_eq!(objects(&library), (1, 1, 0), "the orphan key pair is there");

    fill_sensor(&renewal, 0x9e37_79b9_7f4a_7c15);
    let on_token = |pin: &str, remember: bool| NewKey::Token {
        serial: serial.clone(),
        pin: pin.into(),
        remember,
        length: Default::default(),
    };
    let err = renewal
        .create_key_and_request(on_token("00000000", false))
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert!(err.message.contains("Неверный PIN-код"), "{err:?}");
    // A wrong PIN made no key: the sensor's pool is kept for the next try.
    assert!(renewal.sensor_events(&[]).unwrap().full);
    // This module lists no 512-bit mechanism: not offered, and refused if asked anyway.
    let listed = renewal.tokens().await.unwrap();
    assert!(listed.iter().all(|t| !t.gost_512), "{listed:?}");
    let err = renewal
        .create_key_and_request(NewKey::Token {
            serial: serial.clone(),
            pin: "12345678".into(),
            remember: false,
            length: kep_protocol::key::KeyLength::Bits512,
        })
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(err.message, kep_client::messages_ru::KEY_512_UNSUPPORTED);
    assert!(renewal.sensor_events(&[]).unwrap().full);
    let view = renewal
        .create_key_and_request(on_token("12345678", true))
        .await
        .unwrap();
    assert_eq!(view.application.unwrap().status, ApplicationStatus::Issued);
    assert_eq!(
        (view.step, view.stage),
        (FlowStep::Install { application_id: id }, Stage::Install)
    );
    assert_eq!(
        objects(&library),
        (1, 1, 0),
        "the orphan was removed, the new key pair made"
    );

    let der = renewal.issued_certificate().await.unwrap();
    let summary =
        kep_pki::summary::summarize(&der, &[], &[], std::time::SystemTime::now()).unwrap();
    assert_eq!(
        summary.subject_sign_tool.as_deref(),
        Some("СКЗИ \"Рутокен ЭЦП 2.0\"")
    );
    // The PIN was remembered: installation does not ask for it.
    let target = renewal.install_target().await.unwrap();
    assert_eq!(target.token.as_deref(), Some(serial.as_str()));
    assert!(target.pin_remembered);
    // A remembered PIN the token no longer takes (changed meanwhile): refused once, forgotten at
    // once, and the field is asked for — never tried again to lock the token.
    keys.pins()
        .remember(&serial, &kep_token::Pin::new("11111111"));
    let err = renewal
        .install_certificate(None, false)
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert!(
        err.message.contains("Запомненный PIN-код не подошёл")
            && err.message.contains("Неверный PIN-код"),
        "{err:?}"
    );
    assert!(!renewal.install_target().await.unwrap().pin_remembered);
    let err = renewal
        .install_certificate(None, false)
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert!(err.message.contains("Введите PIN-код"), "{err:?}");
    // «Запомнить PIN-код» at installation, as the seed offers it.
    let view = renewal
        .install_certificate(Some(zeroize::Zeroizing::new("12345678".into())), true)
        .await
        .unwrap();
    assert!(renewal.install_target().await.unwrap().pin_remembered);
    assert_eq!(
        view.application.unwrap().status,
        ApplicationStatus::Completed
    );
    assert_eq!(view.step, FlowStep::Done { application_id: id });
    // Installing again (say the app was quit before the CA heard of it) writes nothing new.
    renewal.install_certificate(None, false).await.unwrap();
    assert_eq!(
        objects(&library),
        (1, 1, 1),
        "one key pair, one certificate"
    );
    let worker = session(&module, &serial);
    let on_token = kep_token::install::signing_certificates(&worker).unwrap();
    assert!(
        on_token.iter().any(|c| c.der == der),
        "the certificate sits next to its key"
    );

    // The log tells the token's course and holds none of the PINs typed (the wrong one too).
    let log = read_logs(&ca.scratch.path("app"));
    assert!(
        log.contains("api/v1/applications/") && log.contains("Install"),
        "{log}"
    );
    for pin in ["12345678", "00000000", "87654321", "11111111"] {
        assert!(!occurs_as_word(&log, pin), "the log holds the PIN {pin}");
    }
}

/// A session on the token `serial`, logged in with the test PIN.
fn session(module: &Arc<kep_token::Module>, serial: &str) -> kep_token::TokenWorker {
    let slot = kep_token::tokens::list_tokens(module)
        .unwrap()
        .into_iter()
        .find(|t| t.serial == serial)
        .unwrap()
        .slot;
    let worker = kep_token::TokenWorker::open(module.clone(), slot).unwrap();
    kep_token::pin::login(&worker, Pin::new("12345678"), false).unwrap();
    worker
}

/// (private keys, public keys, certificates) on the token, as `pkcs11-tool --list-objects` sees
/// them.
fn objects(library: &std::path::Path) -> (usize, usize, usize) {
    let out = Command::new("pkcs11-tool")
        .arg("--module")
        .arg(library)
        .args(["--login", "--pin", "12345678", "--list-objects"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    eprintln!("pkcs11-tool --list-objects:\n{text}");
    let count = |kind: &str| text.lines().filter(|l| l.starts_with(kind)).count();
    (
        count("Private Key Object"),
        count("Public Key Object"),
        count("Certificate Object"),
    )
}
