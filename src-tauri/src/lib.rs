//! The Tauri app crate: it wires commands to the Tauri-free crates and does nothing else.
#![forbid(unsafe_code)]

pub mod commands;

/// Adds the app's plugins and commands to a builder. `run` passes the real one; the IPC tests pass
/// Tauri's mock builder, so both run the same wiring.
pub fn builder_on<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(commands::handler())
}

/// Starts the app. Exits the process with a message on stderr if the window system cannot start
/// (for example no display).
pub fn run() {
    kep_client::tls::install_ring_provider();
    if let Err(error) = builder_on(tauri::Builder::default()).run(tauri::generate_context!()) {
        eprintln!("KEP Renew could not start: {error}");
        std::process::exit(1);
    }
}
