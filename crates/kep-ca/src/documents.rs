//! Uploaded documents (kinds and limits in `kep_protocol::documents`, shared with the app, which
//! checks before uploading). Their bytes, with statements and signatures, are kept in the
//! database under their SHA-256 (`Store::put_blob`): every instance behind the load balancer
//! reads the same ones, a database backup holds them with the rows that name them, and no name
//! a client sends ever becomes a path. Earlier versions kept them in `<data>/documents/`;
//! [`import_folder`] moves such a folder into the database once.

use crate::store::{Store, StoreError};
use std::path::Path;

pub use kep_protocol::documents::{MAX_DOCUMENT_BYTES, MAX_DOCUMENTS, sniff};

/// SHA-256 of `bytes`, lower-case hex (document names, request and key fingerprints).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(ring::digest::digest(&ring::digest::SHA256, bytes))
}

/// Why the old document folder could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file could not be read, or the folder not renamed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file's bytes do not match its name: it was changed after it was stored.
    #[error(
        "{0}: its bytes do not match its name (the file was changed); nothing was imported from it"
    )]
    Damaged(std::path::PathBuf),
    /// The database refused.
    #[error(transparent)]
    Storage(#[from] StoreError),
}

/// Moves the documents an earlier version kept in `dir` into the database, then renames the
/// folder to `documents.imported` (kept for the administrator to delete after a backup).
/// Answers how many files were imported; nothing when there is no such folder.
pub async fn import_folder(store: &impl Store, dir: &Path, now: i64) -> Result<usize, ImportError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| ImportError::Io { path, source }
    };
    if !tokio::fs::try_exists(dir).await.map_err(io(dir))? {
        return Ok(0);
    }
    let mut entries = tokio::fs::read_dir(dir).await.map_err(io(dir))?;
    let mut imported = 0;
    while let Some(entry) = entries.next_entry().await.map_err(io(dir))? {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        // Only the store's own 64-hex names (a temporary file of a crashed write is skipped).
        if name.len() != 64 || !name.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        let bytes = tokio::fs::read(&path).await.map_err(io(&path))?;
        if sha256_hex(&bytes) != name.to_ascii_lowercase() {
            return Err(ImportError::Damaged(path));
        }
        store
            .put_blob(name.to_ascii_lowercase(), bytes, now)
            .await?;
        imported += 1;
    }
    let done = dir.with_file_name("documents.imported");
    tokio::fs::rename(dir, &done).await.map_err(io(dir))?;
    tracing::info!(imported, folder = %done.display(), "documents moved into the database");
    Ok(imported)
}
