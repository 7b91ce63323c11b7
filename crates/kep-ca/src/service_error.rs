//! Why the service could not be built: each part of the start-up that can fail, with the
//! thing it was working on, so that `kep-ca` says what to fix.

use crate::authority::AuthorityError;
use crate::documents::ImportError;
use crate::login::LoginError;
use crate::store::StoreError;
use std::path::PathBuf;

/// Why [`crate::service`] failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The data folder could not be made.
    #[error("{path}: {source}")]
    DataFolder {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The database could not be opened or brought up to date.
    #[error("the {database}: {source}")]
    Database {
        /// The database as the administrator knows it (no password).
        database: String,
        /// Why.
        #[source]
        source: StoreError,
    },
    /// The documents folder of an earlier version could not be moved into the database.
    #[error("the documents of an earlier version: {0}")]
    Documents(#[from] ImportError),
    /// The CA hierarchy could not be opened or made.
    #[error(transparent)]
    Authority(#[from] AuthorityError),
    /// The issuance policy could not be read or written.
    #[error("the issuance policy: {0}")]
    Policy(String),
    /// The trust list download is misconfigured.
    #[error("trust_list: {0}")]
    TrustDownload(crate::trust::download::DownloadError),
    /// The HTTP client that asks other CAs about their signers could not be built.
    #[error("the client for other CAs' OCSP, CRLs and certificates: {0}")]
    FetchClient(#[source] reqwest::Error),
    /// The login service could not be set up (its code key).
    #[error("the login service: {0}")]
    Login(#[from] LoginError),
    /// The key operators' secrets are sealed under could not be derived.
    #[error("the operators' secret seal: {0}")]
    Seal(crate::secret_seal::SealError),
}
