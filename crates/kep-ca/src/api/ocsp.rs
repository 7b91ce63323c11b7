//! `/ocsp`: the OCSP responder over HTTP (RFC 6960 Appendix A): POST with the DER request as
//! the body, or GET with it base64-encoded in the path. Every answer is `200` with an
//! `application/ocsp-response` body — an unreadable or oversize request gets the OCSP status
//! `malformedRequest`, not an HTTP error. A signed answer to a request without a nonce may be
//! cached until its nextUpdate (RFC 5019 §6.2).

use super::AppState;
use crate::applications::OcspAnswer;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use kep_pki::ocsp::MAX_REQUEST_BYTES;
use kep_pki::ocsp::asn1::OcspResponseStatus;

fn http_date(t: std::time::SystemTime) -> Option<HeaderValue> {
    let t = time::OffsetDateTime::from(t);
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    t.format(&format)
        .ok()
        .and_then(|s| HeaderValue::from_str(&s).ok())
}

fn answered(answer: OcspAnswer) -> Response {
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/ocsp-response")],
        answer.der,
    )
        .into_response();
    let headers = response.headers_mut();
    match answer.cacheable {
        Some((produced, until)) => {
            let max_age = until
                .duration_since(produced)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            if let Ok(value) = HeaderValue::from_str(&format!(
                "max-age={max_age}, public, no-transform, must-revalidate"
            )) {
                headers.insert(header::CACHE_CONTROL, value);
            }
            if let Some(value) = http_date(produced) {
                headers.insert(header::LAST_MODIFIED, value);
            }
            if let Some(value) = http_date(until) {
                headers.insert(header::EXPIRES, value);
            }
        }
        None => {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    }
    response
}

fn malformed() -> Response {
    answered(OcspAnswer {
        der: kep_pki::ocsp::refusal(OcspResponseStatus::MalformedRequest),
        cacheable: None,
    })
}

/// POST /ocsp: the DER OCSPRequest as the body.
pub async fn post(State(state): State<AppState>, body: Body) -> Response {
    // Read to one byte past the limit: more is refused as malformed, not with a 413.
    match axum::body::to_bytes(body, MAX_REQUEST_BYTES + 1).await {
        Ok(bytes) => answered(state.applications.ocsp.answer(&bytes).await),
        Err(_) => malformed(),
    }
}

/// GET /ocsp/{request}: the DER OCSPRequest in base64 (URL-encoded) as the path.
pub async fn get(State(state): State<AppState>, Path(encoded): Path<String>) -> Response {
    if encoded.len() > MAX_REQUEST_BYTES * 2 {
        return malformed();
    }
    // Some clients send '+' and '/' as is, some URL-safe; padding may be dropped.
    let normalized: String = encoded
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    match engine.decode(normalized.trim_end_matches('=')) {
        Ok(der) => answered(state.applications.ocsp.answer(&der).await),
        Err(_) => malformed(),
    }
}
