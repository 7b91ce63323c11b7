//! The CA service of KEP Renew: the certification authority's side of the seed's procedure, as a
//! library (tested over real HTTP against a real SQLite file) and the `kep-ca` binary.
//!
//! This step: storage (SQLite, migrations, WAL) behind the [`store::Store`] trait, flash-call
//! login with sessions, the dev telephony, the OpenAPI document.
#![forbid(unsafe_code)]

pub mod api;
pub mod clock;
pub mod login;
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

/// Builds the service on a database file with the given clock; `dev` adds the dev telephony
/// (printing or quiet) and its route.
pub fn service(
    database: &std::path::Path,
    clock: Arc<dyn clock::Clock>,
    dev: Arc<telephony::DevTelephony>,
) -> Result<api::AppState, String> {
    let store = store::sqlite::SqliteStore::open(database).map_err(|e| e.to_string())?;
    let telephony: Arc<dyn telephony::Telephony> = dev.clone();
    let login = login::Login::new(store, clock, telephony).map_err(|e| e.message)?;
    Ok(api::AppState {
        login: Arc::new(login),
        dev_calls: Some(dev),
    })
}
