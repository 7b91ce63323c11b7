//! POST /api/v1/renewals over real HTTP: the applicant's own certificate opens a renewal of it,
//! pre-filled with the latest requisites and named in the view (and the repeat answers the same
//! application); a certificate this CA did not issue opens a new application; someone else's
//! certificate and bytes that are not a certificate are refused in Russian.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

mod common;

use common::start;
use serde_json::Value;

async fn renew(ca: &common::Ca, token: &str, der: &[u8]) -> (u16, Value) {
    let response = ca
        .http
        .post(format!("{}/api/v1/renewals", ca.base))
        .bearer_auth(token)
        .header("content-type", "application/pkix-cert")
        .body(der.to_vec())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn a_certificate_renewed_by_its_owner_only() {
    let ca = start("ca-renewals").await;
    let keys = ca._scratch.path("dev-applicant");
    let seeded = kep_ca::dev_seed::seed(&ca.state, &keys, 10).await.unwrap();
    let current = std::fs::read(keys.join("current.crt")).unwrap();
    let owner = ca.login(kep_ca::dev_seed::DEV_APPLICANT_PHONE).await;

    let (status, first) = renew(&ca, &owner, &current).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["status"], "draft");
    assert_eq!(first["renews"]["serial"], seeded.current_serial.as_str());
    assert_eq!(first["renews"]["owner"], "Иванов Иван Иванович");
    assert!(first["renews"]["not_after"].as_i64().unwrap() > 0);
    assert_eq!(first["requisites"]["snils"], "112-233-445 95", "pre-filled");
    let (_, again) = renew(&ca, &owner, &current).await;
    assert_eq!(
        again["id"], first["id"],
        "the renewal under way, not a second one"
    );

    // A certificate this CA did not issue (its own root stands in for another CA's): a new
    // application, for a new certificate.
    let root = ca.state.applications.authority().root_der().to_vec();
    let (status, other) = renew(&ca, &owner, &root).await;
    assert_eq!(status, 200, "{other}");
    assert!(other["renews"].is_null());
    assert_ne!(other["id"], first["id"]);

    // Someone else's certificate; bytes that are not one.
    let stranger = ca.login("+79123456780").await;
    let (status, refused) = renew(&ca, &stranger, &current).await;
    assert_eq!(status, 403, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("другому человеку")
    );
    let (status, refused) = renew(&ca, &stranger, b"not a certificate").await;
    assert_eq!(status, 400, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("Это не сертификат")
    );
    let (status, _) = renew(&ca, "not-a-session", &current).await;
    assert_eq!(status, 401);
}
