//! Whether an address is a working CA, before the app switches to it: `GET readyz` must answer
//! 200 with kep-ca's readiness report, within a few seconds.

use crate::endpoint::CaEndpoint;
use kep_protocol::health::Readiness;
use std::time::Duration;

/// How long the check may take in all.
pub const CHECK_BUDGET: Duration = Duration::from_secs(8);

/// Why an address is not a CA to switch to.
#[derive(Debug, thiserror::Error)]
pub enum CaHealthError {
    /// No connection (a wrong host or port, no network, a refused TLS certificate).
    #[error("no connection: {0}")]
    Unreachable(String),
    /// The server took longer than the budget.
    #[error("no answer within {budget:?}")]
    Timeout {
        /// The budget.
        budget: Duration,
        /// The deadline's own error.
        #[source]
        elapsed: tokio::time::error::Elapsed,
    },
    /// The server answers, but not as a CA service does.
    #[error("not a CA service: {0}")]
    NotCa(String),
    /// The CA answers but is not ready (its database, key or CRLs).
    #[error("the CA is not ready: {0:?}")]
    NotReady(Readiness),
    /// The HTTP client could not be built.
    #[error("{0}")]
    Setup(String),
}

/// Checks `endpoint` within `budget`.
pub async fn check(endpoint: &CaEndpoint, budget: Duration) -> Result<(), CaHealthError> {
    let http = crate::http::build_http_client_trusting(budget, endpoint.extra_roots())
        .map_err(|e| CaHealthError::Setup(e.to_string()))?;
    let url = endpoint
        .join("readyz")
        .map_err(|e| CaHealthError::Setup(e.to_string()))?;
    let ask = async {
        let response = http.get(url).send().await.map_err(|e| {
            // The whole chain: "error sending request" alone hides a refused certificate.
            CaHealthError::Unreachable(crate::cause::error_chain(&e))
        })?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| CaHealthError::Unreachable(e.to_string()))?;
        let readiness: Readiness = serde_json::from_slice(&body)
            .map_err(|e| CaHealthError::NotCa(format!("HTTP {status}: {e}")))?;
        match status.as_u16() {
            200 => Ok(()),
            503 => Err(CaHealthError::NotReady(readiness)),
            _ => Err(CaHealthError::NotCa(format!("HTTP {status}"))),
        }
    };
    tokio::time::timeout(budget, ask)
        .await
        .map_err(|elapsed| CaHealthError::Timeout { budget, elapsed })?
}
