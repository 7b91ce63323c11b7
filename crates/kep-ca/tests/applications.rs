//! Applications over real HTTP against a real SQLite file: requisites, the registry check and its
//! three outcomes, documents (types from the bytes, size and count limits, another applicant's
//! ids), polling with ETag/304, and the editing rules.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

mod common;

use common::start;
use kep_ca::registry::RegistryVerdict;
use serde_json::{Value, json};

fn requisites() -> Value {
    json!({
        "surname": "Иванов", "given_name": "Иван", "patronymic": "Иванович",
        "birth_date": "15.03.1985", "passport_series": "45 06", "passport_number": "123456",
        "passport_issue_date": "01.04.2005", "passport_issuer": "ОВД района Тверской г. Москвы",
        "passport_division_code": "772-001", "snils": "112-233-445 95", "inn": "500100732259",
        "email": "ivanov@example.ru", "phone": "+79123456789", "region_code": "77",
        "region_name": "г. Москва", "locality": "Москва"
    })
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

#[tokio::test]
async fn confirmed_registries_send_the_application_to_review() {
    let ca = start("ca-apps-ok").await;
    let (token, id) = ca.applicant("+79123456789").await;
    let (status, list) = ca
        .call(reqwest::Method::GET, "/api/v1/applications", &token, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(list[0]["status"], "draft");

    let (status, body) = ca
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/applications/{id}/submit"),
            &token,
            None,
        )
        .await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (400, Some("invalid_input")),
        "no requisites yet"
    );

    let mut bad = requisites();
    bad["snils"] = json!("112-233-445 96");
    let (status, body) = ca
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/applications/{id}/requisites"),
            &token,
            Some(bad),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        "Проверьте реквизиты: Неверное контрольное число СНИЛС."
    );

    let (status, body) = ca
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/applications/{id}/requisites"),
            &token,
            Some(requisites()),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["requisites"]["phone"], "+7 912 345-67-89");

    let (status, body) = ca
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/applications/{id}/submit"),
            &token,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "in_review");
    let last = body["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["comment"], "СНИЛС и ИНН подтверждены в госсистемах.");
    // Sent: no more edits, uploads or deletions.
    let (status, _) = ca
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/applications/{id}/requisites"),
            &token,
            Some(requisites()),
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(ca.upload(&token, id, "other", PDF.to_vec()).await.0, 409);
}

#[tokio::test]
async fn silent_or_mismatching_registries_ask_for_documents() {
    let ca = start("ca-apps-docs").await;
    let (token, id) = ca.applicant("+79123456780").await;
    ca.call(
        reqwest::Method::PUT,
        &format!("/api/v1/applications/{id}/requisites"),
        &token,
        Some(requisites()),
    )
    .await;
    ca.registry.answer(RegistryVerdict::Unavailable);
    let (_, body) = ca
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/applications/{id}/submit"),
            &token,
            None,
        )
        .await;
    assert_eq!(body["status"], "documents_required");
    assert!(
        body["timeline"].as_array().unwrap().last().unwrap()["comment"]
            .as_str()
            .unwrap()
            .contains("ФНС и СФР не ответили")
    );

    let (status, doc) = ca.upload(&token, id, "passport_main", PDF.to_vec()).await;
    assert_eq!(status, 201, "{doc}");
    assert_eq!(doc["media_type"], "application/pdf");
    let (status, _) = ca.upload(&token, id, "snils", PNG.to_vec()).await;
    assert_eq!(status, 201);
    ca.registry.answer(RegistryVerdict::Mismatch);
    let (_, body) = ca
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/applications/{id}/submit"),
            &token,
            None,
        )
        .await;
    assert_eq!(body["status"], "in_review", "the scans carry it to review");

    let ca = start("ca-apps-mismatch").await;
    let (token, id) = ca.applicant("+79123456781").await;
    ca.call(
        reqwest::Method::PUT,
        &format!("/api/v1/applications/{id}/requisites"),
        &token,
        Some(requisites()),
    )
    .await;
    ca.registry.answer(RegistryVerdict::Mismatch);
    let (_, body) = ca
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/applications/{id}/submit"),
            &token,
            None,
        )
        .await;
    assert_eq!(body["status"], "documents_required");
    assert!(
        body["timeline"].as_array().unwrap().last().unwrap()["comment"]
            .as_str()
            .unwrap()
            .contains("не совпали")
    );
}

#[tokio::test]
async fn documents_are_checked_and_private() {
    let ca = start("ca-apps-files").await;
    let (token, id) = ca.applicant("+79123456782").await;
    let (other_token, other_id) = ca.applicant("+79123456783").await;

    // Types come from the bytes, not the name.
    let (status, body) = ca
        .upload(
            &token,
            id,
            "passport_main",
            b"MZ\x90\x00 not a scan".to_vec(),
        )
        .await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (400, Some("invalid_input"))
    );
    assert_eq!(body["message"], "Можно загрузить только PDF, JPEG или PNG.");
    let (status, _) = ca.upload(&token, id, "no_such_kind", PDF.to_vec()).await;
    assert_eq!(status, 400);
    // Oversize: 10 MiB + 1 byte.
    let mut big = PDF.to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let (status, body) = ca.upload(&token, id, "other", big).await;
    assert_eq!((status, body["kind"].as_str()), (413, Some("too_large")));

    let (_, doc) = ca.upload(&token, id, "passport_main", PDF.to_vec()).await;
    let doc_id = doc["id"].as_i64().unwrap();
    let r = ca
        .http
        .get(format!(
            "{}/api/v1/applications/{id}/documents/{doc_id}",
            ca.base
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);

    // Another applicant sees nothing of it: 404, as for an id that does not exist.
    let (status, _) = ca
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/applications/{id}"),
            &other_token,
            None,
        )
        .await;
    assert_eq!(status, 404);
    let r = ca
        .http
        .get(format!(
            "{}/api/v1/applications/{id}/documents/{doc_id}",
            ca.base
        ))
        .bearer_auth(&other_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(
        ca.upload(&other_token, id, "other", PDF.to_vec()).await.0,
        404
    );
    let (status, _) = ca
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/applications/{id}/documents/{doc_id}"),
            &other_token,
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = ca
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/applications/{other_id}/documents/{doc_id}"),
            &other_token,
            None,
        )
        .await;
    assert_eq!(status, 404, "a document id of another application");
    // Path traversal cannot even be expressed: ids are integers.
    let r = ca
        .http
        .get(format!(
            "{}/api/v1/applications/{id}/documents/..%2F..%2Fca.sqlite",
            ca.base
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // No token, no access.
    assert_eq!(
        ca.http
            .get(format!("{}/api/v1/applications", ca.base))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    // The owner deletes it.
    let (status, _) = ca
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/applications/{id}/documents/{doc_id}"),
            &token,
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = ca
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/applications/{id}/documents/{doc_id}"),
            &token,
            None,
        )
        .await;
    assert_eq!(status, 404);

    // At most 20 documents.
    for _ in 0..20 {
        assert_eq!(ca.upload(&token, id, "other", PNG.to_vec()).await.0, 201);
    }
    let (status, body) = ca.upload(&token, id, "other", PNG.to_vec()).await;
    assert_eq!((status, body["kind"].as_str()), (409, Some("conflict")));
}

#[tokio::test]
async fn polling_uses_etags() {
    let ca = start("ca-apps-etag").await;
    let (token, id) = ca.applicant("+79123456784").await;
    let url = format!("{}/api/v1/applications/{id}", ca.base);
    let first = ca.http.get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(first.status(), 200);
    let tag = first.headers()["etag"].to_str().unwrap().to_owned();
    let again = ca
        .http
        .get(&url)
        .bearer_auth(&token)
        .header("If-None-Match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    ca.upload(&token, id, "other", PDF.to_vec()).await;
    let changed = ca
        .http
        .get(&url)
        .bearer_auth(&token)
        .header("If-None-Match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200, "a stale ETag gets the new state");
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), tag);
}

#[tokio::test]
async fn a_new_renewal_starts_from_the_last_requisites() {
    let ca = start("ca-apps-prefill").await;
    let (token, id) = ca.applicant("+79123456789").await;
    let (status, _) = ca
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/applications/{id}/requisites"),
            &token,
            Some(requisites()),
        )
        .await;
    assert_eq!(status, 200);
    let next = ca.open_renewal_for(&token, "operator:1").await;
    let (_, view) = ca
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/applications/{next}"),
            &token,
            None,
        )
        .await;
    assert_eq!(view["status"], "draft");
    assert_eq!(view["requisites"]["snils"], "112-233-445 95");
    // Someone else's new application starts empty.
    let (other, other_id) = ca.applicant("+79123450000").await;
    let (_, view) = ca
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/applications/{other_id}"),
            &other,
            None,
        )
        .await;
    assert!(view["requisites"].is_null());
}

#[tokio::test]
async fn the_timeline_says_which_registry_refused_or_kept_silent() {
    use RegistryVerdict::{Confirmed, Mismatch, Unavailable};
    use kep_ca::registry::RegistryAnswer;
    let ca = start("ca-apps-registries").await;
    for (n, (snils, inn, reason)) in [
        (Confirmed, Mismatch, kep_ca::messages_ru::INN_MISMATCH),
        (Mismatch, Confirmed, kep_ca::messages_ru::SNILS_MISMATCH),
        (Mismatch, Unavailable, kep_ca::messages_ru::SNILS_MISMATCH),
        (Unavailable, Confirmed, kep_ca::messages_ru::SFR_SILENT),
        (Confirmed, Unavailable, kep_ca::messages_ru::FNS_SILENT),
    ]
    .into_iter()
    .enumerate()
    {
        let (token, id) = ca.applicant(&format!("+7912345679{n}")).await;
        ca.call(
            reqwest::Method::PUT,
            &format!("/api/v1/applications/{id}/requisites"),
            &token,
            Some(requisites()),
        )
        .await;
        ca.registry.answer_each(RegistryAnswer { snils, inn });
        let body = ca.submit(&token, id).await;
        assert_eq!(body["status"], "documents_required", "{snils:?}/{inn:?}");
        assert_eq!(
            body["timeline"].as_array().unwrap().last().unwrap()["comment"],
            reason,
            "{snils:?}/{inn:?}"
        );
    }
}
