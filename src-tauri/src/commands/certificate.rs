//! Stages 4–6: the random-number sensor, the key (in the computer key store or on a token) and
//! the request, installation of the issued certificate next to the key. kep-client does the
//! work (off the async runtime where it blocks); secrets arrive zeroized-on-drop.

use crate::state::AppState;
use kep_client::renewal::WizardView;
use kep_client::token_key::TokenChoice;
use kep_protocol::ApiError;
use kep_protocol::key::{InstallTarget, NewKey};
use kep_protocol::sensor::{SensorProgress, SensorSample};
use tauri::State;
use zeroize::Zeroizing;

/// «Продолжить» once the statement is accepted.
#[tauri::command]
pub async fn proceed_to_key(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    Ok(state.renewal()?.proceed_to_key().await?)
}

/// A batch of the sensor's events; answers how full the pool is.
#[tauri::command]
pub fn sensor_events(
    state: State<'_, AppState>,
    samples: Vec<SensorSample>,
) -> Result<SensorProgress, ApiError> {
    Ok(state.renewal()?.sensor_events(&samples)?)
}

/// The tokens present now (an empty list when no token driver or no token is found).
#[tauri::command]
pub async fn list_tokens(state: State<'_, AppState>) -> Result<Vec<TokenChoice>, ApiError> {
    Ok(state.renewal()?.tokens().await?)
}

/// Makes the key pair and sends the certificate request.
#[tauri::command]
pub async fn create_key_and_request(
    state: State<'_, AppState>,
    key: NewKey,
) -> Result<WizardView, ApiError> {
    Ok(state.renewal()?.create_key_and_request(key).await?)
}

/// Where the certificate goes (asked before showing «Установить сертификат»).
#[tauri::command]
pub async fn install_target(state: State<'_, AppState>) -> Result<InstallTarget, ApiError> {
    Ok(state.renewal()?.install_target().await?)
}

/// Stage 6: the certificate installed next to its key (`pin` for a token, unless remembered;
/// kept for next time when `remember`, «Запомнить PIN-код»).
#[tauri::command]
pub async fn install_certificate(
    state: State<'_, AppState>,
    pin: Option<Zeroizing<String>>,
    remember: Option<bool>,
) -> Result<WizardView, ApiError> {
    let remember = remember.unwrap_or(false);
    Ok(state.renewal()?.install_certificate(pin, remember).await?)
}
