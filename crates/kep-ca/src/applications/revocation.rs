//! Revocation: certificates revoked by an operator or superseded by a renewal, and the issuing
//! CA's CRL published at the URL its certificates name. The CRL is re-signed when the set of
//! revoked certificates changes or a day has passed (nextUpdate is a week out), with a
//! persisted, increasing CRL number.

use super::records::Records;
use crate::serial::serial_from_hex;
use crate::store::{CertificateStatus, Column, Store, StoreError};
use kep_pki::crl::{Revocation, RevocationReason, build_crl};
use kep_pki::error::PkiError;
pub use kep_protocol::operator::RevokeReason;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

const CRL_REFRESH: Duration = Duration::from_secs(86_400);
const CRL_LIFETIME: Duration = Duration::from_secs(7 * 86_400);

/// Why revoking, or signing the CRL, failed.
#[derive(Debug, thiserror::Error)]
pub enum RevocationError {
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StoreError),
    /// No certificate with that serial.
    #[error("no certificate with that serial")]
    CertificateNotFound,
    /// The certificate is revoked already.
    #[error("the certificate is revoked already")]
    AlreadyRevoked,
    /// Signing the CRL failed.
    #[error("signing the CRL: {0}")]
    Signing(PkiError),
    /// A stored serial, or the CRL just signed, does not read back.
    #[error("does not read back: {0}")]
    Unreadable(String),
}

/// The last CRL signed, and what it covered.
#[derive(Debug, Clone)]
struct SignedCrl {
    covered: Vec<String>,
    signed_at: SystemTime,
    der: Vec<u8>,
}

/// Revocation and the issuing CA's CRL.
pub struct RevocationService<S> {
    records: Arc<Records<S>>,
    last_crl: Mutex<Option<SignedCrl>>,
}

impl<S> std::fmt::Debug for RevocationService<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RevocationService").finish_non_exhaustive()
    }
}

impl<S: Store> RevocationService<S> {
    pub(crate) fn new(records: Arc<Records<S>>) -> Self {
        Self {
            records,
            last_crl: Mutex::new(None),
        }
    }

    /// The issuing CA's current CRL, DER.
    pub async fn issuing_crl(&self) -> Result<Vec<u8>, RevocationError> {
        let records = &self.records;
        let revoked = records.store.revoked_certificates().await?;
        let covered: Vec<String> = revoked
            .iter()
            .map(|r| format!("{}:{}", r.serial, r.status.name()))
            .collect();
        let now = records.clock.now();
        if let Ok(last) = self.last_crl.lock()
            && let Some(last) = last.as_ref()
            && last.covered == covered
            && now
                .duration_since(last.signed_at)
                .is_ok_and(|age| age < CRL_REFRESH)
        {
            return Ok(last.der.clone());
        }
        let entries = revoked
            .iter()
            .map(|r| {
                Ok(Revocation {
                    serial: serial_from_hex(&r.serial).ok_or_else(|| {
                        RevocationError::Unreadable(format!("the stored serial {}", r.serial))
                    })?,
                    revoked_at: SystemTime::UNIX_EPOCH
                        + Duration::from_secs(
                            u64::try_from(r.revoked_at.unwrap_or(0)).unwrap_or(0),
                        ),
                    reason: r.reason,
                })
            })
            .collect::<Result<Vec<_>, RevocationError>>()?;
        let number = records.store.next_crl_number("issuing").await?;
        let der = build_crl(
            &records.authority.issuer(),
            now,
            now + CRL_LIFETIME,
            u64::try_from(number).unwrap_or(0),
            &entries,
        )
        .map_err(RevocationError::Signing)?;
        if let Ok(mut last) = self.last_crl.lock() {
            *last = Some(SignedCrl {
                covered,
                signed_at: now,
                der: der.clone(),
            });
        }
        Ok(der)
    }

    /// An operator revokes a certificate.
    pub async fn revoke(
        &self,
        operator_id: i64,
        serial: &str,
        reason: RevokeReason,
    ) -> Result<(), RevocationError> {
        let store = &self.records.store;
        let serial = serial.to_ascii_uppercase();
        let reason = match reason {
            RevokeReason::KeyCompromise => RevocationReason::KeyCompromise,
            RevokeReason::AffiliationChanged => RevocationReason::AffiliationChanged,
            RevokeReason::CessationOfOperation => RevocationReason::CessationOfOperation,
        };
        let now = self.records.clock.unix();
        if !store
            .revoke_certificate(&serial, CertificateStatus::Revoked, reason, now)
            .await?
        {
            return Err(match store.certificate(&serial).await? {
                Some(_) => RevocationError::AlreadyRevoked,
                None => RevocationError::CertificateNotFound,
            });
        }
        Ok(store
            .audit(
                &format!("operator:{operator_id}"),
                &format!("certificate.revoke.{}", reason.name()),
                &serial,
                now,
            )
            .await?)
    }
}
