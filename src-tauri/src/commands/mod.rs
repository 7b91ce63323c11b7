//! Thin Tauri commands. Each one converts arguments, calls a core crate and maps errors to
//! `kep_protocol::ApiError`; logic does not live here.

mod app_info;
mod requisites;

/// The IPC handler with every command of the app. A command added here must also be declared in
/// `build.rs` (`COMMANDS`) and allowed in `capabilities/main.json`.
pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static
{
    tauri::generate_handler![app_info::app_info, requisites::check_requisites]
}
