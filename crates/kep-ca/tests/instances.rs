//! Two `kep-ca serve --config` processes on one PostgreSQL (a throwaway cluster of each test's
//! own), each with its own data folder holding the same CA (as an administrator distributes
//! it), behind a loopback haproxy: a login code asked through one is verified through the
//! other and the session works on both; both racing the same certificate request issue one
//! certificate; an instance killed right after recording a request is finished by the other;
//! a rolling restart of both under 50 polling clients loses no poll; both hand out the same
//! CRL, whose number only grows.

// Signals, the built binary and Debian's haproxy: Linux.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/database.rs"]
mod database;
#[path = "common/enrolled_operator.rs"]
mod enrolled_operator;
#[path = "common/stubs.rs"]
mod stubs;

use kep_ca::store::Store;
use kep_client::{CaClient, CaEndpoint, Polled};
use kep_protocol::application::ApplicationStatus;
use kep_system_tests::postgres::Cluster;
use kep_system_tests::tools::{KilledOnDrop, Scratch, free_ports, start_until_line};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const KEY_PASSWORD: &str = "instances test CA key password";
const PHONE: &str = "+79990000077";
const OPERATOR_PASSWORD: &str = "operator password for the instances test";

/// The database, the stubs, the proxy and the two instances.
struct Farm {
    scratch: Scratch,
    _cluster: Cluster,
    db: kep_ca::store::DatabaseConfig,
    stubs: Arc<stubs::Stubs>,
    proxy_port: u16,
    ports: [u16; 2],
    instances: [Option<KilledOnDrop>; 2],
    _proxy: KilledOnDrop,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl Farm {
    /// The CA made once (hierarchy, policy, `ready` applications at «Готов к выпуску» with
    /// sessions `load-token-0…`), copied into both instances' folders, both started, haproxy
    /// in front.
    async fn start(tag: &str, ready: usize) -> Self {
        kep_ca::tls::install_ring_provider();
        let scratch = Scratch::new(tag);
        let cluster = Cluster::start();
        let db = database::postgres(cluster.database());
        let (stubs_addr, stubs) = stubs::start_stubs().await;
        // (The proxy's and both instances' ports, distinct.)
        let [proxy_port, port_a, port_b] = free_ports::<3>();
        {
            let mut config =
                kep_ca::ServiceConfig::development(scratch.path("made"), "http://127.0.0.1");
            config.database = db.clone();
            config.keys = kep_ca::ca_keys::CaKeys::Files {
                password: zeroize::Zeroizing::new(KEY_PASSWORD.into()),
                scrypt_log_n: 10,
            };
            let state = kep_ca::service(config).await.unwrap();
            state
                .operators
                .add(
                    "reviewer",
                    OPERATOR_PASSWORD,
                    kep_ca::operators::OperatorRole::Reviewer,
                )
                .await
                .unwrap();
            if ready > 0 {
                kep_ca::dev_seed::ready_for_key(&state, ready, 0)
                    .await
                    .unwrap();
            }
        }
        scratch.write("secrets/ca-key-password", format!("{KEY_PASSWORD}\n"));
        scratch.write(
            "secrets/login-code-key",
            "0c5e7b9d2f4a6c8e1b3d5f7a9c0e2b4d6f8a1c3e5b7d9f0a7f3a9c2e4b1d8f6a\n",
        );
        scratch.write("secrets/telephony-token", "telephony bearer token\n");
        let ports = [port_a, port_b];
        for (name, port) in ["a", "b"].iter().zip(ports) {
            copy_dir(
                &scratch.path("made/ca"),
                &scratch.path(&format!("{name}/ca")),
            );
            let config = format!(
                r#"
[service]
data = "{data}"
listen = "127.0.0.1:{port}"
public_url = "http://127.0.0.1:{proxy_port}"
grace_period_s = 5
log_format = "json"

[secrets]
ca_key_password = {{ file = "{secrets}/ca-key-password" }}
login_code_key = {{ file = "{secrets}/login-code-key" }}

{providers}
{database}background_lease_s = 3
"#,
                data = scratch.path(name).display(),
                secrets = scratch.path("secrets").display(),
                providers = stubs::providers_section(stubs_addr, &scratch.path("secrets")),
                database = database::section(&db),
            );
            scratch.write(&format!("{name}.toml"), config);
        }
        scratch.write(
            "haproxy.cfg",
            format!(
                "global
    log stderr format raw local0 warning
defaults
    mode http
    log global
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    retries 3
    option redispatch 1
    retry-on all-retryable-errors
frontend kep
    bind 127.0.0.1:{proxy_port}
    default_backend kep-ca
backend kep-ca
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 300ms fall 1 rise 1
    server a 127.0.0.1:{} check
    server b 127.0.0.1:{} check
",
                ports[0], ports[1]
            ),
        );
        let proxy = Command::new("haproxy")
            .args(["-db", "-f"])
            .arg(scratch.path("haproxy.cfg"))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(scratch.path("haproxy.log")).unwrap())
            .spawn()
            .expect("haproxy is installed (scripts/setup.sh test)");
        let mut farm = Self {
            scratch,
            _cluster: cluster,
            db,
            stubs,
            proxy_port,
            ports,
            instances: [None, None],
            _proxy: KilledOnDrop(proxy),
        };
        farm.launch(0, false);
        farm.launch(1, false);
        farm.wait_for_proxy().await;
        farm
    }

    /// Starts instance `i` (0 = a, 1 = b) and waits until it listens.
    fn launch(&mut self, i: usize, failpoint: bool) {
        let name = ["a", "b"][i];
        let mut command = Command::new(env!("CARGO_BIN_EXE_kep-ca"));
        command
            .args(["serve", "--config"])
            .arg(self.scratch.path(&format!("{name}.toml")))
            .env("KEP_CA_LOG", "info");
        if failpoint {
            command.env("KEP_CA_FAILPOINT", "after_request_recorded");
        } else {
            command.env_remove("KEP_CA_FAILPOINT");
        }
        let log = self.scratch.path(&format!("{name}.log"));
        self.instances[i] = Some(start_until_line(&mut command, &log, "listening on http://"));
    }

    /// SIGTERM to instance `i`, and its clean exit.
    fn stop(&mut self, i: usize) {
        let mut child = self.instances[i].take().expect("running");
        let pid = child.0.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        let status = child.0.wait().unwrap();
        assert!(status.success(), "a clean stop: {status:?}");
    }

    /// Waits until the proxy answers `/readyz` through both instances.
    async fn wait_for_proxy(&self) {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut ready = 0;
        while ready < 4 {
            assert!(Instant::now() < deadline, "haproxy never became ready");
            match http.get(format!("{}readyz", self.proxy())).send().await {
                Ok(r) if r.status() == 200 => ready += 1,
                _ => ready = 0,
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    fn direct(&self, i: usize) -> String {
        format!("http://127.0.0.1:{}/", self.ports[i])
    }

    fn proxy(&self) -> String {
        format!("http://127.0.0.1:{}/", self.proxy_port)
    }

    fn client(base: &str) -> CaClient {
        CaClient::new(CaEndpoint::parse(base).unwrap()).unwrap()
    }

    /// The database, opened in this process (for what the API does not show).
    async fn database(&self) -> kep_ca::store::Database {
        kep_ca::store::Database::open(&self.db).await.unwrap()
    }
}

fn csr() -> Vec<u8> {
    kep_ca::dev_seed::dev_request().unwrap()
}

async fn post_request(base: &str, id: i64, token: &str, csr: Vec<u8>) -> Option<u16> {
    reqwest::Client::new()
        .post(format!(
            "{base}api/v1/applications/{id}/request?storage=computer"
        ))
        .bearer_auth(token)
        .header("content-type", "application/pkcs10")
        .body(csr)
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

#[tokio::test]
async fn a_code_and_a_session_cross_instances() {
    let farm = Farm::start("ca-instances-login", 0).await;
    let a = Farm::client(&farm.direct(0));
    let b = Farm::client(&farm.direct(1));
    a.request_code(PHONE).await.unwrap();
    let pin = farm.stubs.calls.lock().unwrap().last().unwrap().1.clone();
    // The code's keyed hash was made by a with the configuration's key; b checks it.
    let (b, session) = b.verify_code(PHONE, &pin).await.unwrap();
    let token = session.token;
    let opened = b.applications().await.unwrap();
    // The session made on b works on a, and through the proxy (whichever instance answers).
    let a = a.with_token(token.clone());
    assert_eq!(a.applications().await.unwrap().len(), opened.len());
    let proxied = Farm::client(&farm.proxy()).with_token(token);
    for _ in 0..4 {
        assert_eq!(proxied.applications().await.unwrap().len(), opened.len());
    }
}

#[tokio::test]
async fn two_instances_racing_one_request_issue_one_certificate() {
    const APPLICATIONS: usize = 8;
    // Two more for one key sent on both.
    let farm = Farm::start("ca-instances-race", APPLICATIONS + 2).await;
    let mut races = Vec::new();
    for i in 0..APPLICATIONS {
        let id = i as i64 + 1;
        let token = format!("load-token-{i}");
        let request = csr();
        // The identical request sent to both at once.
        for base in [farm.direct(0), farm.direct(1)] {
            let (token, request) = (token.clone(), request.clone());
            races.push(tokio::spawn(async move {
                (id, post_request(&base, id, &token, request).await)
            }));
        }
    }
    let mut answers = Vec::new();
    for race in races {
        answers.push(race.await.unwrap());
    }
    let store = farm.database().await;
    for i in 0..APPLICATIONS {
        let id = i as i64 + 1;
        let statuses: Vec<_> = answers.iter().filter(|(a, _)| *a == id).collect();
        assert!(
            statuses
                .iter()
                .all(|(_, s)| matches!(s, Some(200) | Some(409))),
            "application {id}: {statuses:?}"
        );
        assert!(
            statuses.iter().any(|(_, s)| *s == Some(200)),
            "application {id}: one of them issues"
        );
        let row = store.application(id).await.unwrap().unwrap();
        assert_eq!(row.status, ApplicationStatus::Issued, "application {id}");
        assert!(store.certificate_of(id).await.unwrap().is_some());
    }
    // Exactly one certificate per application, and no key certified twice.
    let certificates: usize = {
        let mut n = 0;
        for i in 0..APPLICATIONS {
            let row = store.application(i as i64 + 1).await.unwrap().unwrap();
            n += store.certificates_of(row.applicant_id).await.unwrap().len();
        }
        n
    };
    assert_eq!(certificates, APPLICATIONS);

    // One key on two applications at once, one through each instance: it is certified once.
    let shared = csr();
    let (a, b) = (farm.direct(0), farm.direct(1));
    let (first, second) = tokio::join!(
        post_request(&a, 9, "load-token-8", shared.clone()),
        post_request(&b, 10, "load-token-9", shared),
    );
    let mut answers = [first, second];
    answers.sort();
    assert_eq!(
        answers,
        [Some(200), Some(409)],
        "one issued, one refused: key reused"
    );
}

#[tokio::test]
async fn an_instance_killed_after_recording_a_request_is_finished_by_the_other() {
    let mut farm = Farm::start("ca-instances-kill", 1).await;
    // a again, armed to abort right after recording a request (as if SIGKILLed there).
    farm.stop(0);
    farm.launch(0, true);
    let answer = post_request(&farm.direct(0), 1, "load-token-0", csr()).await;
    assert_eq!(answer, None, "a died before answering");
    let status = farm.instances[0].as_mut().unwrap().0.wait().unwrap();
    assert!(!status.success(), "a aborted: {status:?}");
    let store = farm.database().await;
    assert_eq!(
        store.application(1).await.unwrap().unwrap().status,
        ApplicationStatus::Issuing,
        "a recorded the request and died"
    );
    // b takes the background lease once a's runs out (3 s here) and finishes the issuance.
    let b = Farm::client(&farm.direct(1)).with_token("load-token-0");
    let started = Instant::now();
    loop {
        if let Polled::Changed { value, .. } = b.application(1, None).await.unwrap()
            && value.status == ApplicationStatus::Issued
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "b finished the issuance within a minute"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    eprintln!("b finished a's issuance after {:?}", started.elapsed());
    let request = store.request_of(1).await.unwrap().unwrap();
    let certificate = store.certificate_of(1).await.unwrap().unwrap();
    assert_eq!(certificate.serial, request.serial, "the serial a chose");
}

#[tokio::test]
async fn a_rolling_restart_under_polling_loses_no_poll() {
    const CLIENTS: usize = 50;
    let mut farm = Farm::start("ca-instances-rolling", CLIENTS).await;
    let stop = Arc::new(AtomicBool::new(false));
    let (polls, failures) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let mut pollers = Vec::new();
    for i in 0..CLIENTS {
        let client = Farm::client(&farm.proxy()).with_token(format!("load-token-{i}"));
        let (stop, polls, failures) = (stop.clone(), polls.clone(), failures.clone());
        pollers.push(tokio::spawn(async move {
            let mut failed = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                match client.application(i as i64 + 1, None).await {
                    Ok(_) => {
                        polls.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => {
                        failures.fetch_add(1, Ordering::Relaxed);
                        failed.push(e.to_string());
                    }
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            failed
        }));
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    for i in 0..2 {
        farm.stop(i);
        farm.launch(i, false);
        farm.wait_for_proxy().await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, Ordering::Relaxed);
    let mut errors = Vec::new();
    for poller in pollers {
        errors.extend(poller.await.unwrap());
    }
    let polls = polls.load(Ordering::Relaxed);
    eprintln!("{polls} polls through the rolling restart");
    assert!(
        polls > CLIENTS * 10,
        "the clients polled throughout: {polls}"
    );
    assert_eq!(
        failures.load(Ordering::Relaxed),
        0,
        "failed polls: {:?}",
        &errors[..errors.len().min(5)]
    );
}

async fn crl(base: &str) -> (Vec<u8>, kep_pki::crl::Crl) {
    let der = reqwest::get(format!("{base}crl/issuing.crl"))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let parsed = kep_pki::crl::Crl::parse(&der).unwrap();
    (der, parsed)
}

#[tokio::test]
async fn both_instances_hand_out_the_same_crl_and_its_number_only_grows() {
    let farm = Farm::start("ca-instances-crl", 1).await;
    let (a, b) = (farm.direct(0), farm.direct(1));
    let (first_a, parsed) = crl(&a).await;
    let (first_b, _) = crl(&b).await;
    assert_eq!(first_a, first_b, "the same CRL from both");
    let before = parsed.number().unwrap();

    assert_eq!(post_request(&a, 1, "load-token-0", csr()).await, Some(200));
    let store = farm.database().await;
    let serial = store.certificate_of(1).await.unwrap().unwrap().serial;
    // Revoked through b, by an operator signed in on a.
    // (Enrolled on a, its authenticator and session hold on b.)
    let token = enrolled_operator::first_sign_in(
        &reqwest::Client::new(),
        &a,
        "reviewer",
        OPERATOR_PASSWORD,
    )
    .await;
    let revoked = reqwest::Client::new()
        .post(format!("{b}api/v1/operator/certificates/{serial}/revoke"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "reason": "key_compromise" }))
        .send()
        .await
        .unwrap();
    assert!(revoked.status().is_success(), "{}", revoked.status());

    // Asked of both at once: one signs, the other hands out the same (or a newer) one.
    let ((after_a, parsed_a), (after_b, parsed_b)) = tokio::join!(crl(&a), crl(&b));
    let listed = kep_pki::crl::SerialNumber::new(&hex(&serial)).unwrap();
    for parsed in [&parsed_a, &parsed_b] {
        assert!(parsed.number().unwrap() > before, "a newer CRL");
        assert!(
            parsed
                .revoked_at(&listed, std::time::SystemTime::now())
                .is_some()
        );
    }
    let (again_a, _) = crl(&a).await;
    let (again_b, _) = crl(&b).await;
    assert_eq!(again_a, again_b, "settled on one CRL");
    assert!(again_a == after_a || again_a == after_b);
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}
