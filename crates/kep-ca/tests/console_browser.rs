//! The operator console in a real browser — Debian's Chromium, headless, over WebDriver — on a
//! CA in service (TOTP required): the reviewer signs in, enrolls the authenticator from the QR
//! page and signs in with its code; finds the application; opens the PNG and the PDF scan, both
//! drawn (the test reads pixels of the drawn images: the scan's red where it has red, white
//! where it is white); asks for documents (the applicant, through kep-client's CaClient, reads
//! the comment and uploads) and approves; rejects a scanned statement with a comment, then
//! approves it; a reviewer's try to confirm identity gets a page that says why; the officer
//! confirms it after the checklist. A form stripped of its CSRF token is refused; the cookie is
//! HttpOnly, Secure, SameSite=Strict; ten wrong passwords lock an account. Screenshots go to
//! test-results/console/.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/chromium.rs"]
mod chromium;
mod common;
#[path = "common/console_fixtures.rs"]
mod console_fixtures;

use console_fixtures::{
    RED, red_png, resend_statement_scan, send_statement_scan, status_of, submitted,
};
use kep_ca::operators::{OperatorRole, SignInPolicy};
use kep_client::{CaClient, CaEndpoint, Polled};
use kep_protocol::application::{ApplicationStatus, DocumentKind};
use serde_json::json;

const PASSWORD: &str = "a long operator password";

fn shot(name: &str) -> std::path::PathBuf {
    kep_system_tests::repo_root()
        .join("test-results/console")
        .join(format!("{name}.png"))
}

/// The colour at (x, y) of the image `css` as the browser drew it (same origin: the canvas
/// is not tainted).
const PIXEL: &str = "const img = document.querySelector(arguments[0]);
    if (!img || !img.complete || img.naturalWidth === 0) return null;
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext('2d'); g.drawImage(img, 0, 0);
    const x = Math.floor(img.naturalWidth * arguments[1]), y = Math.floor(img.naturalHeight * arguments[2]);
    return Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3));";

async fn drawn_pixel(s: &chromium::Session, css: &str, fx: f64, fy: f64) -> [u8; 3] {
    let quoted = serde_json::to_string(css).unwrap();
    s.wait_for(
        &format!(
            "const i = document.querySelector({quoted}); return !!i && i.complete && i.naturalWidth > 0;"
        ),
        css,
    )
    .await;
    let rgb = s.execute(PIXEL, json!([css, fx, fy])).await;
    let v: Vec<u8> = serde_json::from_value(rgb).unwrap();
    [v[0], v[1], v[2]]
}

fn near(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 12)
}

/// Signs in `login` for the first time: password, the enrollment page, the app's first code.
async fn first_sign_in(ca: &common::Ca, s: &chromium::Session, login: &str, name: &str) {
    s.goto(&format!("{}/operator/", ca.base)).await;
    assert!(s.current_url().await.ends_with("/operator/sign-in"));
    s.type_into("input[name=login]", login).await;
    s.type_into("input[name=password]", PASSWORD).await;
    s.click("button[type=submit]").await;
    s.wait_for(
        "return !!document.querySelector('code.secret');",
        "the enrollment page",
    )
    .await;
    assert!(s.source().await.contains("data:image/svg+xml;base64,"));
    s.wait_for(
        "const i = document.querySelector('p.qr img'); return !!i && i.complete && i.naturalWidth > 0;",
        "the QR code drawn",
    )
    .await;
    s.screenshot(&shot(&format!("{name}-enroll"))).await;
    let secret = s.text("code.secret").await;
    let secret = kep_ca::totp::secret_from_base32(&secret).unwrap();
    let code =
        kep_ca::totp::code_at(&secret, login, kep_ca::clock::Clock::unix(&*ca.clock)).unwrap();
    s.type_into("input[name=code]", &code).await;
    s.click("button[type=submit]").await;
    s.wait_for(
        "return location.pathname === '/operator/';",
        "the queue after sign-in",
    )
    .await;
}

/// Submits the decision `action` on the application page (with `comment`).
async fn decide(s: &chromium::Session, action: &str, comment: Option<&str>) {
    if let Some(comment) = comment {
        s.type_into("textarea[name=comment]", comment).await;
    }
    // (A mark on this page's window: gone once the answer's page has replaced it.)
    s.execute("window.kepBeforeSubmit = true;", json!([])).await;
    s.click(&format!("button[value={action}]")).await;
    s.wait_for(
        "return window.kepBeforeSubmit === undefined && document.readyState === 'complete';",
        "the answer page",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_in_chromium() {
    let ca = common::start_with("ca-console-browser", |c| {
        c.sign_in = SignInPolicy::PRODUCTION;
    })
    .await;
    for (login, role) in [
        ("reviewer", OperatorRole::Reviewer),
        ("officer", OperatorRole::Officer),
        ("careless", OperatorRole::Reviewer),
    ] {
        ca.state.operators.add(login, PASSWORD, role).await.unwrap();
    }
    let (token, id) = submitted(&ca).await;
    let chromium = chromium::Chromium::start("console-chromium");
    let reviewer = chromium.session("reviewer").await;

    first_sign_in(&ca, &reviewer, "reviewer", "1-reviewer").await;
    let cookies = reviewer.cookies().await;
    let cookie = cookies
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "kep_console")
        .unwrap_or_else(|| panic!("{cookies}"));
    assert_eq!(
        (&cookie["httpOnly"], &cookie["secure"], &cookie["sameSite"]),
        (&json!(true), &json!(true), &json!("Strict")),
        "{cookie}"
    );
    assert!(reviewer.source().await.contains("Петрова Анна Сергеевна"));
    reviewer.screenshot(&shot("2-queue")).await;

    // The application, its PNG and its PDF, drawn.
    reviewer
        .click(&format!("a[href='/operator/applications/{id}']"))
        .await;
    reviewer
        .wait_for(
            "return !!document.querySelector('dl.requisites');",
            "the application",
        )
        .await;
    reviewer.screenshot(&shot("3-application")).await;
    let view = status_of(&ca, &token, id).await;
    let docs = view["documents"].as_array().unwrap().clone();
    let doc = |kind: &str| {
        docs.iter().find(|d| d["kind"] == kind).unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    reviewer
        .click(&format!(
            "a[href='/operator/applications/{id}/documents/{}']",
            doc("passport_main")
        ))
        .await;
    let png = "figure.document img";
    assert_eq!(drawn_pixel(&reviewer, png, 0.75, 0.66).await, RED);
    assert_eq!(
        drawn_pixel(&reviewer, png, 0.05, 0.05).await,
        [255, 255, 255]
    );
    reviewer.screenshot(&shot("4-png-scan")).await;
    reviewer
        .goto(&format!(
            "{}/operator/applications/{id}/documents/{}",
            ca.base,
            doc("snils")
        ))
        .await;
    let page = "figure.document img[src$='/pages/1']";
    let middle = drawn_pixel(&reviewer, page, 0.5, 0.5).await;
    assert!(near(middle, RED), "the PDF's red rectangle: {middle:?}");
    let corner = drawn_pixel(&reviewer, page, 0.02, 0.02).await;
    assert!(near(corner, [255, 255, 255]), "white paper: {corner:?}");
    reviewer.screenshot(&shot("5-pdf-scan")).await;

    // A form stripped of its CSRF token is refused.
    let application = format!("{}/operator/applications/{id}", ca.base);
    reviewer.goto(&application).await;
    reviewer
        .execute(
            "document.querySelector('form[action$=decision] input[name=csrf]').remove();",
            json!([]),
        )
        .await;
    decide(&reviewer, "approve", None).await;
    assert!(reviewer.source().await.contains("Форма устарела"));
    assert_eq!(status_of(&ca, &token, id).await["status"], "in_review");

    // Documents asked for; the applicant reads the comment and uploads; approved.
    reviewer.goto(&application).await;
    decide(&reviewer, "request_documents", Some("Загрузите скан ИНН.")).await;
    assert!(reviewer.source().await.contains("Готово"));
    let applicant = CaClient::new(CaEndpoint::parse(&ca.base).unwrap())
        .unwrap()
        .with_token(token.clone());
    let Polled::Changed { value: view, .. } = applicant.application(id, None).await.unwrap() else {
        panic!("no etag was sent")
    };
    assert_eq!(view.status, ApplicationStatus::DocumentsRequired);
    let asked = view.timeline.last().and_then(|t| t.comment.clone());
    assert_eq!(asked.as_deref(), Some("Загрузите скан ИНН."));
    applicant
        .upload(id, DocumentKind::Inn, red_png())
        .await
        .unwrap();
    let sent = applicant.submit(id).await.unwrap();
    assert_eq!(sent.status, ApplicationStatus::InReview);
    reviewer.goto(&application).await;
    decide(&reviewer, "approve", None).await;
    assert_eq!(status_of(&ca, &token, id).await["status"], "approved");

    // The scanned statement: rejected with a comment, then the corrected one approved.
    let first = send_statement_scan(&ca, &token, id, 1).await;
    reviewer.goto(&application).await;
    decide(&reviewer, "statement_reject", Some("Нет подписи.")).await;
    let view = status_of(&ca, &token, id).await;
    assert_eq!(view["status"], "statement_rejected");
    assert!(view["timeline"].to_string().contains("Нет подписи."));
    resend_statement_scan(&ca, &token, id, &first, 2).await;
    reviewer.goto(&application).await;
    decide(&reviewer, "statement_approve", None).await;
    assert_eq!(status_of(&ca, &token, id).await["status"], "ready_for_key");

    // The request, the statement signed on paper: the officer must see the applicant.
    let csr = kep_ca::dev_seed::dev_request().unwrap();
    let (status, _) = ca
        .post_bytes(
            &format!("/api/v1/applications/{id}/request?storage=computer"),
            &token,
            csr,
        )
        .await;
    assert_eq!(status, 200);
    reviewer.goto(&application).await;
    for check in ["passport_shown", "person_matches", "requisites_match"] {
        reviewer.click(&format!("input[name={check}]")).await;
    }
    decide(&reviewer, "identity", None).await;
    let refused = reviewer.source().await;
    assert!(refused.contains("ответственный за выпуск"), "{refused}");
    reviewer.screenshot(&shot("6-reviewer-refused")).await;
    assert_eq!(
        status_of(&ca, &token, id).await["status"],
        "awaiting_identity"
    );

    let officer = chromium.session("officer").await;
    first_sign_in(&ca, &officer, "officer", "7-officer").await;
    assert!(officer.source().await.contains("Подтверждение личности"));
    officer.goto(&application).await;
    for check in ["passport_shown", "person_matches", "requisites_match"] {
        officer.click(&format!("input[name={check}]")).await;
    }
    officer.screenshot(&shot("8-officer-checklist")).await;
    decide(&officer, "identity", None).await;
    assert!(officer.source().await.contains("Готово"));
    assert_eq!(status_of(&ca, &token, id).await["status"], "issued");
    officer.screenshot(&shot("9-issued")).await;

    // Ten wrong passwords lock the account; the page says for how long.
    let careless = chromium.session("careless").await;
    for _ in 0..10 {
        careless
            .goto(&format!("{}/operator/sign-in", ca.base))
            .await;
        careless.type_into("input[name=login]", "careless").await;
        careless
            .type_into("input[name=password]", "not the password")
            .await;
        careless.click("button[type=submit]").await;
        careless
            .wait_for(
                "return !!document.querySelector('.notice.error');",
                "the refusal",
            )
            .await;
    }
    let locked = careless.source().await;
    assert!(
        locked.contains("заблокирована") && locked.contains("15 мин"),
        "{locked}"
    );
    careless.screenshot(&shot("10-locked")).await;

    for s in [reviewer, officer, careless] {
        s.end().await;
    }
}
