//! Certificate revocation lists: the CA builds and signs them; anyone parses one, checks who
//! signed it, and asks "was this certificate revoked at time T".

use crate::error::PkiError;
use crate::extensions::known_extension;
use crate::issue::{Issuer, key_identifier};
use crate::summary::is_signed_by_parts;
use crate::verify::signature_algorithm_identifier;
use const_oid::AssociatedOid;
use der::asn1::{BitString, OctetString};
use der::{Decode, Encode};
use std::time::SystemTime;
use x509_cert::Certificate;
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, CrlNumber, CrlReason, SubjectKeyIdentifier};
pub use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Time;

/// One revoked certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    /// Its serial number.
    pub serial: SerialNumber,
    /// When it was revoked.
    pub revoked_at: SystemTime,
    /// Why (the reasonCode entry extension; none when unspecified).
    pub reason: Option<RevocationReason>,
}

/// The reasons this CA records (RFC 5280 §5.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevocationReason {
    /// keyCompromise (1): the key was lost or stolen.
    KeyCompromise,
    /// affiliationChanged (3): the owner's data changed.
    AffiliationChanged,
    /// superseded (4): a renewal replaced the certificate.
    Superseded,
    /// cessationOfOperation (5): the owner asked to stop using it.
    CessationOfOperation,
}

impl RevocationReason {
    pub(crate) fn code(self) -> CrlReason {
        match self {
            Self::KeyCompromise => CrlReason::KeyCompromise,
            Self::AffiliationChanged => CrlReason::AffiliationChanged,
            Self::Superseded => CrlReason::Superseded,
            Self::CessationOfOperation => CrlReason::CessationOfOperation,
        }
    }

    /// The reason a CRL entry gives, if one of these.
    pub(crate) fn from_code(code: CrlReason) -> Option<Self> {
        match code {
            CrlReason::KeyCompromise => Some(Self::KeyCompromise),
            CrlReason::AffiliationChanged => Some(Self::AffiliationChanged),
            CrlReason::Superseded => Some(Self::Superseded),
            CrlReason::CessationOfOperation => Some(Self::CessationOfOperation),
            _ => None,
        }
    }
}

/// Builds and signs a CRL (v2, with AKI and CRL number) for `issuer`.
pub fn build_crl(
    issuer: &Issuer<'_>,
    this_update: SystemTime,
    next_update: SystemTime,
    crl_number: u64,
    revoked: &[Revocation],
) -> Result<Vec<u8>, PkiError> {
    let tbs_issuer = issuer.certificate.tbs_certificate();
    let aki = match tbs_issuer.get_extension::<SubjectKeyIdentifier>()? {
        Some((_, ski)) => ski.0,
        None => OctetString::new(key_identifier(tbs_issuer.subject_public_key_info())?)?,
    };
    let entries = revoked
        .iter()
        .map(|r| {
            Ok(RevokedCert {
                serial_number: r.serial.clone(),
                revocation_date: Time::try_from(r.revoked_at)?,
                crl_entry_extensions: r
                    .reason
                    .map(|reason| known_extension(false, &reason.code()).map(|e| vec![e]))
                    .transpose()?,
            })
        })
        .collect::<Result<Vec<_>, PkiError>>()?;
    let algorithm = signature_algorithm_identifier(issuer.signer.algorithm());
    let tbs = TbsCertList {
        version: x509_cert::Version::V2,
        signature: algorithm.clone(),
        issuer: tbs_issuer.subject().clone(),
        this_update: Time::try_from(this_update)?,
        next_update: Some(Time::try_from(next_update)?),
        revoked_certificates: (!entries.is_empty()).then_some(entries),
        crl_extensions: Some(vec![
            known_extension(
                false,
                &AuthorityKeyIdentifier {
                    key_identifier: Some(aki),
                    authority_cert_issuer: None,
                    authority_cert_serial_number: None,
                },
            )?,
            known_extension(
                false,
                &CrlNumber(der::asn1::Uint::new(&crl_number.to_be_bytes())?),
            )?,
        ]),
    };
    let signature = issuer.signer.sign_message(&tbs.to_der()?)?;
    Ok(CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: algorithm,
        signature: BitString::from_bytes(&signature)?,
    }
    .to_der()?)
}

/// A parsed CRL.
#[derive(Debug, Clone)]
pub struct Crl {
    list: CertificateList,
}

impl Crl {
    /// Parses a DER CRL.
    pub fn parse(der: &[u8]) -> Result<Self, PkiError> {
        Ok(Self {
            list: CertificateList::from_der(der)?,
        })
    }

    /// Whether `issuer` signed this CRL (names match and the signature verifies).
    pub fn is_signed_by(&self, issuer: &Certificate) -> bool {
        let tbs = &self.list.tbs_cert_list;
        tbs.issuer == *issuer.tbs_certificate().subject()
            && tbs.to_der().is_ok_and(|der| {
                is_signed_by_parts(
                    &der,
                    &self.list.signature_algorithm,
                    &self.list.signature,
                    issuer,
                )
            })
    }

    /// When the certificate with `serial` was revoked, if it was revoked at or before `at`.
    pub fn revoked_at(&self, serial: &SerialNumber, at: SystemTime) -> Option<SystemTime> {
        self.list
            .tbs_cert_list
            .revoked_certificates
            .as_ref()?
            .iter()
            .find(|r| &r.serial_number == serial)
            .map(|r| r.revocation_date.to_system_time())
            .filter(|when| *when <= at)
    }

    /// The reason recorded for the certificate with `serial`, if it is listed with one.
    pub fn reason_of(&self, serial: &SerialNumber) -> Option<RevocationReason> {
        let entry = self
            .list
            .tbs_cert_list
            .revoked_certificates
            .as_ref()?
            .iter()
            .find(|r| &r.serial_number == serial)?;
        entry
            .crl_entry_extensions
            .as_ref()?
            .iter()
            .find(|e| e.extn_id == CrlReason::OID)
            .and_then(|e| CrlReason::from_der(e.extn_value.as_bytes()).ok())
            .and_then(RevocationReason::from_code)
    }

    /// Every entry, with the reasons this CA records (another reason reads as none).
    pub fn revocations(&self) -> Vec<Revocation> {
        self.list
            .tbs_cert_list
            .revoked_certificates
            .iter()
            .flatten()
            .map(|r| Revocation {
                serial: r.serial_number.clone(),
                revoked_at: r.revocation_date.to_system_time(),
                reason: self.reason_of(&r.serial_number),
            })
            .collect()
    }

    /// thisUpdate.
    pub fn this_update(&self) -> SystemTime {
        self.list.tbs_cert_list.this_update.to_system_time()
    }

    /// The CRL number (RFC 5280 §5.2.3), if present and at most 64 bits: a newer CRL of the same
    /// issuer has a greater one.
    pub fn number(&self) -> Option<u64> {
        let extension = self
            .list
            .tbs_cert_list
            .crl_extensions
            .as_ref()?
            .iter()
            .find(|e| e.extn_id == CrlNumber::OID)?;
        let number = CrlNumber::from_der(extension.extn_value.as_bytes()).ok()?;
        let bytes = number.0.as_bytes();
        let significant = &bytes[bytes.iter().take_while(|b| **b == 0).count()..];
        (significant.len() <= 8).then(|| {
            significant
                .iter()
                .fold(0u64, |n, b| (n << 8) | u64::from(*b))
        })
    }

    /// nextUpdate, if given.
    pub fn next_update(&self) -> Option<SystemTime> {
        self.list
            .tbs_cert_list
            .next_update
            .map(|t| t.to_system_time())
    }
}
