//! The file dialog through tauri-plugin-dialog, opened by the backend (the UI has no dialog
//! permission and never sees the path).

use crate::state::{FilePicker, Pick};
use std::path::PathBuf;
use tauri_plugin_dialog::DialogExt;

/// The real dialog.
pub struct DialogPicker<R: tauri::Runtime>(pub tauri::AppHandle<R>);

impl<R: tauri::Runtime> std::fmt::Debug for DialogPicker<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DialogPicker")
    }
}

impl<R: tauri::Runtime> FilePicker for DialogPicker<R> {
    fn pick(&self, title: &str, what: Pick) -> tokio::sync::oneshot::Receiver<Vec<PathBuf>> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let dialog = self.0.dialog().file().set_title(title);
        let send_all = move |files: Option<Vec<tauri_plugin_dialog::FilePath>>| {
            let paths = files
                .unwrap_or_default()
                .into_iter()
                .filter_map(|f| f.into_path().ok())
                .collect();
            let _ = tx.send(paths);
        };
        match what {
            Pick::Scans => dialog
                .add_filter("PDF, JPEG, PNG", &["pdf", "jpg", "jpeg", "png"])
                .pick_files(send_all),
            Pick::Documents => dialog.pick_files(send_all),
            Pick::Library => dialog
                .add_filter("PKCS#11", &["so", "dll", "dylib"])
                .pick_file(move |file| send_all(file.map(|f| vec![f]))),
        }
        rx
    }

    fn save(
        &self,
        title: &str,
        file_name: &str,
    ) -> tokio::sync::oneshot::Receiver<Option<PathBuf>> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        // The filter follows the suggested name: a statement is a PDF, a certificate a .cer.
        let (filter, extension) = match file_name.rsplit_once('.') {
            Some((_, "cer")) => (crate::messages_ru::CERTIFICATE_FILTER, "cer"),
            Some((_, "sig")) => (crate::messages_ru::SIGNATURE_FILTER, "sig"),
            _ => ("PDF", "pdf"),
        };
        self.0
            .dialog()
            .file()
            .set_title(title)
            .set_file_name(file_name)
            .add_filter(filter, &[extension])
            .save_file(move |file| {
                let _ = tx.send(file.and_then(|f| f.into_path().ok()));
            });
        rx
    }

    fn folder(&self, title: &str) -> tokio::sync::oneshot::Receiver<Option<PathBuf>> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.0
            .dialog()
            .file()
            .set_title(title)
            .pick_folder(move |dir| {
                let _ = tx.send(dir.and_then(|d| d.into_path().ok()));
            });
        rx
    }
}
