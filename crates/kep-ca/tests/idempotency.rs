//! Idempotency keys over real HTTP: a state-changing POST repeated with the same key gets the
//! first answer and does nothing twice (one submission, one document, one code call); a refusal
//! keeps nothing; a key reused elsewhere, malformed, or still running is refused with
//! `{kind, message}`; an abandoned claim is taken over; keys are the applicant's own.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Ca, start};
use kep_ca::store::{IdempotencyClaim, Store};
use serde_json::{Value, json};

const PHONE: &str = "+79123450011";

fn requisites() -> Value {
    let mut input = serde_json::to_value(kep_ca::dev_seed::dev_requisites()).unwrap();
    input["phone"] = json!(PHONE);
    input
}

/// A POST with an idempotency key: (status, replayed?, body).
async fn keyed(
    ca: &Ca,
    path: &str,
    token: Option<&str>,
    key: &str,
    body: reqwest::Body,
) -> (u16, bool, Value) {
    let mut request = ca
        .http
        .post(format!("{}{path}", ca.base))
        .header("Idempotency-Key", key)
        .header("content-type", "application/json")
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let replayed = response.headers().get("idempotent-replay").is_some();
    (
        status,
        replayed,
        response.json().await.unwrap_or(Value::Null),
    )
}

async fn ready_to_submit(ca: &Ca) -> (String, i64) {
    let (token, id) = ca.applicant(PHONE).await;
    let (status, body) = ca
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/applications/{id}/requisites"),
            &token,
            Some(requisites()),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    (token, id)
}

#[tokio::test]
async fn a_repeated_submission_is_answered_once() {
    let ca = start("idem-submit").await;
    let (token, id) = ready_to_submit(&ca).await;
    let path = format!("/api/v1/applications/{id}/submit");
    let key = "3f1c0e9a-5b2d-4c7e-9a10-6d2f8b4e1c01";
    let (status, replayed, first) = keyed(&ca, &path, Some(&token), key, "".into()).await;
    assert_eq!((status, replayed), (200, false), "{first}");
    assert_eq!(first["status"], "in_review");
    let (status, replayed, again) = keyed(&ca, &path, Some(&token), key, "".into()).await;
    assert_eq!((status, replayed), (200, true));
    assert_eq!(again, first, "the first answer, byte for byte");
    // Without the key the same request is what it always was: refused, already sent.
    let (status, _) = ca.call(reqwest::Method::POST, &path, &token, None).await;
    assert_eq!(status, 409);
    // Exactly one submission in the timeline.
    let (_, view) = ca
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/applications/{id}"),
            &token,
            None,
        )
        .await;
    let submitted = view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "in_review")
        .count();
    assert_eq!(submitted, 1, "{view}");
    // After a new login (another session of the same applicant) the key still answers.
    ca.clock.advance(std::time::Duration::from_secs(61));
    let token2 = ca.login(PHONE).await;
    let (status, replayed, _) = keyed(&ca, &path, Some(&token2), key, "".into()).await;
    assert_eq!((status, replayed), (200, true));
    // Used for another route, the key is refused.
    let other = format!("/api/v1/applications/{id}/statement/scan");
    let (status, _, body) = keyed(&ca, &other, Some(&token), key, "".into()).await;
    assert_eq!(status, 409);
    assert_eq!(body["kind"], "conflict");
}

#[tokio::test]
async fn an_upload_repeated_with_its_key_is_kept_once_and_a_refusal_keeps_nothing() {
    let ca = start("idem-upload").await;
    ca.registry
        .answer(kep_ca::registry::RegistryVerdict::Unavailable);
    let (token, id) = ready_to_submit(&ca).await;
    let (_, body) = ca
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/applications/{id}/submit"),
            &token,
            None,
        )
        .await;
    assert_eq!(body["status"], "documents_required", "{body}");
    let path = format!("/api/v1/applications/{id}/documents?kind=snils");
    let png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 7];
    let key = "upload-0123456789abcdef";
    // A refused upload (not PDF/JPEG/PNG) keeps nothing: the key may run again.
    let (status, _, body) = keyed(&ca, &path, Some(&token), key, b"text".to_vec().into()).await;
    assert_eq!(status, 400, "{body}");
    let (status, replayed, first) = keyed(&ca, &path, Some(&token), key, png.clone().into()).await;
    assert_eq!((status, replayed), (201, false), "{first}");
    let (status, replayed, again) = keyed(&ca, &path, Some(&token), key, png.into()).await;
    assert_eq!((status, replayed), (201, true));
    assert_eq!(again["id"], first["id"]);
    let (_, view) = ca
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/applications/{id}"),
            &token,
            None,
        )
        .await;
    assert_eq!(view["documents"].as_array().unwrap().len(), 1, "{view}");
}

#[tokio::test]
async fn a_code_request_repeated_with_its_key_calls_once() {
    let ca = start("idem-code").await;
    let key = "code-request-0001-aaaa";
    let body = || serde_json::to_vec(&json!({"phone": PHONE})).unwrap().into();
    let (status, replayed, first) = keyed(&ca, "/api/v1/auth/code", None, key, body()).await;
    assert_eq!((status, replayed), (200, false), "{first}");
    let (status, replayed, again) = keyed(&ca, "/api/v1/auth/code", None, key, body()).await;
    assert_eq!((status, replayed, &again), (200, true, &first));
    let codes = ca
        .state
        .applications
        .store()
        .codes_for_phone_since(PHONE, 0)
        .await
        .unwrap();
    assert_eq!(codes.len(), 1, "one call placed");
}

#[tokio::test]
async fn malformed_keys_other_applicants_and_abandoned_claims() {
    let ca = start("idem-edges").await;
    let (token, id) = ready_to_submit(&ca).await;
    let path = format!("/api/v1/applications/{id}/submit");
    for bad in [
        "short",
        &"x".repeat(101),
        "has space in it 1234",
        "кириллица-1234567890",
    ] {
        let (status, _, body) = keyed(&ca, &path, Some(&token), bad, "".into()).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert_eq!(body["kind"], "invalid_input");
    }
    // Another applicant's use of the same key is another key.
    let (other, other_id) = ca.applicant("+79123450012").await;
    let key = "shared-looking-key-0001";
    let (status, _, _) = keyed(
        &ca,
        &format!("/api/v1/applications/{other_id}/submit"),
        Some(&other),
        key,
        "".into(),
    )
    .await;
    assert_eq!(status, 400, "the other applicant has no requisites yet");
    let (status, replayed, _) = keyed(&ca, &path, Some(&token), key, "".into()).await;
    assert_eq!((status, replayed), (200, false));

    // The same key while its first request still runs (here: claimed a moment ago by another
    // instance) is told so, with its own kind, so the client keeps the key for the repeat.
    let (_, me) = ca
        .call(reqwest::Method::GET, "/api/v1/me", &token, None)
        .await;
    let running = "still-running-key-0001";
    let applicant_scope = format!("applicant:{}", me["applicant_id"]);
    assert_eq!(
        ca.state
            .applications
            .store()
            .claim_idempotency_key(&applicant_scope, running, "POST /x", 1_795_000_000, 0, 0)
            .await
            .unwrap(),
        IdempotencyClaim::Claimed
    );
    let (status, _, body) = keyed(&ca, &path, Some(&token), running, "".into()).await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (409, Some("in_progress")),
        "{body}"
    );

    // A claim whose request died with its instance: refused while it may still run, taken over
    // once it is abandoned.
    let store = ca.state.applications.store();
    let now = 1_795_000_000;
    let claim = |at: i64| {
        store.claim_idempotency_key(
            "applicant:9",
            "dead-instance-key-01",
            "POST /x",
            at,
            at - kep_ca::idempotency::ABANDONED_AFTER_S,
            at - kep_ca::idempotency::KEPT_FOR_S,
        )
    };
    assert_eq!(claim(now).await.unwrap(), IdempotencyClaim::Claimed);
    assert_eq!(
        claim(now + 10).await.unwrap(),
        IdempotencyClaim::InProgress {
            route: "POST /x".into()
        }
    );
    let later = now + kep_ca::idempotency::ABANDONED_AFTER_S + 1;
    assert_eq!(claim(later).await.unwrap(), IdempotencyClaim::Claimed);
}
