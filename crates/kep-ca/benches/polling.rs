//! Status polling under load: 200 concurrent clients on loopback, each with its own session and
//! application, polling `GET /api/v1/applications/{id}` with `If-None-Match` (what the app does
//! while the CA reviews). Prints requests per second and p50/p99 latency. Bounded: 10 s.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may fail loudly

use kep_ca::store::Store;
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLIENTS: usize = 200;
const DURATION: Duration = Duration::from_secs(10);

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("kep-ca-bench-{}", std::process::id()));
    let mut config = kep_ca::ServiceConfig::development(&dir, "http://127.0.0.1:0");
    config.telephony = Arc::new(kep_ca::telephony::DevTelephony::quiet());
    config.scrypt_log_n = 10;
    let state = kep_ca::service(config).await.unwrap();
    // Sessions straight into the store: the login path has its own rate limits.
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
    let tls = kep_system_tests::tls::test_tls(&dir.join("tls"), "bench");
    for scheme in ["http", "https"] {
        let files = (scheme == "https").then(|| kep_ca::tls::TlsFiles {
            certificate: tls.chain.clone(),
            key: tls.key.clone(),
        });
        let addr = kep_ca::api::serve_loopback(state.clone(), files)
            .await
            .unwrap();
        poll(scheme, addr, &clients, &tls.root_pem).await;
    }
    let _ = std::fs::remove_dir_all(dir);
}

async fn poll(scheme: &str, addr: std::net::SocketAddr, clients: &[(String, i64)], root: &str) {
    let endpoint = kep_client::CaEndpoint::parse(&format!("{scheme}://127.0.0.1:{}/", addr.port()))
        .unwrap()
        .with_trust_anchors(root.as_bytes())
        .unwrap();
    let deadline = Instant::now() + DURATION;
    let mut tasks = Vec::new();
    for (token, id) in clients {
        let token = token.clone();
        let roots = endpoint.extra_roots().to_vec();
        let url = endpoint.join(&format!("api/v1/applications/{id}")).unwrap();
        tasks.push(tokio::spawn(async move {
            let http = kep_client::http::build_http_client_trusting(Duration::from_secs(5), &roots)
                .unwrap();
            let first = http
                .get(url.clone())
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            let etag = first.headers()["etag"].to_str().unwrap().to_owned();
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let start = Instant::now();
                let r = http
                    .get(url.clone())
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
    let pct = |p: f64| all[((all.len() as f64 - 1.0) * p) as usize];
    println!(
        "status polling over {scheme}, {CLIENTS} clients, {} s: {} requests, {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms",
        DURATION.as_secs(),
        all.len(),
        all.len() as f64 / DURATION.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
    );
}
