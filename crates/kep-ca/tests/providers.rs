//! The webhook adapters against a local stub that speaks their documented contracts: success,
//! a provider too slow to answer, 5xx (repeated twice, then given up), a wrong JSON answer, an
//! oversize one, refused credentials (401), rate limiting (429 with Retry-After) — each arriving
//! as its own `ProviderError`, and the registry's failures as «unavailable».

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use kep_ca::notifier::{Notice, Notifier};
use kep_ca::providers::ProviderError;
use kep_ca::providers::webhook::{
    Webhook, WebhookNotifier, WebhookRegistry, WebhookTelephony, WebhookTimeouts,
};
use kep_ca::registry::{Registry, RegistryAnswer, RegistryVerdict};
use kep_ca::telephony::Telephony;
use kep_pki::ValidateRequisites;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use zeroize::Zeroizing;

/// Requests per route, and the bodies seen.
#[derive(Default)]
struct Seen {
    flaky: AtomicU32,
    down: AtomicU32,
    bodies: std::sync::Mutex<Vec<serde_json::Value>>,
}

fn json(body: serde_json::Value) -> Response {
    (StatusCode::OK, axum::Json(body)).into_response()
}

async fn stub() -> (String, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let app =
        Router::new()
            .route(
                "/call",
                post(
                    |State(seen): State<Arc<Seen>>,
                     axum::Json(body): axum::Json<serde_json::Value>| async move {
                        seen.bodies.lock().unwrap().push(body);
                        json(serde_json::json!({"caller": "+7 900 123-45-67"}))
                    },
                ),
            )
            .route(
                "/verdicts/{snils}/{inn}",
                post(
                    |axum::extract::Path((snils, inn)): axum::extract::Path<(String, String)>| async move {
                        json(serde_json::json!({ "snils": snils, "inn": inn }))
                    },
                ),
            )
            .route("/send", post(|| async { StatusCode::NO_CONTENT }))
            .route(
                "/slow",
                post(|| async {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    StatusCode::OK
                }),
            )
            .route(
                "/flaky",
                post(|State(seen): State<Arc<Seen>>| async move {
                    if seen.flaky.fetch_add(1, Ordering::SeqCst) < 2 {
                        StatusCode::SERVICE_UNAVAILABLE.into_response()
                    } else {
                        json(serde_json::json!({"caller": "+7 900 000-11-22"}))
                    }
                }),
            )
            .route(
                "/down",
                post(|State(seen): State<Arc<Seen>>| async move {
                    seen.down.fetch_add(1, Ordering::SeqCst);
                    StatusCode::BAD_GATEWAY
                }),
            )
            .route(
                "/garbage",
                post(|| async { (StatusCode::OK, "<html>not json</html>") }),
            )
            .route(
                "/huge",
                post(|| async {
                    let caller = "9".repeat(100 * 1024);
                    json(serde_json::json!({ "caller": caller }))
                }),
            )
            .route(
                "/auth",
                post(|headers: HeaderMap| async move {
                    let good = headers
                        .get("authorization")
                        .is_some_and(|v| v == "Bearer the-right-token");
                    if good {
                        json(serde_json::json!({"caller": "+7 900 123-45-67"}))
                    } else {
                        StatusCode::UNAUTHORIZED.into_response()
                    }
                }),
            )
            .route(
                "/busy",
                post(|| async {
                    Response::builder()
                        .status(StatusCode::TOO_MANY_REQUESTS)
                        .header("retry-after", "30")
                        .body(axum::body::Body::empty())
                        .unwrap()
                }),
            )
            .route(
            "/api/v1/flash-call/send",
            post(
                |headers: HeaderMap, axum::Json(body): axum::Json<serde_json::Value>| async move {
                    let authorized = headers
                        .get("authorization")
                        .is_some_and(|v| v == "Bearer account-access-token")
                        && headers.get("client").is_some_and(|v| v == "10553");
                    if !authorized {
                        return (
                            StatusCode::UNAUTHORIZED,
                            axum::Json(serde_json::json!({"success": false, "message": "Unauthenticated."})),
                        )
                            .into_response();
                    }
                    match body["phone"].as_str() {
                        Some("79991234567") => json(serde_json::json!({
                            "success": true,
                            "data": {"key": "d7Jq0c", "pin": "4567", "operator": "МегаФон"}
                        })),
                        Some("79990000000") => json(serde_json::json!({"success": true, "data": {"key": "x"}})),
                        _ => json(serde_json::json!({"success": false, "message": "Неверный номер"})),
                    }
                },
            ),
        )
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

fn webhook(base: &str, path: &str, token: Option<&str>) -> Webhook {
    Webhook::new(
        format!("{base}{path}").parse().unwrap(),
        token.map(|t| Zeroizing::new(t.to_owned())),
        WebhookTimeouts {
            connect: Duration::from_secs(1),
            answer: Duration::from_secs(1),
        },
    )
    .unwrap()
}

async fn call(base: &str, path: &str, token: Option<&str>) -> Result<String, ProviderError> {
    WebhookTelephony(webhook(base, path, token))
        .call("+79991234567", "req-1")
        .await
}

#[tokio::test]
async fn telephony_follows_the_contract_and_names_each_failure() {
    let (base, seen) = stub().await;
    assert_eq!(
        call(&base, "/call", None).await.unwrap(),
        "+7 900 123-45-67"
    );
    assert_eq!(
        seen.bodies.lock().unwrap()[0],
        serde_json::json!({"phone": "+79991234567", "request_id": "req-1"})
    );
    // Too slow: the answer's deadline ends it (and its repeats).
    assert!(matches!(
        call(&base, "/slow", None).await,
        Err(ProviderError::Unreachable(_))
    ));
    // Two 5xx, then an answer: the repeats carry it through.
    assert_eq!(
        call(&base, "/flaky", None).await.unwrap(),
        "+7 900 000-11-22"
    );
    assert_eq!(seen.flaky.load(Ordering::SeqCst), 3);
    // Always 5xx: three attempts, then the status.
    assert!(matches!(
        call(&base, "/down", None).await,
        Err(ProviderError::Status(502))
    ));
    assert_eq!(seen.down.load(Ordering::SeqCst), 3);
    assert!(matches!(
        call(&base, "/garbage", None).await,
        Err(ProviderError::Contract(_))
    ));
    match call(&base, "/huge", None).await {
        Err(ProviderError::Contract(why)) => assert!(why.contains("65536"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        call(&base, "/auth", Some("a-wrong-token")).await,
        Err(ProviderError::Credentials(401))
    ));
    assert!(call(&base, "/auth", Some("the-right-token")).await.is_ok());
    assert!(matches!(
        call(&base, "/busy", None).await,
        Err(ProviderError::RateLimited {
            retry_after_s: Some(30)
        })
    ));
    // Nobody listening.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = dead.local_addr().unwrap().port();
    drop(dead);
    assert!(matches!(
        call(&format!("http://127.0.0.1:{port}"), "/call", None).await,
        Err(ProviderError::Unreachable(_))
    ));
}

#[tokio::test]
async fn a_provider_rate_limit_tells_the_applicant_when_to_ask_again() {
    let (base, _) = stub().await;
    let scratch = kep_system_tests::tools::Scratch::new("providers-login");
    let store = kep_ca::store::sqlite::SqliteStore::open(&scratch.path("ca.sqlite")).unwrap();
    let telephony: Arc<dyn Telephony> = Arc::new(WebhookTelephony(webhook(&base, "/busy", None)));
    let clock: Arc<dyn kep_ca::clock::Clock> = Arc::new(kep_ca::clock::SystemClock);
    let login = kep_ca::login::Login::new(store, clock, telephony).unwrap();
    match login.request_code("+7 999 123-45-67", "192.0.2.1").await {
        Err(kep_ca::login::LoginError::CallAgainIn { seconds }) => assert_eq!(seconds, 30),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn notifications_and_registry_follow_their_contracts() {
    let (base, _) = stub().await;
    let notice = Notice::new("Тема", "Текст");
    WebhookNotifier(webhook(&base, "/send", None))
        .notify("+79991234567", &notice)
        .await
        .unwrap();
    assert!(matches!(
        WebhookNotifier(webhook(&base, "/busy", None))
            .notify("+79991234567", &notice)
            .await,
        Err(ProviderError::RateLimited { .. })
    ));
    let requisites = kep_ca::dev_seed::dev_requisites()
        .validate(time::OffsetDateTime::now_utc().date())
        .unwrap();
    use RegistryVerdict::{Confirmed, Mismatch, Unavailable};
    let each = |snils, inn| RegistryAnswer { snils, inn };
    for (path, answer) in [
        ("/verdicts/confirmed/confirmed", each(Confirmed, Confirmed)),
        ("/verdicts/confirmed/mismatch", each(Confirmed, Mismatch)),
        (
            "/verdicts/mismatch/unavailable",
            each(Mismatch, Unavailable),
        ),
        ("/verdicts/perhaps/confirmed", each(Unavailable, Confirmed)),
        ("/garbage", RegistryAnswer::both(Unavailable)),
        ("/down", RegistryAnswer::both(Unavailable)),
        ("/huge", RegistryAnswer::both(Unavailable)),
        ("/busy", RegistryAnswer::both(Unavailable)),
    ] {
        assert_eq!(
            WebhookRegistry(webhook(&base, path, None))
                .check(&requisites)
                .await,
            answer,
            "{path}"
        );
    }
}

fn plusofon(base: &str, token: &str) -> kep_ca::providers::plusofon::PlusofonTelephony {
    kep_ca::providers::plusofon::PlusofonTelephony::new(
        webhook(base, "/api/v1/flash-call/send", Some(token)),
        kep_ca::providers::plusofon::DEFAULT_CLIENT_ID,
    )
    .unwrap()
}

#[tokio::test]
async fn plusofon_answers_the_pin_the_applicant_types() {
    let (base, _) = stub().await;
    let good = plusofon(&base, "account-access-token");
    // The code is the last four digits of what the provider answers: Plusofon's pin itself.
    assert_eq!(good.call("+79991234567", "req-2").await.unwrap(), "4567");
    assert!(matches!(
        good.call("+79990000000", "req-3").await,
        Err(ProviderError::Contract(why)) if why.contains("return_pin")
    ));
    assert!(matches!(
        good.call("+79995555555", "req-4").await,
        Err(ProviderError::Contract(why)) if why.contains("success: false")
    ));
    assert!(matches!(
        plusofon(&base, "the-main-cabinet-token")
            .call("+79991234567", "req-5")
            .await,
        Err(ProviderError::Credentials(401))
    ));
}
