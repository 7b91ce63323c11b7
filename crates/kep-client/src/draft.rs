//! The requisites as typed but not yet sent («Продолжить» sends them; the CA only takes valid
//! ones). Kept in the app's data folder, readable by the user only, so that quitting in the
//! middle of the form loses nothing; removed once the CA has the requisites, and on logout.

use kep_protocol::RequisitesInput;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Serialize, Deserialize)]
struct Stored {
    application_id: i64,
    input: RequisitesInput,
}

/// The draft file.
#[derive(Debug, Clone)]
pub struct DraftFile {
    path: PathBuf,
}

impl DraftFile {
    /// `requisites-draft.json` in `data_dir`.
    pub fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join("requisites-draft.json"),
        }
    }

    /// The draft for `application_id`, if there is one.
    pub fn load(&self, application_id: i64) -> Option<RequisitesInput> {
        let stored: Stored = serde_json::from_slice(&std::fs::read(&self.path).ok()?).ok()?;
        (stored.application_id == application_id).then_some(stored.input)
    }

    /// Keeps the draft (atomically, owner-only on Unix).
    pub fn save(&self, application_id: i64, input: &RequisitesInput) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(&Stored {
            application_id,
            input: input.clone(),
        })
        .map_err(std::io::Error::other)?;
        kep_private_file::write(&self.path, &bytes)
    }

    /// Forgets the draft.
    pub fn clear(&self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
