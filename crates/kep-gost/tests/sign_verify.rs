//! Sign → verify for random keys on every parameter set, and the rejections that matter:
//! one flipped bit of the message, the signature or the public key; out-of-range r and s.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use kep_gost::{Error, ParamSet, Signature, SigningKey, VerifyingKey};
use proptest::prelude::*;
use signature::hazmat::{PrehashSigner, PrehashVerifier};
use signature::{Keypair, RandomizedSigner, Signer, Verifier};

/// A seeded RNG for tests (SplitMix64). Real callers pass a CSPRNG.
struct TestRng(u64);

impl rand_core::TryRng for TestRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(self.try_next_u64()? as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Ok(z ^ (z >> 31))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(8) {
            let v = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        Ok(())
    }
}
impl rand_core::TryCryptoRng for TestRng {}

fn flip(bytes: &[u8], bit: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let bit = bit % (out.len() * 8);
    out[bit / 8] ^= 1 << (bit % 8);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn sign_then_verify_on_every_param_set(seed in any::<u64>(), message in proptest::collection::vec(any::<u8>(), 0..200), bit in any::<usize>()) {
        let mut rng = TestRng(seed);
        for param_set in ParamSet::ALL {
            let key = SigningKey::generate(param_set, &mut rng).unwrap();
            let public = key.verifying_key().clone();
            let signature = key.try_sign_with_rng(&mut rng, &message).unwrap();
            prop_assert!(public.verify(&message, &signature).is_ok());

            // One flipped bit anywhere is rejected.
            let bad_message = flip(&message.iter().copied().chain([0]).collect::<Vec<_>>(), bit);
            prop_assert!(public.verify(&bad_message, &signature).is_err());
            let bad_signature = Signature::from_bytes(&flip(signature.as_bytes(), bit)).unwrap();
            prop_assert!(public.verify(&message, &bad_signature).is_err());
            match VerifyingKey::from_bytes(param_set, &flip(public.as_bytes(), bit)) {
                Err(Error::PointNotOnCurve) => {}
                Ok(other) => prop_assert!(other.verify(&message, &signature).is_err()),
                Err(e) => prop_assert!(false, "unexpected error {e:?}"),
            }
        }
    }
}

#[test]
fn deterministic_and_hedged_signatures_both_verify() {
    let mut rng = TestRng(7);
    let key = SigningKey::generate(ParamSet::CryptoProA, &mut rng).unwrap();
    let a = key.try_sign(b"statement").unwrap();
    let b = key.try_sign(b"statement").unwrap();
    assert_eq!(
        a, b,
        "without randomness the nonce is a function of key and message"
    );
    let c = key.try_sign_with_rng(&mut rng, b"statement").unwrap();
    assert_ne!(a, c, "with randomness each signature differs");
    let public = key.verifying_key();
    public.verify(b"statement", &a).unwrap();
    public.verify(b"statement", &c).unwrap();
}

#[test]
fn prehash_traits_sign_a_host_digest() {
    let mut rng = TestRng(11);
    for param_set in [ParamSet::CryptoProA, ParamSet::Tc26_512A] {
        let key = SigningKey::generate(param_set, &mut rng).unwrap();
        let digest = kep_gost::streebog_digest(param_set.key_size(), b"document");
        let signature = key.sign_prehash(&digest).unwrap();
        key.verifying_key()
            .verify_prehash(&digest, &signature)
            .unwrap();
        // The same as signing the message itself.
        key.verifying_key().verify(b"document", &signature).unwrap();
        // A digest of the wrong size is refused, not truncated.
        assert!(key.sign_prehash(&digest[..16]).is_err());
        assert_eq!(key.verifying_key(), &Keypair::verifying_key(&key));
    }
}

#[test]
fn out_of_range_components_are_refused() {
    let mut rng = TestRng(3);
    let key = SigningKey::generate(ParamSet::CryptoProA, &mut rng).unwrap();
    let public = key.verifying_key();
    let digest = kep_gost::streebog_digest(key.key_size(), b"x");
    let zero = Signature::from_bytes(&[0u8; 64]).unwrap();
    assert_eq!(
        public.verify_digest_bytes(&digest, &zero),
        Err(Error::SignatureOutOfRange)
    );
    let max = Signature::from_bytes(&[0xFFu8; 64]).unwrap();
    assert_eq!(
        public.verify_digest_bytes(&digest, &max),
        Err(Error::SignatureOutOfRange)
    );
    assert!(Signature::from_bytes(&[1u8; 63]).is_err());
    // A 512-bit signature against a 256-bit key.
    let long = Signature::from_bytes(&[1u8; 128]).unwrap();
    assert!(public.verify_digest_bytes(&digest, &long).is_err());
}

#[test]
fn private_keys_out_of_range_are_refused() {
    assert_eq!(
        SigningKey::from_bytes(ParamSet::CryptoProA, &[0u8; 32]).unwrap_err(),
        Error::PrivateKeyOutOfRange
    );
    assert_eq!(
        SigningKey::from_bytes(ParamSet::CryptoProA, &[0xFFu8; 32]).unwrap_err(),
        Error::PrivateKeyOutOfRange
    );
    assert!(matches!(
        SigningKey::from_bytes(ParamSet::CryptoProA, &[1u8; 31]),
        Err(Error::Length { .. })
    ));
    let key = SigningKey::from_bytes(ParamSet::CryptoProA, &[1u8; 32]).unwrap();
    assert!(
        !format!("{key:?}").contains("0101"),
        "Debug must not show the secret"
    );
}
