//! The certificates the statement can be signed with (path a): the user's current КЭП in the
//! app's computer key store and on the tokens present, judged against the application — valid
//! now, issued to the same person (ФИО, СНИЛС, ИНН), not revoked by its issuer — which is what the CA
//! will check; usable ones first.

use kep_pki::summary::{CertificateSummary, summarize};
use kep_protocol::RequisitesInput;
use kep_protocol::application::KeyStorageKind;
pub use kep_protocol::certificate::SigningCertificate;
use kep_token::key_store::ComputerKeyStore;
use std::path::Path;
use std::time::SystemTime;

/// Which certificate (and key) a candidate is: the opaque id the UI sends back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CandidateId {
    /// `computer:<name>`: a key in the computer key store.
    Computer {
        /// Its name in the store.
        name: String,
    },
    /// `token:<serial>:<CKA_ID hex>`: a key on a token.
    Token {
        /// The token's serial.
        serial: String,
        /// CKA_ID of the certificate and its key.
        key_id: Vec<u8>,
    },
}

pub use crate::messages_ru::UNKNOWN_CANDIDATE;

/// An id that names no certificate (the list changed, or the UI sent nonsense).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no such signing certificate")]
pub struct UnknownCandidate;

impl std::str::FromStr for CandidateId {
    type Err = UnknownCandidate;

    fn from_str(id: &str) -> Result<Self, UnknownCandidate> {
        let unknown = || UnknownCandidate;
        if let Some(name) = id.strip_prefix("computer:") {
            return (!name.is_empty())
                .then(|| CandidateId::Computer {
                    name: name.to_owned(),
                })
                .ok_or_else(unknown);
        }
        let (serial, key_id) = id
            .strip_prefix("token:")
            .and_then(|rest| rest.rsplit_once(':'))
            .ok_or_else(unknown)?;
        let key_id = crate::token_key::unhex(key_id)
            .filter(|k| !k.is_empty())
            .ok_or_else(unknown)?;
        Ok(CandidateId::Token {
            serial: serial.to_owned(),
            key_id,
        })
    }
}

impl std::fmt::Display for CandidateId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CandidateId::Computer { name } => write!(f, "computer:{name}"),
            CandidateId::Token { serial, key_id } => {
                write!(f, "token:{serial}:")?;
                key_id.iter().try_for_each(|b| write!(f, "{b:02x}"))
            }
        }
    }
}

pub use crate::messages_ru::{NOT_VALID, OTHER_PERSON, REVOKED};

/// Marks the candidates whose issuer says they were revoked (ids in `revoked`).
pub fn mark_revoked(candidates: &mut [SigningCertificate], revoked: &[String]) {
    for candidate in candidates
        .iter_mut()
        .filter(|c| c.problem.is_none() && revoked.contains(&c.id))
    {
        candidate.problem = Some(REVOKED.into());
    }
}

/// Marks the candidates that `crl` (the chosen CA's, DER) lists as revoked at `now`: the CA's
/// own list, asked of it directly, still tells its certificates apart when their status
/// addresses cannot be reached from here.
pub fn mark_revoked_by_crl(candidates: &mut [SigningCertificate], crl: &[u8], now: SystemTime) {
    let Ok(crl) = kep_pki::crl::Crl::parse(crl) else {
        return;
    };
    for candidate in candidates.iter_mut().filter(|c| c.problem.is_none()) {
        let serial = crate::token_key::unhex(&candidate.summary.serial)
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
                id: CandidateId::Computer { name }.to_string(),
                problem: problem_of(&summary, requisites),
                summary,
                storage: KeyStorageKind::Computer,
            })
        })
        .collect();
    found.sort_by_key(|c| (c.problem.is_some(), -c.summary.days_left));
    found
}

/// Every candidate: the key store in `dir`, the tokens of `module`, those in `revoked` (the
/// status client's verdicts) or on the chosen CA's `crl` marked so (with neither, the CA's own
/// check still refuses a revoked signer, with the reason); usable ones first, the longest-valid
/// first among them.
pub fn gather(
    dir: &Path,
    module: Option<&std::sync::Arc<kep_token::Module>>,
    requisites: &RequisitesInput,
    revoked: &[String],
    crl: Option<&[u8]>,
    now: SystemTime,
) -> Vec<SigningCertificate> {
    let mut found = in_key_store(dir, requisites, now);
    if let Some(module) = module {
        found.extend(crate::token_key::signing_candidates(
            module, requisites, now,
        ));
    }
    mark_revoked(&mut found, revoked);
    if let Some(crl) = crl {
        mark_revoked_by_crl(&mut found, crl, now);
    }
    found.sort_by_key(|c| (c.problem.is_some(), -c.summary.days_left));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_ids_read_back_and_nonsense_is_refused() {
        for id in ["computer:current", "token:0123abcd:0a0b0c"] {
            assert_eq!(id.parse::<CandidateId>().unwrap().to_string(), id);
        }
        assert_eq!(
            "token:ab:cd:0f".parse::<CandidateId>().unwrap(),
            CandidateId::Token {
                serial: "ab:cd".into(),
                key_id: vec![0x0f]
            }
        );
        for bad in [
            "",
            "computer:",
            "token:",
            "token:abc",
            "token:abc:xyz",
            "token:abc:123",
            "key:x",
        ] {
            assert_eq!(bad.parse::<CandidateId>(), Err(UnknownCandidate), "{bad}");
        }
    }
}
