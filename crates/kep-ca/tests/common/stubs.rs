//! Local stubs of the providers' published contracts on one loopback server: Plusofon's
//! FlashCall (the pin comes back), the notifications webhook and the registry webhook.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::Json;
use axum::routing::post;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

/// What the webhook stubs were sent.
#[derive(Default)]
pub struct Stubs {
    pub calls: Mutex<Vec<(String, String)>>,
    pub messages: Mutex<Vec<Value>>,
    pub checks: Mutex<usize>,
}

/// The three webhook contracts on one loopback server.
pub async fn start_stubs() -> (SocketAddr, Arc<Stubs>) {
    let stubs = Arc::new(Stubs::default());
    let calls = stubs.clone();
    let messages = stubs.clone();
    let checks = stubs.clone();
    let app = axum::Router::new()
        // Plusofon's FlashCall contract: the account's access token, the Client header, the
        // phone as digits; the pin comes back.
        .route(
            "/api/v1/flash-call/send",
            post(
                move |headers: axum::http::HeaderMap, Json(body): Json<Value>| {
                    let calls = calls.clone();
                    async move {
                        assert_eq!(headers["authorization"], "Bearer telephony bearer token");
                        assert_eq!(headers["client"], "10553");
                        let mut calls = calls.calls.lock().unwrap();
                        let pin = format!("{:04}", 1042 + calls.len());
                        calls.push((body["phone"].as_str().unwrap().to_owned(), pin.clone()));
                        Json(json!({ "success": true, "data": { "key": "k", "pin": pin } }))
                    }
                },
            ),
        )
        .route(
            "/send",
            post(move |Json(body): Json<Value>| {
                let messages = messages.clone();
                async move {
                    messages.messages.lock().unwrap().push(body);
                    Json(json!({}))
                }
            }),
        )
        .route(
            "/check",
            post(move |Json(body): Json<Value>| {
                let checks = checks.clone();
                async move {
                    assert_eq!(body["snils"], "112-233-445 95");
                    *checks.checks.lock().unwrap() += 1;
                    Json(json!({ "snils": "confirmed", "inn": "confirmed" }))
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, stubs)
}

/// The configuration's provider sections pointing at the stubs on `addr` (the telephony token
/// in `secrets/telephony-token`).
pub fn providers_section(addr: SocketAddr, secrets: &std::path::Path) -> String {
    format!(
        r#"[telephony]
provider = "plusofon"
url = "http://{addr}/api/v1/flash-call/send"
token = {{ file = "{secrets}/telephony-token" }}

[registry]
provider = "webhook"
url = "http://{addr}/check"

[notifications]
provider = "webhook"
url = "http://{addr}/send"
"#,
        secrets = secrets.display()
    )
}
