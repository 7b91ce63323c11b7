//! Which application statuses allow which applicant actions: the one place the services ask.

use kep_protocol::application::{ApplicationStatus, DocumentKind};

/// Whether the applicant may still change the application (requisites, documents) and send it.
pub(crate) fn accepts_changes(status: ApplicationStatus) -> bool {
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
pub(crate) fn accepts_document(status: ApplicationStatus, kind: DocumentKind) -> bool {
    accepts_changes(status)
        || (kind == DocumentKind::SignedStatementScan && awaits_statement(status))
}
