//! `kep-ca serve --config FILE` as a CA runs it (no `--dev`): TLS with the configured chain, the
//! flash call through the Plusofon adapter and the registry and SMS through the webhooks, all
//! pointed at local stubs of their contracts, e-mail to a real SMTP server (STARTTLS + AUTH), the
//! CA's log free of the applicant's phone and e-mail, no `/dev/*` route, `/healthz`
//! and `/readyz`, a whole renewal through kep-client over HTTPS (paper path: scan, the officer
//! confirms identity), Prometheus metrics on their own listener, the certificate replaced on
//! SIGHUP, SIGTERM draining 20 clients issuing at once without a half-recorded issuance.

// Signals and the built binary: Linux.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod smtp_server;

use kep_client::CaEndpoint;
use kep_client::action::Deadlines;
use kep_client::flow::FlowStep;
use kep_client::key_places::{KeyPlaces, MemoryPins};
use kep_client::renewal::Renewal;
use kep_client::session_vault::MemoryVault;
use kep_protocol::application::{ApplicationStatus, DocumentKind};
use kep_protocol::key::NewKey;
use kep_system_tests::tls::{TestTls, test_tls};
use kep_system_tests::tools::Scratch;
use kep_system_tests::tools::{free_port, free_ports};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

const KEY_PASSWORD: &str = "production test CA key password";
const OPERATOR_PASSWORD: &str = "operator password for the test";
const PHONE: &str = "+79990000042";

#[path = "common/database.rs"]
mod database;
#[path = "common/enrolled_operator.rs"]
mod enrolled_operator;
#[path = "common/stubs.rs"]
mod stubs;

use stubs::start_stubs;

struct Service {
    database: kep_ca::store::DatabaseConfig,
    child: kep_system_tests::tools::KilledOnDrop,
    base: String,
    metrics: String,
    tls: TestTls,
}

/// Prepares a data folder as a CA's key ceremony would (hierarchy, policy, operator accounts),
/// writes the configuration and starts the binary on it.
/// Where the CA's e-mail goes: a port on this machine and the TLS root of its certificate.
struct Mail {
    port: u16,
    tls: TestTls,
}

impl Mail {
    fn new(scratch: &Scratch) -> Self {
        Self {
            port: free_port(),
            tls: test_tls(&scratch.path("smtp-tls"), "smtp"),
        }
    }
}

async fn start_service(scratch: &Scratch, stubs: SocketAddr, ready: usize, mail: &Mail) -> Service {
    let data = scratch.path("data");
    // (The API's and the metrics' ports, distinct.)
    let [port, metrics_port] = free_ports::<2>();
    let public_url = format!("https://127.0.0.1:{port}");
    let db = database::for_data(&data);
    {
        let mut config = kep_ca::ServiceConfig::development(&data, public_url.clone());
        config.database = db.clone();
        config.keys = kep_ca::ca_keys::CaKeys::Files {
            password: zeroize::Zeroizing::new(KEY_PASSWORD.into()),
            scrypt_log_n: 10,
        };
        let state = kep_ca::service(config).await.unwrap();
        for (login, role) in [
            ("reviewer", kep_ca::operators::OperatorRole::Reviewer),
            ("officer", kep_ca::operators::OperatorRole::Officer),
        ] {
            state
                .operators
                .add(login, OPERATOR_PASSWORD, role)
                .await
                .unwrap();
        }
        if ready > 0 {
            kep_ca::dev_seed::ready_for_key(&state, ready, 0)
                .await
                .unwrap();
        }
    }
    let tls = test_tls(&scratch.path("tls"), "first");
    scratch.write("secrets/ca-key-password", format!("{KEY_PASSWORD}\n"));
    scratch.write(
        "secrets/login-code-key",
        "7f3a9c2e4b1d8f6a0c5e7b9d2f4a6c8e1b3d5f7a9c0e2b4d6f8a1c3e5b7d9f0a\n",
    );
    scratch.write("secrets/telephony-token", "telephony bearer token\n");
    scratch.write(
        "secrets/smtp-password",
        format!("{}\n", smtp_server::PASSWORD),
    );
    scratch.write("smtp-root.pem", &mail.tls.root_pem);
    let config = format!(
        r#"
[service]
data = "{data}"
listen = "127.0.0.1:{port}"
public_url = "{public_url}"
grace_period_s = 10

[tls]
certificate = "{chain}"
key = "{key}"

[metrics]
listen = "127.0.0.1:{metrics_port}"

[secrets]
ca_key_password = {{ file = "{secrets}/ca-key-password" }}
login_code_key = {{ file = "{secrets}/login-code-key" }}

{providers}
[email]
host = "127.0.0.1"
port = {smtp_port}
security = "starttls"
user = "ca-mailer"
password = {{ file = "{secrets}/smtp-password" }}
from = "Удостоверяющий центр <noreply@ca.example>"
timeout_s = 5
extra_root = "{smtp_root}"

{database}
"#,
        database = database::section(&db),
        data = data.display(),
        chain = tls.chain.display(),
        key = tls.key.display(),
        secrets = scratch.path("secrets").display(),
        providers = stubs::providers_section(stubs, &scratch.path("secrets")),
        smtp_port = mail.port,
        smtp_root = scratch.path("smtp-root.pem").display(),
    );
    scratch.write("kep-ca.toml", config);
    let child = kep_system_tests::tools::start_until_line(
        Command::new(env!("CARGO_BIN_EXE_kep-ca"))
            .args(["serve", "--config"])
            .arg(scratch.path("kep-ca.toml"))
            .env("KEP_CA_LOG", "info"),
        &scratch.path("kep-ca.log"),
        "listening on https://",
    );
    Service {
        database: db,
        child,
        base: format!("{public_url}/"),
        metrics: format!("http://127.0.0.1:{metrics_port}/metrics"),
        tls,
    }
}

fn trusting(root_pem: &str) -> reqwest::Client {
    let endpoint = CaEndpoint::parse("https://127.0.0.1/")
        .unwrap()
        .with_trust_anchors(root_pem.as_bytes())
        .unwrap();
    kep_client::http::build_http_client_trusting(Duration::from_secs(5), endpoint.extra_roots())
        .unwrap()
}

/// A production configuration asks for TOTP: the operator enrolls at the first sign-in.
async fn operator(http: &reqwest::Client, base: &str, login: &str) -> String {
    enrolled_operator::first_sign_in(http, base, login, OPERATOR_PASSWORD).await
}

async fn as_operator(http: &reqwest::Client, base: &str, token: &str, path: &str, body: Value) {
    let response = http
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
}

#[tokio::test]
async fn a_production_configuration_serves_a_whole_renewal_over_https() {
    let scratch = Scratch::new("ca-production");
    let (stubs_addr, stubs) = start_stubs().await;
    let mail = Mail::new(&scratch);
    let smtp = smtp_server::start_server(&scratch.path("smtp"), &mail.tls, mail.port, false);
    let service = start_service(&scratch, stubs_addr, 0, &mail).await;
    let http = trusting(&service.tls.root_pem);
    let base = service.base.clone();

    // Dev-only means dev-only.
    for path in ["dev/calls/last", "dev/outbox"] {
        let status = http
            .get(format!("{base}{path}"))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 404, "{path}");
    }
    assert_eq!(
        http.get(format!("{base}healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let ready: Value = http
        .get(format!("{base}readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        ready,
        json!({ "database": true, "ca_key": true, "crl": true })
    );
    // Plain HTTP on the TLS port is not answered as HTTP.
    let plain = reqwest::Client::new()
        .get(format!(
            "http://127.0.0.1:{}/healthz",
            base.rsplit(':').next().unwrap().trim_end_matches('/')
        ))
        .timeout(Duration::from_secs(5))
        .send()
        .await;
    assert!(plain.is_err() || !plain.unwrap().status().is_success());

    // The CA opens an application for the applicant; the applicant renews through the app.
    let reviewer = operator(&http, &base, "reviewer").await;
    let opened: Value = http
        .post(format!("{base}api/v1/operator/applications"))
        .bearer_auth(&reviewer)
        .json(&json!({ "phone": PHONE }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = opened.as_i64().unwrap();
    let endpoint = CaEndpoint::parse(&base)
        .unwrap()
        .with_trust_anchors(service.tls.root_pem.as_bytes())
        .unwrap();
    let renewal = Renewal::open_with(
        endpoint,
        &scratch.path("app"),
        Arc::new(MemoryVault::default()),
        Arc::new(KeyPlaces::new(
            scratch.path("app/keys"),
            None,
            Arc::new(MemoryPins::default()),
        )),
        Deadlines::default(),
    )
    .unwrap();
    renewal.request_code(PHONE).await.unwrap();
    let caller = stubs.calls.lock().unwrap().last().unwrap().clone();
    assert_eq!(caller.0, PHONE.trim_start_matches('+'));
    let code: String = caller.1.chars().filter(char::is_ascii_digit).collect();
    let view = renewal
        .verify_code(PHONE, &code[code.len() - 4..])
        .await
        .unwrap();
    assert_eq!(view.applications.len(), 1);
    renewal.choose(id).await.unwrap();
    renewal.start().await.unwrap();
    let mut requisites = kep_ca::dev_seed::dev_requisites();
    requisites.phone = PHONE.into();
    renewal.save_requisites(&requisites).await.unwrap();
    let view = renewal.submit().await.unwrap();
    assert_eq!(
        view.application.unwrap().status,
        ApplicationStatus::InReview
    );
    assert_eq!(
        *stubs.checks.lock().unwrap(),
        1,
        "the registry webhook was asked"
    );
    as_operator(
        &http,
        &base,
        &reviewer,
        &format!("api/v1/operator/applications/{id}/decision"),
        json!({ "decision": "approve" }),
    )
    .await;
    renewal.view().await.unwrap();
    renewal.proceed_to_issuance().await.unwrap();
    renewal
        .upload(
            DocumentKind::SignedStatementScan,
            vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 5],
            Arc::new(|_, _| {}),
        )
        .await
        .unwrap();
    renewal.submit_statement_scan().await.unwrap();
    as_operator(
        &http,
        &base,
        &reviewer,
        &format!("api/v1/operator/applications/{id}/statement-decision"),
        json!({ "decision": "approve" }),
    )
    .await;
    renewal.view().await.unwrap();
    renewal.proceed_to_key().await.unwrap();
    for batch in kep_system_tests::sensor::human_batches(0x51_7c_c1_b7_27_22_0a_95) {
        if renewal.sensor_events(&batch).unwrap().full {
            break;
        }
    }
    let view = renewal
        .create_key_and_request(NewKey::Computer {
            password: "пароль продакшн-теста".into(),
            length: Default::default(),
        })
        .await
        .unwrap();
    assert_eq!(view.step, FlowStep::Identity { application_id: id });
    let officer = operator(&http, &base, "officer").await;
    as_operator(
        &http,
        &base,
        &officer,
        &format!("api/v1/operator/applications/{id}/identity"),
        json!({}),
    )
    .await;
    let view = renewal.view().await.unwrap();
    assert_eq!(view.step, FlowStep::Install { application_id: id });
    let view = renewal.install_certificate(None, false).await.unwrap();
    assert_eq!(
        view.application.unwrap().status,
        ApplicationStatus::Completed
    );
    let texts: Vec<String> = stubs
        .messages
        .lock()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("готов к выпуску")),
        "the notifications webhook was told: {texts:?}"
    );
    // The same news by e-mail, to the address in the requisites (the outbox delivers in the
    // background; give it a moment).
    let mut mails = Vec::new();
    for _ in 0..100 {
        mails = smtp_server::received(&smtp);
        if mails.len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let subjects: Vec<&str> = mails.iter().filter_map(|m| m["subject"].as_str()).collect();
    assert!(
        subjects.contains(&"Ваш сертификат готов к выпуску!")
            && subjects.contains(&"Сертификат выпущен"),
        "{mails:?}"
    );
    assert!(
        mails
            .iter()
            .all(|m| m["rcpt_tos"] == json!(["ivanov@example.ru"]) && m["tls"] == true)
    );
    // The service's log names neither the applicant's phone nor their e-mail.
    let log = std::fs::read_to_string(scratch.path("kep-ca.log")).unwrap();
    assert!(log.contains("answered"), "the log was written");
    for secret in ["79990000042", "ivanov@example.ru"] {
        assert!(!log.contains(secret), "the CA's log holds {secret}");
    }

    // The metrics listener counts what happened.
    let metrics = reqwest::get(&service.metrics)
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("kep_ca_certificates_issued_total 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("route=\"/api/v1/applications/{id}/submit\""),
        "{metrics}"
    );

    // SIGHUP: a new certificate for new connections; the old root no longer fits.
    let second = test_tls(&scratch.path("tls-next"), "second");
    std::fs::copy(&second.chain, &service.tls.chain).unwrap();
    std::fs::copy(&second.key, &service.tls.key).unwrap();
    let pid = service.child.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-HUP", &pid])
            .status()
            .unwrap()
            .success()
    );
    let renewed = trusting(&second.root_pem);
    let mut switched = false;
    for _ in 0..50 {
        if renewed.get(format!("{base}healthz")).send().await.is_ok() {
            switched = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(switched, "the reloaded certificate is served");
    assert!(
        trusting(&service.tls.root_pem)
            .get(format!("{base}healthz"))
            .send()
            .await
            .is_err()
    );
    let logs = std::fs::read_to_string(scratch.path("kep-ca.log")).unwrap();
    assert!(
        logs.contains("\"request_id\""),
        "JSON logs with request ids: {logs}"
    );
    // No calling number (it carries the code), phone, СНИЛС or token in the logs.
    for secret in [
        caller.1.as_str(),
        PHONE,
        "112-233-445 95",
        "telephony bearer token",
    ] {
        assert!(!logs.contains(secret), "«{secret}» in the logs");
    }
}

#[tokio::test]
async fn sigterm_lets_every_issuance_finish_or_leaves_nothing() {
    const CLIENTS: usize = 20;
    let scratch = Scratch::new("ca-sigterm");
    let (stubs_addr, _stubs) = start_stubs().await;
    // No SMTP server listens: the notices of the issued certificates wait in the outbox.
    let mail = Mail::new(&scratch);
    let mut service = start_service(&scratch, stubs_addr, CLIENTS, &mail).await;
    let http = trusting(&service.tls.root_pem);
    let mut sent = Vec::new();
    // (The ready applications are the data folder's first: ids 1…20, sessions load-token-0…19.)
    for i in 0..CLIENTS {
        let id = i as i64 + 1;
        let csr = kep_ca::dev_seed::dev_request().unwrap();
        let http = http.clone();
        let url = format!(
            "{}api/v1/applications/{id}/request?storage=computer",
            service.base
        );
        let token = format!("load-token-{i}");
        sent.push(tokio::spawn(async move {
            http.post(url)
                .bearer_auth(token)
                .header("content-type", "application/pkcs10")
                .body(csr)
                .send()
                .await
                .map(|r| r.status().as_u16())
        }));
    }
    // Stop while they are on their way.
    tokio::time::sleep(Duration::from_millis(30)).await;
    let pid = service.child.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let mut answered = Vec::new();
    for task in sent {
        answered.push(task.await.unwrap());
    }
    let status = service.child.0.wait().unwrap();
    assert!(status.success(), "a clean stop: {status:?}");

    // Every application either has its certificate or is untouched: nothing half-recorded.
    let mut config = kep_ca::ServiceConfig::development(scratch.path("data"), "https://127.0.0.1");
    config.database = service.database.clone();
    config.keys = kep_ca::ca_keys::CaKeys::Files {
        password: zeroize::Zeroizing::new(KEY_PASSWORD.into()),
        scrypt_log_n: 10,
    };
    config.create_if_missing = false;
    let state = kep_ca::service(config).await.unwrap();
    use kep_ca::store::Store;
    let store = state.applications.store();
    let mut issued = 0;
    for id in 1..=CLIENTS as i64 {
        let row = store.application(id).await.unwrap().unwrap();
        let certificate = store.certificate_of(id).await.unwrap();
        let request = store.request_of(id).await.unwrap();
        use kep_protocol::application::ApplicationStatus;
        match row.status {
            ApplicationStatus::Issued => {
                assert!(
                    certificate.is_some(),
                    "application {id}: issued with a certificate"
                );
                issued += 1;
            }
            ApplicationStatus::ReadyForKey => {
                assert!(
                    request.is_none() && certificate.is_none(),
                    "application {id}: untouched"
                );
            }
            other => panic!("application {id} left half-done in {other:?}"),
        }
    }
    let ok = answered.iter().filter(|a| matches!(a, Ok(200))).count();
    println!(
        "SIGTERM with {CLIENTS} clients issuing: {issued} issued, the rest untouched ({answered:?})"
    );
    assert_eq!(
        ok, issued,
        "every 200 is an issued certificate ({answered:?})"
    );
}
