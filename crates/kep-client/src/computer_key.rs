//! The computer key store as a [`KeyHome`]: a CryptoPro-A key made from the random-number
//! sensor's seed mixed with the OS RNG, encrypted under the user's container password (which
//! cannot be recovered), and the certificate saved next to it.

use crate::key_error::KeyError;
use crate::new_key::{KeyHome, Place};
use kep_pki::signer::KeySigner;
use kep_protocol::application::KeyStorageKind;
use kep_protocol::key::KeyLength;
use kep_protocol::key::MIN_PASSWORD_CHARS;
use kep_token::entropy::SensorMixedRng;
use kep_token::key_store::{ComputerKeyStore, KeyStoreError};
use std::path::Path;
use zeroize::Zeroizing;

pub use crate::issued_key::key_name;

pub use crate::messages_ru::{PASSWORD_TOO_SHORT, WRONG_PASSWORD};

/// The one password rule, counted in characters (the UI mirrors it).
pub fn check_password(password: &str) -> Result<(), KeyError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(KeyError::PasswordTooShort);
    }
    Ok(())
}

/// The computer key store in a folder, with the container password when one was given.
pub struct ComputerHome {
    store: ComputerKeyStore,
    password: Option<Zeroizing<String>>,
    length: KeyLength,
}

impl std::fmt::Debug for ComputerHome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ComputerHome")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl ComputerHome {
    /// The store in `dir`, opened with `password` (None: only to install a certificate).
    pub fn new(dir: &Path, password: Option<Zeroizing<String>>) -> Self {
        Self {
            store: ComputerKeyStore::new(dir),
            password,
            length: KeyLength::Bits256,
        }
    }

    /// New keys made here of `length` (256 bits unless asked: CryptoPro-A; 512: TC26-512-A).
    pub fn with_length(mut self, length: KeyLength) -> Self {
        self.length = length;
        self
    }

    fn password(&self) -> Result<&str, KeyError> {
        self.password
            .as_deref()
            .map(String::as_str)
            .ok_or(KeyError::PasswordTooShort)
    }

    fn name(place: &Place) -> Result<&str, KeyError> {
        match place {
            Place::Computer { name } => Ok(name),
            Place::Token { .. } => Err(KeyError::Corrupt(
                "a token key's place given to the computer key store".into(),
            )),
        }
    }
}

impl KeyHome for ComputerHome {
    fn storage(&self) -> KeyStorageKind {
        KeyStorageKind::Computer
    }

    fn new_place(&self, application_id: i64) -> Result<Place, KeyError> {
        Ok(Place::Computer {
            name: key_name(application_id),
        })
    }

    fn holds(&self, place: &Place) -> bool {
        matches!(place, Place::Computer { .. })
    }

    fn discard(&self, place: &Place) -> Result<(), KeyError> {
        Ok(self.store.remove(Self::name(place)?)?)
    }

    fn generate(&self, place: &Place, seed: &[u8; 32]) -> Result<Box<dyn KeySigner>, KeyError> {
        let name = Self::name(place)?;
        let password = self.password()?;
        check_password(password)?;
        let mut rng = SensorMixedRng::new(seed);
        let param_set = match self.length {
            KeyLength::Bits256 => kep_gost::ParamSet::CryptoProA,
            KeyLength::Bits512 => kep_gost::ParamSet::Tc26_512A,
        };
        self.store
            .create_with(name, password, param_set, &mut rng)?;
        Ok(Box::new(self.store.open(name, password)?))
    }

    fn unlock(&self, place: &Place) -> Result<(), KeyError> {
        self.store
            .open(Self::name(place)?, self.password()?)
            .map(drop)
            .map_err(KeyError::from)
    }

    fn install(&self, place: &Place, certificate: &[u8]) -> Result<(), KeyError> {
        Ok(self
            .store
            .save_certificate(Self::name(place)?, certificate)?)
    }
}

/// Opens the key `name` of the store in `dir` with `password` to sign with, with its
/// certificate.
pub fn signer(
    dir: &Path,
    name: &str,
    password: &str,
) -> Result<(kep_pki::signer::SoftwareGostSigner, Vec<u8>), KeyError> {
    let store = ComputerKeyStore::new(dir);
    let signer = store.open(name, password)?;
    let certificate = store.certificate(name)?.ok_or(KeyStoreError::NotFound)?;
    Ok((signer, certificate))
}

/// Whether `signer` is the key a stored request was made with (used by tests and checks).
pub fn matches_request(dir: &Path, application_id: i64, signer: &dyn KeySigner) -> bool {
    std::fs::read(crate::issued_key::request_path(dir, application_id))
        .ok()
        .and_then(|der| kep_pki::request::verify_request(&der).ok())
        .is_some_and(|r| r.public_key_info == signer.public_key_info())
}
