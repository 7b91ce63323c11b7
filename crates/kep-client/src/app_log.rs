//! The app's log, for whoever helps a user: `logs/kep-renew.log` in the data folder, plain text,
//! rotated by size (the live file and 4 older ones, each cut before 2 MiB), owner-only. What goes
//! in: the version at start, every flow step, every CA call (method, route, status, duration,
//! attempt) and the cause behind every calm sentence the user sees. What never goes in: PINs,
//! passwords, login codes, session tokens, key material, passport data — no event carries them
//! (`tests/log_secrets.rs` runs a whole renewal and searches the files for each).

use std::path::{Path, PathBuf};

/// How many rotated files are kept beside the live one.
pub const ROTATED_FILES: usize = 4;
/// A file is cut once it passes this size, after the line being written; lines are far shorter
/// than the margin to 2 MiB.
pub const CUT_AFTER_BYTES: usize = 2 * 1024 * 1024 - 64 * 1024;
/// The log's file name in `logs/`.
pub const FILE_NAME: &str = "kep-renew.log";
/// The environment variable that overrides the level filter (`info` by default).
pub const FILTER_VARIABLE: &str = "KEP_RENEW_LOG";

/// Why the log could not be set up (the app runs on without one).
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// The folder could not be made.
    #[error("the log folder {0}: {1}")]
    Folder(PathBuf, std::io::Error),
    /// Another subscriber was installed first (a second call in one process).
    #[error("a log is installed already: {0}")]
    AlreadyInstalled(#[source] tracing::subscriber::SetGlobalDefaultError),
}

/// The live file at `path`, with its rotated predecessors beside it (`path.1` is the newest).
fn rotating_file(path: &Path) -> file_rotate::FileRotate<file_rotate::suffix::AppendCount> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    file_rotate::FileRotate::new(
        path,
        file_rotate::suffix::AppendCount::new(ROTATED_FILES),
        file_rotate::ContentLimit::BytesSurpassed(CUT_AFTER_BYTES),
        file_rotate::compression::Compression::None,
        Some(options),
    )
}

/// The log folder of `data_dir`.
pub fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// Sends this process's `tracing` events to the rotated file in `data_dir` and records the
/// start with `version`. Answers the live file's path.
pub fn install(data_dir: &Path, version: &str) -> Result<PathBuf, LogError> {
    let dir = folder(data_dir);
    kep_private_file::create_dir(&dir).map_err(|e| LogError::Folder(dir.clone(), e))?;
    let path = dir.join(FILE_NAME);
    let file = rotating_file(&path);
    let filter = tracing_subscriber::EnvFilter::try_from_env(FILTER_VARIABLE)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let subscriber = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_env_filter(filter)
        .finish();
    tracing::subscriber::set_global_default(subscriber).map_err(LogError::AlreadyInstalled)?;
    tracing::info!(
        version,
        os = std::env::consts::OS,
        arch = std::env::consts::ARCH,
        "KEP Renew started"
    );
    Ok(path)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn twelve_mebibytes_leave_five_files_none_over_two() {
        let dir = std::env::temp_dir().join(format!("kep-log-rotation-{}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        kep_private_file::create_dir(&dir).unwrap();
        let mut file = rotating_file(&dir.join(FILE_NAME));
        let line = format!("{}\n", "x".repeat(199));
        for _ in 0..(12 * 1024 * 1024 / line.len()) {
            file.write_all(line.as_bytes()).unwrap();
        }
        file.flush().unwrap();
        let files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1 + ROTATED_FILES, "{files:?}");
        for f in &files {
            let meta = std::fs::metadata(f).unwrap();
            assert!(
                meta.len() <= 2 * 1024 * 1024,
                "{} is {} bytes",
                f.display(),
                meta.len()
            );
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{}", f.display());
            }
        }
        std::fs::remove_dir_all(dir).ok();
    }
}
