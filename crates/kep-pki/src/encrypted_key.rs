//! GOST private keys in files: PKCS#8 encrypted with PBES2 (scrypt + AES-256-CBC), PEM
//! `ENCRYPTED PRIVATE KEY`. The app's computer key store and the CA's own key files share this
//! one format, so a key either side writes the other can open.

use pkcs8::pkcs5::{pbes2, scrypt};
use pkcs8::{EncryptedPrivateKeyInfoRef, PrivateKeyInfoRef};
use zeroize::Zeroizing;

/// scrypt cost of key files: N = 2^17 (about 128 MiB and half a second per try).
pub const DEFAULT_SCRYPT_LOG_N: u8 = 17;

/// The PEM label of an encrypted key.
pub const PEM_LABEL: &str = "ENCRYPTED PRIVATE KEY";

/// Why a key file could not be written or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyFileError {
    /// The password does not open the key.
    #[error("wrong password")]
    WrongPassword,
    /// The text is not an encrypted GOST key.
    #[error("the key file is damaged: {0}")]
    Damaged(String),
}

fn damaged(e: impl std::fmt::Display) -> KeyFileError {
    KeyFileError::Damaged(e.to_string())
}

/// Encrypts `key` under `password` with scrypt cost 2^`log_n` (r=8, p=1), the given random
/// `salt` and `iv`. Returns the PEM text (zeroized on drop: it is only as strong as the password).
pub fn seal(
    key: &kep_gost::SigningKey,
    password: &str,
    log_n: u8,
    salt: &[u8; 16],
    iv: [u8; 16],
) -> Result<Zeroizing<String>, KeyFileError> {
    let p8 = key.to_pkcs8_der().map_err(damaged)?;
    let params = scrypt::Params::new(log_n, 8, 1).map_err(damaged)?;
    let pbes2 = pbes2::Parameters::generate_scrypt_aes256cbc(params, salt, iv).map_err(damaged)?;
    let info = PrivateKeyInfoRef::try_from(p8.as_slice()).map_err(damaged)?;
    let encrypted = info
        .encrypt_with_params(pbes2, password.as_bytes())
        .map_err(damaged)?;
    Ok(Zeroizing::new(
        encrypted
            .to_pem(PEM_LABEL, pkcs8::LineEnding::LF)
            .map_err(damaged)?
            .to_string(),
    ))
}

/// Opens a key [`seal`] wrote (or OpenSSL's `pkcs8 -topk8 -v2 aes-256-cbc -scrypt`).
pub fn open(pem: &str, password: &str) -> Result<kep_gost::SigningKey, KeyFileError> {
    let (label, der) = pkcs8::der::pem::decode_vec(pem.as_bytes()).map_err(damaged)?;
    if label != PEM_LABEL {
        return Err(KeyFileError::Damaged(format!(
            "unexpected PEM label {label}"
        )));
    }
    let encrypted = EncryptedPrivateKeyInfoRef::try_from(der.as_slice()).map_err(damaged)?;
    // A wrong password yields garbage that fails to decrypt (padding) or to parse.
    let plain = encrypted
        .decrypt(password.as_bytes())
        .map_err(|_| KeyFileError::WrongPassword)?;
    kep_gost::SigningKey::from_pkcs8_der(plain.as_bytes()).map_err(|_| KeyFileError::WrongPassword)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_key_opens_with_its_password_only() {
        let key = kep_gost::SigningKey::generate(kep_gost::ParamSet::CryptoProA, &mut crate::OsRng)
            .unwrap();
        let pem = seal(&key, "пароль", 10, &[7; 16], [9; 16]).unwrap();
        assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        let back = open(&pem, "пароль").unwrap();
        assert_eq!(back.verifying_key(), key.verifying_key());
        assert!(matches!(
            open(&pem, "другой"),
            Err(KeyFileError::WrongPassword)
        ));
        assert!(matches!(
            open(
                "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n",
                "x"
            ),
            Err(KeyFileError::Damaged(_))
        ));
    }
}
