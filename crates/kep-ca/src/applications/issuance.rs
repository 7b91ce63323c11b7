//! Stages 4–6 on the CA's side, the certification authority proper: the certificate request,
//! identity confirmation, issuance, the downloads, and completion (the replaced certificate
//! recorded as superseded).
//!
//! Crash safety: the request is recorded with the serial number and start of validity chosen
//! *before* anything is signed, in the same transaction that moves the application to
//! «Выпуск сертификата». The certificate is then signed and recorded (at most one per
//! application, enforced by the schema). A service killed in between finishes the same
//! certificate on restart or when the client repeats the identical request; it never issues two.

use super::records::{Move, RecordError, Records, record_causes};
use crate::documents::sha256_hex;
use crate::messages_ru;
use crate::serial::{serial_from_hex, serial_hex};
use crate::store::{
    ApplicationChanges, CertificateRow, CertificateStatus, EventRow, IssuedOn, RequestRecorded,
    RequestRow, Store,
};
use der::Decode;
use kep_pki::crl::RevocationReason;
use kep_pki::error::PkiError;
use kep_pki::extensions::IdentificationKind;
use kep_pki::issue::{Applicant, KeyStorage, issue_qualified_with_serial, random_serial};
use kep_pki::request::verify_request;
use kep_pki::signer::SignatureAlgorithm;
use kep_protocol::application::{ApplicationStatus, ApplicationView, KeyStorageKind};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Largest PKCS#10 request accepted.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// Why a request, an identity confirmation or a download was refused, or issuance failed.
#[derive(Debug, thiserror::Error)]
pub enum IssuanceError {
    /// Reading or recording the application failed (or it is not theirs).
    #[error(transparent)]
    Record(#[from] RecordError),
    /// The request is over the limit.
    #[error("the request is over {MAX_REQUEST_BYTES} bytes")]
    RequestTooLarge,
    /// Another request was accepted for this application already.
    #[error("another request was accepted already")]
    OtherRequestAccepted,
    /// Requests are accepted only at «Готов к выпуску».
    #[error("the application is not ready for a key")]
    RequestNotNow,
    /// The request does not parse or its signature is wrong.
    #[error("the request is damaged: {0}")]
    RequestDamaged(PkiError),
    /// The key was certified before.
    #[error("the key was certified before")]
    KeyReused,
    /// The application moved on meanwhile.
    #[error("the application changed meanwhile")]
    Changed,
    /// A P-256 key where the qualified profile needs GOST.
    #[error("a GOST key is required")]
    GostKeyRequired,
    /// Neither GOST nor the demo's P-256.
    #[error("the key algorithm is not supported")]
    KeyAlgorithmUnsupported,
    /// The policy does not accept keys made by this signature tool.
    #[error("keys made by {0:?} are not accepted")]
    SignToolRefused(String),
    /// Identity is confirmed only once the request is in.
    #[error("the application is not awaiting identity confirmation")]
    IdentityNotNow,
    /// No certificate issued for the application yet.
    #[error("no certificate issued yet")]
    NotIssued,
    /// Completion is reported only for an issued certificate.
    #[error("the certificate is not issued, so it cannot be installed")]
    NotInstallable,
    /// Signing the certificate (or drawing its serial) failed.
    #[error("issuing: {0}")]
    Issuing(PkiError),
}

record_causes!(IssuanceError);

fn corrupt(what: impl Into<String>) -> RecordError {
    RecordError::Corrupt(what.into())
}

fn unix_time(seconds: i64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).unwrap_or(0))
}

/// Certificate requests, identity confirmation and issuance.
pub struct IssuanceService<S> {
    records: Arc<Records<S>>,
    /// Dev-only failpoint: abort the process right after a request is recorded (crash tests).
    crash_after_request: bool,
}

impl<S> std::fmt::Debug for IssuanceService<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuanceService").finish_non_exhaustive()
    }
}

impl<S: Store> IssuanceService<S> {
    pub(crate) fn new(records: Arc<Records<S>>, crash_after_request: bool) -> Self {
        Self {
            records,
            crash_after_request,
        }
    }

    /// Stage 4: the applicant's certificate request (PKCS#10, DER) for a key kept in `storage`.
    pub async fn accept_request(
        &self,
        applicant_id: i64,
        id: i64,
        der: &[u8],
        storage: KeyStorageKind,
    ) -> Result<ApplicationView, IssuanceError> {
        let row = self.records.owned(applicant_id, id).await?;
        let status = row.status;
        if der.len() > MAX_REQUEST_BYTES {
            return Err(IssuanceError::RequestTooLarge);
        }
        let request_sha256 = sha256_hex(der);
        if let Some(existing) = self.records.store.request_of(id).await? {
            if existing.request_sha256 != request_sha256 {
                return Err(IssuanceError::OtherRequestAccepted);
            }
            // The identical request again (a retry after a lost answer or a crash).
            if status == ApplicationStatus::Issuing {
                self.finish_issuance(id).await?;
            }
            return Ok(self.records.view(applicant_id, id).await?.0);
        }
        if status != ApplicationStatus::ReadyForKey {
            return Err(IssuanceError::RequestNotNow);
        }
        let request = verify_request(der).map_err(IssuanceError::RequestDamaged)?;
        self.check_algorithm_and_tool(&request, storage)?;
        self.records.approved_requisites(&row)?;
        let serial = random_serial().map_err(IssuanceError::Issuing)?;
        let remote = row.identification == Some(IdentificationKind::RemoteWithQualifiedSignature)
            && row.registry_confirmed;
        let next = if remote {
            ApplicationStatus::Issuing
        } else {
            ApplicationStatus::AwaitingIdentity
        };
        let now = self.records.clock.unix();
        let recorded = self
            .records
            .store
            .record_request(
                RequestRow {
                    application_id: id,
                    der: der.to_vec(),
                    request_sha256,
                    spki_sha256: sha256_hex(&request.public_key_info),
                    storage,
                    serial: serial_hex(&serial),
                    not_before: now,
                },
                ApplicationStatus::ReadyForKey,
                next,
                EventRow {
                    at: now,
                    actor: "applicant".into(),
                    status: next,
                    comment: Some(if remote {
                        messages_ru::REQUEST_ACCEPTED_ISSUING.into()
                    } else {
                        messages_ru::REQUEST_ACCEPTED_IDENTITY_NEXT.into()
                    }),
                },
                now,
            )
            .await?;
        match recorded {
            RequestRecorded::Recorded => {}
            RequestRecorded::KeyKnown => {
                return Err(IssuanceError::KeyReused);
            }
            RequestRecorded::WrongState => {
                return Err(IssuanceError::Changed);
            }
        }
        self.records
            .store
            .audit(
                &format!("applicant:{applicant_id}"),
                "request.accepted",
                &id.to_string(),
                now,
            )
            .await?;
        if self.crash_after_request {
            tracing::warn!("failpoint after_request_recorded: aborting (dev only)");
            std::process::abort();
        }
        if remote {
            self.finish_issuance(id).await?;
        }
        Ok(self.records.view(applicant_id, id).await?.0)
    }

    /// GOST 2012 for the qualified profile (P-256 only in the demo profile), and a sign tool
    /// the CA accepts.
    fn check_algorithm_and_tool(
        &self,
        request: &kep_pki::request::VerifiedRequest,
        storage: KeyStorageKind,
    ) -> Result<(), IssuanceError> {
        if request.algorithm == SignatureAlgorithm::EcdsaP256Sha256 {
            return if self.records.policy.demo_profile {
                Ok(())
            } else {
                Err(IssuanceError::GostKeyRequired)
            };
        }
        if !request.algorithm.is_gost() {
            return Err(IssuanceError::KeyAlgorithmUnsupported);
        }
        let profile = self.records.authority.profile();
        let tool = request
            .subject_sign_tool
            .clone()
            .unwrap_or_else(|| match storage {
                KeyStorageKind::Token => profile.token_sign_tool.clone(),
                KeyStorageKind::Computer => profile.computer_sign_tool.clone(),
            });
        if !self.records.policy.accepted_sign_tools.contains(&tool) {
            return Err(IssuanceError::SignToolRefused(tool));
        }
        Ok(())
    }

    /// Signs and records the certificate of an application in «Выпуск сертификата», from the
    /// recorded request, serial and start of validity.
    pub(crate) async fn finish_issuance(&self, id: i64) -> Result<(), IssuanceError> {
        let row = self.records.row(id).await?;
        if row.status != ApplicationStatus::Issuing {
            return Ok(());
        }
        let recorded = self.records.store.request_of(id).await?.ok_or_else(|| {
            corrupt(format!(
                "application {id} issuing without a recorded request"
            ))
        })?;
        let request = verify_request(&recorded.der)
            .map_err(|e| corrupt(format!("the recorded request of application {id}: {e}")))?;
        let requisites = self.records.approved_requisites(&row)?;
        // Remote only when established so (a statement signed with a valid КЭП).
        let identification = row.identification.unwrap_or(IdentificationKind::InPerson);
        let serial = serial_from_hex(&recorded.serial)
            .ok_or_else(|| corrupt(format!("the stored serial {}", recorded.serial)))?;
        let der = issue_qualified_with_serial(
            &self.records.authority.issuer(),
            self.records.authority.profile(),
            &Applicant {
                request: &request,
                requisites: &requisites,
                identification,
                storage: match recorded.storage {
                    KeyStorageKind::Token => KeyStorage::Token,
                    KeyStorageKind::Computer => KeyStorage::Computer,
                },
                not_before: unix_time(recorded.not_before),
            },
            serial,
        )
        .map_err(IssuanceError::Issuing)?;
        let not_after = x509_cert::Certificate::from_der(&der)
            .map_err(|e| corrupt(format!("the certificate just signed: {e}")))?
            .tbs_certificate()
            .validity()
            .not_after
            .to_unix_duration()
            .as_secs();
        let not_after = i64::try_from(not_after)
            .map_err(|e| corrupt(format!("notAfter {not_after} s: {e}")))?;
        let now = self.records.clock.unix();
        let recorded_now = self
            .records
            .store
            .record_certificate(
                CertificateRow {
                    serial: recorded.serial.clone(),
                    applicant_id: row.applicant_id,
                    application_id: Some(id),
                    spki_sha256: recorded.spki_sha256.clone(),
                    der,
                    not_after,
                    identification,
                    status: CertificateStatus::Active,
                    revoked_at: None,
                    reason: None,
                },
                Some(IssuedOn {
                    from: ApplicationStatus::Issuing,
                    to: ApplicationStatus::Issued,
                    event: EventRow {
                        at: now,
                        actor: "system".into(),
                        status: ApplicationStatus::Issued,
                        comment: Some(messages_ru::CERTIFICATE_ISSUED.into()),
                    },
                }),
                now,
            )
            .await?;
        if recorded_now {
            crate::metrics::METRICS.issued.inc();
            self.records
                .store
                .audit("system", "certificate.issued", &recorded.serial, now)
                .await?;
            self.records
                .tell(&row, &messages_ru::notices::issued())
                .await;
        }
        Ok(())
    }

    /// Finishes every issuance a stopped instance left half-done (at start-up, then by the
    /// holder of the background lease); answers how many were finished. One that fails is
    /// logged and left for the next sweep; the others go on.
    pub async fn resume_issuance(&self) -> Result<usize, IssuanceError> {
        let ids = self
            .records
            .store
            .application_ids_in(ApplicationStatus::Issuing)
            .await?;
        let mut finished = 0;
        for id in ids {
            match self.finish_issuance(id).await {
                Ok(_) => finished += 1,
                Err(e) => {
                    tracing::warn!(error = %e, application = id, "an interrupted issuance is not finished yet");
                }
            }
        }
        Ok(finished)
    }

    /// Stage 5, path (b): the organization's responsible officer confirms the applicant's
    /// identity in person; issuance starts.
    pub async fn confirm_identity(
        &self,
        officer_id: i64,
        id: i64,
    ) -> Result<ApplicationView, IssuanceError> {
        let now = self.records.clock.unix();
        let moved = self
            .records
            .move_to(Move {
                id,
                from: ApplicationStatus::AwaitingIdentity,
                to: ApplicationStatus::Issuing,
                changes: ApplicationChanges {
                    identification: Some(Some(IdentificationKind::InPerson)),
                    ..ApplicationChanges::default()
                },
                actor: "officer",
                comment: Some(messages_ru::IDENTITY_CONFIRMED.into()),
                now,
            })
            .await?;
        if !moved {
            return Err(IssuanceError::IdentityNotNow);
        }
        self.records
            .store
            .audit(
                &format!("officer:{officer_id}"),
                "identity.confirmed",
                &id.to_string(),
                now,
            )
            .await?;
        self.finish_issuance(id).await?;
        Ok(self.records.view_by_id(id).await?)
    }

    async fn issued(&self, applicant_id: i64, id: i64) -> Result<CertificateRow, IssuanceError> {
        self.records.owned(applicant_id, id).await?;
        self.records
            .store
            .certificate_of(id)
            .await?
            .ok_or(IssuanceError::NotIssued)
    }

    /// The issued certificate, DER.
    pub async fn certificate_der(
        &self,
        applicant_id: i64,
        id: i64,
    ) -> Result<Vec<u8>, IssuanceError> {
        Ok(self.issued(applicant_id, id).await?.der)
    }

    /// The issued certificate with its chain (leaf, issuing CA, root), PEM.
    pub async fn certificate_chain_pem(
        &self,
        applicant_id: i64,
        id: i64,
    ) -> Result<String, IssuanceError> {
        let leaf = self.issued(applicant_id, id).await?.der;
        Ok([
            leaf.as_slice(),
            self.records.authority.issuing_der(),
            self.records.authority.root_der(),
        ]
        .iter()
        .map(|der| crate::pem::certificate(der))
        .collect())
    }

    /// Stage 6 done: the app installed the certificate. The applicant's earlier certificates
    /// are recorded as superseded (and listed so on the CRL).
    pub async fn complete(
        &self,
        applicant_id: i64,
        id: i64,
    ) -> Result<ApplicationView, IssuanceError> {
        let row = self.records.owned(applicant_id, id).await?;
        let status = row.status;
        if status == ApplicationStatus::Completed {
            return Ok(self.records.view(applicant_id, id).await?.0);
        }
        let new = self.issued(applicant_id, id).await?;
        let now = self.records.clock.unix();
        let moved = self
            .records
            .move_to(Move {
                id,
                from: ApplicationStatus::Issued,
                to: ApplicationStatus::Completed,
                changes: ApplicationChanges::default(),
                actor: "applicant",
                comment: Some(messages_ru::CERTIFICATE_INSTALLED.into()),
                now,
            })
            .await?;
        if !moved {
            return Err(IssuanceError::NotInstallable);
        }
        for old in self.records.store.certificates_of(applicant_id).await? {
            if old.serial != new.serial && old.status == CertificateStatus::Active {
                self.records
                    .store
                    .revoke_certificate(
                        &old.serial,
                        CertificateStatus::Superseded,
                        RevocationReason::Superseded,
                        now,
                    )
                    .await?;
                self.records
                    .store
                    .audit(
                        &format!("applicant:{applicant_id}"),
                        "certificate.superseded",
                        &old.serial,
                        now,
                    )
                    .await?;
            }
        }
        Ok(self.records.view(applicant_id, id).await?.0)
    }
}
