//! The HTTP JSON API under `/api/v1`, its OpenAPI description, and the dev-only routes.

mod auth;
pub mod error;

use crate::clock::Clock;
use crate::login::Login;
use crate::store::sqlite::SqliteStore;
use crate::telephony::{DevTelephony, Telephony};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use std::sync::Arc;
use utoipa::OpenApi;

/// The login service as the API uses it.
pub type ServiceLogin = Login<SqliteStore, Arc<dyn Clock>, Arc<dyn Telephony>>;

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    /// Login and sessions.
    pub login: Arc<ServiceLogin>,
    /// The dev telephony, when the service runs with `--dev`.
    pub dev_calls: Option<Arc<DevTelephony>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("dev", &self.dev_calls.is_some())
            .finish()
    }
}

/// JSON bodies larger than this are refused (documents have their own, larger limit).
pub const JSON_BODY_LIMIT: usize = 64 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "KEP Renew CA",
        description = "The certification authority's API the KEP Renew app talks to."
    ),
    paths(auth::request_code, auth::verify_code, auth::logout, auth::me),
    components(schemas(
        kep_protocol::auth::CodeRequest,
        kep_protocol::auth::CodeRequested,
        kep_protocol::auth::CodeVerification,
        kep_protocol::auth::SessionIssued,
        kep_protocol::ApiError,
        kep_protocol::ErrorKind,
        auth::Me,
    ))
)]
struct ApiDoc;

/// The OpenAPI document, generated from the handlers' annotations.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The service's router.
pub fn router(state: AppState) -> Router {
    let mut app = Router::new()
        .route("/api/v1/auth/code", post(auth::request_code))
        .route("/api/v1/auth/verify", post(auth::verify_code))
        .route("/api/v1/auth/logout", post(auth::logout))
        .route("/api/v1/me", get(auth::me))
        .route(
            "/api/v1/openapi.json",
            get(|| async { axum::Json(openapi()) }),
        );
    if state.dev_calls.is_some() {
        app = app.route("/dev/calls/last", get(auth::last_dev_call));
    }
    app.layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .with_state(state)
}
