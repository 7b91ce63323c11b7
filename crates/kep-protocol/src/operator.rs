//! What the CA's operators send: their login, the review's decisions, the statement decision,
//! a renewal opened for a phone, a revocation.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An operator's credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct OperatorLogin {
    /// Login.
    pub login: String,
    /// Password.
    pub password: String,
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
