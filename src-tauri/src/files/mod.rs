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
        add(window.app_handle(), paths.clone());
    }
}
