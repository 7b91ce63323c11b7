//! Certificate path validation against configured roots: signatures, validity at a given time,
//! basicConstraints, keyUsage, path length, and revocation from the CRLs given. Each refusal
//! names its reason and the certificate it concerns.

use crate::crl::Crl;
use crate::summary::is_signed_by;
use der::{Decode, Encode};
use std::time::SystemTime;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};

/// The longest path followed (leaf, intermediates, root).
pub const MAX_DEPTH: usize = 8;

/// Why a certificate path was refused. `subject` is the readable name of the certificate
/// concerned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// A certificate could not be parsed.
    #[error("malformed certificate: {0}")]
    Malformed(String),
    /// No given certificate is named as this one's issuer.
    #[error("no issuer found for {subject}")]
    NoIssuer {
        /// The certificate without an issuer.
        subject: String,
    },
    /// An issuer with the right name exists, but the signature does not verify with its key.
    #[error("the signature of {subject} does not verify")]
    BadSignature {
        /// The certificate whose signature failed.
        subject: String,
    },
    /// Not yet valid at the time asked.
    #[error("{subject} is not valid yet")]
    NotYetValid {
        /// The certificate.
        subject: String,
    },
    /// Expired at the time asked.
    #[error("{subject} has expired")]
    Expired {
        /// The certificate.
        subject: String,
    },
    /// An issuer that is not a CA (basicConstraints).
    #[error("{subject} is not a certification authority")]
    NotCa {
        /// The issuer.
        subject: String,
    },
    /// An issuer whose keyUsage does not allow signing certificates.
    #[error("{subject} may not sign certificates (keyUsage)")]
    NoCertSign {
        /// The issuer.
        subject: String,
    },
    /// More CA certificates below an issuer than its pathLenConstraint allows.
    #[error("the path below {subject} is longer than its pathLenConstraint")]
    PathTooLong {
        /// The issuer.
        subject: String,
    },
    /// Revoked, per a CRL signed by its issuer.
    #[error("{subject} was revoked")]
    Revoked {
        /// The revoked certificate.
        subject: String,
        /// When.
        revoked_at: SystemTime,
    },
    /// The path does not end at a configured root within [`MAX_DEPTH`] certificates.
    #[error("no path to a trusted root for {subject}")]
    Untrusted {
        /// The last certificate reached.
        subject: String,
    },
}

/// The certificate's owner as people read it: the commonName, else the whole name.
pub fn name_of(cert: &Certificate) -> String {
    let subject = cert.tbs_certificate().subject();
    crate::summary::attribute(subject, const_oid::db::rfc4519::CN)
        .unwrap_or_else(|| subject.to_string())
}

fn check_time(cert: &Certificate, at: SystemTime) -> Result<(), ChainError> {
    let validity = cert.tbs_certificate().validity();
    if at < validity.not_before.to_system_time() {
        return Err(ChainError::NotYetValid {
            subject: name_of(cert),
        });
    }
    if at > validity.not_after.to_system_time() {
        return Err(ChainError::Expired {
            subject: name_of(cert),
        });
    }
    Ok(())
}

/// Checks that `issuer` may issue certificates with `cas_below` CA certificates under it.
fn check_issuer(issuer: &Certificate, cas_below: usize) -> Result<(), ChainError> {
    let tbs = issuer.tbs_certificate();
    let malformed = |e: der::Error| ChainError::Malformed(e.to_string());
    let constraints = tbs.get_extension::<BasicConstraints>().map_err(malformed)?;
    let Some((_, constraints)) = constraints.filter(|(_, bc)| bc.ca) else {
        return Err(ChainError::NotCa {
            subject: name_of(issuer),
        });
    };
    let usage = tbs.get_extension::<KeyUsage>().map_err(malformed)?;
    if usage.is_some_and(|(_, usage)| !usage.0.contains(KeyUsages::KeyCertSign)) {
        return Err(ChainError::NoCertSign {
            subject: name_of(issuer),
        });
    }
    if constraints
        .path_len_constraint
        .is_some_and(|limit| cas_below > usize::from(limit))
    {
        return Err(ChainError::PathTooLong {
            subject: name_of(issuer),
        });
    }
    Ok(())
}

fn check_revocation(
    cert: &Certificate,
    issuer: &Certificate,
    crls: &[Crl],
    at: SystemTime,
) -> Result<(), ChainError> {
    for crl in crls.iter().filter(|crl| crl.is_signed_by(issuer)) {
        if let Some(revoked_at) = crl.revoked_at(cert.tbs_certificate().serial_number(), at) {
            return Err(ChainError::Revoked {
                subject: name_of(cert),
                revoked_at,
            });
        }
    }
    Ok(())
}

/// Validates the path from `leaf` through `intermediates` to one of `roots` at time `at`,
/// consulting `crls` (only those signed by the issuer in question count). Returns the path,
/// leaf first, as DER.
pub fn verify_chain(
    leaf: &[u8],
    intermediates: &[Vec<u8>],
    roots: &[Vec<u8>],
    at: SystemTime,
    crls: &[Crl],
) -> Result<Vec<Vec<u8>>, ChainError> {
    let parse =
        |der: &[u8]| Certificate::from_der(der).map_err(|e| ChainError::Malformed(e.to_string()));
    let roots = roots
        .iter()
        .map(|d| parse(d))
        .collect::<Result<Vec<_>, _>>()?;
    let intermediates = intermediates
        .iter()
        .map(|d| parse(d))
        .collect::<Result<Vec<_>, _>>()?;
    let mut current = parse(leaf)?;
    let mut path = vec![current.clone()];
    for _ in 0..MAX_DEPTH {
        check_time(&current, at)?;
        if roots.contains(&current) {
            return path
                .iter()
                .map(|c| c.to_der().map_err(|e| ChainError::Malformed(e.to_string())))
                .collect();
        }
        let named: Vec<&Certificate> = roots
            .iter()
            .chain(intermediates.iter())
            .filter(|c| c.tbs_certificate().subject() == current.tbs_certificate().issuer())
            .collect();
        if named.is_empty() {
            return Err(ChainError::NoIssuer {
                subject: name_of(&current),
            });
        }
        let issuer = named
            .into_iter()
            .find(|issuer| is_signed_by(&current, issuer))
            .ok_or_else(|| ChainError::BadSignature {
                subject: name_of(&current),
            })?
            .clone();
        // A configured root is trusted as configured (RFC 5280 §6.1: a trust anchor is a name
        // and a key); every other issuer must be a CA allowed to sign certificates, with no more
        // CAs below it than its pathLenConstraint (all certificates above the leaf are CAs).
        if !roots.contains(&issuer) {
            check_issuer(&issuer, path.len() - 1)?;
        }
        check_revocation(&current, &issuer, crls, at)?;
        path.push(issuer.clone());
        current = issuer;
    }
    Err(ChainError::Untrusted {
        subject: name_of(&current),
    })
}
