//! The operator console under `/operator/`: the CA's reviewers and responsible officers at work
//! in a browser — sign-in with TOTP, the queue, an application with its documents drawn on the
//! page, decisions. Pages are rendered here (maud); one stylesheet and one small script are
//! embedded in the binary; the CSP allows nothing inline and nothing from elsewhere. Every
//! decision goes through the same services as the API, which enforce the roles.

mod application;
mod audit;
mod documents;
mod form;
mod layout;
mod queue;
mod refusal;
mod session;
mod sign_in;
pub mod text_ru;

use crate::api::AppState;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use refusal::Refusal;
use session::Signed;

/// The console's Content-Security-Policy: this origin's script and stylesheet only, images
/// from here (and the QR code's data: URI), forms posted only here, never framed.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The console's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/operator/", get(queue::show))
        .route("/operator/search", get(queue::search))
        .route("/operator/audit", get(audit::show))
        .route(
            "/operator/sign-in",
            get(sign_in::form).post(sign_in::submit),
        )
        .route("/operator/enroll", post(sign_in::enroll))
        .route("/operator/sign-out", post(sign_in::sign_out))
        .route("/operator/applications/{id}", get(application::show))
        .route(
            "/operator/applications/{id}/decision",
            post(application::decide),
        )
        .route(
            "/operator/applications/{id}/documents/{document}",
            get(documents::show),
        )
        .route(
            "/operator/applications/{id}/documents/{document}/file",
            get(documents::file),
        )
        .route(
            "/operator/applications/{id}/documents/{document}/pages/{page}",
            get(documents::pdf_page),
        )
        .route(
            "/operator/applications/{id}/statement/pages/{page}",
            get(documents::statement_page),
        )
        .route("/operator/assets/console.css", get(stylesheet))
        .route("/operator/assets/console.js", get(script))
        .layer(axum::middleware::map_response(headers))
}

/// The console's security headers on every answer.
async fn headers(mut response: axum::response::Response) -> axum::response::Response {
    let h = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    response
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("assets/console.css"),
    )
}

async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("assets/console.js"),
    )
}

/// The operator the request's cookie signs in, or the sign-in page.
async fn signed(state: &AppState, headers: &axum::http::HeaderMap) -> Result<Signed, Refusal> {
    let token = session::token(headers).ok_or(Refusal::SignIn)?;
    let account = state.operators.session_account(&token).await.map_err(|e| {
        // (A database that is away shows as the sign-in page: say why in the log.)
        tracing::info!(error = %e, "console session not accepted");
        Refusal::SignIn
    })?;
    Ok(Signed {
        account,
        csrf: session::csrf(&token),
        token,
    })
}

/// [`signed`], for a POST: its form must carry the session's CSRF token.
async fn signed_post(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    csrf: &str,
) -> Result<Signed, Refusal> {
    let signed = signed(state, headers).await?;
    if !session::csrf_ok(&signed.token, csrf, headers) {
        return Err(Refusal::Csrf);
    }
    Ok(signed)
}
