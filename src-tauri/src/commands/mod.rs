//! Thin Tauri commands. Each one converts arguments, calls a core crate and maps errors to
//! `kep_protocol::ApiError`; logic does not live here.

mod app_info;
mod certificate;
mod documents;
mod files;
mod home;
mod requisites;
mod settings;
mod statement;
mod updates;
mod wizard;

pub use documents::SIGNING_PROGRESS;
pub use files::{UPLOAD_PROGRESS, UploadProgress};

/// The IPC handler with every command of the app. A command added here must also be declared in
/// `build.rs` (`COMMANDS`) and allowed in `capabilities/main.json`.
pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static
{
    tauri::generate_handler![
        app_info::app_info,
        requisites::check_requisites,
        wizard::wizard_view,
        wizard::request_code,
        wizard::verify_code,
        wizard::choose_application,
        wizard::start_application,
        wizard::back_to_list,
        wizard::edit_requisites,
        wizard::save_requisites,
        wizard::save_draft,
        wizard::submit_application,
        wizard::logout,
        wizard::cancel_action,
        files::choose_files,
        files::pending_files,
        files::file_preview,
        files::discard_file,
        files::upload_file,
        files::delete_document,
        statement::proceed_to_issuance,
        statement::signing_certificates,
        statement::sign_statement_with_key,
        statement::save_statement_blank,
        statement::submit_statement_scan,
        certificate::proceed_to_key,
        certificate::sensor_events,
        certificate::create_key_and_request,
        certificate::install_certificate,
        certificate::list_tokens,
        certificate::install_target,
        settings::settings_view,
        settings::switch_ca,
        settings::reset_ca,
        settings::choose_pkcs11_module,
        settings::forget_pkcs11_module,
        settings::start_at_login,
        settings::set_start_at_login,
        updates::update_offer,
        updates::install_update,
        home::my_certificates,
        home::certificate_details,
        home::save_certificate,
        home::remove_certificate,
        home::renew_certificate,
        home::check_record,
        documents::set_drop_target,
        documents::chosen_documents,
        documents::choose_documents,
        documents::forget_document,
        documents::sign_documents,
        documents::check_signature,
        documents::save_check_report
    ]
}
