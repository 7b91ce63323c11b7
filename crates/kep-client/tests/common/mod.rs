//! A real kep-ca on a loopback port (SQLite file in a scratch folder, quiet dev telephony, system
//! clock) for the client's tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kep_system_tests::tools::Scratch;
use std::sync::Arc;

pub struct Ca {
    pub scratch: Scratch,
    /// `https://127.0.0.1:PORT/`.
    pub base: String,
    /// The CA's TLS certificate and its test root.
    pub tls: kep_system_tests::tls::TestTls,
    pub calls: Arc<kep_ca::telephony::DevTelephony>,
    pub registry: Arc<kep_ca::registry::DevRegistry>,
    /// The CA's clock (starts at the real time; tests move it past rate limits).
    pub clock: Arc<kep_ca::clock::ManualClock>,
    pub state: kep_ca::api::AppState,
}

pub async fn start_ca(tag: &str) -> Ca {
    start_ca_with(tag, |_| {}).await
}

/// A CA whose configuration `adjust` may change before it starts.
pub async fn start_ca_with(tag: &str, adjust: impl FnOnce(&mut kep_ca::ServiceConfig)) -> Ca {
    let scratch = Scratch::new(tag);
    let calls = Arc::new(kep_ca::telephony::DevTelephony::quiet());
    // Certificates name their OCSP responder and CRL under the service's own address.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let public_url = format!(
        "https://127.0.0.1:{}",
        listener.local_addr().unwrap().port()
    );
    let mut config = kep_ca::ServiceConfig::development(scratch.path("ca"), public_url);
    config.telephony = calls.clone();
    let clock = Arc::new(kep_ca::clock::ManualClock::new(std::time::SystemTime::now()));
    config.clock = clock.clone();
    let registry = Arc::new(kep_ca::registry::DevRegistry::default());
    config.registry = registry.clone();
    config.keys = kep_ca::ca_keys::CaKeys::dev_files(10);
    adjust(&mut config);
    let state = kep_ca::service(config).await.unwrap();
    // Over HTTPS, as a CA serves it: the service's own TLS listener with a test certificate.
    let tls = kep_system_tests::tls::test_tls(&scratch.path("tls"), "ca");
    let addr = kep_ca::api::serve_listener(
        listener,
        state.clone(),
        Some(kep_ca::tls::TlsFiles {
            certificate: tls.chain.clone(),
            key: tls.key.clone(),
        }),
    )
    .unwrap();
    Ca {
        scratch,
        base: format!("https://127.0.0.1:{}/", addr.port()),
        tls,
        calls,
        registry,
        clock,
        state,
    }
}

impl Ca {
    /// The CA's address, trusting its test TLS root.
    pub fn endpoint(&self) -> kep_client::CaEndpoint {
        self.endpoint_at(&self.base)
    }

    /// Another address (a proxy in front of the CA) with the CA's test TLS root.
    pub fn endpoint_at(&self, base: &str) -> kep_client::CaEndpoint {
        kep_client::CaEndpoint::parse(base)
            .unwrap()
            .with_trust_anchors(self.tls.root_pem.as_bytes())
            .unwrap()
    }

    /// The four digits of the last call.
    pub fn last_code(&self) -> String {
        let digits: String = self
            .calls
            .last()
            .unwrap()
            .caller
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        digits[digits.len() - 4..].to_owned()
    }

    /// Opens a renewal application for the applicant with `phone`.
    pub async fn open_application(&self, phone: &str) -> i64 {
        use kep_ca::store::Store;
        let who = self
            .state
            .applications
            .store()
            .applicant_for_phone(phone, 0)
            .await
            .unwrap();
        self.state
            .applications
            .review
            .open_renewal(who, "system")
            .await
            .unwrap()
    }
}

/// Everything the app's log files in `data_dir` hold.
pub fn read_logs(data_dir: &std::path::Path) -> String {
    let mut log = String::new();
    for entry in std::fs::read_dir(kep_client::app_log::folder(data_dir)).unwrap() {
        log.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    log
}

/// Whether `needle` occurs in `text` as a whole word (a PIN or code inside a longer number is not
/// that PIN or code).
pub fn occurs_as_word(text: &str, needle: &str) -> bool {
    let word = |c: char| c.is_alphanumeric();
    text.match_indices(needle).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

/// Feeds the sensor human-like jitter (a wandering pointer at uneven intervals, from `seed`)
/// until its pool is full.
pub fn fill_sensor(renewal: &kep_client::renewal::Renewal, seed: u64) {
    for batch in kep_system_tests::sensor::human_batches(seed) {
        if renewal.sensor_events(&batch).unwrap().full {
            return;
        }
    }
    panic!("the sensor never filled");
}

/// The app's settings (and the renewal they open) in `data`, built for `build_ca`, the
/// organization's file at `admin`, sessions in `vault`, a 2 s health check.
pub fn open_settings(
    data: &std::path::Path,
    build_ca: &str,
    admin: &std::path::Path,
    vault: &Arc<kep_client::session_vault::MemoryVault>,
) -> kep_client::settings::Settings {
    use kep_client::key_places::{KeyPlaces, MemoryPins};
    let places = kep_client::settings::SettingsPlaces {
        data_dir: data.to_path_buf(),
        build_ca_url: build_ca.to_owned(),
        overrides: None,
        admin_config: admin.to_path_buf(),
        version: "0.1.0".into(),
        deadlines: kep_client::action::Deadlines::default(),
        vault: vault.clone(),
        health_budget: std::time::Duration::from_secs(2),
    };
    let keys = Arc::new(KeyPlaces::new(
        data.join("keys"),
        None,
        Arc::new(MemoryPins::default()),
    ));
    kep_client::settings::Settings::open(places, keys)
}
