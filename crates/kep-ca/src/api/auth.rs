//! Login handlers.

use super::AppState;
use super::error::{ApiJson, HttpError};
use crate::messages_ru;
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
pub use kep_protocol::auth::Me;
use kep_protocol::auth::{CodeRequest, CodeRequested, CodeVerification, SessionIssued};
use kep_protocol::{ApiError, ErrorKind};

/// The bearer token of a request.
/// Whether `path` needs a session (an applicant's or an operator's).
fn needs_session(path: &str) -> bool {
    path.starts_with("/api/v1/applications")
        || path == "/api/v1/me"
        || path == "/api/v1/auth/logout"
        || (path.starts_with("/api/v1/operator/")
            && !matches!(
                path,
                "/api/v1/operator/login"
                    | "/api/v1/operator/totp/enrollment"
                    | "/api/v1/operator/totp/confirmation"
            ))
}

/// A request without a bearer token where one is needed is answered 401 before anything else
/// is looked at (its body, its parameters).
pub async fn require_bearer(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if needs_session(request.uri().path())
        && let Err(refused) = bearer(request.headers())
    {
        return refused.into_response();
    }
    next.run(request).await
}

pub(super) fn bearer(headers: &HeaderMap) -> Result<&str, HttpError> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| HttpError(ApiError::new(ErrorKind::Unauthorized, messages_ru::LOG_IN)))
}

/// Ask for a flash call.
#[utoipa::path(post, path = "/api/v1/auth/code", params(("Idempotency-Key" = Option<String>, Header, description = "Makes the request safe to repeat: the first successful answer is kept and a repeat with the same key (16–100 of A-Z a-z 0-9 - _) gets it instead of acting twice.")), request_body = CodeRequest,
    responses((status = 200, body = CodeRequested), (status = 400, body = ApiError), (status = 429, body = ApiError), (status = 413, body = kep_protocol::ApiError), (status = 409, body = kep_protocol::ApiError)))]
pub async fn request_code(
    State(state): State<AppState>,
    ConnectInfo(super::PeerAddr(client)): ConnectInfo<super::PeerAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<CodeRequest>,
) -> Result<Json<CodeRequested>, HttpError> {
    Ok(Json(
        state
            .login
            .request_code(
                &request.phone,
                &state
                    .clients
                    .client(
                        client.ip(),
                        headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()),
                    )
                    .to_string(),
            )
            .await?,
    ))
}

/// Type the last four digits of the calling number.
#[utoipa::path(post, path = "/api/v1/auth/verify", request_body = CodeVerification,
    responses((status = 200, body = SessionIssued), (status = 400, body = ApiError), (status = 429, body = ApiError), (status = 413, body = kep_protocol::ApiError)))]
pub async fn verify_code(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<CodeVerification>,
) -> Result<Json<SessionIssued>, HttpError> {
    Ok(Json(
        state.login.verify(&request.phone, &request.code).await?,
    ))
}

/// End the session.
#[utoipa::path(post, security(("applicant" = [])), path = "/api/v1/auth/logout", responses((status = 204), (status = 401, body = ApiError)))]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<axum::http::StatusCode, HttpError> {
    let token = bearer(&headers)?;
    state.login.authenticate(token).await?;
    state.login.logout(token).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// The session's owner.
#[utoipa::path(get, security(("applicant" = [])), path = "/api/v1/me", responses((status = 200, body = Me), (status = 401, body = ApiError)))]
pub async fn me(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Me>, HttpError> {
    let applicant_id = state.login.authenticate(bearer(&headers)?).await?;
    Ok(Json(Me { applicant_id }))
}

/// The last call the dev telephony placed (only with `--dev`).
pub async fn last_dev_call(
    State(state): State<AppState>,
) -> Result<Json<crate::telephony::DevCall>, HttpError> {
    state
        .dev_calls
        .as_ref()
        .and_then(|d| d.last())
        .map(Json)
        .ok_or_else(|| {
            HttpError(ApiError::new(
                ErrorKind::NotFound,
                messages_ru::NO_CALLS_YET,
            ))
        })
}
