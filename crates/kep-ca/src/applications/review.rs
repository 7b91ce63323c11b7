//! Stage 2 on the CA's side, the registration authority: the operators' queues, their decisions
//! on applications under review (approval renders the statement to sign), and renewals opened
//! for an applicant. Nothing here signs a certificate.

use super::records::{OperatorDecision, RecordError, Records, record_causes};
use super::statements::{StatementError, StatementService};
use crate::messages_ru;
use crate::store::Column;
use crate::store::{ApplicationChanges, Store};
use kep_protocol::application::{ApplicationStatus, ApplicationView};
pub use kep_protocol::operator::Decision;
use std::sync::Arc;

/// Why the review refused.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// Reading or recording the application failed (or there is none).
    #[error(transparent)]
    Record(#[from] RecordError),
    /// Decisions are taken only on applications under review.
    #[error("the application is not under review")]
    NotInReview,
    /// Rejecting or asking for documents needs the comment the applicant reads.
    #[error("a comment is required")]
    CommentRequired,
    /// The phone number of a renewal to open does not read.
    #[error("the phone number does not read: {0:?}")]
    PhoneInvalid(kep_pki::ValidationKind),
    /// The statement of an approved application could not be made.
    #[error(transparent)]
    Statement(#[from] StatementError),
    /// No such document on the application.
    #[error("no such document")]
    DocumentNotFound,
}

record_causes!(ReviewError);

/// The review of applications.
pub struct ReviewService<S> {
    records: Arc<Records<S>>,
    statements: Arc<StatementService<S>>,
}

impl<S> std::fmt::Debug for ReviewService<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReviewService").finish_non_exhaustive()
    }
}

impl<S: Store> ReviewService<S> {
    pub(crate) fn new(records: Arc<Records<S>>, statements: Arc<StatementService<S>>) -> Self {
        Self {
            records,
            statements,
        }
    }

    /// A work queue: applications in `status`, oldest first.
    pub async fn queue(
        &self,
        status: ApplicationStatus,
    ) -> Result<Vec<ApplicationView>, ReviewError> {
        let rows = self.records.store.applications_in(status).await?;
        Ok(self.records.views_of(rows).await?)
    }

    /// An application as an operator sees it (any status).
    pub async fn application(&self, id: i64) -> Result<ApplicationView, ReviewError> {
        Ok(self.records.view_by_id(id).await?)
    }

    /// Applications an operator looks up by number, phone, ФИО or СНИЛС (in any of their usual
    /// spellings: `8 916 123-45-67` finds `+7 916 123-45-67`, `11223344595` finds
    /// `112-233-445 95`, `петрова анна` finds «Петрова Анна …»), the most recent first.
    pub async fn search(&self, query: &str) -> Result<Vec<ApplicationView>, ReviewError> {
        let words: Vec<String> = query
            .split_whitespace()
            .map(str::to_lowercase)
            .filter(|w| !w.is_empty())
            .take(6)
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let digits: String = query.chars().filter(char::is_ascii_digit).collect();
        let digits_only = query
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c));
        let id = (digits_only && digits.len() <= 12)
            .then(|| digits.parse::<i64>().ok())
            .flatten();
        let mut texts = vec![query.trim().to_owned()];
        if digits_only && (digits.len() == 10 || digits.len() == 11) {
            // A phone: as the applicant's number is kept and as the requisites show it.
            let national = &digits[digits.len() - 10..];
            texts.push(format!("+7{national}"));
            texts.push(format!(
                "+7 {} {}-{}-{}",
                &national[..3],
                &national[3..6],
                &national[6..8],
                &national[8..]
            ));
        }
        if digits_only && digits.len() == 11 {
            // A СНИЛС as the requisites keep it.
            texts.push(format!(
                "{}-{}-{} {}",
                &digits[..3],
                &digits[3..6],
                &digits[6..9],
                &digits[9..]
            ));
        }
        if !digits_only {
            // Each word as typed and capitalized (SQLite compares Cyrillic case-sensitively).
            for word in query.split_whitespace() {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    texts.push(first.to_uppercase().chain(chars).collect());
                    texts.push(word.to_owned());
                }
            }
        }
        texts.sort();
        texts.dedup();
        let rows = self
            .records
            .store
            .search_applications(id, texts, 200)
            .await?;
        let views = self.records.views_of(rows).await?;
        // Every word of a name must be there, whatever its case.
        Ok(views
            .into_iter()
            .filter(|v| {
                Some(v.id) == id
                    || digits_only
                    || v.requisites.as_ref().is_some_and(|r| {
                        let all = format!(
                            "{} {} {} {} {} {}",
                            r.surname, r.given_name, r.patronymic, r.snils, r.phone, r.inn
                        )
                        .to_lowercase();
                        words.iter().all(|w| all.contains(w.as_str()))
                    })
            })
            .take(50)
            .collect())
    }

    /// The statement the CA made for an application (its PDF), once approved.
    pub async fn statement(&self, id: i64) -> Result<Option<Vec<u8>>, ReviewError> {
        let row = self.records.row(id).await?;
        match row.statement_sha256 {
            Some(sha) => Ok(Some(self.records.blob(&sha).await?)),
            None => Ok(None),
        }
    }

    /// Every certificate of the application's applicant, oldest first (with their status).
    pub async fn applicant_certificates(
        &self,
        id: i64,
    ) -> Result<Vec<crate::store::CertificateRow>, ReviewError> {
        let row = self.records.row(id).await?;
        Ok(self
            .records
            .store
            .certificates_of(row.applicant_id)
            .await
            .map_err(RecordError::from)?)
    }

    /// One of an application's documents, for the operator who checks it: its type and bytes.
    pub async fn document(
        &self,
        id: i64,
        document_id: i64,
    ) -> Result<(String, Vec<u8>), ReviewError> {
        let records = &self.records;
        let doc = records
            .store
            .documents(id)
            .await
            .map_err(RecordError::from)?
            .into_iter()
            .find(|d| d.id == document_id)
            .ok_or(ReviewError::DocumentNotFound)?;
        let bytes = records.blob(&doc.sha256).await?;
        Ok((doc.media_type, bytes))
    }

    /// An operator's decision; the applicant is notified.
    pub async fn decide(
        &self,
        operator_id: i64,
        id: i64,
        decision: Decision,
    ) -> Result<ApplicationView, ReviewError> {
        let records = &self.records;
        let row = records.row(id).await?;
        if row.status != ApplicationStatus::InReview {
            return Err(ReviewError::NotInReview);
        }
        let (next, comment, notice) = match &decision {
            Decision::Approve => (
                ApplicationStatus::Approved,
                None,
                messages_ru::notices::ready_for_issuance(),
            ),
            Decision::Reject { comment } | Decision::RequestDocuments { comment }
                if comment.trim().is_empty() =>
            {
                return Err(ReviewError::CommentRequired);
            }
            Decision::Reject { comment } => (
                ApplicationStatus::Rejected,
                Some(comment.clone()),
                messages_ru::notices::rejected(comment),
            ),
            Decision::RequestDocuments { comment } => (
                ApplicationStatus::DocumentsRequired,
                Some(comment.clone()),
                messages_ru::notices::documents_requested(comment),
            ),
        };
        let mut changes = ApplicationChanges::default();
        if next == ApplicationStatus::Approved {
            let pdf = self.statements.render_for(&row).await?;
            changes.statement_sha256 = Some(Some(pdf));
            changes.signature_sha256 = Some(None);
            changes.identification = Some(None);
        }
        records
            .record_decision(OperatorDecision {
                operator_id,
                row: &row,
                from: ApplicationStatus::InReview,
                next,
                changes,
                comment,
                audit: format!("application.{}", next.name()),
                notice,
                now: records.clock.unix(),
            })
            .await?
            .ok_or(ReviewError::NotInReview)
    }

    /// Opens a renewal application for an applicant (what the CA does when a certificate has
    /// less than 60 days left, or what an operator does by hand). It starts from the requisites
    /// of the applicant's latest application, as a renewal does: the applicant reviews them
    /// instead of typing everything again.
    pub async fn open_renewal(&self, applicant_id: i64, actor: &str) -> Result<i64, ReviewError> {
        Ok(self.records.open_renewal(applicant_id, actor, None).await?)
    }

    /// Opens a renewal application for the applicant with `phone` (created if new).
    pub async fn open_for_phone(&self, phone: &str, actor: &str) -> Result<i64, ReviewError> {
        let phone = kep_pki::Phone::parse(phone).map_err(ReviewError::PhoneInvalid)?;
        let now = self.records.clock.unix();
        let applicant = self
            .records
            .store
            .applicant_for_phone(phone.e164(), now)
            .await?;
        self.open_renewal(applicant, actor).await
    }
}
