//! «Запускать при входе в систему»: the OS starts the app hidden at login so that it keeps
//! reminding of expiring certificates (tauri-plugin-autostart: an XDG autostart entry, the
//! Windows Run key, a macOS launch agent). Off until the person turns it on. A hidden instance
//! is the one the person meets when they open the app themselves (tauri-plugin-single-instance
//! shows its window instead of starting a second one).

use kep_protocol::{ApiError, ErrorKind};
use tauri::Manager;
use tauri_plugin_autostart::ManagerExt;

/// The argument the login start passes: start without showing the window.
pub const HIDDEN: &str = "--hidden";

/// The plugin, registering the app to start with [`HIDDEN`].
pub fn plugin<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_autostart::Builder::new().arg(HIDDEN).build()
}

/// Whether these command-line arguments ask for a hidden start.
pub fn started_hidden(mut args: impl Iterator<Item = String>) -> bool {
    args.any(|arg| arg == HIDDEN)
}

/// Shows the main window: the person opened the app while it ran hidden.
pub fn show<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Hides the main window (a start at login).
pub fn hide<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.hide();
    }
}

fn failed(error: tauri_plugin_autostart::Error) -> ApiError {
    tracing::warn!(%error, "the autostart entry");
    ApiError::new(ErrorKind::Io, crate::messages_ru::AUTOSTART_FAILED)
}

/// Whether the OS starts the app at login now.
pub fn enabled<R: tauri::Runtime>(app: &tauri::AppHandle<R>) -> Result<bool, ApiError> {
    app.autolaunch().is_enabled().map_err(failed)
}

/// Turns the start at login on or off; answers the state the OS then reports.
pub fn set<R: tauri::Runtime>(app: &tauri::AppHandle<R>, on: bool) -> Result<bool, ApiError> {
    let manager = app.autolaunch();
    if on {
        manager.enable().map_err(failed)?;
    } else {
        manager.disable().map_err(failed)?;
    }
    tracing::info!(on, "start at login");
    manager.is_enabled().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_login_start_is_hidden() {
        let args = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(started_hidden(args(&["kep-renew", "--hidden"]).into_iter()));
        assert!(!started_hidden(args(&["kep-renew"]).into_iter()));
        assert!(!started_hidden(
            args(&["kep-renew", "--hidden-extra"]).into_iter()
        ));
    }
}
