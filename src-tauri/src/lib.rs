//! The Tauri app crate: it wires commands to the Tauri-free crates and does nothing else.
#![forbid(unsafe_code)]

mod autostart;
pub mod commands;
mod desktop_notice;
#[cfg(feature = "e2e-hooks")]
pub mod e2e_hooks;
pub mod files;
pub mod messages_ru;
mod reminders;
pub mod state;
mod token_watch;
pub mod updates;
pub mod watcher;

use std::sync::Arc;
use tauri::Manager;

/// Adds the app's plugins, state and commands to a builder. `run` passes the real one; the IPC
/// tests pass Tauri's mock builder, so both run the same wiring.
pub fn builder_on<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    wired(builder, None, false)
}

/// [`builder_on`] with the file dialogs answered by `picker` (the IPC tests script them).
pub fn builder_with_picker<R: tauri::Runtime>(
    builder: tauri::Builder<R>,
    picker: Arc<dyn state::FilePicker>,
) -> tauri::Builder<R> {
    wired(builder, Some(picker), false)
}

/// `updates`: the build names a release server (the updater plugin is added).
fn wired<R: tauri::Runtime>(
    mut builder: tauri::Builder<R>,
    picker: Option<Arc<dyn state::FilePicker>>,
    updates: bool,
) -> tauri::Builder<R> {
    if updates {
        builder = builder.plugin(tauri_plugin_updater::Builder::new().build());
    }
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(autostart::plugin())
        .on_window_event(files::on_window_event)
        .setup(move |app| {
            setup(app.handle(), picker.clone(), updates);
            Ok(())
        })
        .invoke_handler(commands::handler())
}

/// The data folder: the OS's, or (debug and e2e builds) `KEP_RENEW_DATA_DIR`, with which
/// tests keep runs apart.
fn data_dir<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
) -> Result<std::path::PathBuf, kep_protocol::ApiError> {
    if let Some(dir) = state::test_override("KEP_RENEW_DATA_DIR") {
        return Ok(dir.into());
    }
    app.path().app_data_dir().map_err(|e| {
        tracing::error!(error = %e, "no data folder for the app");
        kep_protocol::ApiError::new(kep_protocol::ErrorKind::Io, messages_ru::NO_DATA_FOLDER)
    })
}

fn picker<R: tauri::Runtime>(app: &tauri::AppHandle<R>) -> Arc<dyn state::FilePicker> {
    #[cfg(feature = "e2e-hooks")]
    if let Some(dir) = e2e_hooks::control_dir() {
        e2e_hooks::start(app.clone(), dir.clone());
        return Arc::new(e2e_hooks::ScriptedPicker(dir));
    }
    Arc::new(files::dialog::DialogPicker(app.clone()))
}

fn setup<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    picker: Option<Arc<dyn state::FilePicker>>,
    updates: bool,
) {
    let dir = data_dir(app);
    let version = app.package_info().version.to_string();
    if let Ok(dir) = &dir {
        match kep_client::app_log::install(dir, &version) {
            Ok(_) | Err(kep_client::app_log::LogError::AlreadyInstalled(_)) => {}
            // Nowhere else to say it: the app runs on without a log file.
            Err(e) => eprintln!("KEP Renew: no log file: {e}"),
        }
    }
    let pending = dir
        .as_ref()
        .map(|d| kep_client::pending_files::PendingFiles::open(d))
        .unwrap_or_default();
    let reminders_dir = dir.as_ref().ok().cloned();
    let settings = dir.map(|dir| Arc::new(state::open_settings(dir, &version)));
    if let Ok(settings) = &settings {
        token_watch::start(app.clone(), settings.keys().clone());
    }
    app.manage(state::AppState {
        settings,
        pending: std::sync::Mutex::new(pending),
        picker: picker.unwrap_or_else(|| self::picker(app)),
        drop_to_documents: std::sync::atomic::AtomicBool::new(false),
        updates: updates::Updates::new(updates),
    });
    if autostart::started_hidden(std::env::args()) {
        // Started at login to keep reminding: the window waits until the person opens the app.
        autostart::hide(app);
    }
    watcher::start(app.clone());
    if let Some(dir) = reminders_dir {
        reminders::start(app.clone(), dir);
    }
    if let Some(state) = app.try_state::<state::AppState>() {
        updates::start(app.clone(), &state.updates);
    }
}

/// Starts the app. Exits the process with a message on stderr if the window system cannot start
/// (for example no display).
pub fn run() {
    kep_client::tls::install_ring_provider();
    let context = tauri::generate_context!();
    let updates = updates::configured(context.config());
    // First of all: a second start (the person opening the app while it runs hidden after a
    // login start) shows the running one's window and ends.
    let builder =
        tauri::Builder::default().plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            autostart::show(app)
        }));
    if let Err(error) = wired(builder, None, updates).run(context) {
        eprintln!("KEP Renew could not start: {error}");
        std::process::exit(1);
    }
}
