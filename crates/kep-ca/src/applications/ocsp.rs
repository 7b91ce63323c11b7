//! Certificate status over OCSP (RFC 6960), the primary status source for relying parties
//! (CRLs keep working beside it): each request read, its certificates looked up in the
//! database, and the answer signed by the delegated responder. Whatever goes wrong is an OCSP
//! answer too — `malformedRequest`, `unauthorized` (another CA's certificates only), `tryLater`
//! (the database is away), `internalError` — never an HTTP failure.

use super::records::Records;
use crate::serial::serial_hex;
use crate::store::{CertificateStatus, Store};
use kep_pki::ocsp::asn1::OcspResponseStatus;
use kep_pki::ocsp::{Status, parse_request, refusal};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// How long an answer holds (its nextUpdate, and the cache headers' max-age).
pub const OCSP_VALIDITY: Duration = Duration::from_secs(3600);

/// An OCSP answer and how it may be cached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcspAnswer {
    /// The DER OCSPResponse.
    pub der: Vec<u8>,
    /// When it was produced and until when it holds, if it may be cached (a signed answer to
    /// a request without a nonce: RFC 5019).
    pub cacheable: Option<(SystemTime, SystemTime)>,
}

impl OcspAnswer {
    fn refused(status: OcspResponseStatus) -> Self {
        Self {
            der: refusal(status),
            cacheable: None,
        }
    }
}

/// The OCSP responder service.
pub struct OcspService<S> {
    records: Arc<Records<S>>,
}

impl<S> std::fmt::Debug for OcspService<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OcspService").finish_non_exhaustive()
    }
}

impl<S: Store> OcspService<S> {
    pub(crate) fn new(records: Arc<Records<S>>) -> Self {
        Self { records }
    }

    /// The answer to a DER OCSPRequest.
    pub async fn answer(&self, request: &[u8]) -> OcspAnswer {
        let parsed = match parse_request(request) {
            Ok(parsed) => parsed,
            Err(e) => {
                // A relying party's mistake, not ours: noted, not alarmed about.
                tracing::debug!(error = %e, "OCSP: a request refused");
                crate::metrics::METRICS.ocsp_answered("malformed");
                return OcspAnswer::refused(e.status());
            }
        };
        let responder = self.records.authority.ocsp_responder();
        let asked: Vec<_> = parsed
            .cert_ids
            .iter()
            .map(|id| responder.serial_asked(id).cloned())
            .collect();
        if asked.iter().all(Option::is_none) {
            crate::metrics::METRICS.ocsp_answered("unauthorized");
            return OcspAnswer::refused(OcspResponseStatus::Unauthorized);
        }
        let mut statuses = Vec::with_capacity(asked.len());
        for serial in asked {
            let Some(serial) = serial else {
                statuses.push(Status::Unknown);
                continue;
            };
            let row = match self.records.store.certificate(&serial_hex(&serial)).await {
                Ok(row) => row,
                Err(e) => {
                    tracing::warn!(error = %e, "OCSP: the status could not be read");
                    crate::metrics::METRICS.ocsp_answered("try_later");
                    return OcspAnswer::refused(OcspResponseStatus::TryLater);
                }
            };
            statuses.push(match row {
                None => Status::Unknown,
                Some(row) if row.status == CertificateStatus::Active => Status::Good,
                Some(row) => Status::Revoked {
                    at: SystemTime::UNIX_EPOCH
                        + Duration::from_secs(
                            u64::try_from(row.revoked_at.unwrap_or(0)).unwrap_or(0),
                        ),
                    reason: row.reason,
                },
            });
        }
        let now = self.records.clock.now();
        let until = now + OCSP_VALIDITY;
        match responder.respond(&parsed, &statuses, now, until) {
            Ok(der) => {
                crate::metrics::METRICS.ocsp_answered("successful");
                OcspAnswer {
                    der,
                    cacheable: parsed.nonce.is_none().then_some((now, until)),
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "OCSP: the answer could not be signed");
                crate::metrics::METRICS.ocsp_answered("internal_error");
                OcspAnswer::refused(OcspResponseStatus::InternalError)
            }
        }
    }
}
