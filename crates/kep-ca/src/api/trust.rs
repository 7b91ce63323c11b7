//! `GET /api/v1/trust/accredited-cas`: the list of accredited CAs the CA trusts, public like the
//! Ministry's own, so that the app shows and checks against the same list.

use super::AppState;
use super::error::HttpError;
use super::refusals::store_refusal;
use crate::messages_ru;
use axum::Json;
use axum::extract::State;
use kep_protocol::trust::{AccreditedCaView, AccreditedCertificateView, TrustListView};
use kep_protocol::{ApiError, ErrorKind};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn rfc3339(unix: i64) -> String {
    kep_pki::summary::rfc3339(UNIX_EPOCH + Duration::from_secs(u64::try_from(unix).unwrap_or(0)))
}

/// The list in use.
#[utoipa::path(get, path = "/api/v1/trust/accredited-cas",
    responses((status = 200, body = TrustListView), (status = 404, body = ApiError)))]
pub async fn accredited_cas(
    State(state): State<AppState>,
) -> Result<Json<TrustListView>, HttpError> {
    let list = state
        .trust
        .current()
        .await
        .map_err(|e| store_refusal(&e))?
        .ok_or_else(|| ApiError::new(ErrorKind::NotFound, messages_ru::NO_TRUST_LIST))?;
    let now = state
        .applications
        .clock()
        .now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let base64 = |der: &[u8]| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(der)
    };
    Ok(Json(TrustListView {
        version: list.import.version,
        date: rfc3339(list.import.list_date),
        imported_at: rfc3339(list.import.finished_at.unwrap_or(list.import.started_at)),
        sha256: list.import.sha256.clone(),
        cas: list
            .cas
            .iter()
            .map(|ca| AccreditedCaView {
                name: ca.name.clone(),
                inn: ca.inn.clone(),
                ogrn: ca.ogrn.clone(),
                registry_number: ca.registry_number.clone(),
                status: ca
                    .current()
                    .map(|a| a.state.words().to_owned())
                    .unwrap_or_default(),
                status_since: ca.current().map(|a| rfc3339(a.since)),
                accredited: ca.accredited_at(now),
                certificates: ca
                    .keys
                    .iter()
                    .flat_map(|key| {
                        key.certificates.iter().map(|c| AccreditedCertificateView {
                            thumbprint: c.thumbprint.clone(),
                            serial: c.serial.clone(),
                            not_before: rfc3339(c.not_before),
                            not_after: rfc3339(c.not_after),
                            crl_urls: key.crl_urls.clone(),
                            der: base64(&c.der),
                        })
                    })
                    .collect(),
            })
            .collect(),
    }))
}
