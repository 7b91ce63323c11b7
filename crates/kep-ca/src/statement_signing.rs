//! Stage 3 on the CA's side: the statement rendered from the approved requisites, and its two
//! signing paths.
//!
//! (a) A detached CMS signature by the applicant's valid qualified certificate with the same ФИО,
//!     СНИЛС and ИНН, verified over the stored PDF, up the chain to a trusted root and against
//!     the CRL → remote identification (IdentificationKind 1).
//! (b) A scan of the hand-signed statement → an operator approves it, or rejects it with a
//!     comment (the applicant deletes the copy and uploads another) → identity is later
//!     confirmed in person (IdentificationKind 0).

use crate::applications::{Applications, awaits_statement, conflict, internal, parse, wire};
use crate::messages_ru;
use crate::store::{ApplicationChanges, EventRow, Store};
use kep_pki::cms_signature::{SignaturePolicy, verify_detached};
use kep_protocol::application::{ApplicationStatus, ApplicationView, DocumentKind};
use kep_protocol::{ApiError, ErrorKind};

/// Largest CMS signature accepted (a signature with its certificate is a few KiB).
pub const MAX_SIGNATURE_BYTES: usize = 64 * 1024;

/// An operator's decision on a scanned statement.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum StatementDecision {
    /// The scan is the statement, signed: the applicant may make the key.
    Approve,
    /// Something is wrong with the scan; the comment says what.
    Reject {
        /// Why (shown to the applicant as «Комментарий»).
        comment: String,
    },
}

fn rejected(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorKind::SignatureRejected, message)
}

impl<S: Store> Applications<S> {
    /// Renders the statement for an application about to be approved and stores the PDF.
    /// Returns its SHA-256.
    pub(crate) async fn render_statement(
        &self,
        row: &crate::store::ApplicationRow,
    ) -> Result<String, ApiError> {
        let requisites = self.approved_requisites(row)?;
        // The date as the CA (in Moscow) writes it on paper.
        let moscow = time::UtcOffset::from_hms(3, 0, 0).map_err(internal)?;
        let date = kep_pki::identifiers::date::display(
            time::OffsetDateTime::from(self.clock.now())
                .to_offset(moscow)
                .date(),
        );
        let organization =
            kep_pki::summary::summarize(self.authority.issuing_der(), &[], &[], self.clock.now())
                .map_err(internal)?
                .owner;
        let pdf = crate::statement_pdf::render(
            &requisites,
            &crate::statement_pdf::StatementContext {
                ca_name: &organization,
                application_id: row.id,
                date,
            },
        )
        .map_err(internal)?;
        self.files.put(&pdf).await.map_err(internal)
    }

    /// The statement PDF exactly as stored (the bytes every signature is checked over).
    pub async fn statement_pdf(&self, applicant_id: i64, id: i64) -> Result<Vec<u8>, ApiError> {
        let row = self.owned(applicant_id, id).await?;
        let sha = row.statement_sha256.ok_or_else(|| {
            ApiError::new(ErrorKind::NotFound, messages_ru::STATEMENT_AFTER_APPROVAL)
        })?;
        self.files.get(&sha).await.map_err(internal)
    }

    /// Path (a): a detached CMS signature over the stored statement.
    pub async fn sign_statement(
        &self,
        applicant_id: i64,
        id: i64,
        signature: &[u8],
    ) -> Result<ApplicationView, ApiError> {
        let row = self.owned(applicant_id, id).await?;
        let status: ApplicationStatus = parse(&row.status)?;
        if !awaits_statement(status) {
            return Err(conflict(messages_ru::STATEMENT_SIGNING_NOT_NOW));
        }
        if signature.len() > MAX_SIGNATURE_BYTES {
            return Err(ApiError::new(
                ErrorKind::TooLarge,
                messages_ru::SIGNATURE_TOO_LARGE,
            ));
        }
        let sha = row
            .statement_sha256
            .clone()
            .ok_or_else(|| internal("approved application without a statement"))?;
        let pdf = self.files.get(&sha).await.map_err(internal)?;
        let verified = verify_detached(signature, &pdf, SignaturePolicy::Cms).map_err(|e| {
            rejected(messages_ru::signature_not_over_statement(
                kep_pki::messages_ru::cms_error(&e),
            ))
        })?;
        self.check_signer(&row, &verified.signer_certificate)
            .await?;
        let stored = self.files.put(signature).await.map_err(internal)?;
        let now = self.clock.unix();
        let moved = self
            .store
            .transition(
                id,
                vec![wire(status)],
                wire(ApplicationStatus::ReadyForKey),
                ApplicationChanges {
                    signature_sha256: Some(Some(stored)),
                    identification: Some(Some(1)),
                    ..ApplicationChanges::default()
                },
                EventRow {
                    at: now,
                    actor: "system".into(),
                    status: wire(ApplicationStatus::ReadyForKey),
                    comment: Some(messages_ru::STATEMENT_SIGNED.into()),
                },
                now,
            )
            .await
            .map_err(internal)?;
        if !moved {
            return Err(conflict(messages_ru::APPLICATION_CHANGED));
        }
        self.store
            .audit(
                &format!("applicant:{applicant_id}"),
                "statement.signed",
                &id.to_string(),
                now,
            )
            .await
            .map_err(internal)?;
        Ok(self.view(applicant_id, id).await?.0)
    }

    /// The signer's certificate must be a valid qualified certificate of this very applicant,
    /// chaining to a root the CA trusts and not revoked.
    async fn check_signer(
        &self,
        row: &crate::store::ApplicationRow,
        certificate: &[u8],
    ) -> Result<(), ApiError> {
        let now = self.clock.now();
        let roots = [self.authority.root_der().to_vec()];
        let intermediates = [self.authority.issuing_der().to_vec()];
        let crl = kep_pki::crl::Crl::parse(&self.issuing_crl().await?).map_err(internal)?;
        kep_pki::chain::verify_chain(certificate, &intermediates, &roots, now, &[crl]).map_err(
            |e| {
                rejected(messages_ru::signer_not_valid(
                    &kep_pki::messages_ru::chain_error(&e),
                ))
            },
        )?;
        let summary = kep_pki::summary::summarize(certificate, &roots, &intermediates, now)
            .map_err(|e| {
                tracing::info!(error = %e, "the signer's certificate does not parse");
                rejected(messages_ru::SIGNER_DAMAGED)
            })?;
        if !summary.qualified {
            return Err(rejected(messages_ru::SIGNER_NOT_QUALIFIED));
        }
        let requisites = self.approved_requisites(row)?;
        let r = requisites.to_input();
        if !kep_pki::summary::same_person(&summary, &r) {
            return Err(rejected(messages_ru::SIGNER_OTHER_PERSON));
        }
        if self.policy.require_in_person_signer && summary.identification_kind != Some(0) {
            return Err(rejected(messages_ru::IN_PERSON_SIGNER_REQUIRED));
        }
        Ok(())
    }

    /// Path (b): the applicant uploaded the scan and pressed «Продолжить».
    pub async fn submit_statement_scan(
        &self,
        applicant_id: i64,
        id: i64,
    ) -> Result<ApplicationView, ApiError> {
        let row = self.owned(applicant_id, id).await?;
        let status: ApplicationStatus = parse(&row.status)?;
        if !awaits_statement(status) {
            return Err(conflict(messages_ru::STATEMENT_SCAN_SUBMISSION_NOT_NOW));
        }
        let has_scan = self
            .store
            .documents(id)
            .await
            .map_err(internal)?
            .iter()
            .any(|d| d.kind == wire(DocumentKind::SignedStatementScan));
        if !has_scan {
            return Err(ApiError::new(
                ErrorKind::InvalidInput,
                messages_ru::UPLOAD_STATEMENT_SCAN,
            ));
        }
        let now = self.clock.unix();
        let moved = self
            .store
            .transition(
                id,
                vec![wire(status)],
                wire(ApplicationStatus::StatementInReview),
                ApplicationChanges::default(),
                EventRow {
                    at: now,
                    actor: "applicant".into(),
                    status: wire(ApplicationStatus::StatementInReview),
                    comment: Some(messages_ru::STATEMENT_SCAN_SENT.into()),
                },
                now,
            )
            .await
            .map_err(internal)?;
        if !moved {
            return Err(conflict(messages_ru::APPLICATION_CHANGED));
        }
        Ok(self.view(applicant_id, id).await?.0)
    }

    /// An operator's decision on a scanned statement.
    pub async fn decide_statement(
        &self,
        operator_id: i64,
        id: i64,
        decision: StatementDecision,
    ) -> Result<ApplicationView, ApiError> {
        let row = self.row(id).await?;
        let (next, comment, changes, message) = match decision {
            StatementDecision::Approve => (
                ApplicationStatus::ReadyForKey,
                messages_ru::STATEMENT_ACCEPTED.to_owned(),
                ApplicationChanges {
                    identification: Some(Some(0)),
                    ..ApplicationChanges::default()
                },
                messages_ru::STATEMENT_ACCEPTED_NOTICE.to_owned(),
            ),
            StatementDecision::Reject { comment } if comment.trim().is_empty() => {
                return Err(ApiError::new(
                    ErrorKind::InvalidInput,
                    messages_ru::COMMENT_REQUIRED,
                ));
            }
            StatementDecision::Reject { comment } => (
                ApplicationStatus::StatementRejected,
                comment.clone(),
                ApplicationChanges::default(),
                messages_ru::statement_rejected_with(&comment),
            ),
        };
        self.record_decision(crate::applications::OperatorDecision {
            operator_id,
            row: &row,
            from: ApplicationStatus::StatementInReview,
            next,
            changes,
            comment: Some(comment),
            audit: format!("statement.{}", wire(next)),
            message,
            refused: messages_ru::STATEMENT_DECIDED_ONLY_IN_REVIEW,
            now: self.clock.unix(),
        })
        .await
    }
}
