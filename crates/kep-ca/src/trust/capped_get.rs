//! One request for something a certificate points at (a CRL or an issuer's certificate by GET,
//! a status by an OCSP POST): only where the fetch policy allows (as written, and every address
//! a name resolves to, by the client's own resolver), no redirects, at most `cap` bytes within
//! the deadline.

use super::fetch_policy::{CheckedResolver, FetchPolicy, Refused};
use std::time::{Duration, Instant};

/// What is asked.
#[derive(Debug, Clone, Copy)]
enum Ask<'a> {
    Get,
    Ocsp(&'a [u8]),
}

/// Why nothing came.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GetError {
    /// The address is not one to fetch from.
    #[error(transparent)]
    Refused(#[from] Refused),
    /// No answer (no connection, the deadline passed, a name that resolves to a refused address).
    #[error("{url} did not answer: {why}")]
    Request {
        /// The address.
        url: String,
        /// Why.
        why: String,
    },
    /// An error status (a redirect included: none is followed).
    #[error("{url}: the server answered {status}")]
    Status {
        /// The address.
        url: String,
        /// The status.
        status: u16,
    },
    /// Larger than the cap.
    #[error("{url} is larger than {cap} bytes")]
    TooLarge {
        /// The address.
        url: String,
        /// The cap.
        cap: u64,
    },
}

/// The client.
#[derive(Debug, Clone)]
pub struct CappedGet {
    policy: FetchPolicy,
    deadline: Duration,
    http: reqwest::Client,
}

impl CappedGet {
    /// Under `policy`, each GET within `deadline`.
    pub fn new(policy: FetchPolicy, deadline: Duration) -> Result<Self, reqwest::Error> {
        crate::tls::install_ring_provider();
        let http = reqwest::Client::builder()
            .dns_resolver(std::sync::Arc::new(CheckedResolver(policy)))
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5).min(deadline))
            .timeout(deadline)
            .user_agent(concat!("kep-ca/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            policy,
            deadline,
            http,
        })
    }

    /// The longest any one request may take.
    pub fn deadline(&self) -> Duration {
        self.deadline
    }

    /// The body at `url`, at most `cap` bytes, within the client's deadline.
    pub async fn get(&self, url: &str, cap: u64) -> Result<Vec<u8>, GetError> {
        self.fetch(url, Ask::Get, cap, Instant::now() + self.deadline)
            .await
    }

    /// The body at `url`, at most `cap` bytes, within the client's deadline and before `until`
    /// (a caller's budget shared by several requests).
    pub async fn get_until(
        &self,
        url: &str,
        cap: u64,
        until: Instant,
    ) -> Result<Vec<u8>, GetError> {
        self.fetch(url, Ask::Get, cap, until).await
    }

    /// An OCSP responder's answer to `request` (POST, RFC 6960 A.1), at most `cap` bytes,
    /// before `until` and within the client's deadline.
    pub async fn ocsp(
        &self,
        url: &str,
        request: &[u8],
        cap: u64,
        until: Instant,
    ) -> Result<Vec<u8>, GetError> {
        self.fetch(url, Ask::Ocsp(request), cap, until).await
    }

    async fn fetch(
        &self,
        url: &str,
        ask: Ask<'_>,
        cap: u64,
        until: Instant,
    ) -> Result<Vec<u8>, GetError> {
        let checked = self.policy.check_url(url)?;
        let left = until
            .saturating_duration_since(Instant::now())
            .min(self.deadline);
        match tokio::time::timeout(left, self.download(checked, url, ask, cap)).await {
            Ok(result) => result,
            Err(_) => Err(GetError::Request {
                url: url.to_owned(),
                why: format!("no answer within {:.1} s", left.as_secs_f32()),
            }),
        }
    }

    async fn download(
        &self,
        url: reqwest::Url,
        named: &str,
        ask: Ask<'_>,
        cap: u64,
    ) -> Result<Vec<u8>, GetError> {
        let request = |e: reqwest::Error| GetError::Request {
            url: named.to_owned(),
            // The resolver's refusal is the cause worth saying.
            why: std::error::Error::source(&e)
                .map_or_else(|| e.to_string(), |cause| format!("{e}: {cause}")),
        };
        let too_large = || GetError::TooLarge {
            url: named.to_owned(),
            cap,
        };
        let sent = match ask {
            Ask::Get => self.http.get(url),
            Ask::Ocsp(body) => self
                .http
                .post(url)
                .header(reqwest::header::CONTENT_TYPE, "application/ocsp-request")
                .body(body.to_vec()),
        };
        let mut response = sent.send().await.map_err(request)?;
        if !response.status().is_success() {
            return Err(GetError::Status {
                url: named.to_owned(),
                status: response.status().as_u16(),
            });
        }
        if response.content_length().is_some_and(|n| n > cap) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(request)? {
            if (body.len() + chunk.len()) as u64 > cap {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}
