//! The one place kep-client's errors become the wire's `{kind, message}` for the UI: each cause
//! gets its kind and its sentence from [`crate::messages_ru`] (the token's from kep-token's
//! catalogue; the CA's refusals arrive ready-made). What the person cannot act on is logged here
//! with its cause, once, before the calm sentence replaces it.

use crate::action::Interrupted;
use crate::ca_error::CaError;
use crate::key_error::KeyError;
use crate::messages_ru;
use crate::renewal_error::RenewalError;
use kep_protocol::application::KeyStorageKind;
use kep_protocol::{ApiError, ErrorKind};
use kep_token::TokenError;
use kep_token::key_store::KeyStoreError;

fn logged(e: &(dyn std::error::Error + 'static), kind: ErrorKind, message: &str) -> ApiError {
    let mut causes = String::new();
    let mut source = e.source();
    while let Some(s) = source {
        causes.push_str(": ");
        causes.push_str(&s.to_string());
        source = s.source();
    }
    tracing::warn!(error = %e, causes = %causes, ?kind, "gave way to a message for the user");
    ApiError::new(kind, message)
}

impl From<CaError> for ApiError {
    fn from(e: CaError) -> Self {
        match e {
            CaError::Refused(answer) => answer,
            CaError::Unreachable(_) | CaError::Failed(_) => {
                logged(&e, ErrorKind::Network, messages_ru::CA_UNREACHABLE)
            }
            CaError::Unreadable(_) => {
                logged(&e, ErrorKind::Internal, messages_ru::CA_ANSWER_UNREADABLE)
            }
            CaError::Setup(_) => logged(
                &e,
                ErrorKind::Internal,
                kep_protocol::messages_ru::INTERNAL_ERROR,
            ),
        }
    }
}

fn token_kind(e: &TokenError) -> ErrorKind {
    match e {
        TokenError::PinIncorrect { .. }
        | TokenError::PinFinalTry
        | TokenError::PinLocked
        | TokenError::PinInvalid => ErrorKind::InvalidInput,
        TokenError::NoToken
        | TokenError::SessionClosed
        | TokenError::NotLoggedIn
        | TokenError::NoTokenLabelled(_) => ErrorKind::NotFound,
        _ => ErrorKind::Io,
    }
}

impl From<KeyError> for ApiError {
    fn from(e: KeyError) -> Self {
        use KeyError as E;
        match &e {
            E::PasswordTooShort => {
                ApiError::new(ErrorKind::InvalidInput, messages_ru::PASSWORD_TOO_SHORT)
            }
            E::Store(KeyStoreError::WrongPassword) => {
                ApiError::new(ErrorKind::InvalidInput, messages_ru::WRONG_PASSWORD)
            }
            E::Store(KeyStoreError::NotFound) => {
                ApiError::new(ErrorKind::NotFound, messages_ru::KEY_STORE_ENTRY_NOT_FOUND)
            }
            E::Store(KeyStoreError::Rng(_)) => {
                logged(&e, ErrorKind::Internal, messages_ru::RNG_FAILED)
            }
            E::Store(KeyStoreError::Io(_) | KeyStoreError::Damaged(_)) => {
                logged(&e, ErrorKind::Io, messages_ru::KEY_STORE_UNAVAILABLE)
            }
            E::Token(token) => {
                let kind = token_kind(token);
                let message = kep_token::messages_ru::message(token);
                if kind == ErrorKind::Io {
                    logged(&e, kind, &message)
                } else {
                    ApiError::new(kind, message)
                }
            }
            E::Folder(_) => logged(&e, ErrorKind::Io, messages_ru::KEY_FOLDER_UNAVAILABLE),
            E::RequestNotMade(_) => logged(&e, ErrorKind::Internal, messages_ru::REQUEST_NOT_MADE),
            E::NotRecorded => ApiError::new(ErrorKind::NotFound, messages_ru::KEY_NOT_FOUND),
            E::RequestUnreadable(_) => logged(&e, ErrorKind::NotFound, messages_ru::KEY_NOT_FOUND),
            E::CertificateDamaged(_) => logged(
                &e,
                ErrorKind::InvalidInput,
                messages_ru::CERTIFICATE_DAMAGED,
            ),
            E::NotForThisKey(KeyStorageKind::Computer) => logged(
                &e,
                ErrorKind::InvalidInput,
                messages_ru::NOT_FOR_COMPUTER_KEY,
            ),
            E::NotForThisKey(KeyStorageKind::Token) => {
                logged(&e, ErrorKind::InvalidInput, messages_ru::NOT_FOR_TOKEN_KEY)
            }
            E::LengthUnsupported => {
                ApiError::new(ErrorKind::InvalidInput, messages_ru::KEY_512_UNSUPPORTED)
            }
            E::Corrupt(_) => logged(
                &e,
                ErrorKind::Internal,
                kep_protocol::messages_ru::INTERNAL_ERROR,
            ),
        }
    }
}

impl From<RenewalError> for ApiError {
    fn from(e: RenewalError) -> Self {
        use RenewalError as E;
        match e {
            E::Ca(e) => e.into(),
            E::Key(e) => e.into(),
            E::Interrupted(Interrupted::TimedOut) => {
                ApiError::new(ErrorKind::Network, messages_ru::CA_NOT_ANSWERING)
            }
            E::Interrupted(Interrupted::Cancelled) => {
                ApiError::new(ErrorKind::Cancelled, messages_ru::CANCELLED)
            }
            E::SessionExpired => {
                ApiError::new(ErrorKind::Unauthorized, messages_ru::SESSION_EXPIRED)
            }
            E::FlowNotSaved(_) | E::DraftNotSaved(_) => {
                logged(&e, ErrorKind::Io, messages_ru::FLOW_NOT_SAVED)
            }
            E::NoApplication => ApiError::new(ErrorKind::Conflict, messages_ru::NO_APPLICATION),
            E::FixRequisites(_) => logged(&e, ErrorKind::InvalidInput, messages_ru::FIX_REQUISITES),
            E::NotSigned(_) => logged(&e, ErrorKind::Internal, messages_ru::NOT_SIGNED),
            E::UnknownCandidate(_) => {
                ApiError::new(ErrorKind::NotFound, messages_ru::UNKNOWN_CANDIDATE)
            }
            E::SensorFlood => ApiError::new(ErrorKind::InvalidInput, messages_ru::SENSOR_FLOOD),
            E::SensorNotFull => {
                ApiError::new(ErrorKind::InvalidInput, messages_ru::SENSOR_NOT_FULL)
            }
            E::SensorSeed(_) => logged(&e, ErrorKind::Internal, messages_ru::RNG_FAILED),
            E::PinNeeded => ApiError::new(ErrorKind::InvalidInput, messages_ru::ENTER_PIN),
            E::RememberedPinRefused(refused) => ApiError::new(
                ErrorKind::InvalidInput,
                format!(
                    "{} {}",
                    messages_ru::REMEMBERED_PIN_REFUSED,
                    kep_token::messages_ru::message(&refused)
                ),
            ),
            E::Home(e) => e.into(),
            E::Worker(_) => logged(
                &e,
                ErrorKind::Internal,
                kep_protocol::messages_ru::INTERNAL_ERROR,
            ),
        }
    }
}

impl From<crate::my_certificates::HomeError> for ApiError {
    fn from(e: crate::my_certificates::HomeError) -> Self {
        use crate::my_certificates::HomeError as E;
        match &e {
            E::Unknown(_) => ApiError::new(ErrorKind::NotFound, messages_ru::CERTIFICATE_GONE),
            E::NotRemovable => {
                ApiError::new(ErrorKind::Conflict, messages_ru::CERTIFICATE_NOT_REMOVABLE)
            }
            E::Store(_) => logged(&e, ErrorKind::Io, messages_ru::KEY_STORE_UNAVAILABLE),
            E::Unreadable(_) => logged(
                &e,
                ErrorKind::InvalidInput,
                messages_ru::CERTIFICATE_DAMAGED,
            ),
            E::Worker(_) => logged(
                &e,
                ErrorKind::Internal,
                kep_protocol::messages_ru::INTERNAL_ERROR,
            ),
        }
    }
}

impl From<crate::settings::SettingsError> for ApiError {
    fn from(e: crate::settings::SettingsError) -> Self {
        use crate::ca_health::CaHealthError as H;
        use crate::settings::SettingsError as E;
        let message = messages_ru::settings(&e);
        match &e {
            E::Locked => ApiError::new(ErrorKind::Forbidden, message),
            E::InRenewal => ApiError::new(ErrorKind::Conflict, message),
            E::Address(_) | E::Module(_) => logged(&e, ErrorKind::InvalidInput, &message),
            E::Health(H::Unreachable(_) | H::Timeout { .. }) => {
                logged(&e, ErrorKind::Network, &message)
            }
            E::Health(H::NotCa(_)) => logged(&e, ErrorKind::InvalidInput, &message),
            E::Health(H::NotReady(_)) => logged(&e, ErrorKind::Unavailable, &message),
            E::NotSaved(_) => logged(&e, ErrorKind::Io, &message),
            E::Health(H::Setup(_)) | E::Reopen(_) => logged(&e, ErrorKind::Internal, &message),
        }
    }
}

impl From<crate::file_signatures::FileSignatureError> for ApiError {
    fn from(e: crate::file_signatures::FileSignatureError) -> Self {
        use crate::file_signatures::FileSignatureError as E;
        let sentence = || messages_ru::file_signatures::refusal(&e);
        match e {
            E::Key(key) => ApiError::from(key),
            E::UnknownFile | E::UnknownCertificate => {
                ApiError::new(ErrorKind::NotFound, sentence())
            }
            E::NoKey | E::NotValidNow | E::Revoked | E::KeyMismatch => {
                ApiError::new(ErrorKind::Conflict, sentence())
            }
            E::NotASignature(_)
            | E::Truncated
            | E::UnknownAlgorithm(_)
            | E::NoSignerCertificate
            | E::SeveralSigners
            | E::NeedsFile => {
                tracing::info!(error = %e, "a signature could not be read");
                ApiError::new(ErrorKind::InvalidInput, sentence())
            }
            E::SignatureTooLarge => ApiError::new(ErrorKind::TooLarge, sentence()),
            E::CertificateUnreadable(_) => logged(&e, ErrorKind::InvalidInput, &sentence()),
            E::Unreadable(_) => logged(&e, ErrorKind::Io, &sentence()),
            E::Report(_) | E::Worker(_) => logged(&e, ErrorKind::Internal, &sentence()),
        }
    }
}
