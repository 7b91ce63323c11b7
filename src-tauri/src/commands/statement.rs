//! Stage 3: on to the statement, the certificates it can be signed with, signing with one of
//! them, the blank saved for printing, the scan sent for review.

use crate::messages_ru;
use crate::state::AppState;
use kep_client::current_certificates::SigningCertificate;
use kep_client::renewal::WizardView;
use kep_protocol::ApiError;
use tauri::State;
use zeroize::Zeroizing;

/// «Продолжить» on the approved application.
#[tauri::command]
pub async fn proceed_to_issuance(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    Ok(state.renewal()?.proceed_to_issuance().await?)
}

/// The certificates in the computer key store and on the tokens present, judged against the
/// application.
#[tauri::command]
pub async fn signing_certificates(
    state: State<'_, AppState>,
) -> Result<Vec<SigningCertificate>, ApiError> {
    Ok(state.renewal()?.signing_certificates().await?)
}

/// Signs the statement with a candidate and its password (computer) or PIN (token).
#[tauri::command]
pub async fn sign_statement_with_key(
    state: State<'_, AppState>,
    certificate_id: String,
    password: Zeroizing<String>,
) -> Result<WizardView, ApiError> {
    Ok(state
        .renewal()?
        .sign_statement_with(&certificate_id, password)
        .await?)
}

/// Saves the statement blank where the user chooses (to print and sign by hand). Returns the
/// file's name, or None when the dialog was cancelled.
#[tauri::command]
pub async fn save_statement_blank(state: State<'_, AppState>) -> Result<Option<String>, ApiError> {
    let pdf = state.renewal()?.statement_pdf().await?;
    crate::files::saved::save_where_chosen(
        &*state.picker,
        messages_ru::SAVE_BLANK_TITLE,
        messages_ru::BLANK_FILE_NAME,
        &pdf,
        messages_ru::BLANK_NOT_SAVED,
    )
    .await
}

/// «Продолжить» after the scan of the signed statement is uploaded.
#[tauri::command]
pub async fn submit_statement_scan(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    Ok(state.renewal()?.submit_statement_scan().await?)
}
