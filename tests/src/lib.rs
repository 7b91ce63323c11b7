//! Helpers for the system tests in `tests/tests/`. The end-to-end tests of the real window are
//! JavaScript (`tests/e2e/`), driven by `scripts/e2e.sh`.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test support fails loudly

pub mod postgres;
pub mod sensor;
pub mod softhsm;
pub mod tls;
pub mod tools;
pub mod tsl;

use std::path::{Path, PathBuf};

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
}

/// Reads a repository file as text, naming it in the error.
pub fn read_repo_file(relative: &str) -> Result<String, String> {
    let path = repo_root().join(relative);
    std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads and parses a repository JSON file.
pub fn read_repo_json(relative: &str) -> Result<serde_json::Value, String> {
    let text = read_repo_file(relative)?;
    serde_json::from_str(&text).map_err(|e| format!("{relative}: {e}"))
}
