//! The certificates the statement can be signed with (path a): the user's current КЭП in the
//! app's computer key store, judged against the application — valid now, and issued to the same
//! person (ФИО, СНИЛС, ИНН), which is what the CA will check.

use kep_pki::summary::{CertificateSummary, summarize};
use kep_protocol::RequisitesInput;
use kep_protocol::application::KeyStorageKind;
use kep_token::key_store::ComputerKeyStore;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::SystemTime;
use ts_rs::TS;

/// A certificate the user may sign the statement with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SigningCertificate {
    /// Opaque id: `computer:<name>` for the key store.
    pub id: String,
    /// What it is, for display.
    pub summary: CertificateSummary,
    /// Where its key is.
    pub storage: KeyStorageKind,
    /// Why it cannot sign this statement (Russian), if it cannot.
    pub problem: Option<String>,
}

/// The message for an expired or not yet valid certificate.
pub const NOT_VALID: &str = "Срок действия сертификата истёк: им нельзя подписать заявление.";
/// The message for another person's certificate.
pub const OTHER_PERSON: &str =
    "Сертификат выдан на другие ФИО, СНИЛС или ИНН: подписать им заявление нельзя.";

/// The message for a certificate the CA has revoked or replaced.
pub const REVOKED: &str = "Сертификат отозван или заменён новым: им нельзя подписать заявление.";

/// Marks the candidates that `crl` (the CA's, DER) lists as revoked at `now`.
pub fn mark_revoked(candidates: &mut [SigningCertificate], crl: &[u8], now: SystemTime) {
    let Ok(crl) = kep_pki::crl::Crl::parse(crl) else {
        return;
    };
    for candidate in candidates.iter_mut().filter(|c| c.problem.is_none()) {
        let serial = (0..candidate.summary.serial.len())
            .step_by(2)
            .map(|i| {
                candidate
                    .summary
                    .serial
                    .get(i..i + 2)
                    .and_then(|b| u8::from_str_radix(b, 16).ok())
            })
            .collect::<Option<Vec<u8>>>()
            .and_then(|bytes| kep_pki::crl::SerialNumber::new(&bytes).ok());
        if serial.is_some_and(|s| crl.revoked_at(&s, now).is_some()) {
            candidate.problem = Some(REVOKED.into());
        }
    }
}

/// Judges one certificate against the applicant's requisites.
pub fn problem_of(summary: &CertificateSummary, requisites: &RequisitesInput) -> Option<String> {
    if summary.days_left < 0 {
        return Some(NOT_VALID.into());
    }
    let same = kep_pki::summary::same_person(summary, requisites);
    (!same).then(|| OTHER_PERSON.into())
}

/// The certificates in the computer key store in `dir`, usable ones first.
pub fn in_key_store(
    dir: &Path,
    requisites: &RequisitesInput,
    now: SystemTime,
) -> Vec<SigningCertificate> {
    let store = ComputerKeyStore::new(dir);
    let mut found: Vec<SigningCertificate> = store
        .list()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|name| {
            let der = store.certificate(&name).ok()??;
            let summary = summarize(&der, &[], &[], now).ok()?;
            Some(SigningCertificate {
                id: format!("computer:{name}"),
                problem: problem_of(&summary, requisites),
                summary,
                storage: KeyStorageKind::Computer,
            })
        })
        .collect();
    found.sort_by_key(|c| (c.problem.is_some(), -c.summary.days_left));
    found
}
