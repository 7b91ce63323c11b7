//! OCSP answers under load: 50 concurrent clients on loopback, each POSTing a request with its
//! own nonce about one issued certificate (so every answer is looked up and signed afresh, as
//! for relying parties that ask with nonces), 10 s, the median of 3 runs. Printed next to
//! kep-gost's raw signing rate measured in the same run (the baseline: each answer is one
//! signature).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may fail loudly

#[path = "common/mod.rs"]
mod common;

use common::raw_sign_rate;
use std::sync::Arc;
use std::time::{Duration, Instant};
use x509_cert::der::Decode;

const CLIENTS: usize = 50;
const DURATION: Duration = Duration::from_secs(10);
const RUNS: usize = 3;

#[tokio::main]
async fn main() {
    kep_ca::tls::install_ring_provider();
    println!(
        "baseline: kep-gost raw signing, one core, CryptoPro-A: {:.0} signatures/s",
        raw_sign_rate()
    );
    let dir = std::env::temp_dir().join(format!("kep-ca-ocsp-bench-{}", std::process::id()));
    let mut config = kep_ca::ServiceConfig::development(&dir, "http://127.0.0.1");
    config.telephony = Arc::new(kep_ca::telephony::DevTelephony::quiet());
    config.keys = kep_ca::ca_keys::CaKeys::dev_files(10);
    let state = kep_ca::service(config).await.unwrap();
    // One issued certificate.
    let ready = kep_ca::dev_seed::ready_for_key(&state, 1, 0).await.unwrap();
    let (token, id) = &ready[0];
    let addr = kep_ca::api::serve_loopback(state.clone(), None)
        .await
        .unwrap();
    let csr = kep_ca::dev_seed::dev_request().unwrap();
    let issued = reqwest::Client::new()
        .post(format!(
            "http://{addr}/api/v1/applications/{id}/request?storage=computer"
        ))
        .bearer_auth(token)
        .body(csr)
        .send()
        .await
        .unwrap();
    assert_eq!(issued.status(), 200);
    let issuing =
        x509_cert::Certificate::from_der(state.applications.authority().issuing_der()).unwrap();
    use kep_ca::store::Store;
    let certificate = state
        .applications
        .store()
        .certificate_of(*id)
        .await
        .unwrap()
        .unwrap();
    let serial = x509_cert::Certificate::from_der(&certificate.der)
        .unwrap()
        .tbs_certificate()
        .serial_number()
        .clone();
    let issuing = Arc::new(issuing);
    let url = format!("http://{addr}/ocsp");
    let mut runs = Vec::new();
    for run in 1..=RUNS {
        let deadline = Instant::now() + DURATION;
        let mut tasks = Vec::new();
        for client in 0..CLIENTS {
            let (issuing, serial, url) = (issuing.clone(), serial.clone(), url.clone());
            tasks.push(tokio::spawn(async move {
                let http = reqwest::Client::new();
                let mut latencies = Vec::new();
                let mut n = 0u64;
                while Instant::now() < deadline {
                    n += 1;
                    let mut nonce = [0u8; 16];
                    nonce[..8].copy_from_slice(&n.to_be_bytes());
                    nonce[8..].copy_from_slice(&(client as u64).to_be_bytes());
                    let request =
                        kep_pki::ocsp::request_for(&issuing, &serial, Some(&nonce)).unwrap();
                    let start = Instant::now();
                    let answer = http
                        .post(&url)
                        .header("content-type", "application/ocsp-request")
                        .body(request)
                        .send()
                        .await
                        .unwrap()
                        .bytes()
                        .await
                        .unwrap();
                    latencies.push(start.elapsed());
                    let (status, _) = kep_pki::ocsp::parse_response(&answer).unwrap();
                    assert_eq!(status, kep_pki::ocsp::asn1::OcspResponseStatus::Successful);
                }
                latencies
            }));
        }
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.unwrap());
        }
        all.sort();
        let pct = |p: f64| all[((all.len() as f64 - 1.0) * p) as usize].as_secs_f64() * 1000.0;
        let rate = all.len() as f64 / DURATION.as_secs_f64();
        println!(
            "  OCSP, {CLIENTS} clients, run {run}: {} answers, {rate:.0}/s, p50 {:.2} ms, p99 {:.2} ms",
            all.len(),
            pct(0.5),
            pct(0.99)
        );
        runs.push((rate, pct(0.5), pct(0.99)));
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (rate, p50, p99) = runs[RUNS / 2];
    println!(
        "OCSP over HTTP, {CLIENTS} clients with nonces, {} s per run, median of {RUNS}: {rate:.0} answers/s, p50 {p50:.2} ms, p99 {p99:.2} ms",
        DURATION.as_secs()
    );
    let _ = std::fs::remove_dir_all(dir);
}
