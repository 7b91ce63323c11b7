//! Revocation: certificates revoked by an operator or superseded by a renewal, and the issuing
//! CA's CRL published at the URL its certificates name. The CRL is re-signed when the set of
//! revoked certificates changes or a day has passed (nextUpdate is a week out), with a
//! persisted, increasing CRL number.

use crate::applications::{Applications, internal};
use crate::messages_ru;
use crate::store::{CertificateRow, Store};
use kep_pki::crl::{Revocation, RevocationReason, SerialNumber, build_crl};
use kep_protocol::{ApiError, ErrorKind};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

const CRL_REFRESH: Duration = Duration::from_secs(86_400);
const CRL_LIFETIME: Duration = Duration::from_secs(7 * 86_400);

/// The last CRL signed, and what it covered.
#[derive(Debug, Default)]
pub struct CrlCache(Mutex<Option<CachedCrl>>);

#[derive(Debug, Clone)]
struct CachedCrl {
    covered: Vec<String>,
    signed_at: SystemTime,
    der: Vec<u8>,
}

/// Why a certificate is revoked, as an operator gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RevokeReason {
    /// The key was lost or stolen.
    KeyCompromise,
    /// The owner's data changed.
    AffiliationChanged,
    /// The owner asked to stop using it.
    CessationOfOperation,
}

fn reason_of(row: &CertificateRow) -> Option<RevocationReason> {
    match row.reason.as_deref()? {
        "key_compromise" => Some(RevocationReason::KeyCompromise),
        "affiliation_changed" => Some(RevocationReason::AffiliationChanged),
        "superseded" => Some(RevocationReason::Superseded),
        "cessation_of_operation" => Some(RevocationReason::CessationOfOperation),
        _ => None,
    }
}

/// A serial as stored (upper-case hex) back to its DER form.
pub(crate) fn serial_from_hex(hex: &str) -> Option<SerialNumber> {
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()?;
    SerialNumber::new(&bytes).ok()
}

/// A serial's stored form: upper-case hex of its DER content.
pub(crate) fn serial_hex(serial: &SerialNumber) -> String {
    serial
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

impl<S: Store> Applications<S> {
    /// The issuing CA's current CRL, DER.
    pub async fn issuing_crl(&self) -> Result<Vec<u8>, ApiError> {
        let revoked = self.store.revoked_certificates().await.map_err(internal)?;
        let covered: Vec<String> = revoked
            .iter()
            .map(|r| format!("{}:{}", r.serial, r.status))
            .collect();
        let now = self.clock.now();
        if let Ok(cache) = self.crl_cache.0.lock()
            && let Some(cached) = cache.as_ref()
            && cached.covered == covered
            && now
                .duration_since(cached.signed_at)
                .is_ok_and(|age| age < CRL_REFRESH)
        {
            return Ok(cached.der.clone());
        }
        let entries = revoked
            .iter()
            .map(|r| {
                Ok(Revocation {
                    serial: serial_from_hex(&r.serial)
                        .ok_or_else(|| internal(format!("stored serial {}", r.serial)))?,
                    revoked_at: SystemTime::UNIX_EPOCH
                        + Duration::from_secs(
                            u64::try_from(r.revoked_at.unwrap_or(0)).unwrap_or(0),
                        ),
                    reason: reason_of(r),
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        let number = self
            .store
            .next_crl_number("issuing")
            .await
            .map_err(internal)?;
        let der = build_crl(
            &self.authority.issuer(),
            now,
            now + CRL_LIFETIME,
            u64::try_from(number).unwrap_or(0),
            &entries,
        )
        .map_err(internal)?;
        if let Ok(mut cache) = self.crl_cache.0.lock() {
            *cache = Some(CachedCrl {
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
    ) -> Result<(), ApiError> {
        let serial = serial.to_ascii_uppercase();
        let reason = match reason {
            RevokeReason::KeyCompromise => "key_compromise",
            RevokeReason::AffiliationChanged => "affiliation_changed",
            RevokeReason::CessationOfOperation => "cessation_of_operation",
        };
        let now = self.clock.unix();
        if !self
            .store
            .revoke_certificate(&serial, "revoked", reason, now)
            .await
            .map_err(internal)?
        {
            return Err(
                match self.store.certificate(&serial).await.map_err(internal)? {
                    Some(_) => ApiError::new(ErrorKind::Conflict, messages_ru::ALREADY_REVOKED),
                    None => ApiError::new(ErrorKind::NotFound, messages_ru::CERTIFICATE_NOT_FOUND),
                },
            );
        }
        self.store
            .audit(
                &format!("operator:{operator_id}"),
                &format!("certificate.revoke.{reason}"),
                &serial,
                now,
            )
            .await
            .map_err(internal)
    }
}
