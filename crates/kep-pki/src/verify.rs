//! Checking a signature made by anyone: GOST R 34.10-2012 (kep-gost) or ECDSA P-256 (ring),
//! from the signer's SubjectPublicKeyInfo and the signature AlgorithmIdentifier.

use crate::oids;
use crate::signer::SignatureAlgorithm;
use der::Decode;
use der::asn1::AnyRef;
use spki::{AlgorithmIdentifier, SubjectPublicKeyInfoRef};

/// Why a signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The signature algorithm is not one this project verifies.
    #[error("unsupported signature algorithm {0}")]
    UnsupportedAlgorithm(String),
    /// The signature AlgorithmIdentifier carries parameters other than absent or NULL.
    #[error("unexpected signature algorithm parameters")]
    UnexpectedParameters,
    /// The public key is malformed, or of another algorithm or size than the signature.
    #[error("the public key does not fit the signature algorithm: {0}")]
    KeyMismatch(String),
    /// The signature does not verify.
    #[error("the signature does not verify")]
    BadSignature,
}

/// Verifies `signature` over `message` with the key in `spki_der`, for the signature algorithm
/// `algorithm`. GOST parameters may be absent (RFC 9215) or NULL (OpenSSL); both are accepted.
pub fn verify_signature(
    spki_der: &[u8],
    algorithm: &AlgorithmIdentifier<AnyRef<'_>>,
    message: &[u8],
    signature: &[u8],
) -> Result<SignatureAlgorithm, VerifyError> {
    let alg = SignatureAlgorithm::from_oid(&algorithm.oid)
        .ok_or_else(|| VerifyError::UnsupportedAlgorithm(algorithm.oid.to_string()))?;
    if algorithm.parameters.as_ref().is_some_and(|p| !p.is_null()) {
        return Err(VerifyError::UnexpectedParameters);
    }
    match alg {
        SignatureAlgorithm::Gost2012_256 | SignatureAlgorithm::Gost2012_512 => {
            let key = kep_gost::VerifyingKey::from_public_key_der(spki_der)
                .map_err(|e| VerifyError::KeyMismatch(e.to_string()))?;
            let expected = match alg {
                SignatureAlgorithm::Gost2012_256 => kep_gost::KeySize::Bits256,
                _ => kep_gost::KeySize::Bits512,
            };
            if key.key_size() != expected {
                return Err(VerifyError::KeyMismatch("GOST key of another size".into()));
            }
            let signature = kep_gost::Signature::from_bytes(signature)
                .map_err(|_| VerifyError::BadSignature)?;
            key.verify_message(message, &signature)
                .map_err(|_| VerifyError::BadSignature)?;
        }
        SignatureAlgorithm::EcdsaP256Sha256 => {
            let spki = SubjectPublicKeyInfoRef::from_der(spki_der)
                .map_err(|e| VerifyError::KeyMismatch(e.to_string()))?;
            let curve = spki
                .algorithm
                .parameters
                .and_then(|p| p.decode_as::<const_oid::ObjectIdentifier>().ok());
            if spki.algorithm.oid != oids::EC_PUBLIC_KEY || curve != Some(oids::SECP256R1) {
                return Err(VerifyError::KeyMismatch("not a P-256 key".into()));
            }
            let point = spki
                .subject_public_key
                .as_bytes()
                .ok_or_else(|| VerifyError::KeyMismatch("unaligned key bits".into()))?;
            ring::signature::UnparsedPublicKey::new(
                &ring::signature::ECDSA_P256_SHA256_ASN1,
                point,
            )
            .verify(message, signature)
            .map_err(|_| VerifyError::BadSignature)?;
        }
    }
    Ok(alg)
}

/// The signature AlgorithmIdentifier written for `alg`: parameters absent for GOST (RFC 9215)
/// and for ECDSA (RFC 5758).
pub fn signature_algorithm_identifier(alg: SignatureAlgorithm) -> spki::AlgorithmIdentifierOwned {
    spki::AlgorithmIdentifierOwned {
        oid: alg.oid(),
        parameters: None,
    }
}
