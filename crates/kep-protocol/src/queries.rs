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
