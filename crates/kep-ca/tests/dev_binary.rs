//! The `kep-ca` binary in `--dev` mode: it creates the CA hierarchy once and keeps it, seeds an
//! applicant (renewal application, current certificate with a key the app's key store opens),
//! an operator and a responsible officer; the printed calling number logs the applicant in.
//! And a service killed in the middle of issuance never issues two certificates.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use kep_pki::ValidateRequisites;
use kep_system_tests::tools::free_port;
use kep_system_tests::tools::{OpenSsl, Scratch, pem};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// A running `kep-ca serve --dev`, killed when dropped (a failing test leaves no server behind).
struct DevCa {
    _child: kep_system_tests::tools::KilledOnDrop,
    base: String,
    banner: String,
}

fn spawn(data: &Path, port: u16, env: &[(&str, &str)]) -> DevCa {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kep-ca"));
    command
        .args(["serve", "--dev", "--data"])
        .arg(data)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        // Throwaway key files: cheap scrypt (the service warns; default is 2^17).
        .env("KEP_CA_SCRYPT_LOG_N", "10")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut banner = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        banner.push_str(&line);
        banner.push('\n');
        if line.contains("/crl/issuing.crl") {
            break;
        }
    }
    // Keep draining so that the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    DevCa {
        _child: kep_system_tests::tools::KilledOnDrop(child),
        base: format!("http://127.0.0.1:{port}"),
        banner,
    }
}

async fn login(http: &reqwest::Client, base: &str) -> String {
    let r = http
        .post(format!("{base}/api/v1/auth/code"))
        .json(&json!({"phone": "+79990000001"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let call: Value = http
        .get(format!("{base}/dev/calls/last"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let digits: String = call["caller"]
        .as_str()
        .unwrap()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let code = &digits[digits.len() - 4..];
    let session: Value = http
        .post(format!("{base}/api/v1/auth/verify"))
        .json(&json!({"phone": "+79990000001", "code": code}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    session["token"].as_str().unwrap().to_owned()
}

async fn json_call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = http.request(method, url).bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let r = req.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn applications(http: &reqwest::Client, base: &str, token: &str) -> Value {
    json_call(
        http,
        reqwest::Method::GET,
        format!("{base}/api/v1/applications"),
        token,
        None,
    )
    .await
    .1
}

async fn get_bytes(http: &reqwest::Client, url: String) -> Vec<u8> {
    http.get(url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

async fn operator(http: &reqwest::Client, base: &str, login: &str) -> String {
    let (status, body) = json_call(
        http,
        reqwest::Method::POST,
        format!("{base}/api/v1/operator/login"),
        "",
        Some(json!({"login": login, "password": kep_ca::dev_seed::DEV_OPERATOR_PASSWORD})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn serve_dev_creates_the_hierarchy_once_and_seeds_a_signable_current_certificate() {
    let scratch = Scratch::new("ca-binary");
    let data = scratch.path("data");
    let ca = spawn(&data, free_port(), &[]);
    assert!(ca.banner.contains("operator `operator`"), "{}", ca.banner);
    assert!(ca.banner.contains("officer `officer`"), "{}", ca.banner);
    let http = kep_client::build_http_client().unwrap();
    let token = login(&http, &ca.base).await;
    let list = applications(&http, &ca.base, &token).await;
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "the seeded renewal application"
    );
    assert_eq!(list[0]["status"], "draft");
    assert_eq!(
        list[0]["requisites"]["snils"], "112-233-445 95",
        "pre-filled"
    );
    for login in ["operator", "officer"] {
        operator(&http, &ca.base, login).await;
    }

    // The current certificate: in the app's key store format, issued by this CA, < 60 days left.
    let key_dir = data.join("dev-applicant");
    let store = kep_token::key_store::ComputerKeyStore::new(&key_dir);
    let signer = store
        .open("current", kep_ca::dev_seed::DEV_APPLICANT_KEY_PASSWORD)
        .unwrap();
    let current = store.certificate("current").unwrap().unwrap();
    let root = get_bytes(&http, format!("{}/ca/root.crt", ca.base)).await;
    let issuing = get_bytes(&http, format!("{}/ca/issuing.crt", ca.base)).await;
    let summary = kep_pki::summary::summarize(
        &current,
        std::slice::from_ref(&root),
        std::slice::from_ref(&issuing),
        std::time::SystemTime::now(),
    )
    .unwrap();
    assert!(summary.qualified, "{summary:?}");
    assert!((1..60).contains(&summary.days_left), "{summary:?}");
    assert_eq!(summary.identification_kind, Some(0));
    assert_eq!(
        kep_pki::signer::KeySigner::public_key_info(&signer),
        x509_cert::der::Encode::to_der(
            <x509_cert::Certificate as x509_cert::der::Decode>::from_der(&current)
                .unwrap()
                .tbs_certificate()
                .subject_public_key_info()
        )
        .unwrap()
        .as_slice()
    );
    let ssl = OpenSsl::new("dev-current");
    ssl.scratch.write("root.pem", pem("CERTIFICATE", &root));
    ssl.scratch
        .write("issuing.pem", pem("CERTIFICATE", &issuing));
    ssl.scratch
        .write("current.pem", pem("CERTIFICATE", &current));
    ssl.run(&[
        "verify",
        "-CAfile",
        "root.pem",
        "-untrusted",
        "issuing.pem",
        "current.pem",
    ]);
    drop(ca);

    // A restart keeps the hierarchy, the seed and the current certificate.
    let ca = spawn(&data, free_port(), &[]);
    let root_again = get_bytes(&http, format!("{}/ca/root.crt", ca.base)).await;
    assert_eq!(root, root_again);
    assert_eq!(store.certificate("current").unwrap().unwrap(), current);
    // The session survives the restart too (a new code would be rate-limited this soon).
    let list = applications(&http, &ca.base, &token).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_service_killed_mid_issuance_finishes_the_same_certificate_once() {
    let scratch = Scratch::new("ca-crash");
    let data = scratch.path("data");
    let port = free_port();
    let ca = spawn(
        &data,
        port,
        &[("KEP_CA_FAILPOINT", "after_request_recorded")],
    );
    let http = kep_client::build_http_client().unwrap();
    let token = login(&http, &ca.base).await;
    let list = applications(&http, &ca.base, &token).await;
    let id = list[0]["id"].as_i64().unwrap();
    let base = ca.base.clone();
    json_call(
        &http,
        reqwest::Method::POST,
        format!("{base}/api/v1/applications/{id}/submit"),
        &token,
        None,
    )
    .await;
    let reviewer = operator(&http, &base, "operator").await;
    let (status, _) = json_call(
        &http,
        reqwest::Method::POST,
        format!("{base}/api/v1/operator/applications/{id}/decision"),
        &reviewer,
        Some(json!({"decision": "approve"})),
    )
    .await;
    assert_eq!(status, 200);
    // Sign the statement with the seeded current КЭП.
    let pdf = http
        .get(format!("{base}/api/v1/applications/{id}/statement"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let store = kep_token::key_store::ComputerKeyStore::new(data.join("dev-applicant"));
    let current_key = store
        .open("current", kep_ca::dev_seed::DEV_APPLICANT_KEY_PASSWORD)
        .unwrap();
    let current = store.certificate("current").unwrap().unwrap();
    let signature = kep_pki::cms_signature::sign_detached(
        &pdf,
        &current_key,
        &current,
        std::time::SystemTime::now(),
    )
    .unwrap();
    let r = http
        .post(format!(
            "{base}/api/v1/applications/{id}/statement/signature"
        ))
        .bearer_auth(&token)
        .body(signature)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // The request: the service records it and dies before signing.
    let key = kep_pki::signer::SoftwareGostSigner::new(
        kep_gost::SigningKey::generate(kep_gost::ParamSet::CryptoProA, &mut kep_pki::OsRng)
            .unwrap(),
    )
    .unwrap();
    let requisites = kep_ca::dev_seed::dev_requisites()
        .validate(time::OffsetDateTime::now_utc().date())
        .unwrap();
    let request = kep_pki::request::build_request(&requisites, &key, None).unwrap();
    let url = format!("{base}/api/v1/applications/{id}/request?storage=computer");
    let lost = http
        .post(&url)
        .bearer_auth(&token)
        .body(request.clone())
        .send()
        .await;
    assert!(lost.is_err(), "the answer is lost with the process");
    drop(ca);

    // Restarted (without the failpoint): the half-done issuance is finished at start-up…
    let ca = spawn(&data, port, &[]);
    assert!(
        ca.banner.contains("finished 1 interrupted issuance"),
        "{}",
        ca.banner
    );
    let (_, view) = json_call(
        &http,
        reqwest::Method::GET,
        format!("{}/api/v1/applications/{id}", ca.base),
        &token,
        None,
    )
    .await;
    assert_eq!(view["status"], "issued");
    let serial = view["certificate"]["serial"].as_str().unwrap().to_owned();
    // …and the client's retry of the identical request gets that same certificate.
    let retry: Value = http
        .post(&url)
        .bearer_auth(&token)
        .body(request)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(retry["certificate"]["serial"], serial.as_str());
    drop(ca);
    // Exactly one certificate for the application in the database.
    let db = rusqlite::Connection::open(data.join("kep-ca.sqlite")).unwrap();
    let n: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM certificates WHERE application_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn migrate_brings_the_schema_up_to_date_and_says_so() {
    let scratch = Scratch::new("ca-migrate");
    let data = scratch.path("data");
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_kep-ca"))
            .args(["migrate", "--dev", "--data"])
            .arg(&data)
            .output()
            .unwrap()
    };
    let known = kep_ca::store::sqlite::SqliteStore::migrations_known();
    // A fresh database, then the same one again: both answer the current version.
    for _ in 0..2 {
        let out = run();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            said.contains(&format!("schema at version {known} of {known}")),
            "{said}"
        );
    }
    // Nonsense after the command is refused with the usage.
    let out = Command::new(env!("CARGO_BIN_EXE_kep-ca"))
        .args(["migrate", "--dev", "extra"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("kep-ca migrate"));
}
