//! A real kep-ca on a loopback port (SQLite file in a scratch folder, quiet dev telephony, system
//! clock) for the client's tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kep_system_tests::tools::Scratch;
use std::net::SocketAddr;
use std::sync::Arc;

pub struct Ca {
    pub scratch: Scratch,
    /// `http://127.0.0.1:PORT/`.
    pub base: String,
    pub calls: Arc<kep_ca::telephony::DevTelephony>,
    pub registry: Arc<kep_ca::registry::DevRegistry>,
    /// The CA's clock (starts at the real time; tests move it past rate limits).
    pub clock: Arc<kep_ca::clock::ManualClock>,
    pub state: kep_ca::api::AppState,
}

pub async fn start_ca(tag: &str) -> Ca {
    let scratch = Scratch::new(tag);
    let calls = Arc::new(kep_ca::telephony::DevTelephony::quiet());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut config =
        kep_ca::ServiceConfig::development(scratch.path("ca"), format!("http://{addr}"));
    config.telephony = calls.clone();
    let clock = Arc::new(kep_ca::clock::ManualClock::new(std::time::SystemTime::now()));
    config.clock = clock.clone();
    let registry = Arc::new(kep_ca::registry::DevRegistry::default());
    config.registry = registry.clone();
    config.scrypt_log_n = 10;
    let state = kep_ca::service(config).unwrap();
    let router = kep_ca::api::router(state.clone());
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    Ca {
        scratch,
        base: format!("http://{addr}/"),
        calls,
        registry,
        clock,
        state,
    }
}

impl Ca {
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
            .open_renewal(who, "system")
            .await
            .unwrap()
    }
}
