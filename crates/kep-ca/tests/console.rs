//! The operator console over HTTP, as a browser uses it (cookies, forms, redirects), on a CA
//! in service (TOTP required): the reviewer enrolls an authenticator at the first sign-in with
//! the QR page, finds the application in the queue, opens a PNG scan (served as it is) and a
//! PDF scan (drawn on the server: the page image shows the PDF's red where the PDF has it),
//! asks for documents (the applicant sees the comment), approves; rejects a scanned statement
//! with a comment, then approves the corrected one; the responsible officer confirms the
//! identity after the checklist (a reviewer's try is refused with a page saying why). A form
//! without its CSRF token is refused; the cookie is HttpOnly, Secure, SameSite=Strict; every
//! page carries the strict CSP.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "common/console_fixtures.rs"]
mod console_fixtures;

use console_fixtures::{
    RED, near, pixel, red_png, resend_statement_scan, send_statement_scan, status_of, submitted,
};
use kep_ca::operators::{OperatorRole, SignInPolicy};
use kep_ca::store::Store;
use reqwest::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};

const PASSWORD: &str = "a long operator password";
/// A browser on the console: the session cookie, no redirects followed.
struct Browser<'a> {
    ca: &'a common::Ca,
    http: reqwest::Client,
    cookie: Option<String>,
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn location(&self) -> &str {
        self.headers.get(LOCATION).unwrap().to_str().unwrap()
    }
}

impl<'a> Browser<'a> {
    fn new(ca: &'a common::Ca) -> Self {
        Self {
            ca,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookie: None,
        }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Answer {
        let mut request = request.header("sec-fetch-site", "same-origin");
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, cookie);
        }
        let r = request.send().await.unwrap();
        let headers = r.headers().clone();
        if let Some(set) = headers.get(SET_COOKIE) {
            let set = set.to_str().unwrap();
            let pair = set.split(';').next().unwrap().to_owned();
            self.cookie = (!pair.ends_with('=')).then_some(pair);
        }
        Answer {
            status: r.status().as_u16(),
            headers,
            body: r.bytes().await.unwrap().to_vec(),
        }
    }

    async fn get(&mut self, path: &str) -> Answer {
        let request = self.http.get(format!("{}{path}", self.ca.base));
        self.send(request).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let request = self
            .http
            .post(format!("{}{path}", self.ca.base))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_body(form));
        self.send(request).await
    }

    /// Signs in as `login` for the first time: the enrollment page, the QR code, the first code.
    async fn first_sign_in(&mut self, login: &str) -> Answer {
        let page = self
            .post(
                "/operator/sign-in",
                &[("login", login), ("password", PASSWORD), ("totp", "")],
            )
            .await;
        assert_eq!(page.status, 200);
        let text = page.text();
        assert!(
            text.contains("data:image/svg+xml;base64,"),
            "the QR code: {text}"
        );
        let secret = between(&text, "<code class=\"secret\">", "</code>");
        let ticket = between(&text, "name=\"ticket\" value=\"", "\"");
        let secret = kep_ca::totp::secret_from_base32(&secret).unwrap();
        let code =
            kep_ca::totp::code_at(&secret, login, kep_ca::clock::Clock::unix(&*self.ca.clock))
                .unwrap();
        let wrong = self
            .post(
                "/operator/enroll",
                &[("ticket", &ticket), ("code", "000000")],
            )
            .await;
        assert_eq!(wrong.status, 401, "a wrong first code");
        let signed = self
            .post("/operator/enroll", &[("ticket", &ticket), ("code", &code)])
            .await;
        assert_eq!(signed.status, 303, "{}", signed.text());
        assert_eq!(signed.location(), "/operator/");
        signed
    }

    /// The CSRF token the page at `path` carries.
    async fn csrf(&mut self, path: &str) -> String {
        let page = self.get(path).await;
        between(&page.text(), "name=\"csrf\" value=\"", "\"")
    }
}

/// `application/x-www-form-urlencoded`, as a browser sends a form.
fn form_body(fields: &[(&str, &str)]) -> String {
    let encode = |text: &str| {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                b' ' => "+".to_owned(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn between(text: &str, start: &str, end: &str) -> String {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("«{start}» in {text}"))
        + start.len();
    let to = text[from..].find(end).unwrap() + from;
    text[from..to].to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviewers_and_the_officer_work_through_the_console() {
    let ca = common::start_with("ca-console", |c| c.sign_in = SignInPolicy::PRODUCTION).await;
    for (login, role) in [
        ("reviewer", OperatorRole::Reviewer),
        ("officer", OperatorRole::Officer),
    ] {
        ca.state.operators.add(login, PASSWORD, role).await.unwrap();
    }
    let (token, id) = submitted(&ca).await;
    let mut reviewer = Browser::new(&ca);

    // Without a session: to the sign-in page, which carries the strict CSP.
    let answer = reviewer.get("/operator/").await;
    assert_eq!(
        (answer.status, answer.location()),
        (303, "/operator/sign-in")
    );
    let sign_in = reviewer.get("/operator/sign-in").await;
    let csp = sign_in
        .headers
        .get(CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(!sign_in.text().contains("<script>") && !sign_in.text().contains("style="));

    // The first sign-in enrolls the authenticator; the cookie is strict.
    let signed = reviewer.first_sign_in("reviewer").await;
    let cookie = signed.headers.get(SET_COOKIE).unwrap().to_str().unwrap();
    for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/operator"] {
        assert!(cookie.contains(flag), "{cookie}");
    }

    // The queue: the application, its count, its age.
    let queue = reviewer.get("/operator/").await.text();
    assert!(
        queue.contains("На проверке") && queue.contains("Петрова Анна Сергеевна"),
        "{queue}"
    );
    assert!(queue.contains(&format!("/operator/applications/{id}")));
    assert!(
        !queue.contains("Подтверждение личности"),
        "the officer's queue is not a reviewer's"
    );

    // Search: by number, phone (as typed), ФИО in any case, СНИЛС without punctuation.
    for q in [
        id.to_string(),
        "8 916 123-45-67".into(),
        "+79161234567".into(),
        "петрова анна".into(),
        "11223344595".into(),
        "112-233-445 95".into(),
    ] {
        let query = form_body(&[("q", &q)]);
        let found = reviewer
            .get(&format!("/operator/search?{query}"))
            .await
            .text();
        assert!(found.contains("Петрова Анна Сергеевна"), "«{q}»: {found}");
    }
    let none = reviewer
        .get(&format!(
            "/operator/search?{}",
            form_body(&[("q", "Иванов")])
        ))
        .await
        .text();
    assert!(none.contains("Заявок не найдено"), "{none}");

    // The application and its documents.
    let page = reviewer
        .get(&format!("/operator/applications/{id}"))
        .await
        .text();
    assert!(
        page.contains("112-233-445 95") && page.contains("Паспорт, главный разворот"),
        "{page}"
    );
    let view = status_of(&ca, &token, id).await;
    let docs = view["documents"].as_array().unwrap();
    let doc = |kind: &str| {
        docs.iter().find(|d| d["kind"] == kind).unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (png_doc, pdf_doc) = (doc("passport_main"), doc("snils"));
    let base = format!("/operator/applications/{id}/documents");
    let png_page = reviewer.get(&format!("{base}/{png_doc}")).await.text();
    assert!(png_page.contains(&format!("{base}/{png_doc}/file")));
    let file = reviewer.get(&format!("{base}/{png_doc}/file")).await;
    assert_eq!(file.headers.get(CONTENT_TYPE).unwrap(), "image/png");
    assert_eq!(file.body, red_png());
    assert_eq!(pixel(&file.body, 30, 20), RED);
    let pdf_page = reviewer.get(&format!("{base}/{pdf_doc}")).await.text();
    assert!(
        pdf_page.contains(&format!("{base}/{pdf_doc}/pages/1")),
        "{pdf_page}"
    );
    assert!(!pdf_page.contains("/pages/2"));
    let drawn = reviewer.get(&format!("{base}/{pdf_doc}/pages/1")).await;
    assert_eq!(drawn.headers.get(CONTENT_TYPE).unwrap(), "image/png");
    // The page's middle is the PDF's red; its corner is white paper.
    let (w, h) = {
        let decoder = png::Decoder::new(std::io::Cursor::new(drawn.body.as_slice()));
        let info = decoder.read_info().unwrap();
        (info.info().width, info.info().height)
    };
    assert!(w > 500 && h > 700, "{w}×{h}");
    assert!(
        near(pixel(&drawn.body, w / 2, h / 2), RED),
        "{:?}",
        pixel(&drawn.body, w / 2, h / 2)
    );
    assert!(near(pixel(&drawn.body, 5, 5), [255, 255, 255]));
    // The PDF itself never reaches the browser as something to render.
    let raw = reviewer.get(&format!("{base}/{pdf_doc}/file")).await;
    assert!(
        raw.headers
            .get("content-disposition")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(
        reviewer
            .get(&format!("{base}/{pdf_doc}/pages/2"))
            .await
            .status,
        404
    );

    // A form without its CSRF token, or with another session's, is refused.
    let decision = format!("/operator/applications/{id}/decision");
    let refused = reviewer
        .post(&decision, &[("action", "approve"), ("csrf", "")])
        .await;
    assert_eq!(refused.status, 403);
    assert!(refused.text().contains("Форма устарела"));
    assert_eq!(status_of(&ca, &token, id).await["status"], "in_review");

    // A body that is not the console's form gets a page saying so (not the API's JSON).
    let garbled = reviewer
        .post(
            &decision,
            &[("action", "revoke"), ("reason", "no such reason")],
        )
        .await;
    assert_eq!(garbled.status, 400);
    assert!(
        garbled.text().contains("Форма не понята"),
        "{}",
        garbled.text()
    );

    // Ask for documents: the applicant reads the comment.
    let csrf = reviewer.csrf(&format!("/operator/applications/{id}")).await;
    let asked = reviewer
        .post(
            &decision,
            &[
                ("csrf", &csrf),
                ("action", "request_documents"),
                ("comment", "Загрузите скан ИНН."),
            ],
        )
        .await;
    assert_eq!(
        (asked.status, asked.location()),
        (303, format!("/operator/applications/{id}?done=1").as_str())
    );
    let view = status_of(&ca, &token, id).await;
    assert_eq!(view["status"], "documents_required");
    assert!(view["timeline"].to_string().contains("Загрузите скан ИНН."));
    assert_eq!(ca.upload(&token, id, "inn", red_png()).await.0, 201);
    let (status, _) = ca
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/applications/{id}/submit"),
            &token,
            None,
        )
        .await;
    assert_eq!(status, 200);
    // Rejecting needs a comment (the server says so); approving does not.
    let refused = reviewer
        .post(
            &decision,
            &[("csrf", &csrf), ("action", "reject"), ("comment", " ")],
        )
        .await;
    assert_eq!(refused.status, 400);
    let approved = reviewer
        .post(&decision, &[("csrf", &csrf), ("action", "approve")])
        .await;
    assert_eq!(approved.status, 303);
    assert_eq!(status_of(&ca, &token, id).await["status"], "approved");

    // The scanned statement: rejected with a comment, then a corrected one approved.
    let first = send_statement_scan(&ca, &token, id, 1).await;
    let rejected = reviewer
        .post(
            &decision,
            &[
                ("csrf", &csrf),
                ("action", "statement_reject"),
                ("comment", "Нет подписи."),
            ],
        )
        .await;
    assert_eq!(rejected.status, 303, "{}", rejected.text());
    let view = status_of(&ca, &token, id).await;
    assert_eq!(view["status"], "statement_rejected");
    assert!(view["timeline"].to_string().contains("Нет подписи."));
    resend_statement_scan(&ca, &token, id, &first, 2).await;
    // The CA's blank beside the uploaded scan.
    let page = reviewer
        .get(&format!("/operator/applications/{id}"))
        .await
        .text();
    assert!(
        page.contains(&format!("/operator/applications/{id}/statement/pages/1")),
        "{page}"
    );
    assert!(page.contains("Загруженный скан"));
    let blank = reviewer
        .get(&format!("/operator/applications/{id}/statement/pages/1"))
        .await;
    assert_eq!(blank.headers.get(CONTENT_TYPE).unwrap(), "image/png");
    assert!(blank.body.len() > 10_000, "a drawn statement page");
    let approved = reviewer
        .post(
            &decision,
            &[("csrf", &csrf), ("action", "statement_approve")],
        )
        .await;
    assert_eq!(approved.status, 303);
    assert_eq!(status_of(&ca, &token, id).await["status"], "ready_for_key");

    // The request, signed on paper: the responsible officer must see the applicant.
    let csr = kep_ca::dev_seed::dev_request().unwrap();
    let (status, body) = ca
        .post_bytes(
            &format!("/api/v1/applications/{id}/request?storage=computer"),
            &token,
            csr,
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("awaiting_identity")),
        "{body}"
    );
    // A reviewer cannot confirm it: the server refuses, with a page saying who can.
    let refused = reviewer
        .post(&decision, &[("csrf", &csrf), ("action", "identity")])
        .await;
    assert_eq!(refused.status, 403);
    assert!(
        refused.text().contains("ответственный за выпуск"),
        "{}",
        refused.text()
    );
    assert_eq!(
        reviewer
            .get("/operator/?status=awaiting_identity")
            .await
            .status,
        403
    );

    // The officer: their queue, the checklist (all of it), the certificate issued.
    let mut officer = Browser::new(&ca);
    officer.first_sign_in("officer").await;
    let queue = officer.get("/operator/").await.text();
    assert!(
        queue.contains("Подтверждение личности") && queue.contains("Петрова"),
        "{queue}"
    );
    let csrf = officer.csrf(&format!("/operator/applications/{id}")).await;
    let partial = officer
        .post(
            &decision,
            &[
                ("csrf", &csrf),
                ("action", "identity"),
                ("passport_shown", "yes"),
            ],
        )
        .await;
    assert_eq!(partial.status, 400);
    assert_eq!(
        status_of(&ca, &token, id).await["status"],
        "awaiting_identity"
    );
    let confirmed = officer
        .post(
            &decision,
            &[
                ("csrf", &csrf),
                ("action", "identity"),
                ("passport_shown", "yes"),
                ("person_matches", "yes"),
                ("requisites_match", "yes"),
            ],
        )
        .await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());
    assert_eq!(status_of(&ca, &token, id).await["status"], "issued");
    let checklist = ca
        .state
        .applications
        .store()
        .audit_entries(&kep_ca::store::AuditFilter {
            action: Some("identity.checklist".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(checklist.len(), 1);
    assert!(checklist[0].subject.contains(&format!("application:{id}")));

    // The applicant's certificate: the officer cannot revoke it, a reviewer can, with a reason.
    let page = officer
        .get(&format!("/operator/applications/{id}"))
        .await
        .text();
    assert!(page.contains("Сертификаты заявителя") && !page.contains("value=\"revoke\""));
    let serial = status_of(&ca, &token, id).await["certificate"]["serial"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = officer
        .post(
            &decision,
            &[
                ("csrf", &csrf),
                ("action", "revoke"),
                ("serial", &serial),
                ("reason", "key_compromise"),
            ],
        )
        .await;
    assert_eq!(refused.status, 403);
    let csrf_reviewer = reviewer.csrf(&format!("/operator/applications/{id}")).await;
    let revoked = reviewer
        .post(
            &decision,
            &[
                ("csrf", &csrf_reviewer),
                ("action", "revoke"),
                ("serial", &serial),
                ("reason", "key_compromise"),
            ],
        )
        .await;
    assert_eq!(revoked.status, 303, "{}", revoked.text());
    let page = reviewer
        .get(&format!("/operator/applications/{id}"))
        .await
        .text();
    assert!(
        page.contains("отозван") && page.contains("компрометация ключа"),
        "{page}"
    );

    // The audit log, filtered: the checklist and the revocation, with who.
    let audit = reviewer
        .get("/operator/audit?action=identity.checklist")
        .await
        .text();
    assert!(audit.contains(&format!("application:{id}")), "{audit}");
    let audit = reviewer.get("/operator/audit").await.text();
    assert!(
        audit.contains("operator.login") && audit.contains("operator.totp_enrolled"),
        "{audit}"
    );

    // Signing out ends the session on the server, not only the cookie.
    let old_cookie = officer.cookie.clone().unwrap();
    let out = officer.post("/operator/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!((out.status, out.location()), (303, "/operator/sign-in"));
    officer.cookie = Some(old_cookie);
    assert_eq!(officer.get("/operator/").await.status, 303);

    // Half an hour idle ends a session (the service's clock, moved by hand).
    assert_eq!(reviewer.get("/operator/").await.status, 200);
    ca.clock.advance(std::time::Duration::from_secs(29 * 60));
    assert_eq!(
        reviewer.get("/operator/").await.status,
        200,
        "29 minutes idle"
    );
    ca.clock.advance(std::time::Duration::from_secs(31 * 60));
    let idle = reviewer.get("/operator/").await;
    assert_eq!((idle.status, idle.location()), (303, "/operator/sign-in"));
}

/// What the console reads is in the API too (documented in the OpenAPI): search, an
/// application, its documents, the audit log — for either role, never for an applicant.
#[tokio::test]
async fn the_operator_api_reads_what_the_console_shows() {
    let ca = common::start("ca-console-api").await;
    let (token, id) = submitted(&ca).await;
    let reviewer = ca.operator(OperatorRole::Reviewer).await;
    let officer = ca.operator(OperatorRole::Officer).await;
    for who in [&reviewer, &officer] {
        let search = format!("/api/v1/operator/search?{}", form_body(&[("q", "петрова")]));
        let (status, found) = ca.call(reqwest::Method::GET, &search, who, None).await;
        assert_eq!(status, 200, "{found}");
        assert_eq!(found[0]["id"], id);
        let (status, view) = ca
            .call(
                reqwest::Method::GET,
                &format!("/api/v1/operator/applications/{id}"),
                who,
                None,
            )
            .await;
        assert_eq!((status, view["status"].as_str()), (200, Some("in_review")));
        let doc = view["documents"][0]["id"].as_i64().unwrap();
        let (status, bytes) = ca
            .bytes(
                reqwest::Method::GET,
                &format!("/api/v1/operator/applications/{id}/documents/{doc}"),
                Some(who),
                None,
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(bytes, red_png());
        let (status, audit) = ca
            .call(
                reqwest::Method::GET,
                "/api/v1/operator/audit?action=operator.login&limit=5",
                who,
                None,
            )
            .await;
        assert_eq!(status, 200, "{audit}");
        assert!(
            audit
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e["action"] == "operator.login")
        );
    }
    // An applicant's session is worthless here.
    let (status, _) = ca
        .call(
            reqwest::Method::GET,
            "/api/v1/operator/search?q=1",
            &token,
            None,
        )
        .await;
    assert_eq!(status, 401);
}
