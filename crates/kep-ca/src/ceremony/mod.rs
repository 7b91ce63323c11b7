//! The key ceremony, as commands (`kep-ca ca …`, walked through in `docs/key-ceremony.md`):
//!
//! 1. [`root::init_root`] — on the offline machine: the root key (on its own token, or in an
//!    encrypted file), the self-signed root certificate and the root's first CRL.
//! 2. [`issuing::init_issuing`] — at the HSM: the issuing CA's key and the OCSP responder's key
//!    made on the token, a PKCS#10 request for the issuing CA out.
//! 3. [`issuing::sign_issuing`] — offline: the root checks the request and signs it.
//! 4. [`issuing::install_issuing`] — at the service: the chain checked against the HSM's key and
//!    installed in `<data>/ca`.
//! 5. [`root::root_crl`] and [`issuing::install_root_crl`] — the root's CRL, refreshed offline
//!    before its nextUpdate, and installed.
//!
//! Every step checks what it is given and refuses, saying why, rather than produce something a
//! relying party would reject later; nothing is overwritten. Each prints a record of what it
//! checked and made (fingerprints included) for the ceremony's minutes.

pub mod command;
pub mod issuing;
pub mod root;

use crate::authority::holds_key_of;

use kep_pki::issue::CaSubject;
use kep_pki::signer::{KeySigner, SoftwareGostSigner};
use kep_token::Pin;
use kep_token::hsm::{HsmKeyRef, HsmSigner};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use x509_cert::Certificate;
use x509_cert::der::Decode;
use zeroize::Zeroizing;

/// Why a ceremony step stopped.
#[derive(Debug, thiserror::Error)]
pub enum CeremonyError {
    /// The command line is not understood.
    #[error("{0}")]
    Usage(String),
    /// An input failed a check: the step refuses it (the message says which and why).
    #[error("refused: {0}")]
    Refused(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The token refused or is not there.
    #[error("{what}: {source}")]
    Token {
        /// What was being done.
        what: String,
        /// The token's answer.
        #[source]
        source: kep_token::TokenError,
    },
    /// A key file did not open.
    #[error("{0}")]
    KeyFile(#[from] crate::authority::AuthorityError),
    /// Building or parsing an artefact failed.
    #[error("{0}")]
    Pki(#[from] kep_pki::error::PkiError),
    /// The service's configuration (install steps).
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
}

fn refused(why: impl Into<String>) -> CeremonyError {
    CeremonyError::Refused(why.into())
}

fn token(what: impl Into<String>) -> impl FnOnce(kep_token::TokenError) -> CeremonyError {
    let what = what.into();
    move |source| CeremonyError::Token { what, source }
}

/// The CA's name as the ceremony's subject file gives it (TOML; the names of
/// `kep_pki::issue::CaSubject`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SubjectFile {
    common_name: String,
    organization: String,
    region: Option<String>,
    locality: Option<String>,
    ogrn: Option<String>,
    inn_le: Option<String>,
    email: Option<String>,
}

/// Reads and checks a subject file.
pub fn read_subject(path: &Path) -> Result<CaSubject, CeremonyError> {
    let text = read_text(path)?;
    let file: SubjectFile = toml::from_str(&text)
        .map_err(|e| refused(format!("the subject file {}: {e}", path.display())))?;
    let subject = CaSubject {
        common_name: file.common_name,
        organization: file.organization,
        region: file.region,
        locality: file.locality,
        ogrn: file.ogrn,
        inn_le: file.inn_le,
        email: file.email,
    };
    if subject.common_name.trim().is_empty() || subject.organization.trim().is_empty() {
        return Err(refused(format!(
            "the subject file {}: common_name and organization are required",
            path.display()
        )));
    }
    subject
        .name()
        .map_err(|e| refused(format!("the subject file {}: {e}", path.display())))?;
    Ok(subject)
}

/// Where a key of the ceremony is (the root's: a token, or a file for an offline machine).
#[derive(Debug, Clone)]
pub enum KeyPlace {
    /// An encrypted key file and its password.
    File {
        /// The file.
        path: PathBuf,
        /// Its password.
        password: Zeroizing<String>,
    },
    /// A token.
    Token {
        /// The PKCS#11 library.
        module: PathBuf,
        /// The token's label.
        token_label: String,
        /// Its user PIN.
        pin: Pin,
        /// The key pair's CKA_ID (None when a new key is made: a fresh one).
        key_id: Option<Vec<u8>>,
    },
}

/// Key files of the ceremony take a password this long at least (they may travel on media).
pub const MIN_KEY_FILE_PASSWORD: usize = 12;

impl KeyPlace {
    /// Opens the existing key.
    pub fn open(&self) -> Result<Box<dyn KeySigner>, CeremonyError> {
        match self {
            KeyPlace::File { path, password } => {
                Ok(Box::new(crate::authority::open_key(path, password)?))
            }
            KeyPlace::Token {
                module,
                token_label,
                pin,
                key_id,
            } => {
                let key_id = key_id
                    .clone()
                    .ok_or_else(|| CeremonyError::Usage("--key-id names the key".into()))?;
                let signer = HsmSigner::open(
                    HsmKeyRef {
                        module: module.clone(),
                        token_label: token_label.clone(),
                        key_id,
                        pin: pin.clone(),
                    },
                    1,
                )
                .map_err(token(format!("the key on the token «{token_label}»")))?;
                Ok(Box::new(signer))
            }
        }
    }

    /// Makes a new GOST R 34.10-2012 key (256-bit, CryptoPro-A) labelled `label`; refuses to
    /// replace a file or a key id that exists. Returns the signer and where it is.
    pub fn generate(&self, label: &str) -> Result<(Box<dyn KeySigner>, String), CeremonyError> {
        match self {
            KeyPlace::File { path, password } => {
                if path.exists() {
                    return Err(refused(format!(
                        "{} exists: a ceremony never replaces a key",
                        path.display()
                    )));
                }
                if password.chars().count() < MIN_KEY_FILE_PASSWORD {
                    return Err(refused(format!(
                        "the key file's password needs {MIN_KEY_FILE_PASSWORD} characters at least"
                    )));
                }
                let signer: SoftwareGostSigner = crate::authority::new_key(
                    password,
                    kep_pki::encrypted_key::DEFAULT_SCRYPT_LOG_N,
                    path,
                )?;
                Ok((Box::new(signer), format!("key file {}", path.display())))
            }
            KeyPlace::Token {
                module,
                token_label,
                pin,
                key_id,
            } => {
                let (worker, id) = generate_on_token(module, token_label, pin, key_id.clone())?;
                let key = kep_token::keys::generate_with_id(
                    &worker,
                    kep_token::keys::KeyKind::Gost256,
                    label,
                    id,
                    None,
                )
                .map_err(token(format!("making the key on «{token_label}»")))?;
                let place = format!(
                    "token «{token_label}», key id {}",
                    crate::ca_keys::key_id_hex(&key.id)
                );
                Ok((Box::new(kep_token::TokenSigner::new(worker, key)), place))
            }
        }
    }
}

/// A logged-in session on the token and the id a new key gets there: `wanted`, refused when
/// the token has objects with it already, or a fresh one.
pub(crate) fn generate_on_token(
    module: &Path,
    token_label: &str,
    pin: &Pin,
    wanted: Option<Vec<u8>>,
) -> Result<(std::sync::Arc<kep_token::TokenWorker>, Vec<u8>), CeremonyError> {
    let opened = || format!("the token «{token_label}»");
    let module = kep_token::Module::shared(module).map_err(token(opened()))?;
    let worker =
        kep_token::hsm::open_session(&module, token_label, pin).map_err(token(opened()))?;
    let id = match wanted {
        Some(id) => id,
        None => kep_token::keys::fresh_id().map_err(token(opened()))?,
    };
    match kep_token::keys::find_private_key(&worker, id.clone()) {
        Err(kep_token::TokenError::KeyNotFound) => Ok((worker, id)),
        Ok(_) => Err(refused(format!(
            "{} already holds a key with id {}: a ceremony never replaces a key",
            opened(),
            crate::ca_keys::key_id_hex(&id)
        ))),
        Err(e) => Err(token(opened())(e)),
    }
}

/// Reads a secret file (a PIN, a password): its first line.
pub fn read_secret(path: &Path) -> Result<Zeroizing<String>, CeremonyError> {
    let text = Zeroizing::new(read_text(path)?);
    let line = text.lines().next().unwrap_or_default();
    if line.is_empty() {
        return Err(refused(format!("{} is empty", path.display())));
    }
    Ok(Zeroizing::new(line.to_owned()))
}

fn read_text(path: &Path) -> Result<String, CeremonyError> {
    std::fs::read_to_string(path).map_err(|source| CeremonyError::Io {
        path: path.to_owned(),
        source,
    })
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, CeremonyError> {
    std::fs::read(path).map_err(|source| CeremonyError::Io {
        path: path.to_owned(),
        source,
    })
}

/// A certificate from a DER or PEM file.
pub fn read_certificate(path: &Path, what: &str) -> Result<(Certificate, Vec<u8>), CeremonyError> {
    let der = der_or_pem(read_bytes(path)?, "CERTIFICATE");
    let certificate = Certificate::from_der(&der).map_err(|e| {
        refused(format!(
            "{what} {} is not an X.509 certificate: {e}",
            path.display()
        ))
    })?;
    Ok((certificate, der))
}

/// `bytes` as DER: PEM of `label` decoded, anything else taken as it is.
fn der_or_pem(bytes: Vec<u8>, label: &str) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return bytes;
    };
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let Some(body) = text
        .split_once(&begin)
        .and_then(|(_, rest)| rest.split_once(&end))
        .map(|(body, _)| body)
    else {
        return bytes;
    };
    let joined: String = body.split_whitespace().collect();
    base64::Engine::decode(&base64::engine::general_purpose::STANDARD, joined).unwrap_or(bytes)
}

/// Writes a new file; refuses to replace one (a ceremony's artefacts are never overwritten).
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), CeremonyError> {
    if path.exists() {
        return Err(refused(format!(
            "{} exists: a ceremony never overwrites its artefacts",
            path.display()
        )));
    }
    kep_private_file::write(path, bytes).map_err(|source| CeremonyError::Io {
        path: path.to_owned(),
        source,
    })
}

/// SHA-256 of `der`, as the ceremony's minutes record it (`AB:CD:…`).
pub fn fingerprint(der: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    hex::encode_upper(digest)
        .as_bytes()
        .chunks(2)
        .map(|pair| String::from_utf8_lossy(pair).into_owned())
        .collect::<Vec<_>>()
        .join(":")
}

/// Whether `certificate` is valid at `now`; if not, why.
fn validity_problem(certificate: &Certificate, now: SystemTime) -> Option<String> {
    let validity = certificate.tbs_certificate().validity();
    let (from, to) = (
        validity.not_before.to_system_time(),
        validity.not_after.to_system_time(),
    );
    if now < from {
        Some(format!("is not valid before {}", time_text(from)))
    } else if now > to {
        Some(format!("expired on {}", time_text(to)))
    } else {
        None
    }
}

/// A time as the minutes show it (UTC).
fn time_text(at: SystemTime) -> String {
    time::OffsetDateTime::from(at)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "?".into())
}

/// Whether `certificate` is a self-signed CA certificate whose signature verifies.
fn is_self_signed_ca(certificate: &Certificate) -> bool {
    kep_pki::summary::is_signed_by(certificate, certificate) && is_ca(certificate)
}

/// Whether basicConstraints says CA.
fn is_ca(certificate: &Certificate) -> bool {
    use x509_cert::ext::pkix::BasicConstraints;
    certificate
        .tbs_certificate()
        .get_extension::<BasicConstraints>()
        .ok()
        .flatten()
        .is_some_and(|(_, bc)| bc.ca)
}

/// The subject, as the minutes show it.
fn subject_text(certificate: &Certificate) -> String {
    certificate.tbs_certificate().subject().to_string()
}

/// A serial in hex.
fn serial_text(certificate: &Certificate) -> String {
    hex::encode_upper(certificate.tbs_certificate().serial_number().as_bytes())
}
