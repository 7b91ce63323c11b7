//! One status client for every certificate the app shows or relies on (the home, the statement
//! candidates, later a signature check): the issuer's OCSP responder first, its CRL when the
//! responder cannot be asked, each answer believed only when signed by that issuer (or its
//! delegated responder) and current. Addresses are fetched only from certificates whose chain
//! has already checked against trusted roots, only over http(s), never redirected, each answer
//! capped in size, the whole check within one deadline. What cannot be established is said so
//! («не удалось проверить», with the reason) — never guessed.

mod cache;
mod error;
mod fetch;

pub use error::StatusError;

use cache::{Cache, CertificateKey, MAX_VERDICT_AGE};
use der::{Decode, Encode};
use fetch::{Ask, fetch, fetchable};
use kep_pki::crl::{Crl, RevocationReason};
use kep_pki::ocsp::Status;
use kep_pki::summary::rfc3339;
use kep_protocol::certificate::{CertificateStatus, StatusSource};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use x509_cert::Certificate;
use x509_cert::serial_number::SerialNumber;

/// The certificates a chain may be built from: trusted roots and the CA certificates between.
#[derive(Debug, Clone, Default)]
pub struct Anchors {
    /// Trusted roots (DER).
    pub roots: Vec<Vec<u8>>,
    /// Intermediate CA certificates (DER), trusted only through a root.
    pub intermediates: Vec<Vec<u8>>,
}

/// How long and how much.
#[derive(Debug, Clone, Copy)]
pub struct StatusLimits {
    /// One certificate's whole check, OCSP and CRL together.
    pub deadline: Duration,
    /// Largest OCSP answer read.
    pub ocsp_bytes: usize,
    /// Largest CRL read.
    pub crl_bytes: usize,
}

impl Default for StatusLimits {
    fn default() -> Self {
        Self {
            deadline: Duration::from_secs(10),
            ocsp_bytes: 64 * 1024,
            crl_bytes: 20 * 1024 * 1024,
        }
    }
}

/// The status client. Cheap to share (`Arc`); its cache serves every caller.
pub struct StatusClient {
    http: reqwest::Client,
    limits: StatusLimits,
    cache: Cache,
}

impl std::fmt::Debug for StatusClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatusClient")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl StatusClient {
    /// A client within `limits`, trusting the system's TLS roots and `extra_tls_roots` (DER)
    /// for https addresses.
    pub fn new(
        limits: StatusLimits,
        extra_tls_roots: &[Vec<u8>],
    ) -> Result<Self, crate::HttpClientError> {
        crate::tls::install_ring_provider();
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(limits.deadline.min(Duration::from_secs(5)))
            .timeout(limits.deadline)
            .user_agent(concat!("kep-renew/", env!("CARGO_PKG_VERSION")));
        for root in extra_tls_roots {
            builder = builder.add_root_certificate(
                reqwest::Certificate::from_der(root).map_err(crate::HttpClientError::Build)?,
            );
        }
        Ok(Self {
            http: builder.build().map_err(crate::HttpClientError::Build)?,
            limits,
            cache: Cache::default(),
        })
    }

    /// Forgets what the issuers said so far: a renewal just installed has the CA record the
    /// replaced certificate as superseded, which the next look must show.
    pub fn forget(&self) {
        self.cache.clear();
    }

    /// The status of `leaf` (DER) at `now`, its chain built from `anchors`.
    pub async fn status(
        &self,
        leaf: &[u8],
        anchors: &Anchors,
        now: SystemTime,
    ) -> CertificateStatus {
        match self.check(leaf, anchors, now).await {
            Ok(status) => status,
            Err(error) => {
                tracing::info!(%error, "a certificate's status could not be established");
                CertificateStatus::Unchecked {
                    reason: crate::messages_ru::status_unchecked(&error),
                }
            }
        }
    }

    /// [`status`](Self::status), with the reason kept as a [`StatusError`].
    pub async fn check(
        &self,
        leaf: &[u8],
        anchors: &Anchors,
        now: SystemTime,
    ) -> Result<CertificateStatus, StatusError> {
        let deadline = Instant::now() + self.limits.deadline;
        let certificate = Certificate::from_der(leaf)?;
        if now
            > certificate
                .tbs_certificate()
                .validity()
                .not_after
                .to_system_time()
        {
            return Ok(CertificateStatus::Expired);
        }
        let path =
            kep_pki::chain::verify_chain(leaf, &anchors.intermediates, &anchors.roots, now, &[])?;
        // A trusted root itself has no issuer to ask.
        let Some(issuer) = path.get(1) else {
            return Err(StatusError::NoLocation);
        };
        let issuer = Certificate::from_der(issuer)?;
        let serial = certificate.tbs_certificate().serial_number().clone();
        let key = certificate_key(&issuer, &serial)?;
        if let Some(known) = self.cache.verdict(&key, now) {
            return Ok(known);
        }
        let places = kep_pki::locations::locations(&certificate);
        let mut last = StatusError::NoLocation;
        for url in places.ocsp.iter().filter(|u| fetchable(u)) {
            match self.ask_ocsp(url, &issuer, &serial, deadline, now).await {
                Ok((status, until)) => {
                    let until = until.min(now + MAX_VERDICT_AGE);
                    self.cache.keep_verdict(key, status.clone(), until, now);
                    return Ok(status);
                }
                // The issuer's own responder saying it never issued this is an answer, not a
                // failure to reach it: the CRL is not asked to overrule it.
                Err(StatusError::UnknownToResponder) => {
                    return Err(StatusError::UnknownToResponder);
                }
                Err(error) => {
                    tracing::info!(%error, url, "OCSP gave no status; trying the next source");
                    last = error;
                }
            }
        }
        for url in places.crls.iter().filter(|u| fetchable(u)) {
            match self.crl(url, &issuer, deadline, now).await {
                Ok(crl) => return Ok(from_crl(&crl, &serial, now)),
                Err(error) => {
                    tracing::info!(%error, url, "a CRL gave no status; trying the next source");
                    last = error;
                }
            }
        }
        Err(last)
    }

    async fn ask_ocsp(
        &self,
        url: &str,
        issuer: &Certificate,
        serial: &SerialNumber,
        deadline: Instant,
        now: SystemTime,
    ) -> Result<(CertificateStatus, SystemTime), StatusError> {
        let mut nonce = [0u8; 16];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut nonce)
            .map_err(StatusError::Randomness)?;
        let request = kep_pki::ocsp::request_for(issuer, serial, Some(&nonce))
            .map_err(|e| StatusError::Worker(e.to_string()))?;
        let der = fetch(
            &self.http,
            url,
            Ask::Ocsp(&request),
            self.limits.ocsp_bytes,
            deadline,
        )
        .await?;
        let answer = kep_pki::ocsp::read_answer(&der, issuer, serial, Some(&nonce), now)?;
        let until = answer.next_update.unwrap_or(now);
        let status = match answer.status {
            Status::Good => CertificateStatus::Valid {
                source: StatusSource::Ocsp,
                checked_at: rfc3339(answer.this_update.min(now)),
            },
            Status::Revoked { at, reason } => revoked(at, reason),
            Status::Unknown => return Err(StatusError::UnknownToResponder),
        };
        Ok((status, until))
    }

    async fn crl(
        &self,
        url: &str,
        issuer: &Certificate,
        deadline: Instant,
        now: SystemTime,
    ) -> Result<Arc<Crl>, StatusError> {
        if let Some(crl) = self.cache.crl(url, now)
            && crl.is_signed_by(issuer)
        {
            return Ok(crl);
        }
        let der = fetch(&self.http, url, Ask::Get, self.limits.crl_bytes, deadline).await?;
        let issuer_copy = issuer.clone();
        // Parsing and checking a CRL of many megabytes is work for a worker thread.
        let crl = tokio::task::spawn_blocking(move || -> Result<Crl, StatusError> {
            let crl = Crl::parse(&der).map_err(StatusError::CrlUnreadable)?;
            if !crl.is_signed_by(&issuer_copy) {
                return Err(StatusError::CrlNotSigned);
            }
            Ok(crl)
        })
        .await
        .map_err(|e| StatusError::Worker(e.to_string()))??;
        let Some(next_update) = crl.next_update().filter(|next| *next >= now) else {
            return Err(StatusError::CrlStale);
        };
        let crl = Arc::new(crl);
        self.cache.keep_crl(url, crl.clone(), next_update, now);
        Ok(crl)
    }
}

fn certificate_key(
    issuer: &Certificate,
    serial: &SerialNumber,
) -> Result<CertificateKey, StatusError> {
    let key = issuer
        .tbs_certificate()
        .subject_public_key_info()
        .subject_public_key
        .raw_bytes();
    Ok((
        ring::digest::digest(&ring::digest::SHA256, key)
            .as_ref()
            .to_vec(),
        serial.to_der()?,
    ))
}

fn revoked(at: SystemTime, reason: Option<RevocationReason>) -> CertificateStatus {
    match reason {
        Some(RevocationReason::Superseded) => CertificateStatus::Superseded {
            revoked_at: rfc3339(at),
        },
        reason => CertificateStatus::Revoked {
            revoked_at: rfc3339(at),
            reason: reason.map(|r| crate::messages_ru::revocation_reason(r).to_owned()),
        },
    }
}

fn from_crl(crl: &Crl, serial: &SerialNumber, now: SystemTime) -> CertificateStatus {
    match crl.revoked_at(serial, now) {
        Some(at) => revoked(at, crl.reason_of(serial)),
        None => CertificateStatus::Valid {
            source: StatusSource::Crl,
            checked_at: rfc3339(crl.this_update().min(now)),
        },
    }
}
