//! The list in use, for whoever checks against it (the statement signer's chain) or serves it
//! (the API): read from the database once per import and kept parsed; every instance sees a new
//! import at its next question.

use super::accredited::AccreditedCa;
use super::stored::ca_of;
use crate::store::StoreError;
use crate::store::trust_store::{TrustImportRow, TrustStore};
use std::sync::{Arc, Mutex};

/// The list in use, parsed.
#[derive(Debug, Clone)]
pub struct CurrentList {
    /// Its import.
    pub import: TrustImportRow,
    /// Its CAs.
    pub cas: Vec<AccreditedCa>,
}

/// The list in use, cached per import.
#[derive(Debug)]
pub struct TrustedCas<S> {
    store: S,
    kept: Mutex<Option<Arc<CurrentList>>>,
}

impl<S: TrustStore> TrustedCas<S> {
    /// Over `store`.
    pub fn new(store: S) -> Self {
        Self {
            store,
            kept: Mutex::new(None),
        }
    }

    /// The list in use, if one was imported.
    pub async fn current(&self) -> Result<Option<Arc<CurrentList>>, StoreError> {
        let Some(import) = self.store.current_trust_import().await? else {
            return Ok(None);
        };
        if let Some(kept) = self.kept().as_ref()
            && kept.import.id == import.id
        {
            return Ok(Some(kept.clone()));
        }
        let mut cas = Vec::new();
        for row in self.store.trust_cas().await? {
            cas.push(ca_of(&row).map_err(|e| StoreError::Corrupt(e.to_string()))?);
        }
        let list = Arc::new(CurrentList { import, cas });
        *self.kept() = Some(list.clone());
        Ok(Some(list))
    }

    /// Imports the list in `path` into this store (see [`super::import::import_file`]).
    pub async fn import_file(
        &self,
        path: &std::path::Path,
        source: &str,
        cap: u64,
        now: i64,
    ) -> Result<super::import::ImportReport, super::import::ImportError> {
        super::import::import_file(&self.store, path, source, cap, now).await
    }

    /// Records an import refused before its file could be read (a failed download).
    pub async fn record_refusal(
        &self,
        source: &str,
        why: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let id = self
            .store
            .begin_trust_import(TrustImportRow::loading(0, 0, String::new(), source, now))
            .await?;
        self.store.close_trust_import(id, "failed", why, now).await
    }

    /// When the latest import from `source` began, if any did.
    pub async fn last_attempt(&self, source: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .store
            .trust_imports(50)
            .await?
            .into_iter()
            .find(|i| i.source == source)
            .map(|i| i.started_at))
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Option<Arc<CurrentList>>> {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
