//! The upload zone: choose files (the backend opens the dialog), list, preview, discard, upload
//! (progress as `upload-progress` events), delete an uploaded document. Only opaque ids cross.

use crate::state::AppState;
use kep_client::pending_files::{PendingFile, PendingFileError};
use kep_client::renewal::WizardView;
use kep_protocol::application::DocumentKind;
pub use kep_protocol::files::UploadProgress;
use kep_protocol::{ApiError, ErrorKind};
use std::sync::Arc;
use tauri::{AppHandle, Emitter, State};

/// The event with an upload's progress.
pub const UPLOAD_PROGRESS: &str = "upload-progress";

fn unknown_file() -> ApiError {
    ApiError::new(ErrorKind::NotFound, crate::messages_ru::FILE_NOT_LISTED)
}

fn file_error(e: PendingFileError) -> ApiError {
    match e {
        PendingFileError::Unknown => unknown_file(),
        PendingFileError::Refused(message) => ApiError::new(ErrorKind::InvalidInput, message),
    }
}

fn locked() -> ApiError {
    ApiError::internal()
}

/// Opens the file dialog; the chosen files join the pending list.
#[tauri::command]
pub async fn choose_files<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Vec<PendingFile>, ApiError> {
    let answer = state.picker.pick(
        crate::messages_ru::PICK_SCANS_TITLE,
        crate::state::Pick::Scans,
    );
    let paths = answer.await.unwrap_or_default();
    Ok(crate::files::add(&app, paths))
}

/// The files waiting for upload.
#[tauri::command]
pub fn pending_files(state: State<'_, AppState>) -> Result<Vec<PendingFile>, ApiError> {
    Ok(state.pending.lock().map_err(|_| locked())?.list())
}

/// A pending file's bytes for the preview (images shown as they are; the UI renders a PDF's
/// first page itself).
#[tauri::command]
pub fn file_preview(
    state: State<'_, AppState>,
    file_id: String,
) -> Result<tauri::ipc::Response, ApiError> {
    let pending = state.pending.lock().map_err(|_| locked())?;
    let (_, bytes) = pending.read(&file_id).map_err(file_error)?;
    Ok(tauri::ipc::Response::new(bytes))
}

/// Removes a file from the list.
#[tauri::command]
pub fn discard_file(state: State<'_, AppState>, file_id: String) -> Result<(), ApiError> {
    state.pending.lock().map_err(|_| locked())?.remove(&file_id);
    Ok(())
}

/// Uploads a pending file as `kind` to the current application; it leaves the list.
#[tauri::command]
pub async fn upload_file<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    file_id: String,
    kind: DocumentKind,
) -> Result<WizardView, ApiError> {
    let (_, bytes) = state
        .pending
        .lock()
        .map_err(|_| locked())?
        .read(&file_id)
        .map_err(file_error)?;
    let id = file_id.clone();
    let progress: Arc<dyn Fn(u64, u64) + Send + Sync> = Arc::new(move |sent, total| {
        let _ = app.emit(
            UPLOAD_PROGRESS,
            UploadProgress {
                file_id: id.clone(),
                sent,
                total,
            },
        );
    });
    let renewal = state.renewal()?;
    renewal.upload(kind, bytes, progress).await?;
    // Uploaded: the file leaves the list even if the view below cannot be read now.
    state.pending.lock().map_err(|_| locked())?.remove(&file_id);
    Ok(renewal.view().await?)
}

/// Removes an uploaded document from the application.
#[tauri::command]
pub async fn delete_document(
    state: State<'_, AppState>,
    document_id: i64,
) -> Result<WizardView, ApiError> {
    Ok(state.renewal()?.delete_document(document_id).await?)
}
