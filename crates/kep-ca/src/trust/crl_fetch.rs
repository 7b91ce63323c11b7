//! CRLs of other CAs, fetched for a signer's certificate: only from addresses the fetch policy
//! allows (checked as written and again for every address a name resolves to), without
//! redirects, at most 20 MiB within 10 s, accepted only when signed by the issuer given and not
//! past its nextUpdate, and kept until then.

use super::fetch_policy::{CheckedResolver, FetchPolicy, Refused};
use kep_pki::crl::Crl;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// The largest CRL taken.
pub const MAX_CRL_BYTES: u64 = 20 * 1024 * 1024;
/// The deadline of one fetch.
pub const FETCH_DEADLINE: Duration = Duration::from_secs(10);

/// Why no CRL came from an address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CrlFetchError {
    /// The address is not one to fetch from.
    #[error(transparent)]
    Refused(#[from] Refused),
    /// No answer (no connection, the deadline passed, a name that resolves to a refused address).
    #[error("the CRL at {url} did not come: {why}")]
    Request {
        /// The address.
        url: String,
        /// Why.
        why: String,
    },
    /// An error status (a redirect included: none is followed).
    #[error("the CRL at {url}: the server answered {status}")]
    Status {
        /// The address.
        url: String,
        /// The status.
        status: u16,
    },
    /// Larger than the cap.
    #[error("the CRL at {0} is larger than 20 MiB")]
    TooLarge(String),
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
    policy: FetchPolicy,
    http: reqwest::Client,
    kept: Mutex<HashMap<String, (Vec<u8>, SystemTime)>>,
}

impl CrlFetcher {
    /// Under `policy`.
    pub fn new(policy: FetchPolicy) -> Result<Self, reqwest::Error> {
        crate::tls::install_ring_provider();
        let http = reqwest::Client::builder()
            .dns_resolver(std::sync::Arc::new(CheckedResolver(policy)))
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(FETCH_DEADLINE)
            .user_agent(concat!("kep-ca/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            policy,
            http,
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
        let kept = self.kept().get(url).cloned();
        if let Some((der, next_update)) = kept
            && now < next_update
            && let Ok(crl) = Crl::parse(&der)
            && crl.is_signed_by(issuer)
        {
            return Ok(crl);
        }
        let checked = self.policy.check_url(url)?;
        let der = match tokio::time::timeout(FETCH_DEADLINE, self.download(checked, url)).await {
            Ok(result) => result?,
            Err(_) => {
                return Err(CrlFetchError::Request {
                    url: url.to_owned(),
                    why: format!("no answer within {} s", FETCH_DEADLINE.as_secs()),
                });
            }
        };
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

    async fn download(&self, url: reqwest::Url, named: &str) -> Result<Vec<u8>, CrlFetchError> {
        let request = |e: reqwest::Error| CrlFetchError::Request {
            url: named.to_owned(),
            // The resolver's refusal is the cause worth saying.
            why: std::error::Error::source(&e)
                .map_or_else(|| e.to_string(), |cause| format!("{e}: {cause}")),
        };
        let mut response = self.http.get(url).send().await.map_err(request)?;
        if !response.status().is_success() {
            return Err(CrlFetchError::Status {
                url: named.to_owned(),
                status: response.status().as_u16(),
            });
        }
        if response.content_length().is_some_and(|n| n > MAX_CRL_BYTES) {
            return Err(CrlFetchError::TooLarge(named.to_owned()));
        }
        let mut der = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(request)? {
            if (der.len() + chunk.len()) as u64 > MAX_CRL_BYTES {
                return Err(CrlFetchError::TooLarge(named.to_owned()));
            }
            der.extend_from_slice(&chunk);
        }
        Ok(der)
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Vec<u8>, SystemTime)>> {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
