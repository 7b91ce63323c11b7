//! Applications, by concern: the applicant's desk (stage 1), the review (the registration
//! authority, stage 2), the statement and its signing (stage 3), issuance (the certification
//! authority proper, stages 4–6) and revocation with the CRL. Each service has its own error
//! enum; the HTTP edge (`api::refusals`) turns them into `{kind, message}`. They share
//! [`records::Records`]: the stored applications, their documents, the clock, the authority.

pub mod applicant;
pub mod issuance;
mod lifecycle;
pub mod ocsp;
pub mod records;
mod renewals;
pub mod review;
pub mod revocation;
pub mod statements;

use crate::authority::Authority;
use crate::clock::Clock;
use crate::outbox::Outbox;
use crate::policy::IssuancePolicy;
use crate::registry::Registry;
use crate::store::Store;
use std::sync::Arc;

pub use applicant::{ApplicantError, ApplicantService};
pub use issuance::{IssuanceError, IssuanceService};
pub use ocsp::{OcspAnswer, OcspService};
pub use records::RecordError;
pub use review::{Decision, ReviewError, ReviewService};
pub use revocation::{RevocationError, RevocationService, RevokeReason};
pub use statements::{StatementDecision, StatementError, StatementService};

/// What the services are built from.
pub struct Parts<S> {
    /// The database.
    pub store: S,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// The registry of СНИЛС/ИНН (the automatic check on submission).
    pub registry: Arc<dyn Registry>,
    /// Notifications to applicants, delivered in the background.
    pub outbox: Arc<Outbox<S>>,
    /// The CA hierarchy.
    pub authority: Arc<Authority>,
    /// The issuance policy.
    pub policy: IssuancePolicy,
    /// Statement signers from other accredited CAs, checked against the list.
    pub other_cas: Arc<crate::trust::other_ca_signer::OtherCaSigners<S>>,
    /// Dev-only failpoint: abort the process right after a certificate request is recorded
    /// and before the certificate is signed (the crash-safety test uses it).
    pub abort_after_recording_requests: bool,
}

/// The five services over one set of records.
pub struct Applications<S> {
    records: Arc<records::Records<S>>,
    /// The applicant's side: requisites, documents, submission.
    pub applicant: ApplicantService<S>,
    /// The operators' review.
    pub review: ReviewService<S>,
    /// The statement and its signing.
    pub statements: Arc<StatementService<S>>,
    /// Requests, identity, issuance, downloads, completion.
    pub issuance: IssuanceService<S>,
    /// Revocation and the CRL.
    pub revocation: Arc<RevocationService<S>>,
    /// Certificate status over OCSP.
    pub ocsp: OcspService<S>,
}

impl<S> std::fmt::Debug for Parts<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parts").finish_non_exhaustive()
    }
}

impl<S> std::fmt::Debug for Applications<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Applications")
            .field("records", &self.records)
            .finish_non_exhaustive()
    }
}

impl<S: Store> Applications<S> {
    /// The services over `parts`.
    pub fn new(parts: Parts<S>) -> Self {
        let records = Arc::new(records::Records {
            store: parts.store,
            clock: parts.clock,
            outbox: parts.outbox,
            authority: parts.authority,
            policy: parts.policy,
        });
        let revocation = Arc::new(RevocationService::new(records.clone()));
        let statements = Arc::new(StatementService::new(
            records.clone(),
            revocation.clone(),
            parts.other_cas,
        ));
        Self {
            applicant: ApplicantService::new(records.clone(), parts.registry),
            review: ReviewService::new(records.clone(), statements.clone()),
            issuance: IssuanceService::new(records.clone(), parts.abort_after_recording_requests),
            statements,
            revocation,
            ocsp: OcspService::new(records.clone()),
            records,
        }
    }

    /// The CA hierarchy.
    pub fn authority(&self) -> &Authority {
        &self.records.authority
    }

    /// The store (for the dev seed and the benchmarks).
    pub fn store(&self) -> &S {
        &self.records.store
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.records.clock
    }
}
