//! The CA service of KEP Renew: the certification authority's side of the seed's procedure, as a
//! library (tested over real HTTP against a real SQLite file) and the `kep-ca` binary.
//!
//! This step: storage (SQLite, migrations, WAL) behind the [`store::Store`] trait, flash-call
//! login with sessions, the dev telephony, the OpenAPI document.
#![forbid(unsafe_code)]

pub mod api;
pub mod applications;
pub mod clock;
pub mod documents;
pub mod login;
pub mod notifier;
pub mod operators;
pub mod registry;
pub mod store;
pub mod telephony;

use std::sync::Arc;

impl<C: clock::Clock + ?Sized> clock::Clock for Arc<C> {
    fn now(&self) -> std::time::SystemTime {
        (**self).now()
    }
}

impl<T: telephony::Telephony + ?Sized> telephony::Telephony for Arc<T> {
    fn call(&self, phone: &str, caller: &str) -> Result<(), String> {
        (**self).call(phone, caller)
    }
}

/// Builds the service on a data folder (the SQLite file and the documents live there) with the
/// given clock, dev telephony and registry.
pub fn service(
    data: &std::path::Path,
    clock: Arc<dyn clock::Clock>,
    dev: Arc<telephony::DevTelephony>,
    registry: Arc<dyn registry::Registry>,
    outbox: Arc<notifier::DevOutbox>,
) -> Result<api::AppState, String> {
    std::fs::create_dir_all(data).map_err(|e| format!("{}: {e}", data.display()))?;
    let store =
        store::sqlite::SqliteStore::open(&data.join("kep-ca.sqlite")).map_err(|e| e.to_string())?;
    let telephony: Arc<dyn telephony::Telephony> = dev.clone();
    let applications = applications::Applications::new(
        store.clone(),
        clock.clone(),
        registry,
        outbox.clone(),
        documents::DocumentFiles::new(data.join("documents")),
    );
    let operators = operators::Operators::new(store.clone(), clock.clone());
    let login = login::Login::new(store, clock, telephony).map_err(|e| e.message)?;
    Ok(api::AppState {
        login: Arc::new(login),
        applications: Arc::new(applications),
        operators: Arc::new(operators),
        dev_calls: Some(dev),
        dev_outbox: Some(outbox),
    })
}
