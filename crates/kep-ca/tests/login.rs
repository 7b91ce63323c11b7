//! Flash-call login over real HTTP against a real SQLite file: the happy path and every refusal —
//! wrong, expired and sixth code, cooldown, hourly limits per number and per address, session
//! idle and absolute timeouts, malformed and oversized requests.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use serde_json::{Value, json};
use std::time::Duration;

mod common;

use common::start;

#[tokio::test]
async fn a_code_from_the_calling_number_opens_a_session() {
    let ca = start("ca-login").await;
    let (status, body) = ca
        .post("/api/v1/auth/code", json!({"phone": "8 (912) 345-67-89"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["phone"], "+7 912 345-67-89");
    assert_eq!(body["retry_after_s"], 60);
    assert_eq!(body["expires_in_s"], 300);
    let call = ca.calls.last().unwrap();
    assert_eq!(call.phone, "+79123456789");
    let code = ca.last_code();
    assert!(
        call.caller
            .ends_with(&format!("{}-{}", &code[..2], &code[2..]))
    );

    let (status, body) = ca
        .post(
            "/api/v1/auth/verify",
            json!({"phone": "+79123456789", "code": code}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let token = body["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64, "256 random bits");
    assert_eq!(ca.me(&token).await, 200);
    // A used code cannot be used again.
    let (status, body) = ca
        .post(
            "/api/v1/auth/verify",
            json!({"phone": "+79123456789", "code": code}),
        )
        .await;
    assert_eq!((status, body["kind"].as_str()), (400, Some("code_expired")));

    let r = ca
        .http
        .post(format!("{}/api/v1/auth/logout", ca.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(ca.me(&token).await, 401);
    assert_eq!(ca.me("forged").await, 401);
}

#[tokio::test]
async fn wrong_expired_and_sixth_codes_are_refused() {
    let ca = start("ca-codes").await;
    ca.post("/api/v1/auth/code", json!({"phone": "+79001112233"}))
        .await;
    let good = ca.last_code();
    let bad = if good == "0000" { "1111" } else { "0000" };
    for left in (1..=4).rev() {
        let (status, body) = ca
            .post(
                "/api/v1/auth/verify",
                json!({"phone": "+79001112233", "code": bad}),
            )
            .await;
        assert_eq!((status, body["kind"].as_str()), (400, Some("code_wrong")));
        assert_eq!(
            body["message"],
            format!("Неверный код. Осталось попыток: {left}.")
        );
    }
    let (status, body) = ca
        .post(
            "/api/v1/auth/verify",
            json!({"phone": "+79001112233", "code": bad}),
        )
        .await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (429, Some("code_attempts_exhausted"))
    );
    // The sixth try fails even with the right code.
    let (status, body) = ca
        .post(
            "/api/v1/auth/verify",
            json!({"phone": "+79001112233", "code": good}),
        )
        .await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (429, Some("code_attempts_exhausted"))
    );

    ca.clock.advance(Duration::from_secs(61));
    ca.post("/api/v1/auth/code", json!({"phone": "+79001112233"}))
        .await;
    let code = ca.last_code();
    ca.clock.advance(Duration::from_secs(301));
    let (status, body) = ca
        .post(
            "/api/v1/auth/verify",
            json!({"phone": "+79001112233", "code": code}),
        )
        .await;
    assert_eq!((status, body["kind"].as_str()), (400, Some("code_expired")));
}

#[tokio::test]
async fn calls_are_rate_limited_per_number_and_per_address() {
    let ca = start("ca-limits").await;
    let (status, _) = ca
        .post("/api/v1/auth/code", json!({"phone": "+79005550001"}))
        .await;
    assert_eq!(status, 200);
    ca.clock.advance(Duration::from_secs(20));
    let (status, body) = ca
        .post("/api/v1/auth/code", json!({"phone": "+79005550001"}))
        .await;
    assert_eq!((status, body["kind"].as_str()), (429, Some("rate_limited")));
    assert_eq!(
        body["message"],
        "Повторный звонок можно запросить через 40 с."
    );
    for _ in 0..4 {
        ca.clock.advance(Duration::from_secs(61));
        assert_eq!(
            ca.post("/api/v1/auth/code", json!({"phone": "+79005550001"}))
                .await
                .0,
            200
        );
    }
    ca.clock.advance(Duration::from_secs(61));
    let (status, body) = ca
        .post("/api/v1/auth/code", json!({"phone": "+79005550001"}))
        .await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (429, Some("rate_limited")),
        "a sixth call within the hour"
    );

    // 20 calls an hour from one address, whatever the numbers.
    let ca = start("ca-limits-client").await;
    for i in 0..20 {
        assert_eq!(
            ca.post(
                "/api/v1/auth/code",
                json!({"phone": format!("+7900600{i:04}")})
            )
            .await
            .0,
            200
        );
    }
    let (status, body) = ca
        .post("/api/v1/auth/code", json!({"phone": "+79006009999"}))
        .await;
    assert_eq!((status, body["kind"].as_str()), (429, Some("rate_limited")));
    ca.clock.advance(Duration::from_secs(3601));
    assert_eq!(
        ca.post("/api/v1/auth/code", json!({"phone": "+79006009999"}))
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn sessions_end_after_idling_and_after_twelve_hours() {
    let ca = start("ca-sessions").await;
    let token = ca.login("+79007770001").await;
    ca.clock.advance(Duration::from_secs(29 * 60));
    assert_eq!(ca.me(&token).await, 200);
    ca.clock.advance(Duration::from_secs(31 * 60));
    assert_eq!(ca.me(&token).await, 401, "30 minutes idle");

    ca.clock.advance(Duration::from_secs(61));
    let token = ca.login("+79007770001").await;
    for _ in 0..(12 * 3) {
        ca.clock.advance(Duration::from_secs(20 * 60));
        if ca.me(&token).await == 401 {
            return;
        }
    }
    panic!("a session used every 20 minutes must still end after 12 hours");
}

#[tokio::test]
async fn bad_requests_get_clear_answers() {
    let ca = start("ca-bad").await;
    let (status, body) = ca
        .post("/api/v1/auth/code", json!({"phone": "+7 495 123-45-67"}))
        .await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (400, Some("invalid_input"))
    );
    assert_eq!(
        body["message"],
        "Это не номер мобильного телефона: он начинается с +7 9."
    );
    let (status, body) = ca
        .post("/api/v1/auth/code", json!({"telephone": "x"}))
        .await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (400, Some("invalid_input"))
    );
    let (status, body) = ca
        .post("/api/v1/auth/code", json!({"phone": "9".repeat(100_000)}))
        .await;
    assert_eq!((status, body["kind"].as_str()), (413, Some("too_large")));
    let (status, body) = ca
        .post(
            "/api/v1/auth/verify",
            json!({"phone": "+79123456789", "code": "1234"}),
        )
        .await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (400, Some("code_expired")),
        "no code was requested"
    );

    let doc: Value = ca
        .http
        .get(format!("{}/api/v1/openapi.json", ca.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/api/v1/auth/code",
        "/api/v1/auth/verify",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/applications/{id}/statement",
        "/api/v1/applications/{id}/statement/signature",
        "/api/v1/applications/{id}/statement/scan",
        "/api/v1/applications/{id}/request",
        "/api/v1/applications/{id}/certificate",
        "/api/v1/applications/{id}/chain",
        "/api/v1/applications/{id}/installed",
        "/api/v1/operator/applications/{id}/statement-decision",
        "/api/v1/operator/applications/{id}/identity",
        "/api/v1/operator/certificates/{serial}/revoke",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(doc["components"]["schemas"]["ApiError"].is_object());
}
