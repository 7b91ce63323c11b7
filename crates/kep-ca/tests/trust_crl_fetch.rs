//! Other CAs' CRLs fetched for a signer (#25): taken only when signed by the issuer and current,
//! kept until nextUpdate; an oversize one, a silent server, a redirect, an error status and
//! bytes that are not a CRL each refused; and an address on this machine refused by the default
//! policy before anything is sent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::routing::get;
use der::Decode;
use kep_ca::trust::capped_get::GetError;
use kep_ca::trust::crl_fetch::{CrlFetchError, CrlFetcher};
use kep_ca::trust::fetch_policy::{FetchPolicy, Refused};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[tokio::test]
async fn crls_are_taken_from_their_issuer_only_within_bounds_and_kept() {
    let theirs = common::start("crl-theirs").await;
    let ours = common::start("crl-ours").await;
    let their_crl = theirs
        .state
        .applications
        .revocation
        .issuing_crl()
        .await
        .unwrap();
    let their_issuer =
        x509_cert::Certificate::from_der(theirs.state.applications.authority().issuing_der())
            .unwrap();
    let our_issuer =
        x509_cert::Certificate::from_der(ours.state.applications.authority().issuing_der())
            .unwrap();

    let served = Arc::new(AtomicUsize::new(0));
    let counter = served.clone();
    let good = their_crl.clone();
    let app = axum::Router::new()
        .route(
            "/good.crl",
            get(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                let good = good.clone();
                async move { good }
            }),
        )
        .route("/huge.crl", get(|| async { vec![0u8; 21 * 1024 * 1024] }))
        .route(
            "/slow.crl",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(60)).await;
                Vec::<u8>::new()
            }),
        )
        .route(
            "/moved.crl",
            get(|| async { axum::response::Redirect::temporary("/good.crl") }),
        )
        .route("/garbage.crl", get(|| async { "not a CRL" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    // The test's server is on this machine: allowed here only by saying so.
    let local = CrlFetcher::new(FetchPolicy {
        allow_loopback: true,
        allow_private: false,
    })
    .unwrap();
    // The CA clock of the services (their CRL is current then).
    let now = UNIX_EPOCH + Duration::from_secs(1_795_000_000);
    let crl = local
        .crl(&format!("{base}/good.crl"), &their_issuer, now)
        .await
        .unwrap();
    assert!(crl.is_signed_by(&their_issuer));
    // Kept until its nextUpdate: not fetched again.
    local
        .crl(&format!("{base}/good.crl"), &their_issuer, now)
        .await
        .unwrap();
    assert_eq!(served.load(Ordering::SeqCst), 1);
    // Past its nextUpdate: fetched again, and refused as out of date.
    let later = crl.next_update().unwrap() + Duration::from_secs(1);
    assert!(matches!(
        local
            .crl(&format!("{base}/good.crl"), &their_issuer, later)
            .await,
        Err(CrlFetchError::Stale(_))
    ));
    assert_eq!(served.load(Ordering::SeqCst), 2);

    // Signed by another CA's key: refused.
    let wrong = CrlFetcher::new(FetchPolicy {
        allow_loopback: true,
        allow_private: false,
    })
    .unwrap();
    assert!(matches!(
        wrong
            .crl(&format!("{base}/good.crl"), &our_issuer, now)
            .await,
        Err(CrlFetchError::WrongSigner(_))
    ));
    assert!(matches!(
        local
            .crl(&format!("{base}/huge.crl"), &their_issuer, now)
            .await,
        Err(CrlFetchError::Get(GetError::TooLarge { .. }))
    ));
    assert!(matches!(
        local
            .crl(&format!("{base}/moved.crl"), &their_issuer, now)
            .await,
        Err(CrlFetchError::Get(GetError::Status { status: 307, .. }))
    ));
    assert!(matches!(
        local
            .crl(&format!("{base}/garbage.crl"), &their_issuer, now)
            .await,
        Err(CrlFetchError::Unreadable { .. })
    ));
    let started = Instant::now();
    let slow = local
        .crl(&format!("{base}/slow.crl"), &their_issuer, now)
        .await;
    assert!(
        matches!(slow, Err(CrlFetchError::Get(GetError::Request { .. }))),
        "{slow:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );

    // The default policy: this machine is refused before anything is sent.
    let strict = CrlFetcher::new(FetchPolicy::default()).unwrap();
    let before = served.load(Ordering::SeqCst);
    let refused = strict
        .crl(
            &format!("{base}/good.crl"),
            &their_issuer,
            SystemTime::now(),
        )
        .await;
    assert!(
        matches!(
            refused,
            Err(CrlFetchError::Get(GetError::Refused(Refused::Loopback(_))))
        ),
        "{refused:?}"
    );
    let port = base.rsplit(':').next().unwrap();
    assert!(matches!(
        strict
            .crl(
                &format!("http://localhost:{port}/good.crl"),
                &their_issuer,
                now
            )
            .await,
        Err(CrlFetchError::Get(GetError::Refused(Refused::Loopback(_))))
    ));
    assert!(matches!(
        strict
            .crl(
                "ldap://dir.example.ru/cn=CA?certificateRevocationList",
                &their_issuer,
                now
            )
            .await,
        Err(CrlFetchError::Get(GetError::Refused(Refused::Scheme(_))))
    ));
    assert_eq!(served.load(Ordering::SeqCst), before, "nothing was sent");
}
