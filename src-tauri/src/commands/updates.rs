//! «Доступна новая версия …»: the offer, and its installation on consent.

use crate::state::AppState;
use kep_protocol::ApiError;
use kep_protocol::update::UpdateOffer;
use tauri::{AppHandle, State};

/// The version offered now (the UI asks at start; later offers come as `update-available`).
#[tauri::command]
pub fn update_offer(state: State<'_, AppState>) -> Option<UpdateOffer> {
    state.updates.offer()
}

/// Installs `version` and restarts the app.
#[tauri::command]
pub async fn install_update<R: tauri::Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    version: String,
) -> Result<(), ApiError> {
    crate::updates::install(&app, &state.updates, &version).await
}
