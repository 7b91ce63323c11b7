//! CRLs of other CAs, fetched for a signer's certificate ([`CappedGet`]: the fetch policy, no
//! redirects, at most 20 MiB within 10 s), accepted only when signed by the issuer given and not
//! past its nextUpdate, and kept until then.

use super::capped_get::{CappedGet, GetError};
use super::fetch_policy::FetchPolicy;
use kep_pki::crl::Crl;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

/// The largest CRL taken.
pub const MAX_CRL_BYTES: u64 = 20 * 1024 * 1024;
/// The deadline of one fetch.
pub const FETCH_DEADLINE: Duration = Duration::from_secs(10);

/// Why no CRL came from an address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CrlFetchError {
    /// Nothing came (a refused address, no answer, an error status, over the cap).
    #[error("the CRL: {0}")]
    Get(#[from] GetError),
    /// Not a CRL.
    #[error("the CRL at {url} does not read: {why}")]
    Unreadable {
        /// The address.
        url: String,
        /// Why.
        why: String,
    },
    /// Signed by someone else than the issuer.
    #[error("the CRL at {0} is not signed by the certificate's issuer")]
    WrongSigner(String),
    /// Past its nextUpdate (or without one).
    #[error("the CRL at {0} is out of date")]
    Stale(String),
}

/// Fetches and keeps CRLs.
#[derive(Debug)]
pub struct CrlFetcher {
    get: CappedGet,
    kept: Mutex<HashMap<String, (Vec<u8>, SystemTime)>>,
}

impl CrlFetcher {
    /// Under `policy`.
    pub fn new(policy: FetchPolicy) -> Result<Self, reqwest::Error> {
        Ok(Self {
            get: CappedGet::new(policy, FETCH_DEADLINE)?,
            kept: Mutex::new(HashMap::new()),
        })
    }

    /// The CRL at `url`, signed by `issuer` and current at `now`.
    pub async fn crl(
        &self,
        url: &str,
        issuer: &x509_cert::Certificate,
        now: SystemTime,
    ) -> Result<Crl, CrlFetchError> {
        self.crl_until(url, issuer, now, Instant::now() + FETCH_DEADLINE)
            .await
    }

    /// As [`Self::crl`], fetched before `until` (a budget shared with other requests).
    pub async fn crl_until(
        &self,
        url: &str,
        issuer: &x509_cert::Certificate,
        now: SystemTime,
        until: Instant,
    ) -> Result<Crl, CrlFetchError> {
        let kept = self.kept().get(url).cloned();
        if let Some((der, next_update)) = kept
            && now < next_update
            && let Ok(crl) = Crl::parse(&der)
            && crl.is_signed_by(issuer)
        {
            return Ok(crl);
        }
        let der = self.get.get_until(url, MAX_CRL_BYTES, until).await?;
        let crl = Crl::parse(&der).map_err(|e| CrlFetchError::Unreadable {
            url: url.to_owned(),
            why: e.to_string(),
        })?;
        if !crl.is_signed_by(issuer) {
            return Err(CrlFetchError::WrongSigner(url.to_owned()));
        }
        let next_update = crl
            .next_update()
            .filter(|next| *next > now)
            .ok_or_else(|| CrlFetchError::Stale(url.to_owned()))?;
        self.kept().insert(url.to_owned(), (der, next_update));
        Ok(crl)
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Vec<u8>, SystemTime)>> {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
