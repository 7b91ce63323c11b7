//! One desktop notification (the status watcher's and the expiry reminders'). A desktop without
//! a notification service only loses the notice: the log says so.

use tauri_plugin_notification::NotificationExt;

/// Shows `title` and `body` on the desktop.
pub fn show<R: tauri::Runtime>(app: &tauri::AppHandle<R>, title: &str, body: &str) {
    if let Err(error) = app.notification().builder().title(title).body(body).show() {
        tracing::warn!(%error, "a desktop notification could not be shown");
    }
}
