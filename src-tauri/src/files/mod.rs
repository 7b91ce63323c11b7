//! Files for the upload zone: what the user drops onto the window (Tauri's drag-drop event) or
//! chooses in the dialog. The paths stay here; the UI receives `PendingFile`s with opaque ids
//! through the `files-added` event or the command's answer.

pub mod dialog;
pub mod saved;

use crate::state::AppState;
use kep_client::pending_files::PendingFile;
use std::path::PathBuf;
use tauri::{Emitter, Manager};

/// The event that carries newly added files to the UI.
pub const FILES_ADDED: &str = "files-added";

/// The event that carries newly dropped documents (to sign or check) to the UI.
pub const DOCUMENTS_ADDED: &str = "documents-added";

/// Takes dropped paths: documents to sign or check while the home or the signing screen shows,
/// else scans for the upload zone.
pub fn dropped<R: tauri::Runtime>(app: &tauri::AppHandle<R>, paths: Vec<PathBuf>) {
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    if !state
        .drop_to_documents
        .load(std::sync::atomic::Ordering::Relaxed)
    {
        add(app, paths);
        return;
    }
    let Ok(renewal) = state.renewal() else {
        return;
    };
    let added = renewal.file_signatures().add_files(paths);
    if !added.is_empty() {
        let _ = app.emit(DOCUMENTS_ADDED, &added);
    }
}

/// Takes dropped (or chosen) paths: kept, checked, announced to the UI.
pub fn add<R: tauri::Runtime>(app: &tauri::AppHandle<R>, paths: Vec<PathBuf>) -> Vec<PendingFile> {
    let Some(state) = app.try_state::<AppState>() else {
        return Vec::new();
    };
    let added = match state.pending.lock() {
        Ok(mut pending) => pending.add(paths),
        Err(_) => Vec::new(),
    };
    if !added.is_empty() {
        // The UI may not be listening yet (very early drops): the list command has them anyway.
        let _ = app.emit(FILES_ADDED, &added);
    }
    added
}

/// The window's drag-drop handler: a drop adds the files.
pub fn on_window_event<R: tauri::Runtime>(window: &tauri::Window<R>, event: &tauri::WindowEvent) {
    if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
        dropped(window.app_handle(), paths.clone());
    }
}
