//! The one place the services' errors (login, operators, applications) become the wire's `{kind, message}`: each variant gets its
//! kind and its sentence from [`crate::messages_ru`]. What the applicant cannot act on (storage,
//! a damaged record, a signing failure) leaves as "internal error" and its cause goes to the
//! log here, once.

use super::error::HttpError;
use crate::applications::{
    ApplicantError, IssuanceError, RecordError, ReviewError, RevocationError, StatementError,
};
use crate::login::LoginError;
use crate::messages_ru;
use crate::operators::{OperatorError, OperatorRole};
use crate::store::StoreError;
use kep_protocol::{ApiError, ErrorKind};

/// An internal failure: logged with its causes, answered without them.
fn internal(e: &(dyn std::error::Error + 'static)) -> ApiError {
    let mut causes = String::new();
    let mut source = e.source();
    while let Some(s) = source {
        causes.push_str(": ");
        causes.push_str(&s.to_string());
        source = s.source();
    }
    tracing::error!(error = %e, causes = %causes, "internal error");
    ApiError::internal()
}

/// A storage failure: a database that cannot be reached makes the service briefly
/// unavailable (503: nothing was done, the client repeats); anything else is internal.
fn stored(cause: &StoreError, e: &(dyn std::error::Error + 'static)) -> ApiError {
    match cause {
        StoreError::Unavailable(why) => {
            tracing::warn!(error = %why, "a request met an unavailable database");
            refused(ErrorKind::Unavailable, messages_ru::DATABASE_UNAVAILABLE)
        }
        _ => internal(e),
    }
}

/// A storage failure outside the services (the idempotency layer).
pub(super) fn store_refusal(e: &StoreError) -> ApiError {
    stored(e, e)
}

fn refused(kind: ErrorKind, message: impl Into<String>) -> ApiError {
    ApiError::new(kind, message)
}

fn conflict(message: &str) -> ApiError {
    refused(ErrorKind::Conflict, message)
}

fn invalid(message: impl Into<String>) -> ApiError {
    refused(ErrorKind::InvalidInput, message)
}

fn rejected(message: impl Into<String>) -> ApiError {
    refused(ErrorKind::SignatureRejected, message)
}

fn phone_invalid(kind: kep_pki::ValidationKind) -> ApiError {
    invalid(kep_pki::messages_ru::field_message(
        kep_pki::Field::Phone,
        kind,
    ))
}

impl From<LoginError> for ApiError {
    fn from(e: LoginError) -> Self {
        use LoginError as E;
        match e {
            E::PhoneInvalid(kind) => phone_invalid(kind),
            E::CallAgainIn { seconds } => {
                refused(ErrorKind::RateLimited, messages_ru::call_again_in(seconds))
            }
            E::CallFailed => refused(ErrorKind::Network, messages_ru::CALL_FAILED),
            E::CodeExpired => refused(ErrorKind::CodeExpired, messages_ru::CODE_EXPIRED),
            E::CodeAttemptsExhausted => refused(
                ErrorKind::CodeAttemptsExhausted,
                messages_ru::CODE_ATTEMPTS_EXHAUSTED,
            ),
            E::CodeWrong { left } => refused(ErrorKind::CodeWrong, messages_ru::code_wrong(left)),
            E::SessionEnded => refused(ErrorKind::Unauthorized, messages_ru::SESSION_ENDED),
            E::Storage(ref cause) => stored(cause, &e),
            E::Randomness(_) => internal(&e),
        }
    }
}

impl From<OperatorError> for ApiError {
    fn from(e: OperatorError) -> Self {
        use OperatorError as E;
        match e {
            E::CredentialsTooShort => invalid(messages_ru::OPERATOR_CREDENTIALS_TOO_SHORT),
            E::Exists => conflict(messages_ru::OPERATOR_EXISTS),
            E::LoginWrong => refused(ErrorKind::Unauthorized, messages_ru::OPERATOR_LOGIN_WRONG),
            E::LoginRequired => refused(
                ErrorKind::Unauthorized,
                messages_ru::OPERATOR_LOGIN_REQUIRED,
            ),
            E::RoleRequired(OperatorRole::Reviewer) => {
                refused(ErrorKind::Forbidden, messages_ru::OPERATORS_ONLY)
            }
            E::RoleRequired(OperatorRole::Officer) => {
                refused(ErrorKind::Forbidden, messages_ru::OFFICER_ONLY)
            }
            E::Locked { retry_after_s } => ApiError::new(
                ErrorKind::RateLimited,
                messages_ru::operator_locked(retry_after_s),
            ),
            E::Disabled => refused(ErrorKind::Forbidden, messages_ru::OPERATOR_DISABLED),
            E::TotpRequired => {
                refused(ErrorKind::Unauthorized, messages_ru::OPERATOR_TOTP_REQUIRED)
            }
            E::TotpWrong => refused(ErrorKind::Unauthorized, messages_ru::OPERATOR_TOTP_WRONG),
            E::TotpEnrollmentRequired => refused(
                ErrorKind::Forbidden,
                messages_ru::OPERATOR_TOTP_ENROLLMENT_REQUIRED,
            ),
            E::TotpEnrolled => conflict(messages_ru::OPERATOR_TOTP_ENROLLED),
            E::NotFound(_) => refused(ErrorKind::NotFound, messages_ru::OPERATOR_LOGIN_WRONG),
            E::Storage(ref cause) => stored(cause, &e),
            E::Randomness(_) | E::PasswordHash(_) | E::Seal(_) | E::Totp(_) => internal(&e),
        }
    }
}

impl From<RecordError> for ApiError {
    fn from(e: RecordError) -> Self {
        match e {
            RecordError::NotFound => {
                refused(ErrorKind::NotFound, messages_ru::APPLICATION_NOT_FOUND)
            }
            RecordError::Storage(ref cause) => stored(cause, &e),
            RecordError::Corrupt(_) => internal(&e),
        }
    }
}

impl From<ApplicantError> for ApiError {
    fn from(e: ApplicantError) -> Self {
        use ApplicantError as E;
        match e {
            E::Record(e) => e.into(),
            E::RequisitesInvalid { first } => invalid(messages_ru::check_requisites(&first)),
            E::NotEditable => conflict(messages_ru::NOT_EDITABLE),
            E::AlreadySubmitted => conflict(messages_ru::ALREADY_SUBMITTED),
            E::RequisitesMissing => invalid(messages_ru::FILL_REQUISITES_FIRST),
            E::RequisitesStale(_) => invalid(messages_ru::CHECK_REQUISITES_FIRST),
            E::DocumentsOnlyBeforeSubmission => conflict(messages_ru::DOCUMENTS_BEFORE_SUBMISSION),
            E::StatementScanNotNow => conflict(messages_ru::STATEMENT_SCAN_NOT_NOW),
            E::OnlyStatementScanNow => conflict(messages_ru::ONLY_STATEMENT_SCAN_NOW),
            E::FileTooLarge => refused(ErrorKind::TooLarge, messages_ru::FILE_TOO_LARGE),
            E::FileTypeRefused => invalid(messages_ru::FILE_TYPE_REFUSED),
            E::TooManyDocuments => conflict(messages_ru::TOO_MANY_DOCUMENTS),
            E::DocumentNotFound => refused(ErrorKind::NotFound, messages_ru::DOCUMENT_NOT_FOUND),
            E::DocumentsOfSentApplication => conflict(messages_ru::DOCUMENTS_OF_SENT_APPLICATION),
            E::NotACertificate(_) => invalid(messages_ru::NOT_A_CERTIFICATE),
            E::NotYourCertificate => {
                refused(ErrorKind::Forbidden, messages_ru::NOT_YOUR_CERTIFICATE)
            }
        }
    }
}

impl From<ReviewError> for ApiError {
    fn from(e: ReviewError) -> Self {
        match e {
            ReviewError::Record(e) => e.into(),
            ReviewError::NotInReview => conflict(messages_ru::DECIDED_ONLY_IN_REVIEW),
            ReviewError::CommentRequired => invalid(messages_ru::COMMENT_REQUIRED),
            ReviewError::PhoneInvalid(kind) => phone_invalid(kind),
            ReviewError::Statement(e) => e.into(),
            ReviewError::DocumentNotFound => {
                refused(ErrorKind::NotFound, messages_ru::DOCUMENT_NOT_FOUND)
            }
        }
    }
}

impl From<StatementError> for ApiError {
    fn from(e: StatementError) -> Self {
        use StatementError as E;
        if matches!(
            e,
            E::NotOverStatement(_) | E::SignerNotValid(_) | E::SignerDamaged(_) | E::OtherCa(_)
        ) {
            tracing::info!(error = %e, "a statement signature was refused");
        }
        match e {
            E::Record(e) => e.into(),
            E::NoStatementYet => {
                refused(ErrorKind::NotFound, messages_ru::STATEMENT_AFTER_APPROVAL)
            }
            E::SigningNotNow => conflict(messages_ru::STATEMENT_SIGNING_NOT_NOW),
            E::SignatureTooLarge => refused(ErrorKind::TooLarge, messages_ru::SIGNATURE_TOO_LARGE),
            E::NotOverStatement(e) => rejected(messages_ru::signature_not_over_statement(
                kep_pki::messages_ru::cms_error(&e),
            )),
            E::SignerNotValid(e) => rejected(messages_ru::signer_not_valid(
                &kep_pki::messages_ru::chain_error(&e),
            )),
            E::SignerDamaged(_) => rejected(messages_ru::SIGNER_DAMAGED),
            E::SignerNotQualified => rejected(messages_ru::SIGNER_NOT_QUALIFIED),
            E::SignerOtherPerson => rejected(messages_ru::SIGNER_OTHER_PERSON),
            E::InPersonSignerRequired => rejected(messages_ru::IN_PERSON_SIGNER_REQUIRED),
            E::Changed => conflict(messages_ru::APPLICATION_CHANGED),
            E::ScanSubmissionNotNow => conflict(messages_ru::STATEMENT_SCAN_SUBMISSION_NOT_NOW),
            E::ScanMissing => invalid(messages_ru::UPLOAD_STATEMENT_SCAN),
            E::CommentRequired => invalid(messages_ru::COMMENT_REQUIRED),
            E::NotInReview => conflict(messages_ru::STATEMENT_DECIDED_ONLY_IN_REVIEW),
            E::Crl(e) => e.into(),
            E::OtherCa(crate::trust::other_ca_signer::OtherCaRefusal::Store(_))
            | E::Render(_)
            | E::Authority(_) => internal(&e),
            E::OtherCa(refusal) => rejected(messages_ru::other_ca::refusal(&refusal)),
        }
    }
}

impl From<IssuanceError> for ApiError {
    fn from(e: IssuanceError) -> Self {
        use IssuanceError as E;
        match e {
            E::Record(e) => e.into(),
            E::RequestTooLarge => refused(ErrorKind::TooLarge, messages_ru::REQUEST_TOO_LARGE),
            E::OtherRequestAccepted => conflict(messages_ru::OTHER_REQUEST_ACCEPTED),
            E::RequestNotNow => conflict(messages_ru::REQUEST_NOT_NOW),
            E::RequestDamaged(ref cause) => {
                tracing::info!(error = %cause, "a certificate request was refused");
                invalid(messages_ru::REQUEST_DAMAGED)
            }
            E::KeyReused => refused(ErrorKind::KeyReused, messages_ru::KEY_REUSED),
            E::Changed => conflict(messages_ru::APPLICATION_CHANGED),
            E::GostKeyRequired => invalid(messages_ru::GOST_KEY_REQUIRED),
            E::KeyAlgorithmUnsupported => invalid(messages_ru::KEY_ALGORITHM_UNSUPPORTED),
            E::SignToolRefused(tool) => invalid(messages_ru::sign_tool_refused(&tool)),
            E::IdentityNotNow => conflict(messages_ru::IDENTITY_NOT_NOW),
            E::NotIssued => refused(ErrorKind::NotFound, messages_ru::CERTIFICATE_NOT_ISSUED),
            E::NotInstallable => conflict(messages_ru::CERTIFICATE_NOT_ISSUED),
            E::Issuing(_) => internal(&e),
        }
    }
}

impl From<RevocationError> for ApiError {
    fn from(e: RevocationError) -> Self {
        match e {
            RevocationError::CertificateNotFound => {
                refused(ErrorKind::NotFound, messages_ru::CERTIFICATE_NOT_FOUND)
            }
            RevocationError::AlreadyRevoked => conflict(messages_ru::ALREADY_REVOKED),
            RevocationError::Storage(ref cause) => stored(cause, &e),
            RevocationError::Signing(_) | RevocationError::Unreadable(_) => internal(&e),
        }
    }
}

/// `?` in a handler on a service's result: the error through its mapping above.
macro_rules! answered_as_http {
    ($($error:ty),*) => {$(
        impl From<$error> for HttpError {
            fn from(e: $error) -> Self {
                Self(e.into())
            }
        }
    )*};
}

answered_as_http!(
    LoginError,
    OperatorError,
    RecordError,
    ApplicantError,
    ReviewError,
    StatementError,
    IssuanceError,
    RevocationError
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_cause_stays_in_the_log() {
        let e: ApiError = RecordError::Corrupt("the stored name \"secret-detail\"".into()).into();
        assert_eq!(e.kind, ErrorKind::Internal);
        assert!(!e.message.contains("secret-detail"), "{}", e.message);
        let e: ApiError = IssuanceError::Record(RecordError::Storage(StoreError::Failed(
            "disk I/O error at /var/lib/kep-ca".into(),
        )))
        .into();
        assert_eq!(e.kind, ErrorKind::Internal);
        assert!(!e.message.contains("/var/lib"), "{}", e.message);
    }

    #[test]
    fn an_unreachable_database_is_a_brief_unavailability() {
        let e: ApiError = IssuanceError::Record(RecordError::Storage(StoreError::Unavailable(
            "connection refused: db.internal:5432".into(),
        )))
        .into();
        assert_eq!(e.kind, ErrorKind::Unavailable);
        assert_eq!(e.message, messages_ru::DATABASE_UNAVAILABLE);
        assert_eq!(
            super::super::error::status(e.kind),
            axum::http::StatusCode::SERVICE_UNAVAILABLE
        );
    }

    #[test]
    fn a_refusal_nested_in_another_service_keeps_its_own_answer() {
        let e: ApiError = ReviewError::Record(RecordError::NotFound).into();
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert_eq!(e.message, messages_ru::APPLICATION_NOT_FOUND);
        let e: ApiError = OperatorError::RoleRequired(OperatorRole::Officer).into();
        assert_eq!(
            (e.kind, e.message.as_str()),
            (ErrorKind::Forbidden, messages_ru::OFFICER_ONLY)
        );
        let e: ApiError = LoginError::CallAgainIn { seconds: 7 }.into();
        assert_eq!(e.kind, ErrorKind::RateLimited);
        assert!(e.message.contains('7'), "{}", e.message);
    }
}
