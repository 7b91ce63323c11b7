//! Stages 4 and 6 with the key on a removable token (Рутокен; SoftHSM2 in tests): the token list
//! with what the user needs to choose, the GOST key pair made *on* the token (non-extractable,
//! the sensor's seed given to C_SeedRandom), the request signed on the token and kept with the
//! token's serial and the key's CKA_ID, and the issued certificate written next to its key.

use crate::issued_key::{certifies, key_name, request_path};
use kep_pki::Requisites;
use kep_protocol::{ApiError, ErrorKind};
use kep_token::keys::{KeyKind, find_private_key, generate};
use kep_token::{Module, Pin, TokenError, TokenSigner, TokenWorker};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use ts_rs::TS;

/// A token as the key step shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TokenChoice {
    /// Its serial number (the id the UI sends back).
    pub serial: String,
    /// Label, model and manufacturer, for display.
    pub label: String,
    /// Model.
    pub model: String,
    /// The factory PIN may still be set (nothing says it was changed).
    pub pin_to_be_changed: bool,
    /// Why no key can be made on it (Russian), if none can.
    pub problem: Option<String>,
}

/// Where the request was made: kept beside the request so installation finds the token and key.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct OnToken {
    serial: String,
    key_id: Vec<u8>,
}

fn token_error(e: TokenError) -> ApiError {
    let kind = match e {
        TokenError::PinIncorrect { .. }
        | TokenError::PinFinalTry
        | TokenError::PinLocked
        | TokenError::PinInvalid => ErrorKind::InvalidInput,
        TokenError::NoToken | TokenError::SessionClosed => ErrorKind::NotFound,
        _ => ErrorKind::Io,
    };
    ApiError::new(kind, kep_token::messages_ru::message(&e))
}

fn kept_path(dir: &Path, application_id: i64) -> PathBuf {
    dir.join(format!("{}.token.json", key_name(application_id)))
}

/// The serial of the token the request of `application_id` was made on, if it was.
pub fn token_of(dir: &Path, application_id: i64) -> Option<String> {
    std::fs::read(kept_path(dir, application_id))
        .ok()
        .and_then(|b| serde_json::from_slice::<OnToken>(&b).ok())
        .map(|k| k.serial)
}

/// Whether the request of `application_id` was made on a token.
pub fn is_on_token(dir: &Path, application_id: i64) -> bool {
    token_of(dir, application_id).is_some()
}

/// Loads the first PKCS#11 module found (`configured` first: `KEP_PKCS11_MODULE`).
pub fn load_module(configured: Option<&Path>) -> Result<Arc<Module>, ApiError> {
    let mut last = TokenError::Module("no PKCS#11 module found".into());
    for candidate in kep_token::module::discover(configured) {
        match Module::load(&candidate.path) {
            Ok(module) => return Ok(Arc::new(module)),
            Err(e) => last = e,
        }
    }
    Err(token_error(last))
}

/// The tokens present now.
pub fn list(module: &Module) -> Result<Vec<TokenChoice>, ApiError> {
    let tokens = kep_token::tokens::list_tokens(module).map_err(token_error)?;
    Ok(tokens
        .into_iter()
        // An empty slot of a software module (SoftHSM's spare slot) is no token to choose.
        .filter(|t| !t.serial.trim().is_empty())
        .map(|t| TokenChoice {
            problem: if t.pin.locked {
                Some(kep_token::messages_ru::message(&TokenError::PinLocked))
            } else if !t.gost_256 && !t.ecdsa {
                Some(kep_token::messages_ru::message(&TokenError::Unsupported(
                    "GOST",
                )))
            } else {
                None
            },
            serial: t.serial,
            label: t.label,
            model: t.model,
            pin_to_be_changed: t.pin.to_be_changed,
        })
        .collect())
}

fn session(module: &Arc<Module>, serial: &str) -> Result<Arc<TokenWorker>, ApiError> {
    let slot = kep_token::tokens::list_tokens(module)
        .map_err(token_error)?
        .into_iter()
        .find(|t| t.serial == serial)
        .map(|t| t.slot)
        .ok_or_else(|| token_error(TokenError::NoToken))?;
    Ok(Arc::new(
        TokenWorker::open(module.clone(), slot).map_err(token_error)?,
    ))
}

fn open(module: &Arc<Module>, serial: &str, pin: Pin) -> Result<Arc<TokenWorker>, ApiError> {
    let worker = session(module, serial)?;
    kep_token::pin::login(&worker, pin, false).map_err(token_error)?;
    Ok(worker)
}

/// The certificates on every token present, as candidates to sign the statement with (id
/// `token:<serial>:<CKA_ID hex>`), judged against the application like the key store's.
pub fn signing_candidates(
    module: &Arc<Module>,
    requisites: &kep_protocol::RequisitesInput,
    now: std::time::SystemTime,
) -> Vec<crate::current_certificates::SigningCertificate> {
    let Ok(tokens) = list(module) else {
        return Vec::new();
    };
    tokens
        .iter()
        .filter_map(|t| Some((t, session(module, &t.serial).ok()?)))
        .flat_map(|(t, worker)| {
            kep_token::install::certificates(&worker)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|c| {
                    let summary = kep_pki::summary::summarize(&c.der, &[], &[], now).ok()?;
                    let id: String = c.id.iter().map(|b| format!("{b:02x}")).collect();
                    Some(crate::current_certificates::SigningCertificate {
                        id: format!("token:{}:{id}", t.serial),
                        problem: crate::current_certificates::problem_of(&summary, requisites),
                        summary,
                        storage: kep_protocol::application::KeyStorageKind::Token,
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The signer of a candidate `token:<serial>:<id>` after the PIN, with its certificate.
pub fn signer(
    module: &Arc<Module>,
    candidate: &str,
    pin: Pin,
) -> Result<(TokenSigner, Vec<u8>), ApiError> {
    let not_found = || token_error(TokenError::KeyNotFound);
    let rest = candidate.strip_prefix("token:").ok_or_else(not_found)?;
    let (serial, id_hex) = rest.rsplit_once(':').ok_or_else(not_found)?;
    let id = (0..id_hex.len())
        .step_by(2)
        .map(|i| {
            id_hex
                .get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(not_found)?;
    let worker = open(module, serial, pin)?;
    let certificate = kep_token::install::certificates(&worker)
        .map_err(token_error)?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(not_found)?
        .der;
    let private = find_private_key(&worker, id.clone()).map_err(token_error)?;
    use der::{Decode, Encode};
    let parsed = x509_cert::Certificate::from_der(&certificate).map_err(|_| not_found())?;
    let spki = parsed.tbs_certificate().subject_public_key_info();
    let algorithm = kep_pki::issue::key_algorithm(spki)
        .ok_or_else(|| token_error(TokenError::Unsupported("the certificate's key algorithm")))?;
    let key = kep_token::keys::TokenKey {
        id,
        private,
        algorithm,
        public_key_info: spki.to_der().map_err(|_| not_found())?,
    };
    Ok((TokenSigner::new(worker, key), certificate))
}

/// The certificate request for `application_id` made on the token `serial`: once (key pair on
/// the token + request kept in `dir`), then the same bytes every time.
pub fn certificate_request(
    module: &Arc<Module>,
    serial: &str,
    pin: Pin,
    seed: &[u8; 32],
    requisites: &Requisites,
    dir: &Path,
    application_id: i64,
) -> Result<Vec<u8>, ApiError> {
    let io = |_| {
        ApiError::new(
            ErrorKind::Io,
            "Папка данных приложения недоступна: проверьте место на диске.",
        )
    };
    if let (Ok(kept), Ok(der)) = (
        std::fs::read(kept_path(dir, application_id)),
        std::fs::read(request_path(dir, application_id)),
    ) && serde_json::from_slice::<OnToken>(&kept).is_ok_and(|k| k.serial == serial)
    {
        return Ok(der);
    }
    let worker = open(module, serial, pin)?;
    let description = kep_token::tokens::list_tokens(module)
        .map_err(token_error)?
        .into_iter()
        .find(|t| t.serial == serial)
        .ok_or_else(|| token_error(TokenError::NoToken))?;
    let kind = if description.gost_256 {
        KeyKind::Gost256
    } else {
        // Only the demo CA takes these; a qualified CA refuses them with its own message.
        KeyKind::EcdsaP256NonQualified
    };
    let key = generate(&worker, kind, "KEP Renew", Some(seed.to_vec())).map_err(token_error)?;
    let signer = TokenSigner::new(worker, key.clone());
    let der = kep_pki::request::build_request(requisites, &signer, None)
        .map_err(|_| ApiError::internal())?;
    std::fs::create_dir_all(dir).map_err(io)?;
    std::fs::write(request_path(dir, application_id), &der).map_err(io)?;
    let kept = serde_json::to_vec(&OnToken {
        serial: serial.to_owned(),
        key_id: key.id,
    })
    .map_err(|_| ApiError::internal())?;
    std::fs::write(kept_path(dir, application_id), kept).map_err(io)?;
    Ok(der)
}

/// Writes the issued certificate onto the token, next to the key the request was made with,
/// after checking it certifies that key.
pub fn install(
    module: &Arc<Module>,
    pin: Pin,
    certificate: &[u8],
    dir: &Path,
    application_id: i64,
) -> Result<(), ApiError> {
    let missing = || {
        ApiError::new(
            ErrorKind::NotFound,
            "Не найдены сведения о ключе на токене: создайте ключ заново.",
        )
    };
    let kept: OnToken = std::fs::read(kept_path(dir, application_id))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(missing)?;
    let request = std::fs::read(request_path(dir, application_id)).map_err(|_| missing())?;
    certifies(
        &request,
        certificate,
        "Сертификат выпущен не для ключа на этом токене. Обратитесь в удостоверяющий центр.",
    )?;
    let worker = open(module, &kept.serial, pin)?;
    find_private_key(&worker, kept.key_id.clone()).map_err(token_error)?;
    kep_token::install::install_certificate(
        &worker,
        certificate.to_vec(),
        kept.key_id,
        "KEP Renew".into(),
    )
    .map_err(token_error)
}
