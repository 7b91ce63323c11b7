//! The typed CA client against a real kep-ca on loopback (real HTTP, real SQLite file): login,
//! applications, requisites, documents, ETag polling; the CA's errors arrive as they were sent;
//! a dead CA is a Russian "network" error; idempotent calls survive a flaky server.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use kep_client::{CaClient, CaEndpoint, Polled};
use kep_protocol::ErrorKind;
use kep_protocol::application::{ApplicationStatus, DocumentKind};
use std::sync::Arc;

mod common;

use common::start_ca;

fn requisites() -> kep_protocol::RequisitesInput {
    kep_protocol::RequisitesInput {
        surname: "Иванов".into(),
        given_name: "Иван".into(),
        patronymic: "Иванович".into(),
        birth_date: "15.03.1985".into(),
        passport_series: "4506".into(),
        passport_number: "123456".into(),
        passport_issue_date: "01.04.2005".into(),
        passport_issuer: "ОВД Тверской".into(),
        passport_division_code: "772-001".into(),
        snils: "11223344595".into(),
        inn: "500100732259".into(),
        email: "ivanov@example.ru".into(),
        phone: "+79123456789".into(),
        region_code: "77".into(),
        region_name: "г. Москва".into(),
        locality: "Москва".into(),
    }
}

#[tokio::test]
async fn the_applicant_path_through_the_typed_client() {
    let ca = start_ca("client-ca").await;
    let client = CaClient::new(ca.endpoint()).unwrap();
    let requested = client.request_code("8 912 345 67 89").await.unwrap();
    assert_eq!(requested.retry_after_s, 60);
    let again = client
        .request_code("+79123456789")
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(again.kind, ErrorKind::RateLimited);
    assert!(
        again
            .message
            .starts_with("Повторный звонок можно запросить через")
    );

    let wrong = client
        .verify_code("+79123456789", "xxxx")
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(wrong.kind, ErrorKind::CodeWrong);
    let (client, session) = client
        .verify_code("+79123456789", &ca.last_code())
        .await
        .unwrap();
    assert!(client.has_session());
    assert_eq!(session.idle_timeout_s, 1800);

    // The CA opens the renewal application (as for a certificate expiring soon).
    let id = ca.open_application("+79123456789").await;
    let list = client.applications().await.unwrap();
    assert_eq!(list.len(), 1);
    let Polled::Changed { value, etag } = client.application(id, None).await.unwrap() else {
        panic!("first poll")
    };
    assert_eq!(value.status, ApplicationStatus::Draft);
    assert_eq!(
        client.application(id, Some(&etag)).await.unwrap(),
        Polled::NotModified
    );

    let saved = client.save_requisites(id, &requisites()).await.unwrap();
    assert_eq!(saved.requisites.unwrap().snils, "112-233-445 95");
    let doc = client
        .upload(id, DocumentKind::PassportMain, b"%PDF-1.4 scan".to_vec())
        .await
        .unwrap();
    let refused = client
        .upload(id, DocumentKind::Other, b"GIF89a".to_vec())
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(refused.kind, ErrorKind::InvalidInput);
    client.delete_document(id, doc.id).await.unwrap();
    assert_eq!(
        client
            .delete_document(id, doc.id)
            .await
            .map_err(kep_protocol::ApiError::from)
            .unwrap_err()
            .kind,
        ErrorKind::NotFound
    );
    let submitted = client.submit(id).await.unwrap();
    assert_eq!(submitted.status, ApplicationStatus::InReview);
    let Polled::Changed { etag: newer, .. } = client.application(id, Some(&etag)).await.unwrap()
    else {
        panic!("a stale ETag gets the new state")
    };
    assert_ne!(newer, etag);

    // Another applicant's id is simply not found.
    assert_eq!(
        client
            .application(id + 1000, None)
            .await
            .map_err(kep_protocol::ApiError::from)
            .unwrap_err()
            .kind,
        ErrorKind::NotFound
    );
    // Without a session the CA says so.
    let anonymous = CaClient::new(ca.endpoint()).unwrap();
    assert_eq!(
        anonymous
            .applications()
            .await
            .map_err(kep_protocol::ApiError::from)
            .unwrap_err()
            .kind,
        ErrorKind::Unauthorized
    );
}

#[tokio::test]
async fn a_dead_ca_is_a_network_error_in_russian() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = CaClient::new(CaEndpoint::parse(&format!("http://127.0.0.1:{port}/")).unwrap())
        .unwrap()
        .with_token("t");
    let error = client
        .applications()
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Network);
    assert_eq!(error.message, kep_client::ca::CA_UNREACHABLE);
}

#[tokio::test]
async fn idempotent_calls_survive_a_flaky_server() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // Answers 503 twice, then 200 with an empty list.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let response = if n < 2 {
                "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                    .to_owned()
            } else {
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n[]".to_owned()
            };
            let _ = socket.write_all(response.as_bytes()).await;
        }
    });
    let client = CaClient::new(CaEndpoint::parse(&format!("http://{addr}/")).unwrap())
        .unwrap()
        .with_token("t");
    assert!(client.applications().await.unwrap().is_empty());
    assert_eq!(hits.load(Ordering::SeqCst), 3, "two retries");
    // A POST is not retried: one 503 is the answer (the counter moves by one).
    let before = hits.load(Ordering::SeqCst);
    let _ = client.submit(1).await;
    assert_eq!(hits.load(Ordering::SeqCst), before + 1);
}
