//! The one error shape that crosses IPC and the CA API: `{kind, message}`.
//!
//! `kind` is a stable machine-readable tag the UI branches on; `message` is a complete Russian
//! sentence the UI may show as it is. Crates below keep their own precise error enums and convert
//! into this at the boundary, choosing the kind deliberately (no blanket `From<anything>`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What went wrong, in terms the UI can act on. New kinds are added, never renamed: the UI and
/// stored CA responses depend on the spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ErrorKind {
    /// The user's input is malformed or fails a check; the message says which and why.
    InvalidInput,
    /// The thing asked for does not exist (an application, a token, a document).
    NotFound,
    /// The session is missing or has expired: the user must log in again.
    Unauthorized,
    /// The request does not fit the current state (e.g. a step done twice).
    Conflict,
    /// Too many attempts; `message` says when to try again.
    RateLimited,
    /// The CA or a registry cannot be reached; nothing was lost, the step can be retried.
    Network,
    /// A local file or the app's data folder could not be read or written.
    Io,
    /// A bug or an unexpected state on our side.
    Internal,
    /// The login code is wrong; `message` says how many tries remain.
    CodeWrong,
    /// The login code has expired (or none was requested): request a new call.
    CodeExpired,
    /// Too many wrong codes: request a new call.
    CodeAttemptsExhausted,
    /// The request body is larger than the service accepts.
    TooLarge,
    /// A certificate request's public key was seen before: make a new key pair.
    KeyReused,
    /// The statement's signature was refused; `message` says why (other bytes, someone else's
    /// certificate, a revoked or expired one).
    SignatureRejected,
    /// The operator's role does not allow this action.
    Forbidden,
    /// The user cancelled the action (or logged out while it ran); nothing more happens.
    Cancelled,
    /// The same action (same idempotency key) is still running at the CA: repeat it in a moment
    /// (with the same key), and it is answered once.
    InProgress,
    /// The CA is briefly unable to work (its database cannot be reached): nothing was done,
    /// and the same step can be repeated in a moment.
    Unavailable,
}

/// An error as the UI or an API client receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub kind: ErrorKind,
    /// A Russian sentence, shown to the user as it is.
    pub message: String,
}

impl ApiError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// An internal error: the details go to the log, the user sees a fixed, calm sentence.
    pub fn internal() -> Self {
        Self::new(ErrorKind::Internal, crate::messages_ru::INTERNAL_ERROR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_kind_and_message() {
        let err = ApiError::new(ErrorKind::InvalidInput, "Неверный номер телефона");
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "invalid_input", "message": "Неверный номер телефона"})
        );
        let back: ApiError = serde_json::from_value(json).unwrap();
        assert_eq!(back, err);
    }

    #[test]
    fn every_kind_has_a_stable_snake_case_name() {
        let names: Vec<String> = [
            ErrorKind::InvalidInput,
            ErrorKind::NotFound,
            ErrorKind::Unauthorized,
            ErrorKind::Conflict,
            ErrorKind::RateLimited,
            ErrorKind::Network,
            ErrorKind::Io,
            ErrorKind::Internal,
            ErrorKind::CodeWrong,
            ErrorKind::CodeExpired,
            ErrorKind::CodeAttemptsExhausted,
            ErrorKind::TooLarge,
        ]
        .iter()
        .map(|k| {
            serde_json::to_value(k)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
        assert_eq!(
            names,
            [
                "invalid_input",
                "not_found",
                "unauthorized",
                "conflict",
                "rate_limited",
                "network",
                "io",
                "internal",
                "code_wrong",
                "code_expired",
                "code_attempts_exhausted",
                "too_large"
            ]
        );
    }

    #[test]
    fn internal_error_message_is_russian() {
        let err = ApiError::internal();
        assert_eq!(err.kind, ErrorKind::Internal);
        assert!(err.message.chars().any(|c| ('а'..='я').contains(&c)));
    }
}
