//! Applications from the applicant's side: list, view (with a version for ETags), requisites,
//! documents, submission with the automatic СНИЛС/ИНН check. An applicant reaches only their own
//! applications: anything else is "not found", indistinguishable from a missing id.

use crate::authority::Authority;
use crate::clock::Clock;
use crate::documents::{DocumentFiles, MAX_DOCUMENT_BYTES, MAX_DOCUMENTS, sniff};
use crate::messages_ru;
use crate::notifier::Notifier;
use crate::policy::IssuancePolicy;
use crate::registry::{Registry, RegistryVerdict};
use crate::store::{ApplicationChanges, ApplicationRow, DocumentRow, EventRow, Store};
use kep_protocol::application::{
    ApplicationStatus, ApplicationView, DocumentInfo, DocumentKind, IssuedCertificate,
    StatementInfo, StatementSigning, TimelineEvent,
};
use kep_protocol::{ApiError, ErrorKind, RequisitesInput};
use std::sync::Arc;

/// The applications service.
pub struct Applications<S> {
    pub(crate) store: S,
    pub(crate) clock: Arc<dyn Clock>,
    registry: Arc<dyn Registry>,
    pub(crate) notifier: Arc<dyn Notifier>,
    pub(crate) files: DocumentFiles,
    pub(crate) authority: Arc<Authority>,
    pub(crate) policy: IssuancePolicy,
    pub(crate) crl_cache: crate::revocation::CrlCache,
    /// Dev-only failpoint: abort the process right after a request is recorded (crash tests).
    pub(crate) crash_after_request: bool,
}

/// What [`Applications::record_decision`] records.
pub(crate) struct OperatorDecision<'a> {
    pub(crate) operator_id: i64,
    pub(crate) row: &'a ApplicationRow,
    pub(crate) from: ApplicationStatus,
    pub(crate) next: ApplicationStatus,
    pub(crate) changes: ApplicationChanges,
    pub(crate) comment: Option<String>,
    pub(crate) audit: String,
    pub(crate) message: String,
    /// The conflict message when the application was no longer in `from`.
    pub(crate) refused: &'static str,
    pub(crate) now: i64,
}

/// An operator's decision on an application under review.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "decision", rename_all = "snake_case")]
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

impl<S> std::fmt::Debug for Applications<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Applications")
            .field("documents", &self.files.dir())
            .finish_non_exhaustive()
    }
}

pub(crate) fn internal(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "internal error");
    ApiError::internal()
}

pub(crate) fn wire<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub(crate) fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(internal)
}

/// Whether the applicant may still change the application (requisites, documents) and send it.
fn accepts_changes(status: ApplicationStatus) -> bool {
    matches!(
        status,
        ApplicationStatus::Draft | ApplicationStatus::DocumentsRequired
    )
}

/// Whether the statement may be signed or its scan sent now: after approval, or after the
/// operator rejected the previous scan.
pub(crate) fn awaits_statement(status: ApplicationStatus) -> bool {
    matches!(
        status,
        ApplicationStatus::Approved | ApplicationStatus::StatementRejected
    )
}

/// Whether a document of `kind` may be added or removed now: any before the application is
/// sent; after approval only the scan of the signed statement, until it is accepted.
fn accepts_document(status: ApplicationStatus, kind: DocumentKind) -> bool {
    accepts_changes(status)
        || (kind == DocumentKind::SignedStatementScan && awaits_statement(status))
}

/// The requisites saved on an application, if any.
fn requisites_of(row: &ApplicationRow) -> Result<Option<RequisitesInput>, ApiError> {
    row.requisites
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(internal)
}

pub(crate) fn not_found() -> ApiError {
    ApiError::new(ErrorKind::NotFound, messages_ru::APPLICATION_NOT_FOUND)
}

pub(crate) fn conflict(message: &str) -> ApiError {
    ApiError::new(ErrorKind::Conflict, message)
}

impl<S: Store> Applications<S> {
    /// The service over `store`, with documents in `files`.
    pub fn new(
        store: S,
        clock: Arc<dyn Clock>,
        registry: Arc<dyn Registry>,
        notifier: Arc<dyn Notifier>,
        files: DocumentFiles,
        authority: Arc<Authority>,
        policy: IssuancePolicy,
    ) -> Self {
        Self {
            store,
            clock,
            registry,
            notifier,
            files,
            authority,
            policy,
            crl_cache: crate::revocation::CrlCache::default(),
            crash_after_request: false,
        }
    }

    /// Arms the dev-only failpoint that aborts the process right after a certificate request
    /// is recorded and before the certificate is signed (the crash-safety test uses it).
    pub fn abort_after_recording_requests(&mut self) {
        self.crash_after_request = true;
    }

    /// The CA hierarchy.
    pub fn authority(&self) -> &Authority {
        &self.authority
    }

    /// The issuance policy.
    pub fn policy(&self) -> &IssuancePolicy {
        &self.policy
    }

    /// Tells the applicant who owns application `row` (a failure is logged, never fatal: the
    /// timeline has the news anyway).
    pub(crate) async fn tell(&self, applicant_id: i64, message: &str) {
        match self.store.applicant_phone(applicant_id).await {
            Ok(Some(phone)) => {
                if let Err(e) = self.notifier.notify(&phone, message).await {
                    crate::metrics::METRICS.provider_failed("notifications");
                    tracing::warn!(error = %e, applicant_id, "a notification was not delivered");
                }
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, applicant_id, "a notification was not delivered"),
        }
    }

    /// Any application by id (operators and the service itself; applicants go through `owned`).
    pub(crate) async fn row(&self, id: i64) -> Result<ApplicationRow, ApiError> {
        self.store
            .application(id)
            .await
            .map_err(internal)?
            .ok_or_else(not_found)
    }

    /// Any application's view by id, read fresh.
    pub(crate) async fn view_by_id(&self, id: i64) -> Result<ApplicationView, ApiError> {
        let row = self.row(id).await?;
        self.view_of(&row).await
    }

    /// The application's requisites, validated (as approved).
    pub(crate) fn approved_requisites(
        &self,
        row: &ApplicationRow,
    ) -> Result<kep_pki::Requisites, ApiError> {
        let input = requisites_of(row)?
            .ok_or_else(|| internal("an approved application without requisites"))?;
        let today = time::OffsetDateTime::from(self.clock.now()).date();
        input
            .validate(today)
            .map_err(|_| internal("approved requisites no longer validate"))
    }

    /// The store (for the dev seed).
    pub fn store(&self) -> &S {
        &self.store
    }

    /// A work queue: applications in `status`, oldest first.
    pub async fn queue(&self, status: ApplicationStatus) -> Result<Vec<ApplicationView>, ApiError> {
        let rows = self
            .store
            .applications_in(&wire(status))
            .await
            .map_err(internal)?;
        self.views_of(rows).await
    }

    /// An operator's decision; the applicant is notified.
    pub async fn decide(
        &self,
        operator_id: i64,
        id: i64,
        decision: Decision,
    ) -> Result<ApplicationView, ApiError> {
        let row = self.row(id).await?;
        if parse::<ApplicationStatus>(&row.status)? != ApplicationStatus::InReview {
            return Err(conflict(messages_ru::DECIDED_ONLY_IN_REVIEW));
        }
        let (next, comment, message) = match &decision {
            Decision::Approve => (
                ApplicationStatus::Approved,
                None,
                messages_ru::READY_FOR_ISSUANCE.to_owned(),
            ),
            Decision::Reject { comment } | Decision::RequestDocuments { comment }
                if comment.trim().is_empty() =>
            {
                return Err(ApiError::new(
                    ErrorKind::InvalidInput,
                    messages_ru::COMMENT_REQUIRED,
                ));
            }
            Decision::Reject { comment } => (
                ApplicationStatus::Rejected,
                Some(comment.clone()),
                messages_ru::rejected_with(comment),
            ),
            Decision::RequestDocuments { comment } => (
                ApplicationStatus::DocumentsRequired,
                Some(comment.clone()),
                messages_ru::documents_requested(comment),
            ),
        };
        let now = self.clock.unix();
        let mut changes = ApplicationChanges::default();
        if next == ApplicationStatus::Approved {
            let pdf = self.render_statement(&row).await?;
            changes.statement_sha256 = Some(Some(pdf));
            changes.signature_sha256 = Some(None);
            changes.identification = Some(None);
        }
        self.record_decision(OperatorDecision {
            operator_id,
            row: &row,
            from: ApplicationStatus::InReview,
            next,
            changes,
            comment,
            audit: format!("application.{}", wire(next)),
            message,
            refused: messages_ru::DECIDED_ONLY_IN_REVIEW,
            now,
        })
        .await
    }

    /// Records an operator's decision: the compare-and-set move with the comment on the timeline,
    /// the audit line, and the applicant told; answers with the application as it now is.
    pub(crate) async fn record_decision(
        &self,
        d: OperatorDecision<'_>,
    ) -> Result<ApplicationView, ApiError> {
        let id = d.row.id;
        let event = EventRow {
            at: d.now,
            actor: "operator".into(),
            status: wire(d.next),
            comment: d.comment,
        };
        if !self
            .store
            .transition(
                id,
                vec![wire(d.from)],
                wire(d.next),
                d.changes,
                event,
                d.now,
            )
            .await
            .map_err(internal)?
        {
            return Err(conflict(d.refused));
        }
        self.store
            .audit(
                &format!("operator:{}", d.operator_id),
                &d.audit,
                &id.to_string(),
                d.now,
            )
            .await
            .map_err(internal)?;
        self.tell(d.row.applicant_id, &d.message).await;
        self.view_by_id(id).await
    }

    /// Opens a renewal application for an applicant (what the CA does when a certificate has
    /// less than 60 days left, or what an operator does by hand). It starts from the requisites
    /// of the applicant's latest application, as a renewal does: the applicant reviews them
    /// instead of typing everything again.
    pub async fn open_renewal(&self, applicant_id: i64, actor: &str) -> Result<i64, ApiError> {
        let now = self.clock.unix();
        let previous = self
            .store
            .applications_of(applicant_id)
            .await
            .map_err(internal)?
            .into_iter()
            .rev()
            .find_map(|row| row.requisites);
        let id = self
            .store
            .create_application(applicant_id, &wire(ApplicationStatus::Draft), now)
            .await
            .map_err(internal)?;
        let event = EventRow {
            at: now,
            actor: actor.to_owned(),
            status: wire(ApplicationStatus::Draft),
            comment: Some(messages_ru::RENEWAL_OPENED.into()),
        };
        self.store
            .update_application(id, previous, None, Some(event), now)
            .await
            .map_err(internal)?;
        self.store
            .audit(actor, "application.open", &id.to_string(), now)
            .await
            .map_err(internal)?;
        Ok(id)
    }

    /// Opens a renewal application for the applicant with `phone` (created if new).
    pub async fn open_for_phone(&self, phone: &str, actor: &str) -> Result<i64, ApiError> {
        let phone = crate::login::parse_phone(phone)?;
        let now = self.clock.unix();
        let applicant = self
            .store
            .applicant_for_phone(phone.e164(), now)
            .await
            .map_err(internal)?;
        self.open_renewal(applicant, actor).await
    }

    pub(crate) async fn owned(
        &self,
        applicant_id: i64,
        id: i64,
    ) -> Result<ApplicationRow, ApiError> {
        match self.store.application(id).await.map_err(internal)? {
            Some(row) if row.applicant_id == applicant_id => Ok(row),
            _ => Err(not_found()),
        }
    }

    async fn views_of(&self, rows: Vec<ApplicationRow>) -> Result<Vec<ApplicationView>, ApiError> {
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(self.view_of(row).await?);
        }
        Ok(out)
    }

    pub(crate) async fn view_of(&self, row: &ApplicationRow) -> Result<ApplicationView, ApiError> {
        let documents = self
            .store
            .documents(row.id)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|d| {
                Ok(DocumentInfo {
                    id: d.id,
                    kind: parse(&d.kind)?,
                    media_type: d.media_type,
                    size: d.size as u64,
                    sha256: d.sha256,
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        let timeline = self
            .store
            .events(row.id)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|e| {
                Ok(TimelineEvent {
                    at: e.at,
                    status: parse(&e.status)?,
                    actor: e.actor,
                    comment: e.comment,
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        let status: ApplicationStatus = parse(&row.status)?;
        let statement = row.statement_sha256.as_ref().map(|sha256| StatementInfo {
            sha256: sha256.clone(),
            signing: if row.signature_sha256.is_some() {
                StatementSigning::Qualified
            } else if matches!(
                status,
                ApplicationStatus::StatementInReview | ApplicationStatus::StatementRejected
            ) || row.identification == Some(0)
            {
                StatementSigning::Scan
            } else {
                StatementSigning::Unsigned
            },
        });
        let certificate = self
            .store
            .certificate_of(row.id)
            .await
            .map_err(internal)?
            .map(|c| IssuedCertificate {
                serial: c.serial,
                not_after: c.not_after,
                identification: u8::try_from(c.identification).unwrap_or(0),
            });
        Ok(ApplicationView {
            id: row.id,
            status,
            requisites: requisites_of(row)?,
            documents,
            timeline,
            statement,
            certificate,
        })
    }

    /// The applicant's applications.
    pub async fn list(&self, applicant_id: i64) -> Result<Vec<ApplicationView>, ApiError> {
        let rows = self
            .store
            .applications_of(applicant_id)
            .await
            .map_err(internal)?;
        self.views_of(rows).await
    }

    /// One application and its version (the ETag).
    pub async fn view(
        &self,
        applicant_id: i64,
        id: i64,
    ) -> Result<(ApplicationView, i64), ApiError> {
        let row = self.owned(applicant_id, id).await?;
        Ok((self.view_of(&row).await?, row.version))
    }

    /// The current version only (cheap: for `If-None-Match`).
    pub async fn version(&self, applicant_id: i64, id: i64) -> Result<i64, ApiError> {
        Ok(self.owned(applicant_id, id).await?.version)
    }

    /// Saves the requisites (valid ones only, in their display form). Editing an approved
    /// application sends it back to review.
    pub async fn save_requisites(
        &self,
        applicant_id: i64,
        id: i64,
        input: RequisitesInput,
    ) -> Result<ApplicationView, ApiError> {
        let row = self.owned(applicant_id, id).await?;
        let status: ApplicationStatus = parse(&row.status)?;
        let now = self.clock.unix();
        let today = time::OffsetDateTime::from(self.clock.now()).date();
        let requisites = input.validate(today).map_err(|errors| {
            let first = errors
                .first()
                .map(|e| e.message.as_str())
                .unwrap_or_default();
            ApiError::new(
                ErrorKind::InvalidInput,
                messages_ru::check_requisites(first),
            )
        })?;
        let json = serde_json::to_string(&requisites.to_input()).map_err(internal)?;
        match status {
            ApplicationStatus::Draft | ApplicationStatus::DocumentsRequired => {
                self.store
                    .update_application(id, Some(json), None, None, now)
                    .await
                    .map_err(internal)?;
            }
            // Changed requisites after approval: back to review, and the statement made from
            // the old ones is withdrawn.
            ApplicationStatus::Approved | ApplicationStatus::StatementRejected => {
                let moved = self
                    .store
                    .transition(
                        id,
                        vec![wire(status)],
                        wire(ApplicationStatus::InReview),
                        ApplicationChanges {
                            requisites: Some(json),
                            statement_sha256: Some(None),
                            signature_sha256: Some(None),
                            identification: Some(None),
                            ..ApplicationChanges::default()
                        },
                        EventRow {
                            at: now,
                            actor: "applicant".into(),
                            status: wire(ApplicationStatus::InReview),
                            comment: Some(messages_ru::EDITED_AFTER_APPROVAL.into()),
                        },
                        now,
                    )
                    .await
                    .map_err(internal)?;
                if !moved {
                    return Err(conflict(messages_ru::NOT_EDITABLE));
                }
            }
            _ => return Err(conflict(messages_ru::NOT_EDITABLE)),
        }
        self.store
            .audit(
                &format!("applicant:{applicant_id}"),
                "application.requisites",
                &id.to_string(),
                now,
            )
            .await
            .map_err(internal)?;
        Ok(self.view(applicant_id, id).await?.0)
    }

    /// Sends the application to the CA after the automatic registry check.
    pub async fn submit(&self, applicant_id: i64, id: i64) -> Result<ApplicationView, ApiError> {
        let row = self.owned(applicant_id, id).await?;
        let status: ApplicationStatus = parse(&row.status)?;
        if !accepts_changes(status) {
            return Err(conflict(messages_ru::ALREADY_SUBMITTED));
        }
        let input = requisites_of(&row)?.ok_or_else(|| {
            ApiError::new(ErrorKind::InvalidInput, messages_ru::FILL_REQUISITES_FIRST)
        })?;
        let now = self.clock.unix();
        let today = time::OffsetDateTime::from(self.clock.now()).date();
        let requisites = input.validate(today).map_err(|_| {
            ApiError::new(ErrorKind::InvalidInput, messages_ru::CHECK_REQUISITES_FIRST)
        })?;
        let documents: Vec<DocumentKind> = self
            .store
            .documents(id)
            .await
            .map_err(internal)?
            .iter()
            .filter_map(|d| parse(&d.kind).ok())
            .collect();
        let has_scans = documents.contains(&DocumentKind::PassportMain)
            && documents.contains(&DocumentKind::Snils);
        let verdict = self.registry.check(&requisites).await;
        let confirmed = verdict == RegistryVerdict::Confirmed;
        let (next, comment) = match verdict {
            RegistryVerdict::Confirmed => (
                ApplicationStatus::InReview,
                messages_ru::REGISTRIES_CONFIRMED.to_owned(),
            ),
            _ if has_scans => (
                ApplicationStatus::InReview,
                messages_ru::SENT_WITH_SCANS.to_owned(),
            ),
            RegistryVerdict::Unavailable => (
                ApplicationStatus::DocumentsRequired,
                messages_ru::REGISTRIES_SILENT.to_owned(),
            ),
            RegistryVerdict::Mismatch => (
                ApplicationStatus::DocumentsRequired,
                messages_ru::REGISTRIES_MISMATCH.to_owned(),
            ),
        };
        let event = EventRow {
            at: now,
            actor: "system".into(),
            status: wire(next),
            comment: Some(comment),
        };
        if !self
            .store
            .transition(
                id,
                vec![wire(status)],
                wire(next),
                ApplicationChanges {
                    registry_confirmed: Some(confirmed),
                    ..ApplicationChanges::default()
                },
                event,
                now,
            )
            .await
            .map_err(internal)?
        {
            return Err(conflict(messages_ru::ALREADY_SUBMITTED));
        }
        self.store
            .audit(
                &format!("applicant:{applicant_id}"),
                "application.submit",
                &id.to_string(),
                now,
            )
            .await
            .map_err(internal)?;
        Ok(self.view(applicant_id, id).await?.0)
    }

    /// Stores an uploaded document.
    pub async fn upload(
        &self,
        applicant_id: i64,
        id: i64,
        kind: DocumentKind,
        bytes: &[u8],
    ) -> Result<DocumentInfo, ApiError> {
        let row = self.owned(applicant_id, id).await?;
        let status: ApplicationStatus = parse(&row.status)?;
        if !accepts_document(status, kind) {
            return Err(conflict(if accepts_changes(status) {
                messages_ru::DOCUMENTS_BEFORE_SUBMISSION
            } else if kind == DocumentKind::SignedStatementScan {
                messages_ru::STATEMENT_SCAN_NOT_NOW
            } else {
                messages_ru::ONLY_STATEMENT_SCAN_NOW
            }));
        }
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(ApiError::new(
                ErrorKind::TooLarge,
                messages_ru::FILE_TOO_LARGE,
            ));
        }
        let media_type = sniff(bytes).ok_or_else(|| {
            ApiError::new(ErrorKind::InvalidInput, messages_ru::FILE_TYPE_REFUSED)
        })?;
        if self.store.documents(id).await.map_err(internal)?.len() >= MAX_DOCUMENTS {
            return Err(conflict(messages_ru::TOO_MANY_DOCUMENTS));
        }
        let sha256 = self.files.put(bytes).await.map_err(internal)?;
        let now = self.clock.unix();
        let doc = DocumentRow {
            id: 0,
            kind: wire(kind),
            media_type: media_type.to_owned(),
            size: bytes.len() as i64,
            sha256: sha256.clone(),
        };
        let doc_id = self
            .store
            .add_document(id, doc, now)
            .await
            .map_err(internal)?;
        self.store
            .audit(
                &format!("applicant:{applicant_id}"),
                "document.upload",
                &format!("{id}/{doc_id}"),
                now,
            )
            .await
            .map_err(internal)?;
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
    ) -> Result<(String, Vec<u8>), ApiError> {
        self.owned(applicant_id, id).await?;
        let doc = self
            .store
            .documents(id)
            .await
            .map_err(internal)?
            .into_iter()
            .find(|d| d.id == document_id)
            .ok_or_else(|| ApiError::new(ErrorKind::NotFound, messages_ru::DOCUMENT_NOT_FOUND))?;
        let bytes = self.files.get(&doc.sha256).await.map_err(internal)?;
        Ok((doc.media_type, bytes))
    }

    /// Deletes a document (the file stays while another upload shares it).
    pub async fn delete(
        &self,
        applicant_id: i64,
        id: i64,
        document_id: i64,
    ) -> Result<(), ApiError> {
        let row = self.owned(applicant_id, id).await?;
        let status: ApplicationStatus = parse(&row.status)?;
        let kind = self
            .store
            .documents(id)
            .await
            .map_err(internal)?
            .into_iter()
            .find(|d| d.id == document_id)
            .map(|d| parse::<DocumentKind>(&d.kind))
            .transpose()?
            .ok_or_else(|| ApiError::new(ErrorKind::NotFound, messages_ru::DOCUMENT_NOT_FOUND))?;
        if !accepts_document(status, kind) {
            return Err(conflict(messages_ru::DOCUMENTS_OF_SENT_APPLICATION));
        }
        let now = self.clock.unix();
        if !self
            .store
            .delete_document(id, document_id, now)
            .await
            .map_err(internal)?
        {
            return Err(ApiError::new(
                ErrorKind::NotFound,
                messages_ru::DOCUMENT_NOT_FOUND,
            ));
        }
        self.store
            .audit(
                &format!("applicant:{applicant_id}"),
                "document.delete",
                &format!("{id}/{document_id}"),
                now,
            )
            .await
            .map_err(internal)?;
        Ok(())
    }
}
