//! Certificates as the UI shows them: a summary of one, and one the statement may be signed with.

use crate::application::KeyStorageKind;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the UI shows of a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CertificateSummary {
    /// The owner's ФИО (commonName).
    pub owner: String,
    /// СНИЛС, 11 digits, if present.
    pub snils: Option<String>,
    /// ИНН of the individual, 12 digits, if present.
    pub inn: Option<String>,
    /// The issuer's commonName (or the whole name when it has none).
    pub issuer: String,
    /// Serial number, upper-case hex.
    pub serial: String,
    /// Start of validity, RFC 3339.
    pub not_before: String,
    /// End of validity, RFC 3339.
    pub not_after: String,
    /// Whole days until the end of validity (negative once expired).
    pub days_left: i64,
    /// The key algorithm, in words ("ГОСТ Р 34.10-2012 256 бит").
    pub key_algorithm: String,
    /// The parameter set OID of a GOST key.
    pub param_set: Option<String>,
    /// SHA-1 thumbprint as Windows shows it: upper-case hex, no separators.
    pub thumbprint: String,
    /// subjectSignTool, if present.
    pub subject_sign_tool: Option<String>,
    /// IdentificationKind (0..3), if present.
    pub identification_kind: Option<u8>,
    /// Whether it is a qualified certificate: СНИЛС, both sign-tool extensions, a class policy,
    /// and a chain to a configured root.
    pub qualified: bool,
}

/// A certificate the user may sign the statement with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SigningCertificate {
    /// Opaque id: `computer:<name>` for the key store.
    pub id: String,
    /// What it is, for display.
    pub summary: CertificateSummary,
    /// Where its key is.
    pub storage: KeyStorageKind,
    /// Why it cannot sign this statement (Russian), if it cannot.
    pub problem: Option<String>,
}

/// Where a certificate's status was learnt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StatusSource {
    /// The issuer's OCSP responder.
    Ocsp,
    /// The issuer's certificate revocation list.
    Crl,
}

/// A certificate's status as its issuer publishes it — or why it could not be learnt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum CertificateStatus {
    /// Not revoked, per `source` at `checked_at` (RFC 3339).
    Valid {
        /// OCSP or CRL.
        source: StatusSource,
        /// When the issuer's answer was current.
        checked_at: String,
    },
    /// Revoked at `revoked_at` (RFC 3339); `reason` in words (Russian), if given.
    Revoked {
        /// When.
        revoked_at: String,
        /// Why, in words.
        reason: Option<String>,
    },
    /// Replaced by a renewal (revoked as superseded) at `revoked_at`.
    Superseded {
        /// When.
        revoked_at: String,
    },
    /// Past its validity: no status is asked for.
    Expired,
    /// «Не удалось проверить»: `reason` says why (Russian).
    Unchecked {
        /// Why the status is not known.
        reason: String,
    },
}
