//! Errors of building and reading requests and certificates.

use crate::extensions::ExtensionError;
use crate::signer::SignError;
use crate::verify::VerifyError;

/// Why a request or certificate could not be built or was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PkiError {
    /// The DER is malformed or truncated.
    #[error("malformed DER: {0}")]
    Der(#[from] der::Error),
    /// The signature does not verify, or its algorithm or key is unusable.
    #[error(transparent)]
    Signature(#[from] VerifyError),
    /// The signer failed.
    #[error(transparent)]
    Sign(#[from] SignError),
    /// An extension value is invalid.
    #[error(transparent)]
    Extension(#[from] ExtensionError),
    /// A request or certificate lacks something the profile requires, or has it twice.
    #[error("{0}")]
    Profile(String),
}
