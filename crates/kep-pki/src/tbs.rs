//! The certificate structure as we write it (RFC 5280 §4.1). x509-cert keeps its
//! TbsCertificate's fields private outside its `hazmat` feature, so certificates are encoded
//! from this mirror and read back with x509-cert.

use der::Sequence;
use der::asn1::BitString;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Validity;

/// TBSCertificate, version 3.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct TbsCertificate {
    /// v3 = 2.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    pub version: u8,
    pub serial_number: SerialNumber,
    pub signature: AlgorithmIdentifierOwned,
    pub issuer: Name,
    pub validity: Validity,
    pub subject: Name,
    pub subject_public_key_info: SubjectPublicKeyInfoOwned,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    pub extensions: Option<Vec<Extension>>,
}

/// Certificate.
#[derive(Clone, Debug, Sequence)]
pub(crate) struct CertificateOut {
    pub tbs_certificate: TbsCertificate,
    pub signature_algorithm: AlgorithmIdentifierOwned,
    pub signature: BitString,
}
