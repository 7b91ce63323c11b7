//! The app's commands through Tauri's real IPC and ACL, on the mock runtime (no window): what the
//! capability allows answers, what it does not is refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use tauri::test::{get_ipc_response, mock_builder};

mod common;
use common::request;

fn app() -> tauri::App<tauri::test::MockRuntime> {
    kep_renew_lib::builder_on(mock_builder())
        .build(tauri::generate_context!())
        .expect("the app builds on the mock runtime")
}

/// The window the capability names, created from its own entry in tauri.conf.json.
fn main_window(
    app: &tauri::App<tauri::test::MockRuntime>,
) -> tauri::WebviewWindow<tauri::test::MockRuntime> {
    use tauri::Manager;
    if let Some(window) = app.get_webview_window("main") {
        return window;
    }
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .expect("tauri.conf.json declares the main window")
        .clone();
    tauri::WebviewWindowBuilder::from_config(app.handle(), &config)
        .expect("window config is valid")
        .build()
        .expect("the main window opens on the mock runtime")
}

#[test]
fn app_info_answers_with_version_and_platform() {
    let app = app();
    let window = main_window(&app);
    let response = get_ipc_response(&window, request("app_info", serde_json::json!({})))
        .expect("app_info is allowed");
    let info: kep_protocol::AppInfo = response.deserialize().unwrap();
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(info.os, std::env::consts::OS);
    assert_eq!(info.arch, std::env::consts::ARCH);
}

#[test]
fn plugin_commands_the_ui_does_not_use_are_refused() {
    let app = app();
    let window = main_window(&app);
    for cmd in [
        "plugin:dialog|open",
        "plugin:notification|notify",
        "plugin:autostart|enable",
    ] {
        let result = get_ipc_response(&window, request(cmd, serde_json::json!({"options": {}})));
        let error = result.expect_err(cmd);
        assert!(
            error.to_string().contains("not allowed"),
            "{cmd} should be refused by the ACL, got {error}"
        );
    }
}

#[test]
fn unknown_commands_are_refused() {
    let app = app();
    let window = main_window(&app);
    assert!(get_ipc_response(&window, request("no_such_command", serde_json::json!({}))).is_err());
}

#[test]
fn check_requisites_reports_every_field_in_russian() {
    let app = app();
    let window = main_window(&app);
    let mut input = serde_json::to_value(kep_protocol::RequisitesInput::default()).unwrap();
    input["snils"] = "112-233-445 96".into();
    input["phone"] = "8 912 345 67 89".into();
    let response = get_ipc_response(
        &window,
        request("check_requisites", serde_json::json!({ "input": input })),
    )
    .expect("check_requisites is allowed");
    let check: kep_protocol::RequisitesCheck = response.deserialize().unwrap();
    assert!(check.normalized.is_none());
    let snils = check
        .errors
        .iter()
        .find(|e| e.field == kep_protocol::Field::Snils)
        .unwrap();
    assert_eq!(snils.message, "Неверное контрольное число СНИЛС.");
    assert!(
        !check
            .errors
            .iter()
            .any(|e| e.field == kep_protocol::Field::Phone),
        "a valid phone has no error"
    );
    assert_eq!(check.errors.len(), 14);
}
