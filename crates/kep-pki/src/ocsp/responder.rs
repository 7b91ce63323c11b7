//! An OCSP responder's two halves around the status lookup (which the CA does in its
//! database): reading a request — what it asks about, for which issuer, with which nonce — and
//! signing the answer as a delegated responder (RFC 6960 §4.2.2.2). A request this responder
//! cannot read gets `malformedRequest`; one about another issuer's certificates only,
//! `unauthorized`: both are signed-less answers, never a failure of the server.

use super::asn1::{
    BasicOcspResponse, CertId, CertStatus, ID_PKIX_OCSP_BASIC, ID_PKIX_OCSP_NONCE, OcspRequest,
    OcspResponse, OcspResponseStatus, ResponderId, ResponseBytes, ResponseData, RevokedInfo,
    SingleResponse,
};
use crate::crl::RevocationReason;
use crate::error::PkiError;
use crate::signer::KeySigner;
use crate::verify::signature_algorithm_identifier;
use der::asn1::{BitString, GeneralizedTime, Null, ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use std::time::SystemTime;
use x509_cert::Certificate;
use x509_cert::ext::Extension;
use x509_cert::serial_number::SerialNumber;

/// Requests larger than this are not read (RFC 6960 requests are a few hundred bytes).
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// id-sha1: OpenSSL's default CertID hash.
const ID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
/// id-sha256.
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
/// id-tc26-gost3411-12-256 (Streebog-256).
const ID_STREEBOG_256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.7.1.1.2.2");

/// A request read: the certificates asked about, in order, and its nonce (echoed back).
#[derive(Debug, Clone)]
pub struct ParsedRequest {
    /// The CertIDs, as sent.
    pub cert_ids: Vec<CertId>,
    /// The nonce extension, if the request had one.
    pub nonce: Option<Extension>,
}

/// Why a request is not answered with statuses (each is `malformedRequest` on the wire).
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// Larger than [`MAX_REQUEST_BYTES`].
    #[error("the request is over {MAX_REQUEST_BYTES} bytes")]
    TooLarge,
    /// Not a DER OCSPRequest.
    #[error("the request does not read: {0}")]
    Unreadable(#[from] der::Error),
    /// A version other than v1.
    #[error("the request is of version {0}, not v1")]
    Version(u8),
    /// No certificate asked about.
    #[error("the request asks about no certificate")]
    Empty,
    /// A nonce of no bytes or more than 32 (RFC 8954).
    #[error("the request's nonce is not 1 to 32 bytes")]
    Nonce,
}

impl RequestError {
    /// The OCSP status a refused request is answered with.
    pub fn status(&self) -> OcspResponseStatus {
        OcspResponseStatus::MalformedRequest
    }
}

/// Reads a DER OCSPRequest.
pub fn parse_request(der: &[u8]) -> Result<ParsedRequest, RequestError> {
    if der.len() > MAX_REQUEST_BYTES {
        return Err(RequestError::TooLarge);
    }
    let tbs = OcspRequest::from_der(der)?.tbs_request;
    if tbs.version != 0 {
        return Err(RequestError::Version(tbs.version));
    }
    if tbs.request_list.is_empty() {
        return Err(RequestError::Empty);
    }
    let nonce = tbs
        .request_extensions
        .unwrap_or_default()
        .into_iter()
        .find(|e| e.extn_id == ID_PKIX_OCSP_NONCE);
    // RFC 8954: a nonce is 1 to 32 octets (34 with its OCTET STRING header).
    if nonce.as_ref().is_some_and(|n| {
        let len = n.extn_value.as_bytes().len();
        len == 0 || len > 34
    }) {
        return Err(RequestError::Nonce);
    }
    Ok(ParsedRequest {
        cert_ids: tbs.request_list.into_iter().map(|r| r.req_cert).collect(),
        nonce,
    })
}

/// An answer without a signed response: `malformedRequest`, `unauthorized`, `tryLater`….
pub fn refusal(status: OcspResponseStatus) -> Vec<u8> {
    OcspResponse {
        response_status: status,
        response_bytes: None,
    }
    .to_der()
    // Two fixed bytes of structure around one ENUMERATED: encoding cannot fail.
    .unwrap_or_else(|_| vec![0x30, 0x03, 0x0a, 0x01, status as u8])
}

/// What the CA knows of a certificate it is asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Issued by this CA and not revoked.
    Good,
    /// Revoked at `at`, for `reason`.
    Revoked {
        /// When.
        at: SystemTime,
        /// Why.
        reason: Option<RevocationReason>,
    },
    /// Not a certificate of this CA's.
    Unknown,
}

/// The delegated responder: the issuing CA it answers for, its own certificate (issued by that
/// CA with id-kp-OCSPSigning) and key.
pub struct Responder<'a> {
    /// The CA whose certificates it answers about.
    pub issuer: &'a Certificate,
    /// The responder's certificate.
    pub certificate: &'a Certificate,
    /// The responder's key.
    pub signer: &'a dyn KeySigner,
}

impl std::fmt::Debug for Responder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Responder").finish_non_exhaustive()
    }
}

fn hash(algorithm: &ObjectIdentifier, bytes: &[u8]) -> Option<Vec<u8>> {
    use ring::digest::{SHA1_FOR_LEGACY_USE_ONLY, SHA256, digest};
    if *algorithm == ID_SHA1 {
        Some(digest(&SHA1_FOR_LEGACY_USE_ONLY, bytes).as_ref().to_vec())
    } else if *algorithm == ID_SHA256 {
        Some(digest(&SHA256, bytes).as_ref().to_vec())
    } else if *algorithm == ID_STREEBOG_256 {
        Some(kep_gost::streebog_digest(kep_gost::KeySize::Bits256, bytes))
    } else {
        None
    }
}

/// Whether `id` names `issuer` (its name and key hashed with SHA-1, SHA-256 or Streebog-256).
pub(crate) fn names_issuer(id: &CertId, issuer: &Certificate) -> bool {
    let algorithm = &id.hash_algorithm.oid;
    let tbs = issuer.tbs_certificate();
    let Ok(name) = tbs.subject().to_der() else {
        return false;
    };
    let key = tbs.subject_public_key_info().subject_public_key.raw_bytes();
    hash(algorithm, &name).is_some_and(|h| h == id.issuer_name_hash.as_bytes())
        && hash(algorithm, key).is_some_and(|h| h == id.issuer_key_hash.as_bytes())
}

impl Responder<'_> {
    /// The serial a CertID asks about, if it names this responder's issuer (its name and key
    /// hashed with SHA-1, SHA-256 or Streebog-256); None for any other issuer's certificate.
    pub fn serial_asked<'c>(&self, id: &'c CertId) -> Option<&'c SerialNumber> {
        names_issuer(id, self.issuer).then_some(&id.serial_number)
    }

    /// Signs the answer to `request`: `statuses[i]` for `request.cert_ids[i]`, known at `now`
    /// and good until `next_update`; the nonce echoed; the responder's certificate included.
    pub fn respond(
        &self,
        request: &ParsedRequest,
        statuses: &[Status],
        now: SystemTime,
        next_update: SystemTime,
    ) -> Result<Vec<u8>, PkiError> {
        if statuses.len() != request.cert_ids.len() {
            return Err(PkiError::Profile(
                "one status per certificate asked about".into(),
            ));
        }
        let this_update = GeneralizedTime::from_system_time(now)?;
        let next_update = GeneralizedTime::from_system_time(next_update)?;
        let responses = request
            .cert_ids
            .iter()
            .zip(statuses)
            .map(|(id, status)| {
                Ok(SingleResponse {
                    cert_id: id.clone(),
                    cert_status: match status {
                        Status::Good => CertStatus::Good(Null),
                        Status::Unknown => CertStatus::Unknown(Null),
                        Status::Revoked { at, reason } => CertStatus::Revoked(RevokedInfo {
                            revocation_time: GeneralizedTime::from_system_time(*at)?,
                            revocation_reason: reason.map(RevocationReason::code),
                        }),
                    },
                    this_update,
                    next_update: Some(next_update),
                    single_extensions: None,
                })
            })
            .collect::<Result<Vec<_>, PkiError>>()?;
        let responder_key = self
            .certificate
            .tbs_certificate()
            .subject_public_key_info()
            .subject_public_key
            .raw_bytes();
        let data = ResponseData {
            version: 0,
            responder_id: ResponderId::ByKey(OctetString::new(
                ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, responder_key)
                    .as_ref(),
            )?),
            produced_at: this_update,
            responses,
            response_extensions: request.nonce.clone().map(|n| vec![n]),
        };
        let signature = self.signer.sign_message(&data.to_der()?)?;
        let basic = BasicOcspResponse {
            tbs_response_data: data,
            signature_algorithm: signature_algorithm_identifier(self.signer.algorithm()),
            signature: BitString::from_bytes(&signature)?,
            certs: Some(vec![self.certificate.clone()]),
        };
        Ok(OcspResponse {
            response_status: OcspResponseStatus::Successful,
            response_bytes: Some(ResponseBytes {
                response_type: ID_PKIX_OCSP_BASIC,
                response: OctetString::new(basic.to_der()?)?,
            }),
        }
        .to_der()?)
    }
}

/// A request for the status of the certificate with `serial` issued by `issuer`: a SHA-1
/// CertID (what every responder understands) and, if given, a nonce (RFC 8954: 1–32 bytes).
pub fn request_for(
    issuer: &Certificate,
    serial: &SerialNumber,
    nonce: Option<&[u8]>,
) -> Result<Vec<u8>, PkiError> {
    use super::asn1::{Request, TbsRequest};
    use ring::digest::{SHA1_FOR_LEGACY_USE_ONLY, digest};
    let tbs = issuer.tbs_certificate();
    let name = tbs.subject().to_der()?;
    let key = tbs.subject_public_key_info().subject_public_key.raw_bytes();
    let cert_id = CertId {
        hash_algorithm: spki::AlgorithmIdentifierOwned {
            oid: ID_SHA1,
            parameters: Some(der::Any::from(Null)),
        },
        issuer_name_hash: OctetString::new(digest(&SHA1_FOR_LEGACY_USE_ONLY, &name).as_ref())?,
        issuer_key_hash: OctetString::new(digest(&SHA1_FOR_LEGACY_USE_ONLY, key).as_ref())?,
        serial_number: serial.clone(),
    };
    let request_extensions = nonce
        .map(|n| crate::extensions::extension(ID_PKIX_OCSP_NONCE, false, &OctetString::new(n)?))
        .transpose()?
        .map(|e| vec![e]);
    Ok(OcspRequest {
        tbs_request: TbsRequest {
            version: 0,
            requestor_name: None,
            request_list: vec![Request {
                req_cert: cert_id,
                single_request_extensions: None,
            }],
            request_extensions,
        },
        optional_signature: None,
    }
    .to_der()?)
}

/// A response read back (for the CA's own tests and the app): its status and, when
/// successful, the basic response.
pub fn parse_response(
    der: &[u8],
) -> Result<(OcspResponseStatus, Option<BasicOcspResponse>), PkiError> {
    let response = OcspResponse::from_der(der)?;
    let basic = response
        .response_bytes
        .map(|bytes| BasicOcspResponse::from_der(bytes.response.as_bytes()))
        .transpose()?;
    Ok((response.response_status, basic))
}
