//! The private key. Its scalar lives in a zeroizing buffer and never appears in `Debug`.

use crate::error::{Error, Result};
use crate::param_set::{KeySize, ParamSet, with_curve};
use crate::signature::Signature;
use crate::verifying_key::VerifyingKey;
use crate::{nonce, ops, streebog_digest};
use core::fmt;
use rand_core::TryCryptoRng;
use signature::hazmat::{PrehashSigner, RandomizedPrehashSigner};
use zeroize::Zeroizing;

/// Fresh randomness mixed into each nonce (the rest comes from the key and the digest).
const NONCE_ENTROPY_BYTES: usize = 64;
/// Attempts before giving up on a nonce with r = 0 or s = 0 (each has probability ≈ 2^-255).
const MAX_NONCE_ATTEMPTS: u32 = 64;

/// A private key with its public key.
#[derive(Clone)]
pub struct SigningKey {
    param_set: ParamSet,
    /// d, big-endian, 0 < d < q.
    d: Zeroizing<Vec<u8>>,
    verifying_key: VerifyingKey,
}

impl SigningKey {
    /// Generates a key pair with randomness from `rng` (the caller chooses the RNG: the app
    /// passes one that mixes the random-number sensor into the OS RNG).
    pub fn generate<R: TryCryptoRng + ?Sized>(param_set: ParamSet, rng: &mut R) -> Result<Self> {
        let width = param_set.key_size().bytes();
        let mut wide = Zeroizing::new(vec![0u8; 2 * width]);
        loop {
            rng.try_fill_bytes(&mut wide).map_err(|_| Error::Rng)?;
            let d = with_curve!(param_set, |c| {
                let d = ops::scalar_from_wide(c, &wide);
                Zeroizing::new(d.to_be_bytes().as_ref().to_vec())
            });
            match Self::from_bytes(param_set, &d) {
                Ok(key) => return Ok(key),
                // d = 0 has probability ≈ 2^-256: draw again.
                Err(Error::PrivateKeyOutOfRange) => continue,
                Err(other) => return Err(other),
            }
        }
    }

    /// A key from its scalar d, big-endian (32 or 64 bytes), 0 < d < q.
    pub fn from_bytes(param_set: ParamSet, d_be: &[u8]) -> Result<Self> {
        let xy = with_curve!(param_set, |c| {
            let d = ops::secret_scalar(c, d_be)?;
            ops::public_key(c, &d)
        });
        Ok(Self {
            param_set,
            d: Zeroizing::new(d_be.to_vec()),
            verifying_key: VerifyingKey::from_derived(param_set, xy),
        })
    }

    /// d, big-endian. Handle with care: this is the secret.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        self.d.clone()
    }

    /// The parameter set.
    pub fn param_set(&self) -> ParamSet {
        self.param_set
    }

    /// 256 or 512 bits.
    pub fn key_size(&self) -> KeySize {
        self.param_set.key_size()
    }

    /// The public key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.verifying_key
    }

    /// Signs a digest computed elsewhere (Streebog of the key's size, in the hash's output
    /// order), with a nonce hedged by `entropy` (may be empty: then deterministic).
    pub fn sign_digest_bytes(&self, digest: &[u8], entropy: &[u8]) -> Result<Signature> {
        let width = self.key_size().bytes();
        with_curve!(self.param_set, |c| {
            let d = ops::secret_scalar(c, &self.d)?;
            let e = ops::digest_to_e(c, digest)?;
            for counter in 0..MAX_NONCE_ATTEMPTS {
                let material = nonce::nonce_material(
                    &self.d,
                    e.to_be_bytes().as_ref(),
                    entropy,
                    counter,
                    width,
                );
                let k = ops::scalar_from_wide(c, &material);
                if let Some(sig) = ops::sign_with_nonce(c, &d, &e, &k) {
                    return Ok(Signature::from_vec_unchecked(sig));
                }
            }
            Err(Error::Rng)
        })
    }

    /// Signs a digest with a hedged nonce: randomness from `rng` and the key and digest.
    pub fn sign_digest_with_rng<R: TryCryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        digest: &[u8],
    ) -> Result<Signature> {
        let mut entropy = Zeroizing::new([0u8; NONCE_ENTROPY_BYTES]);
        rng.try_fill_bytes(entropy.as_mut())
            .map_err(|_| Error::Rng)?;
        self.sign_digest_bytes(digest, entropy.as_ref())
    }

    /// Signs a message (hashed here with the key size's Streebog) with a hedged nonce.
    pub fn sign_message_with_rng<R: TryCryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        message: &[u8],
    ) -> Result<Signature> {
        self.sign_digest_with_rng(rng, &streebog_digest(self.key_size(), message))
    }

    /// The standard's examples give k; this path exists only for those tests.
    #[cfg(test)]
    pub(crate) fn sign_digest_with_fixed_k(&self, digest: &[u8], k_be: &[u8]) -> Option<Signature> {
        with_curve!(self.param_set, |c| {
            let d = ops::secret_scalar(c, &self.d).ok()?;
            let e = ops::digest_to_e(c, digest).ok()?;
            let k = ops::secret_scalar(c, k_be).ok()?;
            ops::sign_with_nonce(c, &d, &e, &k).map(Signature::from_vec_unchecked)
        })
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("param_set", &self.param_set)
            .field("verifying_key", &self.verifying_key)
            .finish_non_exhaustive()
    }
}

impl signature::Keypair for SigningKey {
    type VerifyingKey = VerifyingKey;

    fn verifying_key(&self) -> VerifyingKey {
        self.verifying_key.clone()
    }
}

/// Deterministic signing (nonce from the key and the digest alone), for callers without an RNG.
impl signature::Signer<Signature> for SigningKey {
    fn try_sign(&self, msg: &[u8]) -> signature::Result<Signature> {
        Ok(self.sign_digest_bytes(&streebog_digest(self.key_size(), msg), &[])?)
    }
}

impl signature::RandomizedSigner<Signature> for SigningKey {
    fn try_sign_with_rng<R: TryCryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        msg: &[u8],
    ) -> signature::Result<Signature> {
        Ok(self.sign_message_with_rng(rng, msg)?)
    }
}

impl PrehashSigner<Signature> for SigningKey {
    fn sign_prehash(&self, prehash: &[u8]) -> signature::Result<Signature> {
        Ok(self.sign_digest_bytes(prehash, &[])?)
    }
}

impl RandomizedPrehashSigner<Signature> for SigningKey {
    fn sign_prehash_with_rng<R: TryCryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        prehash: &[u8],
    ) -> signature::Result<Signature> {
        Ok(self.sign_digest_with_rng(rng, prehash)?)
    }
}
