//! Tokens (Рутокен; SoftHSM2 in tests): the token list with what the user needs to choose, the
//! certificates on them that can sign the statement, and one token as a [`KeyHome`] — the GOST
//! key pair made *on* the token (non-extractable, the sensor's seed given to C_SeedRandom), the
//! request signed on the token, the issued certificate written next to its key.

use crate::current_certificates::{CandidateId, SigningCertificate};
use crate::key_error::KeyError;
use crate::new_key::{KeyHome, Place};
use kep_pki::signer::KeySigner;
use kep_protocol::application::KeyStorageKind;
use kep_protocol::key::KeyLength;
pub use kep_protocol::token::TokenChoice;
use kep_token::keys::{KeyKind, find_private_key, generate_with_id};
use kep_token::{Module, Pin, TokenError, TokenSigner, TokenWorker};
use std::path::Path;
use std::sync::{Arc, OnceLock};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
        })
        .collect()
}

/// Loads the first PKCS#11 module found (`configured` first: `KEP_PKCS11_MODULE`).
pub fn load_module(configured: Option<&Path>) -> Result<Arc<Module>, KeyError> {
    let mut last = TokenError::Module("no PKCS#11 module found".into());
    for candidate in kep_token::module::discover(configured) {
        // One context per library and process (every renewal and test shares it).
        match Module::shared(&candidate.path) {
            Ok(module) => return Ok(module),
            Err(e) => last = e,
        }
    }
    Err(KeyError::Token(last))
}

/// The tokens present now.
pub fn list(module: &Module) -> Result<Vec<TokenChoice>, KeyError> {
    let tokens = kep_token::tokens::list_tokens(module)?;
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
            gost_512: t.gost_512,
            serial: t.serial,
            label: t.label,
            model: t.model,
            pin_to_be_changed: t.pin.to_be_changed,
        })
        .collect())
}

fn session(module: &Arc<Module>, serial: &str) -> Result<Arc<TokenWorker>, KeyError> {
    let slot = kep_token::tokens::list_tokens(module)?
        .into_iter()
        .find(|t| t.serial == serial)
        .map(|t| t.slot)
        .ok_or(TokenError::NoToken)?;
    Ok(Arc::new(TokenWorker::open(module.clone(), slot)?))
}

fn open(module: &Arc<Module>, serial: &str, pin: Pin) -> Result<Arc<TokenWorker>, KeyError> {
    let worker = session(module, serial)?;
    kep_token::pin::login(&worker, pin, false)?;
    Ok(worker)
}

/// A certificate on a token: the token's serial and label, the certificate's CKA_ID and DER.
#[derive(Debug, Clone)]
pub struct OnToken {
    /// The token's serial.
    pub serial: String,
    /// The token's label.
    pub label: String,
    /// CKA_ID of the certificate (and its key).
    pub key_id: Vec<u8>,
    /// The certificate.
    pub der: Vec<u8>,
    /// Whether its key pair is there (its public key object, readable without the PIN).
    pub key_present: bool,
}

/// Every certificate on the tokens present, read without a PIN (certificates are public
/// objects); a token that cannot be read now is left out.
pub fn certificates_present(module: &Arc<Module>) -> Vec<OnToken> {
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
                .map(|c| OnToken {
                    serial: t.serial.clone(),
                    label: t.label.clone(),
                    key_present: kep_token::install::has_public_key(&worker, c.id.clone())
                        .unwrap_or(false),
                    key_id: c.id,
                    der: c.der,
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The certificates on every token present, as candidates to sign the statement with, judged
/// against the application like the key store's.
pub fn signing_candidates(
    module: &Arc<Module>,
    requisites: &kep_protocol::RequisitesInput,
    now: std::time::SystemTime,
) -> Vec<SigningCertificate> {
    certificates_present(module)
        .into_iter()
        .filter_map(|c| {
            let summary = kep_pki::summary::summarize(&c.der, &[], &[], now).ok()?;
            Some(SigningCertificate {
                id: CandidateId::Token {
                    serial: c.serial,
                    key_id: c.key_id,
                }
                .to_string(),
                problem: crate::current_certificates::problem_of(&summary, requisites),
                summary,
                storage: kep_protocol::application::KeyStorageKind::Token,
            })
        })
        .collect()
}

/// The signer of the key `key_id` on token `serial` after the PIN, with its certificate.
pub fn signer(
    module: &Arc<Module>,
    serial: &str,
    key_id: &[u8],
    pin: Pin,
) -> Result<(TokenSigner, Vec<u8>), KeyError> {
    let not_found = || KeyError::Token(TokenError::KeyNotFound);
    let worker = open(module, serial, pin)?;
    let certificate = kep_token::install::certificates(&worker)?
        .into_iter()
        .find(|c| c.id == key_id)
        .ok_or_else(not_found)?
        .der;
    let private = find_private_key(&worker, key_id.to_vec())?;
    use der::{Decode, Encode};
    let parsed = x509_cert::Certificate::from_der(&certificate).map_err(|e| {
        tracing::warn!(error = %e, "a token certificate does not parse");
        not_found()
    })?;
    let spki = parsed.tbs_certificate().subject_public_key_info();
    let algorithm = kep_pki::issue::key_algorithm(spki)
        .ok_or(TokenError::Unsupported("the certificate's key algorithm"))?;
    let key = kep_token::keys::TokenKey {
        id: key_id.to_vec(),
        private,
        algorithm,
        public_key_info: spki.to_der().map_err(|_| not_found())?,
    };
    Ok((TokenSigner::new(worker, key), certificate))
}

/// One token as a [`KeyHome`], opened with its PIN on first use (one session for the action).
pub struct TokenHome {
    module: Arc<Module>,
    serial: String,
    pin: Pin,
    length: KeyLength,
    worker: OnceLock<Arc<TokenWorker>>,
}

impl std::fmt::Debug for TokenHome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenHome")
            .field("serial", &self.serial)
            .finish_non_exhaustive()
    }
}

impl TokenHome {
    /// The token `serial` of `module`, to be opened with `pin`.
    pub fn new(module: Arc<Module>, serial: impl Into<String>, pin: Pin) -> Self {
        Self {
            module,
            serial: serial.into(),
            pin,
            length: KeyLength::Bits256,
            worker: OnceLock::new(),
        }
    }

    /// New keys made here of `length` (256 bits unless asked).
    pub fn with_length(mut self, length: KeyLength) -> Self {
        self.length = length;
        self
    }

    fn worker(&self) -> Result<Arc<TokenWorker>, KeyError> {
        if let Some(worker) = self.worker.get() {
            return Ok(worker.clone());
        }
        let worker = open(&self.module, &self.serial, self.pin.clone())?;
        Ok(self.worker.get_or_init(|| worker).clone())
    }

    fn key_id(&self, place: &Place) -> Result<Vec<u8>, KeyError> {
        match place {
            Place::Token { key_id, .. } => unhex(key_id)
                .ok_or_else(|| KeyError::Corrupt(format!("the recorded key id {key_id:?}"))),
            Place::Computer { .. } => Err(KeyError::Corrupt(
                "a computer key's place given to a token".into(),
            )),
        }
    }
}

/// The label of the objects this app makes on a token.
pub const LABEL: &str = "KEP Renew";

impl KeyHome for TokenHome {
    fn storage(&self) -> KeyStorageKind {
        KeyStorageKind::Token
    }

    fn new_place(&self, _application_id: i64) -> Result<Place, KeyError> {
        Ok(Place::Token {
            serial: self.serial.clone(),
            key_id: hex(&kep_token::keys::fresh_id()?),
        })
    }

    fn holds(&self, place: &Place) -> bool {
        matches!(place, Place::Token { serial, .. } if *serial == self.serial)
    }

    fn discard(&self, place: &Place) -> Result<(), KeyError> {
        let id = self.key_id(place)?;
        kep_token::keys::destroy_objects_with_id(&*self.worker()?, id)
            .map(drop)
            .map_err(KeyError::from)
    }

    fn generate(&self, place: &Place, seed: &[u8; 32]) -> Result<Box<dyn KeySigner>, KeyError> {
        let id = self.key_id(place)?;
        let worker = self.worker()?;
        let description = kep_token::tokens::list_tokens(&self.module)?
            .into_iter()
            .find(|t| t.serial == self.serial)
            .ok_or(TokenError::NoToken)?;
        let kind = match self.length {
            KeyLength::Bits512 if description.gost_512 => KeyKind::Gost512,
            KeyLength::Bits512 => return Err(KeyError::LengthUnsupported),
            KeyLength::Bits256 if description.gost_256 => KeyKind::Gost256,
            // Only the demo CA takes these; a qualified CA refuses them with its own message.
            KeyLength::Bits256 => KeyKind::EcdsaP256NonQualified,
        };
        let key = generate_with_id(&worker, kind, LABEL, id, Some(seed.to_vec()))?;
        Ok(Box::new(TokenSigner::new(worker, key)))
    }

    fn unlock(&self, place: &Place) -> Result<(), KeyError> {
        find_private_key(&*self.worker()?, self.key_id(place)?)
            .map(drop)
            .map_err(KeyError::from)
    }

    fn install(&self, place: &Place, certificate: &[u8]) -> Result<(), KeyError> {
        let id = self.key_id(place)?;
        let worker = self.worker()?;
        find_private_key(&worker, id.clone())?;
        // Installed before (the app was quit before the CA heard of it): nothing to write.
        let present = kep_token::install::certificates(&worker)?
            .into_iter()
            .any(|c| c.id == id && c.der == certificate);
        if present {
            return Ok(());
        }
        Ok(kep_token::install::install_certificate(
            &worker,
            certificate.to_vec(),
            id,
            LABEL.into(),
        )?)
    }
}
