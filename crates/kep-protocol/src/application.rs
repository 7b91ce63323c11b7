//! Certificate applications as the applicant sees them: status, requisites, documents, and the
//! timeline of what happened (with the operator's comments).

use crate::requisites::RequisitesInput;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where an application stands (the part before issuance; later steps add theirs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ApplicationStatus {
    /// Черновик: the applicant is filling it in.
    Draft,
    /// Нужны документы: the registries could not confirm СНИЛС/ИНН, or the operator asked.
    DocumentsRequired,
    /// На проверке УЦ.
    InReview,
    /// Отклонена (with the operator's comment).
    Rejected,
    /// Одобрена: ready for the statement.
    Approved,
}

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DocumentKind {
    /// Паспорт, главный разворот.
    PassportMain,
    /// Паспорт, страница с регистрацией.
    PassportRegistration,
    /// СНИЛС.
    Snils,
    /// ИНН.
    Inn,
    /// Скан подписанного заявления.
    SignedStatementScan,
    /// Другое.
    Other,
}

/// An uploaded document (its bytes are fetched separately).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentInfo {
    /// Its id within the application.
    pub id: i64,
    /// What it is.
    pub kind: DocumentKind,
    /// `application/pdf`, `image/jpeg` or `image/png`, recognized from the bytes.
    pub media_type: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, hex.
    pub sha256: String,
}

/// One entry of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEvent {
    /// Unix seconds.
    pub at: i64,
    /// The status the application moved to.
    pub status: ApplicationStatus,
    /// Who: `applicant`, `operator`, `system`.
    pub actor: String,
    /// The operator's comment or the system's explanation, in Russian.
    pub comment: Option<String>,
}

/// An application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationView {
    /// Its id.
    pub id: i64,
    /// Its status.
    pub status: ApplicationStatus,
    /// The requisites, as last saved (display forms once valid).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub requisites: Option<RequisitesInput>,
    /// Uploaded documents.
    pub documents: Vec<DocumentInfo>,
    /// What happened, oldest first.
    pub timeline: Vec<TimelineEvent>,
}
