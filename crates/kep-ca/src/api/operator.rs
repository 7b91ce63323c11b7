//! Operator handlers: login, the review queue, decisions.

use super::AppState;
use super::auth::bearer;
use super::error::{ApiJson, HttpError};
use crate::applications::Decision;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use kep_protocol::application::ApplicationView;
use kep_protocol::auth::SessionIssued;
use serde::Deserialize;

/// An operator's credentials.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct OperatorLogin {
    /// Login.
    pub login: String,
    /// Password.
    pub password: String,
}

async fn operator(state: &AppState, headers: &HeaderMap) -> Result<i64, HttpError> {
    Ok(state.operators.authenticate(bearer(headers)?).await?)
}

/// Operator login.
#[utoipa::path(post, path = "/api/v1/operator/login", request_body = OperatorLogin,
    responses((status = 200, body = SessionIssued), (status = 401, body = kep_protocol::ApiError)))]
pub async fn login(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<OperatorLogin>,
) -> Result<Json<SessionIssued>, HttpError> {
    Ok(Json(
        state.operators.login(&body.login, &body.password).await?,
    ))
}

/// Applications waiting for review.
#[utoipa::path(get, path = "/api/v1/operator/queue",
    responses((status = 200, body = Vec<ApplicationView>), (status = 401, body = kep_protocol::ApiError)))]
pub async fn queue(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<ApplicationView>>, HttpError> {
    operator(&state, &headers).await?;
    Ok(Json(state.applications.queue().await?))
}

/// Approve, reject with a comment, or ask for documents.
#[utoipa::path(post, path = "/api/v1/operator/applications/{id}/decision", params(("id" = i64, Path)), request_body = Decision,
    responses((status = 200, body = ApplicationView), (status = 409, body = kep_protocol::ApiError)))]
pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    ApiJson(decision): ApiJson<Decision>,
) -> Result<Json<ApplicationView>, HttpError> {
    let who = operator(&state, &headers).await?;
    Ok(Json(state.applications.decide(who, id, decision).await?))
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

/// The applicant to open an application for.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct OpenApplication {
    /// The applicant's mobile number.
    pub phone: String,
}

/// Open a renewal application for an applicant (created if new).
#[utoipa::path(post, path = "/api/v1/operator/applications", request_body = OpenApplication,
    responses((status = 201, body = i64), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError)))]
pub async fn open(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<OpenApplication>,
) -> Result<(axum::http::StatusCode, Json<i64>), HttpError> {
    let who = operator(&state, &headers).await?;
    let id = state
        .applications
        .open_for_phone(&body.phone, &format!("operator:{who}"))
        .await?;
    Ok((axum::http::StatusCode::CREATED, Json(id)))
}
