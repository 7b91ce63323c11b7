//! A CA that hangs or loses answers, as the app meets it: one deadline per action (retries
//! included), «Отменить», «Выйти» that does not wait, and a repeated POST that the CA answers
//! once (its idempotency key kept in the flow).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use kep_client::CaEndpoint;
use kep_client::action::Deadlines;
use kep_client::flow::{Flow, FlowFile, FlowStep};
use kep_client::key_places::{KeyPlaces, MemoryPins};
use kep_client::messages_ru::CA_NOT_ANSWERING;
use kep_client::renewal::Renewal;
use kep_client::session_vault::{MemoryVault, TokenVault};
use kep_protocol::ErrorKind;
use kep_protocol::application::ApplicationStatus;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A server that accepts connections and never answers (a stalled process, a dead link).
async fn hung_server() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    addr
}

/// The app, logged in (a kept session token) and at the applications list, against `base`.
fn logged_in_at_the_list(base: &str, data: &Path, deadlines: Deadlines) -> Renewal {
    let endpoint = CaEndpoint::parse(base).unwrap();
    let vault = Arc::new(MemoryVault::default());
    vault.store(&endpoint, "session-token");
    FlowFile::new(data)
        .save(&Flow {
            step: FlowStep::Applications,
            ..Flow::default()
        })
        .unwrap();
    let keys = Arc::new(KeyPlaces::new(
        data.join("keys"),
        None,
        Arc::new(MemoryPins::default()),
    ));
    Renewal::open_with(endpoint, data, vault, keys, deadlines).unwrap()
}

fn scratch(tag: &str) -> kep_system_tests::tools::Scratch {
    kep_system_tests::tools::Scratch::new(tag)
}

#[tokio::test(start_paused = true)]
async fn a_hung_ca_answers_at_the_deadline_not_minutes_later() {
    let addr = hung_server().await;
    let dir = scratch("deadline-hung");
    let renewal = logged_in_at_the_list(
        &format!("http://{addr}/"),
        &dir.path("app"),
        Deadlines::default(),
    );
    let started = tokio::time::Instant::now();
    let err = renewal
        .view()
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    // (Time is paused: the clock jumps to the next timer, so this is the deadline exactly.)
    assert_eq!(started.elapsed(), Deadlines::default().call);
    assert_eq!(err.kind, ErrorKind::Network);
    assert_eq!(err.message, CA_NOT_ANSWERING);
    // Nothing moved.
    assert_eq!(renewal.step(), FlowStep::Applications);
}

#[tokio::test]
async fn cancel_and_logout_do_not_wait_for_a_hung_call() {
    let addr = hung_server().await;
    let dir = scratch("deadline-cancel");
    let renewal = Arc::new(logged_in_at_the_list(
        &format!("http://{addr}/"),
        &dir.path("app"),
        Deadlines::default(),
    ));
    let hung = {
        let renewal = renewal.clone();
        tokio::spawn(async move { renewal.choose(7).await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Commands that need no network answer at once meanwhile.
    assert!(!renewal.sensor_events(&[]).unwrap().full);
    renewal.cancel();
    let err = hung
        .await
        .unwrap()
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Cancelled);

    let hung = {
        let renewal = renewal.clone();
        tokio::spawn(async move { renewal.back_to_list().await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let view = renewal.logout().unwrap();
    assert_eq!(view.step, FlowStep::Login);
    assert_eq!(
        hung.await
            .unwrap()
            .map_err(kep_protocol::ApiError::from)
            .unwrap_err()
            .kind,
        ErrorKind::Cancelled
    );
    assert_eq!(renewal.step(), FlowStep::Login);
}

#[tokio::test]
async fn retries_fit_inside_the_budget() {
    // 503 twice, then the list: the action succeeds, within one deadline.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let response = if n < 2 {
                "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            } else {
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n[]"
            };
            let _ = socket.write_all(response.as_bytes()).await;
        }
    });
    let dir = scratch("deadline-retry");
    let deadlines = Deadlines {
        call: Duration::from_secs(5),
        ..Deadlines::default()
    };
    let renewal = logged_in_at_the_list(&format!("http://{addr}/"), &dir.path("app"), deadlines);
    let view = renewal.view().await.unwrap();
    assert!(view.applications.is_empty());
    assert_eq!(
        hits.load(Ordering::SeqCst),
        3,
        "two retries, then the answer"
    );
}

/// A proxy in front of the CA that passes requests on and, while `swallow` is set, throws the
/// answers away: the CA acts, the app never hears of it.
async fn lossy_proxy(upstream: SocketAddr, swallow: Arc<AtomicBool>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let swallow = swallow.clone();
            tokio::spawn(async move {
                let Ok(server) = tokio::net::TcpStream::connect(upstream).await else {
                    return;
                };
                let (mut client_read, mut client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                let up = tokio::io::copy(&mut client_read, &mut server_write);
                let down = async {
                    let mut buf = [0u8; 16 * 1024];
                    loop {
                        let n = server_read.read(&mut buf).await?;
                        if n == 0 {
                            return Ok::<_, std::io::Error>(());
                        }
                        if !swallow.load(Ordering::SeqCst) {
                            client_write.write_all(&buf[..n]).await?;
                        }
                    }
                };
                let _ = tokio::join!(up, down);
            });
        }
    });
    addr
}

#[tokio::test]
async fn a_submission_whose_answer_was_lost_is_sent_again_and_done_once() {
    let ca = common::start_ca("deadline-replay").await;
    let upstream: SocketAddr = ca
        .base
        .trim_start_matches("https://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let swallow = Arc::new(AtomicBool::new(false));
    let proxy = lossy_proxy(upstream, swallow.clone()).await;
    let phone = "+79990000077";
    let id = ca.open_application(phone).await;
    let deadlines = Deadlines {
        call: Duration::from_secs(2),
        ..Deadlines::default()
    };
    let keys = Arc::new(KeyPlaces::new(
        ca.scratch.path("keys"),
        None,
        Arc::new(MemoryPins::default()),
    ));
    let renewal = Renewal::open_with(
        ca.endpoint_at(&format!("https://{proxy}/")),
        &ca.scratch.path("app"),
        Arc::new(MemoryVault::default()),
        keys,
        deadlines,
    )
    .unwrap();
    renewal.request_code(phone).await.unwrap();
    renewal.verify_code(phone, &ca.last_code()).await.unwrap();
    renewal.choose(id).await.unwrap();
    renewal.start().await.unwrap();
    let mut input = kep_ca::dev_seed::dev_requisites();
    input.phone = phone.into();
    renewal.save_requisites(&input).await.unwrap();
    assert_eq!(renewal.step(), FlowStep::Documents { application_id: id });

    // «Отправить заявку»: the CA takes it, the answer is lost; the deadline says so.
    swallow.store(true, Ordering::SeqCst);
    let err = renewal
        .submit()
        .await
        .map_err(kep_protocol::ApiError::from)
        .unwrap_err();
    assert_eq!(err.message, CA_NOT_ANSWERING);
    assert_eq!(renewal.step(), FlowStep::Documents { application_id: id });
    // The same person quits and starts the app again before trying once more.
    drop(renewal);
    swallow.store(false, Ordering::SeqCst);
    let vault = Arc::new(MemoryVault::default());
    let renewal = Renewal::open_with(
        ca.endpoint_at(&format!("https://{proxy}/")),
        &ca.scratch.path("app"),
        vault,
        Arc::new(KeyPlaces::new(
            ca.scratch.path("keys"),
            None,
            Arc::new(MemoryPins::default()),
        )),
        deadlines,
    )
    .unwrap();
    ca.clock.advance(Duration::from_secs(61));
    renewal.request_code(phone).await.unwrap();
    let view = renewal.verify_code(phone, &ca.last_code()).await.unwrap();
    assert_eq!(view.step, FlowStep::Documents { application_id: id });
    assert_eq!(
        view.application.unwrap().status,
        ApplicationStatus::InReview,
        "the CA did act on the lost one"
    );
    // Sent again: the CA answers with its first answer; the app moves on; one submission.
    let view = renewal.submit().await.unwrap();
    assert_eq!(view.step, FlowStep::Review { application_id: id });
    let submitted = view
        .application
        .unwrap()
        .timeline
        .iter()
        .filter(|e| e.status == ApplicationStatus::InReview)
        .count();
    assert_eq!(submitted, 1);
    assert_eq!(renewal.back_to_list().await.unwrap().applications.len(), 1);
}
