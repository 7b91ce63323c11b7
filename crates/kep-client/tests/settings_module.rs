//! «Настройки», the PKCS#11 library: one the person picks is kept only once it loads as a
//! module (a file that is not one is refused with a sentence that says so), is used from then
//! on and after a restart, and can be given up for the known locations again. Alone in its
//! binary: it sets SoftHSM's environment.
#![allow(unsafe_code)] // SoftHSM's environment, set once before anything reads it
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::start_ca;
use kep_client::action::Deadlines;
use kep_client::key_places::{KeyPlaces, MemoryPins};
use kep_client::session_vault::MemoryVault;
use kep_client::settings::{Settings, SettingsPlaces};
use kep_protocol::settings::ModuleVendor;
use kep_protocol::{ApiError, ErrorKind};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

fn open(data: &Path, build_ca: &str, admin: &Path, vault: &Arc<MemoryVault>) -> Settings {
    let places = SettingsPlaces {
        data_dir: data.to_path_buf(),
        build_ca_url: build_ca.to_owned(),
        overrides: None,
        admin_config: admin.to_path_buf(),
        version: "0.1.0".into(),
        deadlines: Deadlines::default(),
        vault: vault.clone(),
        health_budget: Duration::from_secs(2),
    };
    let keys = Arc::new(KeyPlaces::new(
        data.join("keys"),
        None,
        Arc::new(MemoryPins::default()),
    ));
    Settings::open(places, keys)
}

fn refusal(e: kep_client::settings::SettingsError) -> ApiError {
    ApiError::from(e)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_library_is_kept_only_once_it_loads_as_pkcs11() {
    let ca = start_ca("settings-module").await;
    let conf = kep_system_tests::softhsm::config(&ca.scratch);
    // SAFETY: the only test in this binary; nothing reads the environment concurrently (the
    // CA's tasks do not touch it).
    unsafe {
        std::env::set_var("SOFTHSM2_CONF", conf);
        std::env::set_var("BOTAN_MLOCK_POOL_SIZE", "0");
    }
    let data = ca.scratch.path("app");
    let admin = ca.scratch.path("no-admin.json");
    let vault = Arc::new(MemoryVault::default());
    let settings = open(&data, &ca.base, &admin, &vault);
    assert!(
        settings
            .view()
            .modules
            .iter()
            .all(|m| m.vendor != ModuleVendor::Chosen)
    );

    let not_a_library = ca.scratch.path("readme.so");
    std::fs::write(&not_a_library, b"this is not a shared library").unwrap();
    let e = refusal(settings.use_module(Some(not_a_library)).await.unwrap_err());
    assert_eq!(e.kind, ErrorKind::InvalidInput);
    assert!(e.message.contains("PKCS#11"), "{}", e.message);
    assert!(
        settings
            .view()
            .modules
            .iter()
            .all(|m| m.vendor != ModuleVendor::Chosen)
    );

    let library = kep_system_tests::softhsm::gost_library();
    let view = settings.use_module(Some(library.clone())).await.unwrap();
    let chosen = &view.modules[0];
    assert_eq!(chosen.vendor, ModuleVendor::Chosen);
    assert_eq!(chosen.path, library.display().to_string());
    assert!(chosen.present && chosen.in_use, "{chosen:?}");

    // A restart reaches tokens through the chosen library.
    drop(settings);
    let settings = open(&data, &ca.base, &admin, &vault);
    assert_eq!(
        settings.keys().configured_module().as_deref(),
        Some(library.as_path())
    );
    let view = settings.use_module(None).await.unwrap();
    assert!(
        view.modules
            .iter()
            .all(|m| m.vendor != ModuleVendor::Chosen)
    );
    assert_eq!(settings.keys().configured_module(), None);
}
