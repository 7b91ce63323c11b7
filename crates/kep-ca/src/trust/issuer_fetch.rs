//! A signer's issuer certificate fetched from its AIA caIssuers address, when the path does not
//! reach the list with the certificates that came with the signature. Asked only after the rest
//! checks (the caller's order), through [`CappedGet`] (the fetch policy, no redirects, a
//! deadline), at most 1 MiB; a DER or PEM certificate is taken, anything else is not.

use super::capped_get::{CappedGet, GetError};
use der::{Decode, Encode};
use std::time::Instant;

/// The largest answer taken.
pub const MAX_ISSUER_BYTES: u64 = 1024 * 1024;

/// Why no issuer certificate came.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IssuerFetchError {
    /// The signer's certificate does not read.
    #[error("the signer's certificate does not read: {0}")]
    Signer(String),
    /// It names no caIssuers address.
    #[error("the signer's certificate names no address for its issuer's certificate")]
    NoAddress,
    /// Nothing came from the addresses it names.
    #[error("its issuer's certificate: {0}")]
    Get(#[from] GetError),
    /// What came is not a certificate.
    #[error("{0} did not give a certificate")]
    NotACertificate(String),
}

fn certificate_in(body: &[u8]) -> Option<Vec<u8>> {
    if let Ok(certificate) = x509_cert::Certificate::from_der(body) {
        return certificate.to_der().ok();
    }
    let text = std::str::from_utf8(body).ok()?;
    let (label, der) = der::pem::decode_vec(text.trim().as_bytes()).ok()?;
    (label == "CERTIFICATE" && x509_cert::Certificate::from_der(&der).is_ok()).then_some(der)
}

/// The certificate at the first of the signer's caIssuers addresses that gives one.
pub async fn fetch_issuer(get: &CappedGet, signer: &[u8]) -> Result<Vec<u8>, IssuerFetchError> {
    fetch_issuer_until(get, signer, Instant::now() + get.deadline()).await
}

/// As [`fetch_issuer`], before `until` (a budget shared with other requests).
pub async fn fetch_issuer_until(
    get: &CappedGet,
    signer: &[u8],
    until: Instant,
) -> Result<Vec<u8>, IssuerFetchError> {
    let certificate = x509_cert::Certificate::from_der(signer)
        .map_err(|e| IssuerFetchError::Signer(e.to_string()))?;
    let addresses = kep_pki::locations::locations(&certificate).ca_issuers;
    let mut last = IssuerFetchError::NoAddress;
    for url in addresses {
        match get.get_until(&url, MAX_ISSUER_BYTES, until).await {
            Ok(body) => match certificate_in(&body) {
                Some(der) => return Ok(der),
                None => last = IssuerFetchError::NotACertificate(url),
            },
            Err(error) => last = error.into(),
        }
    }
    Err(last)
}
