//! «Настройки», the PKCS#11 library: one the person picks is kept only once it loads as a
//! module (a file that is not one is refused with a sentence that says so), is used from then
//! on and after a restart, and can be given up for the known locations again. Alone in its
//! binary: it sets SoftHSM's environment.
#![allow(unsafe_code)] // SoftHSM's environment, set once before anything reads it
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{open_settings, start_ca};
use kep_client::session_vault::MemoryVault;
use kep_protocol::settings::ModuleVendor;
use kep_protocol::{ApiError, ErrorKind};
use std::sync::Arc;

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
    let settings = open_settings(&data, &ca.base, &admin, &vault);
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
    let settings = open_settings(&data, &ca.base, &admin, &vault);
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
