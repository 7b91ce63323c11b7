//! `ApiError` as an HTTP response: the same `{kind, message}` body as over IPC, with the status
//! its kind implies.

use crate::messages_ru;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kep_protocol::{ApiError, ErrorKind};

/// The HTTP status for an error kind.
pub fn status(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::InvalidInput | ErrorKind::CodeWrong | ErrorKind::CodeExpired => {
            StatusCode::BAD_REQUEST
        }
        ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict | ErrorKind::KeyReused | ErrorKind::InProgress => StatusCode::CONFLICT,
        ErrorKind::SignatureRejected => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        // Never sent by the service; 499 is what proxies log for a client that gave up.
        ErrorKind::Cancelled => StatusCode::from_u16(499).unwrap_or(StatusCode::BAD_REQUEST),
        ErrorKind::RateLimited | ErrorKind::CodeAttemptsExhausted => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::Network => StatusCode::BAD_GATEWAY,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Io | ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An error response.
#[derive(Debug)]
pub struct HttpError(pub ApiError);

impl From<ApiError> for HttpError {
    fn from(e: ApiError) -> Self {
        Self(e)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        (status(self.0.kind), Json(self.0)).into_response()
    }
}

/// A JSON body whose rejections (malformed JSON, wrong content type, too large) come back in the
/// `{kind, message}` shape like every other error.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = HttpError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::JsonRejection;
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(JsonRejection::BytesRejection(e))
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(HttpError(ApiError::new(
                    ErrorKind::TooLarge,
                    messages_ru::BODY_TOO_LARGE,
                )))
            }
            Err(_) => Err(HttpError(ApiError::new(
                ErrorKind::InvalidInput,
                messages_ru::MALFORMED_REQUEST,
            ))),
        }
    }
}

/// axum answers some refusals itself, in plain text: a path that does not parse (`/x/abc` for
/// an id), a query string that does not, a method not allowed, a body of an unknown type. They
/// leave in the same `{kind, message}` shape as every other error.
pub async fn rejections_as_api_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let plain = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|t| t.starts_with("text/plain"));
    if !(status.is_client_error() && plain) {
        return response;
    }
    let (kind, message) = match status {
        StatusCode::NOT_FOUND => (ErrorKind::NotFound, messages_ru::NO_SUCH_ROUTE),
        StatusCode::PAYLOAD_TOO_LARGE => (ErrorKind::TooLarge, messages_ru::REQUEST_TOO_BIG),
        StatusCode::METHOD_NOT_ALLOWED => {
            (ErrorKind::InvalidInput, messages_ru::METHOD_NOT_ALLOWED)
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            (ErrorKind::InvalidInput, messages_ru::MEDIA_TYPE_REFUSED)
        }
        _ => (ErrorKind::InvalidInput, messages_ru::NOT_UNDERSTOOD),
    };
    let mut answer = (status, Json(ApiError::new(kind, message))).into_response();
    if let Some(allow) = response.headers().get(axum::http::header::ALLOW) {
        answer
            .headers_mut()
            .insert(axum::http::header::ALLOW, allow.clone());
    }
    answer
}
