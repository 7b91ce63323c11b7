//! Status polling under load: 200 concurrent clients on loopback, each with its own session and
//! application, polling `GET /api/v1/applications/{id}` with `If-None-Match` (what the app does
//! while the CA reviews), 10 s per run, the median of 3 runs. Three set-ups in one run: one
//! instance on SQLite, one on PostgreSQL (a throwaway cluster on this machine), two instances on
//! that PostgreSQL with the clients split between them (the load generator shares the cores).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may fail loudly

use kep_ca::store::{DatabaseConfig, Store};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLIENTS: usize = 200;
const DURATION: Duration = Duration::from_secs(10);
const RUNS: usize = 3;

struct Sample {
    requests: usize,
    rate: f64,
    p50_ms: f64,
    p99_ms: f64,
}

async fn service(dir: &std::path::Path, database: DatabaseConfig) -> kep_ca::api::AppState {
    let mut config = kep_ca::ServiceConfig::development(dir, "http://127.0.0.1:0");
    config.telephony = Arc::new(kep_ca::telephony::DevTelephony::quiet());
    config.keys = kep_ca::ca_keys::CaKeys::dev_files(10);
    config.database = database;
    kep_ca::service(config).await.unwrap()
}

/// Sessions and applications straight into the store (the login path has its own limits).
async fn seed(state: &kep_ca::api::AppState) -> Vec<(String, i64)> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let mut clients = Vec::new();
    for i in 0..CLIENTS {
        let store = state.applications.store();
        let applicant = store
            .applicant_for_phone(&format!("+7990{i:07}"), now)
            .await
            .unwrap();
        let id = state
            .applications
            .review
            .open_renewal(applicant, "bench")
            .await
            .unwrap();
        let token = format!("bench-token-{i}");
        store
            .insert_session(kep_ca::login::token_hash(&token), applicant, now)
            .await
            .unwrap();
        clients.push((token, id));
    }
    clients
}

/// One 10-second run; client `i` polls instance `i % addrs.len()`.
async fn poll(addrs: &[SocketAddr], clients: &[(String, i64)]) -> Sample {
    let deadline = Instant::now() + DURATION;
    let mut tasks = Vec::new();
    for (i, (token, id)) in clients.iter().enumerate() {
        let token = token.clone();
        let url = format!("http://{}/api/v1/applications/{id}", addrs[i % addrs.len()]);
        tasks.push(tokio::spawn(async move {
            let http =
                kep_client::http::build_http_client_trusting(Duration::from_secs(5), &[]).unwrap();
            let first = http.get(&url).bearer_auth(&token).send().await.unwrap();
            let etag = first.headers()["etag"].to_str().unwrap().to_owned();
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let start = Instant::now();
                let r = http
                    .get(&url)
                    .bearer_auth(&token)
                    .header("If-None-Match", &etag)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 304);
                latencies.push(start.elapsed());
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
    Sample {
        requests: all.len(),
        rate: all.len() as f64 / DURATION.as_secs_f64(),
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
    }
}

/// The median run (by throughput) of three, with every run printed.
async fn median_of_runs(name: &str, addrs: &[SocketAddr], clients: &[(String, i64)]) -> Sample {
    let mut runs = Vec::new();
    for run in 1..=RUNS {
        let s = poll(addrs, clients).await;
        println!(
            "  {name}, run {run}: {} requests, {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms",
            s.requests, s.rate, s.p50_ms, s.p99_ms
        );
        runs.push(s);
    }
    runs.sort_by(|a, b| a.rate.total_cmp(&b.rate));
    runs.swap_remove(RUNS / 2)
}

#[tokio::main]
async fn main() {
    kep_ca::tls::install_ring_provider();
    let dir = std::env::temp_dir().join(format!("kep-ca-bench-{}", std::process::id()));
    let mut results = Vec::new();

    let sqlite = service(
        &dir.join("sqlite"),
        DatabaseConfig::Sqlite(dir.join("sqlite/kep-ca.sqlite")),
    )
    .await;
    let clients = seed(&sqlite).await;
    let addr = kep_ca::api::serve_loopback(sqlite, None).await.unwrap();
    let name = "one instance, SQLite";
    results.push((name, median_of_runs(name, &[addr], &clients).await));

    let cluster = kep_system_tests::postgres::Cluster::start();
    let url = cluster.database();
    let postgres = |url: String| {
        DatabaseConfig::Postgres(kep_ca::store::postgres::PostgresConfig {
            url,
            password: None,
            pool_size: 16,
            connect_timeout: Duration::from_secs(5),
            tls: kep_ca::store::postgres::PostgresTls::Disabled,
        })
    };
    let first = service(&dir.join("pg"), postgres(url.clone())).await;
    let clients = seed(&first).await;
    let a = kep_ca::api::serve_loopback(first, None).await.unwrap();
    let name = "one instance, PostgreSQL";
    results.push((name, median_of_runs(name, &[a], &clients).await));

    let second = service(&dir.join("pg"), postgres(url)).await;
    let b = kep_ca::api::serve_loopback(second, None).await.unwrap();
    let name = "two instances, PostgreSQL";
    results.push((name, median_of_runs(name, &[a, b], &clients).await));

    println!(
        "\nstatus polling over HTTP, {CLIENTS} clients, {} s per run, median of {RUNS}:",
        DURATION.as_secs()
    );
    println!("| set-up | req/s | p50 | p99 |\n|---|---:|---:|---:|");
    for (name, s) in &results {
        println!(
            "| {name} | {:.0} | {:.2} ms | {:.2} ms |",
            s.rate, s.p50_ms, s.p99_ms
        );
    }
    drop(cluster);
    let _ = std::fs::remove_dir_all(dir);
}
