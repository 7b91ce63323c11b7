//! The one way KEP Renew writes a state file (the flow, the draft, the files to upload, keys and
//! certificates of the computer key store, the CA's key files and documents): to a temporary
//! file with a unique name in the same folder, fsync'd, renamed over the old one, the folder
//! fsync'd — so a crash or a power loss leaves the old file or the new one, never a torn one, and
//! two writers never share a temporary file. Files are owner-only (0600) in owner-only folders
//! (0700) on Unix; the temporary file is 0600 from its first byte.
#![forbid(unsafe_code)]

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically and privately, creating its folder.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = folder_of(path);
    create_dir(dir)?;
    // tempfile creates the file with O_EXCL and mode 0600 on Unix.
    let mut file = tempfile::Builder::new()
        .prefix(".kep-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
}

/// Creates `dir` (and its parents) owner-only. An existing folder keeps its mode.
pub fn create_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Makes a rename in `dir` durable (Unix; elsewhere the rename itself is all there is).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("kep-private-{name}-{}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        dir
    }

    #[test]
    fn replaces_the_file_owner_only_and_leaves_no_temporary_file() {
        let dir = scratch("replace");
        let path = dir.join("inner").join("state.json");
        write(&path, b"one").unwrap();
        write(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let dir_mode = std::fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(dir_mode & 0o777, 0o700);
        }
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["state.json"]);
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn concurrent_writers_never_tear_the_file() {
        let dir = scratch("concurrent");
        let path = dir.join("flow.json");
        let payloads: Vec<Vec<u8>> = (0..8u8).map(|i| vec![b'a' + i; 64 * 1024]).collect();
        std::thread::scope(|s| {
            for bytes in &payloads {
                let path = &path;
                s.spawn(move || {
                    for _ in 0..20 {
                        write(path, bytes).unwrap();
                    }
                });
            }
        });
        let last = std::fs::read(&path).unwrap();
        assert!(
            payloads.contains(&last),
            "the file is one writer's whole payload"
        );
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_an_error_not_a_panic() {
        let dir = scratch("blocked");
        std::fs::create_dir_all(&dir).unwrap();
        let blocker = dir.join("file");
        std::fs::write(&blocker, b"x").unwrap();
        assert!(write(&blocker.join("state.json"), b"y").is_err());
        std::fs::remove_dir_all(dir).ok();
    }
}
