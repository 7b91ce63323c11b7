//! Why a step of the renewal did not happen: the CA call, the key, the action's deadline or a
//! cancel, the flow's own rules, or the app's files. Causes stay inside; `crate::ipc_error` turns
//! each into the `{kind, message}` the UI shows, once.

use crate::action::Interrupted;
use crate::ca_error::CaError;
use crate::current_certificates::UnknownCandidate;
use crate::flow::FlowFileError;
use crate::key_error::KeyError;
use kep_protocol::ErrorKind;

/// A renewal step that did not happen.
#[derive(Debug, thiserror::Error)]
pub enum RenewalError {
    /// The CA call failed or was refused.
    #[error(transparent)]
    Ca(#[from] CaError),
    /// The key could not be made, opened or given its certificate.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The action's deadline passed, or it was cancelled.
    #[error(transparent)]
    Interrupted(#[from] Interrupted),
    /// The CA ended the session: the flow now waits at the login, on the same step.
    #[error("the session ended at the CA")]
    SessionExpired,
    /// The flow file could not be written.
    #[error("the flow could not be saved: {0}")]
    FlowNotSaved(#[source] FlowFileError),
    /// The requisites draft could not be written.
    #[error("the requisites draft could not be saved: {0}")]
    DraftNotSaved(#[source] std::io::Error),
    /// An action that needs an application, outside one.
    #[error("no application is chosen")]
    NoApplication,
    /// The approved requisites at the CA no longer pass the checks.
    #[error("the approved requisites fail the checks: {0:?}")]
    FixRequisites(Vec<kep_protocol::Field>),
    /// The statement could not be signed with the chosen key.
    #[error("the statement could not be signed: {0}")]
    NotSigned(String),
    /// The chosen signing certificate is not among the candidates.
    #[error(transparent)]
    UnknownCandidate(#[from] UnknownCandidate),
    /// The sensor sent far more events than a person makes.
    #[error("too many sensor events at once")]
    SensorFlood,
    /// A key was asked for before the sensor's pool was full.
    #[error("the sensor's pool is not full")]
    SensorNotFull,
    /// The sensor's seed could not be made.
    #[error("the sensor's seed: {0}")]
    SensorSeed(String),
    /// Installing on a token with no PIN given and none remembered.
    #[error("the token's PIN is needed")]
    PinNeeded,
    /// The remembered PIN was refused by the token (now forgotten).
    #[error("the token refused the remembered PIN: {0}")]
    RememberedPinRefused(kep_token::TokenError),
    /// A home action (the certificates list, details, export, removal).
    #[error(transparent)]
    Home(#[from] crate::my_certificates::HomeError),
    /// Blocking work (scrypt, PKCS#11) panicked or was cancelled.
    #[error("blocking work did not finish: {0}")]
    Worker(String),
}

impl RenewalError {
    /// Whether this answer settles an intent (the CA answered, yes or no). A lost answer, a
    /// timeout, a cancel, or the CA still running the first attempt leave its idempotency key
    /// for the repeat.
    pub(crate) fn settles(&self) -> bool {
        match self {
            Self::Interrupted(_) => false,
            Self::Ca(CaError::Refused(e)) => !matches!(
                e.kind,
                ErrorKind::Network
                    | ErrorKind::Internal
                    | ErrorKind::InProgress
                    | ErrorKind::Unavailable
            ),
            Self::Ca(_) => false,
            _ => true,
        }
    }
}
