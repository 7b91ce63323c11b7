//! The certificates the app builds chains from: the chosen CA's root and its issuing CA,
//! fetched from the CA (over the TLS the app already trusts it through) and kept in the data
//! folder, so that the home checks chains — and so fetches statuses — offline as well. A pair
//! is kept only when the issuing certificate is signed by the root and the root by itself.

use kep_pki::summary::is_signed_by;
use std::path::{Path, PathBuf};
use x509_cert::Certificate;

pub use crate::cert_status::Anchors;

/// Why a pair of CA certificates was not kept.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// One of them does not read.
    #[error("a CA certificate does not read: {0}")]
    Unreadable(#[from] der::Error),
    /// The root is not self-signed, or the issuing CA is not signed by it.
    #[error("the CA's certificates do not form a chain")]
    NotAChain,
    /// The folder could not be written.
    #[error("the trust folder could not be written: {0}")]
    Io(#[from] std::io::Error),
}

/// The kept anchors, in `<data>/trust/`: `root-<sha256>.der` and `ca-<sha256>.der`.
#[derive(Debug, Clone)]
pub struct TrustAnchors {
    dir: PathBuf,
}

fn file_name(kind: &str, der: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    let hex: String = digest.as_ref()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{kind}-{hex}.der")
}

impl TrustAnchors {
    /// The anchors kept in `dir`.
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_owned(),
        }
    }

    /// Keeps `root` and `issuing` (DER) once they form a chain.
    pub fn keep(&self, root: &[u8], issuing: &[u8]) -> Result<(), TrustError> {
        use der::Decode;
        let root_cert = Certificate::from_der(root)?;
        let issuing_cert = Certificate::from_der(issuing)?;
        if !is_signed_by(&root_cert, &root_cert) || !is_signed_by(&issuing_cert, &root_cert) {
            return Err(TrustError::NotAChain);
        }
        for (kind, der) in [("root", root), ("ca", issuing)] {
            let path = self.dir.join(file_name(kind, der));
            if !path.exists() {
                kep_private_file::write(&path, der)?;
            }
        }
        Ok(())
    }

    /// Every kept root and CA certificate.
    pub fn anchors(&self) -> Anchors {
        let mut anchors = Anchors::default();
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return anchors;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(der) = std::fs::read(entry.path()) else {
                continue;
            };
            if name.starts_with("root-") && name.ends_with(".der") {
                anchors.roots.push(der);
            } else if name.starts_with("ca-") && name.ends_with(".der") {
                anchors.intermediates.push(der);
            }
        }
        anchors
    }
}
