//! Every request gets an id (answered in `x-request-id`), a tracing span with its method and
//! route, one log line with status and duration, and its place in the metrics. Paths with ids
//! are logged as their route (`/api/v1/applications/{id}`); bodies, codes and personal data
//! never are.

use crate::metrics::{METRICS, RouteLabels};
use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

fn request_id() -> String {
    let mut bytes = [0u8; 8];
    // Without randomness the id is all zeros: still a log line, just not unique.
    let _ = ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The middleware.
pub async fn observe(request: Request, next: Next) -> Response {
    let id = request_id();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let span = tracing::info_span!("request", request_id = %id, %method, %route);
    let started = std::time::Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    span.in_scope(|| {
        tracing::info!(
            status,
            duration_ms = elapsed.as_secs_f64() * 1000.0,
            "answered"
        );
    });
    let labels = RouteLabels {
        method,
        route,
        status,
    };
    METRICS.requests.get_or_create(&labels).inc();
    METRICS
        .latency
        .get_or_create(&labels)
        .observe(elapsed.as_secs_f64());
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}
