//! Application handlers (the applicant's side).

use super::AppState;
use super::auth::bearer;
use super::error::{ApiJson, HttpError};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kep_protocol::RequisitesInput;
use kep_protocol::application::{ApplicationView, DocumentInfo};
pub use kep_protocol::queries::UploadQuery;

pub(super) async fn applicant(state: &AppState, headers: &HeaderMap) -> Result<i64, HttpError> {
    Ok(state.login.authenticate(bearer(headers)?).await?)
}

fn etag(version: i64) -> String {
    format!("\"v{version}\"")
}

/// The applicant's applications.
#[utoipa::path(get, security(("applicant" = [])), path = "/api/v1/applications", responses((status = 200, body = Vec<ApplicationView>), (status = 401, body = kep_protocol::ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<ApplicationView>>, HttpError> {
    let who = applicant(&state, &headers).await?;
    Ok(Json(state.applications.applicant.list(who).await?))
}

/// «Обновить сертификат»: the application renewing the certificate in the body (DER). A
/// certificate this CA issued to the applicant opens a renewal of it (pre-filled with the latest
/// requisites), or answers the one already under way; any other certificate opens (or answers)
/// an application for a new certificate, `renews` empty. Safe to repeat.
#[utoipa::path(post, security(("applicant" = [])), path = "/api/v1/renewals",
    request_body(content = Vec<u8>, content_type = "application/pkix-cert"),
    responses((status = 200, body = ApplicationView), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError), (status = 403, body = kep_protocol::ApiError), (status = 413, body = kep_protocol::ApiError)))]
pub async fn renew(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ApplicationView>, HttpError> {
    let who = applicant(&state, &headers).await?;
    Ok(Json(state.applications.applicant.renew(who, &body).await?))
}

/// One application. Poll with `If-None-Match`: an unchanged application answers 304.
#[utoipa::path(get, security(("applicant" = [])), path = "/api/v1/applications/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = ApplicationView), (status = 304), (status = 404, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError)))]
pub async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    // One read for the session and the version: most polls end at the 304 below.
    let (who, version) = state
        .login
        .authenticate_polling(bearer(&headers)?, id)
        .await?;
    let version = version.ok_or(crate::applications::RecordError::NotFound)?;
    let tag = etag(version);
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(tag.as_str())
    {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response());
    }
    let (view, version) = state.applications.applicant.view(who, id).await?;
    Ok(([(header::ETAG, etag(version))], Json(view)).into_response())
}

/// Save the requisites.
#[utoipa::path(put, security(("applicant" = [])), path = "/api/v1/applications/{id}/requisites", params(("id" = i64, Path)), request_body = Object,
    responses((status = 200, body = ApplicationView), (status = 400, body = kep_protocol::ApiError), (status = 409, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError), (status = 404, body = kep_protocol::ApiError), (status = 413, body = kep_protocol::ApiError)))]
pub async fn save_requisites(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<RequisitesInput>,
) -> Result<Json<ApplicationView>, HttpError> {
    let who = applicant(&state, &headers).await?;
    Ok(Json(
        state
            .applications
            .applicant
            .save_requisites(who, id, input)
            .await?,
    ))
}

/// Send the application (after the automatic СНИЛС/ИНН check).
#[utoipa::path(post, security(("applicant" = [])), path = "/api/v1/applications/{id}/submit", params(("Idempotency-Key" = Option<String>, Header, description = "Makes the request safe to repeat: the first successful answer is kept and a repeat with the same key (16–100 of A-Z a-z 0-9 - _) gets it instead of acting twice."), ("id" = i64, Path)),
    responses((status = 200, body = ApplicationView), (status = 409, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError), (status = 404, body = kep_protocol::ApiError)))]
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Json<ApplicationView>, HttpError> {
    let who = applicant(&state, &headers).await?;
    Ok(Json(state.applications.applicant.submit(who, id).await?))
}

/// Upload a document: the raw bytes of a PDF, JPEG or PNG (at most 10 MiB).
#[utoipa::path(post, security(("applicant" = [])), path = "/api/v1/applications/{id}/documents", params(("Idempotency-Key" = Option<String>, Header, description = "Makes the request safe to repeat: the first successful answer is kept and a repeat with the same key (16–100 of A-Z a-z 0-9 - _) gets it instead of acting twice."), ("id" = i64, Path), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = DocumentInfo), (status = 400, body = kep_protocol::ApiError), (status = 413, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError), (status = 404, body = kep_protocol::ApiError), (status = 409, body = kep_protocol::ApiError)))]
pub async fn upload(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<DocumentInfo>), HttpError> {
    let who = applicant(&state, &headers).await?;
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .applications
                .applicant
                .upload(who, id, query.kind, &body)
                .await?,
        ),
    ))
}

/// Download a document.
#[utoipa::path(get, security(("applicant" = [])), path = "/api/v1/applications/{id}/documents/{document}", params(("id" = i64, Path), ("document" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError), (status = 409, body = kep_protocol::ApiError)))]
pub async fn download(
    State(state): State<AppState>,
    Path((id, document)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let who = applicant(&state, &headers).await?;
    let (media_type, bytes) = state
        .applications
        .applicant
        .download(who, id, document)
        .await?;
    let content_type = HeaderValue::from_str(&media_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    Ok(([(header::CONTENT_TYPE, content_type)], bytes).into_response())
}

/// Delete a document (before the application is sent).
#[utoipa::path(delete, security(("applicant" = [])), path = "/api/v1/applications/{id}/documents/{document}", params(("id" = i64, Path), ("document" = i64, Path)),
    responses((status = 204), (status = 404, body = kep_protocol::ApiError), (status = 409, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError)))]
pub async fn delete(
    State(state): State<AppState>,
    Path((id, document)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Result<StatusCode, HttpError> {
    let who = applicant(&state, &headers).await?;
    state
        .applications
        .applicant
        .delete(who, id, document)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
