//! Stages 4 and 6 whatever keeps the key — one flow, two homes ([`KeyHome`]: the computer key
//! store or a token). Where the key of an application is (or is being made) is recorded *before*
//! it is made, so quitting mid-generation leaves a record the next attempt cleans up after (no
//! orphan key on the token); the request is kept beside it, so a retry resends the identical
//! bytes the CA recognises; and the certificate is checked to certify that very key before it is
//! installed anywhere.

use crate::issued_key::{certifies, key_name, request_path};
use crate::key_error::KeyError;
use kep_pki::Requisites;
use kep_pki::signer::KeySigner;
use kep_protocol::application::KeyStorageKind;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Where a key is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "home", rename_all = "snake_case")]
pub enum Place {
    /// In the computer key store, under this name.
    Computer {
        /// The key's name in the store.
        name: String,
    },
    /// On the token with this serial, with this CKA_ID.
    Token {
        /// The token's serial number.
        serial: String,
        /// CKA_ID of the key pair (and, later, of the certificate), hex.
        key_id: String,
    },
}

/// What is recorded about the key of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Record {
    place: Place,
    /// The request was made and kept: the key is complete.
    requested: bool,
}

/// Where a new key can live: the computer key store or one token (with the secret that opens
/// it). Calls block (scrypt, PKCS#11): run them off the async runtime.
pub trait KeyHome {
    /// How the CA is told the key is kept.
    fn storage(&self) -> KeyStorageKind;
    /// A place in this home for a new key of `application_id`.
    fn new_place(&self, application_id: i64) -> Result<Place, KeyError>;
    /// Whether `place` is in this home (this computer; this very token).
    fn holds(&self, place: &Place) -> bool;
    /// Removes whatever a key generation at `place` left (nothing there is fine).
    fn discard(&self, place: &Place) -> Result<(), KeyError>;
    /// Makes the key pair at `place`, with the sensor's `seed` mixed in.
    fn generate(&self, place: &Place, seed: &[u8; 32]) -> Result<Box<dyn KeySigner>, KeyError>;
    /// Checks that the secret opens the existing key at `place` (before its kept request is
    /// resent: the person proves they can use that key).
    fn unlock(&self, place: &Place) -> Result<(), KeyError>;
    /// Writes the certificate next to the key at `place` (already checked to certify it);
    /// writing the same certificate again is harmless.
    fn install(&self, place: &Place, certificate: &[u8]) -> Result<(), KeyError>;
}

fn record_path(dir: &Path, application_id: i64) -> PathBuf {
    dir.join(format!("{}.key.json", key_name(application_id)))
}

fn load(dir: &Path, application_id: i64) -> Option<Record> {
    let bytes = std::fs::read(record_path(dir, application_id)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn save(dir: &Path, application_id: i64, record: &Record) -> Result<(), KeyError> {
    let bytes = serde_json::to_vec(record)
        .map_err(|e| KeyError::Corrupt(format!("the key record could not be encoded: {e}")))?;
    kep_private_file::write(&record_path(dir, application_id), &bytes).map_err(KeyError::Folder)
}

/// Where the key of `application_id` is, once its request was made.
pub fn place_of(dir: &Path, application_id: i64) -> Option<Place> {
    load(dir, application_id)
        .filter(|r| r.requested)
        .map(|r| r.place)
}

/// The certificate request for `application_id`, with its key in `home`: made once (the place
/// recorded first, then the key pair, then the request kept in `dir`), then the same bytes every
/// time. What an interrupted earlier attempt in this home left is removed first.
pub fn certificate_request(
    dir: &Path,
    application_id: i64,
    home: &dyn KeyHome,
    seed: &[u8; 32],
    requisites: &Requisites,
) -> Result<Vec<u8>, KeyError> {
    let kept = request_path(dir, application_id);
    if let Some(record) = load(dir, application_id).filter(|r| home.holds(&r.place)) {
        match (record.requested, std::fs::read(&kept)) {
            (true, Ok(der)) => {
                home.unlock(&record.place)?;
                return Ok(der);
            }
            // Quit mid-generation (or the request was lost): start over in a clean place.
            _ => home.discard(&record.place)?,
        }
    }
    let place = home.new_place(application_id)?;
    save(
        dir,
        application_id,
        &Record {
            place: place.clone(),
            requested: false,
        },
    )?;
    let signer = home.generate(&place, seed)?;
    let der = kep_pki::request::build_request(requisites, signer.as_ref(), None)
        .map_err(|e| KeyError::RequestNotMade(e.to_string()))?;
    kep_private_file::write(&kept, &der).map_err(KeyError::Folder)?;
    save(
        dir,
        application_id,
        &Record {
            place,
            requested: true,
        },
    )?;
    Ok(der)
}

/// Installs the issued `certificate` next to the key of `application_id` in `home`, after
/// checking it certifies that key.
pub fn install(
    dir: &Path,
    application_id: i64,
    home: &dyn KeyHome,
    certificate: &[u8],
) -> Result<(), KeyError> {
    let place = place_of(dir, application_id)
        .filter(|p| home.holds(p))
        .ok_or(KeyError::NotRecorded)?;
    let request =
        std::fs::read(request_path(dir, application_id)).map_err(KeyError::RequestUnreadable)?;
    certifies(&request, certificate, home.storage())?;
    home.install(&place, certificate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kep_pki::ValidateRequisites;
    use std::sync::Mutex;

    /// A home that records what it was asked to do, and can fail generation once (as if the
    /// app was quit in the middle of it).
    #[derive(Default)]
    struct Recording {
        calls: Mutex<Vec<String>>,
        fail_generation: Mutex<bool>,
        next: Mutex<u32>,
    }

    impl KeyHome for Recording {
        fn storage(&self) -> KeyStorageKind {
            KeyStorageKind::Computer
        }
        fn new_place(&self, _: i64) -> Result<Place, KeyError> {
            let mut next = self.next.lock().unwrap();
            *next += 1;
            Ok(Place::Token {
                serial: "T".into(),
                key_id: format!("{:02x}", *next),
            })
        }
        fn holds(&self, place: &Place) -> bool {
            matches!(place, Place::Token { serial, .. } if serial == "T")
        }
        fn discard(&self, place: &Place) -> Result<(), KeyError> {
            self.calls
                .lock()
                .unwrap()
                .push(format!("discard {place:?}"));
            Ok(())
        }
        fn generate(&self, place: &Place, seed: &[u8; 32]) -> Result<Box<dyn KeySigner>, KeyError> {
            self.calls
                .lock()
                .unwrap()
                .push(format!("generate {place:?}"));
            if std::mem::take(&mut *self.fail_generation.lock().unwrap()) {
                return Err(KeyError::Corrupt("quit mid-generation".into()));
            }
            let key =
                kep_gost::SigningKey::from_bytes(kep_gost::ParamSet::CryptoProA, seed).unwrap();
            Ok(Box::new(
                kep_pki::signer::SoftwareGostSigner::new(key).unwrap(),
            ))
        }
        fn unlock(&self, _: &Place) -> Result<(), KeyError> {
            self.calls.lock().unwrap().push("unlock".into());
            Ok(())
        }
        fn install(&self, place: &Place, _: &[u8]) -> Result<(), KeyError> {
            self.calls
                .lock()
                .unwrap()
                .push(format!("install {place:?}"));
            Ok(())
        }
    }

    fn requisites() -> Requisites {
        kep_ca::dev_seed::dev_requisites()
            .validate(time::OffsetDateTime::now_utc().date())
            .unwrap()
    }

    #[test]
    fn an_interrupted_generation_is_cleaned_up_and_a_made_request_is_reused() {
        let dir = std::env::temp_dir().join(format!("kep-new-key-{}", std::process::id()));
        let home = Recording::default();
        *home.fail_generation.lock().unwrap() = true;
        let seed = [7u8; 32];
        assert!(certificate_request(&dir, 1, &home, &seed, &requisites()).is_err());
        assert_eq!(place_of(&dir, 1), None, "no key is complete yet");
        let first = certificate_request(&dir, 1, &home, &seed, &requisites()).unwrap();
        let again = certificate_request(&dir, 1, &home, &seed, &requisites()).unwrap();
        assert_eq!(first, again);
        let calls = home.calls.lock().unwrap().clone();
        let place_1 = r#"Token { serial: "T", key_id: "01" }"#;
        let place_2 = r#"Token { serial: "T", key_id: "02" }"#;
        assert_eq!(
            calls,
            [
                format!("generate {place_1}"),
                format!("discard {place_1}"),
                format!("generate {place_2}"),
                "unlock".to_owned(),
            ]
        );
        std::fs::remove_dir_all(dir).ok();
    }
}
