//! Files the person drops or picks for upload, as the UI sees them (never a path), and an
//! upload's progress.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A file waiting to be uploaded, as the UI sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PendingFile {
    /// Opaque id (never a path).
    pub id: String,
    /// The file's name, for display.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// `application/pdf`, `image/jpeg` or `image/png` when the bytes are one of those.
    pub media_type: Option<String>,
    /// Why it cannot be uploaded (Russian), if it cannot.
    pub problem: Option<String>,
}

/// Progress of one upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UploadProgress {
    /// The pending file.
    pub file_id: String,
    /// Bytes sent.
    pub sent: u64,
    /// All bytes.
    pub total: u64,
}
