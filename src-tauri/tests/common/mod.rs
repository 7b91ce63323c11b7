//! What the IPC tests share: an invoke request as the main window's webview sends it.
#![allow(dead_code, clippy::unwrap_used)]

use tauri::test::INVOKE_KEY;
use tauri::webview::InvokeRequest;

/// The IPC request for `cmd` with `body`, from the app's own origin.
pub fn request(cmd: &str, body: serde_json::Value) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: if cfg!(windows) {
            "http://tauri.localhost"
        } else {
            "tauri://localhost"
        }
        .parse()
        .unwrap(),
        body: tauri::ipc::InvokeBody::Json(body),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}
