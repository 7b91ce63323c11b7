//! Stage 3: on to the statement, the certificates it can be signed with, signing with the current
//! КЭП from the computer key store, the blank saved for printing, the scan sent for review.

use super::wizard::with_renewal;
use crate::state::AppState;
use kep_client::current_certificates::{SigningCertificate, in_key_store};
use kep_client::renewal::WizardView;
use kep_protocol::{ApiError, ErrorKind};
use tauri::State;
use zeroize::Zeroizing;

/// The message for a wrong container password.
const WRONG_PASSWORD: &str = "Неверный пароль контейнера ключа. Проверьте раскладку клавиатуры и Caps Lock. Восстановить забытый пароль невозможно: в таком случае подпишите заявление от руки.";

/// «Продолжить» on the approved application.
#[tauri::command]
pub async fn proceed_to_issuance(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    with_renewal(&state, async |r| r.proceed_to_issuance().await).await
}

/// The certificates in the computer key store and on the tokens present, judged against the
/// application.
#[tauri::command]
pub async fn signing_certificates(
    state: State<'_, AppState>,
) -> Result<Vec<SigningCertificate>, ApiError> {
    let dir = state.key_store_dir()?;
    let view = with_renewal(&state, async |r| r.view().await).await?;
    let requisites = view
        .application
        .and_then(|a| a.requisites)
        .ok_or_else(|| ApiError::new(ErrorKind::Conflict, "Сначала выберите заявку в списке."))?;
    let module = state.token_module().ok();
    // The CA's CRL marks what it no longer accepts (a superseded КЭП); without it (the CA is
    // unreachable) the CA's own check still refuses such a signature, with the reason.
    let crl = with_renewal(&state, async |r| r.issuing_crl().await)
        .await
        .ok();
    tauri::async_runtime::spawn_blocking(move || {
        let now = std::time::SystemTime::now();
        let mut found = in_key_store(&dir, &requisites, now);
        if let Some(module) = module {
            found.extend(kep_client::token_key::signing_candidates(
                &module,
                &requisites,
                now,
            ));
        }
        if let Some(crl) = crl {
            kep_client::current_certificates::mark_revoked(&mut found, &crl, now);
        }
        // Usable ones first, the longest-valid first among them.
        found.sort_by_key(|c| (c.problem.is_some(), -c.summary.days_left));
        found
    })
    .await
    .map_err(|_| ApiError::internal())
}

/// Signs the statement with a certificate from the computer key store and its password, or from
/// a token and its PIN.
#[tauri::command]
pub async fn sign_statement_with_key(
    state: State<'_, AppState>,
    certificate_id: String,
    password: String,
) -> Result<WizardView, ApiError> {
    if certificate_id.starts_with("token:") {
        let module = state.token_module()?;
        let pin = kep_token::Pin::new(password);
        let (signer, certificate) = tauri::async_runtime::spawn_blocking(move || {
            kep_client::token_key::signer(&module, &certificate_id, pin)
        })
        .await
        .map_err(|_| ApiError::internal())??;
        return with_renewal(&state, async |r| {
            r.sign_statement(&signer, &certificate).await
        })
        .await;
    }
    let password = Zeroizing::new(password);
    let name = certificate_id
        .strip_prefix("computer:")
        .ok_or_else(|| ApiError::new(ErrorKind::NotFound, "Сертификат не найден."))?
        .to_owned();
    let store = kep_token::key_store::ComputerKeyStore::new(state.key_store_dir()?);
    // scrypt takes about half a second on purpose: off the async runtime.
    let opened = tauri::async_runtime::spawn_blocking(move || {
        let signer = store.open(&name, &password)?;
        let certificate = store
            .certificate(&name)?
            .ok_or(kep_token::key_store::KeyStoreError::NotFound)?;
        Ok::<_, kep_token::key_store::KeyStoreError>((signer, certificate))
    })
    .await
    .map_err(|_| ApiError::internal())?;
    let (signer, certificate) = opened.map_err(|e| match e {
        kep_token::key_store::KeyStoreError::WrongPassword => {
            ApiError::new(ErrorKind::InvalidInput, WRONG_PASSWORD)
        }
        kep_token::key_store::KeyStoreError::NotFound => ApiError::new(
            ErrorKind::NotFound,
            "Сертификат не найден в хранилище приложения.",
        ),
        _ => ApiError::new(
            ErrorKind::Io,
            "Файл ключа не удалось прочитать: он повреждён или недоступен.",
        ),
    })?;
    with_renewal(&state, async |r| {
        r.sign_statement(&signer, &certificate).await
    })
    .await
}

/// Saves the statement blank where the user chooses (to print and sign by hand). Returns the
/// file's name, or None when the dialog was cancelled.
#[tauri::command]
pub async fn save_statement_blank(state: State<'_, AppState>) -> Result<Option<String>, ApiError> {
    let pdf = with_renewal(&state, async |r| r.statement_pdf().await).await?;
    let answer = state
        .picker
        .save("Сохранить бланк заявления", "Заявление на сертификат.pdf");
    let Some(path) = answer.await.ok().flatten() else {
        return Ok(None);
    };
    std::fs::write(&path, pdf).map_err(|_| {
        ApiError::new(
            ErrorKind::Io,
            "Бланк не удалось сохранить в этой папке: выберите другую.",
        )
    })?;
    Ok(path.file_name().map(|n| n.to_string_lossy().into_owned()))
}

/// «Продолжить» after the scan of the signed statement is uploaded.
#[tauri::command]
pub async fn submit_statement_scan(state: State<'_, AppState>) -> Result<WizardView, ApiError> {
    with_renewal(&state, async |r| r.submit_statement_scan().await).await
}
