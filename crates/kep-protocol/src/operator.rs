//! What the CA's operators send: their login, the review's decisions, the statement decision,
//! a renewal opened for a phone, a revocation.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An operator's credentials.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct OperatorLogin {
    /// Login.
    pub login: String,
    /// Password.
    pub password: String,
    /// The current code of the operator's authenticator app (TOTP, 6 digits), once enrolled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub totp: Option<String>,
}

impl std::fmt::Debug for OperatorLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorLogin")
            .field("login", &self.login)
            .finish_non_exhaustive()
    }
}

/// A second factor to enroll: the secret for the operator's authenticator app, to scan as a QR
/// code of `otpauth_url` or to type in. The enrollment ends with the first right code.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct TotpEnrollment {
    /// The secret, base32.
    pub secret: String,
    /// `otpauth://totp/…`, what the QR code holds.
    pub otpauth_url: String,
}

impl std::fmt::Debug for TotpEnrollment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpEnrollment(***)")
    }
}

/// An operator's decision on an application under review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "decision", rename_all = "snake_case")]
#[ts(export)]
pub enum Decision {
    /// Approve: the applicant is told the certificate is ready to be issued.
    Approve,
    /// Reject, with the comment the applicant reads.
    Reject {
        /// Why.
        comment: String,
    },
    /// Ask for documents (the comment lists them).
    RequestDocuments {
        /// Which documents and why.
        comment: String,
    },
}

/// An operator's decision on a scanned statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "decision", rename_all = "snake_case")]
#[ts(export)]
pub enum StatementDecision {
    /// The scan is the statement, signed: the applicant may make the key.
    Approve,
    /// Something is wrong with the scan; the comment says what.
    Reject {
        /// Why (shown to the applicant as «Комментарий»).
        comment: String,
    },
}

/// The applicant to open an application for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct OpenApplication {
    /// The applicant's mobile number.
    pub phone: String,
}

/// Why a certificate is revoked, as an operator gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RevokeReason {
    /// The key was lost or stolen.
    KeyCompromise,
    /// The owner's data changed.
    AffiliationChanged,
    /// The owner asked to stop using it.
    CessationOfOperation,
}

/// Why a certificate is revoked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Revoke {
    /// The reason.
    pub reason: RevokeReason,
}

/// One line of the CA's audit log: every operator action, sign-in and account change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct AuditEntry {
    /// Its number (entries only grow).
    pub id: i64,
    /// When (Unix seconds).
    pub at: i64,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// About what.
    pub subject: String,
}
