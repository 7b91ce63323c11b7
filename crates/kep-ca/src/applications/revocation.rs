//! Revocation: certificates revoked by an operator or superseded by a renewal, and the issuing
//! CA's CRL published at the URL its certificates name. The CRL is re-signed when the set of
//! revoked certificates changes or a day has passed (nextUpdate is a week out), with a
//! persisted, increasing CRL number; the CRL itself is kept in the database, so every instance
//! hands out the same one.

use super::records::Records;
use crate::serial::serial_from_hex;
use crate::store::{CertificateStatus, Column, Store, StoreError, StoredCrl};
use kep_pki::crl::{Revocation, RevocationReason, build_crl};
use kep_pki::error::PkiError;
pub use kep_protocol::operator::RevokeReason;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The CRL's issuer in the database.
const ISSUER: &str = "issuing";
const CRL_REFRESH: Duration = Duration::from_secs(86_400);
const CRL_LIFETIME: Duration = Duration::from_secs(7 * 86_400);

fn unix(seconds: i64) -> Duration {
    Duration::from_secs(u64::try_from(seconds).unwrap_or(0))
}

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

/// Revocation and the issuing CA's CRL.
pub struct RevocationService<S> {
    records: Arc<Records<S>>,
}

impl<S> std::fmt::Debug for RevocationService<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RevocationService").finish_non_exhaustive()
    }
}

impl<S: Store> RevocationService<S> {
    pub(crate) fn new(records: Arc<Records<S>>) -> Self {
        Self { records }
    }

    /// The issuing CA's current CRL, DER: the one in the database while it covers the revoked
    /// certificates and is less than a day old, else a newly signed one. Every instance hands
    /// out the same CRL, and CRL numbers only grow: when two instances sign at once, the one
    /// stored first with the higher number wins and the other hands that one out.
    pub async fn issuing_crl(&self) -> Result<Vec<u8>, RevocationError> {
        let records = &self.records;
        let revoked = records.store.revoked_certificates().await?;
        let covered = crate::documents::sha256_hex(
            revoked
                .iter()
                .map(|r| format!("{}:{}\n", r.serial, r.status.name()))
                .collect::<String>()
                .as_bytes(),
        );
        let now = records.clock.now();
        let fresh = |crl: &StoredCrl| {
            crl.covered == covered
                && now
                    .duration_since(SystemTime::UNIX_EPOCH + unix(crl.signed_at))
                    .is_ok_and(|age| age < CRL_REFRESH)
        };
        if let Some(crl) = records.store.latest_crl(ISSUER).await?
            && fresh(&crl)
        {
            return Ok(crl.der);
        }
        let entries = revoked
            .iter()
            .map(|r| {
                Ok(Revocation {
                    serial: serial_from_hex(&r.serial).ok_or_else(|| {
                        RevocationError::Unreadable(format!("the stored serial {}", r.serial))
                    })?,
                    revoked_at: SystemTime::UNIX_EPOCH + unix(r.revoked_at.unwrap_or(0)),
                    reason: r.reason,
                })
            })
            .collect::<Result<Vec<_>, RevocationError>>()?;
        let number = records.store.next_crl_number(ISSUER).await?;
        let der = build_crl(
            &records.authority.issuer(),
            now,
            now + CRL_LIFETIME,
            u64::try_from(number).unwrap_or(0),
            &entries,
        )
        .map_err(RevocationError::Signing)?;
        let signed = StoredCrl {
            number,
            der,
            covered,
            signed_at: records.clock.unix(),
        };
        if records.store.store_crl(ISSUER, signed.clone()).await? {
            return Ok(signed.der);
        }
        // Another instance stored a newer one meanwhile: hand out that one.
        Ok(records
            .store
            .latest_crl(ISSUER)
            .await?
            .map_or(signed.der, |crl| crl.der))
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
