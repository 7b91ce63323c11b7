//! Files the user dropped onto the window or chose in a dialog, before they are uploaded. The
//! backend keeps the paths; the UI only ever sees an opaque id, the name, the size and the
//! verdict of the same checks the CA makes (type from the bytes, at most 10 MiB) — so a wrong
//! file is refused before anything is sent, with a message that says why. The list is kept in
//! the app's data folder (`pending-files.json`: the user's own paths, nothing else), so a restart
//! loses no file that was dropped but not yet uploaded.

use kep_protocol::documents::{MAX_DOCUMENT_BYTES, sniff};
pub use kep_protocol::files::PendingFile;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

pub use crate::messages_ru::{
    FILE_TOO_LARGE as TOO_LARGE, FILE_UNREADABLE as UNREADABLE, FILE_WRONG_TYPE as WRONG_TYPE,
};

/// Why a pending file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PendingFileError {
    /// No file with this id (already uploaded or removed).
    #[error("no such pending file")]
    Unknown,
    /// The file fails a check (the message says which).
    #[error("{0}")]
    Refused(&'static str),
}

#[derive(Serialize, Deserialize)]
struct Entry {
    path: PathBuf,
    file: PendingFile,
}

/// The files kept for the UI.
#[derive(Default)]
pub struct PendingFiles {
    entries: HashMap<String, Entry>,
    /// Where the list is saved (none: memory only).
    file: Option<PathBuf>,
}

impl std::fmt::Debug for PendingFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingFiles")
            .field("count", &self.entries.len())
            .finish()
    }
}

/// 96 random bits as hex, an opaque id for a file the UI names; None only if the OS RNG fails.
pub(crate) fn new_id() -> Option<String> {
    let mut bytes = [0u8; 12];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Reads the first bytes and the size, and judges the file.
fn inspect(path: &Path) -> (u64, Option<String>, Option<String>) {
    let Ok(mut file) = std::fs::File::open(path) else {
        return (0, None, Some(UNREADABLE.into()));
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return (size, None, Some(WRONG_TYPE.into()));
    }
    let mut head = [0u8; 16];
    let n = file.read(&mut head).unwrap_or(0);
    let media_type = sniff(&head[..n]).map(str::to_owned);
    let problem = if media_type.is_none() {
        Some(WRONG_TYPE)
    } else if size > MAX_DOCUMENT_BYTES as u64 {
        Some(TOO_LARGE)
    } else {
        None
    };
    (size, media_type, problem.map(str::to_owned))
}

impl PendingFiles {
    /// The list saved in `data_dir` (empty when there is none or it is unreadable).
    pub fn open(data_dir: &Path) -> Self {
        let file = data_dir.join("pending-files.json");
        let entries = std::fs::read(&file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Vec<Entry>>(&bytes).ok())
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.file.id.clone(), e))
            .collect();
        Self {
            entries,
            file: Some(file),
        }
    }

    /// Saves the list (atomically); a failure only costs the list after a restart.
    fn save(&self) {
        let Some(file) = &self.file else { return };
        let mut entries: Vec<&Entry> = self.entries.values().collect();
        entries.sort_by(|a, b| a.file.id.cmp(&b.file.id));
        let Ok(bytes) = serde_json::to_vec(&entries) else {
            return;
        };
        if let Err(e) = kep_private_file::write(file, &bytes) {
            tracing::warn!(error = %e, "the list of files to upload was not saved");
        }
    }

    /// Keeps `paths` and returns what the UI may know of them.
    pub fn add(&mut self, paths: impl IntoIterator<Item = PathBuf>) -> Vec<PendingFile> {
        let added = paths
            .into_iter()
            .filter_map(|path| {
                let (size, media_type, problem) = inspect(&path);
                let id = new_id().filter(|id| !self.entries.contains_key(id))?;
                let file = PendingFile {
                    id: id.clone(),
                    name: path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    size,
                    media_type,
                    problem,
                };
                self.entries.insert(
                    id,
                    Entry {
                        path,
                        file: file.clone(),
                    },
                );
                Some(file)
            })
            .collect::<Vec<_>>();
        if !added.is_empty() {
            self.save();
        }
        added
    }

    /// The files kept now.
    pub fn list(&self) -> Vec<PendingFile> {
        let mut files: Vec<PendingFile> = self.entries.values().map(|e| e.file.clone()).collect();
        files.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        files
    }

    /// Forgets a file (removed by the user, or uploaded).
    pub fn remove(&mut self, id: &str) -> bool {
        let removed = self.entries.remove(id).is_some();
        if removed {
            self.save();
        }
        removed
    }

    /// The file's bytes, re-checked now (it may have changed on disk since it was dropped).
    pub fn read(&self, id: &str) -> Result<(PendingFile, Vec<u8>), PendingFileError> {
        let entry = self.entries.get(id).ok_or(PendingFileError::Unknown)?;
        let bytes = std::fs::read(&entry.path).map_err(|e| {
            tracing::warn!(error = %e, "a file waiting for upload cannot be read");
            PendingFileError::Refused(UNREADABLE)
        })?;
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(PendingFileError::Refused(TOO_LARGE));
        }
        if sniff(&bytes).is_none() {
            return Err(PendingFileError::Refused(WRONG_TYPE));
        }
        Ok((entry.file.clone(), bytes))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn files_are_judged_by_their_bytes_and_size() {
        let dir = std::env::temp_dir().join(format!("kep-pending-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let png = dir.join("scan.png");
        std::fs::write(&png, [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]).unwrap();
        let fake = dir.join("passport.pdf");
        std::fs::write(&fake, b"MZ\x90\x00 not a pdf").unwrap();
        let big = dir.join("big.pdf");
        let mut bytes = b"%PDF-1.7\n".to_vec();
        bytes.resize(MAX_DOCUMENT_BYTES + 1, b' ');
        std::fs::write(&big, bytes).unwrap();
        let missing = dir.join("missing.jpg");

        let mut files = PendingFiles::default();
        let added = files.add([png, fake, big, missing]);
        assert_eq!(added[0].media_type.as_deref(), Some("image/png"));
        assert_eq!(added[0].problem, None);
        assert_eq!(
            added[1].problem.as_deref(),
            Some(WRONG_TYPE),
            "named .pdf, is not"
        );
        assert_eq!(added[2].problem.as_deref(), Some(TOO_LARGE));
        assert_eq!(added[3].problem.as_deref(), Some(UNREADABLE));
        assert!(
            added
                .iter()
                .all(|f| !f.id.contains('/') && f.id.len() == 24)
        );
        let ids: std::collections::HashSet<_> = added.iter().map(|f| f.id.clone()).collect();
        assert_eq!(ids.len(), 4);

        assert_eq!(files.read(&added[0].id).unwrap().1.len(), 9);
        assert_eq!(
            files.read(&added[1].id),
            Err(PendingFileError::Refused(WRONG_TYPE))
        );
        assert!(files.remove(&added[0].id));
        assert_eq!(files.read(&added[0].id), Err(PendingFileError::Unknown));
        assert_eq!(files.list().len(), 3);

        // Kept in the data folder: a restart finds the same list with the same ids.
        let data = dir.join("data");
        let mut kept = PendingFiles::open(&data);
        let png = dir.join("again.png");
        std::fs::write(&png, [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 1]).unwrap();
        let id = kept.add([png])[0].id.clone();
        let reopened = PendingFiles::open(&data);
        assert_eq!(reopened.list(), kept.list());
        assert_eq!(reopened.read(&id).unwrap().1.len(), 9);
        kept.remove(&id);
        assert!(PendingFiles::open(&data).list().is_empty());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
