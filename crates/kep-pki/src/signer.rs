//! The one signer abstraction of the project: something that knows its algorithm and public key
//! and signs a digest the host computed. Software GOST keys (kep-gost) implement it here; tokens
//! (PKCS#11) implement it in kep-token. Requests, certificates, CRLs and CMS are all signed
//! through it.

use crate::oids;
use const_oid::ObjectIdentifier;
use kep_gost::KeySize;

/// The signature algorithms of this project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// GOST R 34.10-2012 with Streebog-256 (qualified certificates).
    Gost2012_256,
    /// GOST R 34.10-2012 with Streebog-512.
    Gost2012_512,
    /// ECDSA P-256 with SHA-256: a clearly non-qualified fallback for tokens without GOST (the
    /// demo token).
    EcdsaP256Sha256,
}

impl SignatureAlgorithm {
    /// The signature algorithm OID (AlgorithmIdentifier of certificates, requests, CRLs).
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            SignatureAlgorithm::Gost2012_256 => KeySize::Bits256.signature_oid(),
            SignatureAlgorithm::Gost2012_512 => KeySize::Bits512.signature_oid(),
            SignatureAlgorithm::EcdsaP256Sha256 => oids::ECDSA_WITH_SHA256,
        }
    }

    /// The algorithm a signature AlgorithmIdentifier names.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        [
            SignatureAlgorithm::Gost2012_256,
            SignatureAlgorithm::Gost2012_512,
            SignatureAlgorithm::EcdsaP256Sha256,
        ]
        .into_iter()
        .find(|a| a.oid() == *oid)
    }

    /// Whether this is a GOST algorithm (the only ones a qualified certificate may use).
    pub fn is_gost(self) -> bool {
        !matches!(self, SignatureAlgorithm::EcdsaP256Sha256)
    }

    /// The digest the signer signs: Streebog of the key's size, or SHA-256, in the hash's own
    /// output order.
    pub fn digest(self, message: &[u8]) -> Vec<u8> {
        match self {
            SignatureAlgorithm::Gost2012_256 => {
                kep_gost::streebog_digest(KeySize::Bits256, message)
            }
            SignatureAlgorithm::Gost2012_512 => {
                kep_gost::streebog_digest(KeySize::Bits512, message)
            }
            SignatureAlgorithm::EcdsaP256Sha256 => {
                ring::digest::digest(&ring::digest::SHA256, message)
                    .as_ref()
                    .to_vec()
            }
        }
    }
}

/// Why a signer could not sign.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The key is not usable (e.g. a token that was pulled out, a locked PIN).
    #[error("the signing key is unavailable: {0}")]
    KeyUnavailable(String),
    /// The device or library refused the operation.
    #[error("signing failed: {0}")]
    Failed(String),
}

/// A key that signs host-computed digests.
pub trait KeySigner: Send + Sync {
    /// The signature algorithm.
    fn algorithm(&self) -> SignatureAlgorithm;

    /// The public key as a DER SubjectPublicKeyInfo.
    fn public_key_info(&self) -> &[u8];

    /// Signs `digest` (computed with `algorithm().digest`). Returns the signature value exactly
    /// as it goes into a certificate's BIT STRING: s‖r for GOST, a DER Ecdsa-Sig-Value for ECDSA.
    fn sign_digest(&self, digest: &[u8]) -> Result<Vec<u8>, SignError>;

    /// Hashes `message` and signs the digest.
    fn sign_message(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        self.sign_digest(&self.algorithm().digest(message))
    }
}

/// A GOST key held in memory (the computer key store, the CA's own keys in tests and the demo).
#[derive(Debug)]
pub struct SoftwareGostSigner {
    key: kep_gost::SigningKey,
    spki: Vec<u8>,
}

impl SoftwareGostSigner {
    /// Wraps a kep-gost key.
    pub fn new(key: kep_gost::SigningKey) -> Result<Self, kep_gost::Error> {
        let spki = key.verifying_key().to_public_key_der()?;
        Ok(Self { key, spki })
    }

    /// The wrapped key.
    pub fn key(&self) -> &kep_gost::SigningKey {
        &self.key
    }
}

impl KeySigner for SoftwareGostSigner {
    fn algorithm(&self) -> SignatureAlgorithm {
        match self.key.key_size() {
            KeySize::Bits256 => SignatureAlgorithm::Gost2012_256,
            KeySize::Bits512 => SignatureAlgorithm::Gost2012_512,
        }
    }

    fn public_key_info(&self) -> &[u8] {
        &self.spki
    }

    fn sign_digest(&self, digest: &[u8]) -> Result<Vec<u8>, SignError> {
        // Hedge the nonce with fresh OS randomness; kep-gost mixes in the key and the digest.
        let mut entropy = zeroize::Zeroizing::new([0u8; 64]);
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), entropy.as_mut())
            .map_err(|_| SignError::Failed("the OS random number generator failed".into()))?;
        self.key
            .sign_digest_bytes(digest, entropy.as_ref())
            .map(|s| s.as_bytes().to_vec())
            .map_err(|e| SignError::Failed(e.to_string()))
    }
}
