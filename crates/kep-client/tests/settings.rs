//! «Настройки» against real CAs on loopback: a switch happens only after the new address
//! answers as a ready CA (dead, hung, not-a-CA and malformed addresses are refused with their
//! reason and change nothing), survives a restart, waits for logout, and the organization can
//! fix the CA. (The PKCS#11 library setting: tests/settings_module.rs.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Ca, open_settings, start_ca};
use kep_client::session_vault::MemoryVault;
use kep_protocol::settings::CaSource;
use kep_protocol::{ApiError, ErrorKind};
use std::path::Path;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PHONE: &str = "+79990000011";

/// The organization's file trusting both CAs' test TLS roots (and fixing the CA if `locked`).
fn admin_config(dir: &Path, cas: &[&Ca], locked: bool) -> std::path::PathBuf {
    let roots: Vec<String> = cas
        .iter()
        .enumerate()
        .map(|(i, ca)| {
            let path = dir.join(format!("root-{i}.pem"));
            std::fs::write(&path, &ca.tls.root_pem).unwrap();
            path.display().to_string()
        })
        .collect();
    let path = dir.join("config.json");
    let config = serde_json::json!({ "trust_anchors": roots, "ca_locked": locked });
    std::fs::write(&path, config.to_string()).unwrap();
    path
}

/// A loopback server that answers every request with `answer` (None: accepts and never answers).
async fn server(answer: Option<&'static str>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((mut socket, _)) = listener.accept().await {
            match answer {
                Some(text) => {
                    // The request first: a socket closed with unread bytes is reset.
                    let mut request = [0u8; 4096];
                    let _ = socket.read(&mut request).await;
                    let _ = socket.write_all(text.as_bytes()).await;
                }
                None => held.push(socket),
            }
        }
    });
    format!("http://{addr}/")
}

fn refusal(e: kep_client::settings::SettingsError) -> ApiError {
    ApiError::from(e)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_switch_happens_only_to_a_ready_ca_and_survives_a_restart() {
    let first = start_ca("settings-first").await;
    let second = start_ca("settings-second").await;
    let data = first.scratch.path("app");
    let admin = admin_config(first.scratch.dir(), &[&first, &second], false);
    let vault = Arc::new(MemoryVault::default());
    let settings = open_settings(&data, &first.base, &admin, &vault);

    let view = settings.view();
    assert_eq!(view.ca_url, first.base);
    assert_eq!(view.ca_source, CaSource::Build);
    assert!(view.ca_switchable, "{view:?}");
    assert_eq!(view.version, "0.1.0");
    assert!(view.log_folder.ends_with("logs"), "{}", view.log_folder);

    let dead = {
        let port = kep_system_tests::tools::free_port();
        format!("http://127.0.0.1:{port}/")
    };
    let not_a_ca = server(Some(
        "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found",
    ))
    .await;
    let hung = server(None).await;
    for (address, kind, says) in [
        (dead.as_str(), ErrorKind::Network, "нет связи"),
        (hung.as_str(), ErrorKind::Network, "не ответил"),
        (
            not_a_ca.as_str(),
            ErrorKind::InvalidInput,
            "не удостоверяющий центр",
        ),
        ("http://uc.example.ru/", ErrorKind::InvalidInput, "https://"),
        ("not an address", ErrorKind::InvalidInput, "не подходит"),
    ] {
        let e = refusal(settings.switch_ca(address).await.unwrap_err());
        assert_eq!(e.kind, kind, "{address}: {e:?}");
        assert!(e.message.contains(says), "{address}: {}", e.message);
        assert_eq!(
            settings.view().ca_url,
            first.base,
            "{address} changed the CA"
        );
    }
    assert!(!data.join("settings.json").exists());

    let view = settings.switch_ca(&second.base).await.unwrap();
    assert_eq!(view.ca_url, second.base);
    assert_eq!(view.ca_source, CaSource::Person);
    // The renewal talks to the second CA now.
    let renewal = settings.renewal().unwrap();
    renewal.request_code(PHONE).await.unwrap();
    assert!(second.calls.last().is_some());
    assert!(first.calls.last().is_none());

    // A restart keeps the choice.
    drop(renewal);
    let settings = open_settings(&data, &first.base, &admin, &vault);
    assert_eq!(settings.view().ca_url, second.base);

    // Logged in, the CA stays until logout.
    // (With the code of the call asked for before the restart.)
    let renewal = settings.renewal().unwrap();
    renewal
        .verify_code(PHONE, &second.last_code())
        .await
        .unwrap();
    let view = settings.view();
    assert!(!view.ca_switchable);
    assert!(view.switch_blocked.unwrap().contains("выйдите"));
    let e = refusal(settings.reset_ca().unwrap_err());
    assert_eq!(e.kind, ErrorKind::Conflict);
    renewal.logout().unwrap();
    let view = settings.reset_ca().unwrap();
    assert_eq!(view.ca_url, first.base);
    assert_eq!(view.ca_source, CaSource::Build);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_organization_that_fixed_its_ca_keeps_it() {
    let first = start_ca("settings-locked").await;
    let data = first.scratch.path("app");
    let admin = admin_config(first.scratch.dir(), &[&first], true);
    // Even an address kept from before the organization fixed it is not used.
    kep_client::user_settings::SettingsFile::new(&data)
        .save(&kep_client::user_settings::UserSettings {
            ca_url: Some("https://elsewhere.example/".into()),
            pkcs11_module: None,
        })
        .unwrap();
    let settings = open_settings(
        &data,
        &first.base,
        &admin,
        &Arc::new(MemoryVault::default()),
    );
    let view = settings.view();
    assert_eq!(view.ca_url, first.base);
    assert!(!view.ca_switchable);
    assert!(view.switch_blocked.unwrap().contains("администратор"));
    let e = refusal(settings.switch_ca(&first.base).await.unwrap_err());
    assert_eq!(e.kind, ErrorKind::Forbidden);
}
