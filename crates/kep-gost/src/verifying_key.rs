//! The public key: a validated point and the parameter set it was given with.

use crate::error::{Error, Result};
use crate::ops;
use crate::param_set::{KeySize, ParamSet, with_curve};
use crate::signature::Signature;
use crate::streebog_digest;
use signature::hazmat::PrehashVerifier;

/// A public key. Construction validates the point (on the curve, not the identity, in the
/// prime-order subgroup), so every value of this type is usable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyingKey {
    param_set: ParamSet,
    /// x‖y, little-endian.
    xy: Vec<u8>,
}

impl VerifyingKey {
    /// A public key from its raw form x‖y (little-endian, as in the SPKI's OCTET STRING).
    pub fn from_bytes(param_set: ParamSet, xy: &[u8]) -> Result<Self> {
        with_curve!(param_set, |c| ops::public_point(c, xy).map(|_| ()))?;
        Ok(Self {
            param_set,
            xy: xy.to_vec(),
        })
    }

    /// A key derived here from a private scalar (d·G is in the subgroup by construction).
    pub(crate) fn from_derived(param_set: ParamSet, xy: Vec<u8>) -> Self {
        Self { param_set, xy }
    }

    /// x‖y, little-endian (64 or 128 bytes).
    pub fn as_bytes(&self) -> &[u8] {
        &self.xy
    }

    /// The parameter set, as the key was given it (aliases are kept).
    pub fn param_set(&self) -> ParamSet {
        self.param_set
    }

    /// 256 or 512 bits.
    pub fn key_size(&self) -> KeySize {
        self.param_set.key_size()
    }

    /// Verifies a signature over a digest computed elsewhere (Streebog of the key's size, in
    /// the byte order the hash outputs it).
    pub fn verify_digest_bytes(&self, digest: &[u8], signature: &Signature) -> Result<()> {
        if signature.key_size() != self.key_size() {
            return Err(Error::Length {
                expected: 2 * self.key_size().bytes(),
                actual: signature.as_bytes().len(),
            });
        }
        with_curve!(self.param_set, |c| {
            // Fully validated when this key was made; only decode here.
            let point = ops::decode_point(c, &self.xy)?;
            let e = ops::digest_to_e(c, digest)?;
            ops::verify(c, &point, &e, signature.as_bytes())
        })
    }

    /// Verifies a signature over a message (hashed here with the key size's Streebog).
    pub fn verify_message(&self, message: &[u8], signature: &Signature) -> Result<()> {
        self.verify_digest_bytes(&streebog_digest(self.key_size(), message), signature)
    }
}

impl signature::Verifier<Signature> for VerifyingKey {
    fn verify(&self, msg: &[u8], signature: &Signature) -> signature::Result<()> {
        Ok(self.verify_message(msg, signature)?)
    }
}

impl PrehashVerifier<Signature> for VerifyingKey {
    fn verify_prehash(&self, prehash: &[u8], signature: &Signature) -> signature::Result<()> {
        Ok(self.verify_digest_bytes(prehash, signature)?)
    }
}
