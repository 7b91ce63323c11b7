//! Stages 4–6 on the CA's side: the certificate request, identity confirmation, issuance, the
//! downloads, and completion (the replaced certificate recorded as superseded).
//!
//! Crash safety: the request is recorded with the serial number and start of validity chosen
//! *before* anything is signed, in the same transaction that moves the application to
//! «Выпуск сертификата». The certificate is then signed and recorded (at most one per
//! application, enforced by the schema). A service killed in between finishes the same
//! certificate on restart or when the client repeats the identical request; it never issues two.

use crate::applications::{Applications, conflict, internal, parse, wire};
use crate::documents::sha256_hex;
use crate::messages_ru;
use crate::revocation::{serial_from_hex, serial_hex};
use crate::store::{
    ApplicationChanges, CertificateRow, EventRow, RequestRecorded, RequestRow, Store,
};
use der::Decode;
use kep_pki::extensions::IdentificationKind;
use kep_pki::issue::{Applicant, KeyStorage, issue_qualified_with_serial, random_serial};
use kep_pki::request::verify_request;
use kep_pki::signer::SignatureAlgorithm;
use kep_protocol::application::{ApplicationStatus, ApplicationView, KeyStorageKind};
use kep_protocol::{ApiError, ErrorKind};
use std::time::{Duration, SystemTime};

/// Largest PKCS#10 request accepted.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorKind::InvalidInput, message)
}

fn storage_name(storage: KeyStorageKind) -> &'static str {
    match storage {
        KeyStorageKind::Token => "token",
        KeyStorageKind::Computer => "computer",
    }
}

fn unix_time(seconds: i64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).unwrap_or(0))
}

impl<S: Store> Applications<S> {
    /// Stage 4: the applicant's certificate request (PKCS#10, DER) for a key kept in `storage`.
    pub async fn accept_request(
        &self,
        applicant_id: i64,
        id: i64,
        der: &[u8],
        storage: KeyStorageKind,
    ) -> Result<ApplicationView, ApiError> {
        let row = self.owned(applicant_id, id).await?;
        let status: ApplicationStatus = parse(&row.status)?;
        if der.len() > MAX_REQUEST_BYTES {
            return Err(ApiError::new(
                ErrorKind::TooLarge,
                messages_ru::REQUEST_TOO_LARGE,
            ));
        }
        let request_sha256 = sha256_hex(der);
        if let Some(existing) = self.store.request_of(id).await.map_err(internal)? {
            if existing.request_sha256 != request_sha256 {
                return Err(conflict(messages_ru::OTHER_REQUEST_ACCEPTED));
            }
            // The identical request again (a retry after a lost answer or a crash).
            if status == ApplicationStatus::Issuing {
                self.finish_issuance(id).await?;
            }
            return Ok(self.view(applicant_id, id).await?.0);
        }
        if status != ApplicationStatus::ReadyForKey {
            return Err(conflict(messages_ru::REQUEST_NOT_NOW));
        }
        let request = verify_request(der).map_err(|e| {
            tracing::info!(error = %e, "a certificate request was refused");
            invalid(messages_ru::REQUEST_DAMAGED)
        })?;
        self.check_algorithm_and_tool(&request, storage)?;
        self.approved_requisites(&row)?;
        let serial = random_serial().map_err(internal)?;
        let remote = row.identification == Some(1) && row.registry_confirmed;
        let next = if remote {
            ApplicationStatus::Issuing
        } else {
            ApplicationStatus::AwaitingIdentity
        };
        let now = self.clock.unix();
        let recorded = self
            .store
            .record_request(
                RequestRow {
                    application_id: id,
                    der: der.to_vec(),
                    request_sha256,
                    spki_sha256: sha256_hex(&request.public_key_info),
                    storage: storage_name(storage).into(),
                    serial: serial_hex(&serial),
                    not_before: now,
                },
                wire(ApplicationStatus::ReadyForKey),
                wire(next),
                EventRow {
                    at: now,
                    actor: "applicant".into(),
                    status: wire(next),
                    comment: Some(if remote {
                        messages_ru::REQUEST_ACCEPTED_ISSUING.into()
                    } else {
                        messages_ru::REQUEST_ACCEPTED_IDENTITY_NEXT.into()
                    }),
                },
                now,
            )
            .await
            .map_err(internal)?;
        match recorded {
            RequestRecorded::Recorded => {}
            RequestRecorded::KeyKnown => {
                return Err(ApiError::new(ErrorKind::KeyReused, messages_ru::KEY_REUSED));
            }
            RequestRecorded::WrongState => {
                return Err(conflict(messages_ru::APPLICATION_CHANGED));
            }
        }
        self.store
            .audit(
                &format!("applicant:{applicant_id}"),
                "request.accepted",
                &id.to_string(),
                now,
            )
            .await
            .map_err(internal)?;
        if self.crash_after_request {
            tracing::warn!("failpoint after_request_recorded: aborting (dev only)");
            std::process::abort();
        }
        if remote {
            self.finish_issuance(id).await?;
        }
        Ok(self.view(applicant_id, id).await?.0)
    }

    /// GOST 2012 for the qualified profile (P-256 only in the demo profile), and a sign tool
    /// the CA accepts.
    fn check_algorithm_and_tool(
        &self,
        request: &kep_pki::request::VerifiedRequest,
        storage: KeyStorageKind,
    ) -> Result<(), ApiError> {
        if request.algorithm == SignatureAlgorithm::EcdsaP256Sha256 {
            return if self.policy.demo_profile {
                Ok(())
            } else {
                Err(invalid(messages_ru::GOST_KEY_REQUIRED))
            };
        }
        if !request.algorithm.is_gost() {
            return Err(invalid(messages_ru::KEY_ALGORITHM_UNSUPPORTED));
        }
        let profile = self.authority.profile();
        let tool = request
            .subject_sign_tool
            .clone()
            .unwrap_or_else(|| match storage {
                KeyStorageKind::Token => profile.token_sign_tool.clone(),
                KeyStorageKind::Computer => profile.computer_sign_tool.clone(),
            });
        if !self.policy.accepted_sign_tools.contains(&tool) {
            return Err(invalid(messages_ru::sign_tool_refused(&tool)));
        }
        Ok(())
    }

    /// Signs and records the certificate of an application in «Выпуск сертификата», from the
    /// recorded request, serial and start of validity.
    pub(crate) async fn finish_issuance(&self, id: i64) -> Result<(), ApiError> {
        let row = self.row(id).await?;
        if parse::<ApplicationStatus>(&row.status)? != ApplicationStatus::Issuing {
            return Ok(());
        }
        let recorded = self
            .store
            .request_of(id)
            .await
            .map_err(internal)?
            .ok_or_else(|| internal("issuing without a recorded request"))?;
        let request = verify_request(&recorded.der).map_err(internal)?;
        let requisites = self.approved_requisites(&row)?;
        let identification = if row.identification == Some(1) {
            IdentificationKind::RemoteWithQualifiedSignature
        } else {
            IdentificationKind::InPerson
        };
        let serial = serial_from_hex(&recorded.serial).ok_or_else(|| internal("stored serial"))?;
        let der = issue_qualified_with_serial(
            &self.authority.issuer(),
            self.authority.profile(),
            &Applicant {
                request: &request,
                requisites: &requisites,
                identification,
                storage: if recorded.storage == "token" {
                    KeyStorage::Token
                } else {
                    KeyStorage::Computer
                },
                not_before: unix_time(recorded.not_before),
            },
            serial,
        )
        .map_err(internal)?;
        let not_after = x509_cert::Certificate::from_der(&der)
            .map_err(internal)?
            .tbs_certificate()
            .validity()
            .not_after
            .to_unix_duration()
            .as_secs();
        let not_after = i64::try_from(not_after).map_err(internal)?;
        let now = self.clock.unix();
        let recorded_now = self
            .store
            .record_certificate(
                CertificateRow {
                    serial: recorded.serial.clone(),
                    applicant_id: row.applicant_id,
                    application_id: Some(id),
                    spki_sha256: recorded.spki_sha256.clone(),
                    der,
                    not_after,
                    identification: i64::from(identification.value()),
                    status: "active".into(),
                    revoked_at: None,
                    reason: None,
                },
                wire(ApplicationStatus::Issuing),
                wire(ApplicationStatus::Issued),
                Some(EventRow {
                    at: now,
                    actor: "system".into(),
                    status: wire(ApplicationStatus::Issued),
                    comment: Some(messages_ru::CERTIFICATE_ISSUED.into()),
                }),
                now,
            )
            .await
            .map_err(internal)?;
        if recorded_now {
            crate::metrics::METRICS.issued.inc();
            self.store
                .audit("system", "certificate.issued", &recorded.serial, now)
                .await
                .map_err(internal)?;
            self.tell(row.applicant_id, messages_ru::CERTIFICATE_ISSUED_NOTICE)
                .await;
        }
        Ok(())
    }

    /// Finishes every issuance a stopped service left half-done (run at start-up).
    pub async fn resume_issuance(&self) -> Result<usize, ApiError> {
        let ids = self
            .store
            .application_ids_in(&wire(ApplicationStatus::Issuing))
            .await
            .map_err(internal)?;
        for id in &ids {
            self.finish_issuance(*id).await?;
        }
        Ok(ids.len())
    }

    /// Stage 5, path (b): the organization's responsible officer confirms the applicant's
    /// identity in person; issuance starts.
    pub async fn confirm_identity(
        &self,
        officer_id: i64,
        id: i64,
    ) -> Result<ApplicationView, ApiError> {
        let now = self.clock.unix();
        let moved = self
            .store
            .transition(
                id,
                vec![wire(ApplicationStatus::AwaitingIdentity)],
                wire(ApplicationStatus::Issuing),
                ApplicationChanges {
                    identification: Some(Some(0)),
                    ..ApplicationChanges::default()
                },
                EventRow {
                    at: now,
                    actor: "officer".into(),
                    status: wire(ApplicationStatus::Issuing),
                    comment: Some(messages_ru::IDENTITY_CONFIRMED.into()),
                },
                now,
            )
            .await
            .map_err(internal)?;
        if !moved {
            return Err(conflict(messages_ru::IDENTITY_NOT_NOW));
        }
        self.store
            .audit(
                &format!("officer:{officer_id}"),
                "identity.confirmed",
                &id.to_string(),
                now,
            )
            .await
            .map_err(internal)?;
        self.finish_issuance(id).await?;
        self.view_by_id(id).await
    }

    async fn issued(&self, applicant_id: i64, id: i64) -> Result<CertificateRow, ApiError> {
        self.owned(applicant_id, id).await?;
        self.store
            .certificate_of(id)
            .await
            .map_err(internal)?
            .ok_or_else(|| ApiError::new(ErrorKind::NotFound, messages_ru::CERTIFICATE_NOT_ISSUED))
    }

    /// The issued certificate, DER.
    pub async fn certificate_der(&self, applicant_id: i64, id: i64) -> Result<Vec<u8>, ApiError> {
        Ok(self.issued(applicant_id, id).await?.der)
    }

    /// The issued certificate with its chain (leaf, issuing CA, root), PEM.
    pub async fn certificate_chain_pem(
        &self,
        applicant_id: i64,
        id: i64,
    ) -> Result<String, ApiError> {
        let leaf = self.issued(applicant_id, id).await?.der;
        Ok([
            leaf.as_slice(),
            self.authority.issuing_der(),
            self.authority.root_der(),
        ]
        .iter()
        .map(|der| crate::pem::certificate(der))
        .collect())
    }

    /// Stage 6 done: the app installed the certificate. The applicant's earlier certificates
    /// are recorded as superseded (and listed so on the CRL).
    pub async fn complete(&self, applicant_id: i64, id: i64) -> Result<ApplicationView, ApiError> {
        let row = self.owned(applicant_id, id).await?;
        let status: ApplicationStatus = parse(&row.status)?;
        if status == ApplicationStatus::Completed {
            return Ok(self.view(applicant_id, id).await?.0);
        }
        let new = self.issued(applicant_id, id).await?;
        let now = self.clock.unix();
        let moved = self
            .store
            .transition(
                id,
                vec![wire(ApplicationStatus::Issued)],
                wire(ApplicationStatus::Completed),
                ApplicationChanges::default(),
                EventRow {
                    at: now,
                    actor: "applicant".into(),
                    status: wire(ApplicationStatus::Completed),
                    comment: Some(messages_ru::CERTIFICATE_INSTALLED.into()),
                },
                now,
            )
            .await
            .map_err(internal)?;
        if !moved {
            return Err(conflict(messages_ru::CERTIFICATE_NOT_ISSUED));
        }
        for old in self
            .store
            .certificates_of(applicant_id)
            .await
            .map_err(internal)?
        {
            if old.serial != new.serial && old.status == "active" {
                self.store
                    .revoke_certificate(&old.serial, "superseded", "superseded", now)
                    .await
                    .map_err(internal)?;
                self.store
                    .audit(
                        &format!("applicant:{applicant_id}"),
                        "certificate.superseded",
                        &old.serial,
                        now,
                    )
                    .await
                    .map_err(internal)?;
            }
        }
        Ok(self.view(applicant_id, id).await?.0)
    }
}
