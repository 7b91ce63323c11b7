//! Declares the app's own commands in an app manifest so that each one is permission-checked:
//! a command not allowed in `capabilities/` cannot be called from the UI.

/// Every command the app registers. Keep in sync with `commands::handler()`; the IPC test in
/// `tests/ipc.rs` fails when a command is registered but not declared here.
const COMMANDS: &[&str] = &[
    "app_info",
    "check_requisites",
    "wizard_view",
    "request_code",
    "verify_code",
    "choose_application",
    "start_application",
    "back_to_list",
    "edit_requisites",
    "save_requisites",
    "save_draft",
    "submit_application",
    "logout",
    "cancel_action",
    "choose_files",
    "pending_files",
    "file_preview",
    "discard_file",
    "upload_file",
    "delete_document",
    "proceed_to_issuance",
    "signing_certificates",
    "sign_statement_with_key",
    "save_statement_blank",
    "submit_statement_scan",
    "proceed_to_key",
    "sensor_events",
    "create_key_and_request",
    "install_certificate",
    "list_tokens",
    "install_target",
    "settings_view",
    "switch_ca",
    "reset_ca",
    "choose_pkcs11_module",
    "forget_pkcs11_module",
    "start_at_login",
    "set_start_at_login",
    "update_offer",
    "install_update",
    "my_certificates",
    "certificate_details",
    "save_certificate",
    "remove_certificate",
    "renew_certificate",
    "check_record",
    "set_drop_target",
    "chosen_documents",
    "choose_documents",
    "forget_document",
    "sign_documents",
    "check_signature",
    "save_check_report",
];

/// The CA a build talks to unless an organization's admin configuration names another:
/// `KEP_RENEW_CA_URL`, https — plain http only to this machine, or the build fails.
fn build_ca_url() -> String {
    println!("cargo:rerun-if-env-changed=KEP_RENEW_CA_URL");
    let url = std::env::var("KEP_RENEW_CA_URL").unwrap_or_else(|_| "http://127.0.0.1:8443/".into());
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|prefix| {
            url.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
        });
    if !(url.starts_with("https://") || loopback) {
        eprintln!(
            "KEP_RENEW_CA_URL={url}: a release talks to its CA over https (plain http only to this machine)"
        );
        std::process::exit(1);
    }
    url
}

fn main() {
    println!("cargo:rustc-env=KEP_RENEW_BUILD_CA_URL={}", build_ca_url());
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script has no other channel than stderr and its exit code.
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
