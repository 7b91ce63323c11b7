//! The hedged nonce: k is derived from the caller's randomness *and* an HMAC-Streebog-512 of the
//! private key and the digest. A good RNG makes k unpredictable as usual; a broken or repeating
//! RNG still gives a distinct k for every (key, digest) pair, so it cannot leak the key the way a
//! repeated nonce does. With no randomness at all the nonce is deterministic (in the spirit of
//! RFC 6979), which is just as safe.

use hmac::{KeyInit, Mac, SimpleHmac};
use streebog::Streebog512;
use zeroize::Zeroizing;

/// Separates this use of the key from any other HMAC keyed by it.
const DOMAIN: &[u8] = b"kep-gost/hedged-nonce/v1";

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
        // A 64-byte key is within Streebog's block size, so `new_from_slice` cannot fail.
        let Ok(mut mac) = <SimpleHmac<Streebog512> as KeyInit>::new_from_slice(d_be) else {
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
    fn hmac_streebog_matches_rfc_7836() {
        // RFC 7836 §4.1.1 / domain.md §4: HMAC-Streebog-256.
        let key: Vec<u8> = (0u8..32).collect();
        let msg = hex::decode("0126bdb87800af214341456563780100").unwrap();
        let mut mac = <SimpleHmac<streebog::Streebog256> as KeyInit>::new_from_slice(&key).unwrap();
        mac.update(&msg);
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "a1aa5f7de402d7b3d323f2991c8d4534013137010a83754fd0af6d7cd4922ed9"
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
