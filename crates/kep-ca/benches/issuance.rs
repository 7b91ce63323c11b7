//! Issuance on loopback: applications already at «Готов к выпуску» (statement signed with a КЭП,
//! registries confirmed), each client sending its PKCS#10 request and receiving the issued
//! certificate — request verification, the records (on SQLite, then on PostgreSQL), GOST
//! signature, the application view. On SQLite twice: the issuing key in a file (kep-gost in
//! the process), then on the GOST SoftHSM2 through PKCS#11 (a hierarchy the ceremony's steps
//! make at start).
//! Printed next to the raw signing rates measured in the same run (the baseline: a CA cannot
//! issue faster than it can sign): kep-gost on one core, and the SoftHSM key from 1 and 4
//! threads.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may fail loudly

#[path = "common/mod.rs"]
mod common;

use common::{hsm_hierarchy, raw_sign_rate, signer_rate};
use kep_ca::store::DatabaseConfig;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// (clients, requests per client)
const RUNS: [(usize, usize); 3] = [(1, 100), (8, 50), (32, 20)];

fn requests(count: usize) -> Vec<Vec<u8>> {
    (0..count)
        .map(|_| kep_ca::dev_seed::dev_request().unwrap())
        .collect()
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("kep-ca-issuance-bench-{}", std::process::id()));
    // First: it sets SoftHSM's environment.
    let hsm_keys = hsm_hierarchy(&dir.join("sqlite-hsm"));
    let raw = raw_sign_rate();
    println!("baseline: kep-gost raw signing, one core, CryptoPro-A: {raw:.0} signatures/s");
    if let kep_ca::ca_keys::CaKeys::Hsm(hsm) = &hsm_keys {
        let signer: Arc<dyn kep_pki::signer::KeySigner> = Arc::new(
            kep_token::hsm::HsmSigner::open(hsm.key(&hsm.issuing_key_id), hsm.sessions).unwrap(),
        );
        for threads in [1, 4] {
            let rate = signer_rate(signer.clone(), threads);
            println!(
                "baseline: the issuing key on SoftHSM2 (GOST build, PKCS#11 C_Sign), {threads} thread(s): {rate:.0} signatures/s"
            );
        }
    }

    kep_ca::tls::install_ring_provider();
    let cluster = kep_system_tests::postgres::Cluster::start();
    let file_keys = kep_ca::ca_keys::CaKeys::dev_files(10);
    let engines = [
        (
            "SQLite, key file",
            DatabaseConfig::Sqlite(dir.join("sqlite/kep-ca.sqlite")),
            "sqlite",
            file_keys.clone(),
        ),
        (
            "SQLite, key on SoftHSM",
            DatabaseConfig::Sqlite(dir.join("sqlite-hsm/kep-ca.sqlite")),
            "sqlite-hsm",
            hsm_keys,
        ),
        (
            "PostgreSQL, key file",
            DatabaseConfig::Postgres(kep_ca::store::postgres::PostgresConfig {
                url: cluster.database(),
                password: None,
                pool_size: 16,
                connect_timeout: Duration::from_secs(5),
                tls: kep_ca::store::postgres::PostgresTls::Disabled,
            }),
            "pg",
            file_keys,
        ),
    ];
    for (engine, database, folder, keys) in engines {
        issue_on(engine, database, keys, &dir.join(folder), raw).await;
    }
    drop(cluster);
    let _ = std::fs::remove_dir_all(dir);
}

/// Every run of [`RUNS`] over HTTP and HTTPS on one engine.
async fn issue_on(
    engine: &str,
    database: DatabaseConfig,
    keys: kep_ca::ca_keys::CaKeys,
    dir: &std::path::Path,
    raw: f64,
) {
    let mut config = kep_ca::ServiceConfig::development(dir, "https://127.0.0.1");
    config.telephony = Arc::new(kep_ca::telephony::DevTelephony::quiet());
    config.create_if_missing = matches!(keys, kep_ca::ca_keys::CaKeys::Files { .. });
    config.keys = keys;
    config.database = database;
    let state = kep_ca::service(config).await.unwrap();
    let per_scheme: usize = RUNS.iter().map(|(c, n)| c * n).sum();
    let applications = kep_ca::dev_seed::ready_for_key(&state, 2 * per_scheme, 0)
        .await
        .unwrap();
    let csrs = requests(2 * per_scheme);
    let tls = kep_system_tests::tls::test_tls(&dir.join("tls"), "bench");
    let mut work = applications.into_iter().zip(csrs);
    for scheme in ["http", "https"] {
        let files = (scheme == "https").then(|| kep_ca::tls::TlsFiles {
            certificate: tls.chain.clone(),
            key: tls.key.clone(),
        });
        let addr = kep_ca::api::serve_loopback(state.clone(), files)
            .await
            .unwrap();
        let endpoint =
            kep_client::CaEndpoint::parse(&format!("{scheme}://127.0.0.1:{}/", addr.port()))
                .unwrap()
                .with_trust_anchors(tls.root_pem.as_bytes())
                .unwrap();
        for (clients, per_client) in RUNS {
            let mut tasks = Vec::new();
            let start = Instant::now();
            for _ in 0..clients {
                let jobs: Vec<_> = work.by_ref().take(per_client).collect();
                let endpoint = endpoint.clone();
                tasks.push(tokio::spawn(async move {
                    let http = kep_client::http::build_http_client_trusting(
                        Duration::from_secs(5),
                        endpoint.extra_roots(),
                    )
                    .unwrap();
                    let mut latencies = Vec::new();
                    for ((token, id), csr) in jobs {
                        let url = endpoint
                            .join(&format!(
                                "api/v1/applications/{id}/request?storage=computer"
                            ))
                            .unwrap();
                        let t = Instant::now();
                        let r = http
                            .post(url)
                            .bearer_auth(&token)
                            .body(csr)
                            .send()
                            .await
                            .unwrap();
                        assert_eq!(r.status(), 200);
                        let view: serde_json::Value = r.json().await.unwrap();
                        assert_eq!(view["status"], "issued");
                        latencies.push(t.elapsed());
                    }
                    latencies
                }));
            }
            let mut all: Vec<Duration> = Vec::new();
            for task in tasks {
                all.extend(task.await.unwrap());
            }
            let elapsed = start.elapsed();
            all.sort();
            let pct = |p: f64| all[((all.len() as f64 - 1.0) * p) as usize].as_secs_f64() * 1000.0;
            let rate = all.len() as f64 / elapsed.as_secs_f64();
            println!(
                "issuance on {engine} over {scheme}, {clients:>2} client(s): {} certificates in {:.2} s = {rate:.0}/s ({:.1}% of the raw signing rate); latency p50 {:.2} ms, p99 {:.2} ms",
                all.len(),
                elapsed.as_secs_f64(),
                100.0 * rate / raw,
                pct(0.50),
                pct(0.99),
            );
        }
    }
}
