//! The login, the list, the requisites, and what every stage shares: each command forwards to
//! `kep_client::renewal::Renewal` and returns the view the UI renders next.

use crate::state::AppState;
use kep_client::renewal::WizardView;
use kep_protocol::auth::CodeRequested;
use kep_protocol::{ApiError, RequisitesInput};
use tauri::State;

/// Where the renewal stands (on start-up: where the user left it).
#[tauri::command]
pub async fn wizard_view(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    Ok(state.renewal()?.view().await?)
}

/// «Получить код для входа».
#[tauri::command]
pub async fn request_code(
    state: State<'_, AppState>,
    phone: String,
) -> Result<CodeRequested, ApiError> {
    Ok(state.renewal()?.request_code(&phone).await?)
}

/// The four digits of the calling number.
#[tauri::command]
pub async fn verify_code(
    state: State<'_, AppState>,
    phone: String,
    code: zeroize::Zeroizing<String>,
) -> Result<WizardView, ApiError> {
    Ok(state.renewal()?.verify_code(&phone, &code).await?)
}

/// «Заполнить заявку».
#[tauri::command]
pub async fn choose_application(
    state: State<'_, AppState>,
    application_id: i64,
) -> Result<WizardView, ApiError> {
    Ok(state.renewal()?.choose(application_id).await?)
}

/// «Приступить».
#[tauri::command]
pub async fn start_application(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    Ok(state.renewal()?.start().await?)
}

/// Back to the list of applications.
#[tauri::command]
pub async fn back_to_list(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    Ok(state.renewal()?.back_to_list().await?)
}

/// From the documents back to the requisites.
#[tauri::command]
pub async fn edit_requisites(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    Ok(state.renewal()?.edit_requisites().await?)
}

/// «Продолжить» on the requisites.
#[tauri::command]
pub async fn save_requisites(
    state: State<'_, AppState>,
    input: RequisitesInput,
) -> Result<WizardView, ApiError> {
    Ok(state.renewal()?.save_requisites(&input).await?)
}

/// «Отправить заявку».
#[tauri::command]
pub async fn submit_application(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    Ok(state.renewal()?.submit().await?)
}

/// «Выйти»: at once, whatever else is running. (Async only so that it runs on the runtime the
/// renewal tells the CA from, in the background.)
#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    Ok(state.renewal()?.logout()?)
}

/// «Отменить»: the running action answers `cancelled` at once.
#[tauri::command]
pub fn cancel_action(state: State<'_, AppState>) -> Result<(), ApiError> {
    state.renewal()?.cancel();
    Ok(())
}

/// Keeps the requisites as typed so far (restored after a restart).
#[tauri::command]
pub fn save_draft(state: State<'_, AppState>, input: RequisitesInput) -> Result<(), ApiError> {
    Ok(state.renewal()?.save_draft(&input)?)
}
