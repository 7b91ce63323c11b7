//! The app's security configuration keeps its promises: a strict CSP, every app command declared
//! in the app manifest and allowed explicitly, and no permission the UI does not use.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use kep_system_tests::{read_repo_file, read_repo_json};
use std::collections::BTreeSet;

fn declared_commands() -> BTreeSet<String> {
    let build_rs = read_repo_file("src-tauri/build.rs").unwrap();
    let start = build_rs
        .find("const COMMANDS")
        .expect("COMMANDS in build.rs");
    let list = &build_rs[start..];
    let list = &list[list.find("= &[").unwrap() + 4..];
    let list = &list[..list.find(']').unwrap()];
    list.split(',')
        .map(|s| s.trim().trim_matches('"').to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

fn registered_commands() -> BTreeSet<String> {
    let source = read_repo_file("src-tauri/src/commands/mod.rs").unwrap();
    let start = source
        .find("generate_handler![")
        .expect("generate_handler! in commands/mod.rs");
    let list = &source[start + "generate_handler![".len()..];
    let list = &list[..list.find(']').unwrap()];
    list.split(',')
        .map(|s| s.trim().rsplit("::").next().unwrap_or("").to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

fn capability_permissions() -> Vec<String> {
    let cap = read_repo_json("src-tauri/capabilities/main.json").unwrap();
    cap["permissions"]
        .as_array()
        .expect("permissions array")
        .iter()
        .map(|p| p.as_str().expect("plain permission names").to_owned())
        .collect()
}

#[test]
fn every_registered_command_is_declared_and_allowed() {
    let declared = declared_commands();
    let registered = registered_commands();
    assert!(!registered.is_empty());
    assert_eq!(
        declared, registered,
        "build.rs COMMANDS and generate_handler! must list the same commands"
    );
    let permissions = capability_permissions();
    for command in &registered {
        let permission = format!("allow-{}", command.replace('_', "-"));
        assert!(
            permissions.contains(&permission),
            "capabilities/main.json does not allow {command} ({permission})"
        );
    }
}

#[test]
fn capabilities_grant_nothing_broad() {
    for permission in capability_permissions() {
        assert!(
            !permission.ends_with(":default") && !permission.contains("allow-all"),
            "broad permission {permission}: list the exact ones the UI uses"
        );
        let allowed_prefixes = [
            "allow-",
            "core:event:allow-listen",
            "core:event:allow-unlisten",
        ];
        assert!(
            allowed_prefixes.iter().any(|p| permission.starts_with(p)),
            "unexpected permission {permission}: add it here only with a reason"
        );
    }
}

#[test]
fn csp_is_strict() {
    let conf = read_repo_json("src-tauri/tauri.conf.json").unwrap();
    let csp = &conf["app"]["security"]["csp"];
    let directive = |name: &str| csp[name].as_str().unwrap_or_default().to_owned();
    assert_eq!(directive("default-src"), "'self'");
    assert_eq!(directive("script-src"), "'self'");
    assert_eq!(directive("object-src"), "'none'");
    assert_eq!(directive("base-uri"), "'none'");
    for (name, value) in csp.as_object().expect("CSP as an object of directives") {
        let value = value.as_str().unwrap_or_default();
        for forbidden in ["'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"] {
            assert!(
                !value.split_whitespace().any(|token| token == forbidden),
                "{name} allows {forbidden}"
            );
        }
    }
    assert_eq!(
        conf["app"]["security"]["dangerousDisableAssetCspModification"],
        serde_json::Value::Null,
        "Tauri must keep adding hashes of its own scripts to the CSP"
    );
    assert_eq!(conf["app"]["withGlobalTauri"], false);
}

#[test]
fn window_title_is_the_russian_product_title() {
    let conf = read_repo_json("src-tauri/tauri.conf.json").unwrap();
    assert_eq!(
        conf["app"]["windows"][0]["title"],
        "Обновление сертификата КЭП"
    );
}
