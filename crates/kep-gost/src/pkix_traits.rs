//! The `spki` traits through which `x509-cert`'s builders (certificates, requests, CRLs) and
//! `cms` use a key: its algorithm identifiers, its SubjectPublicKeyInfo, its signature as a BIT
//! STRING.

use crate::param_set::KeySize;
use crate::signature::Signature;
use crate::signing_key::SigningKey;
use crate::verifying_key::VerifyingKey;
use der::asn1::BitString;
use spki::{
    AlgorithmIdentifierOwned, Document, DynAssociatedAlgorithmIdentifier,
    DynSignatureAlgorithmIdentifier, EncodePublicKey, SignatureBitStringEncoding,
};

/// The signature algorithm of a key size, parameters absent as RFC 9215 writes them (OpenSSL
/// writes NULL; verifiers accept both).
pub(crate) fn signature_algorithm(size: KeySize) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: size.signature_oid(),
        parameters: None,
    }
}

impl DynSignatureAlgorithmIdentifier for SigningKey {
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        Ok(signature_algorithm(self.key_size()))
    }
}

impl DynSignatureAlgorithmIdentifier for VerifyingKey {
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        Ok(signature_algorithm(self.key_size()))
    }
}

impl DynAssociatedAlgorithmIdentifier for VerifyingKey {
    fn algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        let der = VerifyingKey::to_public_key_der(self).map_err(|_| spki::Error::KeyMalformed)?;
        let spki = spki::SubjectPublicKeyInfoOwned::try_from(der.as_slice())?;
        Ok(spki.algorithm)
    }
}

impl EncodePublicKey for VerifyingKey {
    fn to_public_key_der(&self) -> spki::Result<Document> {
        let der = VerifyingKey::to_public_key_der(self).map_err(|_| spki::Error::KeyMalformed)?;
        Ok(Document::try_from(der)?)
    }
}

impl SignatureBitStringEncoding for Signature {
    fn to_bitstring(&self) -> der::Result<BitString> {
        BitString::from_bytes(self.as_bytes())
    }
}
