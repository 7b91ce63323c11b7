//! «Мои сертификаты», the app's home: every certificate on the tokens present and in the
//! computer key store, with its status, and the details of one.

use crate::certificate::{CertificateStatus, CertificateSummary};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How close a certificate is to the end of its validity (the home marks each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExpiryMark {
    /// More than 60 days left.
    Fine,
    /// 60 days or fewer.
    Within60,
    /// 30 days or fewer.
    Within30,
    /// 7 days or fewer.
    Within7,
    /// Past its end.
    Expired,
}

impl ExpiryMark {
    /// The mark for `days_left` whole days (negative once expired).
    pub fn for_days(days_left: i64) -> Self {
        match days_left {
            d if d < 0 => Self::Expired,
            0..=7 => Self::Within7,
            8..=30 => Self::Within30,
            31..=60 => Self::Within60,
            _ => Self::Fine,
        }
    }
}

/// Where a certificate (and its key) is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum CertificatePlace {
    /// The app's computer key store.
    Computer,
    /// A token, by its label and serial.
    Token {
        /// The token's label.
        label: String,
        /// The token's serial.
        serial: String,
    },
}

/// One certificate on the home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MyCertificate {
    /// Opaque id (as the statement candidates': `computer:<name>` or `token:<serial>:<id>`).
    pub id: String,
    /// What it is.
    pub summary: CertificateSummary,
    /// Where it is.
    pub place: CertificatePlace,
    /// Its status from its issuer.
    pub status: CertificateStatus,
    /// How close its end is.
    pub expiry: ExpiryMark,
    /// Whether «Обновить сертификат» is offered (60 days or fewer left, or expired).
    pub renewable: bool,
    /// Whether it may be removed from here (an expired one in the computer key store).
    pub removable: bool,
    /// Whether files may be signed with it: its key is here, it is within its validity, and
    /// its issuer does not say it is revoked («не удалось проверить» still allows, with a
    /// warning).
    pub can_sign: bool,
    /// The renewal that issued it, when this app did.
    pub record: Option<RenewalRecord>,
}

/// «Подробнее»: what a certificate says, in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CertificateDetails {
    /// The home's entry.
    pub certificate: MyCertificate,
    /// The whole subject name, one attribute per line («CN = …»).
    pub subject: Vec<String>,
    /// The whole issuer name, likewise.
    pub issuer: Vec<String>,
    /// Certificate policies, each as «name (OID)» or the OID.
    pub policies: Vec<String>,
    /// The issuer's sign tools (issuerSignTool), if present.
    pub issuer_sign_tools: Vec<String>,
}

/// How the statement of a renewal was signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RecordStatement {
    /// With a КЭП: the PDF and its detached signature are kept.
    Signed,
    /// By hand: the scan sent is kept.
    Scan,
}

/// What a completed renewal left in the app's folder, listed under its certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RenewalRecord {
    /// The application.
    pub application_id: i64,
    /// When the certificate was installed (RFC 3339).
    pub installed_at: String,
    /// How the statement was signed.
    pub statement: RecordStatement,
    /// The files kept (names in the record's folder).
    pub files: Vec<String>,
    /// The record's folder, to open it.
    pub folder: String,
}

/// «Проверить» on a record: each part re-verified here, said in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordCheck {
    /// Whether the statement's signature (or the scan's presence) checks.
    pub statement_ok: bool,
    /// What was found about the statement (Russian).
    pub statement: String,
    /// Whether the certificate's chain checks against the CA's anchors.
    pub chain_ok: bool,
    /// What was found about the chain (Russian).
    pub chain: String,
}
