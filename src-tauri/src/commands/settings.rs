//! «Настройки»: the CA (switch after a health check, back to the default), the PKCS#11 library
//! (chosen in the backend's dialog, loaded before it is kept), the version and the log folder.

use crate::state::{AppState, Pick};
use kep_protocol::ApiError;
use kep_protocol::settings::{CaSwitch, SettingsView};
use tauri::State;

/// What the settings screen shows.
#[tauri::command]
pub fn settings_view(state: State<'_, AppState>) -> Result<SettingsView, ApiError> {
    Ok(state.settings()?.view())
}

/// Switches to another CA once it answers as a ready one.
#[tauri::command]
pub async fn switch_ca(
    state: State<'_, AppState>,
    switch: CaSwitch,
) -> Result<SettingsView, ApiError> {
    Ok(state.settings()?.switch_ca(&switch.url).await?)
}

/// Back to the organization's or the build's CA.
#[tauri::command]
pub fn reset_ca(state: State<'_, AppState>) -> Result<SettingsView, ApiError> {
    Ok(state.settings()?.reset_ca()?)
}

/// Opens the dialog for a PKCS#11 library; the one chosen is used once it loads.
#[tauri::command]
pub async fn choose_pkcs11_module(state: State<'_, AppState>) -> Result<SettingsView, ApiError> {
    let answer = state
        .picker
        .pick(crate::messages_ru::PICK_LIBRARY_TITLE, Pick::Library);
    let settings = state.settings()?;
    match answer.await.unwrap_or_default().into_iter().next() {
        Some(path) => Ok(settings.use_module(Some(path)).await?),
        None => Ok(settings.view()),
    }
}

/// Back to the known library locations.
#[tauri::command]
pub async fn forget_pkcs11_module(state: State<'_, AppState>) -> Result<SettingsView, ApiError> {
    Ok(state.settings()?.use_module(None).await?)
}

/// Whether the app starts hidden at login (the OS's autostart entry is the record of it).
#[tauri::command]
pub fn start_at_login<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Result<bool, ApiError> {
    crate::autostart::enabled(&app)
}

/// Starts the app hidden at login, to keep reminding, or stops doing so; answers the new state.
#[tauri::command]
pub fn set_start_at_login<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    enabled: bool,
) -> Result<bool, ApiError> {
    crate::autostart::set(&app, enabled)
}
