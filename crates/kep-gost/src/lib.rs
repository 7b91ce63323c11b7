//! GOST R 34.10-2012 digital signatures with GOST R 34.11-2012 (Streebog), in pure Rust.
//!
//! * Every parameter set of the standard: the CryptoPro sets (A, B, C, XchA, XchB and the test
//!   set), TC26-256-B/C/D, TC26-512 A, B and the test set, and the cofactor-4 TC26-256-A and
//!   TC26-512-C, which compute on their twisted-Edwards form.
//! * Constant-time wherever a secret is involved: complete formulas (Renes–Costello–Batina on
//!   the Weierstrass curves, Edwards addition on the cofactor-4 ones) and a fixed-window
//!   scalar multiplication over constant-time field arithmetic (pseudo-Mersenne limbs for
//!   2²⁵⁶ − 617 and 2⁵¹² − 569, `crypto-bigint`'s Montgomery form otherwise), checked under
//!   valgrind by the kep-gost-ct crate; `declassify` lists where values become public.
//! * Hedged nonces: randomness from the caller *and* HMAC-SHA-512 of key and digest.
//! * The RustCrypto `signature` traits, including the prehash ones.
//!
//! ```
//! use kep_gost::{ParamSet, SigningKey};
//! # struct Rng(u64);
//! # impl rand_core::TryRng for Rng {
//! #     type Error = core::convert::Infallible;
//! #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(self.try_next_u64()? as u32) }
//! #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
//! #         self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
//! #         Ok(self.0 ^ (self.0 >> 29))
//! #     }
//! #     fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
//! #         for b in dst { *b = self.try_next_u64()? as u8; } Ok(())
//! #     }
//! # }
//! # impl rand_core::TryCryptoRng for Rng {}
//! # let mut rng = Rng(1); // use a real CSPRNG
//! let key = SigningKey::generate(ParamSet::CryptoProA, &mut rng)?;
//! let signature = key.sign_message_with_rng(&mut rng, b"statement.pdf bytes")?;
//! key.verifying_key().verify_message(b"statement.pdf bytes", &signature)?;
//! # Ok::<(), kep_gost::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod curves;
#[cfg(not(feature = "ct-check"))]
mod declassify;
/// Where secret-derived values become public (and the checker's hook).
#[cfg(feature = "ct-check")]
pub mod declassify;
mod edwards;
mod encoding;
mod error;
mod field;
mod fixed_base;
mod fraction_x;
mod jacobian;
mod nonce;
mod ops;
mod param_set;
mod pkix_traits;
mod point;
mod pseudo_mersenne;
mod signature;
mod signing_key;
mod verifying_key;

#[cfg(test)]
mod standard_vectors;

pub use crate::error::{Error, Result};
pub use crate::param_set::{
    KeySize, OID_GOST_2012_256, OID_GOST_2012_512, OID_SIGN_WITH_STREEBOG_256,
    OID_SIGN_WITH_STREEBOG_512, OID_STREEBOG_256, OID_STREEBOG_512, ParamSet,
};
pub use crate::signature::Signature;
pub use crate::signing_key::SigningKey;
pub use crate::verifying_key::VerifyingKey;

/// Streebog of `message`, of the size that goes with `key_size`, in the hash's output order.
pub fn streebog_digest(key_size: KeySize, message: &[u8]) -> Vec<u8> {
    let mut hasher = StreebogHasher::new(key_size);
    hasher.update(message);
    hasher.finalize()
}

/// Streebog computed piece by piece, for content too large to hold (a file hashed as it is
/// read); the same digest as [`streebog_digest`] over the pieces joined.
#[derive(Clone)]
pub enum StreebogHasher {
    /// Streebog-256.
    Bits256(streebog::Streebog256),
    /// Streebog-512.
    Bits512(streebog::Streebog512),
}

impl std::fmt::Debug for StreebogHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StreebogHasher::Bits256(_) => "StreebogHasher(256)",
            StreebogHasher::Bits512(_) => "StreebogHasher(512)",
        })
    }
}

impl StreebogHasher {
    /// A hasher of the size that goes with `key_size`.
    pub fn new(key_size: KeySize) -> Self {
        use digest::Digest;
        match key_size {
            KeySize::Bits256 => StreebogHasher::Bits256(streebog::Streebog256::new()),
            KeySize::Bits512 => StreebogHasher::Bits512(streebog::Streebog512::new()),
        }
    }

    /// Adds the next piece.
    pub fn update(&mut self, piece: &[u8]) {
        use digest::Digest;
        match self {
            StreebogHasher::Bits256(h) => h.update(piece),
            StreebogHasher::Bits512(h) => h.update(piece),
        }
    }

    /// The digest, in the hash's output order.
    pub fn finalize(self) -> Vec<u8> {
        use digest::Digest;
        match self {
            StreebogHasher::Bits256(h) => h.finalize().to_vec(),
            StreebogHasher::Bits512(h) => h.finalize().to_vec(),
        }
    }
}

/// `npm run fuzz`: the pseudo-Mersenne field arithmetic compared with crypto-bigint's Montgomery
/// form on two 256-bit and two 512-bit integers from `data`; panics on any difference.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub fn fuzz_field_agreement(data: &[u8]) {
    field::agreement::on_bytes(data);
}

/// The README's example, compiled as a doctest so that it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
