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
