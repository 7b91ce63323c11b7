//! Secrets the service must keep and read back (operators' TOTP secrets) are sealed before
//! they reach the database: AES-256-GCM under a key derived (HKDF-SHA256) from the service's
//! `login_code_key`, the same on every instance. A database dump alone does not give away a
//! second factor.

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hkdf::{HKDF_SHA256, Salt};
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

/// Why a sealed secret does not open.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    /// Altered, or sealed under another key (another `login_code_key`).
    #[error("a sealed secret does not open: altered, or sealed under another login_code_key")]
    Broken,
    /// The OS random number generator failed.
    #[error("the OS random number generator failed")]
    Randomness,
    /// The key could not be derived.
    #[error("the sealing key could not be derived")]
    Key,
}

/// The sealing key.
pub struct SecretSeal {
    key: LessSafeKey,
    rng: SystemRandom,
}

impl std::fmt::Debug for SecretSeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretSeal(***)")
    }
}

/// What the derived key is for (HKDF's info): another use of the same master gets another key.
const PURPOSE: &[u8] = b"kep-ca sealed operator secrets v1";

impl SecretSeal {
    /// The seal derived from `master` (the service's login code key).
    pub fn derive(master: &[u8]) -> Result<Self, SealError> {
        struct Len;
        impl ring::hkdf::KeyType for Len {
            fn len(&self) -> usize {
                32
            }
        }
        let mut bytes = Zeroizing::new([0u8; 32]);
        Salt::new(HKDF_SHA256, b"kep-ca")
            .extract(master)
            .expand(&[PURPOSE], Len)
            .and_then(|okm| okm.fill(&mut bytes[..]))
            .map_err(|_| SealError::Key)?;
        let key = UnboundKey::new(&AES_256_GCM, &bytes[..]).map_err(|_| SealError::Key)?;
        Ok(Self {
            key: LessSafeKey::new(key),
            rng: SystemRandom::new(),
        })
    }

    /// Seals `plain`: nonce ‖ ciphertext ‖ tag.
    pub fn seal(&self, plain: &[u8]) -> Result<Vec<u8>, SealError> {
        let mut nonce = [0u8; NONCE_LEN];
        self.rng
            .fill(&mut nonce)
            .map_err(|_| SealError::Randomness)?;
        let mut out = plain.to_vec();
        self.key
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut out)
            .map_err(|_| SealError::Randomness)?;
        let mut sealed = nonce.to_vec();
        sealed.extend_from_slice(&out);
        Ok(sealed)
    }

    /// Opens what [`seal`](Self::seal) made.
    pub fn open(&self, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, SealError> {
        let (nonce, body) = sealed
            .split_at_checked(NONCE_LEN)
            .ok_or(SealError::Broken)?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| SealError::Broken)?;
        let mut body = Zeroizing::new(body.to_vec());
        let plain = self
            .key
            .open_in_place(nonce, Aad::empty(), &mut body)
            .map_err(|_| SealError::Broken)?
            .to_vec();
        Ok(Zeroizing::new(plain))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_under_the_same_key_only() {
        let seal = SecretSeal::derive(b"0123456789abcdef0123456789abcdef").unwrap();
        let sealed = seal.seal(b"a TOTP secret").unwrap();
        assert_ne!(&sealed[NONCE_LEN..], b"a TOTP secret".as_slice());
        assert_eq!(seal.open(&sealed).unwrap().as_slice(), b"a TOTP secret");
        // Fresh nonces: the same secret seals differently.
        assert_ne!(seal.seal(b"a TOTP secret").unwrap(), sealed);
        let other = SecretSeal::derive(b"another login code key, 32 chars").unwrap();
        assert!(matches!(other.open(&sealed), Err(SealError::Broken)));
        let mut altered = sealed.clone();
        altered[NONCE_LEN] ^= 1;
        assert!(matches!(seal.open(&altered), Err(SealError::Broken)));
        assert!(matches!(seal.open(&sealed[..5]), Err(SealError::Broken)));
    }
}
