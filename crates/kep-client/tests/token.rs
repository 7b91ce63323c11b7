//! Stages 4 and 6 on a GOST SoftHSM2 token against a real kep-ca: the token listed, a wrong and
//! the factory PIN, the key made on the token, the request accepted and the certificate issued
//! at once, installed next to the key and listed by the token as a signing certificate.

// Linux tooling (SoftHSM2 GOST build, pkcs11-tool).
#![cfg(target_os = "linux")]
// SoftHSM reads its configuration from the environment: set once, before anything else runs
// (this file has a single test).
#![allow(unsafe_code)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::start_ca;
use kep_ca::applications::Decision;
use kep_client::renewal::Renewal;
use kep_client::session_vault::MemoryVault;
use kep_client::{CaEndpoint, token_key};
use kep_protocol::application::{ApplicationStatus, KeyStorageKind};
use kep_protocol::{ErrorKind, Stage};
use kep_token::Pin;
use std::process::Command;
use std::sync::Arc;

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
    let mut renewal = Renewal::open(
        CaEndpoint::parse(&ca.base).unwrap(),
        &ca.scratch.path("app"),
        vault,
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
        .decide(1, id, Decision::Approve)
        .await
        .unwrap();
    renewal.view().await.unwrap();
    renewal.proceed_to_issuance().await.unwrap();
    let store = kep_token::key_store::ComputerKeyStore::new(&key_dir);
    let current = store
        .open("current", kep_ca::dev_seed::DEV_APPLICANT_KEY_PASSWORD)
        .unwrap();
    let current_cert = store.certificate("current").unwrap().unwrap();
    renewal
        .sign_statement(&current, &current_cert)
        .await
        .unwrap();
    renewal.proceed_to_key().await.unwrap();

    // The token, as the key step lists it.
    let module = token_key::load_module(Some(&library)).unwrap();
    let tokens = token_key::list(&module).unwrap();
    let token = tokens.iter().find(|t| t.label == "KEP Renew Test").unwrap();
    assert_eq!(token.problem, None);
    let keys = ca.scratch.path("app-keys");
    let requisites = renewal.approved_requisites().await.unwrap();
    let err = token_key::certificate_request(
        &module,
        &token.serial,
        Pin::new("00000000"),
        &[3; 32],
        &requisites,
        &keys,
        id,
    )
    .unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
    assert!(err.message.contains("Неверный PIN-код"), "{err:?}");
    let request = token_key::certificate_request(
        &module,
        &token.serial,
        Pin::new("12345678"),
        &[3; 32],
        &requisites,
        &keys,
        id,
    )
    .unwrap();
    assert!(token_key::is_on_token(&keys, id));
    let view = renewal
        .send_request(request, KeyStorageKind::Token)
        .await
        .unwrap();
    assert_eq!(view.application.unwrap().status, ApplicationStatus::Issued);
    assert_eq!(view.stage, Stage::Install);

    let der = renewal.issued_certificate().await.unwrap();
    let summary =
        kep_pki::summary::summarize(&der, &[], &[], std::time::SystemTime::now()).unwrap();
    assert_eq!(
        summary.subject_sign_tool.as_deref(),
        Some("СКЗИ \"Рутокен ЭЦП 2.0\"")
    );
    token_key::install(&module, Pin::new("12345678"), &der, &keys, id).unwrap();
    let slot = kep_token::tokens::list_tokens(&module)
        .unwrap()
        .into_iter()
        .find(|t| t.serial == token.serial)
        .unwrap()
        .slot;
    let worker = kep_token::TokenWorker::open(module.clone(), slot).unwrap();
    kep_token::pin::login(&worker, Pin::new("12345678"), false).unwrap();
    let on_token = kep_token::install::signing_certificates(&worker).unwrap();
    assert!(
        on_token.iter().any(|c| c.der == der),
        "the certificate sits next to its key"
    );
    let view = renewal.installed().await.unwrap();
    assert_eq!(
        view.application.unwrap().status,
        ApplicationStatus::Completed
    );
}
