//! Built only with the `e2e-hooks` feature (the end-to-end tests' build, never a release):
//! WebDriver can neither drop a file from the OS onto the window nor drive a GTK dialog, so the
//! tests leave instructions in `KEP_E2E_CONTROL_DIR`:
//!
//! * `drop.json` — a JSON array of paths: handed to the same code as Tauri's drop event;
//! * `dialog.json` — the answer the next file dialog gives (absent: the user cancelled);
//! * `save.json` — the path the next save dialog answers with (absent: cancelled).
//!
//! Everything after that — checks, ids, previews, uploads — is the real path.

use crate::state::{FilePicker, Pick};
use std::path::PathBuf;
use std::time::Duration;

fn take(path: &std::path::Path) -> Option<Vec<PathBuf>> {
    let text = std::fs::read(path).ok()?;
    let _ = std::fs::remove_file(path);
    serde_json::from_slice::<Vec<String>>(&text)
        .ok()
        .map(|paths| paths.into_iter().map(PathBuf::from).collect())
}

/// The control folder, when the tests set one.
pub fn control_dir() -> Option<PathBuf> {
    std::env::var_os("KEP_E2E_CONTROL_DIR").map(PathBuf::from)
}

/// Watches for `drop.json` and injects the drop.
pub fn start<R: tauri::Runtime>(app: tauri::AppHandle<R>, dir: PathBuf) {
    eprintln!(
        "kep-renew: e2e hooks active (control folder {})",
        dir.display()
    );
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if let Some(paths) = take(&dir.join("drop.json")) {
                crate::files::dropped(&app, paths);
            }
        }
    });
}

/// The dialog, answered from `dialog.json`.
#[derive(Debug)]
pub struct ScriptedPicker(pub PathBuf);

impl FilePicker for ScriptedPicker {
    fn pick(&self, _title: &str, _what: Pick) -> tokio::sync::oneshot::Receiver<Vec<PathBuf>> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let _ = tx.send(take(&self.0.join("dialog.json")).unwrap_or_default());
        rx
    }

    fn save(
        &self,
        _title: &str,
        _file_name: &str,
    ) -> tokio::sync::oneshot::Receiver<Option<PathBuf>> {
        self.answer("save.json")
    }

    fn folder(&self, _title: &str) -> tokio::sync::oneshot::Receiver<Option<PathBuf>> {
        self.answer("folder.json")
    }
}

impl ScriptedPicker {
    /// A path the test wrote into `name` (a JSON string), taken once; None without one.
    fn answer(&self, name: &str) -> tokio::sync::oneshot::Receiver<Option<PathBuf>> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let answer = std::fs::read(self.0.join(name))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<String>(&bytes).ok())
            .map(PathBuf::from);
        let _ = std::fs::remove_file(self.0.join(name));
        let _ = tx.send(answer);
        rx
    }
}
