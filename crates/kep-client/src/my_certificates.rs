//! «Мои сертификаты», the app's home before any login: every certificate in the computer key
//! store and on the tokens present, read without a PIN, each with its status from the issuer
//! (through the one [`StatusClient`], statuses fetched side by side), how close its end is, and
//! what may be done with it. Nothing on a token is changed here; an expired certificate in the
//! key store may be removed with its key.

use crate::cert_status::{Anchors, StatusClient};
use crate::current_certificates::{CandidateId, UnknownCandidate};
use crate::key_places::KeyPlaces;
use crate::renewal_record::RenewalRecords;
use crate::trust_anchors::TrustAnchors;
use crate::{CaClient, CaEndpoint};
use kep_protocol::certificate::CertificateStatus;
use kep_protocol::my_certificates::{
    CertificateDetails, CertificatePlace, ExpiryMark, MyCertificate, RecordCheck,
};
use kep_token::key_store::{ComputerKeyStore, KeyStoreError};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// How long the home waits for the CA's certificates before it uses the kept ones.
const ANCHORS_BUDGET: Duration = Duration::from_secs(5);
/// How long fetched anchors are used before they are asked again (a CA's root and issuing CA
/// change in years; the home, its details and the checks all need them).
const ANCHORS_FRESH: Duration = Duration::from_secs(3600);
/// How long after a failed fetch the kept anchors are used without asking again.
const ANCHORS_RETRY: Duration = Duration::from_secs(60);

/// Why a home action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum HomeError {
    /// The id names no certificate present now.
    #[error(transparent)]
    Unknown(#[from] UnknownCandidate),
    /// Removal asked for a certificate that is on a token or still valid.
    #[error("only an expired certificate in the computer key store may be removed")]
    NotRemovable,
    /// The key store could not be read or changed.
    #[error(transparent)]
    Store(#[from] KeyStoreError),
    /// The certificate does not read.
    #[error("the certificate does not read: {0}")]
    Unreadable(#[from] kep_pki::error::PkiError),
    /// Blocking work did not finish.
    #[error("blocking work did not finish: {0}")]
    Worker(String),
}

/// One certificate found, before its status is asked.
#[derive(Debug, Clone)]
struct Found {
    id: CandidateId,
    der: Vec<u8>,
    place: CertificatePlace,
    key_present: bool,
}

/// The home's source of certificates, anchors and statuses.
pub struct MyCertificates {
    keys: Arc<KeyPlaces>,
    trust: TrustAnchors,
    records: RenewalRecords,
    status: Arc<StatusClient>,
    ca: CaClient,
    /// When the CA's certificates were last asked for, and whether they came.
    asked: std::sync::Mutex<Option<(std::time::Instant, bool)>>,
}

impl std::fmt::Debug for MyCertificates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MyCertificates").finish_non_exhaustive()
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, HomeError> + Send + 'static,
) -> Result<T, HomeError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| HomeError::Worker(e.to_string()))?
}

fn found_in(store_dir: &Path, module: Option<&Arc<kep_token::Module>>) -> Vec<Found> {
    let store = ComputerKeyStore::new(store_dir);
    let mut found: Vec<Found> = store
        .list()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|name| {
            let der = store.certificate(&name).ok()??;
            Some(Found {
                id: CandidateId::Computer { name },
                der,
                place: CertificatePlace::Computer,
                // The store keeps a certificate only beside its key.
                key_present: true,
            })
        })
        .collect();
    if let Some(module) = module {
        found.extend(
            crate::token_key::certificates_present(module)
                .into_iter()
                .map(|c| Found {
                    id: CandidateId::Token {
                        serial: c.serial.clone(),
                        key_id: c.key_id,
                    },
                    der: c.der,
                    key_present: c.key_present,
                    place: CertificatePlace::Token {
                        label: c.label,
                        serial: c.serial,
                    },
                }),
        );
    }
    found
}

impl MyCertificates {
    /// The home over `keys`, keeping anchors in `<data_dir>/trust` and reading the renewal
    /// records in `<data_dir>/records`, with the CA at `endpoint` as the source of fresh anchors
    /// and `status` for statuses.
    pub fn new(
        keys: Arc<KeyPlaces>,
        data_dir: &Path,
        endpoint: CaEndpoint,
        status: Arc<StatusClient>,
    ) -> Result<Self, crate::ca_error::CaError> {
        Ok(Self {
            keys,
            trust: TrustAnchors::new(&data_dir.join("trust")),
            records: RenewalRecords::new(data_dir),
            status,
            ca: CaClient::with_connect_timeout(endpoint, ANCHORS_BUDGET)?,
            asked: std::sync::Mutex::new(None),
        })
    }

    /// Where the keys are.
    pub fn keys(&self) -> &Arc<KeyPlaces> {
        &self.keys
    }

    /// The CA client the home asks (its certificates, the accredited list).
    pub(crate) fn ca(&self) -> &CaClient {
        &self.ca
    }

    /// The status client (shared with the statement candidates).
    pub fn status_client(&self) -> &Arc<StatusClient> {
        &self.status
    }

    /// The anchors: the CA's certificates asked again (briefly, at most hourly, a minute after
    /// a failure) and kept, else the kept ones.
    pub async fn anchors(&self) -> Anchors {
        let due = lock(&self.asked).is_none_or(|(at, came)| {
            at.elapsed() >= if came { ANCHORS_FRESH } else { ANCHORS_RETRY }
        });
        if due {
            let asked = tokio::time::timeout(ANCHORS_BUDGET, self.ca.ca_certificates()).await;
            let came = match asked {
                Ok(Ok((root, issuing))) => match self.trust.keep(&root, &issuing) {
                    Ok(()) => true,
                    Err(error) => {
                        tracing::warn!(%error, "the CA's certificates were not kept");
                        false
                    }
                },
                Ok(Err(error)) => {
                    tracing::info!(%error, "the CA's certificates: the kept ones are used");
                    false
                }
                Err(elapsed) => {
                    tracing::info!(%elapsed, "the CA's certificates did not come in time: the kept ones are used");
                    false
                }
            };
            *lock(&self.asked) = Some((std::time::Instant::now(), came));
        }
        self.trust.anchors()
    }

    async fn found(&self) -> Result<Vec<Found>, HomeError> {
        let keys = self.keys.clone();
        blocking(move || {
            let module = keys.module().ok();
            Ok(found_in(keys.key_store(), module.as_ref()))
        })
        .await
    }

    async fn entry(
        &self,
        found: Found,
        anchors: &Anchors,
        now: SystemTime,
    ) -> Result<MyCertificate, HomeError> {
        let summary =
            kep_pki::summary::summarize(&found.der, &anchors.roots, &anchors.intermediates, now)?;
        let status = self.status.status(&found.der, anchors, now).await;
        let expiry = ExpiryMark::for_days(summary.days_left);
        let computer = found.place == CertificatePlace::Computer;
        Ok(MyCertificate {
            record: self.records.for_certificate(&summary.thumbprint),
            id: found.id.to_string(),
            // A revoked certificate is not renewed (a new application is), nor is one a
            // renewal already replaced.
            renewable: expiry != ExpiryMark::Fine
                && !matches!(
                    status,
                    CertificateStatus::Revoked { .. } | CertificateStatus::Superseded { .. }
                ),
            removable: computer && expiry == ExpiryMark::Expired,
            can_sign: found.key_present
                && within_validity(&found.der, now)
                && !matches!(
                    status,
                    CertificateStatus::Revoked { .. }
                        | CertificateStatus::Superseded { .. }
                        | CertificateStatus::Expired
                ),
            summary,
            place: found.place,
            status,
            expiry,
        })
    }

    /// Every certificate present, the soonest to end first (expired ones last).
    pub async fn list(&self) -> Result<Vec<MyCertificate>, HomeError> {
        let anchors = self.anchors().await;
        let now = SystemTime::now();
        let found = self.found().await?;
        let entries =
            futures_util::future::join_all(found.into_iter().map(|f| self.entry(f, &anchors, now)))
                .await;
        let mut list: Vec<MyCertificate> = entries
            .into_iter()
            .filter_map(|entry| {
                entry
                    .map_err(|error| tracing::warn!(%error, "a certificate is left off the home"))
                    .ok()
            })
            .collect();
        list.sort_by_key(|c| (c.summary.days_left < 0, c.summary.days_left));
        Ok(list)
    }

    async fn one(&self, id: &str) -> Result<Found, HomeError> {
        let id: CandidateId = id.parse()?;
        self.found()
            .await?
            .into_iter()
            .find(|f| f.id == id)
            .ok_or(HomeError::Unknown(UnknownCandidate))
    }

    /// One certificate as the home shows it, with its id, DER and the anchors its chain was
    /// judged against (what signing a file with it needs; its status asked alone, not the whole
    /// list's).
    pub(crate) async fn one_entry(
        &self,
        id: &str,
    ) -> Result<(MyCertificate, CandidateId, Vec<u8>, Anchors), HomeError> {
        let found = self.one(id).await?;
        let (candidate, der) = (found.id.clone(), found.der.clone());
        let anchors = self.anchors().await;
        let entry = self.entry(found, &anchors, SystemTime::now()).await?;
        Ok((entry, candidate, der, anchors))
    }

    /// «Подробнее».
    pub async fn details(&self, id: &str) -> Result<CertificateDetails, HomeError> {
        let found = self.one(id).await?;
        let details = kep_pki::details::details(&found.der)?;
        let anchors = self.anchors().await;
        let certificate = self.entry(found, &anchors, SystemTime::now()).await?;
        Ok(CertificateDetails {
            certificate,
            subject: details.subject,
            issuer: details.issuer,
            policies: details.policies,
            issuer_sign_tools: details.issuer_sign_tools,
        })
    }

    /// «Проверить» on the record of the renewal `application_id`: its statement's signature
    /// and its certificate's chain, re-verified here.
    pub async fn check_record(&self, application_id: i64) -> Result<RecordCheck, HomeError> {
        let anchors = self.anchors().await;
        let records = self.records.clone();
        blocking(move || Ok(records.check(application_id, &anchors))).await
    }

    /// The certificate's DER, to save as `.cer`.
    pub async fn der(&self, id: &str) -> Result<Vec<u8>, HomeError> {
        Ok(self.one(id).await?.der)
    }

    /// Removes an expired certificate of the computer key store, with its key.
    pub async fn remove_expired(&self, id: &str) -> Result<(), HomeError> {
        let found = self.one(id).await?;
        let CandidateId::Computer { name } = found.id else {
            return Err(HomeError::NotRemovable);
        };
        let summary = kep_pki::summary::summarize(&found.der, &[], &[], SystemTime::now())?;
        if summary.days_left >= 0 {
            return Err(HomeError::NotRemovable);
        }
        let dir = self.keys.key_store().to_owned();
        blocking(move || Ok(ComputerKeyStore::new(&dir).remove(&name)?)).await?;
        tracing::info!(serial = %summary.serial, "an expired certificate was removed from the key store");
        Ok(())
    }
}

/// Whether `der` is within its validity at `now`.
pub(crate) fn within_validity(der: &[u8], now: SystemTime) -> bool {
    use der::Decode;
    x509_cert::Certificate::from_der(der).is_ok_and(|c| {
        let validity = c.tbs_certificate().validity();
        validity.not_before.to_system_time() <= now && now <= validity.not_after.to_system_time()
    })
}

fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
