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
    /// Одобрена: the statement is ready to be signed.
    Approved,
    /// Заявление на проверке: a scan of the hand-signed statement awaits an operator.
    StatementInReview,
    /// Заявление отклонено (with the operator's comment): delete the copy, upload a corrected one.
    StatementRejected,
    /// Готов к выпуску: the statement is accepted; make the key and send the request.
    ReadyForKey,
    /// Подтверждение личности: the request is in; the organization's responsible officer must
    /// confirm the applicant's identity in person.
    AwaitingIdentity,
    /// Выпуск сертификата: the CA is signing the certificate.
    Issuing,
    /// Выпущен: the certificate can be downloaded and installed.
    Issued,
    /// Установлен: the app installed it; the replaced certificate is recorded as superseded.
    Completed,
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
    /// The statement to sign, once the requisites are approved.
    pub statement: Option<StatementInfo>,
    /// The issued certificate, once there is one.
    pub certificate: Option<IssuedCertificate>,
    /// The certificate this application renews, when it was opened for one.
    #[serde(default)]
    pub renews: Option<RenewedCertificate>,
}

/// How the statement was (or is being) signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StatementSigning {
    /// Not signed yet.
    Unsigned,
    /// Signed with the applicant's valid КЭП (remote identification).
    Qualified,
    /// Signed by hand; the scan is checked by an operator, identity confirmed in person.
    Scan,
}

/// The statement «Заявление на изготовление квалифицированного сертификата…» as the CA stored it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementInfo {
    /// SHA-256 (hex) of the PDF: every signature is checked over exactly these bytes.
    pub sha256: String,
    /// How it is signed.
    pub signing: StatementSigning,
}

/// The certificate issued on an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedCertificate {
    /// Serial number, hex.
    pub serial: String,
    /// Valid until (Unix seconds).
    pub not_after: i64,
    /// How identity was established (IdentificationKind: 0 in person, 1 remotely with a КЭП).
    pub identification: u8,
}

/// The certificate an application renews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RenewedCertificate {
    /// Serial number, hex.
    pub serial: String,
    /// The owner's ФИО.
    pub owner: String,
    /// Valid until (Unix seconds).
    pub not_after: i64,
}

/// Where the applicant keeps the key a certificate request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum KeyStorageKind {
    /// A removable token (Рутокен).
    Token,
    /// The app's key store on this computer.
    Computer,
}
