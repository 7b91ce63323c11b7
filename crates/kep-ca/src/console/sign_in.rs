//! Signing in: login and password, the TOTP code once enrolled; an account that has no
//! authenticator yet (and must have one) enrolls it on the way, with the QR code on the page;
//! signing out ends the session on the server.

use super::form::ConsoleForm;
use super::layout::{notice, page};
use super::refusal::Refusal;
use super::session;
use super::text_ru as t;
use crate::api::AppState;
use crate::operators::OperatorError;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kep_protocol::ApiError;
use kep_protocol::auth::SessionIssued;
use maud::{Markup, html};
use serde::Deserialize;

/// The sign-in form's fields.
#[derive(Deserialize)]
pub struct SignInForm {
    login: String,
    password: String,
    #[serde(default)]
    totp: String,
}

/// The enrollment form's fields.
#[derive(Deserialize)]
pub struct EnrollForm {
    ticket: String,
    code: String,
}

/// The sign-out form's field.
#[derive(Deserialize)]
pub struct CsrfForm {
    /// (Missing reads as empty: refused as a CSRF failure, not as a malformed form.)
    #[serde(default)]
    csrf: String,
}

fn sign_in_page(login: &str, error: Option<&str>) -> Markup {
    page(
        t::SIGN_IN,
        None,
        html! {
            h1 { (t::SIGN_IN) }
            @if let Some(error) = error { (notice("error", error)) }
            form.stack method="post" action="/operator/sign-in" {
                label { (t::LOGIN) input type="text" name="login" value=(login) autocomplete="username" required autofocus; }
                label { (t::PASSWORD) input type="password" name="password" autocomplete="current-password" required; }
                label {
                    (t::TOTP)
                    input type="text" name="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}";
                    span.hint { (t::TOTP_HINT) }
                }
                button type="submit" { (t::SIGN_IN_BUTTON) }
            }
        },
    )
}

fn enroll_page(
    ticket: &str,
    secret: Option<&str>,
    url: Option<&str>,
    error: Option<&str>,
) -> Result<Markup, Refusal> {
    let qr = url
        .map(|url| {
            crate::totp::qr_svg(url).map(|svg| {
                format!(
                    "data:image/svg+xml;base64,{}",
                    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, svg)
                )
            })
        })
        .transpose()
        .map_err(|_| Refusal::NotFound)?;
    Ok(page(
        t::ENROLL_TITLE,
        None,
        html! {
            h1 { (t::ENROLL_TITLE) }
            @if let Some(error) = error { (notice("error", error)) }
            p { (t::ENROLL_STEPS) }
            @if let Some(qr) = &qr { p.qr { img src=(qr) alt="QR"; } }
            @if let Some(secret) = secret {
                p { (t::ENROLL_SECRET) ": " code.secret { (secret) } }
            }
            form.stack method="post" action="/operator/enroll" {
                input type="hidden" name="ticket" value=(ticket);
                label { (t::TOTP) input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus; }
                button type="submit" { (t::ENROLL_BUTTON) }
            }
        },
    ))
}

/// To the queue with the session in the cookie.
fn signed_in(session: &SessionIssued) -> Response {
    let mut headers = HeaderMap::new();
    session::put_cookie(
        &mut headers,
        &session::set_cookie(&session.token, session.expires_in_s),
    );
    headers.insert(header::LOCATION, HeaderValue::from_static("/operator/"));
    (StatusCode::SEE_OTHER, headers).into_response()
}

/// A POST the browser says came from another site (where it says so).
fn cross_site(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| site != "same-origin" && site != "none")
}

/// GET /operator/sign-in.
pub async fn form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if super::signed(&state, &headers).await.is_ok() {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, "/operator/")]).into_response();
    }
    sign_in_page("", None).into_response()
}

/// POST /operator/sign-in.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    ConsoleForm(form): ConsoleForm<SignInForm>,
) -> Result<Response, Refusal> {
    if cross_site(&headers) {
        return Err(Refusal::Csrf);
    }
    let totp = Some(form.totp.trim()).filter(|code| !code.is_empty());
    match state
        .operators
        .login(&form.login, &form.password, totp)
        .await
    {
        Ok(session) => Ok(signed_in(&session)),
        Err(OperatorError::TotpEnrollmentRequired) => {
            match state
                .operators
                .begin_console_enrollment(&form.login, &form.password)
                .await
            {
                Ok((enrollment, ticket)) => Ok(enroll_page(
                    &ticket,
                    Some(&enrollment.secret),
                    Some(&enrollment.otpauth_url),
                    None,
                )?
                .into_response()),
                Err(e) => Ok(refused_sign_in(&form.login, e)),
            }
        }
        Err(e) => Ok(refused_sign_in(&form.login, e)),
    }
}

fn refused_sign_in(login: &str, e: OperatorError) -> Response {
    let error = ApiError::from(e);
    (
        crate::api::error::status(error.kind),
        sign_in_page(login, Some(&error.message)),
    )
        .into_response()
}

/// POST /operator/enroll: the app's first code.
pub async fn enroll(
    State(state): State<AppState>,
    headers: HeaderMap,
    ConsoleForm(form): ConsoleForm<EnrollForm>,
) -> Result<Response, Refusal> {
    if cross_site(&headers) {
        return Err(Refusal::Csrf);
    }
    match state
        .operators
        .confirm_console_enrollment(&form.ticket, &form.code)
        .await
    {
        Ok(session) => Ok(signed_in(&session)),
        Err(OperatorError::LoginRequired) => Ok((
            StatusCode::UNAUTHORIZED,
            sign_in_page("", Some(t::SESSION_OVER)),
        )
            .into_response()),
        Err(e) => {
            let error = ApiError::from(e);
            Ok((
                crate::api::error::status(error.kind),
                enroll_page(&form.ticket, None, None, Some(&error.message))?,
            )
                .into_response())
        }
    }
}

/// POST /operator/sign-out.
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    ConsoleForm(form): ConsoleForm<CsrfForm>,
) -> Result<Response, Refusal> {
    let signed = super::signed_post(&state, &headers, &form.csrf).await?;
    state
        .operators
        .sign_out(&signed.token)
        .await
        .map_err(|e| Refusal::of(e, &signed))?;
    let mut answer = HeaderMap::new();
    session::put_cookie(&mut answer, &session::clear_cookie());
    answer.insert(
        header::LOCATION,
        HeaderValue::from_static("/operator/sign-in"),
    );
    Ok((StatusCode::SEE_OTHER, answer).into_response())
}
