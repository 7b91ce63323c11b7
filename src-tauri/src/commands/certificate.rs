//! Stages 4–6: the random-number sensor, the key (in the computer key store or on a token) and
//! the request, installation of the issued certificate next to the key. The heavy work (scrypt,
//! GOST, PKCS#11) runs off the async runtime; passwords and PINs are zeroized after use and never
//! logged.

use super::wizard::with_renewal;
use crate::state::AppState;
use kep_client::renewal::WizardView;
use kep_protocol::application::KeyStorageKind;
use kep_protocol::sensor::{SensorProgress, SensorSample};
use kep_protocol::{ApiError, ErrorKind};
use kep_token::entropy::SensorEvent;
use tauri::State;
use zeroize::Zeroizing;

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
    // The UI sends a batch every 100 ms; anything far larger is not a person moving a mouse.
    if samples.len() > 10_000 {
        return Err(ApiError::new(
            ErrorKind::InvalidInput,
            "Слишком много событий датчика за раз.",
        ));
    }
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

/// The tokens present now (an empty list when no token driver or no token is found).
#[tauri::command]
pub async fn list_tokens(
    state: State<'_, AppState>,
) -> Result<Vec<kep_client::token_key::TokenChoice>, ApiError> {
    let Ok(module) = state.token_module() else {
        return Ok(Vec::new());
    };
    tauri::async_runtime::spawn_blocking(move || kep_client::token_key::list(&module))
        .await
        .map_err(|_| ApiError::internal())?
}

/// Where the new key goes, as the UI sends it.
#[derive(Debug, serde::Deserialize, ts_rs::TS)]
#[serde(tag = "storage", rename_all = "snake_case")]
#[ts(export)]
pub enum NewKey {
    /// The computer key store, under a container password.
    Computer {
        /// The container password (at least 8 characters; cannot be recovered).
        password: String,
    },
    /// A token, after its PIN.
    Token {
        /// The token's serial number.
        serial: String,
        /// The user PIN.
        pin: String,
        /// Keep the PIN in the OS keyring so installation does not ask again.
        remember: bool,
    },
}

/// Makes the key pair (on this computer or on the token, from the full sensor pool) and sends
/// the certificate request.
#[tauri::command]
pub async fn create_key_and_request(
    state: State<'_, AppState>,
    key: NewKey,
) -> Result<WizardView, ApiError> {
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
    let dir = state.key_store_dir()?;
    let (id, requisites) = with_renewal(&state, async |r| {
        Ok((r.application_id()?, r.approved_requisites().await?))
    })
    .await?;
    let (request, storage) = match key {
        NewKey::Computer { password } => {
            let password = Zeroizing::new(password);
            if password.chars().count() < 8 {
                return Err(ApiError::new(
                    ErrorKind::InvalidInput,
                    "Пароль должен быть не короче 8 символов.",
                ));
            }
            let request = tauri::async_runtime::spawn_blocking(move || {
                kep_client::computer_key::certificate_request(
                    &dir,
                    id,
                    &password,
                    &seed,
                    &requisites,
                )
            })
            .await
            .map_err(|_| ApiError::internal())??;
            (request, KeyStorageKind::Computer)
        }
        NewKey::Token {
            serial,
            pin,
            remember,
        } => {
            let pin = kep_token::Pin::new(pin);
            let module = state.token_module()?;
            let request = tauri::async_runtime::spawn_blocking(move || {
                let request = kep_client::token_key::certificate_request(
                    &module,
                    &serial,
                    pin.clone(),
                    &seed,
                    &requisites,
                    &dir,
                    id,
                )?;
                if remember {
                    // Without a keyring the PIN is simply asked again at installation.
                    let _ = kep_token::remembered_pin::PinMemory.remember(&serial, &pin);
                }
                Ok::<_, ApiError>(request)
            })
            .await
            .map_err(|_| ApiError::internal())??;
            (request, KeyStorageKind::Token)
        }
    };
    // One sensor run seeds one key: the next key needs the sensor again. (A failed attempt —
    // a wrong PIN, say — made no key and keeps the pool.)
    *state.entropy.lock().map_err(|_| locked())? = kep_token::entropy::EntropyPool::new();
    with_renewal(&state, async |r| r.send_request(request, storage).await).await
}

/// Where the certificate will be installed, for the UI: on a token (and whether its PIN is
/// remembered) or on this computer.
#[derive(Debug, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct InstallTarget {
    /// The token's serial, when the key is on a token.
    pub token: Option<String>,
    /// The PIN is remembered: installation will not ask for it.
    pub pin_remembered: bool,
}

/// Where the certificate goes (asked before showing «Установить сертификат»).
#[tauri::command]
pub async fn install_target(state: State<'_, AppState>) -> Result<InstallTarget, ApiError> {
    let dir = state.key_store_dir()?;
    let id = with_renewal(&state, async |r| r.application_id()).await?;
    let token = kep_client::token_key::token_of(&dir, id);
    let pin_remembered = match token.clone() {
        Some(serial) => tauri::async_runtime::spawn_blocking(move || {
            matches!(
                kep_token::remembered_pin::PinMemory.recall(&serial),
                Ok(Some(_))
            )
        })
        .await
        .unwrap_or(false),
        None => false,
    };
    Ok(InstallTarget {
        token,
        pin_remembered,
    })
}

/// Stage 6: downloads the issued certificate, checks it is for the key made here, writes it next
/// to that key (on the token with `pin`, or the remembered PIN; or in the key store), and tells
/// the CA.
#[tauri::command]
pub async fn install_certificate(
    state: State<'_, AppState>,
    pin: Option<String>,
) -> Result<WizardView, ApiError> {
    let dir = state.key_store_dir()?;
    let (id, der) = with_renewal(&state, async |r| {
        Ok((r.application_id()?, r.issued_certificate().await?))
    })
    .await?;
    match kep_client::token_key::token_of(&dir, id) {
        Some(serial) => {
            let module = state.token_module()?;
            tauri::async_runtime::spawn_blocking(move || {
                let pin = match pin {
                    Some(pin) => kep_token::Pin::new(pin),
                    None => kep_token::remembered_pin::PinMemory
                        .recall(&serial)
                        .ok()
                        .flatten()
                        .ok_or_else(|| {
                            ApiError::new(ErrorKind::InvalidInput, "Введите PIN-код токена.")
                        })?,
                };
                kep_client::token_key::install(&module, pin, &der, &dir, id)
            })
            .await
            .map_err(|_| ApiError::internal())??;
        }
        None => kep_client::computer_key::install(&dir, id, &der)?,
    }
    with_renewal(&state, async |r| r.installed().await).await
}
