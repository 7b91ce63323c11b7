//! Tokens come and go: kep-client follows the card readers, and every change of the tokens
//! present reaches the UI as `tokens-changed` (the token list and the home read them again).

use kep_client::key_places::KeyPlaces;
use std::sync::Arc;
use tauri::Emitter;

/// The event with the tokens present now (`TokenChoice[]`).
pub const TOKENS_CHANGED: &str = "tokens-changed";

/// Starts following the readers on Tauri's async runtime, for as long as the app runs.
pub fn start<R: tauri::Runtime>(app: tauri::AppHandle<R>, keys: Arc<KeyPlaces>) {
    let (watcher, events) = kep_client::token_presence::reader_events();
    tauri::async_runtime::spawn(async move {
        let _watching = watcher;
        kep_client::token_presence::follow(keys, events, |tokens| {
            let _ = app.emit(TOKENS_CHANGED, tokens);
        })
        .await;
    });
}
