//! Stages 4 and 6 with the key in the app's computer key store: the key pair made from the
//! random-number sensor's seed mixed with the OS RNG, encrypted under the user's password; the
//! certificate request signed with it and kept beside it (a retry after a lost answer sends the
//! identical request, which the CA recognises); the issued certificate checked against the key
//! and saved next to it.

use kep_pki::Requisites;
use kep_pki::signer::KeySigner;
use kep_protocol::{ApiError, ErrorKind};
use kep_token::entropy::SensorMixedRng;
use kep_token::key_store::{ComputerKeyStore, KeyStoreError};
use std::path::Path;

pub use crate::issued_key::key_name;
use crate::issued_key::{certifies, request_path};

/// The message for a wrong container password.
pub const WRONG_PASSWORD: &str = "Неверный пароль контейнера ключа. Проверьте раскладку клавиатуры и Caps Lock. Восстановить забытый пароль невозможно.";

fn store_error(e: KeyStoreError) -> ApiError {
    match e {
        KeyStoreError::WrongPassword => ApiError::new(ErrorKind::InvalidInput, WRONG_PASSWORD),
        KeyStoreError::Rng => ApiError::new(
            ErrorKind::Internal,
            "Генератор случайных чисел системы не ответил: ключ не создан. Повторите.",
        ),
        KeyStoreError::NotFound | KeyStoreError::Io(_) | KeyStoreError::Damaged(_) => {
            ApiError::new(
                ErrorKind::Io,
                "Хранилище ключей приложения недоступно или повреждено: проверьте место на диске и права на папку данных.",
            )
        }
    }
}

/// The certificate request for `application_id`: made once (key pair + request kept in `dir`),
/// then the same bytes every time. `seed` is the sensor's 256 bits; `password` protects the key.
pub fn certificate_request(
    dir: &Path,
    application_id: i64,
    password: &str,
    seed: &[u8; 32],
    requisites: &Requisites,
) -> Result<Vec<u8>, ApiError> {
    let store = ComputerKeyStore::new(dir);
    let name = key_name(application_id);
    let kept = request_path(dir, application_id);
    let exists = store.list().map_err(store_error)?.contains(&name);
    if exists {
        // Made before (the answer was lost, or the app was closed): the password must open it.
        store.open(&name, password).map_err(store_error)?;
        if let Ok(der) = std::fs::read(&kept) {
            return Ok(der);
        }
    } else {
        let mut rng = SensorMixedRng::new(seed);
        store
            .create(&name, password, &mut rng)
            .map_err(store_error)?;
    }
    let signer = store.open(&name, password).map_err(store_error)?;
    let der = kep_pki::request::build_request(requisites, &signer, None)
        .map_err(|_| ApiError::internal())?;
    std::fs::write(&kept, &der).map_err(|_| store_error(KeyStoreError::Io(String::new())))?;
    Ok(der)
}

/// Saves the issued certificate next to its key, after checking it certifies that very key.
pub fn install(dir: &Path, application_id: i64, certificate: &[u8]) -> Result<(), ApiError> {
    let store = ComputerKeyStore::new(dir);
    let name = key_name(application_id);
    let request = std::fs::read(request_path(dir, application_id))
        .map_err(|_| store_error(KeyStoreError::NotFound))?;
    certifies(
        &request,
        certificate,
        "Сертификат выпущен не для ключа на этом компьютере. Обратитесь в удостоверяющий центр.",
    )?;
    store
        .save_certificate(&name, certificate)
        .map_err(store_error)
}

/// Whether `signer` is the key a stored request was made with (used by tests and checks).
pub fn matches_request(dir: &Path, application_id: i64, signer: &dyn KeySigner) -> bool {
    std::fs::read(request_path(dir, application_id))
        .ok()
        .and_then(|der| kep_pki::request::verify_request(&der).ok())
        .is_some_and(|r| r.public_key_info == signer.public_key_info())
}
