//! Why making, opening or installing a key failed, whichever home keeps it (the computer key
//! store or a token). The causes stay inside; the person's sentence is chosen at the IPC edge.

use kep_protocol::application::KeyStorageKind;
use kep_protocol::key::MIN_PASSWORD_CHARS;
use kep_token::TokenError;
use kep_token::key_store::KeyStoreError;

/// A key that could not be made, opened or given its certificate.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The container password is too short (or none was given).
    #[error("the container password is shorter than {MIN_PASSWORD_CHARS} characters")]
    PasswordTooShort,
    /// The computer key store refused or failed.
    #[error("the computer key store: {0}")]
    Store(#[from] KeyStoreError),
    /// The token refused or failed.
    #[error("the token: {0}")]
    Token(#[from] TokenError),
    /// The app's key folder cannot be written.
    #[error("the key folder: {0}")]
    Folder(#[source] std::io::Error),
    /// The certificate request could not be built with the new key.
    #[error("the certificate request could not be made: {0}")]
    RequestNotMade(String),
    /// No key is recorded for the application (made elsewhere, or its files were removed).
    #[error("no key is recorded for this application")]
    NotRecorded,
    /// The kept request of the key cannot be read.
    #[error("the kept certificate request cannot be read: {0}")]
    RequestUnreadable(#[source] std::io::Error),
    /// The CA's certificate does not parse.
    #[error("the CA's certificate does not parse: {0}")]
    CertificateDamaged(String),
    /// The CA's certificate is for another key than the one this home holds.
    #[error("the certificate is for another key than the one in {0:?}")]
    NotForThisKey(KeyStorageKind),
    /// A 512-bit key asked of a token whose module does not make them.
    #[error("the token does not make 512-bit GOST keys")]
    LengthUnsupported,
    /// Something the app wrote itself does not read back (a bug or a damaged file).
    #[error("{0}")]
    Corrupt(String),
}
