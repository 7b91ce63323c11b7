//! The scheduled download of the list (#25): over HTTPS trusting only the configured roots,
//! within a deadline and a size cap, then imported; a server with another root, a slow one, an
//! oversize answer, an error status and a plain-http address each refused, recorded, and the
//! list in use kept. The publisher is a local HTTPS stub.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use kep_ca::store::trust_store::TrustStore;
use kep_ca::trust::download::{DownloadError, TrustDownload, TrustDownloadConfig, once};
use kep_system_tests::tools::Scratch;
use kep_system_tests::tsl::{self, Ca, Key};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The publisher: `/tsl.xml` the list, `/slow.xml` nothing for a minute, `/huge.xml` endless
/// bytes without a length, anything else 404.
async fn publisher(tls: &kep_system_tests::tls::TestTls, list: String) -> String {
    let config = kep_ca::tls::server_config(&kep_ca::tls::TlsFiles {
        certificate: tls.chain.clone(),
        key: tls.key.clone(),
    })
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let (tcp, _) = listener.accept().await.unwrap();
            let acceptor = acceptor.clone();
            let list = list.clone();
            tokio::spawn(async move {
                let Ok(mut stream) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut byte = [0u8; 1];
                while !request.ends_with(b"\r\n\r\n") {
                    if stream.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    request.push(byte[0]);
                }
                let line = String::from_utf8_lossy(&request)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_owned();
                let path = line.split(' ').nth(1).unwrap_or("/");
                match path {
                    "/tsl.xml" => {
                        let head = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            list.len()
                        );
                        let _ = stream.write_all(head.as_bytes()).await;
                        let _ = stream.write_all(list.as_bytes()).await;
                    }
                    "/slow.xml" => tokio::time::sleep(Duration::from_secs(60)).await,
                    "/huge.xml" => {
                        let _ = stream
                            .write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
                            .await;
                        let chunk = vec![b' '; 64 * 1024];
                        while stream.write_all(&chunk).await.is_ok() {}
                    }
                    _ => {
                        let _ = stream
                            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .await;
                    }
                }
                let _ = stream.shutdown().await;
            });
        }
    });
    format!("https://127.0.0.1:{port}")
}

fn download(url: String, root: &str, cap: u64) -> TrustDownload {
    TrustDownload::new(TrustDownloadConfig {
        url,
        roots_pem: vec![root.as_bytes().to_vec()],
        every: Duration::from_secs(3600),
        deadline: Duration::from_secs(2),
        cap,
    })
    .unwrap()
}

#[tokio::test]
async fn the_list_is_downloaded_from_its_publisher_only_and_within_bounds() {
    let ca = common::start("trust-download").await;
    let scratch = Scratch::new("trust-publisher");
    let tls = kep_system_tests::tls::test_tls(&scratch.path("tls"), "publisher");
    let other = kep_system_tests::tls::test_tls(&scratch.path("tls"), "other");
    let list = tsl::write(
        31,
        "2026-11-30T10:00:00+03:00",
        &[Ca {
            name: "УЦ Скачанный".into(),
            status: ("Действует".into(), "2021-07-01".into()),
            keys: vec![Key::default()],
            ..Ca::default()
        }],
    );
    let base = publisher(&tls, list).await;
    let data = scratch.path("data");
    std::fs::create_dir_all(&data).unwrap();

    let report = once(
        &ca.state,
        &download(format!("{base}/tsl.xml"), &tls.root_pem, 1 << 20),
        &data,
    )
    .await
    .unwrap();
    assert!(report.current && report.version == 31, "{report:?}");
    assert_eq!(
        ca.state.trust.current().await.unwrap().unwrap().cas[0].name,
        "УЦ Скачанный"
    );
    assert!(
        !data.join("trust-list.download").exists(),
        "the download is not left behind"
    );

    // A server whose certificate the configured roots do not vouch for.
    let wrong = once(
        &ca.state,
        &download(format!("{base}/tsl.xml"), &other.root_pem, 1 << 20),
        &data,
    )
    .await
    .expect_err("another root");
    assert!(matches!(wrong, DownloadError::Request(_)), "{wrong}");
    // Silence past the deadline: refused in about the deadline.
    let started = Instant::now();
    let slow = once(
        &ca.state,
        &download(format!("{base}/slow.xml"), &tls.root_pem, 1 << 20),
        &data,
    )
    .await
    .expect_err("slow");
    assert!(matches!(slow, DownloadError::Request(_)), "{slow}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // More than the cap, with no length said.
    let huge = once(
        &ca.state,
        &download(format!("{base}/huge.xml"), &tls.root_pem, 1 << 20),
        &data,
    )
    .await
    .expect_err("huge");
    assert!(matches!(huge, DownloadError::TooLarge(1_048_576)), "{huge}");
    let missing = once(
        &ca.state,
        &download(format!("{base}/gone.xml"), &tls.root_pem, 1 << 20),
        &data,
    )
    .await
    .expect_err("404");
    assert!(matches!(missing, DownloadError::Status(404)), "{missing}");
    // Plain http is not configurable.
    let plain = TrustDownload::new(TrustDownloadConfig {
        url: "http://127.0.0.1:9/tsl.xml".to_owned(),
        roots_pem: vec![tls.root_pem.as_bytes().to_vec()],
        every: Duration::from_secs(3600),
        deadline: Duration::from_secs(2),
        cap: 1 << 20,
    })
    .expect_err("http");
    assert!(matches!(plain, DownloadError::NotHttps(_)));

    // The list in use is the one downloaded first; every attempt is recorded and audited.
    assert_eq!(
        ca.state
            .trust
            .current()
            .await
            .unwrap()
            .unwrap()
            .import
            .version,
        31
    );
    let store = ca.state.applications.store();
    let imports = store.trust_imports(10).await.unwrap();
    let states: Vec<&str> = imports.iter().map(|i| i.state.as_str()).collect();
    assert_eq!(states, ["failed", "failed", "failed", "failed", "current"]);
    assert!(imports.iter().all(|i| i.source.starts_with(&base)));
    assert!(
        imports[1]
            .outcome
            .as_deref()
            .unwrap()
            .contains("larger than"),
        "{imports:?}"
    );
    let audit = kep_ca::store::Store::audit_entries(
        store,
        &kep_ca::store::AuditFilter {
            actor: Some("system".into()),
            action: None,
            subject: None,
            before_id: None,
            limit: 100,
        },
    )
    .await
    .unwrap();
    let actions: Vec<&str> = audit
        .iter()
        .filter(|e| e.action.starts_with("trust."))
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "trust.refused",
            "trust.refused",
            "trust.refused",
            "trust.refused",
            "trust.imported"
        ]
    );
}
