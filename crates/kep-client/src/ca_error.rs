//! Why a call to the CA failed, as the client sees it: no connection, the CA's own refusal (its
//! `{kind, message}`, already in Russian), a failure it did not explain, an answer that does not
//! read, or a client that could not be set up. The flow branches on these; the sentence for the
//! person is chosen only at the IPC edge (`crate::ipc_error`).

use kep_protocol::{ApiError, ErrorKind};

/// A failed CA call.
#[derive(Debug, thiserror::Error)]
pub enum CaError {
    /// No connection, or it broke (the CA is down, unreachable, or too slow to connect).
    #[error("the CA cannot be reached: {0}")]
    Unreachable(#[source] reqwest::Error),
    /// The CA failed (5xx) without saying why.
    #[error("the CA failed with {0}")]
    Failed(reqwest::StatusCode),
    /// The CA refused, with its own answer.
    #[error("the CA refused ({:?}): {}", .0.kind, .0.message)]
    Refused(ApiError),
    /// The answer does not decode.
    #[error("the CA's answer does not read: {0}")]
    Unreadable(String),
    /// The client could not be set up (TLS, the address, the random number generator).
    #[error("the CA client could not be set up: {0}")]
    Setup(String),
}

impl CaError {
    /// The kind of the CA's refusal, if it refused.
    pub fn refused_as(&self) -> Option<ErrorKind> {
        match self {
            Self::Refused(e) => Some(e.kind),
            _ => None,
        }
    }

    /// Whether the CA said the session ended.
    pub fn session_ended(&self) -> bool {
        self.refused_as() == Some(ErrorKind::Unauthorized)
    }
}
