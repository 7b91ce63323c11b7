//! The hedged nonce: k is derived from the caller's randomness *and* an HMAC-SHA-512 of the
//! private key and the digest. A good RNG makes k unpredictable as usual; a broken or repeating
//! RNG still gives a distinct k for every (key, digest) pair, so it cannot leak the key the way a
//! repeated nonce does. With no randomness at all the nonce is deterministic (in the spirit of
//! RFC 6979), which is just as safe.
//!
//! SHA-512, not Streebog: the `streebog` crate computes with tables indexed by its state, which
//! here is keyed by d — a cache-timing channel on the private key. SHA-512 uses no
//! secret-indexed table (the constant-time check under valgrind covers this path).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha512;
use zeroize::Zeroizing;

/// Separates this use of the key from any other HMAC keyed by it (v1 was HMAC-Streebog-512).
const DOMAIN: &[u8] = b"kep-gost/hedged-nonce/v2";

/// 2·width bytes of nonce material for attempt `counter`, from the private key (big-endian),
/// e (big-endian) and `entropy` (any length, may be empty).
pub(crate) fn nonce_material(
    d_be: &[u8],
    e_be: &[u8],
    entropy: &[u8],
    counter: u32,
    width: usize,
) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(2 * width));
    let mut block: u8 = 0;
    while out.len() < 2 * width {
        // HMAC takes a key of any length, so `new_from_slice` cannot fail.
        let Ok(mut mac) = <Hmac<Sha512> as KeyInit>::new_from_slice(d_be) else {
            break;
        };
        mac.update(DOMAIN);
        mac.update(&(entropy.len() as u64).to_be_bytes());
        mac.update(entropy);
        mac.update(e_be);
        mac.update(&counter.to_be_bytes());
        mac.update(&[block]);
        out.extend_from_slice(&mac.finalize().into_bytes());
        block = block.wrapping_add(1);
    }
    out.truncate(2 * width);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_sha512_matches_rfc_4231() {
        // RFC 4231 test case 2.
        let mut mac = <Hmac<Sha512> as KeyInit>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        );
    }

    #[test]
    fn material_depends_on_every_input() {
        let base = nonce_material(&[1; 32], &[2; 32], &[3; 16], 0, 32);
        assert_eq!(base.len(), 64);
        assert_ne!(*base, *nonce_material(&[9; 32], &[2; 32], &[3; 16], 0, 32));
        assert_ne!(*base, *nonce_material(&[1; 32], &[9; 32], &[3; 16], 0, 32));
        assert_ne!(*base, *nonce_material(&[1; 32], &[2; 32], &[9; 16], 0, 32));
        assert_ne!(*base, *nonce_material(&[1; 32], &[2; 32], &[3; 16], 1, 32));
        assert_eq!(*base, *nonce_material(&[1; 32], &[2; 32], &[3; 16], 0, 32));
        assert_eq!(nonce_material(&[1; 64], &[2; 64], &[], 0, 64).len(), 128);
    }
}
