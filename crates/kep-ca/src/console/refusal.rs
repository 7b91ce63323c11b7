//! What a console request answers when it cannot do what was asked: a page that says why, in
//! the same words the API uses, with the status the API would give — or, without a session,
//! the sign-in page.

use super::layout::{notice, page};
use super::session::Signed;
use super::text_ru as t;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kep_protocol::ApiError;
use maud::html;

/// A refused console request.
#[derive(Debug)]
pub enum Refusal {
    /// No live session: to the sign-in page.
    SignIn,
    /// The form did not carry its session's CSRF token.
    Csrf,
    /// Nothing here.
    NotFound,
    /// The body is not a form a console page sends.
    Malformed,
    /// The service refused, saying why (in Russian).
    Refused(ApiError, Option<Box<Signed>>),
}

impl Refusal {
    /// The refusal of `error`, shown to `signed`.
    pub fn of(error: impl Into<ApiError>, signed: &Signed) -> Self {
        Self::Refused(error.into(), Some(Box::new(signed.clone())))
    }
}

/// A heading, why, and the way back.
fn explained(title: &str, why: &str) -> maud::Markup {
    html! {
        h1 { (title) }
        (notice("error", why))
        p { a href="/operator/" { (t::BACK) } }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::SignIn => (
                StatusCode::SEE_OTHER,
                [(header::LOCATION, "/operator/sign-in")],
            )
                .into_response(),
            Refusal::Csrf => (
                StatusCode::FORBIDDEN,
                page(t::REFUSED, None, explained(t::REFUSED, t::CSRF_REFUSED)),
            )
                .into_response(),
            Refusal::Malformed => (
                StatusCode::BAD_REQUEST,
                page(t::REFUSED, None, explained(t::REFUSED, t::FORM_MALFORMED)),
            )
                .into_response(),
            Refusal::NotFound => (
                StatusCode::NOT_FOUND,
                page(t::NOT_FOUND, None, explained(t::NOT_FOUND, t::NOT_FOUND)),
            )
                .into_response(),
            Refusal::Refused(error, signed) => (
                crate::api::error::status(error.kind),
                page(
                    t::REFUSED,
                    signed.as_deref(),
                    explained(t::REFUSED, &error.message),
                ),
            )
                .into_response(),
        }
    }
}
