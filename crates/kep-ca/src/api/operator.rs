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
pub use kep_protocol::operator::AuditEntry;
pub use kep_protocol::operator::{OpenApplication, OperatorLogin, Revoke, TotpEnrollment};
pub use kep_protocol::queries::{AuditQuery, QueueQuery, SearchQuery};

async fn operator(state: &AppState, headers: &HeaderMap) -> Result<i64, HttpError> {
    Ok(state
        .operators
        .authenticate_as(bearer(headers)?, OperatorRole::Reviewer)
        .await?)
}

/// Any operator (reviewer or responsible officer): reading, not deciding.
async fn any_operator(state: &AppState, headers: &HeaderMap) -> Result<i64, HttpError> {
    Ok(state.operators.authenticate(bearer(headers)?).await?)
}

/// Finds applications by number, phone, ФИО or СНИЛС (at most 50, the most recent first).
#[utoipa::path(get, security(("operator" = [])), path = "/api/v1/operator/search", params(SearchQuery),
    responses((status = 200, body = Vec<ApplicationView>), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError)))]
pub async fn search(
    State(state): State<AppState>,
    Query(query): Query<SearchQuery>,
    headers: HeaderMap,
) -> Result<Json<Vec<ApplicationView>>, HttpError> {
    any_operator(&state, &headers).await?;
    Ok(Json(state.applications.review.search(&query.q).await?))
}

/// An application, whatever its status.
#[utoipa::path(get, security(("operator" = [])), path = "/api/v1/operator/applications/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = ApplicationView), (status = 404, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError)))]
pub async fn application(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Json<ApplicationView>, HttpError> {
    any_operator(&state, &headers).await?;
    Ok(Json(state.applications.review.application(id).await?))
}

/// A document of an application, for the operator who checks it.
#[utoipa::path(get, security(("operator" = [])), path = "/api/v1/operator/applications/{id}/documents/{document}", params(("id" = i64, Path), ("document" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError)))]
pub async fn document(
    State(state): State<AppState>,
    Path((id, document)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Result<axum::response::Response, HttpError> {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    any_operator(&state, &headers).await?;
    let (media_type, bytes) = state.applications.review.document(id, document).await?;
    let content_type = HeaderValue::from_str(&media_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    Ok(([(header::CONTENT_TYPE, content_type)], bytes).into_response())
}

/// The audit log, newest first, filtered by who, what and about what.
#[utoipa::path(get, security(("operator" = [])), path = "/api/v1/operator/audit", params(AuditQuery),
    responses((status = 200, body = Vec<AuditEntry>), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError)))]
pub async fn audit(
    State(state): State<AppState>,
    Query(query): Query<AuditQuery>,
    headers: HeaderMap,
) -> Result<Json<Vec<AuditEntry>>, HttpError> {
    any_operator(&state, &headers).await?;
    Ok(Json(audit_entries(&state, query).await?))
}

/// The audit entries `query` asks for (the API's and the console's).
pub(crate) async fn audit_entries(
    state: &AppState,
    query: AuditQuery,
) -> Result<Vec<AuditEntry>, HttpError> {
    use crate::store::Store;
    let nonempty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let entries = state
        .applications
        .store()
        .audit_entries(&crate::store::AuditFilter {
            actor: nonempty(query.actor),
            action: nonempty(query.action),
            subject: nonempty(query.subject),
            before_id: query.before,
            limit: query.limit.unwrap_or(100).clamp(1, 500),
        })
        .await
        .map_err(crate::applications::RecordError::from)
        .map_err(kep_protocol::ApiError::from)?;
    Ok(entries
        .into_iter()
        .map(|e| AuditEntry {
            id: e.id,
            at: e.at,
            actor: e.actor,
            action: e.action,
            subject: e.subject,
        })
        .collect())
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
