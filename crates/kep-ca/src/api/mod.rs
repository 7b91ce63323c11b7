//! The HTTP JSON API under `/api/v1`, its OpenAPI description, and the dev-only routes.

mod applications;
mod auth;
pub mod error;
mod health;
mod idempotency;
mod issuance;
mod ocsp;
pub(crate) mod operator;
mod refusals;
mod telemetry;
mod trust;

use crate::clock::Clock;
use crate::login::Login;
use crate::store::Database;
use crate::telephony::{DevTelephony, Telephony};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use std::sync::Arc;
use utoipa::OpenApi;

/// The login service as the API uses it.
pub type ServiceLogin = Login<Database, Arc<dyn Clock>, Arc<dyn Telephony>>;

/// The applications service as the API uses it.
pub type ServiceApplications = crate::applications::Applications<Database>;

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    /// Login and sessions.
    pub login: Arc<ServiceLogin>,
    /// Applications and documents.
    pub applications: Arc<ServiceApplications>,
    /// Operator accounts and sessions.
    pub operators: Arc<crate::operators::Operators<Database>>,
    /// Notifications to applicants, delivered in the background ([`crate::outbox::Outbox::run`]).
    pub outbox: Arc<crate::outbox::Outbox<Database>>,
    /// How long this instance holds the lease on background work ([`crate::background`]).
    pub background_lease: std::time::Duration,
    /// Idempotency keys of state-changing POSTs.
    pub idempotency: Arc<crate::idempotency::Idempotency<Database, Arc<dyn Clock>>>,
    /// Where the client of a request is (X-Forwarded-For from trusted proxies only).
    pub clients: crate::config::ClientAddressPolicy,
    /// The list of accredited CAs in use.
    pub trust: Arc<crate::trust::trusted_cas::TrustedCas<Database>>,
    /// The scheduled download of the list, when configured ([`crate::trust::download::run`]).
    pub trust_download: Option<crate::trust::download::TrustDownload>,
    /// The dev telephony, when the service runs with `--dev`.
    pub dev_calls: Option<Arc<DevTelephony>>,
    /// The dev outbox of notifications, when the service runs with `--dev`.
    pub dev_outbox: Option<Arc<crate::notifier::DevOutbox>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("dev", &self.dev_calls.is_some())
            .finish()
    }
}

/// The address of the peer of a connection (plain TCP or TLS), for the handlers that need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub std::net::SocketAddr);

impl
    axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, tokio::net::TcpListener>>
    for PeerAddr
{
    fn connect_info(stream: axum::serve::IncomingStream<'_, tokio::net::TcpListener>) -> Self {
        Self(*stream.remote_addr())
    }
}

impl
    axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, crate::tls::TlsListener>>
    for PeerAddr
{
    fn connect_info(stream: axum::serve::IncomingStream<'_, crate::tls::TlsListener>) -> Self {
        Self(*stream.remote_addr())
    }
}

/// The service ready for `axum::serve`, over plain TCP or [`crate::tls::TlsListener`].
pub fn make_service(
    state: AppState,
) -> axum::extract::connect_info::IntoMakeServiceWithConnectInfo<Router, PeerAddr> {
    router(state).into_make_service_with_connect_info::<PeerAddr>()
}

/// Serves `state` on a fresh loopback port (over TLS with `tls`) in the background: for tests
/// and benchmarks. Answers the address.
pub async fn serve_loopback(
    state: AppState,
    tls: Option<crate::tls::TlsFiles>,
) -> Result<std::net::SocketAddr, crate::tls::TlsError> {
    use crate::tls::TlsError;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(TlsError::Listener)?;
    serve_listener(listener, state, tls)
}

/// [`serve_loopback`] on a listener bound beforehand (a test that must name the address in the
/// CA's configuration — its public URL — before the service starts).
pub fn serve_listener(
    listener: tokio::net::TcpListener,
    state: AppState,
    tls: Option<crate::tls::TlsFiles>,
) -> Result<std::net::SocketAddr, crate::tls::TlsError> {
    use crate::tls::TlsError;
    let addr = listener.local_addr().map_err(TlsError::Listener)?;
    tokio::spawn(state.outbox.clone().run());
    tokio::spawn(crate::background::run(
        state.clone(),
        crate::background::instance_name(),
        state.background_lease,
    ));
    match tls {
        Some(files) => {
            let config = crate::tls::ReloadableConfig::load(files)?;
            let listener = crate::tls::TlsListener::new(listener, config)?;
            tokio::spawn(async move { axum::serve(listener, make_service(state)).await });
        }
        None => {
            tokio::spawn(async move { axum::serve(listener, make_service(state)).await });
        }
    }
    Ok(addr)
}

/// JSON bodies larger than this are refused (documents have their own, larger limit).
pub const JSON_BODY_LIMIT: usize = 64 * 1024;

/// The two bearer tokens: an applicant's session (after the flash-call login) and an
/// operator's (after the operator login). Neither is accepted where the other is expected.
struct BearerSchemes;

impl utoipa::Modify for BearerSchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, what) in [
            (
                "applicant",
                "The applicant's session token from POST /api/v1/auth/verify.",
            ),
            (
                "operator",
                "The operator's session token from POST /api/v1/operator/login.",
            ),
        ] {
            components.add_security_scheme(
                name,
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some(what))
                        .build(),
                ),
            );
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    modifiers(&BearerSchemes),
    info(
        title = "KEP Renew CA",
        description = "The certification authority's API the KEP Renew app talks to."
    ),
    paths(
        auth::request_code,
        auth::verify_code,
        auth::logout,
        auth::me,
        applications::list,
        applications::renew,
        applications::get_one,
        applications::save_requisites,
        applications::submit,
        applications::upload,
        applications::download,
        applications::delete,
        issuance::statement,
        issuance::sign_statement,
        issuance::submit_scan,
        issuance::request,
        issuance::certificate,
        issuance::chain,
        issuance::installed,
        operator::login,
        operator::begin_totp,
        operator::confirm_totp,
        operator::queue,
        operator::search,
        operator::application,
        operator::document,
        operator::audit,
        operator::decide,
        operator::open,
        operator::decide_statement,
        operator::confirm_identity,
        operator::revoke,
        health::readyz,
        trust::accredited_cas,
    ),
    components(schemas(
        kep_protocol::auth::CodeRequest,
        kep_protocol::auth::CodeRequested,
        kep_protocol::auth::CodeVerification,
        kep_protocol::auth::SessionIssued,
        kep_protocol::ApiError,
        kep_protocol::ErrorKind,
        auth::Me,
        kep_protocol::application::ApplicationView,
        kep_protocol::application::ApplicationStatus,
        kep_protocol::application::DocumentInfo,
        kep_protocol::application::DocumentKind,
        kep_protocol::application::TimelineEvent,
        operator::OperatorLogin,
        operator::TotpEnrollment,
        operator::AuditEntry,
        operator::OpenApplication,
        crate::applications::Decision,
        crate::applications::StatementDecision,
        crate::applications::RevokeReason,
        operator::Revoke,
        kep_protocol::application::StatementInfo,
        kep_protocol::application::StatementSigning,
        kep_protocol::application::IssuedCertificate,
        kep_protocol::application::RenewedCertificate,
        kep_protocol::application::KeyStorageKind,
        health::Readiness,
        kep_protocol::trust::TrustListView,
        kep_protocol::trust::AccreditedCaView,
        kep_protocol::trust::AccreditedCertificateView,
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
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/api/v1/auth/code", post(auth::request_code))
        .route("/api/v1/auth/verify", post(auth::verify_code))
        .route("/api/v1/auth/logout", post(auth::logout))
        .route("/api/v1/me", get(auth::me))
        .route(
            "/api/v1/openapi.json",
            get(|| async { axum::Json(openapi()) }),
        )
        .route("/ca/root.crt", get(issuance::root_certificate))
        .route("/ca/issuing.crt", get(issuance::issuing_certificate))
        .route("/crl/root.crl", get(issuance::root_crl))
        .route("/crl/issuing.crl", get(issuance::issuing_crl))
        .route(
            "/ocsp",
            post(ocsp::post).layer(DefaultBodyLimit::max(kep_pki::ocsp::MAX_REQUEST_BYTES + 1)),
        )
        .route("/ocsp/{*request}", get(ocsp::get));
    if state.dev_calls.is_some() {
        app = app
            .route("/dev/calls/last", get(auth::last_dev_call))
            .route("/dev/outbox", get(operator::outbox));
    }
    let app = app
        .route("/api/v1/applications", get(applications::list))
        .route("/api/v1/renewals", post(applications::renew))
        .route("/api/v1/trust/accredited-cas", get(trust::accredited_cas))
        .route("/api/v1/applications/{id}", get(applications::get_one))
        .route(
            "/api/v1/applications/{id}/requisites",
            axum::routing::put(applications::save_requisites),
        )
        .route(
            "/api/v1/applications/{id}/submit",
            post(applications::submit),
        )
        .route(
            "/api/v1/applications/{id}/statement",
            get(issuance::statement),
        )
        .route(
            "/api/v1/applications/{id}/statement/signature",
            post(issuance::sign_statement),
        )
        .route(
            "/api/v1/applications/{id}/statement/scan",
            post(issuance::submit_scan),
        )
        .route("/api/v1/applications/{id}/request", post(issuance::request))
        .route(
            "/api/v1/applications/{id}/certificate",
            get(issuance::certificate),
        )
        .route("/api/v1/applications/{id}/chain", get(issuance::chain))
        .route(
            "/api/v1/applications/{id}/installed",
            post(issuance::installed),
        )
        .route(
            "/api/v1/operator/applications/{id}/statement-decision",
            post(operator::decide_statement),
        )
        .route(
            "/api/v1/operator/applications/{id}/identity",
            post(operator::confirm_identity),
        )
        .route(
            "/api/v1/operator/certificates/{serial}/revoke",
            post(operator::revoke),
        )
        .route("/api/v1/operator/login", post(operator::login))
        .route(
            "/api/v1/operator/totp/enrollment",
            post(operator::begin_totp),
        )
        .route(
            "/api/v1/operator/totp/confirmation",
            post(operator::confirm_totp),
        )
        .route("/api/v1/operator/queue", get(operator::queue))
        .route("/api/v1/operator/search", get(operator::search))
        .route("/api/v1/operator/audit", get(operator::audit))
        .route(
            "/api/v1/operator/applications/{id}",
            get(operator::application),
        )
        .route(
            "/api/v1/operator/applications/{id}/documents/{document}",
            get(operator::document),
        )
        .route("/api/v1/operator/applications", post(operator::open))
        .route(
            "/api/v1/operator/applications/{id}/decision",
            post(operator::decide),
        )
        .route(
            "/api/v1/applications/{id}/documents/{document}",
            get(applications::download).delete(applications::delete),
        )
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT));
    // Uploads get their own, larger limit (one byte over 10 MiB, so that the service — not the
    // transport — answers for a file just over the limit).
    let uploads = Router::new()
        .route(
            "/api/v1/applications/{id}/documents",
            post(applications::upload),
        )
        .layer(DefaultBodyLimit::max(
            crate::documents::MAX_DOCUMENT_BYTES + 1,
        ));
    app.merge(uploads)
        .merge(crate::console::router().layer(DefaultBodyLimit::max(JSON_BODY_LIMIT)))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            idempotency::honour,
        ))
        .layer(axum::middleware::from_fn(auth::require_bearer))
        .layer(axum::middleware::from_fn(error::rejections_as_api_errors))
        .route_layer(axum::middleware::from_fn(telemetry::observe))
        .with_state(state)
}
