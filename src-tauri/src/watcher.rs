//! The background refresh of stage 2: while an application is with the CA, poll it (cheaply,
//! with ETags); when its status moves, tell the UI (`wizard-changed`) and the desktop.

use crate::state::AppState;
use std::time::Duration;
use tauri::{Emitter, Manager};
use tauri_plugin_notification::NotificationExt;

/// The event with the new `WizardView`.
pub const WIZARD_CHANGED: &str = "wizard-changed";

/// How often to poll: `KEP_POLL_INTERVAL_S` (e2e tests shorten it), else 20 s.
fn interval() -> Duration {
    std::env::var("KEP_POLL_INTERVAL_S")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
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
            let change = {
                let mut guard = state.renewal.lock().await;
                match guard.as_mut() {
                    Ok(renewal) => renewal.poll().await,
                    Err(_) => continue,
                }
            };
            match change {
                Ok(Some(change)) => {
                    let _ = app.emit(WIZARD_CHANGED, &change.view);
                    if let Err(e) = app
                        .notification()
                        .builder()
                        .title(change.title)
                        .body(&change.body)
                        .show()
                    {
                        eprintln!("kep-renew: desktop notification failed: {e}");
                    }
                }
                Ok(None) => {}
                // A dead network is retried on the next round; an ended session shows at the
                // next user action (the flow is already at login).
                Err(e) => {
                    if e.kind == kep_protocol::ErrorKind::Unauthorized {
                        if let Ok(view) = {
                            let mut guard = state.renewal.lock().await;
                            match guard.as_mut() {
                                Ok(r) => r.view().await,
                                Err(e) => Err(e.clone()),
                            }
                        } {
                            let _ = app.emit(WIZARD_CHANGED, &view);
                        }
                    }
                }
            }
        }
    });
}
