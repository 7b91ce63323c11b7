//! The background refresh: while an application is with the CA, poll it (cheaply, with ETags);
//! when its status moves, tell the UI (`wizard-changed`) and the desktop. The poll holds no
//! lock: a command never waits for it, and a hung CA only delays the next round.

use crate::state::AppState;
use std::time::Duration;
use tauri::{Emitter, Manager};

/// The event with the new `WizardView`.
pub const WIZARD_CHANGED: &str = "wizard-changed";

/// How often to poll: 20 s, or (debug and e2e builds) `KEP_POLL_INTERVAL_S`, which the e2e
/// tests shorten.
fn interval() -> Duration {
    crate::state::test_override("KEP_POLL_INTERVAL_S")
        .and_then(|s| s.to_str().and_then(|s| s.parse::<u64>().ok()))
        .filter(|&s| s > 0)
        .map_or(Duration::from_secs(20), Duration::from_secs)
}

/// Starts the loop on Tauri's async runtime.
pub fn start<R: tauri::Runtime>(app: tauri::AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let every = interval();
        loop {
            tokio::time::sleep(every).await;
            let Some(state) = app.try_state::<AppState>() else {
                continue;
            };
            let Ok(renewal) = state.renewal() else {
                continue;
            };
            // An ended session has moved the flow to the login step, whose view needs no
            // network.
            let (change, login) = match renewal.poll().await {
                Err(kep_client::renewal_error::RenewalError::SessionExpired) => {
                    (Ok(None), renewal.view().await.ok())
                }
                other => (other, None),
            };
            if let Some(view) = login {
                let _ = app.emit(WIZARD_CHANGED, &view);
            }
            // A dead network is simply retried on the next round.
            if let Ok(Some(change)) = change {
                let _ = app.emit(WIZARD_CHANGED, &change.view);
                crate::desktop_notice::show(&app, change.title, &change.body);
            }
        }
    });
}
