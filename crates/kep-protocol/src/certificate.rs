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
