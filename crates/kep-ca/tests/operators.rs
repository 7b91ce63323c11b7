//! Operators over real HTTP: login with argon2id passwords, the review queue, approve (the
//! applicant is told «Ваш сертификат готов к выпуску!»), reject with a comment, ask for
//! documents; applicant tokens refused on operator routes and the reverse; the audit log.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

mod common;

use common::{Ca, start};
use serde_json::{Value, json};

async fn submitted(ca: &Ca, phone: &str) -> (String, i64) {
    let (token, id) = ca.applicant(phone).await;
    let requisites = json!({
        "surname": "Петрова", "given_name": "Анна", "patronymic": "", "birth_date": "01.02.1990",
        "passport_series": "4510", "passport_number": "654321", "passport_issue_date": "05.03.2010",
        "passport_issuer": "ОВД Арбат", "passport_division_code": "770-002", "snils": "112-233-445 95",
        "inn": "500100732259", "email": "petrova@example.ru", "phone": phone, "region_code": "77",
        "region_name": "г. Москва", "locality": "Москва"
    });
    let r = ca
        .http
        .put(format!("{}/api/v1/applications/{id}/requisites", ca.base))
        .bearer_auth(&token)
        .json(&requisites)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = ca
        .http
        .post(format!("{}/api/v1/applications/{id}/submit", ca.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    (token, id)
}

async fn operator_token(ca: &Ca) -> String {
    ca.state
        .operators
        .add(
            "ivanova",
            "correct horse battery",
            kep_ca::operators::OperatorRole::Reviewer,
        )
        .await
        .unwrap();
    let (status, body) = ca
        .post(
            "/api/v1/operator/login",
            json!({"login": "ivanova", "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["token"].as_str().unwrap().to_owned()
}

async fn decide(ca: &Ca, token: &str, id: i64, decision: Value) -> (u16, Value) {
    ca.call(
        reqwest::Method::POST,
        &format!("/api/v1/operator/applications/{id}/decision"),
        token,
        Some(decision),
    )
    .await
}

#[tokio::test]
async fn operators_review_and_applicants_are_told() {
    let ca = start("ca-operators").await;
    let (applicant, first) = submitted(&ca, "+79110000001").await;
    let (_, second) = submitted(&ca, "+79110000002").await;
    let (_, third) = submitted(&ca, "+79110000003").await;

    let (status, body) = ca
        .post(
            "/api/v1/operator/login",
            json!({"login": "ivanova", "password": "nope"}),
        )
        .await;
    assert_eq!((status, body["kind"].as_str()), (401, Some("unauthorized")));
    let operator = operator_token(&ca).await;
    let (status, _) = ca
        .post(
            "/api/v1/operator/login",
            json!({"login": "ivanova", "password": "wrong password"}),
        )
        .await;
    assert_eq!(status, 401);

    let queue: Value = ca
        .http
        .get(format!("{}/api/v1/operator/queue", ca.base))
        .bearer_auth(&operator)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<i64> = queue
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![first, second, third]);

    // Tokens do not cross: the applicant's is refused on operator routes and the reverse.
    let r = ca
        .http
        .get(format!("{}/api/v1/operator/queue", ca.base))
        .bearer_auth(&applicant)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let (status, _) = decide(&ca, &applicant, first, json!({"decision": "approve"})).await;
    assert_eq!(status, 401);
    let r = ca
        .http
        .get(format!("{}/api/v1/applications", ca.base))
        .bearer_auth(&operator)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    let (status, body) = decide(&ca, &operator, first, json!({"decision": "approve"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "approved");
    let (status, body) = decide(&ca, &operator, first, json!({"decision": "approve"})).await;
    assert_eq!(
        (status, body["kind"].as_str()),
        (409, Some("conflict")),
        "decided already"
    );

    let (status, _) = decide(
        &ca,
        &operator,
        second,
        json!({"decision": "reject", "comment": " "}),
    )
    .await;
    assert_eq!(status, 400, "a rejection needs a comment");
    let (_, body) = decide(
        &ca,
        &operator,
        second,
        json!({"decision": "reject", "comment": "Фото паспорта нечитаемо"}),
    )
    .await;
    assert_eq!(body["status"], "rejected");
    assert_eq!(
        body["timeline"].as_array().unwrap().last().unwrap()["comment"],
        "Фото паспорта нечитаемо"
    );
    let (_, body) = decide(
        &ca,
        &operator,
        third,
        json!({"decision": "request_documents", "comment": "Скан СНИЛС"}),
    )
    .await;
    assert_eq!(body["status"], "documents_required");

    let messages = ca.notices().await;
    assert_eq!(messages.len(), 3);
    assert_eq!(
        (messages[0].phone.as_str(), messages[0].text.as_str()),
        ("+79110000001", "Ваш сертификат готов к выпуску!")
    );
    assert_eq!(
        messages[1].text,
        "Заявка отклонена: Фото паспорта нечитаемо"
    );
    assert_eq!(messages[2].text, "Для заявки нужны документы: Скан СНИЛС");

    // An operator opens an application for a new applicant, who then sees it.
    let r = ca
        .http
        .post(format!("{}/api/v1/operator/applications", ca.base))
        .bearer_auth(&operator)
        .json(&json!({"phone": "8 911 000 00 09"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let newcomer = ca.login("+79110000009").await;
    let list: Value = ca
        .http
        .get(format!("{}/api/v1/applications", ca.base))
        .bearer_auth(&newcomer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["status"], "draft");

    // Editing after approval sends the application back to review.
    let r = ca
        .http
        .get(format!("{}/api/v1/applications/{first}", ca.base))
        .bearer_auth(&applicant)
        .send()
        .await
        .unwrap();
    let view: Value = r.json().await.unwrap();
    let mut requisites = view["requisites"].clone();
    requisites["email"] = json!("new@example.ru");
    let r = ca
        .http
        .put(format!(
            "{}/api/v1/applications/{first}/requisites",
            ca.base
        ))
        .bearer_auth(&applicant)
        .json(&requisites)
        .send()
        .await
        .unwrap();
    let view: Value = r.json().await.unwrap();
    assert_eq!(view["status"], "in_review");
}
