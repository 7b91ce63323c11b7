//! The shared core every applications service stands on: the stored application read back and
//! checked against its owner, its view (what the app and the operators see), the applicant told
//! of news, and an operator's decision recorded. Nothing here decides what may happen next;
//! the services do.

use crate::authority::Authority;
use crate::clock::Clock;
use crate::documents::sha256_hex;
use crate::notifier::Notice;
use crate::outbox::Outbox;
use crate::policy::IssuancePolicy;
use crate::store::{ApplicationChanges, ApplicationRow, EventRow, Store, StoreError};
use kep_pki::ValidateRequisites;
use kep_protocol::RequisitesInput;
use kep_protocol::application::{
    ApplicationStatus, ApplicationView, DocumentInfo, IssuedCertificate, RenewedCertificate,
    StatementInfo, StatementSigning, TimelineEvent,
};
use std::sync::Arc;

/// Why the shared core could not read or record an application.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// No such application, or not the caller's (indistinguishable on purpose).
    #[error("no such application")]
    NotFound,
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StoreError),
    /// A stored value does not read back (a bug or a damaged database).
    #[error("a stored value does not read back: {0}")]
    Corrupt(String),
}

/// Implements `From` for the core's cause on a service error with a `Record` variant, so
/// that `?` works on store results inside the service.
macro_rules! record_causes {
    ($error:ty) => {
        impl From<$crate::store::StoreError> for $error {
            fn from(e: $crate::store::StoreError) -> Self {
                Self::Record(e.into())
            }
        }
    };
}
pub(crate) use record_causes;

/// The requisites saved on an application, if any.
pub(crate) fn requisites_of(row: &ApplicationRow) -> Result<Option<RequisitesInput>, RecordError> {
    row.requisites
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| RecordError::Corrupt(format!("requisites of application {}: {e}", row.id)))
}

/// A status move as the services make it: compare-and-set from `from` to `to` with `changes`,
/// and the line `actor` adds to the timeline.
pub(crate) struct Move<'a> {
    pub(crate) id: i64,
    pub(crate) from: ApplicationStatus,
    pub(crate) to: ApplicationStatus,
    pub(crate) changes: ApplicationChanges,
    pub(crate) actor: &'a str,
    pub(crate) comment: Option<String>,
    pub(crate) now: i64,
}

/// What [`Records::record_decision`] records.
pub(crate) struct OperatorDecision<'a> {
    pub(crate) operator_id: i64,
    pub(crate) row: &'a ApplicationRow,
    pub(crate) from: ApplicationStatus,
    pub(crate) next: ApplicationStatus,
    pub(crate) changes: ApplicationChanges,
    pub(crate) comment: Option<String>,
    pub(crate) audit: String,
    /// What the applicant is told.
    pub(crate) notice: Notice,
    pub(crate) now: i64,
}

/// The stored applications, their files and what every service needs beside them.
pub struct Records<S> {
    pub(crate) store: S,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) outbox: Arc<Outbox<S>>,
    pub(crate) authority: Arc<Authority>,
    pub(crate) policy: IssuancePolicy,
}

impl<S> std::fmt::Debug for Records<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records").finish_non_exhaustive()
    }
}

impl<S: Store> Records<S> {
    /// Keeps a document, scan, statement or signature in the database under its SHA-256 (so
    /// every instance reads it, and identical uploads share one copy); answers the digest.
    pub(crate) async fn put_blob(&self, bytes: &[u8]) -> Result<String, RecordError> {
        let sha256 = sha256_hex(bytes);
        self.store
            .put_blob(sha256.clone(), bytes.to_vec(), self.clock.unix())
            .await?;
        Ok(sha256)
    }

    /// The bytes kept under `sha256` (a row names them, so their absence is damage).
    pub(crate) async fn blob(&self, sha256: &str) -> Result<Vec<u8>, RecordError> {
        self.store
            .blob(sha256.to_owned())
            .await?
            .ok_or_else(|| RecordError::Corrupt(format!("the stored bytes {sha256} are missing")))
    }

    /// Tells the owner of application `row` the news: by SMS to their phone and by e-mail to
    /// the address in the requisites, through the outbox (delivered and retried in the
    /// background; a failure to record it is logged, never fatal: the timeline has the news).
    pub(crate) async fn tell(&self, row: &ApplicationRow, notice: &Notice) {
        let phone = match self.store.applicant_phone(row.applicant_id).await {
            Ok(phone) => phone,
            Err(e) => {
                tracing::warn!(error = %e, application = row.id, "no phone for the notice");
                None
            }
        };
        let email = match requisites_of(row) {
            Ok(requisites) => requisites.map(|r| r.email),
            Err(e) => {
                tracing::warn!(error = %e, application = row.id, "no e-mail for the notice");
                None
            }
        };
        if let Err(e) = self
            .outbox
            .enqueue(phone.as_deref(), email.as_deref(), notice)
            .await
        {
            tracing::warn!(error = %e, application = row.id, "a notice was not recorded");
        }
    }

    /// Any application by id (operators and the service itself; applicants go through `owned`).
    pub(crate) async fn row(&self, id: i64) -> Result<ApplicationRow, RecordError> {
        self.store
            .application(id)
            .await?
            .ok_or(RecordError::NotFound)
    }

    /// Opens a renewal application for `applicant_id`, pre-filled with the requisites of their
    /// latest application; `renews` names the certificate (serial, hex) it renews, if any.
    pub(crate) async fn open_renewal(
        &self,
        applicant_id: i64,
        actor: &str,
        renews: Option<&str>,
    ) -> Result<i64, RecordError> {
        let now = self.clock.unix();
        let previous = self
            .store
            .applications_of(applicant_id)
            .await?
            .into_iter()
            .rev()
            .find_map(|row| row.requisites);
        let id = self
            .store
            .create_application(applicant_id, ApplicationStatus::Draft, now)
            .await?;
        if let Some(serial) = renews {
            self.store.set_renews_serial(id, serial).await?;
        }
        let event = EventRow {
            at: now,
            actor: actor.to_owned(),
            status: ApplicationStatus::Draft,
            comment: Some(crate::messages_ru::RENEWAL_OPENED.into()),
        };
        self.store
            .update_application(id, previous, None, Some(event), now)
            .await?;
        self.store
            .audit(actor, "application.open", &id.to_string(), now)
            .await?;
        Ok(id)
    }

    /// The application `id` if `applicant_id` owns it; anyone else's is "not found".
    pub(crate) async fn owned(
        &self,
        applicant_id: i64,
        id: i64,
    ) -> Result<ApplicationRow, RecordError> {
        match self.store.application(id).await? {
            Some(row) if row.applicant_id == applicant_id => Ok(row),
            _ => Err(RecordError::NotFound),
        }
    }

    /// The applicant's application and its version (the ETag), read fresh.
    pub(crate) async fn view(
        &self,
        applicant_id: i64,
        id: i64,
    ) -> Result<(ApplicationView, i64), RecordError> {
        let row = self.owned(applicant_id, id).await?;
        Ok((self.view_of(&row).await?, row.version))
    }

    /// Any application's view by id, read fresh.
    pub(crate) async fn view_by_id(&self, id: i64) -> Result<ApplicationView, RecordError> {
        let row = self.row(id).await?;
        self.view_of(&row).await
    }

    /// The views of `rows`, in order.
    pub(crate) async fn views_of(
        &self,
        rows: Vec<ApplicationRow>,
    ) -> Result<Vec<ApplicationView>, RecordError> {
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(self.view_of(row).await?);
        }
        Ok(out)
    }

    /// What the app and the operators see of `row`.
    pub(crate) async fn view_of(
        &self,
        row: &ApplicationRow,
    ) -> Result<ApplicationView, RecordError> {
        let documents = self
            .store
            .documents(row.id)
            .await?
            .into_iter()
            .map(|d| {
                Ok(DocumentInfo {
                    id: d.id,
                    kind: d.kind,
                    media_type: d.media_type,
                    size: d.size as u64,
                    sha256: d.sha256,
                })
            })
            .collect::<Result<Vec<_>, RecordError>>()?;
        let timeline = self
            .store
            .events(row.id)
            .await?
            .into_iter()
            .map(|e| {
                Ok(TimelineEvent {
                    at: e.at,
                    status: e.status,
                    actor: e.actor,
                    comment: e.comment,
                })
            })
            .collect::<Result<Vec<_>, RecordError>>()?;
        let status = row.status;
        let statement = row.statement_sha256.as_ref().map(|sha256| StatementInfo {
            sha256: sha256.clone(),
            signing: if row.signature_sha256.is_some() {
                StatementSigning::Qualified
            } else if matches!(
                status,
                ApplicationStatus::StatementInReview | ApplicationStatus::StatementRejected
            ) || row.identification
                == Some(kep_pki::extensions::IdentificationKind::InPerson)
            {
                StatementSigning::Scan
            } else {
                StatementSigning::Unsigned
            },
        });
        let certificate = self
            .store
            .certificate_of(row.id)
            .await?
            .map(|c| IssuedCertificate {
                serial: c.serial,
                not_after: c.not_after,
                identification: c.identification.value(),
            });
        let renews = match &row.renews_serial {
            Some(serial) => self
                .store
                .certificate(serial)
                .await?
                .map(|c| RenewedCertificate {
                    owner: kep_pki::summary::summarize(&c.der, &[], &[], self.clock.now())
                        .map(|s| s.owner)
                        .unwrap_or_default(),
                    serial: c.serial,
                    not_after: c.not_after,
                }),
            None => None,
        };
        Ok(ApplicationView {
            id: row.id,
            status,
            requisites: requisites_of(row)?,
            documents,
            timeline,
            statement,
            certificate,
            renews,
        })
    }

    /// The application's requisites, validated (as approved).
    pub(crate) fn approved_requisites(
        &self,
        row: &ApplicationRow,
    ) -> Result<kep_pki::Requisites, RecordError> {
        let input = requisites_of(row)?.ok_or_else(|| {
            RecordError::Corrupt(format!(
                "application {} approved without requisites",
                row.id
            ))
        })?;
        let today = time::OffsetDateTime::from(self.clock.now()).date();
        input.validate(today).map_err(|errors| {
            let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
            RecordError::Corrupt(format!(
                "the approved requisites of application {} no longer validate: {fields:?}",
                row.id
            ))
        })
    }

    /// Makes the move; false when the application was no longer in `from`.
    pub(crate) async fn move_to(&self, m: Move<'_>) -> Result<bool, RecordError> {
        let event = EventRow {
            at: m.now,
            actor: m.actor.to_owned(),
            status: m.to,
            comment: m.comment,
        };
        Ok(self
            .store
            .transition(m.id, vec![m.from], m.to, m.changes, event, m.now)
            .await?)
    }

    /// Records an operator's decision: the compare-and-set move with the comment on the timeline,
    /// the audit line, and the applicant told. Answers the application as it now is, or None
    /// when it was no longer in `from`.
    pub(crate) async fn record_decision(
        &self,
        d: OperatorDecision<'_>,
    ) -> Result<Option<ApplicationView>, RecordError> {
        let id = d.row.id;
        let moved = self
            .move_to(Move {
                id,
                from: d.from,
                to: d.next,
                changes: d.changes,
                actor: "operator",
                comment: d.comment,
                now: d.now,
            })
            .await?;
        if !moved {
            return Ok(None);
        }
        self.store
            .audit(
                &format!("operator:{}", d.operator_id),
                &d.audit,
                &id.to_string(),
                d.now,
            )
            .await?;
        self.tell(d.row, &d.notice).await;
        Ok(Some(self.view_by_id(id).await?))
    }
}
