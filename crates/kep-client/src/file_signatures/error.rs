//! Why a file was not signed or a signature not checked: one variant per thing the person can
//! tell apart, each with its own Russian sentence in `messages_ru::file_signatures`.

use crate::key_error::KeyError;

/// Why signing or checking did not happen.
#[derive(Debug, thiserror::Error)]
pub enum FileSignatureError {
    /// A file id that names no chosen file.
    #[error("no such chosen file")]
    UnknownFile,
    /// The certificate id names no certificate present.
    #[error("no such certificate")]
    UnknownCertificate,
    /// The chosen certificate does not read.
    #[error("the certificate does not read: {0}")]
    CertificateUnreadable(#[source] kep_pki::error::PkiError),
    /// The certificate's key is not here (a certificate without its key on the token).
    #[error("the certificate's key is not present")]
    NoKey,
    /// The certificate is outside its validity now.
    #[error("the certificate is not within its validity")]
    NotValidNow,
    /// Its issuer says it was revoked (or replaced).
    #[error("the certificate was revoked")]
    Revoked,
    /// The key did not open (wrong PIN or password, locked token, pulled token…).
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The key opened but is not the certificate's key.
    #[error("the key does not match the certificate")]
    KeyMismatch,
    /// The signature file is not a CMS signature at all.
    #[error("not a CMS signature: {0}")]
    NotASignature(String),
    /// The signature file ends too early.
    #[error("the signature file is truncated")]
    Truncated,
    /// The signature uses an algorithm this app does not know.
    #[error("unknown algorithm {0}")]
    UnknownAlgorithm(String),
    /// The signature does not carry the signer's certificate.
    #[error("the signer's certificate is not in the signature")]
    NoSignerCertificate,
    /// Several signers (co-signatures are not checked yet).
    #[error("more than one signer")]
    SeveralSigners,
    /// A detached signature was given without the file it signs.
    #[error("a detached signature needs its file")]
    NeedsFile,
    /// The signature file is larger than any signature this app reads.
    #[error("the signature file is too large")]
    SignatureTooLarge,
    /// A file could not be read.
    #[error("a file could not be read: {0}")]
    Unreadable(#[source] std::io::Error),
    /// The report could not be made.
    #[error("the report was not made: {0}")]
    Report(String),
    /// Blocking work did not finish.
    #[error("blocking work did not finish: {0}")]
    Worker(String),
}

impl From<crate::my_certificates::HomeError> for FileSignatureError {
    fn from(error: crate::my_certificates::HomeError) -> Self {
        use crate::my_certificates::HomeError as H;
        match error {
            H::Unknown(_) => FileSignatureError::UnknownCertificate,
            H::Store(e) => FileSignatureError::Key(KeyError::from(e)),
            H::Unreadable(e) => FileSignatureError::CertificateUnreadable(e),
            H::NotRemovable => FileSignatureError::UnknownCertificate,
            H::Worker(e) => FileSignatureError::Worker(e),
        }
    }
}
