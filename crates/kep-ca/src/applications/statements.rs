//! Stage 3 on the CA's side: the statement rendered from the approved requisites, and its two
//! signing paths.
//!
//! (a) A detached CMS signature by the applicant's valid qualified certificate with the same ФИО,
//!     СНИЛС and ИНН, verified over the stored PDF: up the chain to this CA's root and against
//!     its CRL, or — a КЭП from another CA — up to a certificate of an accredited CA on the
//!     Ministry's list, its status asked of its issuer over the network (trust::other_ca_signer)
//!     → remote identification (IdentificationKind 1). The timeline says which CA issued the
//!     signer and how its status was learnt; a status that could not be learnt is said there too.
//! (b) A scan of the hand-signed statement → an operator approves it, or rejects it with a
//!     comment (the applicant deletes the copy and uploads another) → identity is later
//!     confirmed in person (IdentificationKind 0).

use super::lifecycle::awaits_statement;
use super::records::{Move, OperatorDecision, RecordError, Records, record_causes};
use super::revocation::{RevocationError, RevocationService};
use crate::messages_ru;
use crate::statement_pdf::PdfError;
use crate::store::Column;
use crate::store::{ApplicationChanges, ApplicationRow, Store};
use crate::trust::other_ca_signer::{OtherCaRefusal, OtherCaSigners, Vouched};
use kep_pki::chain::ChainError;
use kep_pki::cms_signature::{CmsError, SignaturePolicy, VerifiedSignature, verify_detached};
use kep_pki::error::PkiError;
use kep_protocol::application::{ApplicationStatus, ApplicationView, DocumentKind};
pub use kep_protocol::operator::StatementDecision;
use std::sync::Arc;

/// Largest CMS signature accepted (a signature with its certificate is a few KiB).
pub const MAX_SIGNATURE_BYTES: usize = 64 * 1024;

/// Why the statement was refused, or could not be made.
#[derive(Debug, thiserror::Error)]
pub enum StatementError {
    /// Reading or recording the application failed (or it is not theirs).
    #[error(transparent)]
    Record(#[from] RecordError),
    /// There is no statement before the application is approved.
    #[error("no statement before approval")]
    NoStatementYet,
    /// The statement is not awaiting a signature now.
    #[error("the statement is not awaiting a signature")]
    SigningNotNow,
    /// The signature is over the limit.
    #[error("the signature is over {MAX_SIGNATURE_BYTES} bytes")]
    SignatureTooLarge,
    /// The signature is not a valid signature over this statement.
    #[error("the signature is not over the statement: {0}")]
    NotOverStatement(CmsError),
    /// The signer's certificate does not validate up to the CA's root and against its CRL.
    #[error("the signer's certificate does not validate: {0}")]
    SignerNotValid(ChainError),
    /// The signer's certificate does not parse.
    #[error("the signer's certificate does not parse: {0}")]
    SignerDamaged(PkiError),
    /// The signer's certificate is not a qualified one.
    #[error("the signer's certificate is not qualified")]
    SignerNotQualified,
    /// The signer is someone else (ФИО, СНИЛС or ИНН differ).
    #[error("the signer is another person")]
    SignerOtherPerson,
    /// The policy wants a signer who was identified in person.
    #[error("the policy wants a signer identified in person")]
    InPersonSignerRequired,
    /// The application moved on meanwhile.
    #[error("the application changed meanwhile")]
    Changed,
    /// The scan is not awaited now.
    #[error("the statement scan is not awaited now")]
    ScanSubmissionNotNow,
    /// Submitting the scan before uploading it.
    #[error("no statement scan uploaded")]
    ScanMissing,
    /// Rejecting a scan needs the comment the applicant reads.
    #[error("a comment is required")]
    CommentRequired,
    /// Decisions on scans only while one is under review.
    #[error("no statement under review")]
    NotInReview,
    /// The PDF could not be rendered (a bug or a broken font).
    #[error(transparent)]
    Render(#[from] PdfError),
    /// The CA's own issuing certificate does not summarize.
    #[error("the issuing certificate: {0}")]
    Authority(PkiError),
    /// The CRL to check signers against could not be had.
    #[error(transparent)]
    Crl(#[from] RevocationError),
    /// A signer from another CA is not taken (not listed, revoked, status not learnt…).
    #[error("a signer from another CA: {0}")]
    OtherCa(OtherCaRefusal),
}

/// Who issued the signer's certificate, and how its status was learnt.
#[derive(Debug)]
enum SignerOrigin {
    /// This CA: its own CRL.
    ThisCa,
    /// An accredited CA on the list.
    Listed(Box<Vouched>),
}

record_causes!(StatementError);

/// The statement and its signing.
pub struct StatementService<S> {
    records: Arc<Records<S>>,
    revocation: Arc<RevocationService<S>>,
    other_cas: Arc<OtherCaSigners<S>>,
}

impl<S> std::fmt::Debug for StatementService<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatementService").finish_non_exhaustive()
    }
}

impl<S: Store> StatementService<S> {
    pub(crate) fn new(
        records: Arc<Records<S>>,
        revocation: Arc<RevocationService<S>>,
        other_cas: Arc<OtherCaSigners<S>>,
    ) -> Self {
        Self {
            records,
            revocation,
            other_cas,
        }
    }

    /// Renders the statement for an application about to be approved and stores the PDF.
    /// Returns its SHA-256.
    pub(crate) async fn render_for(&self, row: &ApplicationRow) -> Result<String, StatementError> {
        let records = &self.records;
        let requisites = records.approved_requisites(row)?;
        // The date as the CA (in Moscow) writes it on paper.
        let moscow = time::UtcOffset::from_hms(3, 0, 0)
            .map_err(|e| RecordError::Corrupt(format!("the Moscow offset: {e}")))?;
        let date = kep_pki::identifiers::date::display(
            time::OffsetDateTime::from(records.clock.now())
                .to_offset(moscow)
                .date(),
        );
        let organization = kep_pki::summary::summarize(
            records.authority.issuing_der(),
            &[],
            &[],
            records.clock.now(),
        )
        .map_err(StatementError::Authority)?
        .owner;
        let pdf = crate::statement_pdf::render(
            &requisites,
            &crate::statement_pdf::StatementContext {
                ca_name: &organization,
                application_id: row.id,
                date,
            },
        )?;
        Ok(records.put_blob(&pdf).await?)
    }

    /// The statement PDF exactly as stored (the bytes every signature is checked over).
    pub async fn pdf(&self, applicant_id: i64, id: i64) -> Result<Vec<u8>, StatementError> {
        let row = self.records.owned(applicant_id, id).await?;
        let sha = row.statement_sha256.ok_or(StatementError::NoStatementYet)?;
        Ok(self.records.blob(&sha).await?)
    }

    /// Path (a): a detached CMS signature over the stored statement.
    pub async fn sign(
        &self,
        applicant_id: i64,
        id: i64,
        signature: &[u8],
    ) -> Result<ApplicationView, StatementError> {
        let records = &self.records;
        let row = records.owned(applicant_id, id).await?;
        let status = row.status;
        if !awaits_statement(status) {
            return Err(StatementError::SigningNotNow);
        }
        if signature.len() > MAX_SIGNATURE_BYTES {
            return Err(StatementError::SignatureTooLarge);
        }
        let sha = row.statement_sha256.clone().ok_or_else(|| {
            RecordError::Corrupt(format!("application {id} approved without a statement"))
        })?;
        let pdf = records.blob(&sha).await?;
        let verified = verify_detached(signature, &pdf, SignaturePolicy::Cms)
            .map_err(StatementError::NotOverStatement)?;
        let origin = match self.check_signer(&row, &verified).await {
            Ok(origin) => origin,
            Err(StatementError::OtherCa(refusal @ OtherCaRefusal::StatusUnknown { .. })) => {
                // Never a silent refusal: the timeline says why, and the documents path is open.
                self.note(&row, messages_ru::other_ca::refusal(&refusal))
                    .await?;
                return Err(StatementError::OtherCa(refusal));
            }
            Err(other) => return Err(other),
        };
        let stored = records.put_blob(signature).await?;
        let now = records.clock.unix();
        let moved = records
            .move_to(Move {
                id,
                from: status,
                to: ApplicationStatus::ReadyForKey,
                changes: ApplicationChanges {
                    signature_sha256: Some(Some(stored)),
                    identification: Some(Some(
                        kep_pki::extensions::IdentificationKind::RemoteWithQualifiedSignature,
                    )),
                    ..ApplicationChanges::default()
                },
                actor: "system",
                comment: Some(match &origin {
                    SignerOrigin::ThisCa => messages_ru::other_ca::signed_here(),
                    SignerOrigin::Listed(vouched) => messages_ru::other_ca::signed_listed(vouched),
                }),
                now,
            })
            .await?;
        if !moved {
            return Err(StatementError::Changed);
        }
        records
            .store
            .audit(
                &format!("applicant:{applicant_id}"),
                "statement.signed",
                &id.to_string(),
                now,
            )
            .await?;
        Ok(records.view(applicant_id, id).await?.0)
    }

    /// A comment on the timeline that moves nothing (the application stays where it is).
    async fn note(&self, row: &ApplicationRow, comment: String) -> Result<(), StatementError> {
        let now = self.records.clock.unix();
        self.records
            .move_to(Move {
                id: row.id,
                from: row.status,
                to: row.status,
                changes: ApplicationChanges::default(),
                actor: "system",
                comment: Some(comment),
                now,
            })
            .await?;
        Ok(())
    }

    /// The signer's certificate must be a valid qualified certificate of this very applicant,
    /// from this CA (its own root and CRL) or from a CA accredited when the statement came in
    /// (the list, and the status from its issuer), not revoked.
    async fn check_signer(
        &self,
        row: &ApplicationRow,
        verified: &VerifiedSignature,
    ) -> Result<SignerOrigin, StatementError> {
        let records = &self.records;
        let certificate = verified.signer_certificate.as_slice();
        let now = records.clock.now();
        let requisites = records.approved_requisites(row)?.to_input();
        let own_roots = vec![records.authority.root_der().to_vec()];
        let own_intermediates = vec![records.authority.issuing_der().to_vec()];
        let crl = self.revocation.issuing_crl().await?;
        let crl = kep_pki::crl::Crl::parse(&crl)
            .map_err(|e| RevocationError::Unreadable(e.to_string()))?;
        let own =
            kep_pki::chain::verify_chain(certificate, &own_intermediates, &own_roots, now, &[crl]);
        let (roots, intermediates, origin) = match own {
            Ok(_) => (own_roots, own_intermediates, SignerOrigin::ThisCa),
            Err(
                not_ours @ (ChainError::NoIssuer { .. }
                | ChainError::Untrusted { .. }
                | ChainError::BadSignature { .. }),
            ) => {
                // Someone else's signature sends the CA to nobody's network.
                let claimed = kep_pki::summary::summarize(certificate, &[], &[], now)
                    .map_err(StatementError::SignerDamaged)?;
                if !kep_pki::summary::same_person(&claimed, &requisites) {
                    return Err(StatementError::SignerOtherPerson);
                }
                let vouched = match self
                    .other_cas
                    .check(certificate, &verified.carried, now)
                    .await
                {
                    Ok(vouched) => vouched,
                    Err(OtherCaRefusal::NoList) => {
                        return Err(StatementError::SignerNotValid(not_ours));
                    }
                    Err(refusal) => return Err(StatementError::OtherCa(refusal)),
                };
                let path = &vouched.issuer.path;
                let roots = path.last().cloned().into_iter().collect();
                let intermediates = path
                    .get(1..path.len().saturating_sub(1))
                    .unwrap_or_default()
                    .to_vec();
                (
                    roots,
                    intermediates,
                    SignerOrigin::Listed(Box::new(vouched)),
                )
            }
            Err(other) => return Err(StatementError::SignerNotValid(other)),
        };
        let summary = kep_pki::summary::summarize(certificate, &roots, &intermediates, now)
            .map_err(StatementError::SignerDamaged)?;
        if !summary.qualified {
            return Err(StatementError::SignerNotQualified);
        }
        if !kep_pki::summary::same_person(&summary, &requisites) {
            return Err(StatementError::SignerOtherPerson);
        }
        if records.policy.require_in_person_signer && summary.identification_kind != Some(0) {
            return Err(StatementError::InPersonSignerRequired);
        }
        Ok(origin)
    }

    /// Path (b): the applicant uploaded the scan and pressed «Продолжить».
    pub async fn submit_scan(
        &self,
        applicant_id: i64,
        id: i64,
    ) -> Result<ApplicationView, StatementError> {
        let records = &self.records;
        let row = records.owned(applicant_id, id).await?;
        let status = row.status;
        if !awaits_statement(status) {
            return Err(StatementError::ScanSubmissionNotNow);
        }
        let has_scan = records
            .store
            .documents(id)
            .await?
            .iter()
            .any(|d| d.kind == DocumentKind::SignedStatementScan);
        if !has_scan {
            return Err(StatementError::ScanMissing);
        }
        let now = records.clock.unix();
        let moved = records
            .move_to(Move {
                id,
                from: status,
                to: ApplicationStatus::StatementInReview,
                changes: ApplicationChanges::default(),
                actor: "applicant",
                comment: Some(messages_ru::STATEMENT_SCAN_SENT.into()),
                now,
            })
            .await?;
        if !moved {
            return Err(StatementError::Changed);
        }
        Ok(records.view(applicant_id, id).await?.0)
    }

    /// An operator's decision on a scanned statement.
    pub async fn decide(
        &self,
        operator_id: i64,
        id: i64,
        decision: StatementDecision,
    ) -> Result<ApplicationView, StatementError> {
        let records = &self.records;
        let row = records.row(id).await?;
        let (next, comment, changes, notice) = match decision {
            StatementDecision::Approve => (
                ApplicationStatus::ReadyForKey,
                messages_ru::STATEMENT_ACCEPTED.to_owned(),
                ApplicationChanges {
                    identification: Some(Some(kep_pki::extensions::IdentificationKind::InPerson)),
                    ..ApplicationChanges::default()
                },
                messages_ru::notices::statement_accepted(),
            ),
            StatementDecision::Reject { comment } if comment.trim().is_empty() => {
                return Err(StatementError::CommentRequired);
            }
            StatementDecision::Reject { comment } => {
                let notice = messages_ru::notices::statement_rejected(&comment);
                (
                    ApplicationStatus::StatementRejected,
                    comment,
                    ApplicationChanges::default(),
                    notice,
                )
            }
        };
        records
            .record_decision(OperatorDecision {
                operator_id,
                row: &row,
                from: ApplicationStatus::StatementInReview,
                next,
                changes,
                comment: Some(comment),
                audit: format!("statement.{}", next.name()),
                notice,
                now: records.clock.unix(),
            })
            .await?
            .ok_or(StatementError::NotInReview)
    }
}
