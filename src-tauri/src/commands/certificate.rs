//! Stages 4–6: the random-number sensor, the key in the computer key store and the request,
//! installation of the issued certificate. The heavy work (scrypt, GOST) runs off the async
//! runtime; the password is zeroized after use and never logged.

use super::wizard::with_renewal;
use crate::state::AppState;
use kep_client::renewal::WizardView;
use kep_protocol::application::KeyStorageKind;
use kep_protocol::sensor::{SensorProgress, SensorSample};
use kep_protocol::{ApiError, ErrorKind};
use kep_token::entropy::SensorEvent;
use tauri::State;
use zeroize::Zeroizing;

fn key_store(state: &State<'_, AppState>) -> Result<std::path::PathBuf, ApiError> {
    state
        .key_store
        .clone()
        .ok_or_else(|| ApiError::new(ErrorKind::Io, "Не удалось найти папку данных приложения."))
}

fn locked() -> ApiError {
    ApiError::internal()
}

/// «Продолжить» once the statement is accepted.
#[tauri::command]
pub async fn proceed_to_key(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    with_renewal(&state, async |r| r.proceed_to_key().await).await
}

/// A batch of the sensor's events; answers how full the pool is.
#[tauri::command]
pub fn sensor_events(
    state: State<'_, AppState>,
    samples: Vec<SensorSample>,
) -> Result<SensorProgress, ApiError> {
    let mut pool = state.entropy.lock().map_err(|_| locked())?;
    let events: Vec<SensorEvent> = samples
        .iter()
        .map(|s| SensorEvent {
            x: s.x,
            y: s.y,
            key: s.key,
            t_us: (s.t_ms.max(0.0) * 1000.0) as u64,
        })
        .collect();
    let progress = pool.add_batch(&events);
    Ok(SensorProgress {
        percent: progress.percent,
        full: pool.is_full(),
    })
}

/// Makes the key pair in the computer key store under `password` (from the full sensor pool)
/// and sends the certificate request.
#[tauri::command]
pub async fn create_key_and_request(
    state: State<'_, AppState>,
    password: String,
) -> Result<WizardView, ApiError> {
    let password = Zeroizing::new(password);
    if password.chars().count() < 8 {
        return Err(ApiError::new(
            ErrorKind::InvalidInput,
            "Пароль должен быть не короче 8 символов.",
        ));
    }
    let seed = {
        let pool = state.entropy.lock().map_err(|_| locked())?;
        if !pool.is_full() {
            return Err(ApiError::new(
                ErrorKind::InvalidInput,
                "Подвигайте мышью или понажимайте клавиши в окне датчика, пока шкала не заполнится.",
            ));
        }
        pool.seed().map_err(|_| ApiError::internal())?
    };
    let dir = key_store(&state)?;
    let (id, requisites) = with_renewal(&state, async |r| {
        Ok((r.application_id()?, r.approved_requisites().await?))
    })
    .await?;
    let request = tauri::async_runtime::spawn_blocking(move || {
        kep_client::computer_key::certificate_request(&dir, id, &password, &seed, &requisites)
    })
    .await
    .map_err(|_| ApiError::internal())??;
    with_renewal(&state, async |r| {
        r.send_request(request, KeyStorageKind::Computer).await
    })
    .await
}

/// Stage 6: downloads the issued certificate, checks it is for the key on this computer, saves
/// it next to the key, and tells the CA.
#[tauri::command]
pub async fn install_certificate(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    let dir = key_store(&state)?;
    with_renewal(&state, async |r| {
        let id = r.application_id()?;
        let der = r.issued_certificate().await?;
        kep_client::computer_key::install(&dir, id, &der)?;
        r.installed().await
    })
    .await
}
