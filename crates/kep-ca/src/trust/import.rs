//! Importing the list: the file hashed, its header read, an older or equal `Версия` ignored,
//! else its CAs streamed into the store (a parsing thread hands them over one at a time, so
//! memory stays at one CA however large the list) and the import made current in one step.
//! Every import is recorded with its hash and outcome, a refused one too; a refused one leaves
//! the list in use as it was.

use super::stored::row_of;
use super::tsl::TslReader;
use super::tsl_error::TslError;
use crate::store::StoreError;
use crate::store::trust_store::{TrustImportRow, TrustStore};
use std::io::Read;
use std::path::Path;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// The list's `Версия`.
    pub version: u64,
    /// SHA-256 of the file (hex).
    pub sha256: String,
    /// Whether it is now the list in use (false: an equal or newer one already is).
    pub current: bool,
    /// The version in use before, if any.
    pub previous: Option<i64>,
    /// CAs read.
    pub cas: usize,
    /// Certificates read.
    pub certificates: usize,
    /// Certificates the list gave that were left out (a thumbprint that does not match…).
    pub left_out: Vec<super::tsl_error::LeftOut>,
}

/// Why an import was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The list itself.
    #[error(transparent)]
    List(#[from] TslError),
    /// The database.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The audit log's action and subject for an import's outcome.
pub fn audit_words<E: std::fmt::Display>(
    outcome: &Result<ImportReport, E>,
) -> (&'static str, String) {
    match outcome {
        Ok(r) => (
            if r.current {
                "trust.imported"
            } else {
                "trust.ignored"
            },
            format!("version {} sha256 {}", r.version, r.sha256),
        ),
        Err(error) => ("trust.refused", error.to_string()),
    }
}

/// How many CAs the parsing thread may read ahead of the database.
const AHEAD: usize = 8;

/// SHA-256 of at most `cap` + 1 bytes of `path` (more than `cap` is refused before parsing).
fn hash_of(path: &Path, cap: u64) -> Result<String, ImportError> {
    let file_error = |source| ImportError::File {
        path: path.display().to_string(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(file_error)?.take(cap + 1);
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(file_error)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        context.update(&buf[..n]);
    }
    if total > cap {
        return Err(TslError::TooLarge { cap }.into());
    }
    Ok(hex::encode(context.finish()))
}

/// Imports the list in `path` (named `source` in the record: the file, or the URL it was
/// downloaded from), refusing one larger than `cap` bytes.
pub async fn import_file<S: TrustStore>(
    store: &S,
    path: &Path,
    source: &str,
    cap: u64,
    now: i64,
) -> Result<ImportReport, ImportError> {
    let sha256 = {
        let path = path.to_path_buf();
        tokio::task::spawn_blocking(move || hash_of(&path, cap))
            .await
            .map_err(|e| StoreError::Failed(e.to_string()))?
    };
    let record = |version: i64, list_date: i64, sha256: String| {
        TrustImportRow::loading(version, list_date, sha256, source, now)
    };
    let sha256 = match sha256 {
        Ok(sha256) => sha256,
        Err(error) => {
            // Refused unread (too large, or unreadable): recorded under no version.
            let id = store
                .begin_trust_import(record(0, 0, String::new()))
                .await?;
            store
                .close_trust_import(id, "failed", &error.to_string(), now)
                .await?;
            return Err(error);
        }
    };

    // The parsing thread: the header first, then each CA, over a bounded channel.
    let (header_tx, header_rx) = tokio::sync::oneshot::channel();
    let (cas_tx, mut cas_rx) = tokio::sync::mpsc::channel(AHEAD);
    let file = std::fs::File::open(path).map_err(|source| ImportError::File {
        path: path.display().to_string(),
        source,
    })?;
    let parser = tokio::task::spawn_blocking(move || {
        let (header, mut reader) = match TslReader::open(file, cap) {
            Ok(opened) => opened,
            Err(error) => {
                let _ = header_tx.send(Err(error));
                return;
            }
        };
        if header_tx.send(Ok(header)).is_err() {
            return;
        }
        loop {
            let next = reader.next_ca().transpose();
            let end = !matches!(next, Some(Ok(_)));
            // The importer stopped listening (an older version): nothing more to read.
            if let Some(next) = next
                && cas_tx.blocking_send(next).is_err()
            {
                return;
            }
            if end {
                return;
            }
        }
    });
    let header = match header_rx.await {
        Ok(Ok(header)) => header,
        Ok(Err(error)) => {
            let id = store.begin_trust_import(record(0, 0, sha256)).await?;
            store
                .close_trust_import(id, "failed", &error.to_string(), now)
                .await?;
            return Err(error.into());
        }
        Err(_) => return Err(StoreError::Failed("the list's reader ended".into()).into()),
    };
    let version = i64::try_from(header.version).unwrap_or(i64::MAX);
    let previous = store.current_trust_import().await?.map(|c| c.version);
    let id = store
        .begin_trust_import(record(version, header.date, sha256.clone()))
        .await?;
    let mut report = ImportReport {
        version: header.version,
        sha256,
        current: false,
        previous,
        cas: 0,
        certificates: 0,
        left_out: Vec::new(),
    };
    if previous.is_some_and(|p| p >= version) {
        drop(cas_rx);
        let _ = parser.await;
        store
            .close_trust_import(
                id,
                "ignored",
                "a list of this version or newer is in use",
                now,
            )
            .await?;
        return Ok(report);
    }
    while let Some(next) = cas_rx.recv().await {
        let outcome = match next {
            Ok(ca) => {
                report.certificates += ca.keys.iter().map(|k| k.certificates.len()).sum::<usize>();
                report.left_out.extend(ca.left_out.iter().cloned());
                match row_of(&ca) {
                    Ok(row) => {
                        let position = i64::try_from(report.cas).unwrap_or(i64::MAX);
                        report.cas += 1;
                        store
                            .add_trust_ca(id, position, row)
                            .await
                            .map_err(ImportError::from)
                    }
                    Err(e) => Err(StoreError::Failed(e.to_string()).into()),
                }
            }
            Err(error) => Err(error.into()),
        };
        if let Err(error) = outcome {
            drop(cas_rx);
            let _ = parser.await;
            store
                .close_trust_import(id, "failed", &error.to_string(), now)
                .await?;
            return Err(error);
        }
    }
    let _ = parser.await;
    let cas = i64::try_from(report.cas).unwrap_or(i64::MAX);
    let certificates = i64::try_from(report.certificates).unwrap_or(i64::MAX);
    report.current = store
        .finish_trust_import(id, cas, certificates, now)
        .await?;
    Ok(report)
}
