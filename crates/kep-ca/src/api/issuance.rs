//! Stage 3–6 handlers: the statement and its signature, the certificate request, downloads,
//! completion; and the public CA files (certificates, CRLs) the issued certificates point at.

use super::AppState;
use super::applications::applicant;
use super::error::HttpError;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kep_protocol::application::ApplicationView;
pub use kep_protocol::queries::RequestQuery;

fn typed(content_type: &'static str, bytes: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, content_type)], bytes).into_response()
}

/// The statement PDF to sign (exactly the bytes signatures are checked over).
#[utoipa::path(get, security(("applicant" = [])), path = "/api/v1/applications/{id}/statement", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf"), (status = 404, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError), (status = 409, body = kep_protocol::ApiError)))]
pub async fn statement(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let who = applicant(&state, &headers).await?;
    let pdf = state.applications.statements.pdf(who, id).await?;
    Ok(typed("application/pdf", pdf))
}

/// Path (a): a detached CMS signature (DER) over the statement, made with the applicant's КЭП.
#[utoipa::path(post, security(("applicant" = [])), path = "/api/v1/applications/{id}/statement/signature", params(("Idempotency-Key" = Option<String>, Header, description = "Makes the request safe to repeat: the first successful answer is kept and a repeat with the same key (16–100 of A-Z a-z 0-9 - _) gets it instead of acting twice."), ("id" = i64, Path)),
    request_body(content = Vec<u8>, content_type = "application/pkcs7-signature"),
    responses((status = 200, body = ApplicationView), (status = 422, body = kep_protocol::ApiError), (status = 409, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError), (status = 404, body = kep_protocol::ApiError), (status = 413, body = kep_protocol::ApiError)))]
pub async fn sign_statement(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ApplicationView>, HttpError> {
    let who = applicant(&state, &headers).await?;
    Ok(Json(
        state.applications.statements.sign(who, id, &body).await?,
    ))
}

/// Path (b): send the uploaded scan of the hand-signed statement for review.
#[utoipa::path(post, security(("applicant" = [])), path = "/api/v1/applications/{id}/statement/scan", params(("Idempotency-Key" = Option<String>, Header, description = "Makes the request safe to repeat: the first successful answer is kept and a repeat with the same key (16–100 of A-Z a-z 0-9 - _) gets it instead of acting twice."), ("id" = i64, Path)),
    responses((status = 200, body = ApplicationView), (status = 400, body = kep_protocol::ApiError), (status = 409, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError), (status = 404, body = kep_protocol::ApiError)))]
pub async fn submit_scan(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Json<ApplicationView>, HttpError> {
    let who = applicant(&state, &headers).await?;
    Ok(Json(
        state.applications.statements.submit_scan(who, id).await?,
    ))
}

/// The certificate request (PKCS#10, DER). The identical request again answers with the
/// application as it stands (and finishes an interrupted issuance).
#[utoipa::path(post, security(("applicant" = [])), path = "/api/v1/applications/{id}/request", params(("Idempotency-Key" = Option<String>, Header, description = "Makes the request safe to repeat: the first successful answer is kept and a repeat with the same key (16–100 of A-Z a-z 0-9 - _) gets it instead of acting twice."), ("id" = i64, Path), RequestQuery),
    request_body(content = Vec<u8>, content_type = "application/pkcs10"),
    responses((status = 200, body = ApplicationView), (status = 400, body = kep_protocol::ApiError), (status = 409, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError), (status = 404, body = kep_protocol::ApiError), (status = 413, body = kep_protocol::ApiError)))]
pub async fn request(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<RequestQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ApplicationView>, HttpError> {
    let who = applicant(&state, &headers).await?;
    Ok(Json(
        state
            .applications
            .issuance
            .accept_request(who, id, &body, query.storage)
            .await?,
    ))
}

/// The issued certificate, DER.
#[utoipa::path(get, security(("applicant" = [])), path = "/api/v1/applications/{id}/certificate", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pkix-cert"), (status = 404, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError), (status = 409, body = kep_protocol::ApiError)))]
pub async fn certificate(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let who = applicant(&state, &headers).await?;
    let der = state.applications.issuance.certificate_der(who, id).await?;
    Ok(typed("application/pkix-cert", der))
}

/// The issued certificate with its chain, PEM (leaf, issuing CA, root).
#[utoipa::path(get, security(("applicant" = [])), path = "/api/v1/applications/{id}/chain", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pem-certificate-chain"), (status = 404, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError), (status = 409, body = kep_protocol::ApiError)))]
pub async fn chain(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let who = applicant(&state, &headers).await?;
    let pem = state
        .applications
        .issuance
        .certificate_chain_pem(who, id)
        .await?;
    Ok(typed("application/pem-certificate-chain", pem.into_bytes()))
}

/// The app installed the certificate: the renewal is complete.
#[utoipa::path(post, security(("applicant" = [])), path = "/api/v1/applications/{id}/installed", params(("Idempotency-Key" = Option<String>, Header, description = "Makes the request safe to repeat: the first successful answer is kept and a repeat with the same key (16–100 of A-Z a-z 0-9 - _) gets it instead of acting twice."), ("id" = i64, Path)),
    responses((status = 200, body = ApplicationView), (status = 409, body = kep_protocol::ApiError), (status = 400, body = kep_protocol::ApiError), (status = 401, body = kep_protocol::ApiError), (status = 404, body = kep_protocol::ApiError)))]
pub async fn installed(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Json<ApplicationView>, HttpError> {
    let who = applicant(&state, &headers).await?;
    Ok(Json(state.applications.issuance.complete(who, id).await?))
}

/// The root certificate (DER).
pub async fn root_certificate(State(state): State<AppState>) -> Response {
    typed(
        "application/pkix-cert",
        state.applications.authority().root_der().to_vec(),
    )
}

/// The issuing CA certificate (DER): the caIssuers address of issued certificates.
pub async fn issuing_certificate(State(state): State<AppState>) -> Response {
    typed(
        "application/pkix-cert",
        state.applications.authority().issuing_der().to_vec(),
    )
}

/// The root's CRL.
pub async fn root_crl(State(state): State<AppState>) -> Response {
    typed(
        "application/pkix-crl",
        state.applications.authority().root_crl().to_vec(),
    )
}

/// The issuing CA's CRL: the CRL distribution point of issued certificates.
pub async fn issuing_crl(State(state): State<AppState>) -> Result<Response, HttpError> {
    let der = state.applications.revocation.issuing_crl().await?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/pkix-crl"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        der,
    )
        .into_response())
}
