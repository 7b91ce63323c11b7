//! Whose КЭП a signer holds, by the list: the signer's chain is checked up to a certificate the
//! list gives for an accredited CA, at the time the CA received the statement (not the
//! signer's own signing time). The listed certificates are trust anchors as listed (a name and a
//! key, RFC 5280 §6.1), counted only within the period the list gives them and only for a CA
//! accredited at that time. Revocation is not decided here: the caller asks the signer's CA.

use super::accredited::{AccreditedCa, ListedCertificate};
use super::trusted_cas::{CurrentList, ListedEntry};
use der::{Decode, Encode};
use kep_pki::chain::ChainError;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The accredited CA that issued the signer's certificate, and the path to its listed
/// certificate.
#[derive(Debug, Clone)]
pub struct ListedIssuer {
    /// The CA, as the list names it.
    pub ca_name: String,
    /// Its ИНН.
    pub ca_inn: String,
    /// The listed certificate the path ends at (the signer's issuer or above it).
    pub anchor: ListedCertificate,
    /// The path, signer first, DER.
    pub path: Vec<Vec<u8>>,
    /// The key's CRL addresses as the list gives them.
    pub crl_urls: Vec<String>,
}

/// Why the list does not vouch for a signer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotListed {
    /// No listed certificate is on the signer's path.
    #[error("the signer's CA is not on the list of accredited CAs: {0}")]
    Unknown(ChainError),
    /// The path ends at a listed CA that was not accredited at that time.
    #[error("the signer's CA «{name}» was not accredited then ({state})")]
    NotAccredited {
        /// The CA.
        name: String,
        /// Its accreditation then, in the list's words.
        state: String,
    },
    /// The path reaches a listed certificate of an accredited CA but does not check (expired,
    /// not a CA…).
    #[error("the signer's certificate path does not check: {0}")]
    Invalid(ChainError),
}

fn at(unix: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::try_from(unix).unwrap_or(0))
}

/// The issuer names (DER) of `signer` and `intermediates`: the only subjects a listed
/// certificate on the path can have.
fn issuer_names(signer: &[u8], intermediates: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut names: Vec<Vec<u8>> = std::iter::once(signer)
        .chain(intermediates.iter().map(Vec::as_slice))
        .filter_map(|der| x509_cert::Certificate::from_der(der).ok())
        .filter_map(|c| c.tbs_certificate().issuer().to_der().ok())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The listed certificates named as an issuer on the path, of the CAs `keep` chooses, within
/// their listed period at `received`.
fn anchors<'a>(
    list: &'a CurrentList,
    names: &[Vec<u8>],
    received: i64,
    keep: impl Fn(&AccreditedCa) -> bool,
) -> Vec<ListedEntry<'a>> {
    names
        .iter()
        .flat_map(|name| list.named(name))
        .filter(|(ca, c, _)| keep(ca) && c.not_before <= received && received <= c.not_after)
        .collect()
}

fn ders(anchors: &[ListedEntry<'_>]) -> Vec<Vec<u8>> {
    anchors.iter().map(|(_, c, _)| c.der.clone()).collect()
}

/// Checks `signer` (with any `intermediates` it came with, or AIA brought) against the list at
/// `received` (Unix seconds).
pub fn listed_issuer(
    list: &CurrentList,
    signer: &[u8],
    intermediates: &[Vec<u8>],
    received: i64,
) -> Result<ListedIssuer, NotListed> {
    let names = issuer_names(signer, intermediates);
    let accredited = anchors(list, &names, received, |ca| ca.accredited_at(received));
    let roots = ders(&accredited);
    match kep_pki::chain::verify_chain(signer, intermediates, &roots, at(received), &[]) {
        Ok(path) => {
            let last = path.last().cloned().unwrap_or_default();
            let (ca, anchor, crl_urls) =
                accredited
                    .iter()
                    .find(|(_, c, _)| c.der == last)
                    .ok_or(NotListed::Unknown(ChainError::Untrusted {
                        subject: "the signer".into(),
                    }))?;
            Ok(ListedIssuer {
                ca_name: ca.name.clone(),
                ca_inn: ca.inn.clone(),
                anchor: (*anchor).clone(),
                path,
                crl_urls: crl_urls.to_vec(),
            })
        }
        // No listed key signed the path (a listed CA may share the issuer's name, not its key).
        Err(
            error @ (ChainError::NoIssuer { .. }
            | ChainError::Untrusted { .. }
            | ChainError::BadSignature { .. }),
        ) => {
            // Would a CA of the list that was not accredited then have vouched for it?
            let others = anchors(list, &names, received, |ca| !ca.accredited_at(received));
            let roots = ders(&others);
            match kep_pki::chain::verify_chain(signer, intermediates, &roots, at(received), &[]) {
                Ok(path) => {
                    let last = path.last().cloned().unwrap_or_default();
                    let ca = others
                        .iter()
                        .find(|(_, c, _)| c.der == last)
                        .map(|(ca, _, _)| *ca);
                    Err(NotListed::NotAccredited {
                        name: ca.map(|c| c.name.clone()).unwrap_or_default(),
                        state: ca
                            .and_then(|c| c.accreditation_at(received))
                            .map_or("не аккредитован", |s| s.words())
                            .to_owned(),
                    })
                }
                Err(_) => Err(NotListed::Unknown(error)),
            }
        }
        Err(other) => Err(NotListed::Invalid(other)),
    }
}
