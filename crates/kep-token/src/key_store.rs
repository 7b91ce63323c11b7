//! The computer key store (storage «Компьютер»): the app's own container, not the Windows
//! certificate store. GOST keys are made in software (kep-gost) with the sensor-mixed RNG and
//! kept as PKCS#8 encrypted with PBES2 (scrypt N=2¹⁷, r=8, p=1; AES-256-CBC) in the user's data
//! folder, readable by the owner only, the certificate beside it.
//!
//! The password cannot be recovered: there is no copy of it and no other way into the file.
//! [`PASSWORD_UNRECOVERABLE`] says so in the words the wizard shows.

use kep_pki::encrypted_key::{self, KeyFileError};
use kep_pki::signer::SoftwareGostSigner;
use rand_core::TryCryptoRng;
use std::path::PathBuf;
use zeroize::Zeroizing;

pub use crate::messages_ru::PASSWORD_UNRECOVERABLE;

/// scrypt cost: N = 2^17 (about 128 MiB and half a second per try, which is the point).
pub const SCRYPT_LOG_N: u8 = encrypted_key::DEFAULT_SCRYPT_LOG_N;

/// Why the key store failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyStoreError {
    /// The password does not open the key (it cannot be recovered).
    #[error("wrong password")]
    WrongPassword,
    /// No key with this name.
    #[error("no such key")]
    NotFound,
    /// The file could not be read or written.
    #[error("key store I/O: {0}")]
    Io(String),
    /// The file is not an encrypted GOST key.
    #[error("the key file is damaged: {0}")]
    Damaged(String),
    /// Randomness could not be drawn (the generator's own words).
    #[error("the random number generator failed: {0}")]
    Rng(String),
}

/// A folder of keys.
#[derive(Debug, Clone)]
pub struct ComputerKeyStore {
    dir: PathBuf,
}

/// A key in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKey {
    /// Its name (file stem).
    pub name: String,
    /// The public key as a SubjectPublicKeyInfo.
    pub public_key_info: Vec<u8>,
}

impl From<KeyFileError> for KeyStoreError {
    fn from(e: KeyFileError) -> Self {
        match e {
            KeyFileError::WrongPassword => Self::WrongPassword,
            KeyFileError::Damaged(why) => Self::Damaged(why),
        }
    }
}

fn io(e: std::io::Error) -> KeyStoreError {
    KeyStoreError::Io(e.to_string())
}

impl ComputerKeyStore {
    /// The store in `dir` (created, owner-only, on first write).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    fn key_path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.key.pem"))
    }

    fn cert_path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.crt"))
    }

    /// Makes a CryptoPro-A key with `rng` (the sensor-mixed RNG), encrypts it under `password`
    /// and stores it as `name`.
    pub fn create<R: TryCryptoRng + ?Sized>(
        &self,
        name: &str,
        password: &str,
        rng: &mut R,
    ) -> Result<StoredKey, KeyStoreError> {
        self.create_with(name, password, kep_gost::ParamSet::CryptoProA, rng)
    }

    /// [`create`](Self::create) on the parameter set `param_set` (TC26-512-A for a 512-bit key).
    pub fn create_with<R: TryCryptoRng + ?Sized>(
        &self,
        name: &str,
        password: &str,
        param_set: kep_gost::ParamSet,
        rng: &mut R,
    ) -> Result<StoredKey, KeyStoreError> {
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(KeyStoreError::Io("invalid key name".into()));
        }
        let key = kep_gost::SigningKey::generate(param_set, rng)
            .map_err(|e| KeyStoreError::Rng(e.to_string()))?;
        let mut salt = [0u8; 16];
        let mut iv = [0u8; 16];
        rng.try_fill_bytes(&mut salt)
            .map_err(|e| KeyStoreError::Rng(e.to_string()))?;
        rng.try_fill_bytes(&mut iv)
            .map_err(|e| KeyStoreError::Rng(e.to_string()))?;
        let pem = encrypted_key::seal(&key, password, SCRYPT_LOG_N, &salt, iv)?;
        kep_private_file::write(&self.key_path(name), pem.as_bytes()).map_err(io)?;
        Ok(StoredKey {
            name: name.to_owned(),
            public_key_info: key
                .verifying_key()
                .to_public_key_der()
                .map_err(|e| KeyStoreError::Damaged(e.to_string()))?,
        })
    }

    /// Opens key `name` with `password` as a signer.
    pub fn open(&self, name: &str, password: &str) -> Result<SoftwareGostSigner, KeyStoreError> {
        let text =
            Zeroizing::new(std::fs::read_to_string(self.key_path(name)).map_err(
                |e| match e.kind() {
                    std::io::ErrorKind::NotFound => KeyStoreError::NotFound,
                    _ => io(e),
                },
            )?);
        let key = encrypted_key::open(&text, password)?;
        SoftwareGostSigner::new(key).map_err(|e| KeyStoreError::Damaged(e.to_string()))
    }

    /// Stores the issued certificate (DER) next to key `name`.
    pub fn save_certificate(&self, name: &str, certificate: &[u8]) -> Result<(), KeyStoreError> {
        if !self.key_path(name).exists() {
            return Err(KeyStoreError::NotFound);
        }
        kep_private_file::write(&self.cert_path(name), certificate).map_err(io)
    }

    /// The certificate stored next to key `name`, if any.
    pub fn certificate(&self, name: &str) -> Result<Option<Vec<u8>>, KeyStoreError> {
        match std::fs::read(self.cert_path(name)) {
            Ok(der) => Ok(Some(der)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(e)),
        }
    }

    /// Removes key `name` and its certificate (what an interrupted key generation left); a key
    /// that is not there is no error.
    pub fn remove(&self, name: &str) -> Result<(), KeyStoreError> {
        for path in [self.key_path(name), self.cert_path(name)] {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(e)),
            }
        }
        Ok(())
    }

    /// The names of the stored keys.
    pub fn list(&self) -> Result<Vec<String>, KeyStoreError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io(e)),
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                e.file_name()
                    .to_str()
                    .and_then(|n| n.strip_suffix(".key.pem"))
                    .map(str::to_owned)
            })
            .collect();
        names.sort();
        Ok(names)
    }
}
