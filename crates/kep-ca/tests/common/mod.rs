//! A kep-ca on a loopback port with a real database (SQLite in a scratch folder, or PostgreSQL:
//! see [`database`]), a hand-moved clock,
//! the quiet dev telephony and the dev registry.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod database;

use kep_ca::clock::ManualClock;
use kep_ca::notifier::DevOutbox;
use kep_ca::registry::DevRegistry;
use kep_ca::telephony::DevTelephony;
use kep_system_tests::tools::Scratch;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

pub struct Ca {
    pub _scratch: Scratch,
    pub base: String,
    pub clock: Arc<ManualClock>,
    pub calls: Arc<DevTelephony>,
    pub registry: Arc<DevRegistry>,
    pub outbox: Arc<DevOutbox>,
    pub state: kep_ca::api::AppState,
    pub http: reqwest::Client,
}

pub async fn start(tag: &str) -> Ca {
    start_with(tag, |_| {}).await
}

/// A CA whose configuration `adjust` may change (the policy, say) before it starts.
pub async fn start_with(tag: &str, adjust: impl FnOnce(&mut kep_ca::ServiceConfig)) -> Ca {
    let scratch = Scratch::new(tag);
    let clock = Arc::new(ManualClock::new(
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000),
    ));
    let calls = Arc::new(DevTelephony::quiet());
    let registry = Arc::new(DevRegistry::default());
    let outbox = Arc::new(DevOutbox::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut config =
        kep_ca::ServiceConfig::development(scratch.path("data"), format!("http://{addr}"));
    config.clock = clock.clone();
    config.telephony = calls.clone();
    config.registry = registry.clone();
    config.notifier = outbox.clone();
    // Throwaway hierarchies: a cheap scrypt (the service's own default is 2^17).
    config.keys = kep_ca::ca_keys::CaKeys::dev_files(10);
    config.database = database::for_data(&scratch.path("data"));
    adjust(&mut config);
    let state = kep_ca::service(config).await.unwrap();
    let served = state.clone();
    tokio::spawn(async move {
        axum::serve(listener, kep_ca::api::make_service(served))
            .await
            .unwrap();
    });
    Ca {
        _scratch: scratch,
        base: format!("http://{addr}"),
        clock,
        calls,
        registry,
        outbox,
        state,
        http: kep_client::build_http_client().unwrap(),
    }
}

impl Ca {
    /// A certificate this CA issued (an application ready for the key, a request sent).
    pub async fn issue_one(&self) -> kep_ca::store::CertificateRow {
        let ready = kep_ca::dev_seed::ready_for_key(&self.state, 1, 0)
            .await
            .unwrap();
        let (token, id) = &ready[0];
        let csr = kep_ca::dev_seed::dev_request().unwrap();
        let (status, body) = self
            .post_bytes(
                &format!("/api/v1/applications/{id}/request?storage=computer"),
                token,
                csr,
            )
            .await;
        assert_eq!(status, 200, "{body}");
        use kep_ca::store::Store;
        self.state
            .applications
            .store()
            .certificate_of(*id)
            .await
            .unwrap()
            .unwrap()
    }

    /// The notifications the dev outbox got, once the service's outbox has delivered what is
    /// due (it delivers in the background; the test does not wait for a sweep).
    pub async fn notices(&self) -> Vec<kep_ca::notifier::OutboxMessage> {
        self.state.outbox.deliver_due().await.unwrap();
        self.outbox.messages()
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn me(&self, token: &str) -> u16 {
        self.http
            .get(format!("{}/api/v1/me", self.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    pub fn last_code(&self) -> String {
        let caller = self.calls.last().expect("a call was placed").caller;
        caller
            .chars()
            .filter(char::is_ascii_digit)
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect()
    }

    pub async fn login(&self, phone: &str) -> String {
        let (status, body) = self
            .post("/api/v1/auth/code", json!({"phone": phone}))
            .await;
        assert_eq!(status, 200, "{body}");
        let code = self.last_code();
        let (status, body) = self
            .post("/api/v1/auth/verify", json!({"phone": phone, "code": code}))
            .await;
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().unwrap().to_owned()
    }
}

impl Ca {
    /// Logs in `phone` and opens a renewal application for it: (token, application id).
    pub async fn applicant(&self, phone: &str) -> (String, i64) {
        let token = self.login(phone).await;
        let id = self.open_renewal_for(&token, "system").await;
        (token, id)
    }

    /// Opens a renewal application (as `actor`) for the applicant whose session `token` is.
    pub async fn open_renewal_for(&self, token: &str, actor: &str) -> i64 {
        let me: Value = self
            .http
            .get(format!("{}/api/v1/me", self.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        self.state
            .applications
            .review
            .open_renewal(me["applicant_id"].as_i64().unwrap(), actor)
            .await
            .unwrap()
    }

    /// Any authenticated JSON call.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Uploads raw bytes as a document.
    pub async fn upload(&self, token: &str, id: i64, kind: &str, bytes: Vec<u8>) -> (u16, Value) {
        let r = self
            .http
            .post(format!(
                "{}/api/v1/applications/{id}/documents?kind={kind}",
                self.base
            ))
            .bearer_auth(token)
            .body(bytes)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}

impl Ca {
    /// An operator session with `role` (the account is made on first use).
    pub async fn operator(&self, role: kep_ca::operators::OperatorRole) -> String {
        // The same accounts the dev seed makes, so either may come first.
        let login = match role {
            kep_ca::operators::OperatorRole::Reviewer => kep_ca::dev_seed::DEV_OPERATOR_LOGIN,
            kep_ca::operators::OperatorRole::Officer => kep_ca::dev_seed::DEV_OFFICER_LOGIN,
        };
        let password = kep_ca::dev_seed::DEV_OPERATOR_PASSWORD;
        let _ = self.state.operators.add(login, password, role).await;
        let (status, body) = self
            .post(
                "/api/v1/operator/login",
                json!({"login": login, "password": password}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().unwrap().to_owned()
    }

    /// A raw-bytes call: (status, body bytes).
    pub async fn bytes(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> (u16, Vec<u8>) {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.body(body);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.bytes().await.unwrap().to_vec())
    }

    /// A raw-bytes POST answered with JSON.
    pub async fn post_bytes(&self, path: &str, token: &str, body: Vec<u8>) -> (u16, Value) {
        let (status, bytes) = self
            .bytes(reqwest::Method::POST, path, Some(token), Some(body))
            .await;
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }
}

impl Ca {
    /// Sends application `id` (POST …/submit): the answer's body.
    pub async fn submit(&self, token: &str, id: i64) -> Value {
        self.call(
            reqwest::Method::POST,
            &format!("/api/v1/applications/{id}/submit"),
            token,
            None,
        )
        .await
        .1
    }

    /// An application of `phone` moved straight to «На проверке», with `requisites` if given
    /// (their e-mail is where e-mail notices go): for the tests of what follows a decision.
    pub async fn in_review(
        &self,
        phone: &str,
        requisites: Option<&kep_protocol::RequisitesInput>,
    ) -> i64 {
        use kep_ca::store::{ApplicationChanges, EventRow, Store};
        let store = self.state.applications.store();
        let now = kep_ca::clock::Clock::unix(&*self.clock);
        let applicant = store.applicant_for_phone(phone, now).await.unwrap();
        let id = self
            .state
            .applications
            .review
            .open_renewal(applicant, "test")
            .await
            .unwrap();
        let changes = ApplicationChanges {
            requisites: requisites.map(|r| serde_json::to_string(r).unwrap()),
            ..ApplicationChanges::default()
        };
        let event = EventRow {
            at: now,
            actor: "test".into(),
            status: kep_protocol::application::ApplicationStatus::InReview,
            comment: None,
        };
        let moved = store
            .transition(
                id,
                vec![kep_protocol::application::ApplicationStatus::Draft],
                kep_protocol::application::ApplicationStatus::InReview,
                changes,
                event,
                now,
            )
            .await
            .unwrap();
        assert!(moved);
        id
    }

    /// Submits the application (the dev registry confirms) and has the operator approve it;
    /// returns the approved view.
    pub async fn submit_and_approve(&self, token: &str, id: i64) -> Value {
        let (status, body) = self
            .call(
                reqwest::Method::POST,
                &format!("/api/v1/applications/{id}/submit"),
                token,
                None,
            )
            .await;
        assert_eq!(
            (status, body["status"].as_str()),
            (200, Some("in_review")),
            "{body}"
        );
        let reviewer = self
            .operator(kep_ca::operators::OperatorRole::Reviewer)
            .await;
        let (status, body) = self
            .call(
                reqwest::Method::POST,
                &format!("/api/v1/operator/applications/{id}/decision"),
                &reviewer,
                Some(json!({"decision": "approve"})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body
    }
}
