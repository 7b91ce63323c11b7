//! Stages 1–2: each command forwards to `kep_client::renewal::Renewal` and returns the view the
//! UI renders next.

use crate::state::AppState;
use kep_client::renewal::{Renewal, WizardView};
use kep_protocol::auth::CodeRequested;
use kep_protocol::{ApiError, RequisitesInput};
use tauri::State;

/// Runs `f` on the renewal (or answers why there is none).
pub(crate) async fn with_renewal<T>(
    state: &State<'_, AppState>,
    f: impl AsyncFnOnce(&mut Renewal) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let mut guard = state.renewal.lock().await;
    match guard.as_mut() {
        Ok(renewal) => f(renewal).await,
        Err(e) => Err(e.clone()),
    }
}

/// Where the renewal stands (on start-up: where the user left it).
#[tauri::command]
pub async fn wizard_view(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    with_renewal(&state, async |r| r.view().await).await
}

/// «Получить код для входа».
#[tauri::command]
pub async fn request_code(
    state: State<'_, AppState>,
    phone: String,
) -> Result<CodeRequested, ApiError> {
    with_renewal(&state, async |r| r.request_code(&phone).await).await
}

/// The four digits of the calling number.
#[tauri::command]
pub async fn verify_code(
    state: State<'_, AppState>,
    phone: String,
    code: String,
) -> Result<WizardView, ApiError> {
    with_renewal(&state, async |r| r.verify_code(&phone, &code).await).await
}

/// «Заполнить заявку».
#[tauri::command]
pub async fn choose_application(
    state: State<'_, AppState>,
    application_id: i64,
) -> Result<WizardView, ApiError> {
    with_renewal(&state, async |r| r.choose(application_id).await).await
}

/// «Приступить».
#[tauri::command]
pub async fn start_application(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    with_renewal(&state, async |r| r.start().await).await
}

/// Back to the list of applications.
#[tauri::command]
pub async fn back_to_list(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    with_renewal(&state, async |r| r.back_to_list().await).await
}

/// From the documents back to the requisites.
#[tauri::command]
pub async fn edit_requisites(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    with_renewal(&state, async |r| r.edit_requisites().await).await
}

/// «Продолжить» on the requisites.
#[tauri::command]
pub async fn save_requisites(
    state: State<'_, AppState>,
    input: RequisitesInput,
) -> Result<WizardView, ApiError> {
    with_renewal(&state, async |r| r.save_requisites(&input).await).await
}

/// «Отправить заявку».
#[tauri::command]
pub async fn submit_application(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    with_renewal(&state, async |r| r.submit().await).await
}

/// «Выйти».
#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    with_renewal(&state, async |r| r.logout().await).await
}

/// Keeps the requisites as typed so far (restored after a restart).
#[tauri::command]
pub async fn save_draft(
    state: State<'_, AppState>,
    input: RequisitesInput,
) -> Result<(), ApiError> {
    with_renewal(&state, async |r| r.save_draft(&input)).await
}
