//! Stage 1 on the CA's side, the applicant's desk: list, view (with a version for ETags),
//! requisites, documents, and submission with the automatic СНИЛС/ИНН check. An applicant reaches
//! only their own applications: anything else is "not found", indistinguishable from a missing id.

use super::lifecycle::{accepts_changes, accepts_document};
use super::records::{Move, RecordError, Records, record_causes, requisites_of};
use crate::documents::{MAX_DOCUMENT_BYTES, MAX_DOCUMENTS, sniff};
use crate::messages_ru;
use crate::registry::Registry;
use crate::store::{ApplicationChanges, DocumentRow, Store};
use kep_pki::ValidateRequisites;
use kep_protocol::RequisitesInput;
use kep_protocol::application::{ApplicationStatus, ApplicationView, DocumentInfo, DocumentKind};
use std::sync::Arc;

/// Why the applicant's desk refused.
#[derive(Debug, thiserror::Error)]
pub enum ApplicantError {
    /// Reading or recording the application failed (or it is not theirs).
    #[error(transparent)]
    Record(#[from] RecordError),
    /// The requisites fail a check; `first` is the first problem, in Russian.
    #[error("the requisites do not validate: {first}")]
    RequisitesInvalid {
        /// The first problem found.
        first: String,
    },
    /// The application is past the point where requisites can change.
    #[error("the requisites can no longer be edited")]
    NotEditable,
    /// The application was already sent.
    #[error("the application was already submitted")]
    AlreadySubmitted,
    /// Sending without requisites.
    #[error("no requisites yet")]
    RequisitesMissing,
    /// The saved requisites no longer validate (a date passed, say): the fields that fail.
    #[error("the saved requisites no longer validate: {0:?}")]
    RequisitesStale(Vec<kep_protocol::Field>),
    /// Documents only before the application is sent.
    #[error("documents only before submission")]
    DocumentsOnlyBeforeSubmission,
    /// The statement scan is not awaited now.
    #[error("the statement scan is not awaited now")]
    StatementScanNotNow,
    /// After approval only the statement scan may be uploaded.
    #[error("only the statement scan now")]
    OnlyStatementScanNow,
    /// The file is over the limit.
    #[error("the file is over {MAX_DOCUMENT_BYTES} bytes")]
    FileTooLarge,
    /// Not a PDF, JPEG or PNG.
    #[error("the file is not a PDF, JPEG or PNG")]
    FileTypeRefused,
    /// A renewal asked for with bytes that are not a certificate.
    #[error("not a certificate: {0}")]
    NotACertificate(der::Error),
    /// A renewal asked for a certificate this CA issued to someone else.
    #[error("the certificate was issued to another applicant")]
    NotYourCertificate,
    /// The application has the most documents it may have.
    #[error("{MAX_DOCUMENTS} documents already")]
    TooManyDocuments,
    /// No such document on this application.
    #[error("no such document")]
    DocumentNotFound,
    /// The document belongs to a sent application.
    #[error("the documents of a sent application stay")]
    DocumentsOfSentApplication,
}

record_causes!(ApplicantError);

/// The applicant's side of their applications.
pub struct ApplicantService<S> {
    pub(super) records: Arc<Records<S>>,
    registry: Arc<dyn Registry>,
}

impl<S> std::fmt::Debug for ApplicantService<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApplicantService").finish_non_exhaustive()
    }
}

impl<S: Store> ApplicantService<S> {
    pub(crate) fn new(records: Arc<Records<S>>, registry: Arc<dyn Registry>) -> Self {
        Self { records, registry }
    }

    /// The applicant's applications.
    pub async fn list(&self, applicant_id: i64) -> Result<Vec<ApplicationView>, ApplicantError> {
        let rows = self.records.store.applications_of(applicant_id).await?;
        Ok(self.records.views_of(rows).await?)
    }

    /// One application and its version (the ETag).
    pub async fn view(
        &self,
        applicant_id: i64,
        id: i64,
    ) -> Result<(ApplicationView, i64), ApplicantError> {
        Ok(self.records.view(applicant_id, id).await?)
    }

    /// Saves the requisites (valid ones only, in their display form). Editing an approved
    /// application sends it back to review.
    pub async fn save_requisites(
        &self,
        applicant_id: i64,
        id: i64,
        input: RequisitesInput,
    ) -> Result<ApplicationView, ApplicantError> {
        let records = &self.records;
        let row = records.owned(applicant_id, id).await?;
        let status = row.status;
        let now = records.clock.unix();
        let today = time::OffsetDateTime::from(records.clock.now()).date();
        let requisites =
            input
                .validate(today)
                .map_err(|errors| ApplicantError::RequisitesInvalid {
                    first: errors
                        .first()
                        .map(|e| e.message.clone())
                        .unwrap_or_default(),
                })?;
        let json = serde_json::to_string(&requisites.to_input())
            .map_err(|e| RecordError::Corrupt(format!("requisites as JSON: {e}")))?;
        match status {
            ApplicationStatus::Draft | ApplicationStatus::DocumentsRequired => {
                records
                    .store
                    .update_application(id, Some(json), None, None, now)
                    .await?;
            }
            // Changed requisites after approval: back to review, and the statement made from
            // the old ones is withdrawn.
            ApplicationStatus::Approved | ApplicationStatus::StatementRejected => {
                let moved = records
                    .move_to(Move {
                        id,
                        from: status,
                        to: ApplicationStatus::InReview,
                        changes: ApplicationChanges {
                            requisites: Some(json),
                            statement_sha256: Some(None),
                            signature_sha256: Some(None),
                            identification: Some(None),
                            ..ApplicationChanges::default()
                        },
                        actor: "applicant",
                        comment: Some(messages_ru::EDITED_AFTER_APPROVAL.into()),
                        now,
                    })
                    .await?;
                if !moved {
                    return Err(ApplicantError::NotEditable);
                }
            }
            _ => return Err(ApplicantError::NotEditable),
        }
        records
            .store
            .audit(
                &format!("applicant:{applicant_id}"),
                "application.requisites",
                &id.to_string(),
                now,
            )
            .await?;
        Ok(records.view(applicant_id, id).await?.0)
    }

    /// Sends the application to the CA after the automatic registry check.
    pub async fn submit(
        &self,
        applicant_id: i64,
        id: i64,
    ) -> Result<ApplicationView, ApplicantError> {
        let records = &self.records;
        let row = records.owned(applicant_id, id).await?;
        let status = row.status;
        if !accepts_changes(status) {
            return Err(ApplicantError::AlreadySubmitted);
        }
        let input = requisites_of(&row)?.ok_or(ApplicantError::RequisitesMissing)?;
        let now = records.clock.unix();
        let today = time::OffsetDateTime::from(records.clock.now()).date();
        let requisites = input.validate(today).map_err(|errors| {
            ApplicantError::RequisitesStale(errors.iter().map(|e| e.field).collect())
        })?;
        let documents: Vec<DocumentKind> = records
            .store
            .documents(id)
            .await?
            .iter()
            .map(|d| d.kind)
            .collect();
        let has_scans = documents.contains(&DocumentKind::PassportMain)
            && documents.contains(&DocumentKind::Snils);
        let answer = self.registry.check(&requisites).await;
        let confirmed = answer.confirmed();
        let (next, comment) = if confirmed {
            (
                ApplicationStatus::InReview,
                messages_ru::REGISTRIES_CONFIRMED,
            )
        } else if has_scans {
            (ApplicationStatus::InReview, messages_ru::SENT_WITH_SCANS)
        } else {
            (
                ApplicationStatus::DocumentsRequired,
                messages_ru::registry_outcome(&answer),
            )
        };
        if !records
            .move_to(Move {
                id,
                from: status,
                to: next,
                changes: ApplicationChanges {
                    registry_confirmed: Some(confirmed),
                    ..ApplicationChanges::default()
                },
                actor: "system",
                comment: Some(comment.to_owned()),
                now,
            })
            .await?
        {
            return Err(ApplicantError::AlreadySubmitted);
        }
        records
            .store
            .audit(
                &format!("applicant:{applicant_id}"),
                "application.submit",
                &id.to_string(),
                now,
            )
            .await?;
        Ok(records.view(applicant_id, id).await?.0)
    }

    /// Stores an uploaded document.
    pub async fn upload(
        &self,
        applicant_id: i64,
        id: i64,
        kind: DocumentKind,
        bytes: &[u8],
    ) -> Result<DocumentInfo, ApplicantError> {
        let records = &self.records;
        let row = records.owned(applicant_id, id).await?;
        let status = row.status;
        if !accepts_document(status, kind) {
            return Err(if accepts_changes(status) {
                ApplicantError::DocumentsOnlyBeforeSubmission
            } else if kind == DocumentKind::SignedStatementScan {
                ApplicantError::StatementScanNotNow
            } else {
                ApplicantError::OnlyStatementScanNow
            });
        }
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(ApplicantError::FileTooLarge);
        }
        let media_type = sniff(bytes).ok_or(ApplicantError::FileTypeRefused)?;
        if records.store.documents(id).await?.len() >= MAX_DOCUMENTS {
            return Err(ApplicantError::TooManyDocuments);
        }
        let sha256 = records.put_blob(bytes).await?;
        let now = records.clock.unix();
        let doc = DocumentRow {
            id: 0,
            kind,
            media_type: media_type.to_owned(),
            size: bytes.len() as i64,
            sha256: sha256.clone(),
        };
        let doc_id = records.store.add_document(id, doc, now).await?;
        records
            .store
            .audit(
                &format!("applicant:{applicant_id}"),
                "document.upload",
                &format!("{id}/{doc_id}"),
                now,
            )
            .await?;
        Ok(DocumentInfo {
            id: doc_id,
            kind,
            media_type: media_type.to_owned(),
            size: bytes.len() as u64,
            sha256,
        })
    }

    /// A document's type and bytes.
    pub async fn download(
        &self,
        applicant_id: i64,
        id: i64,
        document_id: i64,
    ) -> Result<(String, Vec<u8>), ApplicantError> {
        let records = &self.records;
        records.owned(applicant_id, id).await?;
        let doc = records
            .store
            .documents(id)
            .await?
            .into_iter()
            .find(|d| d.id == document_id)
            .ok_or(ApplicantError::DocumentNotFound)?;
        let bytes = records.blob(&doc.sha256).await?;
        Ok((doc.media_type, bytes))
    }

    /// Deletes a document (the file stays while another upload shares it).
    pub async fn delete(
        &self,
        applicant_id: i64,
        id: i64,
        document_id: i64,
    ) -> Result<(), ApplicantError> {
        let records = &self.records;
        let row = records.owned(applicant_id, id).await?;
        let status = row.status;
        let kind = records
            .store
            .documents(id)
            .await?
            .into_iter()
            .find(|d| d.id == document_id)
            .map(|d| d.kind)
            .ok_or(ApplicantError::DocumentNotFound)?;
        if !accepts_document(status, kind) {
            return Err(ApplicantError::DocumentsOfSentApplication);
        }
        let now = records.clock.unix();
        if !records.store.delete_document(id, document_id, now).await? {
            return Err(ApplicantError::DocumentNotFound);
        }
        records
            .store
            .audit(
                &format!("applicant:{applicant_id}"),
                "document.delete",
                &format!("{id}/{document_id}"),
                now,
            )
            .await?;
        Ok(())
    }
}
