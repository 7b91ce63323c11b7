//! Uploaded documents (kinds and limits in `kep_protocol::documents`, shared with the app, which
//! checks before uploading): kept on disk under their SHA-256, so identical uploads share one file and no
//! name a client sends ever becomes a path.

use std::path::{Path, PathBuf};

pub use kep_protocol::documents::{MAX_DOCUMENT_BYTES, MAX_DOCUMENTS, sniff};

/// SHA-256 of `bytes`, lower-case hex (document names, request and key fingerprints).
pub fn sha256_hex(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The content-addressed folder.
#[derive(Debug, Clone)]
pub struct DocumentFiles {
    dir: PathBuf,
}

impl DocumentFiles {
    /// Files under `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    fn path(&self, sha256: &str) -> Option<PathBuf> {
        // Only ever a 64-character hex name: nothing a client sends can reach another path.
        (sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| self.dir.join(sha256))
    }

    /// Stores `bytes`, returning their SHA-256 (hex).
    pub async fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let sha = sha256_hex(bytes);
        let path = self
            .path(&sha)
            .ok_or_else(|| std::io::Error::other("bad digest"))?;
        if !tokio::fs::try_exists(&path).await? {
            // Passport scans and signatures: owner-only, and never half a file under its digest.
            let bytes = bytes.to_vec();
            tokio::task::spawn_blocking(move || kep_private_file::write(&path, &bytes))
                .await
                .map_err(std::io::Error::other)??;
        }
        Ok(sha)
    }

    /// The bytes stored under `sha256`.
    pub async fn get(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        let path = self
            .path(sha256)
            .ok_or_else(|| std::io::Error::other("bad digest"))?;
        tokio::fs::read(path).await
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}
