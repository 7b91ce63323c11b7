//! The query strings of the CA's API: which kind a document upload is, where the key of a
//! certificate request is kept, which operator queue is asked for.

use crate::application::{ApplicationStatus, DocumentKind, KeyStorageKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `?kind=` of an upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[ts(export)]
pub struct UploadQuery {
    /// What the document is.
    pub kind: DocumentKind,
}

/// `?storage=` of a certificate request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[ts(export)]
pub struct RequestQuery {
    /// Where the key is kept.
    pub storage: KeyStorageKind,
}

/// `?status=` of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[ts(export)]
pub struct QueueQuery {
    /// Which queue: `in_review` (default), `statement_in_review`, `awaiting_identity`.
    pub status: Option<ApplicationStatus>,
}

/// `?q=` of the operators' search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[ts(export)]
pub struct SearchQuery {
    /// An application number, a phone, a ФИО (or part of one) or a СНИЛС.
    pub q: String,
}

/// The audit log's filters: each given one must match exactly; newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[ts(export)]
pub struct AuditQuery {
    /// Who: `operator:<id>`, `applicant:<id>`, `cli:<user>`, `system`.
    #[ts(optional)]
    pub actor: Option<String>,
    /// What, e.g. `operator.login`, `application.approved`.
    #[ts(optional)]
    pub action: Option<String>,
    /// About what: a login, `application:<id>`, a serial.
    #[ts(optional)]
    pub subject: Option<String>,
    /// Entries older than this one (the next page).
    #[ts(optional)]
    pub before: Option<i64>,
    /// At most this many (1–500; 100 by default).
    #[ts(optional)]
    pub limit: Option<i64>,
}
