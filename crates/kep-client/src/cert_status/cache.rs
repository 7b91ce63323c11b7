//! What the issuers said, kept until they say it may change: OCSP verdicts per certificate
//! (until nextUpdate, at most an hour) and CRLs per address (until nextUpdate). Kept in memory:
//! a restart asks again. Bounded so that a long session cannot grow without end.

use kep_pki::crl::Crl;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// The longest an OCSP verdict is kept, whatever its nextUpdate says.
pub(super) const MAX_VERDICT_AGE: Duration = Duration::from_secs(3600);
/// Verdicts kept at most (one per certificate the app shows: a handful).
const MAX_VERDICTS: usize = 512;
/// CRLs kept at most (each may be up to the CRL cap).
const MAX_CRLS: usize = 4;

/// A certificate: its issuer's key hash and its serial.
pub(super) type CertificateKey = (Vec<u8>, Vec<u8>);

#[derive(Default)]
struct Entries {
    verdicts: HashMap<CertificateKey, (kep_protocol::certificate::CertificateStatus, SystemTime)>,
    crls: HashMap<String, (Arc<Crl>, SystemTime)>,
}

/// The cache; shared by every caller of one status client.
#[derive(Default)]
pub(super) struct Cache {
    entries: Mutex<Entries>,
}

impl Cache {
    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(super) fn verdict(
        &self,
        key: &CertificateKey,
        now: SystemTime,
    ) -> Option<kep_protocol::certificate::CertificateStatus> {
        let entries = self.entries();
        let (verdict, until) = entries.verdicts.get(key)?;
        (now < *until).then(|| verdict.clone())
    }

    pub(super) fn keep_verdict(
        &self,
        key: CertificateKey,
        verdict: kep_protocol::certificate::CertificateStatus,
        until: SystemTime,
        now: SystemTime,
    ) {
        let mut entries = self.entries();
        entries.verdicts.retain(|_, (_, until)| *until > now);
        if entries.verdicts.len() >= MAX_VERDICTS {
            entries.verdicts.clear();
        }
        entries.verdicts.insert(key, (verdict, until));
    }

    /// Forgets every verdict and CRL (an event here changed what the issuer says).
    pub(super) fn clear(&self) {
        let mut entries = self.entries();
        entries.verdicts.clear();
        entries.crls.clear();
    }

    pub(super) fn crl(&self, url: &str, now: SystemTime) -> Option<Arc<Crl>> {
        let entries = self.entries();
        let (crl, until) = entries.crls.get(url)?;
        (now < *until).then(|| crl.clone())
    }

    pub(super) fn keep_crl(&self, url: &str, crl: Arc<Crl>, until: SystemTime, now: SystemTime) {
        let mut entries = self.entries();
        entries.crls.retain(|_, (_, until)| *until > now);
        if entries.crls.len() >= MAX_CRLS
            && let Some(oldest) = entries
                .crls
                .iter()
                .min_by_key(|(_, (_, until))| *until)
                .map(|(url, _)| url.clone())
        {
            entries.crls.remove(&oldest);
        }
        entries.crls.insert(url.to_owned(), (crl, until));
    }
}
