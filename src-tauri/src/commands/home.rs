//! «Мои сертификаты», the home before any login: the certificates present with their statuses,
//! one in full, saved as `.cer` where the person chooses, an expired one removed from the key
//! store. kep-client does the work.

use crate::messages_ru;
use crate::state::AppState;
use kep_protocol::ApiError;
use kep_protocol::my_certificates::{CertificateDetails, MyCertificate};
use tauri::State;

/// Every certificate on the tokens present and in the computer key store.
#[tauri::command]
pub async fn my_certificates(state: State<'_, AppState>) -> Result<Vec<MyCertificate>, ApiError> {
    Ok(state.renewal()?.home().list().await?)
}

/// «Подробнее».
#[tauri::command]
pub async fn certificate_details(
    state: State<'_, AppState>,
    id: String,
) -> Result<CertificateDetails, ApiError> {
    Ok(state.renewal()?.home().details(&id).await?)
}

/// Saves the certificate as `.cer` (DER) where the person chooses. Returns the file's name, or
/// None when the dialog was cancelled.
#[tauri::command]
pub async fn save_certificate(
    state: State<'_, AppState>,
    id: String,
) -> Result<Option<String>, ApiError> {
    let der = state.renewal()?.home().der(&id).await?;
    crate::files::saved::save_where_chosen(
        &*state.picker,
        messages_ru::SAVE_CERTIFICATE_TITLE,
        messages_ru::CERTIFICATE_FILE_NAME,
        &der,
        messages_ru::CERTIFICATE_NOT_SAVED,
    )
    .await
}

/// Removes an expired certificate (and its key) from the computer key store; the UI asks for
/// confirmation first.
#[tauri::command]
pub async fn remove_certificate(state: State<'_, AppState>, id: String) -> Result<(), ApiError> {
    Ok(state.renewal()?.home().remove_expired(&id).await?)
}

/// «Обновить сертификат»: the application renewing it, at its requisites (after the login,
/// when not logged in yet: the login view comes back first).
#[tauri::command]
pub async fn renew_certificate(
    state: State<'_, AppState>,
    id: String,
) -> Result<kep_client::renewal::WizardView, ApiError> {
    Ok(state.renewal()?.renew_certificate(&id).await?)
}

/// «Проверить» on a renewal's record: its statement's signature and its certificate's chain,
/// re-verified here.
#[tauri::command]
pub async fn check_record(
    state: State<'_, AppState>,
    application_id: i64,
) -> Result<kep_protocol::my_certificates::RecordCheck, ApiError> {
    Ok(state.renewal()?.home().check_record(application_id).await?)
}
