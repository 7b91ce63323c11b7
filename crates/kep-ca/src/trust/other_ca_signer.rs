//! Path (a) for a КЭП from another accredited CA: the signer's path is checked up to a
//! certificate the list gives (with the certificates the signature carried, then — only when the
//! part in hand checks — its issuers from their AIA caIssuers addresses), and the status of each
//! certificate below that anchor is learnt from its issuer: its OCSP responder first, then its
//! CRL distribution points and the list's CRL addresses for that key. Every request goes through
//! the fetch policy, and the whole check shares one deadline, so the applicant's app hears within
//! it. A status that cannot be learnt is said with each attempt's reason — never taken as good.

use super::capped_get::{CappedGet, GetError};
use super::crl_fetch::{CrlFetchError, CrlFetcher};
use super::fetch_policy::FetchPolicy;
use super::issuer_fetch::{IssuerFetchError, fetch_issuer_until};
use super::listed_issuer::{ListedIssuer, NotListed, listed_issuer};
use super::trusted_cas::TrustedCas;
use crate::store::StoreError;
use crate::store::trust_store::TrustStore;
use der::{Decode, Encode};
use kep_pki::crl::RevocationReason;
use kep_pki::ocsp::{AnswerError, Status};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use x509_cert::Certificate;

/// The whole check's deadline: AIA, OCSP and CRLs together (the app waits 15 s for an answer).
pub const CHECK_DEADLINE: Duration = Duration::from_secs(10);
/// The largest OCSP answer taken.
pub const MAX_OCSP_BYTES: u64 = 64 * 1024;
/// At most this many issuer certificates are fetched for one signer.
const MAX_FETCHED_ISSUERS: usize = 3;

/// How a certificate's status was learnt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusSource {
    /// Its issuer's OCSP responder at this address said good.
    Ocsp(String),
    /// Its issuer's CRL at this address does not list it.
    Crl(String),
}

/// A signer the list vouches for, its path not revoked.
#[derive(Debug, Clone)]
pub struct Vouched {
    /// Its accredited CA and the path to the listed certificate.
    pub issuer: ListedIssuer,
    /// How the signer's own status was learnt.
    pub status: StatusSource,
}

/// One way of learning a status that did not work.
#[derive(Debug, thiserror::Error)]
pub enum Attempt {
    /// The certificate names no OCSP responder and no CRL, nor does the list.
    #[error("no OCSP responder or CRL address")]
    NoAddress,
    /// An OCSP responder gave nothing.
    #[error("OCSP {url}: {error}")]
    OcspGet {
        /// The responder.
        url: String,
        /// Why.
        error: GetError,
    },
    /// No request could be made (no randomness for its nonce, an issuer that does not encode).
    #[error("OCSP {url}: no request could be made: {why}")]
    OcspRequest {
        /// The responder.
        url: String,
        /// Why.
        why: String,
    },
    /// An OCSP answer not believed.
    #[error("OCSP {url}: {error}")]
    OcspAnswer {
        /// The responder.
        url: String,
        /// Why.
        error: AnswerError,
    },
    /// The issuer's responder does not know the certificate (not issued by it, as far as it
    /// knows: never overruled by a CRL).
    #[error("OCSP {0}: the responder does not know the certificate")]
    OcspUnknown(String),
    /// A CRL that could not be used.
    #[error(transparent)]
    Crl(CrlFetchError),
}

/// Why a signer from another CA is not taken.
#[derive(Debug, thiserror::Error)]
pub enum OtherCaRefusal {
    /// No list of accredited CAs was imported.
    #[error("no list of accredited CAs was imported")]
    NoList,
    /// The list could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The list does not vouch for the signer's CA; `fetch` says why its issuer could not be
    /// fetched, when that was tried and failed.
    #[error("{listed}")]
    NotListed {
        /// The list's verdict.
        listed: NotListed,
        /// The failed fetch of a missing issuer certificate.
        fetch: Option<IssuerFetchError>,
    },
    /// The signer's certificate is a listed CA certificate itself.
    #[error("the signer's certificate is a CA's listed certificate")]
    ListedCaItself,
    /// A certificate on the path was revoked.
    #[error("{subject} was revoked")]
    Revoked {
        /// The revoked certificate's owner.
        subject: String,
        /// When.
        at: SystemTime,
        /// Why, if said.
        reason: Option<RevocationReason>,
    },
    /// A certificate's status could not be learnt.
    #[error("the status of {subject} could not be learnt: {}", list_of(.attempts))]
    StatusUnknown {
        /// The certificate's owner.
        subject: String,
        /// Every attempt, in order.
        attempts: Vec<Attempt>,
    },
}

fn list_of(attempts: &[Attempt]) -> String {
    attempts
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Checks signers from other CAs against the list in use.
#[derive(Debug)]
pub struct OtherCaSigners<S> {
    list: Arc<TrustedCas<S>>,
    get: CappedGet,
    crls: CrlFetcher,
}

impl<S: TrustStore> OtherCaSigners<S> {
    /// Against `list`, fetching under `policy`.
    pub fn new(list: Arc<TrustedCas<S>>, policy: FetchPolicy) -> Result<Self, reqwest::Error> {
        Ok(Self {
            list,
            get: CappedGet::new(policy, CHECK_DEADLINE)?,
            crls: CrlFetcher::new(policy)?,
        })
    }

    /// Vouches for `signer` (with the certificates its signature `carried`) as of `received`,
    /// when the CA received the statement.
    pub async fn check(
        &self,
        signer: &[u8],
        carried: &[Vec<u8>],
        received: SystemTime,
    ) -> Result<Vouched, OtherCaRefusal> {
        let until = Instant::now() + CHECK_DEADLINE;
        let list = self.list.current().await?.ok_or(OtherCaRefusal::NoList)?;
        let at = received
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let mut intermediates = carried.to_vec();
        let issuer = loop {
            let listed = match listed_issuer(&list, signer, &intermediates, at) {
                Ok(issuer) => break issuer,
                Err(listed) => listed,
            };
            let not_listed = |fetch| OtherCaRefusal::NotListed {
                listed: listed.clone(),
                fetch,
            };
            // Only a path missing its top is completed from the network, and only as far as
            // what is in hand checks.
            if !matches!(listed, NotListed::Unknown(_))
                || intermediates.len() >= carried.len() + MAX_FETCHED_ISSUERS
            {
                return Err(not_listed(None));
            }
            let Some(top) = checked_top(signer, &intermediates) else {
                return Err(not_listed(None));
            };
            match fetch_issuer_until(&self.get, &top, until).await {
                Ok(fetched) if !intermediates.contains(&fetched) && fetched != top => {
                    intermediates.push(fetched);
                }
                Ok(_) | Err(IssuerFetchError::NoAddress) => return Err(not_listed(None)),
                Err(error) => return Err(not_listed(Some(error))),
            }
        };
        let path = parsed(&issuer.path);
        let mut signer_status = None;
        for (n, pair) in path.windows(2).enumerate() {
            let [certificate, certificate_issuer] = pair else {
                continue;
            };
            // The list's CRL addresses are its key's: for what the listed certificate issued.
            let listed_crls = if n + 2 == path.len() {
                issuer.crl_urls.as_slice()
            } else {
                &[]
            };
            let source = self
                .status(
                    certificate,
                    certificate_issuer,
                    listed_crls,
                    received,
                    until,
                )
                .await?;
            signer_status.get_or_insert(source);
        }
        // A path of one: the signer's certificate is itself listed — a CA's, no person's КЭП.
        let status = signer_status.ok_or(OtherCaRefusal::ListedCaItself)?;
        Ok(Vouched { issuer, status })
    }

    /// The status of `certificate` from `issuer`: OCSP, then CRLs.
    async fn status(
        &self,
        certificate: &Certificate,
        issuer: &Certificate,
        listed_crls: &[String],
        now: SystemTime,
        until: Instant,
    ) -> Result<StatusSource, OtherCaRefusal> {
        let subject = kep_pki::chain::name_of(certificate);
        let serial = certificate.tbs_certificate().serial_number();
        let locations = kep_pki::locations::locations(certificate);
        let mut attempts = Vec::new();
        for url in &locations.ocsp {
            match self.ocsp(url, issuer, serial, now, until).await {
                Ok(Status::Good) => return Ok(StatusSource::Ocsp(url.clone())),
                Ok(Status::Revoked { at, reason }) => {
                    return Err(OtherCaRefusal::Revoked {
                        subject,
                        at,
                        reason,
                    });
                }
                Ok(Status::Unknown) => {
                    attempts.push(Attempt::OcspUnknown(url.clone()));
                    return Err(OtherCaRefusal::StatusUnknown { subject, attempts });
                }
                Err(attempt) => attempts.push(attempt),
            }
        }
        let mut crl_urls = locations.crls.clone();
        crl_urls.extend(listed_crls.iter().cloned());
        crl_urls.dedup();
        for url in crl_urls.iter().filter(|u| !u.is_empty()) {
            match self.crls.crl_until(url, issuer, now, until).await {
                Ok(crl) => match crl.revoked_at(serial, now) {
                    Some(at) => {
                        return Err(OtherCaRefusal::Revoked {
                            subject,
                            at,
                            reason: crl.reason_of(serial),
                        });
                    }
                    None => return Ok(StatusSource::Crl(url.clone())),
                },
                Err(error) => attempts.push(Attempt::Crl(error)),
            }
        }
        if attempts.is_empty() {
            attempts.push(Attempt::NoAddress);
        }
        Err(OtherCaRefusal::StatusUnknown { subject, attempts })
    }

    async fn ocsp(
        &self,
        url: &str,
        issuer: &Certificate,
        serial: &x509_cert::serial_number::SerialNumber,
        now: SystemTime,
        until: Instant,
    ) -> Result<Status, Attempt> {
        let no_request = |why| Attempt::OcspRequest {
            url: url.to_owned(),
            why,
        };
        let mut nonce = [0u8; 16];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut nonce)
            .map_err(|e| no_request(e.to_string()))?;
        let request = kep_pki::ocsp::request_for(issuer, serial, Some(&nonce))
            .map_err(|e| no_request(e.to_string()))?;
        let der = self
            .get
            .ocsp(url, &request, MAX_OCSP_BYTES, until)
            .await
            .map_err(|error| Attempt::OcspGet {
                url: url.to_owned(),
                error,
            })?;
        kep_pki::ocsp::read_answer(&der, issuer, serial, Some(&nonce), now)
            .map(|answer| answer.status)
            .map_err(|error| Attempt::OcspAnswer {
                url: url.to_owned(),
                error,
            })
    }
}

fn parsed(path: &[Vec<u8>]) -> Vec<Certificate> {
    path.iter()
        .filter_map(|der| Certificate::from_der(der).ok())
        .collect()
}

/// The highest certificate reached from `signer` through `intermediates` with every signature
/// on the way checking, whose issuer is not in hand: the one whose issuer to fetch. None when a
/// certificate in hand is named as an issuer but did not sign (a broken path: nothing fetched).
fn checked_top(signer: &[u8], intermediates: &[Vec<u8>]) -> Option<Vec<u8>> {
    let in_hand = parsed(intermediates);
    let mut current = Certificate::from_der(signer).ok()?;
    for _ in 0..=in_hand.len() {
        let tbs = current.tbs_certificate();
        if tbs.issuer() == tbs.subject() {
            return None;
        }
        let named: Vec<&Certificate> = in_hand
            .iter()
            .filter(|c| c.tbs_certificate().subject() == tbs.issuer())
            .collect();
        if named.is_empty() {
            return current.to_der().ok();
        }
        let issuer = named
            .into_iter()
            .find(|c| kep_pki::summary::is_signed_by(&current, c))?;
        current = issuer.clone();
    }
    None
}
