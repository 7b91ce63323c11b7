//! PKCS#10 certificate requests: built from the requisites and a signer (the app, stage 4), and
//! parsed and verified whoever made them (the CA).

use crate::error::PkiError;
use crate::extensions::{self, parse_subject_sign_tool};
use crate::requisites::Requisites;
use crate::signer::{KeySigner, SignatureAlgorithm};
use crate::subject::subject_name;
use crate::verify::{signature_algorithm_identifier, verify_signature};
use const_oid::AssociatedOid;
use der::asn1::{AnyRef, BitString, SetOfVec};
use der::{Decode, Encode};
use spki::{AlgorithmIdentifier, SubjectPublicKeyInfoOwned};
use x509_cert::attr::Attribute;
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::request::{CertReq, CertReqInfo, ExtensionReq, Version};

/// Builds and signs a request for `requisites` with `signer`'s key, optionally naming the
/// owner's crypto tool (subjectSignTool) in its extensionRequest. Returns the DER.
pub fn build_request(
    requisites: &Requisites,
    signer: &dyn KeySigner,
    subject_sign_tool: Option<&str>,
) -> Result<Vec<u8>, PkiError> {
    let requested = subject_sign_tool
        .map(extensions::subject_sign_tool)
        .transpose()?
        .into_iter()
        .collect();
    build_named_request(subject_name(requisites)?, signer, requested)
}

/// Builds and signs a request for `subject` with `signer`'s key, asking for `requested`
/// extensions (none: no extensionRequest). A subordinate CA's request in the key ceremony.
pub fn build_named_request(
    subject: Name,
    signer: &dyn KeySigner,
    requested: Vec<Extension>,
) -> Result<Vec<u8>, PkiError> {
    let mut attributes = SetOfVec::new();
    if !requested.is_empty() {
        attributes.insert(Attribute::try_from(ExtensionReq(requested))?)?;
    }
    let info = CertReqInfo {
        version: Version::V1,
        subject,
        public_key: SubjectPublicKeyInfoOwned::from_der(signer.public_key_info())?,
        attributes,
    };
    let tbs = info.to_der()?;
    let signature = signer.sign_message(&tbs)?;
    let request = CertReq {
        info,
        algorithm: signature_algorithm_identifier(signer.algorithm()),
        signature: BitString::from_bytes(&signature)?,
    };
    Ok(request.to_der()?)
}

/// A request whose self-signature verified. Its subject is what the requester *claims*; the CA
/// issues from the requisites it approved, never from this.
#[derive(Debug, Clone)]
pub struct VerifiedRequest {
    /// The request's DER, as received.
    pub der: Vec<u8>,
    /// The claimed subject.
    pub subject: Name,
    /// The public key, DER SubjectPublicKeyInfo.
    pub public_key_info: Vec<u8>,
    /// The algorithm it was signed with (and the key's algorithm).
    pub algorithm: SignatureAlgorithm,
    /// The requester's crypto tool, from the extensionRequest.
    pub subject_sign_tool: Option<String>,
    /// Every requested extension, as sent.
    pub requested_extensions: Vec<Extension>,
}

/// Parses a request made by anyone and verifies its signature with its own key.
pub fn verify_request(der: &[u8]) -> Result<VerifiedRequest, PkiError> {
    let request = CertReq::from_der(der)?;
    let spki = request.info.public_key.to_der()?;
    let tbs = request.info.to_der()?;
    let signature = request
        .signature
        .as_bytes()
        .ok_or_else(|| PkiError::Profile("the signature is not a whole number of bytes".into()))?;
    let algorithm = AlgorithmIdentifier {
        oid: request.algorithm.oid,
        parameters: request.algorithm.parameters.as_ref().map(AnyRef::from),
    };
    let algorithm = verify_signature(&spki, &algorithm, &tbs, signature)?;

    let mut requested_extensions = Vec::new();
    for attribute in request.info.attributes.iter() {
        if attribute.oid == ExtensionReq::OID {
            for value in attribute.values.iter() {
                requested_extensions.extend(value.decode_as::<ExtensionReq>()?.0);
            }
        }
    }
    let mut tools = requested_extensions
        .iter()
        .filter(|e| e.extn_id == crate::oids::SUBJECT_SIGN_TOOL);
    let subject_sign_tool = tools
        .next()
        .map(|e| parse_subject_sign_tool(e.extn_value.as_bytes()))
        .transpose()?;
    if tools.next().is_some() {
        return Err(PkiError::Profile(
            "subjectSignTool is requested twice".into(),
        ));
    }
    Ok(VerifiedRequest {
        der: der.to_vec(),
        subject: request.info.subject,
        public_key_info: spki,
        algorithm,
        subject_sign_tool,
        requested_extensions,
    })
}
