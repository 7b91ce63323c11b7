//! Signing files with a КЭП and checking signatures sent to the person: the files chosen (by
//! opaque id, as the upload zone's), the signing request and its progress, and the verdict of a
//! check.

use crate::certificate::{CertificateStatus, CertificateSummary};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A file dropped onto the window (or chosen) to be signed or checked. The path stays in the
/// backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChosenFile {
    /// Opaque id.
    pub id: String,
    /// The file's name.
    pub name: String,
    /// Its size in bytes.
    #[ts(type = "number")]
    pub size: u64,
    /// Whether it reads as a signature (CMS, DER or base64): the check pairs it with the file
    /// it signs.
    pub is_signature: bool,
}

/// How a `.sig` is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SignatureEncoding {
    /// Binary DER (what most services take).
    #[default]
    Der,
    /// The whole DER in base64, one line, without a PEM header (what some portals ask for).
    Base64,
}

/// «Подписать»: the files, the certificate and how to write the signatures. The PIN or
/// password travels beside it, never in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignFiles {
    /// The certificate (an id of «Мои сертификаты»).
    pub certificate_id: String,
    /// The chosen files' ids.
    pub file_ids: Vec<String>,
    /// DER or base64.
    pub encoding: SignatureEncoding,
    /// Ask where to save (a save dialog for one file, a folder for several) instead of writing
    /// `<file>.sig` beside each file.
    pub choose_place: bool,
}

/// How far the signing of one file is (hashing dominates: the file is read once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SigningProgress {
    /// The file's id.
    pub file_id: String,
    /// Bytes read so far.
    #[ts(type = "number")]
    pub done: u64,
    /// The file's size.
    #[ts(type = "number")]
    pub total: u64,
}

/// What became of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignedFile {
    /// The file's id.
    pub file_id: String,
    /// The file's name.
    pub name: String,
    /// The signature's file name, when it was written.
    pub signature_name: Option<String>,
    /// Whether an earlier signature of the same name was replaced.
    pub replaced: bool,
    /// Why this file was not signed (Russian), when it was not.
    pub problem: Option<String>,
}

/// The one-word answer of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CheckVerdict {
    /// The file is unchanged, the certificate trusted and not revoked now.
    Valid,
    /// Something is certainly wrong: the file changed, the signature is broken, the
    /// certificate was revoked or was not valid.
    Invalid,
    /// Nothing is wrong that could be seen, but something could not be confirmed: the
    /// certificate's CA is not trusted, or its status could not be learnt.
    NotConfirmed,
}

/// Whom the signer's certificate chains to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum SignerTrust {
    /// A CA of the accredited list the CA serves.
    Accredited {
        /// The CA as the list names it.
        name: String,
        /// Its ИНН.
        inn: String,
    },
    /// The CA this app works with.
    ThisCa,
    /// Neither, or the chain does not check.
    Untrusted,
}

/// One certificate of the signer's chain, signer first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChainLink {
    /// Its owner's name.
    pub subject: String,
    /// Serial number, upper-case hex.
    pub serial: String,
    /// End of validity, RFC 3339.
    pub not_after: String,
}

/// The result of checking a signature, in plain Russian sentences beside the facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignatureCheck {
    /// The signed file's name (none for an attached signature checked alone).
    pub file_name: Option<String>,
    /// SHA-256 of the signed content, hex.
    pub content_sha256: String,
    /// The signature file's name.
    pub signature_name: String,
    /// The answer.
    pub verdict: CheckVerdict,
    /// The answer in one sentence.
    pub headline: String,
    /// The signer's certificate (who signed), as the signature names it.
    pub signer: CertificateSummary,
    /// The signing time the signature claims, RFC 3339.
    pub signing_time: Option<String>,
    /// What that time is worth (the signer's own claim, without a timestamp).
    pub time_note: String,
    /// Whether the content is what was signed.
    pub content_unchanged: bool,
    /// The content, in words.
    pub content_note: String,
    /// Whom the certificate chains to.
    pub trust: SignerTrust,
    /// The trust, in words.
    pub trust_note: String,
    /// The certificate's status now.
    pub status: CertificateStatus,
    /// The status, in words.
    pub status_note: String,
    /// The chain, signer first (only the signer's certificate when it does not chain).
    pub chain: Vec<ChainLink>,
    /// When the check was made, RFC 3339.
    pub checked_at: String,
}
