//! Expiry reminders on the desktop: at start and once a day while the app runs, the home's
//! certificates go through kep-client's reminder record, so each threshold (60, 30, 14, 7 and
//! 1 days) is told once per certificate.

use crate::state::AppState;
use kep_client::reminders::RemindersFile;
use std::path::PathBuf;
use std::time::Duration;
use tauri::Manager;

const DAY: Duration = Duration::from_secs(24 * 3600);

/// Starts the daily round on Tauri's async runtime.
pub fn start<R: tauri::Runtime>(app: tauri::AppHandle<R>, data_dir: PathBuf) {
    tauri::async_runtime::spawn(async move {
        let file = RemindersFile::new(&data_dir);
        loop {
            remind(&app, &file).await;
            tokio::time::sleep(DAY).await;
        }
    });
}

async fn remind<R: tauri::Runtime>(app: &tauri::AppHandle<R>, file: &RemindersFile) {
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    let Ok(renewal) = state.renewal() else {
        return;
    };
    let certificates = match renewal.home().list().await {
        Ok(certificates) => certificates,
        Err(error) => {
            tracing::info!(%error, "no reminders this round: the certificates did not read");
            return;
        }
    };
    let file = file.clone();
    let due = tauri::async_runtime::spawn_blocking(move || file.due(&certificates))
        .await
        .unwrap_or_default();
    for reminder in due {
        crate::desktop_notice::show(app, &reminder.title, &reminder.body);
    }
}
