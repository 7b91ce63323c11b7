//! The list of accredited CAs the CA checks statement signers against, as it serves it: the
//! app shows and checks against the same list.

use crate::ca::{CaClient, CaError};
use kep_protocol::trust::TrustListView;
use reqwest::{Method, StatusCode};

impl CaClient {
    /// The list in use at the CA (public), or None when it has imported none yet.
    pub async fn accredited_cas(&self) -> Result<Option<TrustListView>, CaError> {
        let response = self
            .send_with(Method::GET, "api/v1/trust/accredited-cas", true, |r| r)
            .await?;
        if response.status() == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        Self::answer(response).await.map(Some)
    }
}
