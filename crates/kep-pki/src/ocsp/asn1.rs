//! The OCSP messages of RFC 6960 §4.1–4.2 as DER structures (x509-ocsp exists only for
//! x509-cert 0.2; these follow the RFC's module, with der's derive).

use der::asn1::{BitString, GeneralizedTime, Null, ObjectIdentifier, OctetString};
use der::{Choice, Enumerated, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;

/// id-pkix-ocsp-basic: the one response type this responder makes.
pub const ID_PKIX_OCSP_BASIC: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");
/// id-pkix-ocsp-nonce.
pub const ID_PKIX_OCSP_NONCE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.2");
/// id-pkix-ocsp-nocheck: a responder certificate whose own status is not checked.
pub const ID_PKIX_OCSP_NOCHECK: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.5");

/// CertID: which certificate a request asks about.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct CertId {
    /// The hash the two hashes below were made with.
    pub hash_algorithm: AlgorithmIdentifierOwned,
    /// Hash of the issuer's distinguished name (DER).
    pub issuer_name_hash: OctetString,
    /// Hash of the issuer's public key (the BIT STRING's value).
    pub issuer_key_hash: OctetString,
    /// The certificate's serial number.
    pub serial_number: SerialNumber,
}

/// Request.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct Request {
    /// The certificate asked about.
    pub req_cert: CertId,
    /// Per-request extensions (none understood here).
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub single_request_extensions: Option<Vec<Extension>>,
}

/// TBSRequest.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct TbsRequest {
    /// v1 (0), the default, left out when encoding.
    #[asn1(
        context_specific = "0",
        tag_mode = "EXPLICIT",
        default = "Default::default"
    )]
    pub version: u8,
    /// Who asks (ignored: the responder answers anyone).
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub requestor_name: Option<GeneralName>,
    /// The certificates asked about.
    pub request_list: Vec<Request>,
    /// The request's extensions (the nonce).
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    pub request_extensions: Option<Vec<Extension>>,
}

/// A request's optional signature (accepted and ignored: this responder needs no signed
/// requests).
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct RequestSignature {
    /// The algorithm.
    pub signature_algorithm: AlgorithmIdentifierOwned,
    /// The value.
    pub signature: BitString,
    /// Certificates for the signature.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub certs: Option<Vec<Certificate>>,
}

/// OCSPRequest.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct OcspRequest {
    /// What is asked.
    pub tbs_request: TbsRequest,
    /// An optional signature.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub optional_signature: Option<RequestSignature>,
}

/// OCSPResponseStatus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enumerated)]
#[repr(u8)]
pub enum OcspResponseStatus {
    /// The response has valid confirmations.
    Successful = 0,
    /// The request does not conform to the protocol.
    MalformedRequest = 1,
    /// An internal error in the responder.
    InternalError = 2,
    /// Try again later.
    TryLater = 3,
    /// The request must be signed.
    SigRequired = 5,
    /// The request is not one this responder answers.
    Unauthorized = 6,
}

/// ResponseBytes.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct ResponseBytes {
    /// id-pkix-ocsp-basic.
    pub response_type: ObjectIdentifier,
    /// The DER of a BasicOCSPResponse.
    pub response: OctetString,
}

/// OCSPResponse.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct OcspResponse {
    /// Whether the request was answered.
    pub response_status: OcspResponseStatus,
    /// The answer, when successful.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub response_bytes: Option<ResponseBytes>,
}

/// ResponderID.
#[derive(Clone, Debug, PartialEq, Eq, Choice)]
pub enum ResponderId {
    /// The responder's distinguished name.
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", constructed = "true")]
    ByName(Name),
    /// SHA-1 of the responder's public key (the BIT STRING's value).
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", constructed = "true")]
    ByKey(OctetString),
}

/// RevokedInfo.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct RevokedInfo {
    /// When.
    pub revocation_time: GeneralizedTime,
    /// Why (the CRLReason ENUMERATED value).
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub revocation_reason: Option<x509_cert::ext::pkix::CrlReason>,
}

/// CertStatus.
#[derive(Clone, Debug, PartialEq, Eq, Choice)]
pub enum CertStatus {
    /// Not revoked.
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT")]
    Good(Null),
    /// Revoked (or on hold).
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", constructed = "true")]
    Revoked(RevokedInfo),
    /// The responder does not know the certificate.
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT")]
    Unknown(Null),
}

/// SingleResponse.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct SingleResponse {
    /// The certificate, as asked.
    pub cert_id: CertId,
    /// Its status.
    pub cert_status: CertStatus,
    /// When the status was known to be correct.
    pub this_update: GeneralizedTime,
    /// When newer information will be available.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub next_update: Option<GeneralizedTime>,
    /// Per-response extensions (none made here).
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub single_extensions: Option<Vec<Extension>>,
}

/// ResponseData.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct ResponseData {
    /// v1 (0), the default, left out when encoding.
    #[asn1(
        context_specific = "0",
        tag_mode = "EXPLICIT",
        default = "Default::default"
    )]
    pub version: u8,
    /// Who signed.
    pub responder_id: ResponderId,
    /// When the response was signed.
    pub produced_at: GeneralizedTime,
    /// One answer per certificate asked about.
    pub responses: Vec<SingleResponse>,
    /// The response's extensions (the nonce, echoed).
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub response_extensions: Option<Vec<Extension>>,
}

/// BasicOCSPResponse.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct BasicOcspResponse {
    /// What is signed.
    pub tbs_response_data: ResponseData,
    /// The signature's algorithm.
    pub signature_algorithm: AlgorithmIdentifierOwned,
    /// The signature.
    pub signature: BitString,
    /// The responder's certificate, so that a client can check the delegation.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub certs: Option<Vec<Certificate>>,
}
