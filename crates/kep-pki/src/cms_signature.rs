//! Detached CMS SignedData in the CAdES-BES shape: content-type, message-digest, signing-time
//! and signing-certificate-v2 signed attributes, the signer's certificate included. This is how
//! the applicant signs the statement with the current КЭП (stage 3) and how the CA checks it.
//!
//! AlgorithmIdentifiers are written as OpenSSL's gost engine writes them (digestAlgorithm
//! Streebog with NULL parameters; signatureAlgorithm the *public-key* OID with NULL); the
//! signature-with-digest OIDs and absent parameters are accepted on input as well.

use crate::oids;
use crate::signer::{KeySigner, SignError, SignatureAlgorithm};
use crate::verify::{VerifyError, verify_signature};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier;
use const_oid::db::rfc6268;
use der::asn1::{Any, AnyRef, OctetString, SetOfVec, UtcTime};
use der::{Decode, Encode, Sequence};
use spki::{AlgorithmIdentifier, AlgorithmIdentifierOwned};
use std::time::SystemTime;
use x509_cert::Certificate;
use x509_cert::attr::{Attribute, AttributeValue};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;

/// id-aa-signingCertificateV2 (RFC 5035).
pub const SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");

/// Why a signature was refused or could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CmsError {
    /// Malformed DER or not a SignedData.
    #[error("malformed CMS: {0}")]
    Der(#[from] der::Error),
    /// The structure is well-formed but not what a detached CAdES-BES signature must be.
    #[error("{0}")]
    Structure(&'static str),
    /// Not exactly one signer (co-signatures and countersignatures are not read).
    #[error("expected exactly one signer, found {0}")]
    SignerCount(usize),
    /// The signed attributes' message digest is not the digest of the given content.
    #[error("the signature is over other content")]
    ContentMismatch,
    /// The digest algorithm does not belong to the signer's key.
    #[error("digest algorithm {0} does not fit the signer's key")]
    WrongDigestAlgorithm(String),
    /// No signing-certificate-v2 attribute, while the policy requires one.
    #[error("the signing-certificate-v2 attribute is missing")]
    MissingSigningCertificate,
    /// signing-certificate-v2 names another certificate.
    #[error("the signing-certificate-v2 attribute names another certificate")]
    SigningCertificateMismatch,
    /// The signer's certificate is not in the SignedData.
    #[error("the signer's certificate is not included")]
    SignerCertificateMissing,
    /// The signature does not verify.
    #[error(transparent)]
    Signature(#[from] VerifyError),
    /// The signer failed.
    #[error(transparent)]
    Sign(#[from] SignError),
}

/// ESSCertIDv2 (RFC 5035), hashAlgorithm written explicitly as OpenSSL does.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
struct EssCertIdV2 {
    hash_algorithm: AlgorithmIdentifierOwned,
    cert_hash: OctetString,
    issuer_serial: Option<IssuerSerial>,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
    policies: Option<Vec<Any>>,
}

/// The digest algorithm that goes with a signature algorithm, and how it is hashed.
fn digest_oid(alg: SignatureAlgorithm) -> ObjectIdentifier {
    match alg {
        SignatureAlgorithm::Gost2012_256 => kep_gost::OID_STREEBOG_256,
        SignatureAlgorithm::Gost2012_512 => kep_gost::OID_STREEBOG_512,
        SignatureAlgorithm::EcdsaP256Sha256 => oids::SHA256,
    }
}

fn hash_by_oid(oid: &ObjectIdentifier, data: &[u8]) -> Option<Vec<u8>> {
    let alg = match *oid {
        kep_gost::OID_STREEBOG_256 => SignatureAlgorithm::Gost2012_256,
        kep_gost::OID_STREEBOG_512 => SignatureAlgorithm::Gost2012_512,
        oids::SHA256 => SignatureAlgorithm::EcdsaP256Sha256,
        _ => return None,
    };
    Some(alg.digest(data))
}

fn null_params() -> Option<Any> {
    Some(Any::null())
}

/// The SignerInfo signatureAlgorithm as OpenSSL's gost engine writes it.
fn signer_info_signature_algorithm(alg: SignatureAlgorithm) -> AlgorithmIdentifierOwned {
    match alg {
        SignatureAlgorithm::Gost2012_256 => AlgorithmIdentifierOwned {
            oid: kep_gost::OID_GOST_2012_256,
            parameters: null_params(),
        },
        SignatureAlgorithm::Gost2012_512 => AlgorithmIdentifierOwned {
            oid: kep_gost::OID_GOST_2012_512,
            parameters: null_params(),
        },
        SignatureAlgorithm::EcdsaP256Sha256 => AlgorithmIdentifierOwned {
            oid: oids::ECDSA_WITH_SHA256,
            parameters: None,
        },
    }
}

fn attribute(oid: ObjectIdentifier, value: impl Encode) -> Result<Attribute, CmsError> {
    let mut values = SetOfVec::new();
    values.insert(AttributeValue::from_der(&value.to_der()?)?)?;
    Ok(Attribute { oid, values })
}

/// Signs `content` (detached) with `signer`, whose certificate is `certificate` (DER), at
/// `signing_time`. Returns the DER ContentInfo.
pub fn sign_detached(
    content: &[u8],
    signer: &dyn KeySigner,
    certificate: &[u8],
    signing_time: SystemTime,
) -> Result<Vec<u8>, CmsError> {
    let digest = signer.algorithm().digest(content);
    sign_detached_digest(&digest, signer, certificate, &[], signing_time)
}

/// [`sign_detached`] for content already digested (a file hashed as it was read, with
/// [`crate::content_digest`]): `content_digest` must be the digest for `signer.algorithm()`.
/// `issuers` (DER: the CA certificates between the signer and its root) are carried as well,
/// so that a recipient who trusts only the root can build the path.
pub fn sign_detached_digest(
    content_digest: &[u8],
    signer: &dyn KeySigner,
    certificate: &[u8],
    issuers: &[Vec<u8>],
    signing_time: SystemTime,
) -> Result<Vec<u8>, CmsError> {
    let cert = Certificate::from_der(certificate)?;
    let alg = signer.algorithm();
    if content_digest.len() != alg.digest(b"").len() {
        return Err(CmsError::Structure(
            "the content digest does not fit the key",
        ));
    }
    let digest_algorithm = AlgorithmIdentifierOwned {
        oid: digest_oid(alg),
        parameters: null_params(),
    };
    let tbs = cert.tbs_certificate();
    let ess = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            hash_algorithm: digest_algorithm.clone(),
            cert_hash: OctetString::new(alg.digest(certificate))?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(tbs.issuer().clone())],
                serial_number: tbs.serial_number().clone(),
            }),
        }],
        policies: None,
    };
    let mut signed_attrs = SetOfVec::new();
    signed_attrs.insert(attribute(rfc6268::ID_CONTENT_TYPE, rfc6268::ID_DATA)?)?;
    signed_attrs.insert(attribute(
        rfc6268::ID_SIGNING_TIME,
        x509_cert::time::Time::UtcTime(UtcTime::from_system_time(signing_time)?),
    )?)?;
    signed_attrs.insert(attribute(
        rfc6268::ID_MESSAGE_DIGEST,
        OctetString::new(content_digest)?,
    )?)?;
    signed_attrs.insert(attribute(SIGNING_CERTIFICATE_V2, ess)?)?;
    // The signature covers the attributes DER-encoded as a SET OF (not as [0] IMPLICIT).
    let signature = signer.sign_message(&signed_attrs.to_der()?)?;

    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: tbs.issuer().clone(),
            serial_number: tbs.serial_number().clone(),
        }),
        digest_alg: digest_algorithm.clone(),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: signer_info_signature_algorithm(alg),
        signature: OctetString::new(signature)?,
        unsigned_attrs: None,
    };
    let mut digest_algorithms = SetOfVec::new();
    digest_algorithms.insert(digest_algorithm)?;
    let mut certificates = SetOfVec::new();
    certificates.insert(CertificateChoices::Certificate(cert))?;
    for issuer in issuers {
        certificates.insert(CertificateChoices::Certificate(Certificate::from_der(
            issuer,
        )?))?;
    }
    let mut signer_infos = SetOfVec::new();
    signer_infos.insert(signer_info)?;
    let signed_data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: rfc6268::ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(certificates)),
        crls: None,
        signer_infos: SignerInfos(signer_infos),
    };
    Ok(ContentInfo {
        content_type: rfc6268::ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data)?,
    }
    .to_der()?)
}

/// What a verified signature says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedSignature {
    /// The signer's certificate, DER (check its chain and revocation separately).
    pub signer_certificate: Vec<u8>,
    /// The signing-time attribute, if present.
    pub signing_time: Option<SystemTime>,
    /// The signature algorithm.
    pub algorithm: SignatureAlgorithm,
    /// The other certificates the signature carried (DER): perhaps the signer's issuers, never
    /// trusted for being here — only candidates for its path.
    pub carried: Vec<Vec<u8>>,
}

/// How strict verification is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignaturePolicy {
    /// CAdES-BES: signing-certificate-v2 must be present and name the signer's certificate.
    CadesBes,
    /// Plain CMS: signing-certificate-v2 is checked when present.
    Cms,
}

/// Verifies a detached signature over `content`.
pub fn verify_detached(
    signature: &[u8],
    content: &[u8],
    policy: SignaturePolicy,
) -> Result<VerifiedSignature, CmsError> {
    let message = SignedMessage::parse(signature)?;
    if message.attached_content().is_some() {
        return Err(CmsError::Structure("the signature is not detached"));
    }
    let digest = message.algorithm().digest(content);
    message.verify(&digest, policy)
}

/// A signature read but not yet checked: what it takes to check it against content that is
/// digested elsewhere (a large file, read as a stream), or against the content it carries.
#[derive(Debug, Clone)]
pub struct SignedMessage {
    signed_data: SignedData,
    signer_info: SignerInfo,
    certificate: Certificate,
    algorithm: SignatureAlgorithm,
}

impl SignedMessage {
    /// Reads a CMS SignedData with exactly one signer whose certificate it carries, and whose
    /// digest algorithm fits the signer's key.
    pub fn parse(signature: &[u8]) -> Result<Self, CmsError> {
        let info = ContentInfo::from_der(signature)?;
        if info.content_type != rfc6268::ID_SIGNED_DATA {
            return Err(CmsError::Structure("not a SignedData"));
        }
        let signed_data: SignedData = info.content.decode_as()?;
        let signer_info = match signed_data.signer_infos.0.as_slice() {
            [one] => one.clone(),
            all => return Err(CmsError::SignerCount(all.len())),
        };
        let certificate = find_signer(&signed_data, &signer_info.sid)?;
        let algorithm =
            crate::issue::key_algorithm(certificate.tbs_certificate().subject_public_key_info())
                .ok_or_else(|| {
                    CmsError::Signature(VerifyError::UnsupportedAlgorithm(
                        certificate
                            .tbs_certificate()
                            .subject_public_key_info()
                            .algorithm
                            .oid
                            .to_string(),
                    ))
                })?;
        if signer_info.digest_alg.oid != digest_oid(algorithm) {
            return Err(CmsError::WrongDigestAlgorithm(
                signer_info.digest_alg.oid.to_string(),
            ));
        }
        Ok(Self {
            signed_data,
            signer_info,
            certificate,
            algorithm,
        })
    }

    /// The signer's key algorithm, which fixes the content's digest algorithm.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    /// The signer's certificate as the signature names it (DER), trusted for nothing until
    /// [`verify`](Self::verify) succeeds.
    pub fn signer_certificate(&self) -> Result<Vec<u8>, CmsError> {
        Ok(self.certificate.to_der()?)
    }

    /// The content, when the signature carries it (an attached signature).
    pub fn attached_content(&self) -> Option<&[u8]> {
        self.signed_data
            .encap_content_info
            .econtent
            .as_ref()
            .map(|c| c.value())
    }

    /// Checks the signature: first over its signed attributes with the signer's key, then
    /// that the attributes' message digest is `content_digest` (so [`CmsError::ContentMismatch`]
    /// means a genuine signature over other content).
    pub fn verify(
        &self,
        content_digest: &[u8],
        policy: SignaturePolicy,
    ) -> Result<VerifiedSignature, CmsError> {
        let signer_info = &self.signer_info;
        let cert = &self.certificate;
        let key_alg = self.algorithm;
        let cert_der = cert.to_der()?;
        let spki = cert.tbs_certificate().subject_public_key_info().to_der()?;
        let attrs = signer_info
            .signed_attrs
            .as_ref()
            .ok_or(CmsError::Structure("no signed attributes"))?;
        let single = |oid: ObjectIdentifier| -> Result<Option<AnyRef<'_>>, CmsError> {
            let mut found = attrs.iter().filter(|a| a.oid == oid);
            match (found.next(), found.next()) {
                (None, _) => Ok(None),
                (Some(a), None) if a.values.len() == 1 => {
                    Ok(a.values.iter().next().map(AnyRef::from))
                }
                _ => Err(CmsError::Structure("a signed attribute is repeated")),
            }
        };
        let content_type = single(rfc6268::ID_CONTENT_TYPE)?
            .ok_or(CmsError::Structure("no content-type attribute"))?
            .decode_as::<ObjectIdentifier>()?;
        if content_type != self.signed_data.encap_content_info.econtent_type {
            return Err(CmsError::Structure(
                "content-type does not match the encapsulated content",
            ));
        }
        if content_type != rfc6268::ID_DATA {
            return Err(CmsError::Structure("content-type is not id-data"));
        }
        let message_digest = single(rfc6268::ID_MESSAGE_DIGEST)?
            .ok_or(CmsError::Structure("no message-digest attribute"))?
            .decode_as::<OctetString>()?;

        // Both ways of naming the signature algorithm: the public-key OID (OpenSSL) or the
        // signature-with-digest OID (RFC 9215 style); parameters NULL or absent.
        let named = match signer_info.signature_algorithm.oid {
            kep_gost::OID_GOST_2012_256 => SignatureAlgorithm::Gost2012_256,
            kep_gost::OID_GOST_2012_512 => SignatureAlgorithm::Gost2012_512,
            other => SignatureAlgorithm::from_oid(&other).ok_or_else(|| {
                CmsError::Signature(VerifyError::UnsupportedAlgorithm(other.to_string()))
            })?,
        };
        if named != key_alg {
            return Err(CmsError::Signature(VerifyError::KeyMismatch(
                "the signature algorithm does not fit the signer's key".into(),
            )));
        }
        let algorithm = AlgorithmIdentifier {
            oid: named.oid(),
            parameters: signer_info
                .signature_algorithm
                .parameters
                .as_ref()
                .map(AnyRef::from),
        };
        verify_signature(
            &spki,
            &algorithm,
            &attrs.to_der()?,
            signer_info.signature.as_bytes(),
        )?;
        if message_digest.as_bytes() != content_digest {
            return Err(CmsError::ContentMismatch);
        }
        match single(SIGNING_CERTIFICATE_V2)? {
            Some(value) => check_signing_certificate(value, cert, &cert_der)?,
            None if policy == SignaturePolicy::CadesBes => {
                return Err(CmsError::MissingSigningCertificate);
            }
            None => {}
        }
        let signing_time = single(rfc6268::ID_SIGNING_TIME)?
            .map(|t| t.decode_as::<x509_cert::time::Time>())
            .transpose()?
            .map(|t| t.to_system_time());
        let carried = carried_certificates(&self.signed_data)
            .filter(|c| *c != cert)
            .map(Encode::to_der)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(VerifiedSignature {
            signer_certificate: cert_der,
            signing_time,
            algorithm: key_alg,
            carried,
        })
    }
}

/// The X.509 certificates in the SignedData's certificate set.
fn carried_certificates(signed_data: &SignedData) -> impl Iterator<Item = &Certificate> {
    signed_data
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(cert) => Some(cert),
            CertificateChoices::Other(_) => None,
        })
}

fn find_signer(signed_data: &SignedData, sid: &SignerIdentifier) -> Result<Certificate, CmsError> {
    carried_certificates(signed_data)
        .find(|cert| {
            let tbs = cert.tbs_certificate();
            match sid {
                SignerIdentifier::IssuerAndSerialNumber(isn) => {
                    tbs.issuer() == &isn.issuer && tbs.serial_number() == &isn.serial_number
                }
                SignerIdentifier::SubjectKeyIdentifier(ski) => tbs
                    .get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
                    .ok()
                    .flatten()
                    .is_some_and(|(_, own)| own == *ski),
            }
        })
        .cloned()
        .ok_or(CmsError::SignerCertificateMissing)
}

fn check_signing_certificate(
    value: AnyRef<'_>,
    cert: &Certificate,
    cert_der: &[u8],
) -> Result<(), CmsError> {
    let signing_certificate: SigningCertificateV2 = value.decode_as()?;
    let first = signing_certificate
        .certs
        .first()
        .ok_or(CmsError::SigningCertificateMismatch)?;
    let hash = hash_by_oid(&first.hash_algorithm.oid, cert_der)
        .ok_or_else(|| CmsError::WrongDigestAlgorithm(first.hash_algorithm.oid.to_string()))?;
    if first.cert_hash.as_bytes() != hash.as_slice() {
        return Err(CmsError::SigningCertificateMismatch);
    }
    if let Some(issuer_serial) = &first.issuer_serial {
        let tbs = cert.tbs_certificate();
        let issuer_matches = issuer_serial
            .issuer
            .iter()
            .any(|n| matches!(n, GeneralName::DirectoryName(name) if name == tbs.issuer()));
        if !issuer_matches || &issuer_serial.serial_number != tbs.serial_number() {
            return Err(CmsError::SigningCertificateMismatch);
        }
    }
    Ok(())
}
