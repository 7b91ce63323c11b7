//! Where the CA's signing keys are: password-encrypted files in `<data>/ca` (the development
//! CA, made on the first `--dev` start, and the tests), or a PKCS#11 token — the HSM a CA
//! keeps its issuing and OCSP responder keys on, made there in the key ceremony
//! (`docs/key-ceremony.md`) and named here by token label and CKA_ID.

use kep_token::Pin;
use std::path::PathBuf;
use zeroize::Zeroizing;

/// The keys' home.
#[derive(Clone)]
pub enum CaKeys {
    /// Key files sealed with `password` (scrypt 2^`scrypt_log_n` for new ones).
    Files {
        /// Their password.
        password: Zeroizing<String>,
        /// The cost of new key files (17 in service; tests may lower it).
        scrypt_log_n: u8,
    },
    /// Keys on a token.
    Hsm(HsmKeys),
}

impl CaKeys {
    /// Key files with the development password at `scrypt_log_n`.
    pub fn dev_files(scrypt_log_n: u8) -> Self {
        Self::Files {
            password: Zeroizing::new(crate::DEV_KEY_PASSWORD.to_owned()),
            scrypt_log_n,
        }
    }

    /// Key files with `password` at the service's cost.
    pub fn files(password: Zeroizing<String>) -> Self {
        Self::Files {
            password,
            scrypt_log_n: kep_pki::encrypted_key::DEFAULT_SCRYPT_LOG_N,
        }
    }
}

impl std::fmt::Debug for CaKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Files { scrypt_log_n, .. } => f
                .debug_struct("Files")
                .field("scrypt_log_n", scrypt_log_n)
                .finish_non_exhaustive(),
            Self::Hsm(hsm) => hsm.fmt(f),
        }
    }
}

/// The CA's keys on one token.
#[derive(Debug, Clone)]
pub struct HsmKeys {
    /// The PKCS#11 library.
    pub module: PathBuf,
    /// The token's label.
    pub token_label: String,
    /// The user PIN (from the secrets; never logged: `Pin` shows `***`).
    pub pin: Pin,
    /// CKA_ID of the issuing CA's key pair.
    pub issuing_key_id: Vec<u8>,
    /// CKA_ID of the OCSP responder's key pair.
    pub ocsp_key_id: Vec<u8>,
    /// Sessions each key signs in (concurrent signatures).
    pub sessions: usize,
}

impl HsmKeys {
    /// Where the key with `key_id` is.
    pub fn key(&self, key_id: &[u8]) -> kep_token::hsm::HsmKeyRef {
        kep_token::hsm::HsmKeyRef {
            module: self.module.clone(),
            token_label: self.token_label.clone(),
            key_id: key_id.to_vec(),
            pin: self.pin.clone(),
        }
    }
}

/// A CKA_ID as the configuration and the ceremony write it: hex, 1 to 64 bytes.
pub fn parse_key_id(text: &str) -> Option<Vec<u8>> {
    hex::decode(text.trim())
        .ok()
        .filter(|id| (1..=64).contains(&id.len()))
}

/// A CKA_ID in hex.
pub fn key_id_hex(id: &[u8]) -> String {
    hex::encode(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_read_back_from_hex() {
        assert_eq!(parse_key_id("0a1B"), Some(vec![0x0a, 0x1b]));
        assert_eq!(key_id_hex(&[0x0a, 0x1b]), "0a1b");
        for bad in ["", "abc", "zz", "0x12"] {
            assert_eq!(parse_key_id(bad), None, "{bad}");
        }
    }
}
