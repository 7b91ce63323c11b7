//! «Подписать и проверить»: files dropped or chosen for signing or checking (opaque ids), the
//! signing with a certificate of «Мои сертификаты» (progress as `signing-progress` events; the
//! save dialog or folder chosen here when asked), the check and its PDF report. kep-client does
//! the work.

use crate::messages_ru;
use crate::state::AppState;
use kep_client::file_signatures::Destination;
use kep_protocol::ApiError;
use kep_protocol::file_signatures::{
    ChosenFile, SignFiles, SignatureCheck, SignedFile, SigningProgress,
};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tauri::{AppHandle, Emitter, State};
use zeroize::Zeroizing;

/// The event with a file's signing progress.
pub const SIGNING_PROGRESS: &str = "signing-progress";

/// Where dropped files go: documents to sign or check (true), or the upload zone (false).
#[tauri::command]
pub fn set_drop_target(state: State<'_, AppState>, documents: bool) {
    state.drop_to_documents.store(documents, Ordering::Relaxed);
}

/// The files chosen to sign or check.
#[tauri::command]
pub fn chosen_documents(state: State<'_, AppState>) -> Result<Vec<ChosenFile>, ApiError> {
    Ok(state.renewal()?.file_signatures().files())
}

/// Opens the file dialog; the chosen files join the list.
#[tauri::command]
pub async fn choose_documents(state: State<'_, AppState>) -> Result<Vec<ChosenFile>, ApiError> {
    let paths = state
        .picker
        .pick(
            messages_ru::PICK_DOCUMENTS_TITLE,
            crate::state::Pick::Documents,
        )
        .await
        .unwrap_or_default();
    Ok(state.renewal()?.file_signatures().add_files(paths))
}

/// Takes a file off the list (all of them with no id); the file itself stays.
#[tauri::command]
pub fn forget_document(state: State<'_, AppState>, id: Option<String>) -> Result<(), ApiError> {
    state
        .renewal()?
        .file_signatures()
        .remove_file(id.as_deref());
    Ok(())
}

/// «Подписать»: the files of `request` with its certificate, the key opened with `secret`.
/// With `choose_place`, a save dialog (one file) or a folder (several) first; None when it was
/// cancelled.
#[tauri::command]
pub async fn sign_documents<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: SignFiles,
    secret: String,
) -> Result<Option<Vec<SignedFile>>, ApiError> {
    let secret = Zeroizing::new(secret);
    let renewal = state.renewal()?;
    let files = renewal.file_signatures();
    let destination = if !request.choose_place {
        Destination::Beside
    } else if let [only] = request.file_ids.as_slice() {
        let (_, file) = files.file(only)?;
        let suggested = format!("{}.sig", file.name);
        match state
            .picker
            .save(messages_ru::SAVE_SIGNATURE_TITLE, &suggested)
            .await
            .ok()
            .flatten()
        {
            Some(path) => Destination::File(path),
            None => return Ok(None),
        }
    } else {
        match state
            .picker
            .folder(messages_ru::SIGNATURES_FOLDER_TITLE)
            .await
            .ok()
            .flatten()
        {
            Some(dir) => Destination::Folder(dir),
            None => return Ok(None),
        }
    };
    let progress = Arc::new(move |p: SigningProgress| {
        let _ = app.emit(SIGNING_PROGRESS, &p);
    });
    Ok(Some(
        files.sign(&request, secret, destination, progress).await?,
    ))
}

/// «Проверить»: the signature `signature_id` over the file `file_id` (none: the signature
/// carries its document).
#[tauri::command]
pub async fn check_signature(
    state: State<'_, AppState>,
    signature_id: String,
    file_id: Option<String>,
) -> Result<SignatureCheck, ApiError> {
    Ok(state
        .renewal()?
        .file_signatures()
        .check(&signature_id, file_id.as_deref())
        .await?)
}

/// Saves the report of the last check of `signature_id` where the person chooses; the file's
/// name, or None when the dialog was cancelled.
#[tauri::command]
pub async fn save_check_report(
    state: State<'_, AppState>,
    signature_id: String,
) -> Result<Option<String>, ApiError> {
    let (pdf, name) = state
        .renewal()?
        .file_signatures()
        .report(&signature_id, env!("CARGO_PKG_VERSION"))?;
    crate::files::saved::save_where_chosen(
        &*state.picker,
        messages_ru::SAVE_REPORT_TITLE,
        &name,
        &pdf,
        messages_ru::REPORT_NOT_SAVED,
    )
    .await
}
