//! `/healthz` — the process answers; `/readyz` — it can do its work: the database takes a
//! write, the issuing CA's key signs, and the CRLs it hands out are fresh. A load balancer sends
//! traffic only to ready instances.

use super::AppState;
use crate::store::Store;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
pub use kep_protocol::health::Readiness;

/// Alive.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready to serve (200), or not (503) with what is wrong.
#[utoipa::path(get, path = "/readyz", responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let applications = &state.applications;
    let database = applications.store().ping_writable().await.is_ok();
    let ca_key = applications
        .authority()
        .issuer()
        .signer
        .sign_message(b"kep-ca readiness probe")
        .is_ok();
    // The service's clock: the one the CRLs were signed by.
    let now = crate::clock::Clock::now(state.login.clock());
    let fresh = |der: &[u8]| {
        kep_pki::crl::Crl::parse(der)
            .ok()
            .and_then(|crl| crl.next_update())
            .is_some_and(|next| next > now)
    };
    let crl = fresh(&applications.authority().root_crl())
        && applications
            .revocation
            .issuing_crl()
            .await
            .is_ok_and(|der| fresh(&der));
    let readiness = Readiness {
        database,
        ca_key,
        crl,
    };
    let status = if database && ca_key && crl {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(readiness))
}
