//! The list in use, for whoever checks against it (the statement signer's chain) or serves it
//! (the API): read from the database once per import and kept parsed; every instance sees a new
//! import at its next question.

use super::accredited::{AccreditedCa, ListedCertificate};
use super::stored::ca_of;
use crate::store::StoreError;
use crate::store::trust_store::{TrustImportRow, TrustStore};
use der::{Decode, Encode};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The list in use, parsed, with its certificates found by subject.
#[derive(Debug, Clone)]
pub struct CurrentList {
    /// Its import.
    pub import: TrustImportRow,
    /// Its CAs.
    pub cas: Vec<AccreditedCa>,
    /// Subject name (DER) → (CA, key, certificate) positions. The real list holds about 60 000
    /// certificates; a signer's path is checked only against those named as its issuers.
    by_subject: HashMap<Vec<u8>, Vec<(usize, usize, usize)>>,
}

/// A listed certificate with the CA that holds it and its key's CRL addresses.
pub type ListedEntry<'a> = (&'a AccreditedCa, &'a ListedCertificate, &'a [String]);

impl CurrentList {
    /// The list of `import`, its `cas` indexed. A listed certificate that does not parse is
    /// found by no name (the import already checked each one's thumbprint and validity).
    pub fn new(import: TrustImportRow, cas: Vec<AccreditedCa>) -> Self {
        let mut by_subject: HashMap<Vec<u8>, Vec<(usize, usize, usize)>> = HashMap::new();
        for (c, ca) in cas.iter().enumerate() {
            for (k, key) in ca.keys.iter().enumerate() {
                for (n, certificate) in key.certificates.iter().enumerate() {
                    if let Some(subject) = subject_of(&certificate.der) {
                        by_subject.entry(subject).or_default().push((c, k, n));
                    }
                }
            }
        }
        Self {
            import,
            cas,
            by_subject,
        }
    }

    /// The listed certificates whose subject is `name` (DER).
    pub fn named(&self, name: &[u8]) -> impl Iterator<Item = ListedEntry<'_>> {
        self.by_subject
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|&(c, k, n)| {
                let ca = self.cas.get(c)?;
                let key = ca.keys.get(k)?;
                Some((ca, key.certificates.get(n)?, key.crl_urls.as_slice()))
            })
    }
}

fn subject_of(der: &[u8]) -> Option<Vec<u8>> {
    x509_cert::Certificate::from_der(der)
        .ok()?
        .tbs_certificate()
        .subject()
        .to_der()
        .ok()
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
        let list = Arc::new(CurrentList::new(import, cas));
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
