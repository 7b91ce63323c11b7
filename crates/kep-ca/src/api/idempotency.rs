//! The `Idempotency-Key` header on POSTs: the first successful answer is kept and replayed
//! (see `crate::idempotency`). Only successes are kept — a refusal changed nothing, so the same
//! key may simply run again. Requests without the header pass untouched.

use super::AppState;
use super::error::HttpError;
use crate::idempotency::{HEADER, valid_key};
use crate::messages_ru;
use crate::store::{IdempotencyClaim, StoredAnswer};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kep_protocol::{ApiError, ErrorKind};

/// The largest answer kept (the views are a few KiB).
const MAX_KEPT_ANSWER: usize = 1024 * 1024;

fn refusal(kind: ErrorKind, message: &str) -> Response {
    HttpError(ApiError::new(kind, message)).into_response()
}

/// Whose key it is: the applicant of a session, else the bearer token itself, else nobody's.
async fn scope_of(state: &AppState, token: Option<String>) -> String {
    match token.as_deref() {
        None => "anonymous".to_owned(),
        Some(token) => match state.login.authenticate(token).await {
            Ok(applicant) => format!("applicant:{applicant}"),
            Err(_) => {
                let digest = ring::digest::digest(&ring::digest::SHA256, token.as_bytes());
                let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
                format!("bearer:{hex}")
            }
        },
    }
}

/// The middleware.
pub async fn honour(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(key) = request.headers().get(HEADER) else {
        return next.run(request).await;
    };
    let Some(key) = key
        .to_str()
        .ok()
        .filter(|k| valid_key(k))
        .map(str::to_owned)
    else {
        return refusal(
            ErrorKind::InvalidInput,
            messages_ru::IDEMPOTENCY_KEY_MALFORMED,
        );
    };
    let route = request.uri().path_and_query().map_or_else(
        || request.uri().path().to_owned(),
        |p| p.as_str().to_owned(),
    );
    let route = format!("POST {route}");
    // (The request's body is not Sync: take what the scope needs before awaiting.)
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let scope = scope_of(&state, token).await;
    let claim = match state.idempotency.claim(&scope, &key, &route).await {
        Ok(claim) => claim,
        Err(e) => return HttpError(super::refusals::store_refusal(&e)).into_response(),
    };
    match claim {
        IdempotencyClaim::Completed(answer) if answer.route == route => replay(answer),
        IdempotencyClaim::Completed(_) => {
            refusal(ErrorKind::Conflict, messages_ru::IDEMPOTENCY_KEY_REUSED)
        }
        IdempotencyClaim::InProgress { .. } => {
            refusal(ErrorKind::InProgress, messages_ru::IDEMPOTENCY_IN_PROGRESS)
        }
        IdempotencyClaim::Claimed => {
            // On a task of its own: a client that gives up (its connection closes, and hyper
            // drops this future) must not cut the action off between its commit and the record
            // of its answer — the repeat would find the key "still running".
            let task = tokio::spawn(async move {
                let response = next.run(request).await;
                keep(&state, &scope, &key, route, response).await
            });
            task.await
                .unwrap_or_else(|_| refusal(ErrorKind::Internal, messages_ru::INTERNAL))
        }
    }
}

fn replay(answer: StoredAnswer) -> Response {
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() =
        axum::http::StatusCode::from_u16(answer.status).unwrap_or(axum::http::StatusCode::OK);
    if let Ok(value) = HeaderValue::from_str(&answer.content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
        .headers_mut()
        .insert("idempotent-replay", HeaderValue::from_static("true"));
    response
}

/// Keeps a success (and answers it); a refusal gives the key up.
async fn keep(
    state: &AppState,
    scope: &str,
    key: &str,
    route: String,
    response: Response,
) -> Response {
    if !response.status().is_success() {
        // Nothing was done; a failure to forget the claim only delays a retry until it is
        // taken over as abandoned.
        let _ = state.idempotency.release(scope, key).await;
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_KEPT_ANSWER).await else {
        let _ = state.idempotency.release(scope, key).await;
        return refusal(ErrorKind::Internal, messages_ru::INTERNAL);
    };
    let answer = StoredAnswer {
        route,
        status: parts.status.as_u16(),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        body: bytes.to_vec(),
    };
    // The action is done either way; a lost record only means a replay runs the (naturally
    // guarded) handler again.
    let _ = state.idempotency.complete(scope, key, answer).await;
    Response::from_parts(parts, Body::from(bytes))
}
