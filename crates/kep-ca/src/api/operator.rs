//! Operator handlers: login, the review queue, decisions.

use super::AppState;
use super::auth::bearer;
use super::error::{ApiJson, HttpError};
use crate::applications::{Decision, StatementDecision};
use crate::operators::OperatorRole;
use axum::Json;
use axum::extract::Query;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use kep_protocol::application::{ApplicationStatus, ApplicationView};
use kep_protocol::auth::SessionIssued;
pub use kep_protocol::operator::{OpenApplication, OperatorLogin, Revoke, TotpEnrollment};
pub use kep_protocol::queries::QueueQuery;

async fn operator(state: &AppState, headers: &HeaderMap) -> Result<i64, HttpError> {
    Ok(state
        .operators
        .authenticate_as(bearer(headers)?, OperatorRole::Reviewer)
        .await?)
}

async fn officer(state: &AppState, headers: &HeaderMap) -> Result<i64, HttpError> {
    Ok(state
        .operators
        .authenticate_as(bearer(headers)?, OperatorRole::Officer)
        .await?)
}

/// Operator login: the password and, once the account enrolled an authenticator (every
/// account of a CA in service must), its current TOTP code. 401 for a wrong password or code,
/// 403 when the account is disabled or must enroll first, 429 while it is locked out after 10
/// wrong tries.
#[utoipa::path(post, path = "/api/v1/operator/login", request_body = OperatorLogin,
    responses((status = 200, body = SessionIssued), (status = 401, body = kep_protocol::ApiError), (status = 403, body = kep_protocol::ApiError), (status = 429, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 413, body = kep_protocol::ApiError)))]
pub async fn login(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<OperatorLogin>,
) -> Result<Json<SessionIssued>, HttpError> {
    Ok(Json(
        state
            .operators
            .login(&body.login, &body.password, body.totp.as_deref())
            .await?,
    ))
}

/// Starts enrolling an authenticator app (login and password; `totp` is ignored): the secret to
/// scan or type. A new start replaces an unfinished one; an enrolled account is refused (409).
#[utoipa::path(post, path = "/api/v1/operator/totp/enrollment", request_body = OperatorLogin,
    responses((status = 200, body = TotpEnrollment), (status = 401, body = kep_protocol::ApiError), (status = 403, body = kep_protocol::ApiError), (status = 409, body = kep_protocol::ApiError), (status = 429, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 413, body = kep_protocol::ApiError)))]
pub async fn begin_totp(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<OperatorLogin>,
) -> Result<Json<TotpEnrollment>, HttpError> {
    Ok(Json(
        state
            .operators
            .begin_totp_enrollment(&body.login, &body.password)
            .await?,
    ))
}

/// Ends the enrollment with the app's first code (`totp`) and signs in.
#[utoipa::path(post, path = "/api/v1/operator/totp/confirmation", request_body = OperatorLogin,
    responses((status = 200, body = SessionIssued), (status = 401, body = kep_protocol::ApiError), (status = 403, body = kep_protocol::ApiError), (status = 409, body = kep_protocol::ApiError), (status = 429, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 413, body = kep_protocol::ApiError)))]
pub async fn confirm_totp(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<OperatorLogin>,
) -> Result<Json<SessionIssued>, HttpError> {
    let code = body
        .totp
        .as_deref()
        .ok_or(crate::operators::OperatorError::TotpRequired)?;
    Ok(Json(
        state
            .operators
            .confirm_totp_enrollment(&body.login, &body.password, code)
            .await?,
    ))
}

/// Applications waiting for an operator (or, for `awaiting_identity`, for the responsible
/// officer), oldest first.
#[utoipa::path(get, security(("operator" = [])), path = "/api/v1/operator/queue", params(QueueQuery),
    responses((status = 200, body = Vec<ApplicationView>), (status = 401, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 403, body = kep_protocol::ApiError)))]
pub async fn queue(
    State(state): State<AppState>,
    Query(query): Query<QueueQuery>,
    headers: HeaderMap,
) -> Result<Json<Vec<ApplicationView>>, HttpError> {
    let status = query.status.unwrap_or(ApplicationStatus::InReview);
    if status == ApplicationStatus::AwaitingIdentity {
        officer(&state, &headers).await?;
    } else {
        operator(&state, &headers).await?;
    }
    Ok(Json(state.applications.review.queue(status).await?))
}

/// Approve a scanned statement, or reject it with a comment.
#[utoipa::path(post, security(("operator" = [])), path = "/api/v1/operator/applications/{id}/statement-decision", params(("Idempotency-Key" = Option<String>, Header, description = "Makes the request safe to repeat: the first successful answer is kept and a repeat with the same key (16–100 of A-Z a-z 0-9 - _) gets it instead of acting twice."), ("id" = i64, Path)), request_body = StatementDecision,
    responses((status = 200, body = ApplicationView), (status = 409, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError), (status = 403, body = kep_protocol::ApiError), (status = 404, body = kep_protocol::ApiError), (status = 413, body = kep_protocol::ApiError)))]
pub async fn decide_statement(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    ApiJson(decision): ApiJson<StatementDecision>,
) -> Result<Json<ApplicationView>, HttpError> {
    let who = operator(&state, &headers).await?;
    Ok(Json(
        state
            .applications
            .statements
            .decide(who, id, decision)
            .await?,
    ))
}

/// The responsible officer confirms the applicant's identity in person: issuance starts.
#[utoipa::path(post, security(("operator" = [])), path = "/api/v1/operator/applications/{id}/identity", params(("Idempotency-Key" = Option<String>, Header, description = "Makes the request safe to repeat: the first successful answer is kept and a repeat with the same key (16–100 of A-Z a-z 0-9 - _) gets it instead of acting twice."), ("id" = i64, Path)),
    responses((status = 200, body = ApplicationView), (status = 403, body = kep_protocol::ApiError), (status = 409, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError), (status = 404, body = kep_protocol::ApiError)))]
pub async fn confirm_identity(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Json<ApplicationView>, HttpError> {
    let who = officer(&state, &headers).await?;
    Ok(Json(
        state
            .applications
            .issuance
            .confirm_identity(who, id)
            .await?,
    ))
}

/// Revoke a certificate (it appears on the next CRL).
#[utoipa::path(post, security(("operator" = [])), path = "/api/v1/operator/certificates/{serial}/revoke", params(("Idempotency-Key" = Option<String>, Header, description = "Makes the request safe to repeat: the first successful answer is kept and a repeat with the same key (16–100 of A-Z a-z 0-9 - _) gets it instead of acting twice."), ("serial" = String, Path)), request_body = Revoke,
    responses((status = 204), (status = 404, body = kep_protocol::ApiError), (status = 409, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError), (status = 403, body = kep_protocol::ApiError), (status = 413, body = kep_protocol::ApiError)))]
pub async fn revoke(
    State(state): State<AppState>,
    Path(serial): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Revoke>,
) -> Result<axum::http::StatusCode, HttpError> {
    let who = operator(&state, &headers).await?;
    state
        .applications
        .revocation
        .revoke(who, &serial, body.reason)
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Approve, reject with a comment, or ask for documents.
#[utoipa::path(post, security(("operator" = [])), path = "/api/v1/operator/applications/{id}/decision", params(("Idempotency-Key" = Option<String>, Header, description = "Makes the request safe to repeat: the first successful answer is kept and a repeat with the same key (16–100 of A-Z a-z 0-9 - _) gets it instead of acting twice."), ("id" = i64, Path)), request_body = Decision,
    responses((status = 200, body = ApplicationView), (status = 409, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError), (status = 403, body = kep_protocol::ApiError), (status = 404, body = kep_protocol::ApiError), (status = 413, body = kep_protocol::ApiError)))]
pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    ApiJson(decision): ApiJson<Decision>,
) -> Result<Json<ApplicationView>, HttpError> {
    let who = operator(&state, &headers).await?;
    Ok(Json(
        state.applications.review.decide(who, id, decision).await?,
    ))
}

/// The dev outbox (only with `--dev`).
pub async fn outbox(State(state): State<AppState>) -> Json<Vec<crate::notifier::OutboxMessage>> {
    Json(
        state
            .dev_outbox
            .as_ref()
            .map(|o| o.messages())
            .unwrap_or_default(),
    )
}

/// Open a renewal application for an applicant (created if new).
#[utoipa::path(post, security(("operator" = [])), path = "/api/v1/operator/applications", params(("Idempotency-Key" = Option<String>, Header, description = "Makes the request safe to repeat: the first successful answer is kept and a repeat with the same key (16–100 of A-Z a-z 0-9 - _) gets it instead of acting twice.")), request_body = OpenApplication,
    responses((status = 201, body = i64), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError), (status = 403, body = kep_protocol::ApiError), (status = 413, body = kep_protocol::ApiError), (status = 409, body = kep_protocol::ApiError)))]
pub async fn open(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<OpenApplication>,
) -> Result<(axum::http::StatusCode, Json<i64>), HttpError> {
    let who = operator(&state, &headers).await?;
    let id = state
        .applications
        .review
        .open_for_phone(&body.phone, &format!("operator:{who}"))
        .await?;
    Ok((axum::http::StatusCode::CREATED, Json(id)))
}
